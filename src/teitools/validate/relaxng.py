"""RELAX NG: TEI P5 ``tei_all`` (bundled), or a project's own grammar
(:mod:`~teitools.validate.grammar`).

The verdict comes from :mod:`~teitools.validate.matcher`, linear in the document. Where the
matcher cannot decide exactly (a datatype or construct it does not model), libxml2 decides,
against ``tei_all`` *pruned to the elements the process has seen*
(:func:`~teitools.validate.letter_grammar.derive`: every other element ``notAllowed``, which
propagates): libxml2 checks ``tei_all`` itself slowly, most of its time going into choices
among hundreds of elements a document never uses. A document is valid against a grammar
pruned to any superset of its own elements exactly when it is valid against ``tei_all``.
Pruned grammars are kept in the authenticated disk cache. A document found invalid is
explained by :mod:`~teitools.validate.messages`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.namespaces import TEI
from teitools.resources import SCHEMAS
from teitools.validate import cache as disk_cache
from teitools.validate import letter_grammar, matcher, messages
from teitools.validate.findings import Finding

TEI_ALL = (
    SCHEMAS / "tei_all.simplified.rng.gz"
)  # the same grammar as tei_all.rng, 5x faster to load


@cache
def compiled(schema: Path = TEI_ALL) -> etree.RelaxNG:
    """``tei_all`` itself, compiled once per process (1–4 s): for the messages."""
    return etree.RelaxNG(etree.parse(str(schema), safexml.parser()))


def pruned_entry(names: frozenset[str]) -> Path:
    """The cache entry of ``tei_all`` pruned to ``names``."""
    recipe = (letter_grammar.RECIPE + " " + " ".join(sorted(names))).encode()
    return disk_cache.named("tei-pruned", recipe)


def pruned_text(names: frozenset[str]) -> bytes:
    """``tei_all`` pruned to ``names``, from the disk cache when it is there."""
    entry = pruned_entry(names)
    text = disk_cache.read_entry(entry)
    if text is None:
        text = letter_grammar.derive(TEI_ALL, names)
        disk_cache.write_entry(entry, text)
    return text


def letter_grammar_text() -> bytes:
    """``tei_all`` pruned to the elements teitools' letters use."""
    return pruned_text(letter_grammar.LETTER_ELEMENTS)


class TeiAll:
    """``tei_all`` for this process's documents: the matcher, and libxml2 with ``tei_all``
    pruned to the elements seen so far where the matcher cannot decide."""

    def __init__(self) -> None:
        self.names = frozenset(letter_grammar.LETTER_ELEMENTS)
        self.grammar: etree.RelaxNG | None = None

    def _grammar(self, tree: etree._ElementTree) -> etree.RelaxNG:
        used = {e.tag[len(TEI) :] for e in tree.getroot().iter(f"{TEI}*")}
        if not used <= self.names:
            self.names |= used
            self.grammar = None
        if self.grammar is None:
            self.grammar = etree.RelaxNG(
                etree.fromstring(pruned_text(self.names), safexml.parser())
            )
        return self.grammar

    def check(
        self, tree: etree._ElementTree, path: Path, source: bytes | None = None
    ) -> list[Finding]:
        """Findings against ``tei_all``: the derivative matcher's verdict (linear), else
        libxml2's (pruned grammar); a document either rejects is explained by
        :mod:`~teitools.validate.messages`."""
        verdict = matcher.tei_all().valid(tree)
        if verdict is None:
            verdict = bool(self._grammar(tree).validate(tree))
        if verdict:
            return []
        return messages.explain(tree, path, "tei_all", tei=True, source=source, full=compiled)


@cache
def letters() -> etree.RelaxNG:
    """The letter grammar (``tei_all`` pruned to the letters' elements), compiled."""
    return etree.RelaxNG(etree.fromstring(letter_grammar_text(), safexml.parser()))


def check_with(
    grammar: etree.RelaxNG,
    tree: etree._ElementTree,
    path: Path,
    label: str,
    expected: matcher.Matcher | None = None,
    source: bytes | None = None,
) -> list[Finding]:
    """Findings of a project's own grammar, compiled by libxml2 (``expected``: the same
    grammar's matcher, for a linear verdict and to explain its faults)."""
    verdict = None if expected is None else expected.valid(tree)
    if verdict is None:
        verdict = bool(grammar.validate(tree))
    if verdict:
        return []
    return messages.explain(
        tree,
        path,
        label,
        tei=False,
        grammar=expected,
        source=source,
        full=lambda: grammar,
    )

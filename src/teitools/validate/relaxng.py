"""RELAX NG: TEI P5 ``tei_all`` (bundled), or a project's own grammar
(:mod:`~teitools.validate.grammar`).

libxml2 checks ``tei_all`` slowly: most of its time goes into choices among hundreds of
elements a document never uses. So each process checks against ``tei_all`` *pruned to the
elements its documents use* (:func:`~teitools.validate.letter_grammar.derive`: every other
element ``notAllowed``, which propagates). A document is valid against a grammar pruned to
any superset of its own elements exactly when it is valid against ``tei_all``: a valid
document never uses a definition of an element it does not contain. The element names of all
files to check are read first (:func:`names_in`), so a process prunes once; the grammar
grows again only for a document with an element not seen. Pruned grammars are kept in the
authenticated disk cache. A document it rejects is explained by
:mod:`~teitools.validate.messages`, which walks it against ``tei_all`` itself.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.resources import SCHEMAS
from teitools.validate import cache as disk_cache
from teitools.validate import expectations, letter_grammar, messages
from teitools.validate.findings import Finding

TEI_ALL = (
    SCHEMAS / "tei_all.simplified.rng.gz"
)  # the same grammar as tei_all.rng, 5x faster to load
TEI = "{http://www.tei-c.org/ns/1.0}"
_START_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


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


def element_names(data: bytes) -> set[str]:
    """A superset of the local names of the elements in a document, read from its bytes."""
    return {name.decode("ascii", "replace") for name in _START_TAG.findall(data)}


def names_in(paths: Iterable[Path], limit: int) -> frozenset[str]:
    """The element names of all ``paths`` (those not over ``limit`` bytes), read from their
    bytes in a few milliseconds per megabyte: every process checking them then prunes
    ``tei_all`` once."""
    names: set[str] = set()
    for path in paths:
        try:
            status = path.stat()
            if stat.S_ISREG(status.st_mode) and status.st_size <= limit:
                names |= element_names(path.read_bytes())
        except OSError:
            continue  # the check reports it
    return frozenset(names)


class TeiAll:
    """``tei_all`` for this process's documents: pruned to the elements seen so far."""

    def __init__(self, names: frozenset[str] = frozenset()) -> None:
        self.names = frozenset(letter_grammar.LETTER_ELEMENTS) | names
        self.grammar: etree.RelaxNG | None = None

    def expect(self, documents: Iterable[bytes]) -> None:
        """Grow the grammar, once, for the elements of the documents about to be checked."""
        seen: set[str] = set()
        for data in documents:
            seen |= element_names(data)
        if not seen <= self.names:
            self.names |= seen
            self.grammar = None

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
        """Findings against ``tei_all``: libxml2's verdict (pruned grammar), explained by
        :mod:`~teitools.validate.messages`; ``tei_all`` itself is compiled (1–4 s) only if
        the explanation finds no fault."""
        pruned = self._grammar(tree)
        if pruned.validate(tree):
            return []
        return messages.explain(
            tree, path, pruned.error_log, "tei_all", tei=True, source=source, full=compiled
        )


@cache
def letters() -> etree.RelaxNG:
    """The letter grammar (``tei_all`` pruned to the letters' elements), compiled."""
    return etree.RelaxNG(etree.fromstring(letter_grammar_text(), safexml.parser()))


def check_with(
    grammar: etree.RelaxNG,
    tree: etree._ElementTree,
    path: Path,
    label: str,
    expected: expectations.Grammar | None = None,
    source: bytes | None = None,
) -> list[Finding]:
    """Findings of a project's own grammar, compiled by libxml2 (``expected``: the same
    grammar, to explain them)."""
    if grammar.validate(tree):
        return []
    return messages.explain(
        tree, path, grammar.error_log, label, tei=False, grammar=expected, source=source
    )

"""RELAX NG against TEI P5 tei_all, with libxml2 (lxml), compiled once per process.

A document is first checked against the letter grammar derived from tei_all
(:mod:`~teitools.validate.letter_grammar`, kept in the disk cache): what it accepts, tei_all
accepts. Only a document it rejects is checked against tei_all itself, which is compiled the
first time that happens, so the verdict and the messages are always tei_all's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.resources import SCHEMAS
from teitools.validate import cache as disk_cache
from teitools.validate import letter_grammar
from teitools.validate.findings import Finding

TEI_ALL = (
    SCHEMAS / "tei_all.simplified.rng.gz"
)  # the same grammar as tei_all.rng, 5x faster to load


@cache
def compiled(schema: Path = TEI_ALL) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(schema), safexml.parser()))


def letter_grammar_text() -> bytes:
    """The letter grammar derived from tei_all, from the disk cache when it is there."""
    return disk_cache.derived(
        "letter-grammar", TEI_ALL, letter_grammar.RECIPE, lambda: letter_grammar.derive(TEI_ALL)
    )


@cache
def letters() -> etree.RelaxNG:
    """The letter grammar, compiled once per process."""
    return etree.RelaxNG(etree.fromstring(letter_grammar_text(), safexml.parser()))


def check(tree: etree._ElementTree, path: Path, schema: Path = TEI_ALL) -> list[Finding]:
    if schema == TEI_ALL and letters().validate(tree):
        return []
    grammar = compiled(schema)
    if grammar.validate(tree):
        return []
    return [
        Finding(str(path), e.line or 1, e.column or 1, "error", "relaxng", "tei_all", e.message)
        for e in grammar.error_log
        if "failed to validate content" not in e.message
    ] or [Finding(str(path), 1, 1, "error", "relaxng", "tei_all", "not valid against tei_all")]

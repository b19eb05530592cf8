"""Grammar errors explained, as jing says them or better.

libxml2 says little about why a document is invalid ("Element TEI has extra content: text",
at the parent's line). For a document found invalid, :func:`explain` walks it against the
grammar itself: the matcher (:mod:`~teitools.validate.matcher`) passes over the elements it
accepts, and each other one is walked by :mod:`~teitools.validate.expectations` (Brzozowski
derivatives over the element names and text of its content, the attributes by name and
value), which reports, for the first fault in each element, the element
and its parent, what the grammar allows at that point, its own line and column, and, for TEI
elements, a link to the element's page in the TEI Guidelines:

    element "castList" not allowed here in "front"; expected element "div", "head" or ...

Where the walk finds no fault (a constraint it does not model, such as an ID used twice),
libxml2's own messages are reported, with the element and its page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from lxml import etree

from teitools.namespaces import TEI_NS
from teitools.validate import matcher, xpaths
from teitools.validate.findings import Finding

GUIDELINES = "https://www.tei-c.org/release/doc/tei-p5-doc/en/html/ref-{}.html"
_NAME = re.compile(r"\{[^}]*\}")


@cache
def _tei_elements() -> frozenset[str]:
    """The names of every element TEI P5 defines (from the bundled tei_all)."""
    from teitools.validate import letter_grammar, relaxng

    root = letter_grammar.simplified_root(relaxng.TEI_ALL)
    rng = "{http://relaxng.org/ns/structure/1.0}element"
    return frozenset(e.get("name", "") for e in root.iter(rng) if e.get("ns") == TEI_NS)


def guidelines_url(element: etree._Element) -> str:
    """The element's page in the TEI Guidelines ("" for an element TEI does not define)."""
    if not isinstance(element.tag, str):
        return ""
    name = etree.QName(element)
    if name.namespace != TEI_NS or name.localname not in _tei_elements():
        return ""
    return GUIDELINES.format(name.localname)


def _libxml2(
    tree: etree._ElementTree, path: Path, log: etree._ListErrorLog, label: str
) -> list[Finding]:
    found = []
    for entry in log:
        if "failed to validate content" in entry.message:
            continue
        element = None
        if entry.path:
            try:
                nodes = tree.xpath(entry.path)
                element = nodes[0] if nodes and isinstance(nodes[0], etree._Element) else None
            except etree.XPathError:
                element = None
        message = _NAME.sub("", entry.message)
        url = guidelines_url(element) if element is not None else ""
        if element is not None and element.getparent() is not None:
            parent = etree.QName(element.getparent()).localname
            message += f' (in "{parent}")'
        found.append(
            Finding(
                str(path),
                entry.line or 1,
                max(entry.column, 1),
                "error",
                "relaxng",
                label,
                message,
                entry.path or "",
                url,
            )
        )
    return found or [
        Finding(str(path), 1, 1, "error", "relaxng", label, f"not valid against {label}")
    ]


_START = re.compile(r"<(?![/!?])")


class _Columns:
    """Where elements start on their lines, read from the document's text: each line's
    starts, and each element's place among the elements starting on its line, worked out
    once (for the lines asked about), so that many faults on one line cost linear time."""

    def __init__(self, tree: etree._ElementTree, source: bytes | None, lines: set[int]) -> None:
        self.tree, self.lines, self.wanted = tree, None, lines
        if source is not None:
            encoding = tree.docinfo.encoding or "utf-8"
            try:
                self.lines = source.decode(encoding).split("\n")
            except (LookupError, UnicodeDecodeError):
                self.lines = None
        self.places: dict[etree._Element, int] | None = None
        self.starts: dict[int, list[int]] = {}

    def __call__(self, element: etree._Element) -> int:
        line = element.sourceline
        if self.lines is None or line is None or not 0 < line <= len(self.lines):
            return 1
        if self.places is None:
            self.places, counts = {}, dict.fromkeys(self.wanted, 0)
            for node in self.tree.getroot().iter(etree.Element):
                if node.sourceline in counts:
                    self.places[node] = counts[node.sourceline]
                    counts[node.sourceline] += 1
        position = self.places.get(element, 0)
        starts = self.starts.get(line)
        if starts is None:
            starts = self.starts[line] = [m.start() for m in _START.finditer(self.lines[line - 1])]
        return starts[position] + 1 if position < len(starts) else 1


def explain(
    tree: etree._ElementTree,
    path: Path,
    label: str,
    *,
    tei: bool,
    full: Callable[[], etree.RelaxNG],
    grammar: matcher.Matcher | None = None,
    source: bytes | None = None,
) -> list[Finding]:
    """Findings for a document found invalid; ``source``, the document's bytes, gives the
    columns; ``full`` gives the whole grammar compiled by libxml2, for its own messages (and
    verdict) when the walk finds no fault."""
    if grammar is None and tei:
        grammar = matcher.tei_all()
    faults = grammar.faults(tree) if grammar is not None else []
    if not faults:
        whole = full()
        if whole.validate(tree):
            return []
        return _libxml2(tree, path, whole.error_log, label)
    lines = {fault.element.sourceline for fault in faults if fault.element.sourceline}
    column, where = _Columns(tree, source, lines), xpaths.Paths()
    return [
        Finding(
            str(path),
            fault.line,
            column(fault.element),
            "error",
            "relaxng",
            label,
            fault.message,
            where(fault.element),
            guidelines_url(fault.element),
        )
        for fault in faults
    ]

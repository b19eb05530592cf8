"""The lossless property: the source-side reading of a TEI ``<text>`` is the source text.

Used by the tests; kept apart so the property is stated once.
"""

from __future__ import annotations

import re

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
EDITORIAL = {f"{TEI}reg", f"{TEI}corr", f"{TEI}note", f"{TEI}teiHeader"}


def source_reading(root: etree._Element) -> str:
    """Text of ``<text>`` choosing sic/orig over corr/reg, without editorial notes."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        if element.tag not in EDITORIAL:
            parts.append(element.text or "")
            for child in element:
                walk(child)
        parts.append(element.tail or "")

    text = root.find(f"{TEI}text")
    assert text is not None
    parts.append(text.text or "")
    for child in text:
        walk(child)
    return "".join(parts)


def dropped_artifacts(root: etree._Element) -> list[tuple[int, int, str]]:
    """The Markdown artifacts the document declares it dropped: (line, column, characters)."""
    decl = root.find(f".//{TEI}editorialDecl/{TEI}normalization")
    text = "".join(decl.itertext()) if decl is not None else ""
    found = re.findall(r"line (\d+), col (\d+): '([^']+)'", text)
    return [(int(line), int(col), chars) for line, col, chars in found]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected_reading(source: str, artifacts: list[tuple[int, int, str]]) -> str:
    """The source without whitespace and without the declared artifacts, at their columns."""
    lines = source.split("\n")
    for number, column, chars in sorted(artifacts, reverse=True):
        line = lines[number - 1]
        start = column - 1
        assert line[start : start + len(chars)] == chars, f"no {chars!r} at {number}:{column}"
        lines[number - 1] = line[:start] + line[start + len(chars) :]
    return squeeze("\n".join(lines))

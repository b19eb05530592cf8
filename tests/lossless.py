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


def dropped_artifacts(root: etree._Element) -> list[tuple[int, str]]:
    """The Markdown artifacts the document declares it dropped: (line, characters)."""
    decl = root.find(f".//{TEI}editorialDecl/{TEI}normalization")
    text = "".join(decl.itertext()) if decl is not None else ""
    return [(int(n), chars) for n, chars in re.findall(r"line (\d+): '([^']+)'", text)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected_reading(source: str, artifacts: list[tuple[int, str]]) -> str:
    """The source without whitespace and without the declared artifacts.

    An artifact is removed where the reader found it: at the start of its line (a heading
    marker, an opening asterisk), else at the end (a closing asterisk).
    """
    lines = source.split("\n")
    for number, chars in artifacts:
        line = lines[number - 1]
        at_start = line.lstrip().startswith(chars)
        index = line.find(chars) if at_start else line.rfind(chars)
        assert index >= 0, f"declared artifact {chars!r} not on line {number}"
        lines[number - 1] = line[:index] + line[index + len(chars) :]
    return squeeze("\n".join(lines))

"""Long letters of many small pieces: the writer and the reader stay linear.

Before, the writer counted a paragraph's children for every piece it appended (``len()``
on an lxml element walks them): 100,000 two-word lines took 590 s, a paragraph with 20,000
page breaks 946 s. Speed is measured in ``bench/convert_linear.py``; these tests only make
sure such letters finish, and lose nothing, inside a bound a hundred times what they need.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from teitools.convert import convert_file
from teitools.model import (
    Hyphenation,
    Inline,
    Letter,
    LineBreak,
    PageBreak,
    Paragraph,
    Source,
    Text,
)
from teitools.tei.writer import to_tei
from teitools.timelimit import time_limit

from lossless import dropped_artifacts, expected_reading, source_reading, squeeze

TEI = "{http://www.tei-c.org/ns/1.0}"


def test_a_hundred_thousand_two_word_lines_convert_and_lose_nothing(tmp_path: Path) -> None:
    text = "Dear Sir,\n\n" + "\n".join(f"word{i % 97} text" for i in range(100_000)) + "\n"
    path = tmp_path / "lines.txt"
    path.write_text(text)
    result = convert_file(path)  # under the converter's own time limit for one file
    assert result.error is None, result.error
    root = etree.fromstring(result.documents[0].xml)
    assert len(root.findall(f".//{TEI}body//{TEI}lb")) == 100_000 - 1
    assert squeeze(source_reading(root)) == expected_reading(text, dropped_artifacts(root))


def one_paragraph(pieces: list[Inline]) -> bytes:
    letter = Letter(Source("long.txt", "0" * 64, "utf-8", 1, 1), body=[Paragraph(pieces)])
    with time_limit(60):  # each takes about a second; before, many minutes
        return to_tei(letter)


def test_the_writer_is_linear_in_hyphenated_line_ends() -> None:
    pieces: list[Inline] = []
    for i in range(50_000):
        pieces += [Text("the situation is "), Hyphenation("sub", "stantially", i % 2 == 0)]
        pieces += [Text(" better and"), LineBreak()]
    root = etree.fromstring(one_paragraph(pieces))
    assert len(root.findall(f".//{TEI}p/{TEI}choice")) == 25_000
    assert len(root.findall(f".//{TEI}p/{TEI}lb[@break='no']")) == 25_000


def test_the_writer_is_linear_in_page_breaks() -> None:
    pieces: list[Inline] = []
    for n in range(1, 20_001):
        pieces += [Text("we shall continue the talks"), PageBreak(n), Text("in the spirit of")]
    root = etree.fromstring(one_paragraph(pieces))
    assert [pb.get("n") for pb in root.iter(f"{TEI}pb")][-1] == "20000"

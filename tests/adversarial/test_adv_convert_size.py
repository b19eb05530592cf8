"""Long letters of many small pieces, files of many letters: writer and reader stay linear.

Before, the writer counted a paragraph's children for every piece it appended (``len()``
on an lxml element walks them): 100,000 two-word lines took 590 s, a paragraph with 20,000
page breaks 946 s. Speed is measured in ``bench/convert_linear.py``; these tests only make
sure such letters finish, and lose nothing, inside a bound a hundred times what they need.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from teitools.convert import convert_file
from teitools.model import (
    DateValue,
    Hyphenation,
    Inline,
    Letter,
    LineBreak,
    Metadata,
    PageBreak,
    Paragraph,
    Source,
    Text,
)
from teitools.reader.metadata import _exact, _shingles, _span, body_text, share_dates
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


def test_thousands_of_letters_in_one_file_each_keep_their_own_artifacts(tmp_path: Path) -> None:
    """Before: every letter searched every dropped artifact of the file (quadratic: 2,000
    letters took 12 s of CPU time, 5 MB of letters far past the limit for one file)."""
    letters = [
        f"## SECRET\n\nDear Mr. President:\n\nThank you for letter {n}.\n\nSincerely,\n\nM. G.\n"
        for n in range(3000)
    ]
    path = tmp_path / "many.txt"
    path.write_text("\n".join(letters))
    result = convert_file(path)
    assert result.error is None and len(result.documents) == 3000
    for number in (0, 1499, 2999):
        root = etree.fromstring(result.documents[number].xml)
        line = 1 + number * 10  # each letter takes ten lines
        assert dropped_artifacts(root) == [(line, 1, "##")]


WORDS = st.sampled_from("we shall continue the talks in spirit of geneva peace arms".split())


def pairwise_share_dates(letters: list[Letter]) -> None:
    """The oracle: share_dates as first written, comparing every pair of letters."""
    shingles = [_shingles(body_text(letter)) for letter in letters]
    for i, letter in enumerate(letters):
        meta = letter.metadata
        if meta.date is not None and meta.date.when and not meta.date.when.startswith("--"):
            continue
        span = _span(meta.date) or (date.min, date.max)
        for j, other in enumerate(letters):
            value = other.metadata.date
            if i == j or value is None or not _exact(value):
                continue
            day = date.fromisoformat(value.when or "")
            shared = len(shingles[i] & shingles[j])
            if shared / max(1, min(len(shingles[i]), len(shingles[j]))) < 0.5:
                continue
            if span[0] <= day <= span[1]:
                meta.date = DateValue(when=value.when)
                break


DATES = st.sampled_from(
    [
        None,
        DateValue("1985-03-24"),
        DateValue("1985-11-21"),
        DateValue("--03-24"),
        DateValue(not_before="1985-01-01", not_after="1985-06-30"),
        DateValue("1986-01-02"),
    ]
)


BASES = [
    "we shall continue the talks in the spirit of geneva",
    "the talks in geneva gave peace a chance and arms control",
    "arms control needs peace and the spirit of the talks",
]
VERSIONS = st.tuples(st.sampled_from(BASES), st.lists(WORDS, max_size=6), st.booleans(), DATES)


@settings(max_examples=150, deadline=None)
@given(st.lists(VERSIONS, min_size=2, max_size=12))
def test_versions_share_dates_as_comparing_every_pair_would(
    drafts: list[tuple[str, list[str], bool, DateValue | None]],
) -> None:
    """share_dates now compares a letter only with the letters that can share half its
    triples (linear in practice); it must choose exactly what comparing all pairs chose.
    The letters are versions of a few texts, words added before or after."""

    def letters() -> list[Letter]:
        return [
            Letter(
                Source("f.txt", "0" * 64, "utf-8", 1, 1, k + 1, len(drafts)),
                body=[Paragraph([Text(" ".join([base, *words] if after else [*words, base]))])],
                metadata=Metadata(date=value),
            )
            for k, (base, words, after, value) in enumerate(drafts)
        ]

    ours, oracle = letters(), letters()
    share_dates(ours)
    pairwise_share_dates(oracle)
    assert [x.metadata.date for x in ours] == [y.metadata.date for y in oracle]

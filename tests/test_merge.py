"""Corrections that survive: a TEI file an editor changed by hand is merged with a new
conversion three ways, element by element, against what teitools wrote last; a conflict
leaves the editor's file as it is. The edits are an editor's: a corrected name, an added
note, a deleted paragraph, a changed date; the new conversions come of a register, a
catalogue and a rules file the edition gained since."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from teitools.fsio import edited_since_written
from teitools.tei.merge import equal_pairs, merge_documents
from teitools.update import record_of

from conftest import TEI_NS
from test_convert_archives import FAMILY

LOUVRE = "- id: louvre\n  name: Louvre\n  kind: museum\n  wikidata: Q19675\n  forms: [Louvre]\n"


def teitools(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "teitools", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def xp(data: bytes, query: str) -> list:
    return etree.fromstring(data).xpath(query, namespaces=TEI_NS)


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """An edition of one letter, converted once, with no register and no catalogue."""
    teitools("init", "ed", cwd=tmp_path)
    folder = tmp_path / "ed"
    (folder / "letters" / "arthur-1893.txt").write_text(FAMILY, encoding="utf-8")
    teitools("convert", cwd=folder)
    return folder


def edit(path: Path, *changes: tuple[str, str]) -> bytes:
    """Change the file as an editor does, in a text editor: each text replaced once."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text.encode("utf-8")


CORRECTED_NAME = (
    '<persName cert="medium" resp="#Larthur-1893.teitools">Arthur</persName>',
    '<persName cert="high">Arthur Henry Hallam</persName>',
)
ADDED_NOTE = (
    "pictures you love.</p>",
    'pictures you love.</p>\n        <note type="editorial">The Louvre: the Salon Carré.</note>',
)
DELETED_PARAGRAPH = ("        <p>Give my love to Father and the girls.</p>\n", "")
CHANGED_DATE = (
    '<date when="1893-03-03" cert="high" resp="#Larthur-1893.teitools"/>',
    '<date when="1893-03-04" cert="high"/>',
)


def test_a_new_conversion_reaches_an_edited_letter_and_every_edit_stays(edition: Path) -> None:
    letter = edition / "encoded" / "arthur-1893.xml"
    edit(letter, CORRECTED_NAME, ADDED_NOTE, DELETED_PARAGRAPH, CHANGED_DATE)
    # the edition gains a register entry and a catalogue fact: the converter now does more
    (edition / "registers" / "places.yaml").write_text(LOUVRE, encoding="utf-8")
    (edition / "catalogue.csv").write_text("file,repository\narthur-1893.txt,Hallam Papers\n")

    done = teitools("convert", cwd=edition)
    assert "encoded/arthur-1893.xml: merged: " in done.stdout
    assert "(0 written, 0 unchanged, 1 merged; register in register.xml)" in done.stdout
    merged = letter.read_bytes()
    sent = "//t:correspAction[@type='sent']"
    # the editor's four changes
    assert xp(merged, f"{sent}/t:persName/text()") == ["Arthur Henry Hallam"]
    assert xp(merged, f"{sent}/t:date/@when") == ["1893-03-04"]
    assert xp(merged, "//t:body//t:note/text()") == ["The Louvre: the Salon Carré."]
    assert b"Give my love to Father" not in merged
    # the new conversion's: the Louvre tagged from the register, the catalogue's repository
    assert xp(merged, "//t:body//t:p[1]/t:placeName[@ref]/text()") == ["Louvre"]
    assert xp(merged, "//t:msIdentifier/t:repository/text()") == ["Hallam Papers"]
    assert b"<?xml-model " in merged.split(b"<TEI", 1)[0]  # the editor's prolog
    assert edited_since_written(merged) is not None  # still the editor's file
    assert record_of(letter).read_bytes() != merged
    assert xp(record_of(letter).read_bytes(), "//t:body//t:placeName/text()") == ["Louvre"]

    again = teitools("convert", cwd=edition)
    assert "arthur-1893.xml: kept (edited): nothing new from the conversion" in again.stdout
    assert letter.read_bytes() == merged


def test_both_changing_one_element_is_a_conflict_that_leaves_the_file_alone(
    edition: Path,
) -> None:
    letter = edition / "encoded" / "arthur-1893.xml"
    edited = edit(letter, CHANGED_DATE, ADDED_NOTE)
    (edition / "catalogue.csv").write_text("file,date\narthur-1893.txt,1893-03-05\n")
    done = subprocess.run(
        [sys.executable, "-m", "teitools", "convert"], capture_output=True, text=True, cwd=edition
    )
    assert done.returncode == 0
    done.stderr = "\n".join(line for line in done.stderr.splitlines() if "no addressee" not in line)
    where = "/TEI/teiHeader[1]/profileDesc[1]/correspDesc[1]/correspAction[1]/date[1]/@resp"
    assert done.stderr.splitlines() == [
        f"teitools: warning: encoded/arthur-1893.xml: kept (edited), not merged: {where}: "
        "changed by the editor and by the new conversion"
    ]
    assert "    +        <title>Letter from Arthur, 5 March 1893</title>" in done.stdout
    assert "1 kept (edited) with a conflict" in done.stdout
    assert letter.read_bytes() == edited


def test_a_paragraph_the_editor_deleted_and_the_conversion_changed_is_a_conflict(
    edition: Path,
) -> None:
    letter = edition / "encoded" / "arthur-1893.xml"
    paragraph = re.search(r"        <p>We arrived.*?</p>\n", letter.read_text(), re.S)
    assert paragraph is not None
    edited = edit(letter, (paragraph.group(), ""))
    (edition / "registers" / "places.yaml").write_text(LOUVRE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "teitools", "convert"], capture_output=True, text=True, cwd=edition
    )
    assert done.returncode == 0
    assert "div[1]/p[1]: deleted by the editor and changed by the new conversion" in done.stderr
    assert letter.read_bytes() == edited


def test_with_no_merge_an_edited_letter_is_kept_and_the_change_shown(edition: Path) -> None:
    letter = edition / "encoded" / "arthur-1893.xml"
    edited = edit(letter, ADDED_NOTE)
    (edition / "registers" / "places.yaml").write_text(LOUVRE, encoding="utf-8")
    done = teitools("convert", "--no-merge", cwd=edition)
    assert "arthur-1893.xml: kept (edited): not merged (--no-merge)" in done.stdout
    assert "    +<lb/>Aunt Mary found for us are light and clean. I went to the <placeName " in (
        done.stdout
    )
    assert letter.read_bytes() == edited
    teitools("convert", "--force", cwd=edition)
    assert b"Salon Carr" not in letter.read_bytes()
    assert edited_since_written(letter.read_bytes()) is None


def test_reindenting_a_file_is_no_change(edition: Path) -> None:
    letter = edition / "encoded" / "arthur-1893.xml"
    data = letter.read_bytes()
    letter.write_bytes(re.sub(rb"\n( +)<", lambda m: b"\n" + m.group(1) * 2 + b"<", data))
    (edition / "registers" / "places.yaml").write_text(LOUVRE, encoding="utf-8")
    done = teitools("convert", cwd=edition)
    assert "arthur-1893.xml: merged:" in done.stdout
    assert xp(letter.read_bytes(), "//t:body//t:placeName/text()") == ["Louvre"]


def test_changes_are_taken_only_where_the_editor_left_the_element() -> None:
    base = b'<r><a n="1">x</a><b>y</b><c>z <i>w</i> v</c></r>'
    mine = b'<r><a n="1">x</a><b>y, edited</b><c>z <i>w</i> v</c><d/></r>'
    theirs = b'<r><a n="2">x</a><b>y</b><c>z <i>w!</i> v</c></r>'
    merged = merge_documents(base, mine, theirs)
    # what follows the root is the editor's, byte for byte: here nothing, not even a newline
    assert merged.data == b'<r><a n="2">x</a><b>y, edited</b><c>z <i>w!</i> v</c><d/></r>'
    assert merged.taken == 2 and not merged.conflicts
    both = merge_documents(base, mine, b'<r><a n="1">x</a><b>y, theirs</b><c>z <i>w</i> v</c></r>')
    assert both.data is None and both.conflicts == [
        "/r/b[1]/text(): changed by the editor and by the new conversion"
    ]


@given(st.lists(st.integers(0, 6), max_size=300), st.lists(st.integers(0, 6), max_size=300))
def test_children_are_paired_only_with_equal_ones_in_order(xs: list[int], ys: list[int]) -> None:
    pairs = equal_pairs(xs, ys)
    assert all(xs[i] == ys[j] for i, j in pairs)
    assert all(a < c and b < d for (a, b), (c, d) in itertools.pairwise(pairs))


def test_paragraphs_are_paired_around_the_edits_of_both_sides() -> None:
    base = list(range(10_000))  # ten thousand different paragraphs
    mine = [*base[:10], *base[11:5000], -1, *base[5000:]]  # one deleted, one added
    theirs = [n if n % 5 else -n - 2 for n in base]  # every fifth changed
    assert len(equal_pairs(base, mine)) == 9_999
    assert len(equal_pairs(base, theirs)) == 8_000
    runs = [1, 2] * 100  # no child once in each: nothing to anchor on
    assert equal_pairs([1, 1] * 100, runs) == [(0, 0)]

"""Hostile catalogues (issue 11, item 11): every malformed value is one line naming the
catalogue, the row and the column; the letter its row names is not converted, the others
are; dates are checked against the calendar; a catalogue is read within a size limit, and
never from a device or a pipe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from teitools.catalogue import load_catalogue

from adv_convert_support import assert_promises, convert_here, convert_in_child, write_letters


@pytest.fixture
def letters(tmp_path: Path) -> list[Path]:
    return write_letters(tmp_path, "a", "b")


# (catalogue text, the error after "row 2: " or "entry 1: "); each row names a.txt
CSV_ROWS = {
    "month 13 (an IndexError traceback that aborted the batch)": (
        "file,date\na.txt,1985-13-45\n",
        "date '1985-13-45': there is no month 13",
    ),
    "30 February (accepted; then 'would not make valid TEI (a defect)')": (
        "file,date\na.txt,1985-02-30\n",
        "date '1985-02-30': February has no day 30",
    ),
    "month 0 (accepted, labelled '10 December 1985')": (
        "file,date\na.txt,1985-00-10\n",
        "date '1985-00-10': there is no month 0",
    ),
    "29 February of a year that is not leap": (
        "file,not_before\na.txt,1900-02-29\n",
        "not_before '1900-02-29': February has no day 29",
    ),
    "a range that ends before it begins (accepted)": (
        "file,not_before,not_after\na.txt,1985-06-01,1985-02-01\n",
        "not_before 1985-06-01 is after not_after 1985-02-01",
    ),
    "a control character in a name (lxml ValueError traceback)": (
        "file,sender\na.txt,Ronald\x01Reagan\n",
        "sender holds a control character (U+0001)",
    ),
    "a NUL in a name (lxml ValueError traceback)": (
        "file,place_sent\na.txt,Wash\x00ington\n",
        "place_sent holds a control character (U+0000)",
    ),
    "a language that is no language code ('would not make valid TEI (a defect)')": (
        "file,language\na.txt,en us\n",
        "language 'en us' is not a language code (en, de, fr-CH)",
    ),
    "a letter number in superscript digits (int() ValueError traceback)": (
        "file,letter\na.txt,\u00b2\n",
        "letter must be a number from 1, not '\u00b2'",
    ),
    "more cells than columns (the whole catalogue refused)": (
        "file,date\na.txt,1985-01-01,x\n",
        "more cells than columns",
    ),
}
YAML_ENTRIES = {
    "a mapping as a sender (became the name \"{'a': [1, 2]}\")": (
        "- file: a.txt\n  sender: {a: [1, 2]}\n",
        "sender must be one value, not a mapping",
    ),
    "a list as an addressee (became the name \"['x', 'y']\")": (
        "- file: a.txt\n  addressee: [x, y]\n",
        "addressee must be one value, not a list",
    ),
    "an impossible date YAML reads as a date (the whole catalogue refused, no row named)": (
        "- file: a.txt\n  date: 1985-02-30\n",
        "date '1985-02-30': February has no day 30",
    ),
    "'yes' read by YAML as true (refused as 'status must be sent, draft or copy')": (
        "- file: a.txt\n  status: yes\n",
        "status is true (quote yes, no, on and off)",
    ),
}


def _check(tmp_path: Path, letters: list[Path], catalogue: Path, where: str, error: str) -> None:
    out = tmp_path / "out"
    run = convert_here(*letters, "-o", out, "--catalogue", catalogue)
    assert_promises(run, [*letters, catalogue], out)
    assert run.code == 1
    assert run.errors == [f"teitools: error: {catalogue}:{where}: {error} (a.txt is not converted)"]
    assert not (out / "a.xml").exists()
    assert (out / "b.xml").exists()  # the rest of the batch


@pytest.mark.parametrize("case", CSV_ROWS, ids=list(CSV_ROWS))
def test_a_malformed_csv_value_fails_its_letter_in_one_line(
    tmp_path: Path, letters: list[Path], case: str
) -> None:
    text, error = CSV_ROWS[case]
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(text, encoding="utf-8")
    _check(tmp_path, letters, catalogue, "2: row 2", error)


@pytest.mark.parametrize("case", YAML_ENTRIES, ids=list(YAML_ENTRIES))
def test_a_malformed_yaml_value_fails_its_letter_in_one_line(
    tmp_path: Path, letters: list[Path], case: str
) -> None:
    text, error = YAML_ENTRIES[case]
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(text, encoding="utf-8")
    _check(tmp_path, letters, catalogue, "1: entry 1", error)


def test_every_malformed_row_is_reported_not_only_the_first(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(
        "- file: a.txt\n  date: 1985-02-03\n"  # a good row
        "- file: b.txt\n  date: 1985-13-01\n"
        "\n- file: c.txt\n  sender:\n    - x\n"  # entry 3 starts on line 6
        "- date: 1985-01-01\n",  # no file
        encoding="utf-8",
    )
    rows = load_catalogue(catalogue)
    assert rows[("a.txt", None)].values == {"date": "1985-02-03"}
    assert [str(error) for error in rows.errors()] == [
        f"{catalogue}:3: entry 2: date '1985-13-01': there is no month 13",
        f"{catalogue}:6: entry 3: sender must be one value, not a list",
        f"{catalogue}:9: entry 4: no file name",
    ]


def test_malformed_rows_for_letters_not_among_the_inputs_are_still_reported(
    tmp_path: Path, letters: list[Path]
) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text("file,date\nelsewhere.txt,1985-13-01\n,1985-01-01\n", encoding="utf-8")
    run = convert_here(*letters, "-o", tmp_path / "out", "--catalogue", catalogue)
    assert_promises(run, [*letters, catalogue], tmp_path / "out")
    assert run.errors == [
        f"teitools: error: {catalogue}:2: row 2: date '1985-13-01': there is no month 13",
        f"teitools: error: {catalogue}:3: row 3: no file name",
    ]
    assert (tmp_path / "out" / "a.xml").exists() and (tmp_path / "out" / "b.xml").exists()


def test_a_catalogue_saved_by_a_spreadsheet_with_a_byte_order_mark_is_read(
    tmp_path: Path, letters: list[Path]
) -> None:
    """Before: "row 1: unknown column '\\ufefffile'"."""
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_bytes("\ufefffile,date\na.txt,1985-02-03\n".encode())
    run = convert_here(*letters, "-o", tmp_path / "out", "--catalogue", catalogue)
    assert run.code == 0, run
    assert 'when="1985-02-03"' in (tmp_path / "out" / "a.xml").read_text()


def test_a_lists_column_may_be_a_yaml_list(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text("- file: a.txt\n  idno: [NLR-1, NLR-2]\n", encoding="utf-8")
    assert load_catalogue(catalogue)[("a.txt", None)].values == {"idno": "NLR-1; NLR-2"}


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("file,date,date\na.txt,1985-01-01,1985-01-02\n", "1: row 1: column 'date' twice"),
        ("file,sender\na.txt,x\nb.txt," + "y" * 200_000 + "\n", "3: row 3: field larger than"),
    ],
    ids=["a column twice (the second won)", "a cell over 131,072 characters (_csv.Error)"],
)
def test_a_catalogue_that_cannot_be_read_is_refused_in_one_line(
    tmp_path: Path, letters: list[Path], text: str, error: str
) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(text, encoding="utf-8")
    run = convert_here(*letters, "-o", tmp_path / "out", "--catalogue", catalogue)
    assert_promises(run, [*letters, catalogue], tmp_path / "out")
    assert run.code == 2 and len(run.errors) == 1
    assert run.errors[0].startswith(f"teitools: error: {catalogue}:{error}")


def test_a_catalogue_that_is_a_pipe_is_refused_without_waiting(
    tmp_path: Path, letters: list[Path]
) -> None:
    """Before: convert waited for a writer for ever."""
    catalogue = tmp_path / "catalogue.csv"
    os.mkfifo(catalogue)
    run = convert_here(*letters, "-o", tmp_path / "out", "--catalogue", catalogue)
    assert run.code == 2
    assert run.errors == [
        f"teitools: error: {catalogue}: cannot read catalogue: a pipe, not a file to read"
    ]


def test_a_catalogue_is_read_within_its_size_limit(tmp_path: Path, letters: list[Path]) -> None:
    """Before: ``--catalogue /dev/zero`` grew until the kernel killed it; a huge file was
    read whole. Now a device is refused unread, and so is a file over 64 MB (sparse here)."""
    # in a child that may not have 1 GB: were /dev/zero read, the test would fail, not hang
    run = convert_in_child(
        *letters, "-o", tmp_path / "out", "--catalogue", "/dev/zero", memory_mb=1024
    )
    assert run.errors == [
        "teitools: error: /dev/zero: cannot read catalogue: a character device, not a file to read"
    ]
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(1 << 30)
    run = convert_here(*letters, "-o", tmp_path / "out", "--catalogue", huge)
    assert run.code == 2
    assert run.errors == [
        f"teitools: error: {huge}: cannot read catalogue: 1024.0 MB is too large for a catalogue "
        "(limit 64.0 MB)"
    ]

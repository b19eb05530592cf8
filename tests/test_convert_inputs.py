"""Awkward input and an editor's work: bad files, encodings, overwrites, project rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from teitools.convert import convert_batch, convert_file, load_rules
from teitools.reader.decode import MAX_BYTES

from conftest import LETTERS, TEI_NS, jing_errors


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\n \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (bytes(range(1, 32)) * 50, "binary file"),
    ],
)
def test_unreadable_input_gives_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    result = convert_file(write(tmp_path / "bad.txt", content))
    assert result.error is not None and message in str(result.error)
    assert str(result.error).startswith(str(tmp_path / "bad.txt"))
    assert "\n" not in str(result.error)


def test_a_fifty_megabyte_file_is_refused_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write(b"Dear Sir,\n\n" + b"word " * (50 * 1024 * 1024 // 5))
    assert big.stat().st_size > MAX_BYTES
    result = convert_file(big)
    assert result.error is not None and "too large for a letter" in str(result.error)


def test_cp1252_input_is_read_and_the_assumption_reported(tmp_path: Path) -> None:
    text = "Dear Monsieur Dupré,\n\nThank you for the “report”.\n\nSincerely,\n\nJ. Smith\n"
    result = convert_file(write(tmp_path / "cp.txt", text.encode("cp1252")))
    assert result.error is None
    assert result.warnings == [f"{tmp_path / 'cp.txt'}: not valid UTF-8; read as cp1252"]
    assert "Dupré" in result.documents[0].xml.decode("utf-8")
    assert b"read as CP1252" in result.documents[0].xml


def test_text_without_letter_structure_gets_an_editorial_note(tmp_path: Path) -> None:
    result = convert_file(write(tmp_path / "notes.txt", "Some notes.\n\nMore notes here.\n"))
    assert result.error is None
    root = etree.fromstring(result.documents[0].xml)
    notes = root.xpath("//t:notesStmt/t:note[@type='editorial']/text()", namespaces=TEI_NS)
    assert any("No letter structure" in note for note in notes)
    (tmp_path / "notes.xml").write_bytes(result.documents[0].xml)
    assert jing_errors(tmp_path / "notes.xml") == []


def test_an_edited_tei_file_is_kept_and_replaced_only_with_force(tmp_path: Path) -> None:
    source = LETTERS / "004_2a302f09f3bdef71.txt"
    out = tmp_path / "out"
    assert not convert_batch([source], out, jobs=1).errors
    target = out / "004_2a302f09f3bdef71.xml"
    edited = target.read_bytes().replace(b"Dear President Brezhnev:", b"Dear President Brezhnev,")
    target.write_bytes(edited)

    report = convert_batch([source], out, jobs=1)
    assert not report.errors and not report.written
    assert [(o.path, o.status) for o in report.edited] == [(target, "kept")]
    assert "1 kept (edited)" in report.summary()
    assert target.read_bytes() == edited

    assert not convert_batch([source], out, jobs=1, force=True).errors
    assert b"Dear President Brezhnev:" in target.read_bytes()


def test_a_tei_file_teitools_did_not_write_is_kept_with_what_would_change(tmp_path: Path) -> None:
    target = write(tmp_path / "004_2a302f09f3bdef71.xml", "<TEI>mine</TEI>")
    report = convert_batch([LETTERS / "004_2a302f09f3bdef71.txt"], tmp_path, jobs=1)
    (outcome,) = report.edited
    assert outcome.status == "kept" and not report.errors
    assert "was not written by teitools" in outcome.line()
    assert "-<TEI>mine</TEI>" in outcome.diff
    assert len(outcome.diff) <= 13 and outcome.diff[-1].endswith("more lines")
    assert target.read_text() == "<TEI>mine</TEI>"


def test_unchanged_output_is_not_rewritten_and_no_temporary_files_remain(tmp_path: Path) -> None:
    convert_batch([LETTERS], tmp_path, jobs=1)
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    report = convert_batch([LETTERS], tmp_path, jobs=1)
    assert report.unchanged == 6 and not report.written  # six letters, no register
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == stamps
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    letters = [p.name for p in sorted(tmp_path.glob("*.xml"))]
    assert files == [".teitools", *(f".teitools/{n}.written" for n in letters), *letters]


def test_a_project_rules_file_adds_furniture_types(tmp_path: Path) -> None:
    rules_file = write(
        tmp_path / "rules.yaml",
        "furniture:\n  - type: registry\n    pattern: '^Registry No\\. \\d+$'\n",
    )
    letter = write(
        tmp_path / "l.txt",
        "Registry No. 4711\n\nDear Sir,\n\nThe matter is settled.\n\nYours truly,\n\nA. B.\n",
    )
    plain = convert_file(letter)
    extended = convert_file(letter, load_rules([rules_file]))
    assert b'<fw type="registry">Registry No. 4711</fw>' in extended.documents[0].xml
    assert b'type="registry"' not in plain.documents[0].xml

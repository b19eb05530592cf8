"""An editor's work in a TEI file teitools wrote is never overwritten without --force (issue
11, item 1): the checksum covers the whole file but its own line, so an edit anywhere (above
the checksum line, in it, below it, in whitespace only) is seen, and the new conversion is
merged into the edited file or the file kept (issue 15). What stands where a TEI file would
go and is not one (a link, a pipe) is not replaced either."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from teitools.fsio import add_checksum, edited_since_written

from adv_convert_support import GOOD_LETTER, assert_promises, convert_here

Edit = Callable[[bytes], bytes]
PI = re.compile(rb'<\?teitools-checksum sha256="([0-9a-f]{64})"\?>\n')


def _above(line: bytes) -> Edit:
    """Insert ``line`` between the XML declaration and the checksum line."""
    return lambda data: data.replace(b"?>\n", b"?>\n" + line, 1)


def _after_checksum(line: bytes) -> Edit:
    return lambda data: PI.sub(lambda m: m.group() + line, data, count=1)


NO_CHECKSUM = "the checksum line removed"
EDITS: dict[str, Edit] = {
    "a comment above the checksum line": _above(b"<!-- checked against the original -->\n"),
    "an xml-model line above it, as XML editors add": _above(
        b'<?xml-model href="project.rng" type="application/xml"'
        b' schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    ),
    "a changed XML declaration": lambda data: data.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0" encoding="utf-8"?>', 1
    ),
    "a blank line above the checksum line": _above(b"\n"),
    "a digit of the checksum changed": lambda data: PI.sub(
        lambda m: m.group().replace(m.group(1)[:1], b"0" if m.group(1)[:1] != b"0" else b"1", 1),
        data,
        count=1,
    ),
    "the line break after the checksum removed": lambda data: PI.sub(
        lambda m: m.group()[:-1], data, count=1
    ),
    NO_CHECKSUM: lambda data: PI.sub(b"", data, count=1),
    "a comment between the checksum and the xml-model lines": _after_checksum(b"<!-- x -->\n"),
    "a word in the letter": lambda data: data.replace(b"with care", b"with great care", 1),
    "a space at the end of the file": lambda data: data + b" ",
    "a blank line between the xml-model lines": lambda data: data.replace(
        b"?>\n<?xml-model", b"?>\n\n<?xml-model", 2
    ),
}


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(GOOD_LETTER)
    return path


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_an_edit_anywhere_is_never_overwritten(tmp_path: Path, letter: Path, edit: str) -> None:
    """Before: an edit above the checksum line (or in the XML declaration, or a blank line
    there) was overwritten by the next convert, exit 0, "1 written". Now every edit is kept:
    the new conversion is merged into the file, or (where it changed the words the editor
    changed) the file is left as it is."""
    out = tmp_path / "out"
    assert convert_here(letter, "-o", out).code == 0
    target = out / "a.xml"
    original = target.read_bytes()
    edited = EDITS[edit](original)
    assert edited != original, "the edit must change the file"
    target.write_bytes(edited)
    letter.write_text(GOOD_LETTER.replace("with care", "with care and interest"))
    run = convert_here(letter, "-o", out)  # would write a new letter over the edited one
    assert_promises(run, [letter], out)
    assert run.code == 0 and run.errors == []
    after = target.read_bytes()
    if edit == "a word in the letter":  # the new conversion changed the same words
        assert f"{target}: kept (edited), not merged: " in run.stderr
        assert after == edited
    else:
        assert f"{target}: merged: " in run.stdout
        assert b"with care and interest" in after
    assert edited_since_written(after) is not None  # still the editor's file
    lines, old_lines = set(after.splitlines()), set(original.splitlines())
    assert set(edited.splitlines()) - old_lines <= lines  # what the editor added is there
    assert not (old_lines - set(edited.splitlines())) & lines  # what they removed is not
    assert convert_here(letter, "-o", out, "--force").code == 0
    assert target.read_bytes() != edited


def test_an_unedited_file_is_left_as_it_is(tmp_path: Path, letter: Path) -> None:
    out = tmp_path / "out"
    assert convert_here(letter, "-o", out).code == 0
    before = (out / "a.xml").read_bytes()
    run = convert_here(letter, "-o", out)
    assert run.code == 0 and "0 written, 1 unchanged" in run.stdout
    assert (out / "a.xml").read_bytes() == before


def _old_scheme(data: bytes) -> bytes:
    """``data`` as teitools wrote it before the checksum covered the whole file: the digest
    of what follows the checksum line only."""
    match = PI.search(data)
    assert match is not None
    rest = data[match.end() :]
    line = b'<?teitools-checksum sha256="' + hashlib.sha256(rest).hexdigest().encode() + b'"?>\n'
    return data[: match.start()] + line + rest


def test_files_written_under_the_old_checksum_are_still_recognised(
    tmp_path: Path, letter: Path
) -> None:
    out = tmp_path / "out"
    assert convert_here(letter, "-o", out).code == 0
    target = out / "a.xml"
    old = _old_scheme(target.read_bytes())
    assert edited_since_written(old) is None
    target.write_bytes(old)
    run = convert_here(letter, "-o", out)
    assert run.code == 0 and run.errors == []
    # an old file edited above its checksum line: its old digest still matches, but what
    # precedes the line is no longer what teitools wrote there
    edited = _above(b"<!-- mine -->\n")(old)
    assert edited_since_written(edited) == "was edited since teitools wrote it"
    target.write_bytes(edited)
    run = convert_here(letter, "-o", out)
    assert run.code == 0 and f"{target}: kept (edited): nothing new" in run.stdout
    assert target.read_bytes() == edited


def test_the_checksum_is_of_the_whole_file_but_its_own_line() -> None:
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI/>\n'
    written = add_checksum(xml)
    match = PI.search(written)
    assert match is not None
    assert match.group(1) == hashlib.sha256(xml).hexdigest().encode()
    assert edited_since_written(written) is None


def test_a_link_where_a_tei_file_would_go_is_not_followed_or_replaced(
    tmp_path: Path, letter: Path
) -> None:
    """Before: the file the link led to was read, and being a file teitools wrote, the link
    was replaced by the new letter without --force."""
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.xml"
    other = add_checksum(b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI/>\n')
    elsewhere.write_bytes(other)  # a file teitools wrote, nobody edited
    (out / "a.xml").symlink_to(elsewhere)
    run = convert_here(letter, "-o", out)
    assert_promises(run, [letter], out)
    assert run.errors == [
        f"teitools: error: {out / 'a.xml'}: not overwritten: it is a link to {elsewhere}; "
        "use --force to replace it"
    ]
    assert (out / "a.xml").is_symlink()
    forced = convert_here(letter, "-o", out, "--force")
    assert forced.code == 0
    assert not (out / "a.xml").is_symlink()  # the link is replaced, not what it led to
    assert elsewhere.read_bytes() == other


def test_a_pipe_where_a_tei_file_would_go_is_refused_without_waiting(
    tmp_path: Path, letter: Path
) -> None:
    """Before: the pipe was opened to compare its bytes, and convert waited for ever."""
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "a.xml")
    run = convert_here(letter, "-o", out)
    assert_promises(run, [letter], out)
    assert run.errors == [
        f"teitools: error: {out / 'a.xml'}: not overwritten: a pipe, not a file to read; "
        "use --force to replace it"
    ]

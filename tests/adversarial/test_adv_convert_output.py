"""Hostile output folders for convert: a full disk, a read-only folder, the leftovers of a
killed run. Errors name the file the user asked for; counts are right; teitools removes
its own stale temporary files and nothing else."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from teitools import fsio
from teitools.errors import OutputError
from teitools.fsio import remove_stale_temporaries, write_atomic

from adv_convert_support import assert_promises, convert_here, write_letters


@pytest.fixture
def letters(tmp_path: Path) -> list[Path]:
    return write_letters(tmp_path, "a", "b")


@contextlib.contextmanager
def tmpfs(folder: Path, *options: str) -> Iterator[Path]:
    """A small file system of its own at ``folder`` (root only; the test is skipped if the
    machine refuses the mount)."""
    folder.mkdir()
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mount.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_names_the_file_that_could_not_be_written(
    tmp_path: Path, letters: list[Path]
) -> None:
    """Before: "teitools: error: No space left on device", naming no file."""
    probe = tmp_path / "probe"
    assert convert_here(letters[0], "-o", probe).code == 0
    pages = -(-(probe / "a.xml").stat().st_size // 4096)
    # room for one letter and its record (.teitools/a.xml.written), not for the next letter
    with tmpfs(tmp_path / "full", f"size={(3 * pages - 1) * 4}k") as out:
        run = convert_here(*letters, "-o", out)
        leftovers = [p.name for p in out.iterdir()]
    assert_promises(run, letters, out)
    assert f"teitools: error: {out / 'b.xml'}: cannot write: No space left on device" in run.errors
    assert "converted 1 of 2 files" in run.stdout and "1 failed" in run.stdout
    assert not [name for name in leftovers if name.endswith(".tmp")]


def test_a_full_disk_met_by_any_write_names_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fsio.os, "fsync", full)
    with pytest.raises(OutputError) as refused:
        write_atomic(tmp_path / "a.xml", b"<TEI/>")
    assert str(refused.value) == f"{tmp_path / 'a.xml'}: cannot write: No space left on device"
    assert list(tmp_path.iterdir()) == []  # the temporary file is gone


def test_a_read_only_folder_names_each_letter_and_counts_them_failed(
    tmp_path: Path, letters: list[Path]
) -> None:
    """Before: "converted -1 of 2 files", and errors naming `.a.xml.….tmp`."""
    out = tmp_path / "ro"
    if os.geteuid() == 0:  # root writes where it likes: only a read-only mount stops it
        with tmpfs(out, "size=1m"):
            subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
            run = convert_here(*letters, "-o", out)
    else:
        out.mkdir(mode=0o555)
        run = convert_here(*letters, "-o", out)
    assert_promises(run, letters, out)
    assert run.code == 1
    reason = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
    assert run.errors == [
        f"teitools: error: {out / name}: cannot write: {reason}"
        for name in ("a.xml", "b.xml", "register.xml")
    ]
    assert "converted 0 of 2 files" in run.stdout and "2 failed" in run.stdout


def age(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)
    return path


def test_the_temporary_file_of_a_killed_run_is_removed_by_the_next(
    tmp_path: Path, letters: list[Path]
) -> None:
    """Before: a `.tmp` left by a killed run stayed for ever."""
    out = tmp_path / "out"
    killed = (  # dies between writing the temporary file and moving it into place
        "import os, sys; from teitools import fsio; from teitools.cli import main;"
        "fsio.os.replace = lambda *a: os._exit(9); main(sys.argv[1:])"
    )
    # the schema cache is written with os.replace too: filled first, so that the run dies
    # at its first letter's rename, whatever ran before in this session
    assert convert_here(letters[1], "-o", tmp_path / "warm").code == 0
    subprocess.run(
        [sys.executable, "-c", killed, "convert", str(letters[0]), "-o", str(out)], check=False
    )
    # the letter's, the register's and their records': a batch's files are all written
    # before the first takes its name
    leftovers = sorted(p for p in out.rglob("*") if p.is_file())
    assert [p.relative_to(out).as_posix().split(".teitools-")[0] for p in leftovers] == [
        ".a.xml",
        ".register.xml",
        ".teitools/.a.xml.written",
        ".teitools/.register.xml.written",
    ]
    assert all(p.name.endswith(".tmp") for p in leftovers)
    for leftover in leftovers:
        age(leftover, 3600)
    run = convert_here(letters[0], "-o", out)
    assert run.code == 0
    assert sorted(p.name for p in out.iterdir()) == [".teitools", "a.xml", "register.xml"]
    assert not list(out.rglob("*.tmp"))


def test_only_teitools_own_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (tmp_path / "precious.txt").write_text("the user's")
    ours = [".a.xml.teitools-k2j4h6g8.tmp", ".b.xml.ab12cd_3.tmp"]  # the second: older naming
    kept = [
        "notes.tmp",
        ".notes.tmp",
        ".a.xml.teitools-k2j4h6g8.tmp.bak",
        ".a.xml.teitools-short.tmp",
        "a.xml.teitools-k2j4h6g8.tmp",
        ".a.txt.ab12cd_3.tmp",
    ]
    for name in ours + kept:
        (folder / name).write_text("x")
        age(folder / name, 3600)
    fresh = folder / ".c.xml.teitools-z9y8x7w6.tmp"  # another run may be writing it now
    fresh.write_text("x")
    link = folder / ".d.xml.teitools-q1w2e3r4.tmp"  # named like ours, but a link
    link.symlink_to(tmp_path / "precious.txt")
    age(link, 3600)
    named_like_ours = folder / ".e.xml.teitools-t5y6u7i8.tmp"  # but a folder
    named_like_ours.mkdir()
    age(named_like_ours, 3600)

    removed = remove_stale_temporaries(folder)
    assert sorted(p.name for p in removed) == sorted(ours)
    left = {p.name for p in folder.iterdir()}
    assert left == {*kept, fresh.name, link.name, named_like_ours.name}
    assert (tmp_path / "precious.txt").read_text() == "the user's"


def test_a_letter_whose_file_cannot_be_synced_is_counted_failed_and_left_unwritten(
    tmp_path: Path, letters: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are synced a batch at a time after they are written: a failure there (a disk
    that fills as its data is allocated) fails the letter as a failed write did."""
    out = tmp_path / "out"
    fsync = os.fsync

    def full(fd: int) -> None:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".b.xml"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        fsync(fd)

    monkeypatch.setattr(fsio.os, "fsync", full)
    run = convert_here(*letters, "-o", out)
    assert_promises(run, letters, out)
    assert run.code == 1
    assert run.errors == [
        f"teitools: error: {out / 'b.xml'}: cannot write: No space left on device"
    ]
    assert "converted 1 of 2 files" in run.stdout and "1 failed" in run.stdout
    assert "(1 written, 0 unchanged" in run.stdout
    assert sorted(p.name for p in out.iterdir()) == [".teitools", "a.xml", "register.xml"]
    assert not list(out.rglob("*.tmp"))

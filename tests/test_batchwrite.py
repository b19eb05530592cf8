"""Writes made durable a batch at a time: no file takes its name before every file of its
batch is on the disk, a group is renamed whole or not at all, and what settles comes in
the order it was written."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from teitools import batchwrite
from teitools.batchwrite import BatchWrite


def write_group(batch: BatchWrite[str], token: str, *files: tuple[Path, bytes]) -> None:
    batch.begin()
    for path, data in files:
        batch.write(path, data)
    batch.end(token)


def test_files_of_a_batch_take_their_names_only_after_all_are_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(batchwrite.os, "fsync", lambda fd: events.append("sync") or fsync(fd))
    monkeypatch.setattr(
        batchwrite.os,
        "replace",
        lambda old, new: events.append(f"rename {Path(new).name}") or replace(old, new),
    )
    batch: BatchWrite[str] = BatchWrite(batch=100)
    with batch:
        write_group(batch, "a", (tmp_path / "a.xml", b"<a/>"), (tmp_path / "rec" / "a", b"<a/>"))
        write_group(batch, "b", (tmp_path / "b.xml", b"<b/>"))
        assert not (tmp_path / "a.xml").exists() and not (tmp_path / "b.xml").exists()
        assert batch.settled() == []
        assert batch.close() == [("a", None), ("b", None)]
    assert (tmp_path / "a.xml").read_bytes() == b"<a/>"
    assert (tmp_path / "rec" / "a").read_bytes() == b"<a/>"
    assert (tmp_path / "b.xml").read_bytes() == b"<b/>"
    renames = [k for k, event in enumerate(events) if event.startswith("rename")]
    # three files synced, then renamed in the order written, then the two folders synced
    assert events[: renames[0]] == ["sync"] * 3
    assert [events[k] for k in renames] == ["rename a.xml", "rename a", "rename b.xml"]
    assert events[renames[-1] + 1 :] == ["sync"] * 2
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_group_with_a_file_that_cannot_be_synced_is_not_renamed_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsync = os.fsync
    record = tmp_path / ".teitools"

    def full(fd: int) -> None:  # the disk fills up as the record of b is synced
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(record / ".b.xml")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        fsync(fd)

    monkeypatch.setattr(batchwrite.os, "fsync", full)
    with BatchWrite[str]() as batch:
        for name in "abc":
            target = tmp_path / f"{name}.xml"
            write_group(batch, name, (target, name.encode()), (record / f"{name}.xml", b"r"))
        settled = batch.close()
    assert [token for token, _ in settled] == ["a", "b", "c"]
    assert [str(error) for _, error in settled] == [
        "None",
        f"{record / 'b.xml'}: cannot write: No space left on device",
        "None",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".teitools", "a.xml", "c.xml"]
    assert sorted(p.name for p in record.iterdir()) == ["a.xml", "c.xml"]


def test_a_full_batch_is_written_while_the_next_is_filled_and_settles_in_order(
    tmp_path: Path,
) -> None:
    with BatchWrite[int](batch=2) as batch:
        settled: list[tuple[int, object]] = []
        for k in range(7):
            write_group(batch, k, (tmp_path / f"{k}.xml", b"x"))
            settled += batch.settled()
        settled += batch.close()
    assert settled == [(k, None) for k in range(7)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{k}.xml" for k in range(7)]


def test_a_stopped_run_leaves_no_temporary_file_and_renames_nothing_unsynced(
    tmp_path: Path,
) -> None:
    with pytest.raises(KeyboardInterrupt), BatchWrite[str]() as batch:
        write_group(batch, "a", (tmp_path / "a.xml", b"a"))
        batch.begin()
        batch.write(tmp_path / "b.xml", b"b")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("threads", [0, 3])
def test_files_are_written_where_no_thread_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """Found by the out-of-memory test: under an address-space limit (``ulimit -v``) the
    committing and syncing threads could not start and the run ended in a traceback with
    nothing renamed. What cannot go to a thread is done in the caller's."""
    submit = batchwrite.ThreadPoolExecutor.submit
    started = 0

    def limited(pool, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal started
        if started >= threads:
            raise RuntimeError("can't start new thread")
        started += 1
        return submit(pool, fn, *args, **kwargs)

    monkeypatch.setattr(batchwrite.ThreadPoolExecutor, "submit", limited)
    batch: BatchWrite[str] = BatchWrite(batch=2)
    with batch:
        for name in "abcdef":
            write_group(batch, name, (tmp_path / f"{name}.xml", name.encode()))
        settled = batch.settled() + batch.close()
    assert settled == [(name, None) for name in "abcdef"]
    assert [p.read_bytes() for p in sorted(tmp_path.glob("*.xml"))] == [
        c.encode() for c in "abcdef"
    ]
    assert not list(tmp_path.rglob("*.tmp"))

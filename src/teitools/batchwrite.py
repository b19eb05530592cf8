"""Atomic writes of many files, made durable a batch at a time while the caller goes on.

:func:`~teitools.fsio.write_atomic` puts each file on the disk (``fsync``) before it takes
its name: 1–5 ms of waiting per file on a virtual disk, one file after another (a
conversion of 2,000 letters writes 4,000 files, a TEI file and its record each).
:class:`BatchWrite` keeps the same promises for many files at less cost:

- :meth:`~BatchWrite.write` puts the bytes into a temporary file beside the target at once
  (a full disk or a read-only folder is that call's error, as before);
- the files written between :meth:`~BatchWrite.begin` and :meth:`~BatchWrite.end` are a
  *group* (a letter and its record): a group is renamed whole or not at all;
- every :data:`BATCH` files, at the end of a group, the batch is handed to a thread of its
  own, which syncs its files together (several at once: the file system commits them to
  its journal together), then gives each file its name in the order they were written,
  then syncs each folder once. No file takes its name before its bytes are on the disk, as
  with ``write_atomic``; a later batch is renamed only after an earlier one.
- :meth:`~BatchWrite.settled` gives the groups whose batch is done, in order, each with
  the error that kept it from being written (or None): the caller counts and reports them
  in the order it wrote them, whatever the thread's timing.

A run that fails or is stopped removes the temporary files it had not renamed
(:meth:`~BatchWrite.abandon`); one that is killed leaves them to the next run's sweep
(:func:`~teitools.fsio.remove_stale_temporaries`): never a half-written file under a
target's name.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from teitools.errors import OutputError
from teitools.fsio import cannot_write, temporary_beside

Token = TypeVar("Token")

BATCH = 64  # files synced together
SYNCS = 8  # files synced at once
GROUPS = 256  # groups in a batch at most (a group may write no file: an unchanged letter)


@dataclass
class _File:
    target: Path
    fd: int
    tmp: str
    error: OutputError | None = None


@dataclass
class _Group(Generic[Token]):
    token: Token
    files: list[_File] = field(default_factory=list)
    error: OutputError | None = None


class BatchWrite(Generic[Token]):
    """Groups of files written atomically, synced and renamed a batch at a time (see the
    module's docstring). Use as a context manager, or call :meth:`close` (all written) or
    :meth:`abandon` (the rest discarded)."""

    def __init__(self, batch: int = BATCH) -> None:
        self.batch = batch
        self._groups: list[_Group[Token]] = []  # the batch being written
        self._files = 0
        self._open: list[_File] | None = None  # the files of the open group
        self._committing: Future[list[_Group[Token]]] | None = None
        self._done: list[_Group[Token]] = []
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="teitools-commit")
        self._syncs = ThreadPoolExecutor(SYNCS, thread_name_prefix="teitools-sync")

    def begin(self) -> None:
        """Start a group: the files written until :meth:`end` belong to it."""
        if self._open is not None:
            raise RuntimeError("a group is still open")
        self._open = []

    def write(self, path: Path, data: bytes) -> None:
        """Write ``data`` for ``path`` into a temporary file of the open group (``path``
        takes it when the group's batch is committed). Raises :class:`OutputError` naming
        ``path`` if the temporary file cannot be written."""
        if self._open is None:
            raise RuntimeError("no group is open")
        fd, tmp = temporary_beside(path)
        self._open.append(_File(path, fd, tmp))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except OSError as error:
            raise cannot_write(error, path) from None

    def end(self, token: Token) -> None:
        """Close the open group, named ``token`` when it is settled; hand the batch over if
        it is full (of files, or of groups that wrote none)."""
        if self._open is None:
            raise RuntimeError("no group is open")
        self._groups.append(_Group(token, self._open))
        self._files += len(self._open)
        self._open = None
        if self._files >= self.batch or len(self._groups) >= GROUPS:
            self._hand_over()

    def drop(self) -> None:
        """Discard the open group: its temporary files are removed, nothing is renamed."""
        if self._open is not None:
            _discard(self._open)
            self._open = None

    def settled(self) -> list[tuple[Token, OutputError | None]]:
        """The groups committed since the last call, in the order they were begun. A batch
        is collected only when the next is handed over (or at :meth:`close`), never as the
        thread's timing has it: the same writes settle at the same calls in every run."""
        done, self._done = self._done, []
        return [(group.token, group.error) for group in done]

    def close(self) -> list[tuple[Token, OutputError | None]]:
        """Commit every group and wait; the groups not yet settled, in order."""
        self.drop()
        self._hand_over()
        if self._committing is not None:
            self._done.extend(self._take())
        self._shut()
        return self.settled()

    def abandon(self) -> None:
        """Stop: wait for the batch being committed, remove the rest's temporary files."""
        self.drop()
        for group in self._groups:
            _discard(group.files)
        self._groups, self._files = [], 0
        if self._committing is not None:
            self._committing.exception()  # waits; its groups are written or discarded
            self._committing = None
        self._shut()

    def __enter__(self) -> BatchWrite[Token]:
        return self

    def __exit__(self, *_: object) -> None:
        self.abandon()  # after close: nothing is left to discard

    def _hand_over(self) -> None:
        if self._committing is not None:  # one batch at a time, in order
            self._done.extend(self._take())
        if self._groups:
            groups, self._groups, self._files = self._groups, [], 0
            try:
                self._committing = self._thread.submit(_commit, groups, self._syncs)
            except RuntimeError:  # no thread can start (an address-space limit): here
                self._committing = Future()
                self._committing.set_result(_commit(groups, self._syncs))

    def _take(self) -> list[_Group[Token]]:
        assert self._committing is not None
        committing, self._committing = self._committing, None
        return committing.result()

    def _shut(self) -> None:
        self._thread.shutdown()
        self._syncs.shutdown()


def _commit(groups: list[_Group[Token]], syncs: ThreadPoolExecutor) -> list[_Group[Token]]:
    """Sync every file of ``groups``, then rename each group's files (a group with a file
    that failed: none of them), in order; then sync the folders renamed into."""
    files = [file for group in groups for file in group.files]
    for file, error in zip(files, _synced(files, syncs), strict=True):
        file.error = error
    folders: dict[Path, None] = {}
    for group in groups:
        failed = next((file.error for file in group.files if file.error is not None), None)
        for file in group.files:
            if failed is None:
                try:
                    os.replace(file.tmp, file.target)
                    folders[file.target.parent] = None
                    continue
                except OSError as error:
                    failed = cannot_write(error, file.target)
            Path(file.tmp).unlink(missing_ok=True)
        group.error = failed
    for folder in folders:
        _sync_folder(folder)
    return groups


def _synced(files: list[_File], syncs: ThreadPoolExecutor) -> list[OutputError | None]:
    """Sync ``files`` on the pool's threads; those no thread could be started for (an
    address-space limit, a process out of threads) on this one, one after another."""
    started: list[Future[OutputError | None]] = []
    for at, file in enumerate(files):
        try:
            started.append(syncs.submit(_sync, file))
        except RuntimeError:
            return [future.result() for future in started] + [_sync(f) for f in files[at:]]
    return [future.result() for future in started]


def _sync(file: _File) -> OutputError | None:
    try:
        os.fsync(file.fd)
        return None
    except OSError as error:
        return cannot_write(error, file.target)
    finally:
        os.close(file.fd)


def _sync_folder(folder: Path) -> None:
    """Put the folder's new names on the disk (where the system allows a folder to be
    synced: an error here loses no file's bytes, the names wait for the next journal)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _discard(files: list[_File]) -> None:
    for file in files:
        with contextlib.suppress(OSError):
            os.close(file.fd)
        Path(file.tmp).unlink(missing_ok=True)

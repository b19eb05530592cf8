"""The input files of a command: one way to collect them, for convert, validate, render,
site and cmif.

:func:`collect` takes the paths a user gave. A file is taken as it is. A folder is searched,
its subfolders too, for files whose names end in the suffix (``.txt``, ``.xml``; case
ignored), in an order that depends on nothing but the names: entries sorted by name, a
subfolder's files where its name sorts. Nothing is read; each file is only opened, to
know it can be.

Whatever a folder holds, the walk goes on and says what it met, one line each, naming
the path:

- a problem (the file is not collected; the command fails at the end): a link to nothing
  named like an input, a loop of links, a folder or file that cannot be read, a pipe,
  socket or device named like an input;
- a warning: a link that leads outside the folder given, followed all the same (the user
  named the folder), naming where it leads.

A folder named like an input (``letters.xml/``) is searched, not read. Hidden files and
folders (``.git``, ``.venv``, an editor's ``.#letter.xml`` lock) are passed over, as is the
command's output folder. A file reached twice (named twice, through a link to a file the
walk collects anyway, or by a second name) is collected once, under the name met first.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from teitools.errors import InputError
from teitools.fsio import kind_of
from teitools.scratch import key, scratch, text


class Listing(Protocol):
    """Where a walk puts the files it collects (a list, or a table on disk)."""

    def has(self, identity: tuple[int, int]) -> bool:
        """Whether the file of this (device, inode) is collected already."""

    def add(self, path: Path, identity: tuple[int, int]) -> None:
        """Collect the file ``path``, of this (device, inode)."""


@dataclass
class Collected:
    """The files found, in order; the paths that could not be collected; the warnings."""

    files: list[Path] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    identities: set[tuple[int, int]] = field(default_factory=set, repr=False)

    def has(self, identity: tuple[int, int]) -> bool:
        return identity in self.identities

    def add(self, path: Path, identity: tuple[int, int]) -> None:
        self.identities.add(identity)
        self.files.append(path)

    def one_per_name(self) -> None:
        """Keep the first file of each name (without its suffix), for a command that names
        what it writes for each file (``a.html`` for ``a.xml``): two files named alike in
        different folders would be written into one. The others become problems."""
        first: dict[str, Path] = {}
        for path in self.files:
            if path.stem in first:
                message = f"named like {first[path.stem]}: its output would replace that one's"
                self.problems.append(InputError(message, path))
            else:
                first[path.stem] = path
        self.files = list(first.values())


FILE = "file"  # the kind of every file a table lists, unless it is told otherwise
LEFT_OUT = "left out"  # a file a table lists but a command leaves out


class FileTable:
    """The files a walk collects (:func:`collect` ``into``), in order, in a table of the
    SQLite database ``db`` (a command's scratch database, or render's edition): a million
    files cost no memory. Each is of the kind ``kind`` tells (a letter, a register file, a
    collation; by default :data:`FILE`)."""

    def __init__(self, db: sqlite3.Connection, kind: Callable[[Path], str] = lambda _: FILE):
        self.db, self.kind = db, kind
        db.executescript(
            """
            CREATE TABLE inputs (seq INTEGER PRIMARY KEY, path TEXT NOT NULL,
                kind TEXT NOT NULL, device INTEGER NOT NULL, inode INTEGER NOT NULL);
            CREATE UNIQUE INDEX inputs_by_identity ON inputs (device, inode);
            CREATE INDEX inputs_by_kind ON inputs (kind, seq);
            """
        )

    def has(self, identity: tuple[int, int]) -> bool:
        query = "SELECT 1 FROM inputs WHERE device = ? AND inode = ?"
        return self.db.execute(query, identity).fetchone() is not None

    def add(self, path: Path, identity: tuple[int, int]) -> None:
        self.db.execute(
            "INSERT INTO inputs (path, kind, device, inode) VALUES (?, ?, ?, ?)",
            (str(path), self.kind(path), *identity),
        )

    def paths(self, kind: str = FILE) -> Iterator[Path]:
        """The files of one kind, in the order they were found."""
        query = "SELECT path FROM inputs WHERE kind = ? ORDER BY seq"
        for (path,) in self.db.execute(query, (kind,)):
            yield Path(path)

    def count(self, kind: str = FILE) -> int:
        query = "SELECT count(*) FROM inputs WHERE kind = ?"
        return int(self.db.execute(query, (kind,)).fetchone()[0])

    def one_per_name(self) -> list[InputError]:
        """Keep the first file of each name, as :meth:`Collected.one_per_name` does: the
        others become of the kind :data:`LEFT_OUT`, and problems (returned)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS first (stem TEXT PRIMARY KEY, path)")
        problems, left = [], []
        for seq, name in self.db.cursor().execute("SELECT seq, path FROM inputs ORDER BY seq"):
            path = Path(name)
            found = self.db.execute("SELECT path FROM first WHERE stem = ?", (path.stem,))
            first = found.fetchone()
            if first is None:
                self.db.execute("INSERT INTO first VALUES (?, ?)", (path.stem, name))
                continue
            message = f"named like {first[0]}: its output would replace that one's"
            problems.append(InputError(message, path))
            left.append((LEFT_OUT, seq))
        self.db.executemany("UPDATE inputs SET kind = ? WHERE seq = ?", left)
        self.db.execute("DROP TABLE first")
        return problems


def collect(
    paths: Iterable[Path],
    suffix: str,
    *,
    recursive: bool = True,
    skip: Path | None = None,
    into: Listing | None = None,
) -> Collected:
    """The files under ``paths``: each file given, and each folder's files ending in
    ``suffix`` (in its subfolders too, unless not ``recursive``). ``skip`` (a command's
    output folder) is not searched. With ``into``, the files go there as they are found
    (a listing on disk: a million files cost no memory), not into ``files``."""
    walk = _Walk(suffix.lower(), recursive, _real(skip) if skip is not None else None)
    walk.listing = into or walk.found
    try:
        for path in paths:
            walk.path(path)
    finally:
        walk.close()
    return walk.found


def _real(path: Path | str) -> Path:
    return Path(os.path.realpath(path))


def _identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of the folder ``path`` (None if there is none): the same for
    every path that leads to it, found without resolving each part as a real path is."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


NOT_UTF8 = "its name is not UTF-8: rename it to read it"


def _is_utf8(path: Path) -> bool:
    """Whether ``path`` is all UTF-8. A name that is not (a Latin-1 name, say) comes into
    Python as lone surrogates, which no page, report or database can write."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class _Walk:
    def __init__(self, suffix: str, recursive: bool, skip: Path | None):
        self.suffix, self.recursive, self.skip = suffix, recursive, skip
        self.found = Collected()
        self.listing: Listing = self.found  # the files collected
        self.walked: set[tuple[int, int]] = set()  # the folders searched (device, inode)
        self.skipped = _identity(skip) if skip is not None else None
        self.db: sqlite3.Connection | None = None
        self.folders = 0  # the folders listed so far

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def problem(self, path: Path, message: str) -> None:
        self.found.problems.append(InputError(message, path))

    def path(self, path: Path) -> None:
        """A path the user gave: a folder to search, or a file to take as it is."""
        try:
            info = os.stat(path)
        except OSError as error:
            self.unreachable(path, error)
            return
        if stat.S_ISDIR(info.st_mode):
            self.folder(path, (info.st_dev, info.st_ino))
        else:
            self.file(path, info)

    def unreachable(self, path: Path, error: OSError) -> None:
        if error.errno == errno.ELOOP:
            self.problem(path, "a loop of links")
        elif error.errno == errno.ENOENT and os.path.islink(path):
            self.problem(path, f"a link to {os.readlink(path)}, which does not exist")
        else:
            self.problem(path, f"cannot read: {error.strerror or error}")

    def file(self, path: Path, info: os.stat_result) -> None:
        if not stat.S_ISREG(info.st_mode):
            self.problem(path, f"{kind_of(info.st_mode)}, not a file to read")
            return
        if not _is_utf8(path):
            self.problem(path, NOT_UTF8)
            return
        identity = (info.st_dev, info.st_ino)
        if self.listing.has(identity):
            return
        try:  # the reader would fail later, with this file's error among others' work
            os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)))
        except OSError as error:
            self.problem(path, f"cannot read: {error.strerror or error}")
            return
        self.listing.add(path, identity)

    def folder(self, top: Path, identity: tuple[int, int]) -> None:
        """Search the folder ``top`` the user gave, depth first, entries sorted by name."""
        root = _real(top)
        self.walked.add(identity)
        stack = [_Entries(self, top)]
        while stack:
            entry = stack[-1].next()
            if entry is None:
                stack.pop().close()
                continue
            name, link, is_dir_entry = entry
            path = stack[-1].folder / name
            wanted = name.lower().endswith(self.suffix)
            if not link and not wanted and not is_dir_entry:
                continue  # another kind of file: not even looked at
            try:
                info = os.stat(path)
            except OSError as error:
                if wanted or error.errno == errno.ELOOP:
                    self.unreachable(path, error)
                continue  # a link to nothing, not named like an input: none of ours
            is_dir = stat.S_ISDIR(info.st_mode)
            if (not is_dir and not wanted) or (link and not self.follow(path, root, is_dir)):
                continue
            if not is_dir:
                self.file(path, info)
                continue
            folder_id = (info.st_dev, info.st_ino)
            if not self.recursive or folder_id == self.skipped or folder_id in self.walked:
                continue
            if not _is_utf8(path):
                self.problem(path, NOT_UTF8)
                continue
            self.walked.add(folder_id)
            stack.append(_Entries(self, path))

    def scratch(self) -> sqlite3.Connection:
        """The walk's scratch database (made when a first folder is searched)."""
        if self.db is None:
            self.db = scratch()
            self.db.execute(
                "CREATE TABLE entries (folder INTEGER NOT NULL, name BLOB NOT NULL,"
                " link INTEGER NOT NULL, dir INTEGER NOT NULL, PRIMARY KEY (folder, name))"
                " WITHOUT ROWID"
            )
        return self.db

    def follow(self, link: Path, root: Path, is_dir: bool) -> bool:
        """Whether to follow ``link``, met searching the folder ``root``.

        A link back to a folder that holds it is a loop, not followed. A link to a file or
        folder the walk collects under its own name anyway is passed over. A link leading
        outside ``root`` is followed with a warning naming where it leads.
        """
        target = _real(link)
        if is_dir and _is_within(_real(link.parent), target):
            self.problem(link, f"a link back to {target}, a folder that holds it: a loop")
            return False
        if _is_within(target, root):
            inside = target.relative_to(root).parts
            hidden = any(part.startswith(".") for part in inside)
            skipped = self.skip is not None and _is_within(target, self.skip)
            return hidden or skipped or not (is_dir or target.name.lower().endswith(self.suffix))
        message = f"a link to {target}, outside {root}: read all the same"
        self.found.warnings.append(InputError(message, link))
        return True


class _Entries:
    """A folder's entries but hidden ones, in name order: listed into the walk's scratch
    database and read back a few hundred at a time, so that a folder of a million files
    costs the walk no more memory than one of a hundred."""

    CHUNK = 256

    def __init__(self, walk: _Walk, folder: Path) -> None:
        self.folder, self.db = folder, walk.scratch()
        walk.folders += 1
        self.number = walk.folders
        self.after = b""  # the last name read back
        self.chunk: deque[tuple[bytes, int, int]] = deque()
        try:
            with os.scandir(folder) as found:
                self.db.executemany(
                    "INSERT INTO entries VALUES (?, ?, ?, ?)",
                    (
                        (self.number, key(e.name), e.is_symlink(), e.is_dir(follow_symlinks=False))
                        for e in found
                        if not e.name.startswith(".")
                    ),
                )
        except OSError as error:
            self.close()
            walk.problem(folder, f"cannot read folder: {error.strerror or error}")

    def next(self) -> tuple[str, bool, bool] | None:
        """The next entry's name, whether it is a link, whether it is a folder (a link not
        followed); None after the last."""
        if not self.chunk:
            self.chunk.extend(
                self.db.execute(
                    "SELECT name, link, dir FROM entries WHERE folder = ? AND name > ?"
                    " ORDER BY name LIMIT ?",
                    (self.number, self.after, self.CHUNK),
                )
            )
            if not self.chunk:
                return None
        name, link, is_dir = self.chunk.popleft()
        self.after = name
        return text(name), bool(link), bool(is_dir)

    def close(self) -> None:
        """Forget the folder's entries."""
        self.chunk.clear()
        self.db.execute("DELETE FROM entries WHERE folder = ?", (self.number,))

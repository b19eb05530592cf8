"""The site's folder: which files teitools wrote there, and the only ones it replaces or removes.

The manifest ``.teitools-site.json`` records every file a build wrote, with the SHA-256 of
its bytes and what it was made from. An output folder may come from anywhere (a cloned
publishing branch, a pull request), so the manifest is data, never trusted: an entry counts
only if its name is one the site makes (relative, normalised, in one of the site's folders,
of a kind it writes there) and the file at that name, inside the folder once links are
resolved, still holds the bytes recorded. Entries that are not such names are ignored with
a warning.

A file is written over only if it is one teitools wrote (it counts, as above), already
holds exactly the bytes to be written, or ``force`` is given; otherwise it is left as it
is and named in an error. A file is removed only if it counts and this build no longer
makes it. Nothing is written or removed outside the folder: a link (``letters`` pointing
elsewhere) is resolved before any write, and a link is never written through.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol

from teitools import __version__
from teitools.errors import InputError, OutputError, TeitoolsError
from teitools.fsio import read_bounded, write_atomic
from teitools.scratch import scratch

MANIFEST = ".teitools-site.json"
FORMAT = 2
MAX_MANIFEST = 64 * 1024 * 1024
MAX_NAMED = 10  # ignored manifest entries named one by one; the rest are counted
# where the site writes: its top folder and its subfolders, with the kinds of file in each
LAYOUT: dict[str, tuple[str, ...] | None] = {
    "": (".html", ".css", ".js", ".xml"),
    "letters": (".html",),
    "cmif": (".xml",),
    "pdf": (".pdf",),
    "tei": (".xml",),
    "register": (".html",),
    "versions": (".html",),  # the versions of a letter compared (teitools collate)
    "downloads": (".zip",),
    "pagefind": None,  # whatever Pagefind makes there, in its own subfolders too
}
_DIGEST = re.compile(r"[0-9a-f]{64}")


class NotOurs(OutputError):
    """A file in the site's folder that teitools did not write (or that changed since)."""


class Report(Protocol):
    written: int
    removed: int
    errors: list[TeitoolsError]


@dataclass(frozen=True)
class Record:
    """A file a build wrote: the SHA-256 of its bytes and what it was made from."""

    sha256: str
    key: str = ""  # letter outputs and the search index: the key incremental builds compare


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a file the site makes, or None if it is one."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or "\0" in name or "\\" in name:
        return "not a relative path"
    if path.as_posix() != name or any(part in ("", ".", "..") for part in name.split("/")):
        return "not a normalised path"
    folder = path.parts[0] if len(path.parts) > 1 else ""
    if folder not in LAYOUT or (folder != "pagefind" and len(path.parts) > 2):
        return "not in a folder the site writes"
    suffixes = LAYOUT[folder]
    if name == MANIFEST or (suffixes is not None and path.suffix.lower() not in suffixes):
        return "not a kind of file the site writes there"
    return None


def _record(value: Any) -> Record | None:
    if not isinstance(value, dict):
        return None
    digest, key = value.get("sha256"), value.get("key", "")
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest) or not isinstance(key, str):
        return None
    return Record(digest, key)


class Previous:
    """The records of an earlier build's manifest, by name, in a scratch database (SQLite's
    own temporary file), with whether each file was found unchanged since."""

    def __init__(self) -> None:
        self.db = scratch()
        self.db.executescript(
            """
            CREATE TABLE previous (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL,
                key TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE found (name TEXT PRIMARY KEY, ours INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE named (name TEXT PRIMARY KEY) WITHOUT ROWID; -- every name read
            """
        )

    def add(self, name: str, record: Record) -> None:
        query = "INSERT OR REPLACE INTO previous (name, sha256, key) VALUES (?, ?, ?)"
        self.db.execute(query, (name, record.sha256, record.key))

    def first(self, name: str) -> bool:
        """Whether ``name`` is read for the first time (and note it)."""
        query = "INSERT OR IGNORE INTO named VALUES (?)"
        return self.db.execute(query, (name,)).rowcount == 1

    def get(self, name: str) -> Record | None:
        query = "SELECT sha256, key FROM previous WHERE name = ?"
        row = self.db.execute(query, (name,)).fetchone()
        return None if row is None else Record(*row)

    def names(self, folder: str = "") -> Iterator[str]:
        """The names (in ``folder``: that begin with it), in order."""
        query = "SELECT name FROM previous WHERE substr(name, 1, ?) = ? ORDER BY name"
        for (name,) in self.db.cursor().execute(query, (len(folder), folder)):
            yield name

    def ours(self, name: str) -> bool | None:
        """Whether the file was found unchanged since (None: not looked at since it was
        last written)."""
        row = self.db.execute("SELECT ours FROM found WHERE name = ?", (name,)).fetchone()
        return None if row is None else bool(row[0])

    def found(self, name: str, ours: bool | None) -> None:
        if ours is None:
            self.db.execute("DELETE FROM found WHERE name = ?", (name,))
        else:
            self.db.execute("INSERT OR REPLACE INTO found VALUES (?, ?)", (name, ours))

    def clear(self) -> None:
        self.db.executescript("DELETE FROM previous; DELETE FROM named;")

    def close(self) -> None:
        self.db.close()


def read_manifest(outdir: Path) -> tuple[Previous, list[str]]:
    """The entries of the folder's manifest that name files the site makes, and a warning
    for each one ignored (at most :data:`MAX_NAMED`, then how many more). A manifest as
    teitools writes it is read a line at a time (:func:`_manifest_lines`); any other is
    read whole by :mod:`json`."""
    path = outdir / MANIFEST
    records = Previous()
    if not path.exists():
        return records, []
    ignored: list[str] = []

    def add(name: str, value: Any) -> bool:
        """Take an entry; False if its name came before (json keeps the last record at
        the first one's place)."""
        if not records.first(name):
            return False
        problem = name_problem(name)
        record = _record(value)
        if problem is None and record is not None:
            records.add(name, record)
        else:
            ignored.append(f"{path}: entry {name!r} ignored: {problem or 'not a file record'}")
        return True

    if not _manifest_lines(path, add):
        records.clear()
        ignored.clear()
        try:
            data = json.loads(read_bounded(path, MAX_MANIFEST, "a site manifest"))
            files = data.get("files") if isinstance(data, dict) else None
            if not isinstance(files, dict):
                raise ValueError("no files")
            newer = data.get("format") == FORMAT
        except (InputError, ValueError, RecursionError):
            return records, [f"{path}: not a teitools site manifest: ignored"]
        if not newer:
            return records, [
                f"{path}: written by an older teitools, without checksums: its files are "
                "taken for yours and left alone (--force replaces them)"
            ]
        for name, value in files.items():
            add(name, value)
    if len(ignored) > MAX_NAMED:
        ignored[MAX_NAMED:] = [f"{path}: {len(ignored) - MAX_NAMED} more entries ignored"]
    return records, ignored


_STRING = r'"(?:[^"\\\x00-\x1f]|\\.)*"'  # a JSON string
# a manifest as manifest_text writes it: its head (or all of it, with no files), each
# entry (with the comma that says another follows), and its end
_HEAD = re.compile(rf'\{{\n "teitools": {_STRING},\n "format": {FORMAT},\n "files": \{{(}}\n}}\n)?')
_ENTRY = re.compile(
    rf'\n  ({_STRING}): \{{\n   "sha256": ({_STRING})(?:,\n   "key": ({_STRING}))?\n  }}(,?)'
)
_END = "\n }\n}\n"
CHUNK = 1 << 20  # bytes of a manifest read at a time


def _manifest_lines(path: Path, add: Callable[[str, Any], bool]) -> bool:
    """Give ``add`` each entry of the manifest at ``path`` (name and value), in order, if
    it is laid out as :func:`manifest_text` writes it, a chunk of it at a time; False
    (having given some, maybe) if it is not, if ``add`` says a name came twice, or if it
    is not a regular file of at most :data:`MAX_MANIFEST` bytes."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_MANIFEST:
            return False
        with path.open("rb") as handle:
            return _entries(handle, add)
    except (OSError, ValueError):
        return False


def _unquote(token: str) -> str:
    return token[1:-1] if "\\" not in token else str(json.loads(token))


def _entries(handle: BinaryIO, add: Callable[[str, Any], bool]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    text, pos, read, more = "", 0, 0, True

    def fill() -> bool:
        nonlocal text, pos, read
        chunk = handle.read(CHUNK)
        read += len(chunk)
        text = text[pos:] + decoder.decode(chunk, final=not chunk)
        pos = 0
        return bool(chunk) and read <= MAX_MANIFEST

    while more and len(text) < 256:
        more = fill()
    head = _HEAD.match(text)
    if head is None:
        return False
    if head.group(1):
        return head.end() == len(text) and not more
    pos, following = head.end(), True
    while following:
        entry = _ENTRY.match(text, pos)
        if entry is None or entry.end() == len(text):  # maybe cut off: read on
            if more:
                more = fill()
                continue
            if entry is None:
                return False
        name, sha256, key, comma = entry.groups()
        value = {"sha256": _unquote(sha256), **({"key": _unquote(key)} if key else {})}
        if not add(_unquote(name), value):
            return False
        pos, following = entry.end(), bool(comma)
    while more:
        more = fill()
    return text[pos:] == _END and read <= MAX_MANIFEST


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class SiteOutput:
    """The files of one build into ``outdir``: every write and removal checked, all recorded.

    What this build made is recorded in the earlier manifest's scratch database (SQLite's
    own temporary file, removed as soon as it is made), not in memory, and the manifest is
    written from its rows in name order, a file at a time."""

    def __init__(self, outdir: Path, previous: Previous, report: Report, force: bool = False):
        self.outdir, self.previous, self.report, self.force = outdir, previous, report, force
        self.root = outdir.resolve()
        self._made = previous.db  # what this build made (written or kept), beside the earlier
        self._made.execute(
            "CREATE TABLE made (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, key TEXT NOT NULL)"
            " WITHOUT ROWID"
        )
        self._inside: dict[Path, bool] = {}  # folders found inside the site's, or not

    def _add(self, name: str, record: Record) -> None:
        self._made.execute(
            "INSERT OR REPLACE INTO made VALUES (?, ?, ?)", (name, record.sha256, record.key)
        )

    def made(self, folder: str = "") -> Iterator[tuple[str, Record]]:
        """The files this build made (in ``folder``: names that begin with it), by name
        (as Python orders strings: SQLite orders UTF-8 bytes, which is the same order)."""
        rows = self._made.execute(
            "SELECT name, sha256, key FROM made WHERE substr(name, 1, ?) = ? ORDER BY name",
            (len(folder), folder),
        )
        for name, digest, key in rows:
            yield name, Record(digest, key)

    def has_made(self, name: str) -> bool:
        """Whether this build made (wrote or kept) ``name``."""
        row = self._made.execute("SELECT 1 FROM made WHERE name = ?", (name,)).fetchone()
        return row is not None

    def _unmade(self, folder: str = "") -> list[str]:
        """The files (in ``folder``) an earlier build made and this one has not, by name:
        only these are looked at when the build ends (the stale ones, in a build that ran to
        its end)."""
        rows = self._made.execute(
            "SELECT name FROM previous p WHERE substr(name, 1, ?) = ?"
            " AND NOT EXISTS (SELECT 1 FROM made m WHERE m.name = p.name) ORDER BY name",
            (len(folder), folder),
        )
        return [name for (name,) in rows]

    def _path(self, name: str) -> Path:
        """``outdir/name``, if its folder is inside the output folder once links are resolved."""
        problem = name_problem(name)
        if problem is not None:
            raise OutputError(f"not written: {problem}", self.outdir / name)
        path = self.outdir / name
        inside = self._inside.get(path.parent)
        if inside is None:
            inside = self._inside[path.parent] = path.parent.resolve().is_relative_to(self.root)
        if not inside:
            raise OutputError("not written: its folder leads out of the site's folder", path)
        return path

    def _current(self, path: Path) -> str | None:
        """The SHA-256 of the regular file at ``path`` (not a link), or None if there is
        none."""
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(info.st_mode):
            raise NotOurs(
                "left as it is: not a file teitools wrote (a link or a folder)"
                + ("" if stat.S_ISDIR(info.st_mode) else "; --force replaces it"),
                path,
            )
        return _file_digest(path)

    def ours(self, name: str, digest: str | None = None) -> bool:
        """Whether the file at ``name`` (whose bytes have the SHA-256 ``digest``, if given)
        is one an earlier build wrote, unchanged since."""
        record = self.previous.get(name)
        if record is None:
            return False
        if digest is not None:
            return digest == record.sha256
        ours = self.previous.ours(name)
        if ours is None:
            try:
                current = self._current(self._path(name))
            except (OSError, TeitoolsError):
                current = None
            ours = current == record.sha256
            self.previous.found(name, ours)
        return ours

    def _replaces(self, name: str, path: Path, digest: str) -> bool:
        """Whether bytes of SHA-256 ``digest`` are to be written as ``name``: not if the
        file holds them already; a file that is not :meth:`ours` (and not ``force``) raises
        :class:`NotOurs`."""
        try:
            current = self._current(path)
        except NotOurs:
            if not self.force:
                raise
            return True  # a link: replaced, never written through
        if current == digest:
            return False
        if current is not None and not (self.force or self.ours(name, current)):
            raise NotOurs(
                "left as it is: teitools did not write it (or it was changed since); "
                "--force replaces it",
                path,
            )
        return True

    def put(
        self,
        name: str,
        data: bytes | Iterable[bytes] | Callable[[BinaryIO], object],
        key: str = "",
        *,
        sync: bool = True,
    ) -> None:
        """Write ``data`` as ``name`` unless it holds those bytes already; a file that is not
        :meth:`ours` (and not ``force``) is left as it is and named in an error. ``data``
        may come in pieces, or be what a function writes into the file, so that a large file
        is never held whole; that and ``sync``: see :func:`~teitools.fsio.write_atomic`."""
        try:
            path = self._path(name)
            made = [""]  # the SHA-256 of what was made

            def check(digest: str) -> bool:
                made[0] = digest
                return self._replaces(name, path, digest)

            if isinstance(data, bytes):
                made[0] = _digest(data)
                written = check(made[0]) and write_atomic(path, data, sync=sync)
            else:
                written = write_atomic(path, data, sync=sync, check=check)
            if written:
                self.previous.found(name, None)
                self.report.written += 1
            self._add(name, Record(made[0], key))
        except OutputError as error:  # NotOurs too
            self.report.errors.append(error)
        except OSError as error:
            where = self.outdir / name
            self.report.errors.append(OutputError(f"cannot write: {error.strerror}", where))

    def keep(self, name: str) -> bool:
        """Keep the file an earlier build made as ``name``, if it is :meth:`ours`."""
        record = self.previous.get(name)
        if record is None or not self.ours(name):
            return False
        self._add(name, record)
        return True

    def up_to_date(self, name: str, key: str) -> bool:
        """Whether ``name`` was made from ``key`` by an earlier build and is unchanged."""
        record = self.previous.get(name)
        return record is not None and record.key == key and self.ours(name)

    def remove_stale(self, folder: str = "") -> None:
        """Remove the files (in ``folder``) an earlier build made and this one does not,
        if they are :meth:`ours`."""
        for name in self._unmade(folder):
            if not self.ours(name):
                continue
            try:
                self._path(name).unlink()
                self.previous.found(name, False)
                self.report.removed += 1
            except OSError as error:
                where = self.outdir / name
                self.report.errors.append(OutputError(f"cannot remove: {error.strerror}", where))

    def finish(self, complete: bool) -> None:
        """Write the manifest; if the build ran to its end, first :meth:`remove_stale`.
        After a build that stopped early, the earlier build's files stay, and stay recorded."""
        if complete:
            self.remove_stale()
        for name in self._unmade():
            record = self.previous.get(name)
            if record is not None and self.ours(name):
                self._add(name, record)
        try:
            write_atomic(self.outdir / MANIFEST, manifest_text(self.made()))
        except OutputError as error:
            self.report.errors.append(error)
        finally:
            self.previous.close()


def manifest_text(files: Iterable[tuple[str, Record]]) -> Iterator[bytes]:
    """The manifest of ``files`` (in name order), a file at a time: the bytes of
    ``json.dumps(manifest, indent=1)`` and a newline."""
    head = json.dumps({"teitools": __version__, "format": FORMAT, "files": {}}, indent=1)
    start, end = head.removesuffix("{}\n}"), "\n }\n}\n"
    first = True
    for name, record in files:  # as json.dumps indents a record two levels down
        entry = f'{{\n   "sha256": {json.dumps(record.sha256)}'
        entry += f',\n   "key": {json.dumps(record.key)}\n  }}' if record.key else "\n  }"
        yield f"{start + '{' if first else ','}\n  {json.dumps(name)}: {entry}".encode()
        first = False
    yield (f"{start}{{}}\n}}\n" if first else end).encode()

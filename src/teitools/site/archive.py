"""``downloads/tei.zip``: every TEI file of the site in one zip, the same bytes for the same
files, written a file at a time.

:mod:`zipfile` keeps an entry per member (a ``ZipInfo``, some 350 bytes) until it writes the
central directory at the end; here those entries wait in a scratch database (SQLite's own
temporary file) instead, and come back one at a time for the central directory, so that a
zip of many letters costs no more memory than a zip of a few.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from teitools.scratch import scratch

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the zip is the same for the same TEI
_UNSET = object()


def tei_zip(files: Iterable[Path]) -> Callable[[BinaryIO], None]:
    """What writes the zip of ``files`` (given in name order, each as ``tei/NAME``) into
    an open file it may seek in."""

    def write(handle: BinaryIO) -> None:
        members = Members()
        try:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                # the entries zipfile keeps of its members: on disk (see the module's note)
                archive.filelist = members  # type: ignore[assignment]
                archive.NameToInfo = members.names  # type: ignore[assignment]
                for path in files:
                    info = zipfile.ZipInfo(f"tei/{path.name}", ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    with path.open("rb") as source, archive.open(info, "w") as target:
                        shutil.copyfileobj(source, target)
        finally:
            members.close()

    return write


def _field(value: Any) -> Any:
    if isinstance(value, bytes):
        return ["bytes", value.hex()]
    if isinstance(value, tuple):
        return ["tuple", list(value)]
    return ["value", value]


def _value(field: list[Any]) -> Any:
    kind, value = field
    return bytes.fromhex(value) if kind == "bytes" else tuple(value) if kind == "tuple" else value


class Members:
    """The members of a zip being written, in order, on disk: stands for a ``ZipFile``'s
    ``filelist`` (appended to, counted, read back for the central directory) and, as
    :attr:`names`, for its ``NameToInfo`` (asked whether a name is taken)."""

    def __init__(self) -> None:
        self.db = scratch()
        self.db.execute(
            "CREATE TABLE members (n INTEGER PRIMARY KEY, name TEXT NOT NULL, fields TEXT NOT NULL)"
        )
        self.db.execute("CREATE INDEX members_by_name ON members (name)")
        self.names = _Names(self)

    def append(self, info: zipfile.ZipInfo) -> None:
        fields = {
            slot: _field(value)
            for slot in zipfile.ZipInfo.__slots__
            if (value := getattr(info, slot, _UNSET)) is not _UNSET
        }
        self.db.execute(
            "INSERT INTO members (name, fields) VALUES (?, ?)", (info.filename, json.dumps(fields))
        )

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM members").fetchone()[0])

    def __iter__(self) -> Iterator[zipfile.ZipInfo]:
        for (fields,) in self.db.execute("SELECT fields FROM members ORDER BY n"):
            info = zipfile.ZipInfo.__new__(zipfile.ZipInfo)
            for slot, field in json.loads(fields).items():
                setattr(info, slot, _value(field))
            yield info

    def close(self) -> None:
        self.db.close()


class _Names:
    """The names of a zip's members (its ``NameToInfo``): whether one is taken."""

    def __init__(self, members: Members) -> None:
        self.members = members

    def __contains__(self, name: object) -> bool:
        query = "SELECT 1 FROM members WHERE name = ?"
        return self.members.db.execute(query, (name,)).fetchone() is not None

    def __setitem__(self, name: str, info: zipfile.ZipInfo) -> None:
        """The member is on disk already (zipfile appends it to its ``filelist`` first)."""

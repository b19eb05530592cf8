"""File output that never destroys an editor's work.

Every TEI file teitools writes carries a processing instruction with the SHA-256 of the
whole file but that instruction's own line. Before overwriting, teitools recomputes that
checksum: if the file no longer matches (a person edited it anywhere, above the checksum
line too) or has no checksum (teitools did not write it), it is never overwritten unless
forced, but merged or kept (:mod:`teitools.update`); a link, a pipe or a folder that stands
where the file would go is never replaced unless forced.
Writes go to a temporary file in the same folder and are moved into place with
:func:`os.replace`, so a failed run leaves no half-written file; a temporary file left by a
run that was killed is removed by the next write into its folder. An error names the file
the user asked for, never the temporary one.

Input is read with :func:`read_bounded`: its size is known before anything is read, and a
device, a pipe or a folder is refused rather than read without end.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from teitools.errors import InputError, OutputError, OverwriteRefused

_PI = re.compile(rb'<\?teitools-checksum sha256="([0-9a-f]{64})"\?>')
# What teitools wrote above the checksum line before the checksum covered the whole file
# (files of that time hold the digest of what follows the line only).
_OLD_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).hexdigest().encode()


def add_checksum(xml: bytes) -> bytes:
    """Insert the checksum line after the XML declaration (``xml`` must start with one).

    The checksum is the SHA-256 of the file without that line: an edit anywhere, above the
    line too, is seen.
    """
    decl_end = xml.index(b"?>") + 2
    head, rest = xml[:decl_end] + b"\n", xml[decl_end:].lstrip(b"\n")
    return head + b'<?teitools-checksum sha256="' + _digest(head + rest) + b'"?>\n' + rest


def edited_since_written(data: bytes) -> str | None:
    """Why ``data`` may not be overwritten, or None if teitools wrote it and nobody changed it.

    The first checksum line found is the one teitools wrote; the rest of the file, every
    byte of it, must be as it was. A file written before the checksum covered the whole
    file counts as unedited if what follows the line matches and what precedes it is the
    XML declaration teitools wrote.
    """
    match = _PI.search(data)
    if match is None:
        return "was not written by teitools (no checksum)"
    head, rest = data[: match.start()], data[match.end() + 1 :]
    if data[match.end() : match.end() + 1] == b"\n":
        if _digest(head + rest) == match.group(1):
            return None
        if head == _OLD_HEAD and _digest(rest) == match.group(1):
            return None
    return "was edited since teitools wrote it"


# An existing output larger than this is no file teitools wrote: it is not read to compare.
MAX_OUTPUT = 256 << 20


def existing_output(path: Path, force: bool) -> bytes | None:
    """The bytes of the file at ``path`` that a write would replace, or None if there is none.

    What teitools never replaces unasked is refused with :class:`OverwriteRefused`: a link
    (its target may be anything), a pipe, a folder, a file it cannot read or larger than
    :data:`MAX_OUTPUT`. With ``force`` those are replaced unread (None).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OverwriteRefused(f"cannot check it: {error.strerror or error}", path) from None
    try:
        if stat.S_ISLNK(info.st_mode):
            raise InputError(f"it is a link to {os.readlink(path)}", path)
        return read_bounded(path, MAX_OUTPUT, "a TEI file teitools wrote")
    except (InputError, OSError) as error:
        if force:
            return None
        reason = error.message if isinstance(error, InputError) else str(error.strerror)
        message = f"not overwritten: {reason}; use --force to replace it"
        raise OverwriteRefused(message, path) from None


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, where ``name`` must be one file's name: a name that would lead out
    of ``folder`` (a separator, ``..``) raises :class:`OutputError`. Nothing is written
    outside an output folder."""
    separators = {os.sep, os.altsep or os.sep, "\0"}
    if name in {"", ".", ".."} or any(s in name for s in separators):
        raise OutputError(f"{name!r} is no file name inside the folder", folder)
    return folder / name


# A temporary file is named ``.NAME.teitools-XXXXXXXX.tmp`` beside its target NAME; before
# this naming, ``.NAME.XXXXXXXX.tmp`` (still recognised, for an XML target only).
_TEMP_PREFIX, _TEMP_SUFFIX = "teitools-", ".tmp"
_TEMP = re.compile(r"\..+\.teitools-[a-z0-9_]{8}\.tmp|\..+\.xml\.[a-z0-9_]{8}\.tmp")
# A temporary file untouched for this long before the run began is no write in progress
# (writing one takes well under a second): its run was killed.
STALE_AFTER = 60.0
_STARTED = time.time()
_SWEPT: set[Path] = set()  # folders this process has cleaned


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is: "a folder", "a pipe", ..."""
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MB" if count >= 104858 else f"{count:,} bytes"


READ_AHEAD = 1 << 16  # bytes read at a time past a file's stated size


def read_bounded(path: Path, limit: int, what: str = "an input file") -> bytes:
    """The bytes of the regular file ``path``, if it holds at most ``limit`` bytes.

    The size is checked before reading (a 4 GB sparse file is refused at once), and never
    more than ``limit + 1`` bytes are read, whatever the file says its size is. Devices,
    pipes, sockets and folders are refused without reading (or waiting on) them. Raises
    :class:`InputError` naming ``path``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{kind_of(info.st_mode)}, not a file to read", path)
        too_large = f"too large for {what} (limit {_size(limit)})"
        if info.st_size > limit:
            raise InputError(f"{_size(info.st_size)} is {too_large}", path)
        chunks, total = [], 0
        while total <= limit:
            # what the size says, in one read; a little at a time past it (a buffer of the
            # whole limit would be allocated before a byte is read)
            wanted = max(info.st_size + 1 - total, READ_AHEAD)
            chunk = os.read(fd, min(limit + 1 - total, wanted))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise InputError(f"over {_size(limit)}: {too_large}", path)
        return b"".join(chunks)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path) from None
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files of interrupted teitools runs from ``folder``.

    Only regular files named as :func:`write_atomic` names its temporary files, and last
    written over a minute before this process started, are removed: never a user's file,
    never a write another run has in progress. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < _STARTED - STALE_AFTER:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove: leave it
    return removed


def write_atomic(
    path: Path,
    data: bytes | Iterable[bytes] | Callable[[BinaryIO], object],
    *,
    sync: bool = True,
    check: Callable[[str], bool] | None = None,
) -> bool:
    """Write ``data`` (or its pieces, as they come: a page streamed from a template; or
    what a function writes into the open file, which it may seek in: a zip archive) to
    ``path`` all at once or not at all; with ``sync``, on the disk
    before it takes the name (a file made again on every build, as a search index, need
    not wait for that). ``check`` is given the SHA-256 of what was written before it takes
    the name, and decides: if it says no (the file holds those bytes already) or raises,
    the temporary file is removed. Returns whether ``path`` was written.

    Raises :class:`OutputError` naming ``path`` (disk full, read-only folder, ...); the
    temporary file is removed whatever happens.
    """
    fd, tmp = temporary_beside(path)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "w+b") as handle:
            if callable(data):
                data(handle)
                if check is not None:
                    handle.seek(0)
                    digest = hashlib.file_digest(handle, "sha256")
            else:
                for piece in [data] if isinstance(data, bytes) else data:
                    handle.write(piece)
                    if check is not None:
                        digest.update(piece)
            handle.flush()
            if check is not None and not check(digest.hexdigest()):
                Path(tmp).unlink()
                return False
            if sync:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        return True
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise cannot_write(error, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file (readable by all, as a written file is) in ``path``'s folder,
    named as :func:`remove_stale_temporaries` knows it: its descriptor and path. The folder
    is made if need be, and the first time this process writes into it, the temporary files
    of killed runs are removed from it. Raises :class:`OutputError` naming ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = path.parent.resolve()
        if folder not in _SWEPT:
            _SWEPT.add(folder)
            remove_stale_temporaries(folder)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.{_TEMP_PREFIX}", suffix=_TEMP_SUFFIX, dir=path.parent
        )
    except OSError as error:
        raise cannot_write(error, path) from None
    try:
        os.fchmod(fd, 0o644)
    except OSError as error:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise cannot_write(error, path) from None
    return fd, tmp


def cannot_write(error: OSError, path: Path) -> OutputError:
    """The error of a write to ``path`` that failed (whatever file the system named)."""
    return OutputError(f"cannot write: {error.strerror or error}", path)

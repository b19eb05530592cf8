"""Safe parsing: a size limit checked before reading, entity declarations within limits
(:func:`teitools.safexml.entity_problems`), no DTD, no network, then XInclude expanded
from inside the project only (:mod:`~teitools.validate.xinclude`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.validate.findings import Finding

MAX_SIZE = 50 * 1024 * 1024  # bytes; --max-size changes it


class TooLarge(OSError):
    """A file over the size limit, refused before it is read."""


def read_limited(path: Path, limit: int = MAX_SIZE) -> bytes:
    """The bytes of ``path``, refused unread if it is over ``limit`` (a device such as
    ``/dev/zero``, whose size says nothing, is read no further than the limit)."""
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise TooLarge(f"{info.st_size / 1e6:,.1f} MB, over the limit of {limit / 1e6:,.1f} MB")
        if not stat.S_ISREG(info.st_mode):
            raise TooLarge("not a regular file")
        # as much as its size says, then what it has grown by (a read of the whole limit
        # would allocate the limit for every file)
        data = handle.read(min(info.st_size, limit) + 1)
        if len(data) > info.st_size:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise TooLarge(f"over the limit of {limit / 1e6:,.1f} MB")
    return data


def _error(path: Path, line: int, column: int, rule: str, message: str) -> Finding:
    return Finding(str(path), line, column, "error", "wellformed", rule, message)


def parse_bytes(path: Path, data: bytes) -> tuple[etree._ElementTree | None, list[Finding]]:
    """The document parsed from ``data`` (the bytes of ``path``), or what stops it."""
    problems = safexml.entity_problems(data)
    if problems:
        return None, [_error(path, p.line, 1, "xml.entities", p.message) for p in problems]
    try:
        return etree.fromstring(data, safexml.parser()).getroottree(), []
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (1, 0)
        message = str(error.msg or error).split(" (line ")[0]
        message = message.removesuffix(f", line {line}, column {column}")
        return None, [_error(path, line or 1, column or 1, "xml", message)]


def parse(
    path: Path, data: bytes | None = None, limit: int = MAX_SIZE
) -> tuple[etree._ElementTree | None, list[Finding]]:
    """The parsed document, or the findings that stop it. ``data`` are the file's bytes, if
    they have been read already."""
    if data is None:
        try:
            data = read_limited(path, limit)
        except TooLarge as error:
            return None, [_error(path, 1, 1, "size", f"not checked: {error} (--max-size)")]
        except OSError as error:
            return None, [_error(path, 1, 1, "io", f"cannot read: {error.strerror or error}")]
    return parse_bytes(path, data)

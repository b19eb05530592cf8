"""Typed errors. The CLI turns each into one line: ``file[:line]: message``."""

from __future__ import annotations

import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with its control characters escaped (``\\n``, ``\\x00``): a message about a
    file named with a line break still takes one line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class TeitoolsError(Exception):
    """Base class: something the user can act on, reported without a traceback."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return where + self.message


class InputError(TeitoolsError):
    """An input file cannot be read as a letter (missing, empty, binary, too large)."""


class RulesError(TeitoolsError):
    """A rules or data file is malformed."""


class OverwriteRefused(TeitoolsError):
    """What stands where an output file would go is not teitools' to replace (a link, a
    pipe, a folder, a file it cannot read)."""


class OutputError(TeitoolsError):
    """An output file cannot be written (disk full, read-only folder, no permission)."""

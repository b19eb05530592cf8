"""Typed errors. The CLI turns each into one line: ``file[:line]: message``."""

from __future__ import annotations

from pathlib import Path


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
    """The output file was edited by a person since teitools wrote it."""

"""Checking files through the execution layer (:mod:`teitools.execution`), results in the
order of the files.

Each worker process has one :class:`Checker` for the run (its schemas compiled once: workers
forked from this process inherit its checker, warmed here before they start) and
returns, per file, the findings and the ``xml:id``s, never a tree: the check across files
runs in the parent over every file. Results that ``memo`` holds for unchanged files are
reused in the parent and never sent out.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from teitools.execution import SERIAL_BELOW, Executor, LocalExecutor, lost
from teitools.validate.checker import Checker, FileResult, Options
from teitools.validate.findings import Finding
from teitools.validate.memo import Memo

__all__ = ["SERIAL_BELOW", "Checker", "results"]

Setup = tuple[Options, str]  # the options, the run

_checkers: dict[Setup, Checker] = {}  # this process's checker for the current run


def _checker(setup: Setup) -> Checker:
    """This process's checker for the run (a forked worker inherits its parent's, warm)."""
    checker = _checkers.get(setup)
    if checker is None:
        _checkers.clear()
        checker = _checkers[setup] = Checker(setup[0])
        checker.warm()
    return checker


def _check_one(setup: Setup, path: Path) -> FileResult:
    return _checker(setup).check(path)


def _not_checked(path: Path, error: BaseException) -> FileResult:
    return FileResult([Finding(str(path), 1, 1, "error", "teitools", "internal", lost(error))])


def results(
    files: Iterable[Path],
    options: Options,
    executor: Executor | None = None,
    memo: Memo | None = None,
) -> Iterator[tuple[Path, FileResult]]:
    """Each file and its result, in the order of ``files`` (read as the work goes on),
    checked by ``executor`` (default: all cores of this machine). Results ``memo`` holds for
    unchanged files are reused; the others are checked and stored."""
    memo = memo or Memo(options, enabled=False)
    keys: dict[Path, str | None] = {}  # of the files out being checked

    def known(path: Path) -> FileResult | None:
        key = memo.key(path)
        result = memo.get(key, path)
        if result is None:
            keys[path] = key
        return result

    setup: Setup = (options, f"{os.getpid()}-{uuid.uuid4()}")
    executor = executor or LocalExecutor()
    checked = executor.map_files(
        _check_one, iter(files), setup, failed=_not_checked, known=known, prepare=_checker
    )
    for path, result in checked:
        if path in keys:
            memo.put(keys.pop(path), result)
        yield path, result

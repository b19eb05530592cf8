"""Checking files in worker processes, in chunks, results in the order of the files.

Each worker compiles the schemas once (the pool's initializer) and returns, per file, the
findings and the ``xml:id``s, never a tree: the check across files runs in the parent over every
file. A few files are checked in-process, since starting workers costs more than it saves.
Workers are forked where that is safe (Linux, and Saxon's runtime not yet started in this
process: it does not survive a fork); otherwise they are spawned.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from teitools.validate import saxon
from teitools.validate.checker import Checker, FileResult, Options
from teitools.validate.memo import Memo
from teitools.workers import default_jobs

SERIAL_BELOW = 16  # files; fewer are checked in-process
CHUNK = 32  # files at most per task

_checker: Checker | None = None  # a worker's own, made by _start


def _start(options: Options) -> None:
    global _checker
    _checker = Checker(options)
    _checker.warm()


def _check_chunk(paths: Sequence[Path]) -> list[FileResult]:
    assert _checker is not None, "a worker checks files only after _start"
    return [_checker.check(path) for path in paths]


def results(
    files: Sequence[Path], options: Options, jobs: int | None, memo: Memo | None = None
) -> Iterator[FileResult]:
    """Each file's result, in the order of ``files``; ``jobs`` worker processes at most.

    Results ``memo`` holds for unchanged files are reused; the others are checked and stored.
    """
    memo = memo or Memo(options, enabled=False)
    keys = [memo.key(path) for path in files]
    known = [memo.get(key, path) for key, path in zip(keys, files, strict=True)]
    todo = [i for i, result in enumerate(known) if result is None]
    fresh = _check([files[i] for i in todo], options, jobs)
    for i, result in enumerate(known):
        if result is None:
            result = next(fresh)
            memo.put(keys[i], result)
        yield result


def _check(files: Sequence[Path], options: Options, jobs: int | None) -> Iterator[FileResult]:
    jobs = jobs or default_jobs()
    if jobs == 1 or len(files) < SERIAL_BELOW:
        checker = Checker(options)
        yield from (checker.check(path) for path in files)
        return
    size = max(1, min(CHUNK, len(files) // (jobs * 4)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    fork = sys.platform == "linux" and not saxon.started()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with ProcessPoolExecutor(
        min(jobs, len(chunks)), mp_context=context, initializer=_start, initargs=(options,)
    ) as pool:
        for chunk in pool.map(_check_chunk, chunks):
            yield from chunk

"""Work spread over worker processes: how many there may be, and a map that uses them only
when there is enough work to pay for starting them."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from teitools import progress

Item = TypeVar("Item")
Result = TypeVar("Result")


def default_jobs() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool_map(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int | None,
    *,
    per_worker: int = 8,
    chunksize: int = 8,
    label: str = "working",
) -> list[Result]:
    """``function`` over ``items``, in order: in up to ``jobs`` processes (default: all
    cores), one for every ``per_worker`` items at least; in this process if that is one.
    Progress is shown under ``label`` (:mod:`teitools.progress`)."""
    workers = min(jobs or default_jobs(), max(1, len(items) // per_worker))
    if workers == 1:
        return list(progress.track(map(function, items), len(items), label))
    with ProcessPoolExecutor(workers) as pool:
        results = pool.map(function, items, chunksize=chunksize)
        return list(progress.track(results, len(items), label))

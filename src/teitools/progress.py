"""Progress of long work: a bar with the count and the time left, and how long each stage took.

Every batch (converting, validating, rendering, site pages) passes its results through
:func:`track`. The bar is drawn on stderr only when the command line turned it on
(:func:`show`: stderr is a terminal and ``-q`` was not given), so CI logs and pipes stay
quiet; what each stage took is recorded either way and :func:`summary` says it. A batch
run elsewhere (worker processes, a cluster) reports its results as they come back.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import click

Item = TypeVar("Item")

MIN_ITEMS = 2  # fewer items than this draw no bar


@dataclass
class Stage:
    label: str
    items: int
    seconds: float


_shown = False
_stages: list[Stage] = []


def show(on: bool) -> None:
    """Draw progress bars (on stderr) from now on, or not; forget the stages recorded so far
    (a command starts)."""
    global _shown
    _shown = on
    _stages.clear()


def track(items: Iterable[Item], total: int, label: str) -> Iterator[Item]:
    """``items`` as they come, with a bar of ``total`` labelled ``label`` when shown; the
    stage's time is recorded when the items run out (or the consumer stops)."""
    started = time.perf_counter()
    try:
        if _shown and total >= MIN_ITEMS:
            with click.progressbar(
                items,
                length=total,
                label=label,
                file=sys.stderr,
                show_pos=True,
                show_eta=True,
                show_percent=True,
                width=24,
            ) as bar:
                yield from bar
        else:
            yield from items
    finally:
        _stages.append(Stage(label, total, time.perf_counter() - started))


def stages() -> list[Stage]:
    return list(_stages)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def summary(total: float) -> str:
    """ "took 5 min 25 s: converting 1,200 files 3.1 s, validating 1,200 files 39.0 s" """
    parts = [
        f"{stage.label} {stage.items:,} file{'s' if stage.items != 1 else ''} "
        f"{_duration(stage.seconds)}"
        for stage in _stages
    ]
    return f"took {_duration(total)}" + (f": {', '.join(parts)}" if parts else "")

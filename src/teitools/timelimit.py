"""A time limit on one piece of work in this process: a file's conversion, say.

The limit is in seconds of CPU time, so that a loaded machine does not fail work that
would finish: an alarm (``SIGVTALRM``) rings when the process has computed that long, and
:class:`TimeLimitExceeded` is raised in the work, wherever it is in Python code (``re`` and
``regex`` let signals in while they match). It needs the main thread of a process (a
worker process of a pool is one); elsewhere, and where the platform has no such alarm,
the work runs without a limit.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class TimeLimitExceeded(Exception):
    """The work ran longer than its limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block if it computes over ``seconds``."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "SIGVTALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None
    armed = True

    def ring(signum: int, frame: FrameType | None) -> None:
        if armed:  # not once the block has ended
            raise TimeLimitExceeded(f"took more than {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, ring)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)

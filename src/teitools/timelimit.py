"""A time limit on one piece of work in this process: a file's conversion, say.

The limit is in seconds of CPU time, so that a loaded machine does not fail work that
would finish: an alarm (``SIGVTALRM``) rings when the process has computed that long, and
:class:`TimeLimitExceeded` is raised in the work, wherever it is in Python code (``re`` and
``regex`` let signals in while they match). In the main thread of a process (a worker
process of a pool is one) the alarm does it; in another thread (a Dask worker runs its
tasks in one) a watchdog thread reads that thread's own CPU clock and raises the exception
in it, at the next Python instruction it runs. Where the platform has neither, the work
runs without a limit.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType

WATCH_EVERY = 0.25  # seconds between a watchdog's looks at the CPU clock
RING_AGAIN = 0.01  # CPU seconds between rings once the limit has passed


class TimeLimitExceeded(Exception):
    """The work ran longer than its limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block if it computes over ``seconds``."""
    if seconds is None or seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _watched(seconds):
            yield
        return
    if not hasattr(signal, "SIGVTALRM"):
        yield
        return
    armed = True

    def ring(signum: int, frame: FrameType | None) -> None:
        if armed:  # not once the block has ended
            raise TimeLimitExceeded(f"took more than {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, ring)
    # the alarm rings again until the block ends: an exception raised where Python cannot
    # pass it on (a garbage collector's callback) is lost, quietly, and the next ring
    # raises anew
    hook = sys.unraisablehook
    sys.unraisablehook = _QuietAboutLostRings(hook)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds, RING_AGAIN)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)  # first: no ring can come after it
        armed = False
        signal.signal(signal.SIGVTALRM, previous)
        sys.unraisablehook = hook


class _QuietAboutLostRings:
    """``sys.unraisablehook`` while a limit is on: a ring lost in a garbage collector's
    callback is no traceback on the user's screen; anything else goes to ``then``."""

    def __init__(self, then: Callable[[sys.UnraisableHookArgs], object]) -> None:
        self.then = then

    def __call__(self, unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, TimeLimitExceeded):
            self.then(unraisable)


@contextlib.contextmanager
def _watched(seconds: float) -> Iterator[None]:
    """The limit for a thread that is not the main one: a watchdog on its CPU clock."""
    if not hasattr(time, "pthread_getcpuclockid"):
        yield
        return
    ident = threading.get_ident()
    clock = time.pthread_getcpuclockid(ident)
    deadline = time.clock_gettime(clock) + seconds
    done = threading.Event()

    class Exceeded(TimeLimitExceeded):  # raised by class: its message is its own
        def __init__(self) -> None:
            super().__init__(f"took more than {seconds:g} s of CPU time")

    def watch() -> None:
        while not done.wait(WATCH_EVERY):
            if time.clock_gettime(clock) > deadline:
                # sent again at each look until the block ends, in case one is lost
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(ident), ctypes.py_object(Exceeded)
                )

    watchdog = threading.Thread(target=watch, name="teitools-time-limit", daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        done.set()
        watchdog.join()
        # the block has ended: an exception the watchdog sent as it ended is not raised later
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)

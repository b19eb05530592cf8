"""One execution layer for every command: the same per-file work run in this process, in
worker processes on this machine (:class:`LocalExecutor`), or on a Dask cluster
(:class:`DaskExecutor`).

Every command hands :meth:`Executor.map_files` a module-level ``function(context, item)``,
the items (a generator is fine: they are read as the work goes on) and one ``context``
(rules, options: whatever every item needs), sent to each worker once. Items go out in
batches, never more than a bounded number at a time, and the results come back in the
order of the items, so a run's output and summary are the same for any executor and any
number of workers. The work is pure: it reads its input and returns bytes, and the caller
writes them (atomically). A task that is lost with its worker is simply run again
elsewhere, and nothing is ever half-written.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from teitools.errors import TeitoolsError

Context = TypeVar("Context")
Item = TypeVar("Item")
Result = TypeVar("Result")

EXECUTORS = ("local", "dask")
SERIAL_BELOW = 16  # items; fewer are run in this process (starting workers costs more)
BATCH = 16  # items per task
# items per task on a Dask cluster: each task costs the scheduler and the worker a few
# milliseconds of their own, so a task should hold some hundreds of milliseconds of work
# (a 2,000-file validation: Dask's CPU time 1.7 times the local executor's with 16, 1.2 with 64)
DASK_BATCH = 64
AHEAD = 4  # tasks per worker submitted at once (the rest of the items wait, unread)


def default_jobs() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_UNFORKABLE: set[str] = set()  # runtimes started in this process that a fork would break


def runtime_started(name: str) -> None:
    """Note that this process now runs ``name`` (Saxon's, say), which does not survive a
    ``fork``: local workers are spawned from then on."""
    _UNFORKABLE.add(name)


def lost(error: BaseException) -> str:
    """Why a task's items have no result, in a few words (the task's worker died, say)."""
    text = " ".join(str(error).split())
    return f"lost in its worker: {type(error).__name__}" + (f": {text}" if text else "")


class ExecutionError(TeitoolsError):
    """The executor could not run at all (no Dask installed, no scheduler at that address)."""


def run_batch(
    function: Callable[[Context, Item], Result], context: Context, items: list[Item]
) -> list[Result]:
    """One task: ``function`` over a batch of items, in a worker."""
    return [function(context, item) for item in items]


_CONTEXT: list[Any] = []  # a local worker process's context, installed once when it starts


def _install(context: Any) -> None:
    _CONTEXT[:] = [context]


def _run_installed(function: Callable[[Any, Item], Result], items: list[Item]) -> list[Result]:
    return run_batch(function, _CONTEXT[0], items)


@dataclass
class _Slot:
    """A batch on its way: the items, and the future of their results (or the results)."""

    items: list[Any]
    future: Any = None
    results: list[Any] | None = None
    done: bool = False


@dataclass
class _Stream:
    """Submits batches as long as fewer than ``ahead`` are out, yields results in order."""

    submit: Callable[[list[Any]], Any]
    ahead: int
    slots: deque[_Slot] = field(default_factory=deque)
    running: int = 0

    def add(self, items: list[Any], known: list[Any] | None = None) -> None:
        slot = _Slot(items, results=known, done=known is not None)
        if known is None:
            slot.future = self.submit(items)
            self.running += 1
        self.slots.append(slot)

    def finished(self, slot: _Slot, results: list[Any]) -> None:
        slot.results, slot.done, slot.future = results, True, None
        self.running -= 1

    def ready(self) -> Iterator[tuple[Any, Any]]:
        """The (item, result) pairs now ready in order, at the head of the queue."""
        while self.slots and self.slots[0].done:
            slot = self.slots.popleft()
            assert slot.results is not None
            yield from zip(slot.items, slot.results, strict=True)

    @property
    def full(self) -> bool:
        return self.running >= self.ahead or len(self.slots) >= 4 * self.ahead


class Executor(Protocol):
    """Runs ``function(context, item)`` over items (:meth:`LocalExecutor.map_files`)."""

    def map_files(
        self,
        function: Callable[[Context, Item], Result],
        items: Iterable[Item],
        context: Context,
        *,
        failed: Callable[[Item, BaseException], Result],
        known: Callable[[Item], Result | None] | None = None,
        batch: int = BATCH,
        prepare: Callable[[Context], object] | None = None,
    ) -> Iterator[tuple[Item, Result]]: ...

    def close(self) -> None: ...


def _batches(
    items: Iterable[Item], size: int, known: Callable[[Item], Any] | None
) -> Iterator[tuple[list[Item], list[Any] | None]]:
    """Items in batches to run, and runs of items whose results ``known`` gives at once."""
    todo: list[Item] = []
    done: list[Item] = []
    results: list[Any] = []
    for item in items:
        result = known(item) if known is not None else None
        if result is None:
            if done:
                yield done, results
                done, results = [], []
            todo.append(item)
            if len(todo) == size:
                yield todo, None
                todo = []
        else:
            if todo:
                yield todo, None
                todo = []
            done.append(item)
            results.append(result)
            if len(done) == size:  # a long run of known results is not held all at once
                yield done, results
                done, results = [], []
    if todo:
        yield todo, None
    if done:
        yield done, results


def _serial(
    function: Callable[[Context, Item], Result],
    batches: Iterable[tuple[list[Item], list[Any] | None]],
    context: Context,
) -> Iterator[tuple[Item, Result]]:
    for items, results in batches:
        yield from zip(items, results or run_batch(function, context, items), strict=True)


@dataclass
class LocalExecutor:
    """Worker processes on this machine (``jobs``, default all cores); fewer than
    :data:`SERIAL_BELOW` items run in this process. Workers are forked where that is safe
    (Linux, and no runtime of :func:`runtime_started` in this process), else spawned."""

    jobs: int | None = None

    def workers(self) -> int:
        return self.jobs or default_jobs()

    def map_files(
        self,
        function: Callable[[Context, Item], Result],
        items: Iterable[Item],
        context: Context,
        *,
        failed: Callable[[Item, BaseException], Result],
        known: Callable[[Item], Result | None] | None = None,
        batch: int = BATCH,
        prepare: Callable[[Context], object] | None = None,
    ) -> Iterator[tuple[Item, Result]]:
        """``(item, function(context, item))`` for every item, in order. ``prepare(context)``
        runs in this process just before workers are forked from it (never otherwise), so
        that they inherit what it loads instead of each loading it again."""
        batches = _batches(items, batch, known)
        # enough to know whether workers are worth starting: known results before any
        # work go out at once, the rest waits (a bounded number of batches)
        first: list[tuple[list[Item], list[Any] | None]] = []
        pending = 0
        for chunk, results in batches:
            if results is not None and not first:
                yield from zip(chunk, results, strict=True)
                continue
            first.append((chunk, results))
            pending += len(chunk) if results is None else 0
            if pending >= SERIAL_BELOW or len(first) >= 4 * AHEAD * self.workers():
                break
        if self.workers() == 1 or pending < SERIAL_BELOW:
            yield from _serial(function, itertools.chain(first, batches), context)
            return
        fork = sys.platform == "linux" and not _UNFORKABLE
        if prepare is not None and fork:
            prepare(context)
        mp = multiprocessing.get_context("fork" if fork else "spawn")
        with ProcessPoolExecutor(
            self.workers(), mp_context=mp, initializer=_install, initargs=(context,)
        ) as pool:

            def submit(chunk: list[Item]) -> Future[list[Result]]:
                return pool.submit(_run_installed, function, chunk)

            stream = _Stream(submit, AHEAD * self.workers())
            yield from _drive(stream, itertools.chain(first, batches), failed, _wait_local)

    def close(self) -> None:
        """Nothing to close: each run starts and ends its own processes."""


def _wait_local(stream: _Stream) -> list[tuple[_Slot, Any]]:
    """Wait for at least one running batch; its slot and its results (or error)."""
    running = {slot.future: slot for slot in stream.slots if slot.future is not None}
    done, _ = wait(running, return_when=FIRST_COMPLETED)
    finished = []
    for future in done:
        error = future.exception()
        finished.append((running[future], error if error is not None else future.result()))
    return finished


def _drive(
    stream: _Stream,
    batches: Iterable[tuple[list[Item], list[Any] | None]],
    failed: Callable[[Item, BaseException], Result],
    wait_some: Callable[[_Stream], list[tuple[_Slot, Any]]],
) -> Iterator[tuple[Item, Result]]:
    """Feed ``stream`` from ``batches`` while it has room; yield results in order."""
    source = iter(batches)
    exhausted = False
    while True:
        while not exhausted and not stream.full:
            try:
                items, results = next(source)
            except StopIteration:
                exhausted = True
                break
            stream.add(items, results)
        yield from stream.ready()
        if not stream.running:
            if exhausted and not stream.slots:
                return
            continue
        for slot, outcome in wait_some(stream):
            if isinstance(outcome, BaseException):
                outcome = [failed(item, outcome) for item in slot.items]
            stream.finished(slot, outcome)
        yield from stream.ready()


def _identity(value: Any) -> Any:
    return value


class DaskExecutor:
    """A Dask cluster: the scheduler at ``address``, or a cluster of ``jobs`` worker
    processes on this machine started for the run. Every worker needs teitools installed
    and the input files at the same paths (a shared file system); results come back to
    this process, which writes them. A worker that dies has its tasks run again elsewhere
    (Dask retries the tasks of lost workers; ours are pure, so that is safe)."""

    def __init__(self, address: str | None = None, jobs: int | None = None) -> None:
        self.address, self.jobs = address, jobs
        self._client: Any = None
        self._cluster: Any = None

    def client(self) -> Any:
        if self._client is None:
            try:
                from distributed import Client, LocalCluster
            except ImportError:
                raise ExecutionError(
                    "--executor dask needs Dask: pip install 'teitools[dask]'"
                ) from None
            try:
                if self.address:
                    self._client = Client(self.address)
                else:
                    self._cluster = LocalCluster(
                        n_workers=self.jobs or default_jobs(),
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                    )
                    self._client = Client(self._cluster)
            except (OSError, TimeoutError) as error:
                where = self.address or "a local cluster"
                raise ExecutionError(
                    f"cannot reach the Dask scheduler at {where}: {error}"
                ) from None
        return self._client

    def slots(self) -> int:
        """The worker threads of the cluster now (at least one)."""
        threads: dict[str, int] = self.client().nthreads()
        return max(1, sum(threads.values()))

    def map_files(
        self,
        function: Callable[[Context, Item], Result],
        items: Iterable[Item],
        context: Context,
        *,
        failed: Callable[[Item, BaseException], Result],
        known: Callable[[Item], Result | None] | None = None,
        batch: int = DASK_BATCH,
        prepare: Callable[[Context], object] | None = None,
    ) -> Iterator[tuple[Item, Result]]:
        """``(item, function(context, item))`` for every item, in order, on the cluster."""
        from distributed import as_completed

        client = self.client()
        # the context as a task of its own: each worker fetches it once, and if every copy
        # is lost with its workers, the scheduler makes it again
        shared = client.submit(_identity, context, pure=False)
        completed = as_completed()
        owner: dict[Any, _Slot] = {}

        def submit(chunk: list[Item]) -> Any:
            future = client.submit(run_batch, function, shared, chunk, pure=False)
            completed.add(future)
            return future

        def wait_some(stream: _Stream) -> list[tuple[_Slot, Any]]:
            owner.update({slot.future: slot for slot in stream.slots if slot.future is not None})
            finished = []
            for future in completed.next_batch(block=True):
                slot = owner.pop(future)
                try:
                    finished.append((slot, future.result()))
                except Exception as error:  # the task failed: each of its items says why
                    finished.append((slot, error))
                future.release()
            return finished

        stream = _Stream(submit, AHEAD * self.slots())
        try:
            yield from _drive(stream, _batches(items, batch, known), failed, wait_some)
        finally:
            for slot in stream.slots:
                if slot.future is not None:
                    slot.future.cancel()
            shared.release()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def make_executor(kind: str = "local", scheduler: str | None = None, jobs: int | None = None) -> (
    LocalExecutor | DaskExecutor
):
    """The executor a command line asks for: ``--scheduler`` implies Dask."""
    if scheduler or kind == "dask":
        return DaskExecutor(scheduler, jobs)
    if kind != "local":
        raise ExecutionError(f"unknown executor {kind!r} (local or dask)")
    return LocalExecutor(jobs)

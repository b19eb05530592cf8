"""Benchmark at scale: generated letters through convert, validate and HTML, on the local
executor and on a Dask cluster of this machine, with throughput and peak memory per stage.

    python bench/scale_bench.py [--sizes 10000 30000 100000] [--executors local dask]
                                [--workers 2] [--stages convert validate html] [--folder DIR]
    python bench/scale_bench.py --render-client [--sizes 10000 30000 100000]
    python bench/scale_bench.py --corpus DIR --make-corpus [--sizes 10000 30000 100000]
    python bench/scale_bench.py --corpus DIR --clients convert validate html site site-again cmif
                                [--sizes ...] [--before OLD/src]

For each size, letters are generated (``tests/lettergen.py``: English, German and French,
typed out as OCR'd text) in a separate process, then the executors take turns, stage by
stage (so that both meet much the same load), each into its own folders: ``convert`` (raw
→ TEI), ``validate`` (every file checked afresh, no cache) and ``render --to html``. The
Dask cluster is a real one: a scheduler process and ``--workers`` worker processes (one
thread each) started with Dask's own command line, so
the memory of the scheduler, of each worker and of this process (the client, which lists
the inputs, submits them in bounded batches and writes what comes back) is measured
apart, by sampling every process's resident memory (RSS) and CPU time twice a second. The local
executor's workers are this process's children. Memory should stay flat as the corpus
grows: what grows with it is the per-letter record a command keeps for its summary
(``render`` keeps none: ``--render-client`` measures its client alone, in a process that
ran no other stage, whose peak is the figure to compare across sizes).

Figures on a shared machine are noisy: compare the executors within one run (the ratios
dask/local of wall time and of CPU time, all roles' processes together, are printed for
each stage; CPU time is what other work on the machine disturbs least), not across runs.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from teitools.convert import convert_batch
from teitools.execution import DaskExecutor, Executor, LocalExecutor
from teitools.render import render_paths
from teitools.validate import validate_paths

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024


def generate(folder: Path, count: int, seed: int = 17) -> None:
    """``count`` generated letters as OCR'd text files in ``folder``."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from lettergen import degrade, generated_letter

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = degrade(generated_letter(rng), rng).text
        (folder / f"l{i:07d}.txt").write_text(text, encoding="utf-8")


@dataclass
class Peaks:
    """The highest RSS seen, per role, while a stage ran, and the CPU time each role used
    (user and system, every process of the role): the time a loaded machine disturbs least."""

    roles: dict[str, Callable[[], list[psutil.Process]]]
    peak: dict[str, float] = field(default_factory=dict)  # role → MB, the largest process
    total: dict[str, float] = field(default_factory=dict)  # role → MB, all its processes
    stop: threading.Event = field(default_factory=threading.Event)
    start: dict[int, float] = field(default_factory=dict)  # pid → CPU s when first seen
    last: dict[tuple[str, int], float] = field(default_factory=dict)  # (role, pid) → CPU s

    def sample(self) -> None:
        first = True
        while True:
            stopping = self.stop.is_set()
            for role, processes in self.roles.items():
                sizes = []
                for process in processes():  # asked anew: workers come and go
                    try:
                        with process.oneshot():
                            sizes.append(process.memory_info().rss / MB)
                            times = process.cpu_times()
                    except psutil.Error:
                        continue
                    used = times.user + times.system  # children are roles of their own
                    # a process there when the stage began counts from then, a new one from 0
                    self.start.setdefault(process.pid, used if first else 0.0)
                    self.last[(role, process.pid)] = used
                if sizes:
                    self.peak[role] = max(self.peak.get(role, 0.0), max(sizes))
                    self.total[role] = max(self.total.get(role, 0.0), sum(sizes))
            first = False
            if stopping:
                return
            time.sleep(0.5)

    def cpu(self) -> dict[str, float]:
        """CPU seconds per role (a process that ended between samples loses at most its
        last half second)."""
        used: dict[str, float] = {}
        for (role, pid), seconds in self.last.items():
            used[role] = used.get(role, 0.0) + seconds - self.start[pid]
        return used


def _family(
    pid: int, *, itself: bool = True, descendants: bool = True
) -> Callable[[], list[psutil.Process]]:
    """The process ``pid`` (if ``itself``) and its descendants, as they are when asked."""

    def processes() -> list[psutil.Process]:
        try:
            process = psutil.Process(pid)
            return [process] * itself + process.children(recursive=True) * descendants
        except psutil.Error:
            return []

    return processes


def _pool(pid: int, cluster: Cluster | None) -> Callable[[], list[psutil.Process]]:
    """This process's descendants but for the Dask cluster's processes."""
    everyone = _family(pid, itself=False)
    if cluster is None:
        return everyone
    theirs = (_family(cluster.scheduler.pid), _family(cluster.workers.pid))

    def processes() -> list[psutil.Process]:
        apart = {p.pid for family in theirs for p in family()}
        return [p for p in everyone() if p.pid not in apart]

    return processes


class Cluster:
    """A Dask scheduler and workers as processes of their own (``dask scheduler``,
    ``dask worker``), like a cluster's, so each one's memory is its own."""

    def __init__(self, workers: int, folder: Path) -> None:
        dask = Path(sys.executable).with_name("dask")
        self.file = folder / "scheduler.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.scheduler = subprocess.Popen(
            [dask, "scheduler", "--scheduler-file", self.file, "--no-dashboard", "--port", "0"],
            **quiet,  # type: ignore[call-overload]
        )
        while not self.file.exists():
            time.sleep(0.2)
        self.workers = subprocess.Popen(
            [
                dask,
                "worker",
                "--scheduler-file",
                self.file,
                "--nworkers",
                str(workers),
                "--nthreads",
                "1",
                "--no-dashboard",
                "--memory-limit",
                "0",
            ],
            **quiet,  # type: ignore[call-overload]
        )
        self.address = json.loads(self.file.read_text())["address"]

    def close(self) -> None:
        for process in (self.workers, self.scheduler):
            process.terminate()
            process.wait(30)


def stages(raw: Path, out: Path, executor: Executor, chosen: list[str]) -> list[tuple[str, object]]:
    tei, html = out / "tei", out / "html"
    every = [
        (
            "convert",
            lambda: convert_batch([raw], tei, executor=executor, encoding_date="2024-01-01"),
        ),
        ("validate", lambda: validate_paths([tei], reuse=False, executor=executor)),
        ("html", lambda: render_paths([tei], "html", html, executor=executor)),
    ]
    return sorted((s for s in every if s[0] in chosen), key=lambda s: chosen.index(s[0]))


def cpu_per_letter(size: int, base: Path) -> None:
    """CPU milliseconds per letter of each stage (HTML and PDF too), run in this process on
    ``size`` generated letters: the figures a cost estimate multiplies, which a loaded
    machine inflates far less than wall time."""
    import resource

    from teitools.render.pdf import ENGINES

    raw, out = base / f"raw{size}", base / f"cpu{size}"
    generate(raw, size)
    one = LocalExecutor(1)
    tei = out / "tei"
    work = {
        "convert": lambda: convert_batch([raw], tei, executor=one, encoding_date="2024-01-01"),
        "validate": lambda: validate_paths([tei], reuse=False, executor=one),
        "html": lambda: render_paths([tei], "html", out / "html", executor=one),
        **{
            f"pdf {engine}": lambda engine=engine: render_paths(
                [tei], "pdf", out / engine, executor=one, engine=engine
            )
            for engine in ENGINES
        },
    }
    for stage, run_stage in work.items():
        before = resource.getrusage(resource.RUSAGE_SELF)
        run_stage()
        after = resource.getrusage(resource.RUSAGE_SELF)
        used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        letters = len([p for p in tei.glob("*.xml") if p.name != "register.xml"])
        print(f"{stage:15} {used / letters * 1000:7.1f} ms CPU per letter ({letters} letters)")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(raw, ignore_errors=True)


def render_client(sizes: list[int], base: Path, workers: int, made: int = 2000) -> None:
    """The render client alone: ``made`` generated letters converted once, their TEI copied
    to each size, then ``render --to html`` in a process of its own (so that nothing another
    stage held counts), whose peak RSS and CPU time are the client's."""
    raw, tei = base / "raw-client", base / "tei-client"
    generate(raw, made)
    convert_batch([raw], tei, executor=LocalExecutor(workers), encoding_date="2024-01-01")
    letters = sorted(tei.glob("l*.xml"))
    for size in sorted(sizes):
        folder = base / f"tei-{size}"
        folder.mkdir()
        for k in range(size // len(letters)):
            for letter in letters:
                (folder / f"{letter.stem}-{k}.xml").write_bytes(letter.read_bytes())
        out = base / f"html-{size}"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--render-html", str(folder), str(out), str(workers)],
            check=True,
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - started
        print(f"{size:>7} html, client alone: {took:.0f} s; {done.stdout.strip()}", flush=True)
        shutil.rmtree(folder)
        shutil.rmtree(out)


def render_html(tei: Path, out: Path, workers: int) -> None:
    """``render --to html`` of ``tei``; this process's peak RSS and CPU time."""
    import resource

    report = render_paths([tei], "html", out, executor=LocalExecutor(workers))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"{len(report.errors)} failed; client CPU {usage.ru_utime + usage.ru_stime:.1f} s, "
        f"peak RSS {usage.ru_maxrss / 1024:.0f} MB"
    )


# site-again: an incremental site build with nothing changed, after a full one (not counted)
CLIENT_STAGES = ("convert", "validate", "html", "site", "site-again", "cmif")


def clients(
    chosen: list[str], sizes: list[int], corpus: Path, workers: int, before: str | None
) -> None:
    """Each stage's client alone, at each size, in a process of its own (so that nothing
    another stage held counts): its peak RSS and CPU time, and its workers' CPU time. The
    inputs are made once, by ``--make-corpus``: ``corpus/raw-N`` (text) and ``corpus/tei-N``
    (TEI). With ``before`` (a ``src`` folder of older teitools, put first on ``PYTHONPATH``),
    the older code and this one take turns, stage by stage and size by size."""
    import os

    codes = [("before", before), ("after", None)] if before else [("now", None)]
    for stage in chosen:
        for size in sorted(sizes):
            source = corpus / f"{'raw' if stage == 'convert' else 'tei'}-{size}"
            for label, path in codes:
                env = dict(os.environ)
                if path:
                    env["PYTHONPATH"] = path
                with tempfile.TemporaryDirectory(dir=corpus) as out:
                    for run in ["site", stage] if stage == "site-again" else [stage]:
                        started = time.perf_counter()
                        done = subprocess.run(
                            [
                                sys.executable,
                                __file__,
                                "--client-run",
                                run,
                                str(source),
                                out,
                                str(workers),
                            ],
                            check=True,
                            capture_output=True,
                            text=True,
                            env=env,
                        )
                took = time.perf_counter() - started
                print(
                    f"{size:>7} {stage:8} {label:6} {took:6.0f} s; {done.stdout.strip()}",
                    flush=True,
                )


def client_run(stage: str, source: Path, out: Path, workers: int) -> None:
    """One stage's run on ``source`` into ``out``: this process's peak RSS and CPU time,
    and its workers' (its children, ended by then)."""
    import resource

    executor = LocalExecutor(workers)
    if stage == "convert":
        convert_batch([source], out / "tei", executor=executor, encoding_date="2024-01-01")
    elif stage == "validate":
        validate_paths([source], reuse=False, executor=executor)
    elif stage == "html":
        render_paths([source], "html", out / "html", executor=executor)
    elif stage == "cmif":  # the command as a user runs it (one process, no workers)
        from teitools.cli import cli

        header = ["--title", "T", "--editor", "E", "--url", "https://example.org/"]
        command = ["-q", "cmif", str(source), "-o", str(out / "cmif.xml"), *header]
        cli.main([*command, "--date", "2024-01-01"], standalone_mode=False)
    else:
        from teitools.site import build_site

        again = stage == "site-again"
        build_site(source, out / "site", pdf=False, executor=executor, incremental=again)
    me = resource.getrusage(resource.RUSAGE_SELF)
    them = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"client CPU {me.ru_utime + me.ru_stime:.1f} s, peak RSS {me.ru_maxrss / 1024:.0f} MB;"
        f" workers CPU {them.ru_utime + them.ru_stime:.1f} s"
    )


def make_corpus(corpus: Path, sizes: list[int], workers: int, made: int = 2000) -> None:
    """``made`` generated letters, converted once; their text and TEI copied to each size."""
    raw, tei = corpus / f"raw-{made}", corpus / f"tei-{made}"
    if not raw.exists():
        generate(raw, made)
    if not tei.exists():
        convert_batch([raw], tei, executor=LocalExecutor(workers), encoding_date="2024-01-01")
    for kind, folder, suffix in (("raw", raw, ".txt"), ("tei", tei, ".xml")):
        letters = sorted(folder.glob(f"l*{suffix}"))
        for size in sizes:
            copies = corpus / f"{kind}-{size}"
            if copies.exists():
                continue
            copies.mkdir()
            for k in range(size // len(letters)):
                for letter in letters:
                    (copies / f"{letter.stem}-{k}{suffix}").write_bytes(letter.read_bytes())


def replicate(tei: Path, times: int) -> None:
    """Copy every TEI letter of ``tei`` ``times - 1`` times under new names (not timed)."""
    for letter in sorted(tei.glob("l*.xml")):
        data = letter.read_bytes()
        for k in range(1, times):
            (tei / f"{letter.stem}-{k}.xml").write_bytes(data)


def run(
    size: int, kinds: list[str], chosen: list[str], workers: int, base: Path, times: int = 1
) -> None:
    raw = base / f"raw{size}"
    made = size // times  # letters generated and converted; the TEI is copied to ``size``
    if not raw.exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--generate", str(made), "--folder", str(raw)], check=True
        )
        print(f"{made} letters generated in {time.perf_counter() - started:.0f} s", flush=True)
    seconds: dict[tuple[str, str], float] = {}
    cpu_seconds: dict[tuple[str, str], float] = {}
    cluster = Cluster(workers, base) if "dask" in kinds else None
    me = psutil.Process()
    runs = {}  # kind → (executor, roles, stages), the executors taking turns stage by stage
    for kind in kinds:
        out = base / f"out-{kind}-{size}"
        roles = {"client": _family(me.pid, descendants=False)}
        executor: Executor
        if kind == "dask":
            assert cluster is not None
            executor = DaskExecutor(cluster.address)
            roles["scheduler"] = _family(cluster.scheduler.pid)
            # the worker processes, without the process that started them
            roles["dask workers"] = _family(cluster.workers.pid, itself=False)
        else:
            executor = LocalExecutor(workers)
            roles["local workers"] = _pool(me.pid, cluster)
        runs[kind] = (executor, roles, dict(stages(raw, out, executor, chosen)))
    time.sleep(3)  # the workers connect
    for stage in chosen:
        for kind, (_, roles, work) in runs.items():
            peaks = Peaks(roles)
            sampler = threading.Thread(target=peaks.sample, daemon=True)
            sampler.start()
            started = time.perf_counter()
            work[stage]()  # type: ignore[operator]
            took = seconds[(stage, kind)] = time.perf_counter() - started
            peaks.stop.set()
            sampler.join()
            count = made if stage == "convert" else size
            if stage == "convert" and times > 1:
                replicate(base / f"out-{kind}-{size}" / "tei", times)
            cpu = peaks.cpu()
            cpu_seconds[(stage, kind)] = sum(cpu.values())
            memory = ", ".join(
                f"{role} {peaks.peak[role]:.0f} MB"
                + (
                    f" (all {peaks.total[role]:.0f})"
                    if peaks.total[role] != peaks.peak[role]
                    else ""
                )
                for role in peaks.peak
            )
            ratio = ""
            if kind != "local" and (stage, "local") in seconds:
                ratio = (
                    f"; {kind}/local time {took / seconds[(stage, 'local')]:.2f}, "
                    f"CPU {cpu_seconds[(stage, kind)] / cpu_seconds[(stage, 'local')]:.2f}"
                )
            spent = ", ".join(f"{role} {s:.0f}" for role, s in cpu.items())
            print(
                f"{count:>7} {kind:5} {stage:8} {took:8.1f} s {count / took:7.1f} letters/s; "
                f"CPU s: {spent}; peak RSS: {memory}{ratio}",
                flush=True,
            )
    for kind, (executor, _, _) in runs.items():
        executor.close()
        shutil.rmtree(base / f"out-{kind}-{size}", ignore_errors=True)
    if cluster:
        cluster.close()
    shutil.rmtree(raw, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--executors", nargs="+", default=["local", "dask"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--stages", nargs="+", default=["convert", "validate", "html"], help="convert first"
    )
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument(
        "--replicate",
        type=int,
        default=1,
        metavar="K",
        help="convert SIZE/K generated letters, then copy the TEI K times for the other stages",
    )
    parser.add_argument(
        "--cpu", type=int, default=None, help="only CPU ms per letter, per stage, on N letters"
    )
    parser.add_argument(
        "--render-client",
        action="store_true",
        help="only the render client's peak memory and CPU, for HTML of each size",
    )
    parser.add_argument(
        "--clients",
        nargs="+",
        choices=CLIENT_STAGES,
        default=None,
        help="only each stage's client, in a process of its own, on the --corpus folders",
    )
    parser.add_argument("--corpus", type=Path, default=None, help="folders raw-N and tei-N")
    parser.add_argument(
        "--make-corpus", action="store_true", help="make the --corpus folders for --sizes"
    )
    parser.add_argument(
        "--before", default=None, metavar="SRC", help="with --clients: older code's src, in turns"
    )
    parser.add_argument("--generate", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--client-run", nargs=4, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--render-html", nargs=3, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate is not None:
        generate(args.folder, args.generate)
        return
    if args.client_run is not None:
        stage, source, out, workers = args.client_run
        client_run(stage, Path(source), Path(out), int(workers))
        return
    if args.make_corpus:
        make_corpus(args.corpus, args.sizes, args.workers)
        return
    if args.clients:
        clients(args.clients, args.sizes, args.corpus, args.workers, args.before)
        return
    if args.render_html is not None:
        tei, out, workers = args.render_html
        render_html(Path(tei), Path(out), int(workers))
        return
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        if args.cpu:
            cpu_per_letter(args.cpu, Path(tmp))
            return
        if args.render_client:
            render_client(args.sizes, Path(tmp), args.workers)
            return
        print(f"{psutil.cpu_count()} cores, load {psutil.getloadavg()[0]:.1f}", flush=True)
        for size in args.sizes:
            run(size, args.executors, args.stages, args.workers, Path(tmp), args.replicate)


if __name__ == "__main__":
    main()

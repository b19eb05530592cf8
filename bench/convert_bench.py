"""Benchmark: convert a generated corpus of letters, on one core and on all.

    python bench/convert_bench.py [--letters 2000]

Prints letters per second, wall time, CPU time (user and system, of the main process and
its workers together) and peak memory (RSS of the worker processes and of the main process)
for ``teitools convert --jobs 1`` and ``--jobs N``, each run as the real command in a fresh
process, start-up included.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(corpus: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu = _cpu()
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "teitools",
            "-q",
            "convert",
            str(corpus),
            "-o",
            str(out),
            "--jobs",
            str(jobs),
            "--force",
        ],
        check=True,
    )
    elapsed = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return elapsed, _cpu() - cpu, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=2000)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "letters"
        generate(corpus, args.letters)
        size = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
        print(f"corpus: {args.letters} letters, {size:.1f} MB; {cores} cores")
        for jobs in sorted({1, cores}):
            out = Path(tmp) / f"out{jobs}"
            elapsed, cpu, peak = run(corpus, out, jobs)
            made = len(list(out.glob("*.xml")))
            print(
                f"--jobs {jobs}: {elapsed:6.2f} s, {args.letters / elapsed:6.0f} letters/s "
                f"({made} TEI files), {cpu:6.2f} CPU-s, peak RSS {peak:.0f} MB"
            )


if __name__ == "__main__":
    main()

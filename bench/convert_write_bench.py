"""Benchmark: the writing part of ``teitools convert`` alone (the main process's share).

    python bench/convert_write_bench.py [--letters 2000] [--rounds 3]

Converts a generated corpus once, then hands the results to ``convert_batch`` again and
again through an executor that only replays them, into a fresh output folder each round:
what is timed is everything the main process does with a converted letter (the check of
what is there, the TEI file and its record written and synced, the review row, the
counts). Prints letters written per second, wall and CPU time of each round.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from corpus import generate

from teitools.convert import FileResult, convert_batch, convert_file


class Replay:
    """An executor that gives back results computed before, in the order of the items."""

    def __init__(self, results: dict[Path, FileResult]) -> None:
        self.results = results

    def map_files(
        self,
        function: Callable[[Any, Path], FileResult],
        items: Iterable[Path],
        context: Any,
        **_: Any,
    ) -> Iterator[tuple[Path, FileResult]]:
        for item in items:
            yield item, self.results[item]

    def close(self) -> None:
        """Nothing to close."""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp) / "letters", args.letters)
        results = {path: convert_file(path) for path in paths}
        letters = sum(len(result.documents) for result in results.values())
        for round_ in range(1, args.rounds + 1):
            out = Path(tmp) / f"out{round_}"
            cpu, start = _cpu(), time.perf_counter()
            report = convert_batch([Path(tmp) / "letters"], out, executor=Replay(results))
            elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
            assert report.written == letters and not report.errors, report.summary()
            print(
                f"round {round_}: {letters} letters written in {elapsed:5.2f} s "
                f"({letters / elapsed:4.0f} letters/s), {cpu:5.2f} CPU-s"
            )


if __name__ == "__main__":
    main()

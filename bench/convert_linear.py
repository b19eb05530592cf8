"""Benchmark: convert is linear in the size of a letter, whatever its shape.

    python bench/convert_linear.py [--sizes 50k,100k,200k,500k,1m,2m,5m] [--shapes ...]

For each shape of letter (many short lines in one paragraph; many hyphenated paragraphs;
one paragraph of hyphenated line ends; many page breaks inside paragraphs, with page
numbers and stamps; a file of many short letters) and each size up to 5 MB (the limit for
a letter), one fresh process
converts one generated file (read, reader, writer, write: ``convert_batch`` with one job)
and reports its CPU time, wall time and peak memory. Linear means the time per KB stays
flat: the table gives each size's time as a multiple of the smallest's, beside the
multiple of the size. CPU time is the figure to compare on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HEAD = "Washington, November 17, 1981\n\nDear Mr. President:\n\n"
TAIL = "\n\nSincerely,\n\nRonald Reagan\n"


def short_lines(i: int) -> str:
    return f"word{i % 97} text\n"


def hyphenated_paragraphs(i: int) -> str:
    return f"The situation in region {i % 89} is sub-\nstantially better than before.\n\n"


def hyphenated_lines(i: int) -> str:
    return "the situation is sub-\n" if i % 2 == 0 else "stantially better and\n"


def page_breaks(i: int) -> str:
    stamp = "SECRET\n\n" if i % 3 == 0 else ""
    return f"we shall continue the talks\nin the spirit of\n\n- {i + 2} -\n\n{stamp}\n"


COLOURS = "red orange yellow green blue indigo violet black white grey brown pink".split()


def many_letters(i: int) -> str:
    """One letter of many in a file: a Markdown heading each, half of them dated, all
    with a sentence in common and otherwise different words (none a version of another)."""
    dated = f"Moscow, March {i % 28 + 1}, 1985\n\n" if i % 2 else ""
    words = " ".join(COLOURS[(i * 7 + k * k) % len(COLOURS)] for k in range(12))
    return (
        f"## SECRET\n\n{dated}Dear Mr. President:\n\nWe shall continue. {words} {i}.\n\n"
        "Sincerely,\n\nM. Gorbachev\n\n"
    )


SHAPES: dict[str, Callable[[int], str]] = {
    "short-lines": short_lines,
    "hyphenated-paragraphs": hyphenated_paragraphs,
    "hyphenated-lines": hyphenated_lines,
    "page-breaks": page_breaks,
    "many-letters": many_letters,
}


def generate(shape: str, size: int) -> str:
    """A letter of about ``size`` bytes (UTF-8) made of ``shape``'s pieces."""
    unit = SHAPES[shape]
    parts, total, i = [HEAD], len(HEAD) + len(TAIL), 0
    while total < size:
        piece = unit(i)
        parts.append(piece)
        total += len(piece.encode())
        i += 1
    return "".join(parts).rstrip("\n") + TAIL


CHILD = """
import json, resource, sys, time
from pathlib import Path
from teitools.convert import convert_batch, convert_text
convert_text("Dear Sir,\\n\\nThank you.\\n\\nYours,\\n\\nJ. Smith\\n")  # load rules, lexicon
rest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu, wall = time.process_time(), time.perf_counter()
report = convert_batch([Path(sys.argv[1])], Path(sys.argv[2]), jobs=1, force=True)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert not report.errors, report.errors
print(json.dumps({"cpu": cpu, "wall": wall, "peak_kb": peak, "rest_kb": rest}))
"""


def measure(path: Path, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def parse_size(text: str) -> int:
    factor = {"k": 1000, "m": 1000_000}.get(text[-1].lower(), 1)
    return int(float(text.rstrip("kKmM")) * factor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50k,100k,200k,500k,1m,2m,5m")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest counts")
    args = parser.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    load = os.getloadavg()[0]
    print(f"{len(os.sched_getaffinity(0))} cores, load average {load:.1f} at the start")
    print(
        f"{'shape':<22} {'size':>9} {'CPU s':>7} {'wall s':>7} {'µs/KB':>6} "
        f"{'× size':>7} {'× CPU':>7} {'peak MB':>8} {'+MB':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            first: tuple[int, float] | None = None
            for size in sizes:
                path = Path(tmp) / f"{shape}-{size}.txt"
                path.write_text(generate(shape, size), encoding="utf-8")
                actual = path.stat().st_size
                runs = [measure(path, Path(tmp) / "out") for _ in range(args.repeat)]
                best = min(runs, key=lambda r: r["cpu"])
                first = first or (actual, best["cpu"])
                print(
                    f"{shape:<22} {actual:>9,} {best['cpu']:>7.2f} {best['wall']:>7.2f} "
                    f"{best['cpu'] * 1e6 / (actual / 1000):>6.0f} "
                    f"{actual / first[0]:>7.1f} {best['cpu'] / first[1]:>7.1f} "
                    f"{best['peak_kb'] / 1024:>8.0f} "
                    f"{(best['peak_kb'] - best['rest_kb']) / 1024:>6.0f}",
                    flush=True,
                )
    print(f"load average {os.getloadavg()[0]:.1f} at the end; {time.strftime('%Y-%m-%d %H:%M')}")


if __name__ == "__main__":
    main()

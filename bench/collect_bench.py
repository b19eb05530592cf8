"""How long collecting input files takes: ``teitools.inputs.collect`` (which also opens each
file to know it can be read, and checks every link) against a plain sorted ``rglob``, the
way convert collected before, on a tree of BOXES folders of LETTERS files each.

    .venv/bin/python bench/collect_bench.py [BOXES] [LETTERS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from teitools.inputs import collect


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    boxes, letters = (int(a) for a in [*sys.argv[1:], "200", "100"][:2])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for box in range(boxes):
            here = root / f"box{box:04d}"
            here.mkdir()
            for letter in range(letters):
                (here / f"l{letter:04d}.txt").write_text("x")
            (here / "notes.md").write_text("not a letter")
        found = collect([root], ".txt").files
        assert found == sorted(p for p in root.rglob("*.txt") if p.is_file())
        plain = best_of(3, lambda: sorted(p for p in root.rglob("*.txt") if p.is_file()))
        ours = best_of(3, lambda: collect([root], ".txt"))
    print(f"{len(found):,} files in {boxes:,} folders")
    print(f"sorted rglob: {plain:.3f} s   collect: {ours:.3f} s   ratio {ours / plain:.2f}")


if __name__ == "__main__":
    main()

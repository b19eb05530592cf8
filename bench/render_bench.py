"""Benchmark: HTML for many letters, PDF per page, and lxml against Saxon-HE.

    python bench/render_bench.py [--letters 1000] [--pdf 20]

Converts a generated corpus to TEI first (not timed), then times
``render --to html`` with --jobs 1 and all cores (letters/s), ``--to pdf`` on a sample
(seconds per page), and the same stylesheet (xslt/letter-html.xsl) through lxml and through
Saxon-HE on one letter, many times (the ratio).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import encoded

from teitools.render import render_paths, saxon_transform, transform
from teitools.resources import XSLT


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--pdf", type=int, default=20)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        tei, letters = encoded(Path(tmp), args.letters, cores)
        print(f"corpus: {len(letters)} TEI letters; {cores} cores")
        for jobs in sorted({1, cores}):
            seconds, _ = timed(render_paths, [tei], "html", Path(tmp) / f"html{jobs}", jobs=jobs)
            print(f"html --jobs {jobs}: {seconds:6.2f} s, {len(letters) / seconds:6.0f} letters/s")
        sample = Path(tmp) / "sample"
        sample.mkdir()
        for letter in letters[: args.pdf]:
            (sample / letter.name).write_bytes(letter.read_bytes())
        seconds, _ = timed(render_paths, [sample], "pdf", Path(tmp) / "pdf", jobs=cores)
        pages = 0
        for pdf in (Path(tmp) / "pdf").glob("*.pdf"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            pages += int(
                next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
            )
        print(
            f"pdf --jobs {cores}: {args.pdf} letters, {pages} pages in {seconds:.2f} s: "
            f"{seconds / pages:.3f} s/page"
        )
        sheet, one = XSLT / "letter-html.xsl", letters[0]
        runs = 50
        lxml_s, _ = timed(lambda: [transform(one, sheet) for _ in range(runs)])
        try:
            saxon_s, _ = timed(lambda: [saxon_transform(one, sheet, {}) for _ in range(runs)])
            print(
                f"same stylesheet, {runs} runs: lxml {lxml_s / runs * 1000:.1f} ms, "
                f"Saxon-HE {saxon_s / runs * 1000:.1f} ms per letter "
                f"(Saxon/lxml = {saxon_s / lxml_s:.1f})"
            )
        except Exception as error:  # the bench reports and goes on
            print(f"Saxon-HE not measured: {error}", file=sys.stderr)


if __name__ == "__main__":
    main()

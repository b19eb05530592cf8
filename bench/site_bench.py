"""Benchmark: the edition website for a large generated corpus, full and incremental.

    python bench/site_bench.py [--letters 2000] [--pdf 20]

Converts a generated corpus to TEI first (not timed), then times ``build_site`` from
scratch with --jobs 1 and all cores (split: letter pages, other pages, search index), an
incremental rebuild with nothing changed, one with one letter changed, and PDFs on a
sample (seconds per letter). Prints the size of the site and of its search index.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from corpus import encoded

from teitools.site import SiteReport, build_site


def size(folder: Path) -> str:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB"


def show(label: str, seconds: float, report: SiteReport) -> None:
    split = ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items())
    print(f"{label}: {seconds:6.2f} s; {report.rendered} letter pages rendered ({split})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--pdf", type=int, default=20)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        tei, letters = encoded(Path(tmp), args.letters, cores)
        print(f"corpus: {len(letters)} TEI letters; {cores} cores")
        site = Path(tmp) / "site"
        for jobs in sorted({1, cores}):
            target = Path(tmp) / f"site{jobs}"
            start = time.perf_counter()
            report = build_site(tei, target, jobs=jobs, pdf=False)
            show(f"full build --jobs {jobs}", time.perf_counter() - start, report)
            site = target
        print(f"site: {size(site)}; search index: {size(site / 'pagefind')}")
        start = time.perf_counter()
        report = build_site(tei, site, jobs=cores, pdf=False, incremental=True)
        show("incremental, nothing changed", time.perf_counter() - start, report)
        changed = letters[len(letters) // 2]
        changed.write_text(changed.read_text(encoding="utf-8").replace("</p>", " </p>", 1))
        start = time.perf_counter()
        report = build_site(tei, site, jobs=cores, pdf=False, incremental=True)
        show("incremental, one letter changed", time.perf_counter() - start, report)
        sample = Path(tmp) / "sample"
        sample.mkdir()
        for letter in letters[: args.pdf]:
            (sample / letter.name).write_bytes(letter.read_bytes())
        (sample / "register.xml").write_bytes((tei / "register.xml").read_bytes())
        start = time.perf_counter()
        report = build_site(sample, Path(tmp) / "pdf", jobs=cores, pdf=True)
        with_pdf = time.perf_counter() - start
        start = time.perf_counter()
        build_site(sample, Path(tmp) / "nopdf", jobs=cores, pdf=False)
        seconds = (with_pdf - (time.perf_counter() - start)) / args.pdf
        print(f"PDFs: {seconds:.3f} s per letter with --jobs {cores} ({args.pdf} letters)")


if __name__ == "__main__":
    main()

"""Benchmark: HTML for many letters, PDF by Typst against WeasyPrint, lxml against Saxon-HE.

    python bench/render_bench.py [--letters 1000] [--pdf 40]

Converts a generated corpus to TEI first (not timed), then times
``render --to html`` with --jobs 1 and all cores (letters/s); ``--to pdf`` of all
``--letters`` TEI letters by Typst (the default engine), and of a sample of ``--pdf`` of
them by both engines, side by side (the ratio, and seconds per page); and the same
stylesheet (xslt/letter-html.xsl) through lxml and through Saxon-HE on one letter, many
times (the ratio). Each PDF run also reports the CPU seconds it took (this process and its
workers), which a loaded machine does not inflate as it does the wall time: CPU / cores is
what the run takes on free cores.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
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


def cpu() -> float:
    """CPU seconds of this process and its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def pages_in(folder: Path) -> int:
    pages = 0
    for pdf in folder.glob("*.pdf"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages += int(
            next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
        )
    return pages


def pdf_run(source: Path, out: Path, engine: str, cores: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and pages of ``render --to pdf`` by ``engine``."""
    before = cpu()
    seconds, _ = timed(render_paths, [source], "pdf", out, jobs=cores, engine=engine)
    return seconds, cpu() - before, pages_in(out)


def weasyprint_reused(letters: list[Path]) -> tuple[float, float]:
    """CPU seconds per letter for WeasyPrint as teitools ran it (everything afresh), and
    with the parsed print.css and one font configuration shared by every letter."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    base = str(XSLT / "css") + "/"
    pages = [transform(letter, XSLT / "letter-print.xsl").decode() for letter in letters]
    fonts = FontConfiguration()
    css = CSS(filename=str(XSLT / "css" / "print.css"), font_config=fonts)
    unlinked = [re.sub(r"<link[^>]*>", "", page) for page in pages]
    fresh = time.process_time()
    for page in pages:
        HTML(string=page, base_url=base).write_pdf()
    reused = time.process_time()
    for page in unlinked:
        HTML(string=page, base_url=base).write_pdf(stylesheets=[css], font_config=fonts)
    end = time.process_time()
    return (reused - fresh) / len(pages), (end - reused) / len(pages)


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
        sample, every = Path(tmp) / "sample", Path(tmp) / "every"
        for folder, chosen in ((sample, letters[: args.pdf]), (every, letters[: args.letters])):
            folder.mkdir()
            for letter in chosen:
                (folder / letter.name).write_bytes(letter.read_bytes())
        measured = {}
        for engine in ("weasyprint", "typst"):
            measured[engine] = pdf_run(sample, Path(tmp) / f"pdf-{engine}", engine, cores)
            seconds, used, pages = measured[engine]
            print(
                f"pdf {engine:10} --jobs {cores}: {args.pdf} letters, {pages} pages in "
                f"{seconds:6.2f} s ({used:6.1f} s CPU): {seconds / pages:.3f} s/page, "
                f"{args.pdf / seconds:5.1f} letters/s"
            )
        old, new = measured["weasyprint"], measured["typst"]
        print(
            f"typst against weasyprint on the same letters: {old[0] / new[0]:.1f}x faster "
            f"(wall), {old[1] / new[1]:.1f}x less CPU"
        )
        reuse = weasyprint_reused(sorted(sample.glob("*.xml")))
        print(
            f"weasyprint in one process, fresh per letter / stylesheet and fonts reused: "
            f"{reuse[0] * 1000:.0f} / {reuse[1] * 1000:.0f} ms CPU per letter"
        )
        count = len(list(every.glob("*.xml")))
        seconds, used, pages = pdf_run(every, Path(tmp) / "pdf-every", "typst", cores)
        print(
            f"pdf typst --jobs {cores}: {count} letters, {pages} pages in {seconds:.1f} s "
            f"({used:.1f} s CPU: {used / cores:.1f} s on {cores} free cores)"
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

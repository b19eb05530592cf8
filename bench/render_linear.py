"""Benchmark: rendering is linear in the notes and the size of a letter.

    python bench/render_linear.py [--notes 1000,3000,10000] [--targets html,pdf,weasyprint]
        [--old main] [--old-up-to 3000]

One generated TEI letter per size: paragraphs of about 500 bytes, each with a note (so
10,000 notes make a letter of about 5 MB). For each, one fresh process renders the HTML
page (``xslt/letter-html.xsl``) and others the PDF (``letter-print.xsl``, typeset by
Typst: target ``pdf``, and by WeasyPrint: target ``weasyprint``), and reports CPU time and
peak memory; the table gives each time as a multiple of the smallest's beside the multiple
of the size, and the ratio per 10× growth (1 is linear, 10 quadratic). ``--old REV``
renders the HTML with the stylesheets of that git revision too (the peer, measured in the
same run), for letters up to ``--old-up-to`` notes: before notes were counted once,
``xsl:number level="any"`` made it quadratic.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = "the commission met again and we shall continue our discussion of the treaty".split()


def letter(notes: int) -> str:
    """A TEI letter of ``notes`` paragraphs of about 500 bytes, each with a note."""
    paragraphs = []
    for i in range(notes):
        words = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(60))
        note = " ".join(WORDS[(i * 3 + k) % len(WORDS)] for k in range(12))
        paragraphs.append(
            f"<p>Paragraph {i}: {words[:200]}<note>Note {i}: {note}.</note> {words[200:]}.</p>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
        f"<teiHeader><fileDesc><titleStmt><title>A letter of {notes} notes</title></titleStmt>"
        "<publicationStmt><p>generated</p></publicationStmt><sourceDesc><p>generated</p>"
        "</sourceDesc></fileDesc></teiHeader><text><body><div>\n"
        + "\n".join(paragraphs)
        + "\n</div></body></text></TEI>\n"
    )


CHILD = """
import json, resource, sys, time
from pathlib import Path
from lxml import etree
from teitools.render import letter_pdf, transform
from teitools.render.pdf import warm_up
source, target, sheets = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
engine = {"pdf": "typst", "weasyprint": "weasyprint"}.get(target)
if engine:
    warm_up(engine)  # loading the typesetter (Pango, fonts) is not the letter's work
rest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = time.process_time()
if target == "old":  # another revision's stylesheets, which read the TEI as it is
    sheet = etree.XSLT(etree.parse(str(sheets / "letter-html.xsl")))
    page = bytes(sheet(etree.parse(str(source))))
else:
    sheet = sheets / ("letter-html.xsl" if target == "html" else "letter-print.xsl")
    page = transform(source, sheet)
    if engine:
        page = letter_pdf(source, page, seconds=None, engine=engine)[0]
cpu = time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"cpu": cpu, "peak_kb": peak, "rest_kb": rest, "bytes": len(page)}))
"""


def measure(source: Path, target: str, sheets: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(source), target, str(sheets)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def old_sheets(revision: str, folder: Path) -> Path:
    """The stylesheets of ``revision``, written out to ``folder``."""
    folder.mkdir()
    for name in ("letter-html.xsl", "tei-common.xsl"):
        text = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{revision}:xslt/{name}"],
            capture_output=True,
            check=True,
        ).stdout
        (folder / name).write_bytes(text)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", default="1000,3000,10000")
    parser.add_argument("--targets", default="html,pdf,weasyprint")
    parser.add_argument("--old", default="", help="a git revision to compare the HTML with")
    parser.add_argument("--old-up-to", type=int, default=3000)
    args = parser.parse_args()
    from teitools.resources import XSLT

    counts = [int(n) for n in args.notes.split(",")]
    print(f"{len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.1f}")
    print(
        f"{'target':<7} {'notes':>6} {'bytes':>10} {'CPU s':>8} {'× size':>7} {'× CPU':>7} "
        f"{'per 10×':>8} {'peak MB':>8} {'+MB':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        sheets = {"html": XSLT, "pdf": XSLT, "weasyprint": XSLT}
        targets = args.targets.split(",")
        if args.old:
            sheets["old"] = old_sheets(args.old, Path(tmp) / "old")
            targets.append("old")
        files = {}
        for notes in counts:
            files[notes] = Path(tmp) / f"letter-{notes}.xml"
            files[notes].write_text(letter(notes), encoding="utf-8")
        for target in targets:
            first: tuple[int, float] | None = None
            for notes in counts:
                if target == "old" and notes > args.old_up_to:
                    continue
                size = files[notes].stat().st_size
                result = measure(files[notes], target, sheets[target])
                first = first or (size, result["cpu"])
                growth, cost = size / first[0], result["cpu"] / max(first[1], 1e-9)
                per_ten = cost ** (1 / math.log10(growth)) if growth > 1.5 else float("nan")
                print(
                    f"{target:<7} {notes:>6} {size:>10,} {result['cpu']:>8.2f} {growth:>7.1f} "
                    f"{cost:>7.1f} {per_ten:>8.1f} {result['peak_kb'] / 1024:>8.0f} "
                    f"{(result['peak_kb'] - result['rest_kb']) / 1024:>6.0f}",
                    flush=True,
                )
    print(f"load average {os.getloadavg()[0]:.1f} at the end; {time.strftime('%Y-%m-%d %H:%M')}")


if __name__ == "__main__":
    main()

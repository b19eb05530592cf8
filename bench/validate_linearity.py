"""Benchmark: `teitools validate` time against file size and number of files (linearity).

    python bench/validate_linearity.py [--sizes 1,2,4,8,16] [--files 250,500,1000,2000]

One generated TEI letter per size (paragraphs, page breaks every 20 paragraphs, notes,
declaring the letter profile so the page-order rule runs), each checked cold in a fresh
process (``--no-cache``, schema cache filled): valid against tei_all, then with an attribute
tei_all does not allow in every 20th paragraph (the faults explained, one finding each).
Then folders of 2 KB letters with a fault each: checked cold (nothing stored yet; text
report), then warm in every report format (results reused: the report alone). Prints CPU
seconds and CPU seconds per MB or milliseconds per file: flat columns mean linear time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from teitools.tei.writer import XML_MODELS

HEAD = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Big'
    "</title></titleStmt><publicationStmt><p>Generated</p></publicationStmt><sourceDesc><p>"
    'None</p></sourceDesc></fileDesc></teiHeader><text><body><div type="letter">\n'
)
TAIL = "</div></body></text></TEI>\n"


FORMATS = ("text", "json", "junit", "github", "sarif")


def letter(megabytes: float, faults: bool = False) -> bytes:
    """A letter of about ``megabytes``; with ``faults``, every 20th paragraph has an
    attribute tei_all does not allow."""
    paragraph = (
        "<p>Dear friend, the weather in <placeName>Vienna</placeName> was fine on "
        '<date when="1901-05-02">2 May</date><note>A note.</note> and we walked.</p>\n'
    )
    count = int(megabytes * 1_000_000 / len(paragraph))
    parts = [XML_MODELS.decode(), HEAD]
    for index in range(count):
        if index % 20 == 0:
            parts.append(f'<pb n="{index // 20 + 1}"/>\n')
        faulty = faults and index % 20 == 10
        parts.append(paragraph.replace("<p>", '<p colour="red">') if faulty else paragraph)
    parts.append(TAIL)
    return "".join(parts).encode()


def run(args: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user and system, the process and its workers) of one validation: a
    shared, loaded machine disturbs them far less than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "teitools", "validate", *args],
        capture_output=True,
        env=env,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,4,8,16")
    parser.add_argument("--files", default="250,500,1000,2000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TEITOOLS_CACHE_DIR": str(Path(tmp) / "cache")}
        warm = Path(tmp) / "warm.xml"
        warm.write_bytes(letter(0.01))
        run(["--no-cache", str(warm)], env)  # fills the schema cache
        print(f"{'MB':>6}{'valid CPU s':>13}{'s/MB':>7}{'faulty CPU s':>14}{'s/MB':>7}")
        for size in (float(s) for s in args.sizes.split(",")):
            row = []
            for faults in (False, True):
                path = Path(tmp) / f"letter-{size}-{faults}.xml"
                path.write_bytes(letter(size, faults))
                megabytes = path.stat().st_size / 1e6
                seconds = run(["--no-cache", "--max-size", "200", "--jobs", "1", str(path)], env)
                row.append(f"{seconds:>{11 + 2 * faults}.2f}{seconds / megabytes:>9.2f}")
            print(f"{megabytes:>6.1f}  " + "".join(row))
        print(f"{'files':>6}{'cold':>13}" + "".join(f"{fmt:>12}" for fmt in FORMATS))
        print(f"{'':>6}{'CPU s  ms/f':>13}" + f"{'ms/file':>12}" * len(FORMATS))
        for count in (int(n) for n in args.files.split(",")):
            folder = Path(tmp) / f"files-{count}"
            folder.mkdir()
            for index in range(count):
                (folder / f"{index:05}.xml").write_bytes(letter(0.002, faults=True))
            cold = run([str(folder)], env)  # nothing stored yet: every file checked
            warm_runs = [run(["--format", fmt, str(folder)], env) for fmt in FORMATS]
            print(
                f"{count:>6}{cold:>7.1f}{cold / count * 1000:>6.0f}"
                + "".join(f"{t / count * 1000:>12.1f}" for t in warm_runs)
            )


if __name__ == "__main__":
    main()

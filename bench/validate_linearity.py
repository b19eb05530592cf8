"""Benchmark: `teitools validate` time against file size and number of files (linearity).

    python bench/validate_linearity.py [--sizes 1,2,4,8,16,32] [--files 250,500,1000,2000]

One generated TEI letter per size (paragraphs, page breaks every 20 paragraphs, notes; valid
against tei_all, declaring the letter profile so the page-order rule runs), each checked
cold in a fresh process (``--no-cache``, schema cache filled); then folders of 2 KB letters.
Prints seconds and seconds per MB (or per 1,000 files): flat columns mean linear time, in
every report format.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from teitools.tei.writer import XML_MODELS

HEAD = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Big'
    "</title></titleStmt><publicationStmt><p>Generated</p></publicationStmt><sourceDesc><p>"
    "None</p></sourceDesc></fileDesc></teiHeader><text><body><div type=\"letter\">\n"
)
TAIL = "</div></body></text></TEI>\n"


def letter(megabytes: float) -> bytes:
    paragraph = (
        "<p>Dear friend, the weather in <placeName>Vienna</placeName> was fine on "
        '<date when="1901-05-02">2 May</date><note>A note.</note> and we walked.</p>\n'
    )
    count = int(megabytes * 1_000_000 / len(paragraph))
    parts = [XML_MODELS.decode(), HEAD]
    for index in range(count):
        if index % 20 == 0:
            parts.append(f'<pb n="{index // 20 + 1}"/>\n')
        parts.append(paragraph)
    parts.append(TAIL)
    return "".join(parts).encode()


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "teitools", "validate", "--no-cache", *args],
        capture_output=True,
        env=env,
        check=False,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,4,8,16,32")
    parser.add_argument("--files", default="250,500,1000,2000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TEITOOLS_CACHE_DIR": str(Path(tmp) / "cache")}
        warm = Path(tmp) / "warm.xml"
        warm.write_bytes(letter(0.01))
        run([str(warm)], env)  # fills the schema cache
        print(f"{'MB':>6}{'seconds':>9}{'s/MB':>7}")
        for size in (float(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"letter-{size}.xml"
            path.write_bytes(letter(size))
            megabytes = path.stat().st_size / 1e6
            seconds = run(["--max-size", "200", "--jobs", "1", str(path)], env)
            print(f"{megabytes:>6.1f}{seconds:>9.2f}{seconds / megabytes:>7.2f}")
        print(f"{'files':>6}" + "".join(f"{fmt:>14}" for fmt in ("text", "json", "junit")))
        for count in (int(n) for n in args.files.split(",")):
            folder = Path(tmp) / f"files-{count}"
            folder.mkdir()
            for index in range(count):
                (folder / f"{index:05}.xml").write_bytes(letter(0.002))
            times = [run(["--format", fmt, str(folder)], env) for fmt in ("text", "json", "junit")]
            print(f"{count:>6}" + "".join(f"{t:>8.1f} s {t / count * 1000:>3.0f}" for t in times))


if __name__ == "__main__":
    main()

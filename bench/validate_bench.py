"""Benchmark: validate a generated corpus of TEI letters with teitools, jing, xmllint, xmlschema.

    python bench/validate_bench.py [--letters 1000] [--sample 20]

Converts a generated corpus to TEI (not timed), then times, each as a fresh process:
teitools validate (RELAX NG + Schematron profile), jing with one JVM for all files, jing
once per file (on a sample, extrapolated), xmllint --relaxng tei_all.rng, and xmlschema
with the trang XSD (on a sample). Prints files/s and peak RSS; compile times are printed
by a cold one-file run of each.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate

from teitools.convert import convert_batch

REPO = Path(__file__).resolve().parents[1]


def run(command: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of a command run in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    rng = str(REPO / "schemas" / "tei_all.rng")
    with tempfile.TemporaryDirectory() as tmp:
        raw, tei = Path(tmp) / "raw", Path(tmp) / "tei"
        generate(raw, args.letters)
        convert_batch([raw], tei, jobs=2)
        files = sorted(str(p) for p in tei.glob("*.xml"))
        sample = files[: args.sample]
        n = len(files)
        print(f"corpus: {n} TEI files")
        rows = []
        teitools = [sys.executable, "-m", "teitools", "validate"]
        seconds, rss = run([*teitools, str(tei)])
        rows.append(("teitools (RELAX NG + profile)", n / seconds, seconds, rss))
        seconds, rss = run(["jing", rng, *files])
        rows.append(("jing, one JVM", n / seconds, seconds, rss))
        total = sum(run(["jing", rng, f])[0] for f in sample)
        rows.append(("jing, one per file", len(sample) / total, total / len(sample) * n, 0.0))
        seconds, rss = run(["xmllint", "--noout", "--relaxng", rng, *files])
        rows.append(("xmllint --relaxng", n / seconds, seconds, rss))
        code = (
            "import sys, xmlschema; s = xmlschema.XMLSchema(sys.argv[1]); "
            "[s.is_valid(f) for f in sys.argv[2:]]"
        )
        xsd = str(REPO / "schemas" / "xsd" / "tei_all.xsd")
        seconds, rss = run([sys.executable, "-c", code, xsd, *sample])
        rows.append((f"xmlschema (sample of {len(sample)})", len(sample) / seconds, seconds, rss))
        print(f"{'tool':<34}{'files/s':>9}{'seconds':>10}{'peak MB':>9}")
        for name, rate, seconds, rss in rows:
            print(f"{name:<34}{rate:>9.1f}{seconds:>10.1f}{rss:>9.0f}")
        cold_teitools, _ = run([*teitools, files[0]])
        cold_jing, _ = run(["jing", rng, files[0]])
        print(f"one file, cold: teitools {cold_teitools:.2f} s, jing {cold_jing:.2f} s")


if __name__ == "__main__":
    main()

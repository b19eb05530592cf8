"""Benchmark: validate a generated corpus of TEI letters with teitools, jing, xmllint, xmlschema.

    python bench/validate_bench.py [--letters 1000] [--sample 20]

Converts a generated corpus to TEI (not timed), then times, each as a fresh process:
teitools validate (all layers: RELAX NG, TEI's Schematron, the profile) with --jobs 1 and
--jobs 2, cold (--no-cache: no earlier result reused), then again with earlier results
reused (nothing changed; one file changed), jing with one JVM for all files, jing once per
file (on a sample, extrapolated), xmllint --relaxng tei_all.rng, and xmlschema with the
trang XSD (on a sample). Prints files/s
and peak RSS (of the largest process: with --jobs 2, the parent or one worker), the time
teitools takes to derive and compile each schema, and one file checked cold.
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

REPO = Path(__file__).resolve().parents[1]
# Each compile step in a fresh process with an empty cache, then again with the cache filled.
COMPILE = """
import sys, time
from teitools.validate import matcher, relaxng, schematron
def timed(step):
    start = time.perf_counter(); step(); return time.perf_counter() - start
print(f"derive letter grammar {timed(relaxng.letter_grammar_text):.2f} s, "
      f"libxml2 compiles it {timed(relaxng.letters):.2f} s, "
      f"libxml2 compiles tei_all {timed(relaxng.compiled):.2f} s, "
      f"the matcher reads tei_all {timed(matcher.tei_all):.2f} s, "
      f"TEI's Schematron to XSLT, compiled by Saxon {timed(schematron.tei_rules):.2f} s, "
      f"the letter profile {timed(schematron.profile):.2f} s")
"""


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and peak RSS (MB, the largest process) of a command in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    rng = str(REPO / "schemas" / "tei_all.rng")
    with tempfile.TemporaryDirectory() as tmp:
        tei, _ = encoded(Path(tmp), args.letters, 2)
        files = sorted(str(p) for p in tei.glob("*.xml"))
        sample = files[: args.sample]
        n = len(files)
        env = {**os.environ, "TEITOOLS_CACHE_DIR": str(Path(tmp) / "cache")}
        print(f"corpus: {n} TEI files")
        # cold: no earlier results reused (--no-cache); the schema cache as stated
        teitools = [sys.executable, "-m", "teitools", "validate", "--no-cache"]
        cold_empty, _ = run([*teitools, files[0]], env)
        cold_teitools, cold_rss = run([*teitools, files[0]], env)
        cold_jing, _ = run(["jing", rng, files[0]])
        rows = []
        for jobs in (1, 2):
            seconds, rss = run([*teitools, "--jobs", str(jobs), str(tei)], env)
            rows.append((f"teitools --jobs {jobs} (all layers)", n / seconds, seconds, rss))
        seconds, rss = run([*teitools, "--jobs", "2", "--no-tei-rules", str(tei)], env)
        rows.append(("teitools --jobs 2 --no-tei-rules", n / seconds, seconds, rss))
        reusing = [*teitools[:-1], "--jobs", "2", str(tei)]
        run(reusing, env)  # stores every file's result
        seconds, rss = run(reusing, env)
        rows.append(("teitools, unchanged files (reused)", n / seconds, seconds, rss))
        Path(files[n // 2]).write_text(Path(files[n // 2]).read_text() + "\n")
        seconds, rss = run(reusing, env)
        rows.append(("teitools, one file changed", n / seconds, seconds, rss))
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
        print(f"{'tool':<36}{'files/s':>9}{'seconds':>10}{'peak MB':>9}")
        for name, rate, seconds, rss in rows:
            print(f"{name:<36}{rate:>9.1f}{seconds:>10.1f}{rss:>9.0f}")
        print(
            f"one file, cold: teitools {cold_teitools:.2f} s ({cold_rss:.0f} MB; "
            f"{cold_empty:.2f} s with an empty cache), jing {cold_jing:.2f} s"
        )
        fresh = {**env, "TEITOOLS_CACHE_DIR": str(Path(tmp) / "fresh")}
        for label in ("empty cache", "filled cache"):
            timings = subprocess.run(
                [sys.executable, "-c", COMPILE], capture_output=True, text=True, env=fresh
            )
            print(f"teitools schemas, {label}: {timings.stdout.strip()}")


if __name__ == "__main__":
    main()

"""Benchmark: `teitools validate` against jing on a real TEI project, and agreement.

    python bench/validate_projects.py PROJECT_FOLDER [--glob '**/*.xml'] [--jobs 2]
        [--schema FILE] [--limit N]

Takes the TEI files under the project folder (run from anywhere; the folder is the project,
``--project``) and reports:

- files, and how many name their schema in ``<?xml-model?>``;
- grammar agreement with jing: each file's verdict from teitools' well-formedness, XInclude
  and RELAX NG layers against jing's, jing run with the grammar teitools used for the file
  (tei_all, the project's own .rng, or ``--schema``), one JVM per grammar;
- findings teitools reports on files jing finds valid, by layer and rule (the goal: none but
  TEI's own Schematron constraints, layer ``tei-schematron``);
- files per second and peak memory (the largest process) of: teitools cold with an empty
  cache (every file checked afresh, nothing derived before), cold with the schema cache
  filled (``--no-cache``: no earlier result reused), warm (results reused, nothing changed);
  jing in one JVM per grammar (the same files, its grammar check only).

Every run is a fresh process; the machine's load is not controlled: repeat on a quiet one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from teitools.resources import SCHEMAS
from teitools.validate import association

GRAMMAR_LAYERS = {"wellformed", "relaxng", "xinclude"}
TEI_ALL_RNG = SCHEMAS / "tei_all.rng"
CHUNK = 2000  # files per jing command line


CPU: dict[str, float] = {}  # CPU seconds (user + system, children included) per run


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (the largest process), and stdout; the CPU seconds
    (which a loaded machine disturbs less) go to ``CPU`` under the wall time's key."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", *command], capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - start
    rss, user, system = done.stderr.strip().splitlines()[-1].split()
    CPU[f"{elapsed}"] = float(user) + float(system)
    return elapsed, int(rss) / 1024, done.stdout


def grammar_of(path: Path, root: Path, schema: Path | None) -> Path:
    """The grammar teitools checks ``path`` against (for jing)."""
    if schema is not None:
        return schema
    from lxml import etree

    from teitools import safexml

    try:
        tree = etree.parse(str(path), safexml.parser())
    except (OSError, etree.XMLSyntaxError):
        return TEI_ALL_RNG
    declared = association.declared(tree, path, root)
    for found in declared.grammars:
        if found.kind in ("rng", "rnc") and found.path is not None:
            return found.path
    return TEI_ALL_RNG


def jing(groups: dict[Path, list[Path]]) -> tuple[float, float, set[str]]:
    """jing on each group of files with its grammar: seconds, peak MB, the invalid files."""
    invalid: set[str] = set()
    seconds = peak = 0.0
    for rng, files in groups.items():
        for start in range(0, len(files), CHUNK):
            chunk = [str(f) for f in files[start : start + CHUNK]]
            elapsed, rss, out = timed(["jing", str(rng), *chunk], dict(os.environ))
            seconds += elapsed
            peak = max(peak, rss)
            for line in out.splitlines():
                if ": error: " in line or ": fatal: " in line:
                    name = line.split(":", 1)[0]
                    invalid.add(str(Path(name).resolve()))
    return seconds, peak, invalid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--glob", default="**/*.xml")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--schema", type=Path, help="check against this grammar (teitools --schema)"
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    args = parser.parse_args()
    root = args.folder.resolve()
    files = sorted(p for p in root.glob(args.glob) if p.is_file())
    if args.limit:
        files = files[: args.limit]
    n = len(files)
    if not n or not shutil.which("jing"):
        sys.exit("no files, or jing is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "TEITOOLS_CACHE_DIR": str(Path(tmp) / "cache"),
            "TEITOOLS_CONFIG_DIR": str(Path(tmp) / "config"),
        }
        base = [
            sys.executable,
            "-m",
            "teitools",
            "validate",
            "--format",
            "json",
            "--jobs",
            str(args.jobs),
            "--project",
            str(root),
        ]
        if args.schema:
            base += ["--schema", str(args.schema)]
        targets = [str(p) for p in files]
        rows = []
        seconds, rss, out = timed([*base, "--no-cache", *targets], env)
        rows.append(("teitools cold, empty cache", seconds, rss))
        seconds, rss, out = timed([*base, "--no-cache", *targets], env)
        rows.append(("teitools cold (--no-cache), schema cache filled", seconds, rss))
        timed([*base, *targets], env)
        seconds, rss, _ = timed([*base, *targets], env)
        rows.append(("teitools warm (results reused)", seconds, rss))
        report = json.loads(out)
        groups: dict[Path, list[Path]] = {}
        for path in files:
            groups.setdefault(grammar_of(path, root, args.schema), []).append(path)
        before = sum(CPU.values())
        seconds, rss, jing_invalid = jing(groups)
        CPU[f"{seconds}"] = sum(CPU.values()) - before
        rows.append((f"jing, one JVM per grammar ({len(groups)})", seconds, rss))
    declaring = sum(1 for p in files if b"<?xml-model" in p.read_bytes()[:4096])
    ours_invalid = set()
    on_valid: Counter[str] = Counter()
    for entry in report["files"]:
        name = str(Path(entry["file"]).resolve())
        grammar_findings = [
            f
            for f in entry["findings"]
            if f["layer"] in GRAMMAR_LAYERS and f["severity"] == "error"
        ]
        if grammar_findings:
            ours_invalid.add(name)
        if name not in jing_invalid:
            for finding in entry["findings"]:
                on_valid[f"{finding['severity']} {finding['layer']} {finding['rule']}"] += 1
    agree = sum((str(p) in jing_invalid) == (str(p) in ours_invalid) for p in files)
    print(f"project {root.name}: {n} files ({declaring} with <?xml-model?>), {args.jobs} jobs")
    print(
        f"grammar verdicts agreeing with jing: {agree} of {n}; jing invalid {len(jing_invalid)}, "
        f"teitools invalid {len(ours_invalid)}"
    )
    for path in files:
        name = str(path)
        if (name in jing_invalid) != (name in ours_invalid):
            print(f"  disagree: {name} (jing {'in' if name in jing_invalid else ''}valid)")
    print(f"findings on the {n - len(jing_invalid)} jing-valid files, by severity, layer, rule:")
    for key, count in on_valid.most_common(12):
        print(f"  {count:>7}  {key}")
    print(f"{'run':<52}{'files/s':>9}{'seconds':>9}{'CPU s':>8}{'peak MB':>9}")
    for name, seconds, rss in rows:
        cpu = CPU.get(f"{seconds}", 0.0)
        print(f"{name:<52}{n / seconds:>9.1f}{seconds:>9.1f}{cpu:>8.1f}{rss:>9.0f}")


if __name__ == "__main__":
    main()

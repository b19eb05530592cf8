"""Benchmark: `teitools validate` against jing on a real TEI project, and agreement.

    python bench/validate_projects.py PROJECT_FOLDER [--glob '**/*.xml'] [--jobs 2]
        [--schema FILE] [--every K] [--limit N]

Takes the TEI files under the project folder (run from anywhere; the folder is the project,
``--project``) and reports:

- files, and how many name their schema in ``<?xml-model?>``;
- grammar agreement with jing: each file's verdict from teitools' well-formedness, XInclude
  and RELAX NG layers against jing's, jing run with the grammar teitools used for the file
  (tei_all, the project's own .rng, or ``--schema``), one JVM per grammar; and how many
  files teitools' matcher decides alone (libxml2 decides the others);
- findings teitools reports on files jing finds valid, by layer and rule (the goal: none but
  TEI's own Schematron constraints, layer ``tei-schematron``);
- files per second, CPU seconds and peak memory (the largest process) of: jing with all
  files in one JVM per grammar (its grammar check only; jing stops at a file that is not
  well-formed, so it is started again after each); teitools cold with an empty cache
  (every file checked afresh, nothing derived before), cold with the schema cache filled
  (``--no-cache``: no earlier result reused), the same without TEI's own Schematron
  (``--no-tei-rules``: where the time goes), warm (results reused, nothing changed); and
  each run's speed against jing's, in wall time and in CPU time (``vs jing``: above 1 is
  faster than jing; CPU time counts every process and thread, and is what a loaded machine
  disturbs least).

Every run is a fresh process; the machine's load is not controlled: repeat on a quiet one.
``--report FILE`` keeps teitools' JSON report, to read the findings. ``--baseline SRC`` (the
``src`` folder of another checkout, say the commit before a change) adds that version's cold
runs to the same table, and compares its findings with these file by file (rule, message,
line, column): a change meant to be faster only must report the same.
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
from typing import Any

from teitools.resources import SCHEMAS
from teitools.validate import association

GRAMMAR_LAYERS = {"wellformed", "relaxng", "xinclude"}
TEI_ALL_RNG = SCHEMAS / "tei_all.rng"
ARGS = 1_500_000  # bytes of file names per jing command line (the system allows 2 MB)


CPU: dict[str, float] = {}  # CPU seconds (user + system, children included) per run


def timed(
    command: list[str], env: dict[str, str], cwd: Path | None = None
) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (the largest process), and stdout; the CPU seconds
    (which a loaded machine disturbs less) go to ``CPU`` under the wall time's key."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
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


def decided(groups: dict[Path, list[Path]], root: Path) -> int:
    """How many of the well-formed files the matcher decides alone (libxml2 decides the
    others): each checked once more, in this process."""
    from teitools.validate import grammar, matcher
    from teitools.validate.parsing import parse

    count = 0
    for rng, files in groups.items():
        if rng == TEI_ALL_RNG:
            judge = matcher.tei_all()
        else:
            loaded = grammar.grammar(rng.resolve(), root)
            if isinstance(loaded, Exception):
                continue
            judge = loaded.matcher()
        for path in files:
            tree, _ = parse(path)
            count += tree is not None and judge.valid(tree) is not None
    return count


def _command_lines(files: list[Path], root: Path) -> list[list[str]]:
    """The files as jing arguments relative to ``root``, as few command lines as fit."""
    lines: list[list[str]] = [[]]
    size = 0
    for path in files:
        name = os.path.relpath(path, root)
        if size + len(name) > ARGS and lines[-1]:
            lines.append([])
            size = 0
        lines[-1].append(name)
        size += len(name) + 1
    return lines


def jing(groups: dict[Path, list[Path]], root: Path) -> tuple[float, float, Counter[str], int]:
    """jing on each group of files with its grammar, all files of a group in one JVM where
    the command line allows: seconds, peak MB, the invalid files (with their errors), the
    JVMs started."""
    invalid: Counter[str] = Counter()
    seconds = peak = 0.0
    started = 0
    for rng, files in groups.items():
        todo = _command_lines(files, root)
        while todo:
            names = todo.pop(0)
            elapsed, rss, out = timed(["jing", str(rng), *names], dict(os.environ), cwd=root)
            seconds += elapsed
            peak = max(peak, rss)
            started += 1
            place = {str((root / name).resolve()): i for i, name in enumerate(names)}
            for line in out.splitlines():
                if ": error: " in line or ": fatal: " in line:
                    name = str((root / line.split(":", 1)[0]).resolve())
                    invalid[name] += 1
                    if ": fatal: " in line and names[place[name] + 1 :]:
                        todo.insert(0, names[place[name] + 1 :])  # jing stops at a non-XML file
    return seconds, peak, invalid, started


def compare(baseline: dict[str, Any], report: dict[str, Any]) -> None:
    """Print whether each file has the same findings in both reports, and the first that
    differ."""

    def findings(entry: dict[str, Any]) -> list[tuple[Any, ...]]:
        keys = ("line", "column", "severity", "layer", "rule", "message")
        return sorted(tuple(f[k] for k in keys) for f in entry["findings"])

    before = {entry["file"]: findings(entry) for entry in baseline["files"]}
    differ = [e["file"] for e in report["files"] if before.get(e["file"]) != findings(e)]
    print(f"findings as the baseline's: {len(report['files']) - len(differ)} of {len(before)}")
    for name in differ[:5]:
        print(f"  differ: {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--glob", default="**/*.xml")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--schema", type=Path, help="check against this grammar (teitools --schema)"
    )
    parser.add_argument("--every", type=int, default=1, help="every K-th file (a spread sample)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--report", type=Path, help="keep teitools' JSON report here")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout's src folder: its cold runs, its findings"
    )
    args = parser.parse_args()
    root = args.folder.resolve()
    files = sorted(p for p in root.glob(args.glob) if p.is_file())[:: args.every]
    if args.limit:
        files = files[: args.limit]
    n = len(files)
    if not n or not shutil.which("jing"):
        sys.exit("no files, or jing is not installed")
    groups: dict[Path, list[Path]] = {}
    for path in files:
        groups.setdefault(grammar_of(path, root, args.schema), []).append(path)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "TEITOOLS_CACHE_DIR": str(Path(tmp) / "cache"),
            "TEITOOLS_CONFIG_DIR": str(Path(tmp) / "config"),
        }
        base = [sys.executable, "-m", "teitools", "validate", "--format", "json"]
        base += ["--jobs", str(args.jobs), "--project", str(root)]
        if args.schema:
            base += ["--schema", str(args.schema)]
        targets = [os.path.relpath(p, root) for p in files]
        rows = []
        before = sum(CPU.values())
        seconds, rss, jing_invalid, jvms = jing(groups, root)
        CPU[f"{seconds}"] = sum(CPU.values()) - before
        rows.append((f"jing, {jvms} JVM (one per grammar and fatal error)", seconds, rss))
        seconds, rss, out = timed([*base, "--no-cache", *targets], env, root)
        rows.append(("teitools cold, empty cache", seconds, rss))
        seconds, rss, out = timed([*base, "--no-cache", *targets], env, root)
        rows.append(("teitools cold (--no-cache), schema cache filled", seconds, rss))
        seconds, rss, _ = timed([*base, "--no-cache", "--no-tei-rules", *targets], env, root)
        rows.append(("  the same without TEI's Schematron", seconds, rss))
        timed([*base, *targets], env, root)
        seconds, rss, _ = timed([*base, *targets], env, root)
        rows.append(("teitools warm (results reused)", seconds, rss))
        if args.baseline:
            other = {
                **env,
                "PYTHONPATH": str(args.baseline.resolve()),
                "TEITOOLS_CACHE_DIR": str(Path(tmp) / "baseline-cache"),
            }
            seconds, rss, baseline = timed([*base, "--no-cache", *targets], other, root)
            rows.append(("baseline cold, empty cache", seconds, rss))
            seconds, rss, _ = timed([*base, "--no-cache", *targets], other, root)
            rows.append(("baseline cold (--no-cache), schema cache filled", seconds, rss))
    if args.report:
        args.report.write_text(out, encoding="utf-8")
    report = json.loads(out)
    declaring = sum(1 for p in files if b"<?xml-model" in p.read_bytes()[:4096])
    alone = decided(groups, root)
    ours_invalid = set()
    ours_errors = 0
    on_valid: Counter[str] = Counter()
    example: dict[str, str] = {}
    for entry in report["files"]:
        name = str((root / entry["file"]).resolve())
        grammar_findings = [
            f
            for f in entry["findings"]
            if f["layer"] in GRAMMAR_LAYERS and f["severity"] == "error"
        ]
        if grammar_findings:
            ours_invalid.add(name)
            ours_errors += len(grammar_findings)
        if name not in jing_invalid:
            for finding in entry["findings"]:
                key = f"{finding['severity']} {finding['layer']} {finding['rule']}"
                on_valid[key] += 1
                example.setdefault(
                    key, f"{entry['file']}:{finding['line']}: {finding['message'][:110]}"
                )
    agree = sum((str(p) in jing_invalid) == (str(p) in ours_invalid) for p in files)
    print(f"project {root.name}: {n} files ({declaring} with <?xml-model?>), {args.jobs} jobs")
    print(
        f"grammar verdicts agreeing with jing: {agree} of {n}; jing invalid {len(jing_invalid)}, "
        f"teitools invalid {len(ours_invalid)}; the matcher decides {alone} files alone"
    )
    print(f"grammar errors: jing {sum(jing_invalid.values())}, teitools {ours_errors}")
    for path in files:
        name = str(path)
        if (name in jing_invalid) != (name in ours_invalid):
            print(f"  disagree: {name} (jing {'in' if name in jing_invalid else ''}valid)")
    print(f"findings on the {n - len(jing_invalid)} jing-valid files, by severity, layer, rule:")
    for key, count in on_valid.most_common(20):
        print(f"  {count:>7}  {key}\n           e.g. {example[key]}")
    if args.baseline:
        compare(json.loads(baseline), report)
    print(
        f"{'run':<46}{'files/s':>8}{'seconds':>8}{'vs jing':>8}{'CPU s':>8}{'vs jing':>8}{'MB':>6}"
    )
    jing_seconds = rows[0][1]
    jing_cpu = CPU.get(f"{jing_seconds}", 0.0)
    for name, seconds, rss in rows:
        cpu = CPU.get(f"{seconds}", 0.0)
        print(
            f"{name:<46}{n / seconds:>8.1f}{seconds:>8.1f}{jing_seconds / seconds:>7.2f}x"
            f"{cpu:>8.1f}{jing_cpu / max(cpu, 0.01):>7.2f}x{rss:>6.0f}"
        )


if __name__ == "__main__":
    main()

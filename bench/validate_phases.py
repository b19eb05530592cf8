"""Benchmark: where a worker's CPU time goes, file by file, on a real project.

    python bench/validate_phases.py PROJECT_FOLDER [--glob '**/*.xml'] [--every K] [--limit N]
        [--schematron-engine saxon|python]

Checks the files in this one process, as one worker does (the project is the folder,
``--project``; nothing is reused), and prints the CPU milliseconds per file of each step:
lxml's parse, the grammar with its faults and messages, TEI's own rules, Saxon's parse of
the text and its rules (every Schematron it runs), a declared Schematron checked in Python
(``--schematron-engine python``), the ``<?xml-model?>`` lines, and the rest; the first file
apart (what a worker loads and learns on its first file).
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teitools.validate import (
    association,
    parsing,
    relaxng,
    saxon,
    sch_python,
    schematron,
    tei_rules,
)
from teitools.validate.checker import Checker, Options

SPENT: dict[str, float] = defaultdict(float)  # CPU seconds per step


def timed(owner: Any, name: str, step: str) -> None:
    """``owner.name`` replaced by the same function, its CPU time added to ``SPENT[step]``."""
    function: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(function)
    def counting(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[step] += time.process_time() - start

    setattr(owner, name, counting)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--glob", default="**/*.xml")
    parser.add_argument("--every", type=int, default=1, help="every K-th file (a spread sample)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--schematron-engine", choices=("saxon", "python"), default="saxon")
    args = parser.parse_args()
    root = args.folder.resolve()
    files = sorted(root.glob(args.glob))[:: args.every]
    files = files[: args.limit] if args.limit else files
    if len(files) < 2:
        raise SystemExit("fewer than two files")
    timed(parsing, "parse_bytes", "lxml's parse")
    timed(relaxng.TeiAll, "check", "grammar (tei_all), faults, messages")
    timed(tei_rules, "check", "TEI's rules (in Python)")
    timed(saxon, "parse", "Saxon's parse of the text")
    timed(schematron.Rules, "check", "Saxon's rules")
    timed(sch_python.PythonRules, "check", "the project's rules in Python")
    timed(association, "declared", "<?xml-model?>")
    checker = Checker(Options(project=root, schematron_engine=args.schematron_engine))
    start = time.process_time()
    checker.warm()
    checker.check(files[0])
    first = time.process_time() - start
    SPENT.clear()
    start = time.process_time()
    for path in files[1:]:
        checker.check(path)
    total = time.process_time() - start
    count = len(files) - 1
    print(f"first file, with what the process loads: {first * 1000:.0f} ms")
    print(f"then {count} files: {total * 1000 / count:.2f} ms a file, of which")
    for step, seconds in sorted(SPENT.items(), key=lambda item: -item[1]):
        print(f"  {seconds * 1000 / count:6.2f}  {step}")
    print(f"  {(total - sum(SPENT.values())) * 1000 / count:6.2f}  the rest")


if __name__ == "__main__":
    main()

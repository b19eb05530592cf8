"""Benchmark: a project's Schematron checked in Python, the rules alone, on parsed letters.

    python bench/sch_python_rules.py SCHEMA FOLDER [--glob '*.xml'] [--every K] [--repeat N]

Parses the files first, then checks them all ``--repeat`` times with
:meth:`~teitools.validate.sch_python.PythonRules.check` and prints the best round's CPU
milliseconds a file, the number of findings and a digest of them (the same digest before
and after a change that should not change them).
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from lxml import etree

from teitools.validate import sch_python, schematron


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("schema", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--glob", default="*.xml")
    parser.add_argument("--every", type=int, default=1, help="every K-th file (a spread sample)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, the best one counted")
    args = parser.parse_args()
    rules = schematron.rules(args.schema, "schema", "schematron", python=True)
    if not isinstance(rules, sch_python.PythonRules):
        raise SystemExit(f"{args.schema}: not every rule compiles to Python")
    documents = []
    for path in sorted(args.folder.glob(args.glob))[:: args.every]:
        data = path.read_bytes()
        documents.append((etree.ElementTree(etree.fromstring(data)), path, data.decode()))
    best = float("inf")
    found: list[list[object]] = []
    for _ in range(args.repeat):
        start = time.process_time()
        found = [list(rules.check(tree, path, lambda t=text: t)) for tree, path, text in documents]
        best = min(best, time.process_time() - start)
    digest = hashlib.sha256(repr(found).encode()).hexdigest()[:16]
    count = sum(map(len, found))
    print(f"{best * 1000 / len(documents):.3f} ms a file over {len(documents)} files;", end=" ")
    print(f"{count} findings, digest {digest}")


if __name__ == "__main__":
    main()

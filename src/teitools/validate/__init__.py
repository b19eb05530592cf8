"""Validate TEI files: well-formedness (safe parsing), RELAX NG (tei_all), the letter profile
(Schematron, ``schemas/teitools-letter.sch``, plus the rules that span files).

Every layer produces :class:`~teitools.validate.findings.Finding` objects; the report formats
consume them. See ``docs/validation.md`` for the rules.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click
from lxml import etree

from teitools.registers import REGISTER_FILE
from teitools.validate import parsing, profile, relaxng, schematron
from teitools.validate import tei_rules as tei_schematron
from teitools.validate import xsd as xsd_layer
from teitools.validate.association import associations, kind_of
from teitools.validate.findings import Finding
from teitools.validate.report import render

NS = {"t": "http://www.tei-c.org/ns/1.0"}


@dataclass
class Report:
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    fmt: str = "text"

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def lines(self) -> list[str]:
        return render(self.fmt, self.files, self.findings)


def collect(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.xml")) if path.is_dir() else [path])
    return files


def _register_ids(folder: Path, cache: dict[Path, set[str] | None]) -> set[str] | None:
    if folder not in cache:
        register = folder / REGISTER_FILE
        ids = None
        if register.exists():
            tree, problems = parsing.parse(register)
            if tree is not None and not problems:
                ids = set(tree.getroot().xpath("//@xml:id", namespaces=NS))
        cache[folder] = ids
    return cache[folder]


def progress(files: list[Path]) -> Iterator[Path]:
    """A progress bar on a terminal (stderr) for more than a handful of files."""
    if len(files) <= 8 or not sys.stderr.isatty():
        yield from files
        return
    with click.progressbar(files, label="validating", file=sys.stderr) as bar:
        yield from bar


def validate_paths(
    paths: Sequence[Path],
    jobs: int | None = None,
    fmt: str = "text",
    *,
    schemas: Sequence[Path] = (),
    xsd: bool = False,
    tei_rules: bool = True,
) -> Report:
    """Check every TEI file under ``paths``; the report lists what is wrong and where.

    ``schemas`` (.rng, .sch, .xsd) are checked too; an .rng or .xsd among them replaces the
    bundled tei_all RELAX NG. ``xsd`` adds the trang XSD of tei_all (xmlschema);
    ``tei_rules`` runs TEI's own Schematron rules (XPath 3.1 through Saxon-HE).
    Schemas a file names in ``<?xml-model?>`` are honoured.
    """
    files = collect(paths)
    report = Report([str(f) for f in files], [], fmt)
    parsed: list[tuple[Path, etree._ElementTree]] = []
    registers: dict[Path, set[str] | None] = {}
    for path in progress(files):
        tree, problems = parsing.parse(path)
        report.findings.extend(problems)
        if tree is None:
            continue
        parsed.append((path, tree))
        chosen = [(kind_of(str(s)), s) for s in schemas]
        for link in associations(tree, path, relaxng.TEI_ALL):
            if link.location is None:
                report.findings.append(
                    Finding(
                        str(path),
                        1,
                        1,
                        "warning",
                        "association",
                        "xml-model",
                        f"remote schema not fetched: {link.href}",
                    )
                )
            elif not link.location.exists():
                report.findings.append(
                    Finding(
                        str(path),
                        1,
                        1,
                        "error",
                        "association",
                        "xml-model",
                        f"schema not found: {link.href}",
                    )
                )
            else:
                chosen.append((link.kind, link.location))
        grammars = [(k, s) for k, s in chosen if k in ("rng", "xsd")]
        if not grammars:
            report.findings.extend(relaxng.check(tree, path))
        for kind, schema in chosen:
            if kind == "rng":
                report.findings.extend(relaxng.check(tree, path, schema))
            elif kind == "xsd":
                report.findings.extend(xsd_layer.check(tree, path, schema))
            elif kind == "sch":
                report.findings.extend(schematron.check(tree, path, schema))
        if xsd:
            report.findings.extend(xsd_layer.check(tree, path))
        report.findings.extend(schematron.check(tree, path))
        if tei_rules:
            report.findings.extend(tei_schematron.check(path.read_bytes(), tree, path))
        report.findings.extend(
            profile.check_letter(tree, path, _register_ids(path.parent, registers))
        )
    report.findings.extend(profile.duplicate_ids(parsed))
    report.findings.sort()
    return report

"""Report formats: text for people, JSON, JUnit XML and GitHub annotations for CI."""

from __future__ import annotations

import json
from collections.abc import Sequence

from lxml import etree

from teitools.validate.findings import Finding

FORMATS = ("text", "json", "junit", "github", "sarif")


def summary(files: Sequence[str], findings: Sequence[Finding]) -> str:
    bad = {f.file for f in findings if f.severity == "error"}
    errors = sum(f.severity == "error" for f in findings)
    valid = len(files) - len(bad)
    return f"{len(files)} files checked: {valid} valid, {len(bad)} invalid ({errors} errors)"


def render(fmt: str, files: Sequence[str], findings: Sequence[Finding]) -> list[str]:
    """The report as lines of text in ``fmt``."""
    ordered = sorted(findings)
    if fmt == "json":
        data = {
            "files": [
                {
                    "file": name,
                    "valid": not any(f.file == name and f.severity == "error" for f in ordered),
                    "findings": [vars(f) for f in ordered if f.file == name],
                }
                for name in files
            ],
            "summary": summary(files, ordered),
        }
        return [json.dumps(data, indent=2, ensure_ascii=False)]
    if fmt == "junit":
        suite = etree.Element(
            "testsuite",
            name="teitools validate",
            tests=str(len(files)),
            failures=str(len({f.file for f in ordered})),
        )
        for name in files:
            case = etree.SubElement(suite, "testcase", classname="teitools.validate", name=name)
            mine = [f for f in ordered if f.file == name]
            if mine:
                failure = etree.SubElement(case, "failure", message=mine[0].message)
                failure.text = "\n".join(f.text() for f in mine)
        return [etree.tostring(suite, encoding="unicode", pretty_print=True).rstrip()]
    if fmt == "sarif":
        return [json.dumps(sarif(ordered), indent=2, ensure_ascii=False)]
    if fmt == "github":
        return [
            f"::{f.severity} file={f.file},line={f.line},col={f.column},title={f.rule}::{f.message}"
            for f in ordered
        ]
    lines = [f.text() for f in ordered]
    return [*lines, summary(files, ordered)]


def sarif(findings: Sequence[Finding]) -> dict[str, object]:
    """SARIF 2.1.0, for code-scanning dashboards."""
    results = [
        {
            "ruleId": f.rule,
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in findings
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "teitools",
                        "informationUri": "https://github.com/teitools/teitools",
                    }
                },
                "results": results,
            }
        ],
    }

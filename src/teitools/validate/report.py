"""Report formats: text for people; JSON, JUnit XML, GitHub annotations and SARIF for CI.

Every format takes time linear in files and findings (findings are grouped by file once),
and every file name and message reaches it as one line (:func:`findings.one_line`), escaped
as the format requires.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import quote

from lxml import etree

from teitools.validate.findings import Finding, one_line

FORMATS = ("text", "json", "junit", "github", "sarif")


def summary(files: Sequence[str], findings: Sequence[Finding]) -> str:
    bad = {f.file for f in findings if f.severity == "error"}
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    valid = len(files) - len(bad)
    tail = f", {warnings} warnings" if warnings else ""
    return f"{len(files)} files checked: {valid} valid, {len(bad)} invalid ({errors} errors{tail})"


def _by_file(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.file].append(finding)
    return grouped


def render(fmt: str, files: Sequence[str], findings: Sequence[Finding]) -> list[str]:
    """The report as lines of text in ``fmt``."""
    ordered = sorted(findings)
    if fmt == "json":
        return [json.dumps(_json(files, ordered), indent=2, ensure_ascii=False)]
    if fmt == "junit":
        return [_junit(files, ordered)]
    if fmt == "sarif":
        return [json.dumps(sarif(ordered), indent=2, ensure_ascii=False)]
    if fmt == "github":
        return [github(f) for f in ordered]
    return [*(f.text() for f in ordered), summary(files, ordered)]


def _json(files: Sequence[str], ordered: Sequence[Finding]) -> dict[str, object]:
    grouped = _by_file(ordered)
    return {
        "files": [
            {
                "file": name,
                "valid": not any(f.severity == "error" for f in grouped.get(name, ())),
                "findings": [vars(f) for f in grouped.get(name, ())],
            }
            for name in files
        ],
        "summary": summary(files, ordered),
    }


def _junit(files: Sequence[str], ordered: Sequence[Finding]) -> str:
    grouped = _by_file(ordered)
    failing = sum(any(f.severity == "error" for f in grouped.get(n, ())) for n in files)
    suite = etree.Element(
        "testsuite", name="teitools validate", tests=str(len(files)), failures=str(failing)
    )
    for name in files:
        case = etree.SubElement(
            suite, "testcase", classname="teitools.validate", name=one_line(name)
        )
        mine = grouped.get(name, [])
        errors = [f for f in mine if f.severity == "error"]
        if errors:
            failure = etree.SubElement(case, "failure", message=errors[0].message)
            failure.text = "\n".join(f.text() for f in errors)
        if len(errors) < len(mine):
            output = etree.SubElement(case, "system-out")
            output.text = "\n".join(f.text() for f in mine if f.severity != "error")
    text: str = etree.tostring(suite, encoding="unicode", pretty_print=True)
    return text.rstrip()


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(finding: Finding) -> str:
    """A GitHub Actions workflow command, escaped as GitHub's toolkit escapes them."""
    level = "error" if finding.severity == "error" else "warning"
    properties = ",".join(
        f"{key}={_escape_property(value)}"
        for key, value in (
            ("file", finding.file),
            ("line", str(finding.line)),
            ("col", str(finding.column)),
            ("title", finding.rule),
        )
    )
    message = finding.message + (f"\n{finding.url}" if finding.url else "")
    return f"::{level} {properties}::{_escape_data(message)}"


def sarif(findings: Sequence[Finding]) -> dict[str, object]:
    """SARIF 2.1.0, for code-scanning dashboards."""
    results = [
        {
            "ruleId": f.rule,
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": f.message + (f" ({f.url})" if f.url else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(f.file)},
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

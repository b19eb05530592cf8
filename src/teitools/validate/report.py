"""Report formats: text for people; JSON, JUnit XML, GitHub annotations and SARIF for CI.

Every format is written piece by piece from a :class:`Spool` (the files and findings of a
run, on disk), so a report of a million files holds no row per file in memory; every file
name and message reaches it as one line (:func:`findings.one_line`), escaped as the format
requires.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from itertools import repeat
from operator import attrgetter
from urllib.parse import quote

from lxml import etree

from teitools.jsonout import streamed
from teitools.scratch import key, scratch, text
from teitools.validate.findings import Finding, one_line

FORMATS = ("text", "json", "junit", "github", "sarif")
_STRINGS = ("file", "severity", "layer", "rule", "message", "xpath", "url")
_COLUMNS = ", ".join(f.name for f in fields(Finding))
_VALUES = attrgetter(*(f.name for f in fields(Finding)))  # a finding's values, in order
_ERROR = key("error")


class Spool:
    """The files a run checked, in order, and their findings, kept in a scratch database
    (:mod:`teitools.scratch`) as they come, with counts in memory: a report of a million
    files holds no row per file in memory, and its findings come back in the order of
    :class:`Finding` (sorted there, not here)."""

    def __init__(self) -> None:
        self.db = scratch()
        self.db.executescript(
            f"""
            CREATE TABLE files (seq INTEGER PRIMARY KEY, name BLOB NOT NULL);
            CREATE TABLE findings (file BLOB, line INTEGER, column INTEGER, severity BLOB,
                layer BLOB, rule BLOB, message BLOB, xpath BLOB, url BLOB);
            CREATE INDEX findings_in_order ON findings ({_COLUMNS});
            """
        )
        self.files = self.errors = self.warnings = 0

    def file(self, name: str) -> None:
        """One more file checked (the report lists it, in this order)."""
        self.db.execute("INSERT INTO files (name) VALUES (?)", (key(name),))
        self.files += 1

    def add(self, findings: Iterable[Finding]) -> None:
        """Findings of any file."""
        rows = []
        for finding in findings:
            rows.append(tuple(map(_stored, _VALUES(finding))))
            self.errors += finding.severity == "error"
            self.warnings += finding.severity != "error"
        self.db.executemany(f"INSERT INTO findings VALUES ({', '.join('?' * 9)})", rows)

    def names(self) -> Iterator[str]:
        """The files, in order."""
        for (name,) in self.db.execute("SELECT name FROM files ORDER BY seq"):
            yield text(name)

    def ordered(self, file: str | None = None) -> Iterator[Finding]:
        """The findings (of ``file`` only, if given), in order."""
        where, arguments = ("WHERE file = ?", (key(file),)) if file is not None else ("", ())
        query = f"SELECT {_COLUMNS} FROM findings {where} ORDER BY {_COLUMNS}"
        for name, line, column, *strings in self.db.execute(query, arguments):
            yield Finding(text(name), line, column, *map(text, strings))

    def invalid(self) -> int:
        """The files with an error, each counted once (named by a finding, listed or not)."""
        query = "SELECT count(DISTINCT file) FROM findings WHERE severity = ?"
        return int(self.db.execute(query, (_ERROR,)).fetchone()[0])

    def failing(self) -> int:
        """The files listed that have an error (a file listed twice, twice)."""
        query = (
            "SELECT count(*) FROM files WHERE EXISTS"
            " (SELECT 1 FROM findings WHERE file = files.name AND severity = ?)"
        )
        return int(self.db.execute(query, (_ERROR,)).fetchone()[0])

    def close(self) -> None:
        self.db.close()


def _stored(value: object) -> object:
    return key(value) if isinstance(value, str) else value


def summary(spool: Spool) -> str:
    invalid = spool.invalid()
    tail = f", {spool.warnings} warnings" if spool.warnings else ""
    return (
        f"{spool.files} files checked: {spool.files - invalid} valid, {invalid} invalid"
        f" ({spool.errors} errors{tail})"
    )


def render(fmt: str, files: Sequence[str], findings: Sequence[Finding]) -> list[str]:
    """The report of ``files`` and ``findings`` as lines of text in ``fmt``."""
    spool = Spool()
    try:
        for name in files:
            spool.file(name)
        spool.add(findings)
        return lines(fmt, spool)
    finally:
        spool.close()


def lines(fmt: str, spool: Spool) -> list[str]:
    """The report as lines of text in ``fmt`` (one for JSON, JUnit and SARIF)."""
    if fmt in ("text", "github"):
        return [chunk[:-1] for chunk in chunks(fmt, spool)]
    return ["".join(chunks(fmt, spool))[:-1]]


def chunks(fmt: str, spool: Spool) -> Iterator[str]:
    """The report in ``fmt``, piece by piece, as it is printed (each line ends in a newline),
    made from the spool's ordered rows as it goes."""
    if fmt == "json":
        files: list[object] = []
        document = {"files": files, "summary": summary(spool)}
        yield from streamed(document, files, map(_json_file, spool.names(), repeat(spool)))
    elif fmt == "junit":
        yield from _junit(spool)
    elif fmt == "sarif":
        results: list[object] = []
        yield from streamed(sarif(results), results, map(_sarif_result, spool.ordered()))
    elif fmt == "github":
        yield from (github(f) + "\n" for f in spool.ordered())
    else:
        yield from (f.text() + "\n" for f in spool.ordered())
        yield summary(spool) + "\n"


def _json_file(name: str, spool: Spool) -> dict[str, object]:
    mine = list(spool.ordered(name))
    return {
        "file": name,
        "valid": not any(f.severity == "error" for f in mine),
        "findings": [vars(f) for f in mine],
    }


def _junit(spool: Spool) -> Iterator[str]:
    """The JUnit XML as lxml pretty-prints it, one test case at a time."""
    tests, failures = str(spool.files), str(spool.failing())
    suite = etree.Element("testsuite", name="teitools validate", tests=tests, failures=failures)
    if not spool.files:
        text: str = etree.tostring(suite, encoding="unicode", pretty_print=True)
        yield text.rstrip() + "\n"
        return
    head = etree.tostring(suite, encoding="unicode").removesuffix("/>") + ">\n"
    yield head
    for name in spool.names():
        suite = etree.Element("testsuite")
        case = etree.SubElement(
            suite, "testcase", classname="teitools.validate", name=one_line(name)
        )
        mine = list(spool.ordered(name))
        errors = [f for f in mine if f.severity == "error"]
        if errors:
            failure = etree.SubElement(case, "failure", message=errors[0].message)
            failure.text = "\n".join(f.text() for f in errors)
        if len(errors) < len(mine):
            output = etree.SubElement(case, "system-out")
            output.text = "\n".join(f.text() for f in mine if f.severity != "error")
        whole = etree.tostring(suite, encoding="unicode", pretty_print=True)
        yield whole[len("<testsuite>\n") : -len("</testsuite>\n")]
    yield "</testsuite>\n"


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


def sarif(results: list[object]) -> dict[str, object]:
    """SARIF 2.1.0, for code-scanning dashboards, with these ``results``."""
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


def _sarif_result(f: Finding) -> dict[str, object]:
    return {
        "ruleId": f.rule,
        "level": "error" if f.severity == "error" else "warning",
        "message": {"text": f.message + (f" ({f.url})" if f.url else "")},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(f.file, errors="surrogateescape")},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }
            }
        ],
    }

"""The validation report at scale: each file's result goes to disk as it arrives (a scratch
SQLite database that SQLite removes as soon as it makes it) and the report is written from
ordered rows of it, so its order and counts are those of the files and findings, whatever
their number, and nothing is left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lxml import etree

from teitools.validate import validate_paths

from conftest import ENCODED

GOOD = (ENCODED / "004_2a302f09f3bdef71.xml").read_text(encoding="utf-8")


def corpus(folder: Path, count: int) -> dict[Path, str]:
    """``count`` files in nested folders, every third with an element TEI does not know,
    every seventh not well-formed: each path and how it should fare."""
    fates = {}
    for n in range(count):
        path = folder / f"box{n % 4}" / f"{(n * 37) % count:04d}.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        if n % 7 == 0:
            path.write_text("<TEI><unclosed></TEI>", encoding="utf-8")
            fates[path] = "broken"
        elif n % 3 == 0:
            path.write_text(GOOD.replace("</body>", "<bogus/></body>"), encoding="utf-8")
            fates[path] = "invalid"
        else:
            path.write_text(GOOD, encoding="utf-8")
            fates[path] = "valid"
    return fates


def test_a_report_of_many_files_lists_each_in_order_with_its_own_findings(
    tmp_path: Path,
) -> None:
    fates = corpus(tmp_path, 60)
    report = validate_paths([tmp_path], jobs=2, fmt="json", reuse=False, tei_rules=False)
    data = json.loads(report.lines()[0])
    assert [entry["file"] for entry in data["files"]] == [str(p) for p in sorted(fates)]
    for entry in data["files"]:
        fate = fates[Path(entry["file"])]
        assert entry["valid"] == (fate == "valid"), entry
        assert all(f["file"] == entry["file"] for f in entry["findings"])
        assert (fate == "broken") == any(f["layer"] == "wellformed" for f in entry["findings"])
    bad = sum(fate != "valid" for fate in fates.values())
    assert data["summary"].startswith(f"60 files checked: {60 - bad} valid, {bad} invalid")
    # the text report: every finding, in the order of the findings themselves
    report.fmt = "text"
    *lines, summary = report.lines()
    assert lines == [f.text() for f in sorted(report.findings)] and summary == data["summary"]
    report.fmt = "junit"
    suite = etree.fromstring(report.lines()[0].encode())
    assert [case.get("name") for case in suite] == [str(p) for p in sorted(fates)]
    assert suite.get("failures") == str(bad)


def test_validate_leaves_nothing_in_the_temporary_folder_even_when_files_fail(
    tmp_path: Path,
) -> None:
    fates = corpus(tmp_path / "tei", 20)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "SQLITE_TMPDIR": str(scratch)}
    command = ["validate", "--no-cache", "--no-tei-rules", "-j", "2", "--format", "junit"]
    done = subprocess.run(
        [sys.executable, "-m", "teitools", *command, str(tmp_path / "tei")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(etree.fromstring(done.stdout.encode())) == len(fates)
    assert list(scratch.iterdir()) == []


def test_findings_come_back_in_pythons_order_whatever_their_characters() -> None:
    # the scratch keys must order as Python orders strings (by code point): ASCII, Latin,
    # the last character before the surrogates, lone surrogates (a file name that is not
    # UTF-8), private use, astral characters, and a name that is a prefix of another
    from teitools.validate.findings import Finding
    from teitools.validate.report import Spool

    names = ["b", "a", "ab", "é", "\ud7ff", "x\udcff", "x\udc80", "\ue000", "\U0001f600", "a\x7f"]
    findings = [
        Finding(name, line, 1, "error", "relaxng", "tei_all", message)
        for name in names
        for line, message in ((2, "z"), (1, "ß"), (1, "s"))
    ]
    spool = Spool()
    spool.add(findings)
    assert list(spool.ordered()) == sorted(findings)
    assert list(spool.ordered("x\udcff")) == sorted(f for f in findings if f.file == "x\udcff")

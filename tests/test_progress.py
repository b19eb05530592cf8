"""Progress on long work: a bar with the count and the time left on a terminal, nothing in a
CI log or with -q, and at the end what took how long."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_convert_archives import FAMILY, FOREIGN_OFFICE, GERMAN


def on_a_terminal(*args: str, cwd: Path, code: str | None = None) -> tuple[int, str]:
    """Run teitools (or Python ``code``) with its stderr on a pseudo-terminal; its exit code
    and what it showed."""
    main, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, *(["-c", code] if code else ["-m", "teitools"]), *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    shown = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown.append(chunk)
    os.close(main)
    return process.wait(), b"".join(shown).decode("utf-8", "replace")


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "teitools", "init", "ed"], cwd=tmp_path, check=True)
    folder = tmp_path / "ed"
    for name, text in (("a.txt", FAMILY), ("b.txt", FOREIGN_OFFICE), ("c.txt", GERMAN)):
        (folder / "letters" / name).write_text(text, encoding="utf-8")
    return folder


def test_every_stage_of_a_build_shows_its_count_and_ends_with_what_took_how_long(
    edition: Path,
) -> None:
    code, shown = on_a_terminal("build", "--no-pdf", cwd=edition)
    assert code == 0, shown
    for label in ("converting", "validating", "rendering html", "letter pages"):
        assert re.search(rf"{label} +\[[#-]+\] +[123]/3", shown), label
    took = [line for line in shown.splitlines() if line.startswith("teitools: took ")]
    assert len(took) == 1
    assert re.fullmatch(
        r"teitools: took [\d.]+ s: converting 3 files [\d.]+ s, collating 3 files [\d.]+ s, "
        r"validating 3 files [\d.]+ s, "
        r"rendering html 3 files [\d.]+ s, letter pages 3 files [\d.]+ s",
        took[0].strip(),
    )


def test_the_time_left_is_shown_once_an_item_has_taken_a_second(tmp_path: Path) -> None:
    """The bar knows the time left after a second of work (a build of three short letters
    may end sooner, so the build's test above cannot ask for it)."""
    code = (
        "import time; from teitools import progress; progress.show(True)\n"
        "for item in progress.track(range(3), 3, 'working'):\n"
        "    time.sleep(1.1) if item == 0 else None\n"
    )
    exit_code, shown = on_a_terminal(cwd=tmp_path, code=code)
    assert exit_code == 0, shown
    assert re.search(r"working +\[[#-]+\] +1/3 +33% +00:00:0\d", shown), shown


def test_quiet_on_a_terminal_with_q(edition: Path) -> None:
    code, shown = on_a_terminal("-q", "convert", cwd=edition)
    assert code == 0
    assert "converting" not in shown and "took" not in shown


def test_quiet_in_a_log_and_the_summary_with_v(edition: Path) -> None:
    logged = subprocess.run(
        [sys.executable, "-m", "teitools", "convert"], cwd=edition, capture_output=True, text=True
    )
    assert logged.returncode == 0
    assert "converting" not in logged.stderr and "took" not in logged.stderr
    verbose = subprocess.run(
        [sys.executable, "-m", "teitools", "-v", "convert"],
        cwd=edition,
        capture_output=True,
        text=True,
    )
    assert "[#" not in verbose.stderr
    assert re.search(r"^teitools: took [\d.]+ s: converting 3 files ", verbose.stderr, re.M)

"""Shared paths and oracles for the tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LETTERS = REPO / "letters"
ENCODED = REPO / "encoded"
SCHEMAS = REPO / "schemas"
SHARED = REPO.parent / "shared"
TEI_NS = {"t": "http://www.tei-c.org/ns/1.0"}


def run_jing(*files: Path) -> subprocess.CompletedProcess[str]:
    """Validate ``files`` with jing (the independent RELAX NG oracle) against tei_all."""
    jing = shutil.which("jing")
    if jing is None:
        pytest.fail("jing is not installed: scripts/test.sh installs it (Debian package jing)")
    return subprocess.run(
        [jing, str(SCHEMAS / "tei_all.rng"), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def jing_errors(*files: Path) -> list[str]:
    result = run_jing(*files)
    return [line for line in result.stdout.splitlines() if line.strip()]

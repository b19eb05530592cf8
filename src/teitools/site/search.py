"""Full-text search for the site, built by Pagefind at build time.

Pagefind (the ``pagefind`` package ships its binary) indexes the letter pages (their
``data-pagefind-body``) and writes its index and UI into ``pagefind/`` in the
site; the browser loads only the parts of the index a query needs, with no server.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from teitools.errors import TeitoolsError

OUTPUT = "pagefind"
LETTERS = "letters"
ENTRY = f"{OUTPUT}/pagefind.js"  # the file a built index always has


class SearchIndexError(TeitoolsError):
    """Pagefind could not index the site."""


def index(site: Path) -> None:
    """(Re)build the search index of the site in ``site``."""
    shutil.rmtree(site / OUTPUT, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", OUTPUT]
    command += ["--glob", f"{LETTERS}/*.html"]  # only letter pages are indexed: read no other
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"Pagefind did not run: {error}", site) from None
    if done.returncode != 0 or not (site / ENTRY).exists():
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SearchIndexError(f"Pagefind failed: {last[0]}", site)

"""Full-text search for the site, built by Pagefind at build time.

Pagefind (the ``pagefind`` package ships its binary) indexes the letter pages (their
``data-pagefind-body``) and makes its index and UI; they go into ``pagefind/`` in the site,
where the browser loads only the parts of the index a query needs, with no server.
Pagefind writes into a temporary folder, never into the site: its files reach the site
through the same checked writes as every other file (:mod:`teitools.site.output`), so a
file of yours in ``pagefind/`` is never replaced or removed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from teitools.errors import TeitoolsError
from teitools.scratch import key, scratch, text

OUTPUT = "pagefind"
LETTERS = "letters"
ENTRY = f"{OUTPUT}/pagefind.js"  # the file a built index always has


class SearchIndexError(TeitoolsError):
    """Pagefind could not index the site."""


@contextmanager
def index(site: Path) -> Iterator[Iterator[tuple[str, Path]]]:
    """The search index of the letter pages in ``site``: its files (path in the site, and
    where Pagefind made it), in name order, one at a time, each removed once read (the
    rest when the ``with`` block ends)."""
    with tempfile.TemporaryDirectory(prefix="teitools-pagefind-") as scratch:
        bundle = Path(scratch) / OUTPUT
        command = [sys.executable, "-m", "pagefind", "--site", str(site)]
        command += ["--output-path", str(bundle)]
        command += ["--glob", f"{LETTERS}/*.html"]  # only letter pages are indexed: read no other
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SearchIndexError(f"Pagefind did not run: {error}", site) from None
        if done.returncode != 0 or not (Path(scratch) / ENTRY).exists():
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise SearchIndexError(f"Pagefind failed: {last[0]}", site)
        yield _taken(bundle)


def _taken(bundle: Path) -> Iterator[tuple[str, Path]]:
    """The index's files (path in the site, where Pagefind made it), each removed once the
    next is asked for: the temporary folder's cleanup, which lists a folder's entries at
    once (``shutil.rmtree``), then has little left to list (Pagefind writes a file a letter
    into one folder: 60,000 entries listed were 9 MB at the client's peak)."""
    for path in _files(bundle):
        yield f"{OUTPUT}/{path.relative_to(bundle).as_posix()}", path
        path.unlink()


def _files(folder: Path) -> Iterator[Path]:
    """The regular files under ``folder`` (not links), in the order of ``sorted(rglob)``; a
    folder's names are listed into a scratch database and read back in order (Pagefind
    writes a file a letter into one folder)."""
    names = scratch()
    names.execute("CREATE TABLE names (name BLOB PRIMARY KEY) WITHOUT ROWID")
    with os.scandir(folder) as entries:
        names.executemany("INSERT INTO names VALUES (?)", ((key(e.name),) for e in entries))
    try:
        for (name,) in names.execute("SELECT name FROM names ORDER BY name"):
            path = folder / text(name)
            if path.is_file() and not path.is_symlink():
                yield path
            if path.is_dir() and not path.is_symlink():
                yield from _files(path)
    finally:
        names.close()

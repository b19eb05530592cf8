"""An on-disk cache for what is derived from the bundled schemas (generated XSLT, pruned grammar).

Entries live in ``$TEITOOLS_CACHE_DIR``, else ``$XDG_CACHE_HOME/teitools``, else
``~/.cache/teitools``. An entry's name holds the SHA-256 of its source file, the teitools version
and the recipe that derived it, so a changed schema or a new release never reads a stale entry.
Each entry starts with the SHA-256 of its payload: a truncated or garbled entry is ignored and
rebuilt. Entries are written atomically (a temporary file renamed into place), so parallel
workers never read a half-written one. A cache that cannot be written is only slower.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from teitools import __version__


def directory() -> Path:
    """Where the cache lives (not created here)."""
    if os.environ.get("TEITOOLS_CACHE_DIR"):
        return Path(os.environ["TEITOOLS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "teitools"


def entry_path(kind: str, source: Path, recipe: str) -> Path:
    """The entry for ``source`` derived by ``recipe``, e.g. ``tei-rules-3f2a….xsl``."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    key = hashlib.sha256(f"{digest}\n{__version__}\n{recipe}".encode()).hexdigest()
    return directory() / f"{kind}-{key[:32]}"


def read_entry(path: Path) -> bytes | None:
    """An entry's payload, or None if it is missing or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, _, payload = data.partition(b"\n")
    return payload if hashlib.sha256(payload).hexdigest().encode() == digest else None


def write_entry(path: Path, payload: bytes) -> None:
    """Store ``payload`` atomically with its checksum; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return  # a read-only home or a full disk: run without the cache
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def derived(kind: str, source: Path, recipe: str, build: Callable[[], bytes]) -> bytes:
    """The payload derived from ``source``: from the cache, or built by ``build`` and stored."""
    path = entry_path(kind, source, recipe)
    payload = read_entry(path)
    if payload is None:
        payload = build()
        write_entry(path, payload)
    return payload

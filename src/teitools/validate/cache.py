"""An on-disk cache of what is expensive to derive: the pruned tei_all grammars, the
translations of tei_all's XSD patterns into Python's syntax, and the results of earlier runs
(:mod:`~teitools.validate.memo`).

Entries live in ``$TEITOOLS_CACHE_DIR``, else ``$XDG_CACHE_HOME/teitools``, else
``~/.cache/teitools``. A cache may be shared (a CI cache restored by key, a team's folder),
so nothing read from it is trusted unless it is authenticated: each entry starts with an
HMAC-SHA256 of its name and payload under a secret key that lives *outside* the cache
(:func:`key`). Someone who can only write the cache cannot forge an entry, nor move one under
another name; a damaged, foreign or forged entry is ignored and rebuilt. No executable code is
kept in the cache at all: the XSLT generated from Schematron is derived afresh in each process
(it takes milliseconds). Entries are written atomically, so parallel workers never read a
half-written one. A cache that cannot be written is only slower.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from teitools.resources import fingerprint

KEY_BYTES = 32


def directory() -> Path:
    """Where the cache lives (not created here)."""
    if os.environ.get("TEITOOLS_CACHE_DIR"):
        return Path(os.environ["TEITOOLS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "teitools"


def key_path() -> Path:
    """The file holding the cache key: ``$TEITOOLS_CONFIG_DIR``, else
    ``$XDG_CONFIG_HOME/teitools``, else ``~/.config/teitools``; ``cache.key`` in it."""
    if os.environ.get("TEITOOLS_CONFIG_DIR"):
        base = Path(os.environ["TEITOOLS_CONFIG_DIR"])
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "teitools"
    return base / "cache.key"


def _private(path: Path) -> bool:
    """Whether ``path`` is a regular file only its owner (this user) can read or write."""
    info = path.lstat()
    mode = stat.S_IMODE(info.st_mode)
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not mode & 0o077


@cache
def key() -> bytes | None:
    """The secret that authenticates cache entries, or None (then the cache is not used).

    ``$TEITOOLS_CACHE_KEY`` (in CI: a repository secret) if set; else the key file, made
    with 32 random bytes and mode 0600 on first use. A key file others can read or write,
    or one inside the cache folder, is refused: whoever can read it could forge entries.
    """
    if os.environ.get("TEITOOLS_CACHE_KEY"):
        return hashlib.sha256(os.environ["TEITOOLS_CACHE_KEY"].encode()).digest()
    path = key_path()
    try:
        if directory().resolve() in path.resolve().parents:
            return None
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process made it meanwhile
            else:
                with os.fdopen(handle, "wb") as out:
                    out.write(secrets.token_bytes(KEY_BYTES))
        if not _private(path):
            return None
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) == KEY_BYTES else None


def _tag(name: str, payload: bytes) -> bytes:
    secret = key()
    assert secret is not None
    return hmac.new(secret, name.encode() + b"\0" + payload, hashlib.sha256).hexdigest().encode()


def entry_path(kind: str, source: Path, recipe: str) -> Path:
    """The entry for ``source`` derived by ``recipe``, keyed by the source's bytes, the
    installed package (:func:`teitools.resources.fingerprint`) and the recipe."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    name = hashlib.sha256(f"{digest}\n{fingerprint()}\n{recipe}".encode()).hexdigest()
    return directory() / f"{kind}-{name[:32]}"


def named(kind: str, content: bytes) -> Path:
    """The entry for something derived from ``content`` (with the installed package)."""
    digest = hashlib.sha256(fingerprint().encode() + b"\0" + content).hexdigest()
    return directory() / f"{kind}-{digest[:32]}"


def read_entry(path: Path) -> bytes | None:
    """An entry's payload, or None if it is missing, damaged, or not authenticated."""
    if key() is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    tag, _, payload = data.partition(b"\n")
    return payload if hmac.compare_digest(tag, _tag(path.name, payload)) else None


def write_entry(path: Path, payload: bytes) -> None:
    """Store ``payload`` atomically with its tag; a cache that cannot be written is skipped."""
    if key() is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return  # a read-only home or a full disk: run without the cache
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_tag(path.name, payload) + b"\n" + payload)
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

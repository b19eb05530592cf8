"""Results of earlier runs, reused for files that have not changed (as ruff and mypy do).

A file's result is stored under a key made of the file's path and bytes, the options, every
schema given with ``--schema``, and the fingerprint of the installed package (its code,
schemas and version: :func:`teitools.resources.fingerprint`). The entry also lists every
other file the result depended on (the schemas its ``<?xml-model?>`` names, the files it
includes, its folder's ``register.xml``) with their SHA-256: it is reused only while each
still has those bytes. Entries live in ``results/`` of the cache
(:mod:`teitools.validate.cache`), authenticated; a damaged or forged one is ignored.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from teitools.resources import fingerprint
from teitools.validate import cache as disk_cache
from teitools.validate.checker import FileResult, Options
from teitools.validate.findings import Finding
from teitools.validate.profile import IdUse


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


@cache
def _fingerprint(options: Options) -> str:
    """What every result depends on besides the file: the package, the options, the schemas
    given with ``--schema``."""
    parts = [p.as_posix().encode() + b"\0" + p.read_bytes() for p in sorted(options.schemas)]
    settings = (
        options.xsd,
        options.tei_rules,
        options.profile,
        options.across_files,
        options.max_size,
        str(options.project),
        options.schematron_engine,
    )
    return _digest(fingerprint().encode(), repr(settings).encode(), *parts)


class Memo:
    """Earlier results by key; ``enabled=False`` makes every lookup miss and stores nothing."""

    def __init__(self, options: Options, enabled: bool = True) -> None:
        self.options, self.enabled = options, enabled
        self.folder = disk_cache.directory() / "results"
        self.hashes: dict[str, str] = {}  # the files results depend on, hashed once per run

    def _hash(self, name: str) -> str:
        if name not in self.hashes:
            try:
                self.hashes[name] = hashlib.sha256(Path(name).read_bytes()).hexdigest()
            except OSError:
                self.hashes[name] = ""
        return self.hashes[name]

    def key(self, path: Path) -> str | None:
        """The key of ``path``'s result, or None if it must be checked."""
        if not self.enabled:
            return None
        try:
            data = path.read_bytes() if path.stat().st_size <= self.options.max_size else None
        except OSError:
            return None  # the check reports it
        if data is None:
            return None
        return _digest(_fingerprint(self.options).encode(), str(path).encode(), data)

    def get(self, key: str | None, path: Path) -> FileResult | None:
        if key is None:
            return None
        payload = disk_cache.read_entry(self.folder / key[:2] / key)
        if payload is None:
            return None
        try:
            stored = json.loads(payload)
            if any(self._hash(name) != digest for name, digest in stored["depends"]):
                return None
            findings = [Finding(str(path), *f) for f in stored["findings"]]
            ids = [IdUse(*i) for i in stored["ids"]]
            depends = [name for name, _ in stored["depends"]]
        except (ValueError, TypeError, KeyError):
            return None
        return FileResult(findings, ids, depends)

    def put(self, key: str | None, result: FileResult) -> None:
        if key is None:
            return
        stored = {
            "findings": [
                [f.line, f.column, f.severity, f.layer, f.rule, f.message, f.xpath, f.url]
                for f in result.findings
            ],
            "ids": [list(i) for i in result.ids],
            "depends": [[name, self._hash(name)] for name in sorted(set(result.depends))],
        }
        disk_cache.write_entry(self.folder / key[:2] / key, json.dumps(stored).encode())

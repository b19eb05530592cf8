"""Results of earlier runs, reused for files that have not changed (as ruff and mypy do).

A file's result is stored under a key made of everything it depends on: the file's path
and bytes, the bytes of its folder's ``register.xml`` (the profile checks pointers into it),
the options, every schema given with ``--schema``, and the fingerprint of the installed
package (its code, schemas and version: :func:`teitools.resources.fingerprint`). Change
any of them and the file is checked again. A file that names a schema in
``<?xml-model?>`` is always checked: that schema may change while the file does not.
Entries live in ``results/`` of the schema cache (:mod:`teitools.validate.cache`), each
guarded by its own checksum; a damaged one is ignored.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from teitools.registers import REGISTER_FILE
from teitools.resources import fingerprint
from teitools.validate import cache as schema_cache
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
    return _digest(fingerprint().encode(), repr((options.xsd, options.tei_rules)).encode(), *parts)


def _register(folder: Path) -> bytes:
    try:
        return (folder / REGISTER_FILE).read_bytes()
    except OSError:
        return b""


class Memo:
    """Earlier results by key; ``enabled=False`` makes every lookup miss and stores nothing."""

    def __init__(self, options: Options, enabled: bool = True) -> None:
        self.options, self.enabled = options, enabled
        self.folder = schema_cache.directory() / "results"
        self.registers: dict[Path, bytes] = {}

    def key(self, path: Path) -> str | None:
        """The key of ``path``'s result, or None if it must always be checked."""
        if not self.enabled:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None  # the check reports it
        if b"<?xml-model" in data:
            return None
        if path.parent not in self.registers:
            self.registers[path.parent] = _register(path.parent)
        register = self.registers[path.parent]
        return _digest(_fingerprint(self.options).encode(), str(path).encode(), data, register)

    def get(self, key: str | None, path: Path) -> FileResult | None:
        if key is None:
            return None
        payload = schema_cache.read_entry(self.folder / key[:2] / key)
        if payload is None:
            return None
        try:
            stored = json.loads(payload)
            findings = [Finding(str(path), *f) for f in stored["findings"]]
            ids = [IdUse(*i) for i in stored["ids"]]
        except (ValueError, TypeError, KeyError):
            return None
        return FileResult(findings, ids)

    def put(self, key: str | None, result: FileResult) -> None:
        if key is None:
            return
        stored = {
            "findings": [
                [f.line, f.column, f.severity, f.layer, f.rule, f.message, f.xpath]
                for f in result.findings
            ],
            "ids": [list(i) for i in result.ids],
        }
        schema_cache.write_entry(self.folder / key[:2] / key, json.dumps(stored).encode())

"""File output that never destroys an editor's work.

Every TEI file teitools writes carries a processing instruction with the SHA-256 of the
bytes that follow it. Before overwriting, teitools recomputes that checksum: if the file
no longer matches (a person edited it) or has no checksum (teitools did not write it),
the write is refused unless forced. Writes go to a temporary file in the same folder and
are moved into place with :func:`os.replace`, so a failed run leaves no half-written file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from teitools.errors import OverwriteRefused

_PI = re.compile(rb'<\?teitools-checksum sha256="([0-9a-f]{64})"\?>\n')


def add_checksum(xml: bytes) -> bytes:
    """Insert the checksum PI after the XML declaration (``xml`` must start with one)."""
    decl_end = xml.index(b"?>") + 2
    head, rest = xml[:decl_end] + b"\n", xml[decl_end:].lstrip(b"\n")
    digest = hashlib.sha256(rest).hexdigest().encode()
    return head + b'<?teitools-checksum sha256="' + digest + b'"?>\n' + rest


def edited_since_written(data: bytes) -> str | None:
    """Why ``data`` may not be overwritten, or None if teitools wrote it and nobody changed it."""
    match = _PI.search(data, 0, 512)
    if match is None:
        return "was not written by teitools (no checksum)"
    if hashlib.sha256(data[match.end() :]).hexdigest().encode() != match.group(1):
        return "was edited since teitools wrote it"
    return None


def guard_overwrite(path: Path, force: bool) -> None:
    """Raise :class:`OverwriteRefused` if writing ``path`` would lose a person's edits."""
    if force or not path.exists():
        return
    reason = edited_since_written(path.read_bytes())
    if reason is not None:
        raise OverwriteRefused(f"not overwritten: it {reason}; use --force to replace it", path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

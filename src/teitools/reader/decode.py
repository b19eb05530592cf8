"""Bytes to text: detect binary input and the encoding, say which was assumed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from teitools.errors import InputError

MAX_BYTES = 5 * 1024 * 1024  # a typed letter is kilobytes; 5 MB is not a letter
# Characters XML 1.0 cannot hold; a form feed (page break) is read as white space instead.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "cp1252" or "latin-1"


def decode(data: bytes, name: str) -> Decoded:
    """Decode a raw letter. Raises :class:`InputError` for empty, binary or oversized input."""
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{len(data) / 1048576:.1f} MB is too large for a letter (limit {MAX_BYTES >> 20} MB)",
            name,
        )
    if b"\x00" in data[:8192]:
        raise InputError("binary file (NUL bytes), not a text letter", name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text, encoding = "", "latin-1"
    for encoding in ("utf-8", "cp1252", "latin-1"):  # latin-1 decodes any byte string
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise InputError("binary file (control characters), not a text letter", name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty file: no text to convert", name)
    bad = _NOT_XML.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(f"character U+{ord(bad.group()):04X} cannot be stored in XML", name, line)
    return Decoded(text, encoding)

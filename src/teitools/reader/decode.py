"""Bytes to text: detect binary input and the encoding, say which was assumed."""

from __future__ import annotations

from dataclasses import dataclass

from teitools.errors import InputError

MAX_BYTES = 5 * 1024 * 1024  # a typed letter is kilobytes; 5 MB is not a letter


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
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise InputError("binary file (control characters), not a text letter", name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty file: no text to convert", name)
    return Decoded(text, encoding)

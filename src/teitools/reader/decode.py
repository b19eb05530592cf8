"""Bytes to text: detect binary input and the encoding, say which was assumed.

A byte-order mark names the encoding (UTF-8, UTF-16 or UTF-32, as Windows editors save
"Unicode" text); without one, UTF-16 is recognised by the zero bytes of its ASCII
characters. Otherwise the text is UTF-8, or cp1252 or latin-1 as a reported guess.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from teitools.errors import InputError

MAX_BYTES = 5 * 1024 * 1024  # a typed letter is kilobytes; 5 MB is not a letter
# Characters XML 1.0 cannot hold; a form feed (page break) is read as white space instead.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-16", "utf-32", "utf-16-le", "cp1252" or "latin-1"
    warning: str | None = None  # the encoding was a guess: says which


def _unicode(data: bytes, name: str) -> Decoded | None:
    """Text in a Unicode encoding a byte-order mark (or UTF-16's zero bytes) shows."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec), label)
            except UnicodeDecodeError as error:
                raise InputError(
                    f"not valid {label.upper()} (it begins with that byte-order mark): "
                    f"{error.reason} at byte {error.start + len(bom)}",
                    name,
                ) from None
    head = data[:8192]
    if len(head) >= 4 and len(head) % 2 == 0 and head.count(0) * 2 >= len(head) * 0.9:
        # mostly ASCII in UTF-16: one half of the bytes zero, all on the same side
        for codec, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
            if zeros.count(0) >= len(zeros) * 0.9 and len(data) % 2 == 0:
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    return None
                return Decoded(text, codec, f"no byte-order mark; read as {codec.upper()}")
    return None


def decode(data: bytes, name: str) -> Decoded:
    """Decode a raw letter. Raises :class:`InputError` for empty, binary or oversized input."""
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{len(data) / 1048576:.1f} MB is too large for a letter (limit {MAX_BYTES >> 20} MB)",
            name,
        )
    decoded = _unicode(data, name)
    if decoded is None and b"\x00" in data[:8192]:
        raise InputError("binary file (NUL bytes), not a text letter", name)
    if decoded is None:
        for encoding in ("utf-8", "cp1252", "latin-1"):  # latin-1 decodes any byte string
            try:
                warning = None if encoding == "utf-8" else f"not valid UTF-8; read as {encoding}"
                decoded = Decoded(data.decode(encoding), encoding, warning)
                break
            except UnicodeDecodeError:
                continue
    assert decoded is not None
    text = decoded.text
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
    return Decoded(text, decoded.encoding, decoded.warning)

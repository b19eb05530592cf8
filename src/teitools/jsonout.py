"""JSON written piece by piece: a document whose one long list (each file of a report, each
letter of a review) is read from disk as it is written, in exactly the bytes
``json.dumps(document, indent=INDENT, ensure_ascii=False)`` gives for the whole."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring  # C's, where the interpreter has it

_ROWS = "\ue000rows\ue000"  # where the document's rows go


class _Unusual(Exception):
    """A value :func:`_indented` leaves to ``json.dumps`` (a key that is no string, a type
    JSON has no form for, a loop)."""


def streamed(
    document: object, holder: list[object], rows: Iterable[object], indent: int = 2
) -> Iterator[str]:
    """``document`` as JSON, the list ``holder`` in it (empty) holding ``rows``, written one
    by one; the last piece ends in a newline."""
    holder[:] = [_ROWS]
    whole = json.dumps(document, indent=indent, ensure_ascii=False)
    before, _, after = whole.partition(json.dumps(_ROWS, ensure_ascii=False))
    margin = before[before.rindex("\n") + 1 :]  # how deep the rows are
    written = 0
    for row in rows:
        if not written:
            yield before
        yield (",\n" + margin if written else "") + dumps(row, indent, margin)
        written += 1
    holder.clear()
    if written:
        yield after + "\n"
    else:  # an empty list is written []
        yield json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def dumps(value: object, indent: int, margin: str = "") -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False)``, each line after the first
    starting with ``margin``; strings escaped by C's encoder, where Python's indenting
    encoder escapes them one call at a time (a third of the time for a report's rows)."""
    try:
        return _indented(value, "\n" + margin, " " * indent)
    except (_Unusual, RecursionError):
        text = json.dumps(value, indent=indent, ensure_ascii=False)
        return text.replace("\n", "\n" + margin)


def _indented(value: object, newline: str, step: str) -> str:
    """``value`` as ``json.dumps`` indents it, at the depth where lines start with
    ``newline``; the types tested in the order ``json.encoder`` tests them."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = newline + step
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [_indented(item, inner, step) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            pairs.append(encode_basestring(key) + ": " + _indented(item, inner, step))
        return "{" + inner + ("," + inner).join(pairs) + newline + "}"
    raise _Unusual


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)

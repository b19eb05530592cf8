"""JSON written piece by piece: a document whose one long list (each file of a report, each
letter of a review) is read from disk as it is written, in exactly the bytes
``json.dumps(document, indent=INDENT, ensure_ascii=False)`` gives for the whole."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

_ROWS = "\ue000rows\ue000"  # where the document's rows go


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
        text = json.dumps(row, indent=indent, ensure_ascii=False).replace("\n", "\n" + margin)
        yield (",\n" + margin if written else "") + text
        written += 1
    holder.clear()
    if written:
        yield after + "\n"
    else:  # an empty list is written []
        yield json.dumps(document, indent=indent, ensure_ascii=False) + "\n"

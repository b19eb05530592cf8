"""Writing over a TEI file teitools made before: a person's edits are never lost.

Beside the TEI files, the output folder's ``.teitools/`` keeps what teitools wrote last
(``.teitools/NAME.xml.written``, one per file; commit it with the TEI). When a letter is
converted again, its file is

- **written** if it is new, or if teitools wrote it and nobody has changed it since (its
  ``<?teitools-checksum?>`` still holds), or with ``force``;
- **unchanged** if the new conversion differs from it at most in the date of encoding
  (an edited file too: the editor wrote what the conversion brings);
- **kept (edited)** if a person edited it and the new conversion brings nothing new, or if
  there is no record of what teitools wrote (the short diff says what a new conversion
  would change), or with ``merge=False``;
- **merged** if a person edited it and the new conversion differs from what teitools
  wrote last: the editor's file and the new conversion are merged three ways, element by
  element (:mod:`teitools.tei.merge`), so the improvement reaches the edited letter and
  every editorial change stays;
- **in conflict** if the editor and the new conversion changed the same element
  differently: the editor's file is left as it is, and the message names the element.

A file that was edited or merged never regains a valid checksum: it stays the editor's.

Another command may write into a file a first one made (``teitools collate`` names a
letter's versions in it and adds corrections): the first passes ``aside``, which takes that
out again, so that the file counts as unchanged if only that differs, and the record is
compared and merged as the first wrote it (what the other wrote stays, as an edit would).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teitools.fsio import edited_since_written, existing_output, read_bounded, write_atomic
from teitools.tei.merge import MergeError, merge_documents

RECORD_FOLDER = ".teitools"
RECORD_SUFFIX = ".written"
DIFF_LINES = 12  # of a short diff
MAX_TEI = 64 * 1024 * 1024  # bytes of a TEI file read to compare or merge
WIDTH = 100  # characters of a line of it

_ENCODING_DATE = re.compile(
    rb'(<date when=")\d{4}-\d{2}-\d{2}(" type="encoding">)\d{4}-\d{2}-\d{2}(</date>)'
    rb'|(<change who="[^"]*" when=")\d{4}-\d{2}-\d{2}'
    rb'|<\?teitools-checksum sha256="[0-9a-f]{64}"\?>'
)

Write = Callable[[Path, bytes], object]  # writes a file atomically

_CHECKSUM = re.compile(rb'<\?teitools-checksum sha256="[0-9a-f]{64}"\?>\n?')


def same_but_for_date(old: bytes, new: bytes) -> bool:
    """True if two TEI files differ at most in their date of encoding (and so checksum)."""
    return _ENCODING_DATE.sub(b"", old) == _ENCODING_DATE.sub(b"", new)


@dataclass
class Outcome:
    """What became of one file: ``written``, ``unchanged``, ``kept``, ``merged`` or
    ``conflict``; ``detail`` says why in a few words, ``diff`` what a conversion would change."""

    path: Path
    status: str
    detail: str = ""
    diff: list[str] = field(default_factory=list)

    def line(self) -> str:
        """ "encoded/a.xml: kept (edited): ..." """
        label = {"kept": "kept (edited)", "conflict": "kept (edited), not merged"}
        return f"{self.path}: {label.get(self.status, self.status)}: {self.detail}"


def record_of(target: Path) -> Path:
    """Where what teitools wrote last to ``target`` is kept."""
    return target.parent / RECORD_FOLDER / f"{target.name}{RECORD_SUFFIX}"


def _remember(target: Path, data: bytes, write: Write) -> None:
    record = record_of(target)
    if not record.is_file() or read_bounded(record, MAX_TEI, "a record") != data:
        write(record, data)


def short_diff(old: bytes, new: bytes, old_name: str, new_name: str) -> list[str]:
    """A unified diff of two XML files (their checksums aside), at most :data:`DIFF_LINES`
    lines of it."""
    lines = list(
        difflib.unified_diff(
            _CHECKSUM.sub(b"", old).decode("utf-8", "replace").splitlines(),
            _CHECKSUM.sub(b"", new).decode("utf-8", "replace").splitlines(),
            old_name,
            new_name,
            n=0,
            lineterm="",
        )
    )
    shown = [line if len(line) <= WIDTH else line[: WIDTH - 1] + "…" for line in lines]
    if len(shown) > DIFF_LINES:
        shown = [*shown[:DIFF_LINES], f"… {len(lines) - DIFF_LINES} more lines"]
    return shown


def update(
    target: Path,
    data: bytes,
    *,
    force: bool = False,
    merge: bool = True,
    check: Callable[[etree._Element], bool] | None = None,
    aside: Callable[[bytes], bytes | None] | None = None,
    write: Write = write_atomic,
) -> Outcome:
    """Write ``data`` (a new conversion, with its checksum) to ``target`` as the module's
    docstring says. ``check`` tests a merged document: it must hold where it holds for the
    editor's file. ``aside`` takes out of a file what another command wrote into it (None:
    nothing to take out). Raises :class:`~teitools.errors.OutputError` if a file cannot be
    written, :class:`~teitools.errors.OverwriteRefused` if a link, a pipe or a folder stands
    there (:func:`~teitools.fsio.existing_output`; with ``force`` it is replaced).
    ``write`` writes a file atomically (:func:`~teitools.fsio.write_atomic`; a batch's
    :meth:`~teitools.batchwrite.BatchWrite.write`): the file first, then its record."""
    current = existing_output(target, force)
    if current is None:
        write(target, data)
        _remember(target, data, write)
        return Outcome(target, "written")
    edited = edited_since_written(current)

    def own(text: bytes) -> bytes:
        return (aside(text) if aside is not None else None) or text

    if edited is None or force:
        ours = edited is None and same_but_for_date(own(current), data)
        if ours or same_but_for_date(current, data):
            _remember(target, current, write)
            return Outcome(target, "unchanged")
        write(target, data)
        _remember(target, data, write)
        return Outcome(target, "written", "replacing an edited file" if edited else "")
    if same_but_for_date(current, data):  # the editor's file holds what would be written
        return Outcome(target, "unchanged")
    record = record_of(target)
    base = own(read_bounded(record, MAX_TEI, "a record")) if record.is_file() else None
    if base is None:
        diff = short_diff(current, data, str(target), "new conversion")
        return Outcome(target, "kept", f"it {edited}; no record of what teitools wrote", diff)
    if same_but_for_date(base, data):
        return Outcome(target, "kept", "nothing new from the conversion")
    diff = short_diff(base, data, "teitools wrote", "new conversion")
    if not merge:
        return Outcome(target, "kept", "not merged (--no-merge)", diff)
    try:
        merged = merge_documents(base, current, data, check=check)
    except MergeError as error:
        return Outcome(target, "conflict", str(error), diff)
    if merged.data is None:
        first, more = merged.conflicts[0], len(merged.conflicts) - 1
        detail = first + (f" (and {more} more)" if more else "")
        return Outcome(target, "conflict", detail, diff)
    if merged.data != current:
        write(target, merged.data)
    _remember(target, data, write)
    plural = "s" if merged.taken != 1 else ""
    return Outcome(target, "merged", f"{merged.taken} change{plural} of the new conversion taken")

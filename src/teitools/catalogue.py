"""Catalogue files: what an archive's catalogue says about a letter, over what the text shows.

A catalogue is CSV (a header row, one letter per row) or YAML (a list of mappings), keyed by
the source file name; a ``letter`` column picks one letter of a file holding several.
Its values override inference and are credited to the catalogue: ``@resp`` points to a
``bibl`` naming the catalogue file and row, ``@cert="high"``. An ``idno`` cell holds one or
more identifiers separated by ``;``, each typed as ``TYPE: VALUE`` ("shelfmark: Cod. 12")
or untyped; ``language`` is the letter's language.

Columns: file, letter, sender, addressee, date, not_before, not_after, place_sent,
place_received, repository, collection, box, idno, status, language, classification.
Persons, places and repositories may be given as register ids or as any name form.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from teitools.dates import DateError, DateValue
from teitools.errors import InputError, TeitoolsError
from teitools.fsio import read_bounded
from teitools.model import Evidence, Metadata
from teitools.registers import Entry, Registers
from teitools.safeyaml import item_lines, load_yaml

COLUMNS = (
    "file letter sender addressee date not_before not_after place_sent place_received "
    "repository collection box idno status language classification"
).split()
# Columns of the review report (``teitools convert --report``) that a catalogue may carry
# and that are not read: the certainty and evidence of each fact, the warnings.
REVIEW_COLUMNS = (
    *(
        f"{fact}_{what}"
        for fact in ("sender", "addressee", "date", "place_sent", "place_received", "repository")
        for what in ("cert", "evidence")
    ),
    "language_evidence",
    "warnings",
)
# A catalogue is read whole: far larger than any archive's list of letters.
MAX_BYTES = 64 << 20
# Columns that may hold several values, separated by ";" (or, in YAML, a list).
LISTS = ("idno", "classification")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*", re.ASCII)  # xsd:language
_TYPED = re.compile(r"^([A-Za-z][\w.-]*):\s+(\S.*)$")  # "shelfmark: Cod. 12", not "urn:nbn:..."
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class CatalogueError(TeitoolsError):
    """A catalogue file or row is malformed."""


@dataclass(frozen=True)
class Row:
    """One letter's row (or every letter of a file, where ``letter`` is None); a malformed
    row holds its ``error`` instead of values, and its letters are not converted."""

    file: str
    letter: int | None
    values: dict[str, str]
    where: str  # "row 3", for messages
    error: CatalogueError | None = None
    catalogue: str = ""  # the catalogue's file name


class Catalogue(dict[tuple[str, int | None], Row]):
    """Rows by file name and letter number; ``unattached``, the errors of rows that name
    no file (reported, but no letter is theirs)."""

    def __init__(self) -> None:
        super().__init__()
        self.unattached: list[CatalogueError] = []

    def errors(self) -> list[CatalogueError]:
        """Every malformed row's error, in the order of the file."""
        found = [row.error for row in self.values() if row.error is not None]
        return [*found, *self.unattached]


# A row as read: where it is ("row 3", "entry 2"), its line, its cells as text, and why a
# value could not be read as text (a YAML mapping where a name belongs), if one could not.
Record = tuple[str, int | None, dict[str, str], str | None]


def load_catalogue(path: Path) -> Catalogue:
    """Read a CSV or YAML catalogue.

    A file that cannot be read as a catalogue (not CSV or YAML, an unknown column, not a
    list of mappings) raises :class:`CatalogueError`. A malformed row (a date the calendar
    does not have, a list where one name belongs, a control character) is kept as a
    :class:`Row` holding its error, a one-line message naming the file, the row and the
    column: the letters it names fail, the others are converted.
    """
    try:
        data = read_bounded(path, MAX_BYTES, "a catalogue")
        text = data.decode("utf-8-sig")  # a spreadsheet's CSV may begin with a byte-order mark
    except InputError as error:
        raise CatalogueError(f"cannot read catalogue: {error.message}", path) from None
    except UnicodeDecodeError as error:
        message = f"cannot read catalogue: not UTF-8 (byte {error.start + 1})"
        raise CatalogueError(message, path) from None
    if path.suffix.lower() in {".yaml", ".yml"}:
        records = _yaml_records(text, path)
    elif path.suffix.lower() == ".csv":
        records = _csv_records(text, path)
    else:
        raise CatalogueError("a catalogue must be .csv, .yaml or .yml", path)
    catalogue = Catalogue()
    for where, line, cells, problem in records:
        try:
            if problem is not None:
                raise CatalogueError(f"{where}: {problem}", path, line)
            row = replace(_row(cells, path, where, line), catalogue=path.name)
        except CatalogueError as error:
            file, letter = cells.get("file", "").strip(), cells.get("letter", "").strip()
            if not file:
                catalogue.unattached.append(error)
                continue
            number = int(letter) if letter.isascii() and letter.isdigit() else None
            row = Row(file, number, {}, where, error)
        key = (row.file, row.letter)
        if key in catalogue:
            message = f"{row.where}: {row.file} is catalogued twice"
            catalogue.unattached.append(CatalogueError(message, path, line))
            continue
        catalogue[key] = row
    return catalogue


def _known(column: str) -> bool:
    return column in COLUMNS or column in REVIEW_COLUMNS


def _csv_records(text: str, path: Path) -> list[Record]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        columns = [c.strip() for c in reader.fieldnames or []]
        unknown = [c for c in columns if not _known(c)]
        if unknown:
            message = f"row 1: unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})"
            raise CatalogueError(message, path, 1)
        twice = next((c for c in columns if columns.count(c) > 1), None)
        if twice is not None:
            raise CatalogueError(f"row 1: column {twice!r} twice", path, 1)
        records: list[Record] = []
        for record in reader:
            where = f"row {reader.line_num}"
            problem = "more cells than columns" if None in record else None
            cells = {k.strip(): v for k, v in record.items() if isinstance(k, str) and v}
            records.append((where, reader.line_num, cells, problem))
    except csv.Error as error:  # a cell over csv's limit (131,072 characters): no row after
        line = reader.line_num + 1  # it can be read; the line with it is not counted yet
        raise CatalogueError(f"row {line}: {error}", path, line) from None
    return records


def _yaml_records(text: str, path: Path) -> list[Record]:
    data = load_yaml(text, str(path), CatalogueError, text_dates=True)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise CatalogueError("a YAML catalogue must be a list of mappings", path)
    lines = item_lines(text)
    records: list[Record] = []
    for number, record in enumerate(data, start=1):
        where, line = f"entry {number}", lines[number - 1] if len(lines) >= number else None
        unknown = [str(c) for c in record if not _known(str(c))]
        if unknown:
            message = f"{where}: unknown field {unknown[0]!r} (known: {', '.join(COLUMNS)})"
            raise CatalogueError(message, path, line)
        cells: dict[str, str] = {}
        problem = None
        for column, value in record.items():
            try:
                cells[str(column)] = _yaml_text(str(column), value)
            except ValueError as error:
                cells[str(column)], problem = "", problem or str(error)
        records.append((where, line, cells, problem))
    return records


def _yaml_text(column: str, value: Any) -> str:
    """A YAML value as the text of a cell (a list only where a column holds several);
    what cannot be one is a :class:`ValueError` saying why."""
    if column in LISTS and isinstance(value, list):
        return "; ".join(_yaml_text(column, v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):  # YAML reads yes, no, on, off, true, false so
        raise ValueError(f"{column} is {str(value).lower()} (quote yes, no, on and off)")
    if isinstance(value, str | int | float):
        return str(value)
    kind = "a list" if isinstance(value, list) else "a mapping"
    raise ValueError(f"{column} must be one value, not {kind}")


def _row(cells: dict[str, str], path: Path, where: str, line: int | None) -> Row:
    values = {k: v.strip() for k, v in cells.items() if v.strip() and k not in REVIEW_COLUMNS}

    def refuse(message: str) -> CatalogueError:
        return CatalogueError(f"{where}: {message}", path, line)

    for column, value in values.items():
        bad = _NOT_XML.search(value)
        if bad is not None and column != "file":  # a file's name may hold anything
            raise refuse(f"{column} holds a control character (U+{ord(bad.group()):04X})")
    file = values.pop("file", "")
    if not file:
        raise refuse("no file name")
    letter = values.pop("letter", None)
    if letter is not None and not (letter.isascii() and letter.isdigit() and int(letter) > 0):
        raise refuse(f"letter must be a number from 1, not {letter!r}")
    try:
        DateValue.checked(values.get("date"), values.get("not_before"), values.get("not_after"))
    except DateError as error:
        raise refuse(str(error)) from None
    if values.get("status", "sent") not in {"sent", "draft", "copy"}:
        raise refuse("status must be sent, draft or copy")
    if "language" in values and not _LANGUAGE.fullmatch(values["language"]):
        raise refuse(f"language {values['language']!r} is not a language code (en, de, fr-CH)")
    return Row(file, int(letter) if letter else None, values, where)


def row_for(catalogue: Catalogue, file: str, letter: int) -> Row | None:
    return catalogue.get((file, letter)) or catalogue.get((file, None))


def _entry(value: str, registers: Registers, kind: str) -> Entry | None:
    entry = registers.entries.get(value)
    if entry is not None and entry.kind == kind:
        return entry
    for candidate in registers.of_kind(kind):
        if value in candidate.forms or value == candidate.name:
            return candidate
    return None


def _evidence(value: str, registers: Registers, kind: str, row: Row) -> Evidence:
    entry = _entry(value, registers, kind)
    note = f"given by the catalogue ({row.where})"
    if entry is None:
        return Evidence(value, value, "catalogue", "high", note + "; not in the register")
    return Evidence(entry.id, entry.name, "catalogue", "high", note)


def apply_catalogue(meta: Metadata, row: Row, registers: Registers) -> None:
    """Override inferred metadata with the catalogue's values; a malformed row raises its
    :class:`CatalogueError`."""
    if row.error is not None:
        error = row.error
        message = f"{error.message} ({row.file} is not converted)"
        raise CatalogueError(message, error.path, error.line)
    v = row.values
    for field, kind in (
        ("sender", "person"),
        ("addressee", "person"),
        ("place_sent", "place"),
        ("place_received", "place"),
        ("repository", "org"),
    ):
        if field in v:
            setattr(meta, field, _evidence(v[field], registers, kind, row))
    if "date" in v or "not_before" in v or "not_after" in v:
        meta.date = DateValue(v.get("date"), v.get("not_before"), v.get("not_after"))
        label = meta.date.label() or v.get("date", "")
        meta.date_evidence = Evidence(
            label, label, "catalogue", "high", f"given by the catalogue ({row.where})"
        )
    if "collection" in v:
        meta.collection = v["collection"]
    if "box" in v:
        meta.box = v["box"]
    if "idno" in v:
        typed = [_typed(i.strip()) for i in v["idno"].split(";") if i.strip()]
        meta.identifiers = [value for _, value in typed]
        meta.idno_types = {value: kind for kind, value in typed}
    if "status" in v:
        meta.draft = v["status"] == "draft"
        meta.draft_evidence = f"catalogue: {v['status']}"
    if "language" in v:
        meta.language = v["language"]
        meta.language_evidence = f"the catalogue ({row.where})"
    if "classification" in v:
        meta.classification = [c.strip() for c in v["classification"].split(";") if c.strip()]
    meta.catalogue = f"{row.catalogue}, {row.where}" if row.catalogue else row.where
    meta.missing = [
        name
        for name in ("sender", "addressee", "date", "repository")
        if getattr(meta, name) is None
    ]


def _typed(identifier: str) -> tuple[str, str]:
    """("shelfmark", "Cod. 12") from "shelfmark: Cod. 12"; ("", value) if untyped."""
    match = _TYPED.match(identifier)
    return (match.group(1), match.group(2).strip()) if match else ("", identifier)

"""Catalogue files: what an archive's catalogue says about a letter, over what the text shows.

A catalogue is CSV (a header row, one letter per row) or YAML (a list of mappings), keyed by
the source file name; a ``letter`` column picks one letter of a file holding several.
Its values override inference and are credited to the catalogue: ``@resp`` points to a
``bibl`` naming the catalogue file and row, ``@cert="high"``. An ``idno`` cell holds one or
more identifiers separated by ``;``, each typed as ``TYPE: VALUE`` ("shelfmark: Cod. 12")
or untyped; ``language`` is the letter's language (ISO 639).

Columns: file, letter, sender, addressee, date, not_before, not_after, place_sent,
place_received, repository, collection, box, idno, status, language, classification.
Persons, places and repositories may be given as register ids or as any name form.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teitools.errors import TeitoolsError
from teitools.model import DateValue, Evidence, Metadata
from teitools.registers import Entry, Registers
from teitools.safeyaml import load_yaml

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
_ISO = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}-\d{2})$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")  # ISO 639, a BCP 47 tag
_TYPED = re.compile(r"^([A-Za-z][\w.-]*):\s+(\S.*)$")  # "shelfmark: Cod. 12", not "urn:nbn:..."


class CatalogueError(TeitoolsError):
    """A catalogue file or row is malformed."""


@dataclass(frozen=True)
class Row:
    file: str
    letter: int | None
    values: dict[str, str]
    where: str  # "row 3", for messages
    catalogue: str = ""  # the catalogue's file name


Catalogue = dict[tuple[str, int | None], Row]


def load_catalogue(path: Path) -> Catalogue:
    """Read a CSV or YAML catalogue; errors name the file and the row."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"cannot read catalogue: {error}", path) from None
    if path.suffix.lower() in {".yaml", ".yml"}:
        records = _yaml_records(text, path)
    elif path.suffix.lower() == ".csv":
        records = _csv_records(text, path)
    else:
        raise CatalogueError("a catalogue must be .csv, .yaml or .yml", path)
    catalogue: Catalogue = {}
    for line, record in records:
        row = _row(record, path, line)
        row = Row(row.file, row.letter, row.values, row.where, path.name)
        key = (row.file, row.letter)
        if key in catalogue:
            raise CatalogueError(f"{row.where}: {row.file} is catalogued twice", path, line)
        catalogue[key] = row
    return catalogue


def _csv_records(text: str, path: Path) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    unknown = [c for c in reader.fieldnames or [] if c.strip() not in (*COLUMNS, *REVIEW_COLUMNS)]
    if unknown:
        raise CatalogueError(
            f"row 1: unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})", path, 1
        )
    records = []
    for record in reader:
        if None in record:
            raise CatalogueError(
                f"row {reader.line_num}: more cells than columns", path, reader.line_num
            )
        records.append((reader.line_num, {k.strip(): v for k, v in record.items()}))
    return records


def _yaml_records(text: str, path: Path) -> list[tuple[int, dict[str, Any]]]:
    data = load_yaml(text, str(path), CatalogueError)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise CatalogueError("a YAML catalogue must be a list of mappings", path)
    records = []
    for number, record in enumerate(data, start=1):
        unknown = [str(c) for c in record if str(c) not in (*COLUMNS, *REVIEW_COLUMNS)]
        if unknown:
            raise CatalogueError(
                f"entry {number}: unknown field {unknown[0]!r} (known: {', '.join(COLUMNS)})", path
            )
        records.append((number, {str(k): "" if v is None else str(v) for k, v in record.items()}))
    return records


def _row(record: dict[str, Any], path: Path, line: int) -> Row:
    where = f"row {line}" if path.suffix.lower() == ".csv" else f"entry {line}"
    values = {
        k: str(v).strip()
        for k, v in record.items()
        if v is not None and str(v).strip() and k not in REVIEW_COLUMNS
    }
    file = values.pop("file", "")
    if not file:
        raise CatalogueError(f"{where}: no file name", path, line)
    letter = values.pop("letter", None)
    if letter is not None and not letter.isdigit():
        raise CatalogueError(f"{where}: letter must be a number, not {letter!r}", path, line)
    for column in ("date", "not_before", "not_after"):
        if column in values and not _ISO.match(values[column]):
            raise CatalogueError(
                f"{where}: {column} {values[column]!r} is not an ISO date "
                "(YYYY, YYYY-MM, YYYY-MM-DD)",
                path,
                line,
            )
    if values.get("status", "sent") not in {"sent", "draft", "copy"}:
        raise CatalogueError(f"{where}: status must be sent, draft or copy", path, line)
    if "language" in values and not _LANGUAGE.match(values["language"]):
        raise CatalogueError(
            f"{where}: language {values['language']!r} is not an ISO 639 code (en, de, fr)",
            path,
            line,
        )
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
    """Override inferred metadata with the catalogue's values."""
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

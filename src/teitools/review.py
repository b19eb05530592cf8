"""The review report of a conversion: each letter's facts, with certainty and evidence.

``teitools convert --report FILE`` writes one row per letter in the catalogue's columns
(:data:`teitools.catalogue.COLUMNS`), each inferred fact followed by ``*_cert`` and
``*_evidence`` columns and a ``warnings`` column. An editor corrects the values (and
deletes the rows or cells not confirmed) and passes the file back as ``--catalogue``,
which takes the catalogue's columns and ignores the review columns.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from teitools.catalogue import COLUMNS, REVIEW_COLUMNS
from teitools.model import Evidence, Letter

FACTS = ("sender", "addressee", "date", "place_sent", "place_received", "repository")
HEADER = (*COLUMNS, *REVIEW_COLUMNS)


def row_of(letter: Letter) -> dict[str, str]:
    """The review row of one letter (values as the catalogue reads them)."""
    meta = letter.metadata
    date = meta.date
    evidence: dict[str, Evidence | None] = {
        "sender": meta.sender,
        "addressee": meta.addressee,
        "date": meta.date_evidence,
        "place_sent": meta.place_sent,
        "place_received": meta.place_received,
        "repository": meta.repository,
    }
    row = dict.fromkeys(HEADER, "")
    row["file"] = letter.source.name
    row["letter"] = str(letter.source.index) if letter.source.count > 1 else ""
    for fact in FACTS:
        found = evidence[fact]
        if found is None:
            row[f"{fact}_evidence"] = meta.absence.get(
                "place" if fact == "place_sent" else fact, ""
            )
            continue
        row[fact] = found.value
        row[f"{fact}_cert"] = found.cert
        row[f"{fact}_evidence"] = f"{found.source}: {found.note}"
    row["date"] = (date.when or "") if date else ""
    row["not_before"] = (date.not_before or "") if date else ""
    row["not_after"] = (date.not_after or "") if date else ""
    row["collection"] = meta.collection or ""
    row["box"] = meta.box or ""
    row["idno"] = "; ".join(
        f"{meta.idno_type(i)}: {i}" if meta.idno_type(i) else i for i in meta.identifiers
    )
    row["status"] = "draft" if meta.draft else "sent"
    row["language"] = meta.language or ""
    row["language_evidence"] = meta.language_evidence
    row["classification"] = "; ".join(meta.classification)
    row["warnings"] = "; ".join(meta.warnings)
    return row


def write_report(rows: list[dict[str, str]], path: Path) -> bytes:
    """The report as CSV (``.csv``) or JSON (any other suffix, ``.json`` usually)."""
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

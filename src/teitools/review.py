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
from collections.abc import Iterable, Iterator
from pathlib import Path

from teitools.catalogue import COLUMNS, REVIEW_COLUMNS
from teitools.jsonout import streamed
from teitools.model import Evidence, Letter
from teitools.scratch import key, scratch

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


class Review:
    """The rows of a conversion's review report and its notices (per letter: facts not
    found, repairs), kept in a scratch database (:mod:`teitools.scratch`) as the letters
    come, with the counts of what is missing in memory: a conversion of a million letters
    holds no row per letter in memory. Also the names of the TEI files given so far."""

    FACTS = (
        ("sender", ("sender",), "a sender"),
        ("addressee", ("addressee",), "an addressee"),
        ("date", ("date", "not_before", "not_after"), "a date"),
        ("place_sent", ("place_sent",), "a place of sending"),
    )

    def __init__(self) -> None:
        self.db = scratch()
        self.db.executescript(
            """
            CREATE TABLE rows (seq INTEGER PRIMARY KEY, row TEXT NOT NULL);
            CREATE TABLE notices (seq INTEGER PRIMARY KEY, notice TEXT NOT NULL);
            CREATE TABLE given (name BLOB PRIMARY KEY, source TEXT NOT NULL) WITHOUT ROWID;
            """
        )
        self.letters = self.repaired = 0
        self.without = dict.fromkeys((fact for fact, _, _ in self.FACTS), 0)

    def add(self, rows: Iterable[dict[str, str]], notices: Iterable[str]) -> None:
        """One file's letters' rows and notices."""
        for row in rows:
            self.db.execute("INSERT INTO rows (row) VALUES (?)", (json.dumps(row),))
            self.letters += 1
            for fact, columns, _ in self.FACTS:
                self.without[fact] += not any(row[column] for column in columns)
            self.repaired += "repaired:" in row["warnings"]
        self.db.executemany("INSERT INTO notices (notice) VALUES (?)", ((n,) for n in notices))

    def rows(self) -> Iterator[dict[str, str]]:
        """The rows, in the order of the letters."""
        for (row,) in self.db.execute("SELECT row FROM rows ORDER BY seq"):
            yield json.loads(row)

    def notices(self) -> Iterator[str]:
        for (notice,) in self.db.execute("SELECT notice FROM notices ORDER BY seq"):
            yield notice

    def given(self, name: str, source: Path) -> Path | None:
        """Note that ``source`` gives the TEI file ``name``; the file that gave it first,
        if another did."""
        found = self.db.execute("SELECT source FROM given WHERE name = ?", (key(name),))
        row = found.fetchone()
        if row is not None:
            return Path(row[0])
        self.db.execute("INSERT INTO given VALUES (?, ?)", (key(name), str(source)))
        return None

    def missing(self) -> str:
        """ "312 letters without a sender, 20 without a date, 3 repaired" (or "")."""
        counts = [(self.without[fact], what) for fact, _, what in self.FACTS]
        counts = [(n, what) for n, what in counts if n]
        parts = [
            f"{n} letter{'s' if n > 1 else ''} without {what}" if k == 0 else f"{n} without {what}"
            for k, (n, what) in enumerate(counts)
        ]
        if self.repaired:
            parts.append(f"{self.repaired} repaired")
        return ", ".join(parts)

    def close(self) -> None:
        self.db.close()


def write_report(rows: Iterable[dict[str, str]], path: Path) -> Iterator[bytes]:
    """The report as CSV (``.csv``) or JSON (any other suffix, ``.json`` usually), piece by
    piece as the rows come."""
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue().encode("utf-8")
        return
    holder: list[object] = []
    for piece in streamed(holder, holder, rows, indent=1):
        yield piece.encode("utf-8")

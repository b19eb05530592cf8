"""The files of a rendering: each document's file name and the rows of the index page, kept
in the edition's SQLite file (:class:`~teitools.render.edition.Edition`) rather than in
memory, so that rendering a million letters holds no record per letter (its inputs, as
the walk finds them, are a :class:`teitools.inputs.FileTable` there)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from teitools.safehtml import file_url


class Outputs:
    """The file names of the documents of one rendering (``suffix``: ``.html``), none of
    them one of ``reserved`` (the rendering's own pages: ``index.html``); documents are
    numbered from 1 in the order :meth:`name` is given them."""

    def __init__(self, db: sqlite3.Connection, suffix: str, reserved: Sequence[str]) -> None:
        self.db, self.suffix = db, suffix
        db.executescript(
            """
            CREATE TABLE outputs (seq INTEGER PRIMARY KEY, stem TEXT NOT NULL,
                letter INTEGER NOT NULL, name TEXT, title TEXT);
            CREATE INDEX outputs_by_stem ON outputs (stem, letter, seq);
            -- every file name given or wanted, compared regardless of case
            CREATE TABLE taken (name TEXT PRIMARY KEY) WITHOUT ROWID;
            """
        )
        db.executemany(
            "INSERT OR IGNORE INTO taken (name) VALUES (?)", ((n.casefold(),) for n in reserved)
        )

    def name(self, documents: Iterable[tuple[Path, bool]]) -> None:
        """Name each document (path, whether it is a letter: the others link to letters
        only): ``NAME.html``, unless a page of the rendering or an earlier document has that
        name (letters of the same name from two folders; names compared regardless of case):
        then ``NAME-2.html``, ..."""
        for path, letter in documents:
            natural = f"{path.stem}{self.suffix}"
            free = self._take(natural)
            self.db.execute(
                "INSERT INTO outputs (stem, letter, name) VALUES (?, ?, ?)",
                (path.stem, letter, natural if free else None),
            )
        after = 0
        while True:
            row = self.db.execute(
                "SELECT seq, stem FROM outputs WHERE seq > ? AND name IS NULL ORDER BY seq LIMIT 1",
                (after,),
            ).fetchone()
            if row is None:
                return
            after, stem = row
            number = 2
            while not self._take(candidate := f"{stem}-{number}{self.suffix}"):
                number += 1
            self.db.execute("UPDATE outputs SET name = ? WHERE seq = ?", (candidate, after))

    def _take(self, name: str) -> bool:
        """Take ``name`` if it is free."""
        query = "INSERT OR IGNORE INTO taken (name) VALUES (?)"
        return bool(self.db.execute(query, (name.casefold(),)).rowcount)

    def __getitem__(self, seq: int) -> str:
        """The file name of document ``seq``."""
        row = self.db.execute("SELECT name FROM outputs WHERE seq = ?", (seq,)).fetchone()
        return str(row[0])

    def address(self, stem: str) -> str:
        """The address of a letter's rendition by stem, as the others link to it (of two
        letters of one stem, the first)."""
        row = self.db.execute(
            "SELECT name FROM outputs WHERE stem = ? AND letter ORDER BY seq LIMIT 1", (stem,)
        ).fetchone()
        return file_url(row[0])

    def written(self, seq: int, title: str) -> None:
        """Document ``seq`` was written: the index lists it with ``title``."""
        self.db.execute("UPDATE outputs SET title = ? WHERE seq = ?", (title, seq))

    def index(self) -> Iterator[dict[str, str]]:
        """The index's rows (href, title), each document written, in order."""
        query = "SELECT name, title FROM outputs WHERE title IS NOT NULL ORDER BY seq"
        for name, title in self.db.execute(query):
            yield {"href": file_url(name), "title": title}

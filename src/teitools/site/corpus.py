"""What the site knows of a corpus: one record per TEI letter, the register, and the links
between them (the same two correspondents, replies, who names whom).

Everything here is read from the TEI alone, through :mod:`teitools.render.edition`: each
letter's header (title, ``correspDesc``) and the pointers of its names, in whatever scheme
the edition uses, resolved to the entries of its register files and of the lists inside the
letters, so the site works for any folder of TEI letters, not only teitools' output.

The records and their links are kept in a scratch database (SQLite's own temporary file,
removed as soon as it is made), not in memory: the site's client holds a letter's record
while it uses it, so its memory does not grow with the corpus. The register's entries (a
few per correspondent, not per letter) are held, without their letters.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from heapq import merge
from pathlib import Path
from typing import Any

from teitools.dates import DateValue
from teitools.errors import TeitoolsError
from teitools.render.edition import (
    Edition,
    Links,
    Pointer,
    Source,
    SourceError,
    read_register_files,
)
from teitools.render.entities import KIND_PAGES, EntryFacts
from teitools.safehtml import file_url
from teitools.scratch import scratch

UNDATED_KEY = "9999"  # sorts letters with no date at all after every dated one
REGISTER_KINDS = {kind: (kind, page, heading) for kind, (page, heading) in KIND_PAGES.items()}


class SiteError(TeitoolsError):
    """A letter or the register cannot be read for the site."""


@dataclass(frozen=True)
class Party:
    """A correspondent or place in ``correspDesc``: its register id (if any) and its name."""

    id: str
    name: str

    @property
    def key(self) -> str:
        """A token naming the party in filters: its register id, or its name without spaces."""
        return self.id or "_".join(self.name.split())


@dataclass
class Letter:
    stem: str  # file name without .xml: the page is letters/{stem}.html
    title: str
    digest: str  # SHA-256 of the TEI file: what incremental builds compare
    senders: tuple[Party, ...]
    addressees: tuple[Party, ...]
    places: tuple[Party, ...]  # place of writing, else place of receipt
    date: DateValue
    draft: bool
    reply_refs: tuple[tuple[str, str], ...]  # correspContext replyTo: (text, @n or @target)
    mentions: frozenset[str]  # register ids named in the letter's text
    holders: tuple[str, ...] = ()  # register ids of the repositories that hold it
    problems: tuple[str, ...] = ()  # what the site could not use (a date that is no date)
    active: tuple[str, ...] = ()  # markup a browser would run (XHTML, SVG, ...): not offered
    links: Links = field(default_factory=Links)  # what its page links to

    @property
    def sort_key(self) -> str:
        """Dated letters by date, undated by the start of their range; none at the end."""
        return self.date.when or self.date.not_before or self.date.not_after or UNDATED_KEY

    @property
    def exact_date(self) -> str | None:
        """The date, if the letter has one: ``@when``, or a range whose ends are one day."""
        same = self.date.not_before and self.date.not_before == self.date.not_after
        return self.date.when or (self.date.not_before if same else None)

    @property
    def date_label(self) -> str:
        """For people: "17 November 1981", "between ... and ...", "undated"."""
        exact = self.exact_date
        return (DateValue(exact) if exact else self.date).label() or "undated"

    @property
    def status(self) -> str:
        return "draft" if self.draft else "sent"

    @property
    def pair(self) -> frozenset[str]:
        """The two correspondents, in either direction."""
        return frozenset(p.key for p in self.senders + self.addressees)


ROLES = ("sent", "received", "located", "held", "mentioned")


@dataclass(frozen=True)
class Linked:
    """A letter another's page links to: its page's name and its title."""

    stem: str
    title: str


@dataclass
class Entry:
    """A register entry; the letters that send, receive or mention it are looked up in its
    corpus, in date order, when asked for."""

    id: str
    kind: str  # person, place, org, work, event, name
    name: str
    details: tuple[str, ...]  # life dates, offices, type
    identifiers: tuple[tuple[str, str], ...]  # (authority, URL)
    corpus: Corpus | None = field(default=None, repr=False, compare=False)

    def _role(self, role: str) -> list[Letter]:
        return self.corpus.named_by(self.id, role) if self.corpus else []

    @property
    def sent(self) -> list[Letter]:
        return self._role("sent")

    @property
    def received(self) -> list[Letter]:
        return self._role("received")

    @property
    def located(self) -> list[Letter]:
        """Written or received at this place."""
        return self._role("located")

    @property
    def held(self) -> list[Letter]:
        """Held by this repository."""
        return self._role("held")

    @property
    def mentioned(self) -> list[Letter]:
        return self._role("mentioned")

    @property
    def letters(self) -> Letters:
        """Every letter that names the entry, once each, in date order."""
        return Letters(self.corpus, self.id) if self.corpus else Letters(None)


class Letters:
    """Letters of a corpus in date order, read one at a time: all of them, or those that
    name one register entry; ``len`` counts them without reading them."""

    def __init__(self, corpus: Corpus | None, entry: str | None = None) -> None:
        self.corpus, self.entry = corpus, entry

    def _rows(self, columns: str) -> sqlite3.Cursor | list[Any]:
        if self.corpus is None:
            return []
        if self.entry is None:
            return self.corpus.db.execute(f"SELECT {columns} FROM letters ORDER BY seq")
        return self.corpus.db.execute(
            f"SELECT {columns} FROM letters WHERE seq IN"
            " (SELECT seq FROM roles WHERE entry = ?) ORDER BY seq",
            (self.entry,),
        )

    def __iter__(self) -> Iterator[Letter]:
        for (record,) in self._rows("record"):
            yield _from_record(record)

    def __len__(self) -> int:
        return int(next(iter(self._rows("count(*)")), (0,))[0])

    def paths(self) -> Iterator[Path]:
        """The letters' TEI files, in date order."""
        for (path,) in self._rows("path"):
            yield Path(path)

    def with_paths(self) -> Iterator[tuple[Path, Letter]]:
        """The letters with their TEI files, in date order."""
        for path, record in self._rows("path, record"):
            yield Path(path), _from_record(record)


class Corpus:
    """The letters (in date order), the register's entries (by id, in register order), the
    register files, and the links between letters, in a scratch database."""

    def __init__(self, registers: list[Path]) -> None:
        self.registers = registers
        self.entries: dict[str, Entry] = {}
        self.series = ""  # the series title most of the letters name
        self.cmif = True  # the site has CMIF files (the edition gives what their header needs)
        self.db = scratch()
        self.db.executescript(
            """
            -- the letters as read, then in date order (pair: the two correspondents'
            -- keys; replies: how many letters it replies to; record: the Letter as JSON)
            -- (parts: the path's parts apart by NUL, which orders them as Path orders paths)
            -- (problems, active: the record's, as JSON lists)
            CREATE TABLE read (sort_key TEXT NOT NULL, stem TEXT NOT NULL, pair TEXT NOT NULL,
                path TEXT NOT NULL, parts TEXT NOT NULL, name TEXT NOT NULL,
                replies INTEGER NOT NULL, title TEXT NOT NULL, problems TEXT NOT NULL,
                active TEXT NOT NULL, record TEXT NOT NULL);
            CREATE TABLE letters (seq INTEGER PRIMARY KEY, stem TEXT NOT NULL,
                sort_key TEXT NOT NULL, pair TEXT NOT NULL, path TEXT NOT NULL,
                parts TEXT NOT NULL, name TEXT NOT NULL, replies INTEGER NOT NULL,
                title TEXT NOT NULL, problems TEXT NOT NULL, active TEXT NOT NULL,
                record TEXT NOT NULL, previous INTEGER, next INTEGER);
            CREATE INDEX letters_by_stem ON letters (stem, seq);
            CREATE INDEX letters_by_pair ON letters (pair, seq);
            CREATE INDEX letters_by_name ON letters (name, seq);
            CREATE INDEX letters_by_path ON letters (parts, seq);
            -- each letter that names an entry, once for each time it names it in a role
            CREATE TABLE roles (entry TEXT NOT NULL, role TEXT NOT NULL, seq INTEGER NOT NULL);
            CREATE INDEX roles_by_entry ON roles (entry, role, seq);
            -- the letters a letter replies to (found: a letter of the edition) in its order
            CREATE TABLE replies (seq INTEGER NOT NULL, n INTEGER NOT NULL, text TEXT NOT NULL,
                found INTEGER, PRIMARY KEY (seq, n)) WITHOUT ROWID;
            CREATE INDEX replies_by_found ON replies (found, seq, n);
            """
        )

    def close(self) -> None:
        self.db.close()

    @property
    def letters(self) -> Letters:
        """Every letter, in date order."""
        return Letters(self)

    def _linked(self, where: str, *values: object) -> Linked | None:
        query = f"SELECT stem, title FROM letters WHERE {where}"
        row = self.db.execute(query, values).fetchone()
        return None if row is None else Linked(*row)

    def previous(self, stem: str) -> Linked | None:
        """The letter before it between the same two correspondents."""
        query = "seq = (SELECT previous FROM letters WHERE stem = ? ORDER BY seq DESC LIMIT 1)"
        return self._linked(query, stem)

    def next(self, stem: str) -> Linked | None:
        """The letter after it between the same two correspondents."""
        query = "seq = (SELECT next FROM letters WHERE stem = ? ORDER BY seq DESC LIMIT 1)"
        return self._linked(query, stem)

    def replies_to(self, stem: str) -> list[Linked | str]:
        """The letters it replies to: a letter of the edition, or the text naming it."""
        rows = self.db.execute(
            "SELECT r.text, l.stem, l.title FROM replies r LEFT JOIN letters l ON l.seq = r.found"
            " WHERE r.seq = (SELECT seq FROM letters WHERE stem = ? ORDER BY seq DESC LIMIT 1)"
            " ORDER BY r.n",
            (stem,),
        )
        return [text if found is None else Linked(found, title) for text, found, title in rows]

    def answered_by(self, stem: str) -> list[Linked]:
        """The letters that reply to it, in date order."""
        rows = self.db.execute(
            "SELECT l.stem, l.title FROM replies r JOIN letters l ON l.seq = r.seq"
            " WHERE r.found = (SELECT seq FROM letters WHERE stem = ? ORDER BY seq DESC LIMIT 1)"
            " ORDER BY r.seq, r.n",
            (stem,),
        )
        return [Linked(*row) for row in rows]

    def problems(self) -> Iterator[tuple[Path, tuple[str, ...]]]:
        """The letters with what the site could not use of them, in date order."""
        query = "SELECT path, problems FROM letters WHERE problems != '[]' ORDER BY seq"
        for path, problems in self.db.execute(query):
            yield Path(path), tuple(json.loads(problems))

    def active(self) -> Iterator[tuple[Path, tuple[str, ...]]]:
        """The letters with the markup in them a browser would run, in date order."""
        for path, active in self.db.execute("SELECT path, active FROM letters ORDER BY seq"):
            yield Path(path), tuple(json.loads(active))

    def named_by(self, entry: str, role: str) -> list[Letter]:
        """The letters that name ``entry`` in ``role`` (:data:`ROLES`), in date order (a
        letter that names it twice in that role, twice)."""
        rows = self.db.execute(
            "SELECT l.record FROM roles r JOIN letters l USING (seq)"
            " WHERE r.entry = ? AND r.role = ? ORDER BY r.rowid",
            (entry, role),
        )
        return [_from_record(record) for (record,) in rows]

    def by_path(self) -> Iterator[tuple[Path, Letter]]:
        """The letters with their TEI files, in the order of their paths."""
        for path, record in self.db.execute("SELECT path, record FROM letters ORDER BY parts, seq"):
            yield Path(path), _from_record(record)

    def tei_files(self) -> Iterator[Path]:
        """The letters' TEI files and the register files, by file name (letters first, of
        one name)."""
        rows = self.db.execute("SELECT path FROM letters ORDER BY name, seq")
        letters = (Path(path) for (path,) in rows)
        registers = sorted(self.registers, key=lambda p: p.name)
        return merge(letters, registers, key=lambda p: p.name)

    @cached_property
    def kinds(self) -> list[tuple[str, str, list[Entry]]]:
        """(page name, heading, entries) for every kind of entry the register has."""
        found = []
        for kind, page, heading in REGISTER_KINDS.values():
            entries = [e for e in self.entries.values() if e.kind == kind]
            entries.sort(key=lambda e: (e.name.casefold(), e.id))
            if entries:
                found.append((page, heading, entries))
        return found


def _party(edition: Edition, pointer: Pointer) -> Party:
    return Party(edition.entry(pointer), pointer.name)


def _letter(edition: Edition, source: Source) -> Letter:
    return Letter(
        stem=source.stem,
        title=edition.title(source.stem) or "",
        digest=source.digest,
        senders=tuple(_party(edition, p) for p in source.senders),
        addressees=tuple(_party(edition, p) for p in source.addressees),
        places=tuple(_party(edition, p) for p in source.places),
        date=source.date,
        draft=source.draft,
        reply_refs=source.reply_refs,
        mentions=frozenset(edition.entry(p) for p in source.mentions) - {""},
        holders=tuple(i for i in (edition.entry(p) for p in source.holders) if i),
        links=edition.links(source, lambda stem: f"{file_url(stem)}.html"),
        problems=source.problems,
        active=source.active,
    )


def _entry(facts: EntryFacts, corpus: Corpus) -> Entry:
    return Entry(facts.id, facts.kind, facts.name, facts.details, facts.identifiers, corpus)


def _parties(parties: tuple[Party, ...]) -> list[list[str]]:
    return [[p.id, p.name] for p in parties]


def _to_record(letter: Letter) -> str:
    """A letter as one JSON text (data, never code), for :func:`_from_record`."""
    date, links = letter.date, letter.links
    fields = [
        letter.stem,
        letter.title,
        letter.digest,
        _parties(letter.senders),
        _parties(letter.addressees),
        _parties(letter.places),
        [date.when, date.not_before, date.not_after],
        letter.draft,
        letter.reply_refs,
        sorted(letter.mentions),
        letter.holders,
        letter.problems,
        letter.active,
        [links.entries, links.letters, links.authorities],
    ]
    return json.dumps(fields, ensure_ascii=False)


def _from_record(record: str) -> Letter:
    """The letter :func:`_to_record` wrote."""
    fields = json.loads(record)
    stem, title, digest, senders, addressees, places, date, draft, replies = fields[:9]
    mentions, holders, problems, active, (entries, letters, authorities) = fields[9:]

    def parties(found: list[list[str]]) -> tuple[Party, ...]:
        return tuple(Party(ident, name) for ident, name in found)

    return Letter(
        stem=stem,
        title=title,
        digest=digest,
        senders=parties(senders),
        addressees=parties(addressees),
        places=parties(places),
        date=DateValue(*date),
        draft=draft,
        reply_refs=tuple((text, when) for text, when in replies),
        mentions=frozenset(mentions),
        holders=tuple(holders),
        problems=tuple(problems),
        active=tuple(active),
        links=Links(
            entries,
            {target: (href, name) for target, (href, name) in letters.items()},
            {key: tuple(urls) for key, urls in authorities.items()},
        ),
    )


def read_corpus(
    paths: Iterable[Path],
    registers: Sequence[Path] | Path | None = (),
    folder: Path | None = None,
) -> tuple[Corpus, list[SiteError]]:
    """Records for the letters at ``paths`` and the register (the files ``registers`` names
    and the lists inside the letters), linked to one another, and the files that could not
    be read (the others are still in the corpus). The letters' facts are gathered on disk
    in ``folder`` (the site's; by default the system's temporary folder), then removed."""
    files = [registers] if isinstance(registers, Path) else list(registers or ())
    unread: list[SourceError] = []  # the letters still make a site, without their entries
    with Edition(folder) as edition:
        unreadable = edition.read(paths, read_register_files(files, unread))
        errors = [SiteError(e.message, e.path) for e in [*unreadable, *unread]]
        failed = {error.path for error in unread}
        corpus = Corpus([path for path in files if str(path) not in failed])
        series: dict[str, int] = defaultdict(int)  # letters naming each series title
        rows: list[tuple[object, ...]] = []
        for source in edition.sources():
            letter = _letter(edition, source)
            pair = json.dumps(sorted(letter.pair))
            path = str(source.path)
            replies = len(letter.reply_refs)
            parts = "\0".join(source.path.parts)
            rows.append((letter.sort_key, letter.stem, pair, path, parts, source.path.name))
            rows[-1] += (replies, letter.title, json.dumps(letter.problems))
            rows[-1] += (json.dumps(letter.active), _to_record(letter))
            for title in dict.fromkeys(source.series):
                series[title] += 1
            if len(rows) == BATCH:
                corpus.db.executemany(f"INSERT INTO read VALUES ({_READ})", rows)
                rows = []
        corpus.db.executemany(f"INSERT INTO read VALUES ({_READ})", rows)
        corpus.series = min(series, key=lambda t: (-series[t], t)) if series else ""
        for facts in edition.register.entries():
            corpus.entries[facts.id] = _entry(facts, corpus)
    _order(corpus)
    _link_register(corpus)
    _link_correspondence(corpus)
    return corpus, errors


BATCH = 500  # letters' records written to the database at a time
_READ = ", ".join("?" * 11)  # the columns of a letter as read


def _order(corpus: Corpus) -> None:
    """The letters in date order (undated by the start of their range, dateless last; of
    one date, by file name; of one name, as read), numbered in that order."""
    corpus.db.executescript(
        """
        INSERT INTO letters (stem, sort_key, pair, path, parts, name, replies, title,
                problems, active, record)
            SELECT stem, sort_key, pair, path, parts, name, replies, title, problems, active,
                record FROM read
            ORDER BY sort_key, stem, rowid;
        DROP TABLE read;
        """
    )


def _link_register(corpus: Corpus) -> None:
    """Which letters name which entries, in which role (:data:`ROLES`)."""
    if not corpus.entries:
        return
    rows = []
    for seq, record in _rows(corpus, "SELECT seq, record FROM letters ORDER BY seq"):
        letter = _from_record(record)
        named = (
            [("sent", p.id) for p in letter.senders]
            + [("received", p.id) for p in letter.addressees]
            + [("located", p.id) for p in letter.places]
            + [("held", ident) for ident in letter.holders]
            + [("mentioned", ident) for ident in sorted(letter.mentions)]
        )
        rows += [(ident, role, seq) for role, ident in named if ident in corpus.entries]
        if len(rows) >= BATCH:
            corpus.db.executemany("INSERT INTO roles (entry, role, seq) VALUES (?, ?, ?)", rows)
            rows = []
    corpus.db.executemany("INSERT INTO roles (entry, role, seq) VALUES (?, ?, ?)", rows)


def _rows(corpus: Corpus, query: str) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query`` on a cursor of their own (the corpus may be written to
    meanwhile)."""
    yield from corpus.db.cursor().execute(query)


def _link_correspondence(corpus: Corpus) -> None:
    """Previous and next between the same two correspondents; replies and their answers."""
    corpus.db.execute(
        "UPDATE letters SET previous = t.previous, next = t.next FROM (SELECT seq,"
        " lag(seq) OVER thread AS previous, lead(seq) OVER thread AS next FROM letters"
        " WINDOW thread AS (PARTITION BY pair ORDER BY seq)) AS t WHERE letters.seq = t.seq"
    )
    replies = []
    query = "SELECT seq, pair, record FROM letters WHERE replies > 0 ORDER BY seq"
    for seq, pair, record in _rows(corpus, query):
        letter = _from_record(record)
        for n, (text, when) in enumerate(letter.reply_refs):
            found = _replied_letter(corpus, letter, when, pair)
            replies.append((seq, n, text, found))
    corpus.db.executemany("INSERT INTO replies VALUES (?, ?, ?, ?)", replies)


def _replied_letter(corpus: Corpus, reply: Letter, when: str, pair: str) -> int | None:
    """The letter a reply answers: from its addressee, before it, of the date it gives.

    ``when`` is the ``@n`` of the ``correspContext/ref`` (an ISO date, possibly without the
    year: ``--10-15``) or its ``@target`` (``NAME.xml``).
    """
    if when.endswith(".xml"):
        found = corpus.db.execute(
            "SELECT seq FROM letters WHERE pair = ? AND stem || '.xml' = ? ORDER BY seq LIMIT 1",
            (pair, when.split("/")[-1]),
        ).fetchone()
        return None if found is None else int(found[0])
    match = re.fullmatch(r"(\d{4})?-?-?(\d{2})-(\d{2})", when)
    if match is None:
        return None
    year, month, day = match.groups()
    senders = {p.key for p in reply.senders}
    query = "SELECT seq, record FROM letters WHERE pair = ? ORDER BY seq DESC"
    for seq, record in corpus.db.cursor().execute(query, (pair,)):
        letter = _from_record(record)
        dated = letter.exact_date or ""
        if (
            letter.sort_key < reply.sort_key
            and not senders & {p.key for p in letter.senders}
            and dated[5:10] == f"{month}-{day}"
            and (year is None or dated[:4] == year)
        ):
            return int(seq)
    return None

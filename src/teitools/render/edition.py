"""An edition as the renditions see it: what each letter says of itself (title, the names
in its ``correspDesc``, the names it points to, the letters it refers to) and the register
those names lead to.

:func:`read_source` reads one TEI letter; :class:`Edition` puts the letters and the register
files together: it resolves every pointer to an entry (making entries for pointers no
register answers), chooses each letter's title and gives each letter the :class:`Links` its
rendition needs. ``teitools render``, ``site`` and ``cmif`` start here. It keeps all that in
a SQLite file, not in memory, so that a command's memory does not grow with the edition.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from teitools import safexml
from teitools.dates import DateValue
from teitools.errors import OutputError, TeitoolsError, one_line
from teitools.execution import Executor, LocalExecutor, lost
from teitools.namespaces import NS, XML_ID
from teitools.render.entities import (
    NAMING,
    EntryFacts,
    Register,
    entry_fields,
    entry_from_fields,
    is_register_list,
    naming_kind,
    read_entries,
)
from teitools.render.header import correspondence, own_title, series_titles, text_of
from teitools.render.pointers import Prefix, pointer_keys, prefixes
from teitools.safehtml import active_content
from teitools.scratch import CACHE_KIB

REPLY_TO = "http://www.tei-c.org/cmif/ns#replyTo"
_DRAFT = ".//t:adminInfo//t:item[@n='status'][starts-with(normalize-space(), 'Draft')]"


class SourceError(TeitoolsError):
    """A letter or register file cannot be read."""


@dataclass(frozen=True)
class Pointer:
    """A name that points to a register entry: its keys, the kind of entry, its text."""

    keys: tuple[str, ...]
    kind: str
    name: str


@dataclass(frozen=True)
class Links:
    """What a letter's rendition links to: ``entries`` maps the keys of the letter's
    pointers to entry ids, ``authorities`` to the authority URIs of those entries;
    ``letters`` maps the targets of its ``ref``s and ``ptr``s that name letters of the
    edition to (address, title)."""

    entries: dict[str, str] = field(default_factory=dict)
    letters: dict[str, tuple[str, str]] = field(default_factory=dict)
    authorities: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Source:
    """What one TEI letter says, before its pointers are resolved."""

    path: Path
    digest: str
    names: tuple[str, ...]  # how other letters may point to it: xml:id, stem, file name
    title: str  # its own title ("" if its header has none)
    made_title: str  # "Sender to Addressee, date", from its correspDesc
    series: tuple[str, ...]
    senders: tuple[Pointer, ...]
    addressees: tuple[Pointer, ...]
    places: tuple[Pointer, ...]
    holders: tuple[Pointer, ...]
    mentions: tuple[Pointer, ...]
    date: DateValue
    draft: bool
    reply_refs: tuple[tuple[str, str], ...]  # correspContext replyTo: (text, @n or @target)
    targets: tuple[str, ...]  # @target of every ref and ptr in the text
    entries: list[EntryFacts]  # register lists inside the letter
    problems: tuple[str, ...] = ()  # what a rendition could not use (a date that is no date)
    active: tuple[str, ...] = ()  # markup a browser would run (XHTML, SVG, ...)

    @property
    def stem(self) -> str:
        return self.path.stem


def _pointer(element: etree._Element, known: Mapping[str, list[Prefix]]) -> Pointer:
    return Pointer(tuple(pointer_keys(element, known)), naming_kind(element), text_of(element))


def text_elements(root: etree._Element) -> Iterator[etree._Element]:
    """Every element of the letter's ``text`` that the reader is shown: register lists
    inside it (their entries go to the register) are skipped."""
    stack = list(reversed(root.findall("t:text", NS)))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or is_register_list(element):
            continue
        yield element
        stack.extend(reversed(element))


def read_source(path: Path) -> Source:
    """One TEI letter, as the renditions need it."""
    try:
        data = path.read_bytes()
        root = etree.fromstring(data, safexml.parser())
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}", path) from None
    except etree.XMLSyntaxError as error:
        raise SourceError(f"not well-formed: {error}", path) from None
    header = root.find("t:teiHeader", NS)
    if header is None:
        raise SourceError("not a TEI document (no teiHeader)", path)
    known = prefixes(root, str(path))
    corresp = correspondence(header)
    replies = tuple(
        (text_of(ref), ref.get("target") or ref.get("n") or "")
        for ref in header.iterfind("t:profileDesc/t:correspDesc/t:correspContext/t:ref", NS)
        if ref.get("type") == REPLY_TO
    )
    mentions: list[Pointer] = []
    targets: list[str] = []
    for element in text_elements(root):
        name = etree.QName(element).localname
        if name in NAMING and pointer_keys(element, known):
            mentions.append(_pointer(element, known))
        elif name in ("ref", "ptr"):
            targets.extend((element.get("target") or "").split())
    holders = header.iterfind(".//t:msIdentifier/t:repository", NS)
    return Source(
        path=path,
        digest=hashlib.sha256(data).hexdigest(),
        names=tuple(dict.fromkeys(n for n in (root.get(XML_ID), path.stem, path.name) if n)),
        title=own_title(header),
        made_title=corresp.title() if corresp.senders or corresp.addressees else "",
        series=tuple(series_titles(header)),
        senders=tuple(_pointer(e, known) for e in corresp.senders),
        addressees=tuple(_pointer(e, known) for e in corresp.addressees),
        places=tuple(_pointer(e, known) for e in corresp.places),
        holders=tuple(_pointer(e, known) for e in holders if pointer_keys(e, known)),
        mentions=tuple(mentions),
        date=corresp.date,
        draft=bool(header.xpath(_DRAFT, namespaces=NS)),
        reply_refs=replies,
        targets=tuple(dict.fromkeys(targets)),
        entries=read_entries(root, register_file=False),
        problems=corresp.problems,
        active=tuple(active_content(root)),
    )


def register_files(paths: Iterable[Path]) -> list[Path]:
    """The TEI files among an edition's registers (``paths.registers`` in teitools.toml,
    ``--registers``), which the renditions read as they are; its folders of YAML or CSV
    reach them through the ``register.xml`` that ``convert`` writes from them."""
    return [path for path in paths if path.suffix.lower() == ".xml" and not path.is_dir()]


def read_register_file(path: Path) -> list[EntryFacts]:
    """The entries of a register file (``register.xml``, a ``listPerson`` file ...)."""
    try:
        root = etree.parse(str(path), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise SourceError(f"not a readable register: {error}", path) from None
    return read_entries(root, register_file=True)


def read_register_files(
    files: Iterable[Path], unread: list[SourceError]
) -> Iterator[list[EntryFacts]]:
    """The entries of each register file, one file at a time; one that cannot be read goes
    to ``unread`` (the letters are still rendered, without its entries)."""
    for path in files:
        try:
            yield read_register_file(path)
        except SourceError as error:
            unread.append(error)


def _pointers(source: Source) -> Iterator[Pointer]:
    yield from source.senders + source.addressees + source.places
    yield from source.holders + source.mentions


class Edition:
    """Letters and register, resolved: each pointer's entry, each letter's title.

    The letters' facts and the register are kept in a SQLite file in ``folder`` (the
    command's output folder; by default the system's temporary folder), named as
    :mod:`teitools.fsio` names its temporary files and removed by :meth:`close` (a ``with``
    block): the command holds no record per letter, so its memory is the same for a
    hundred letters or a million. Add the register files (:meth:`add_register`), then
    the letters in order (:meth:`add`), then :meth:`settle`; then ask.
    """

    def __init__(self, folder: Path | None = None) -> None:
        try:
            handle, name = tempfile.mkstemp(prefix=".edition.teitools-", suffix=".tmp", dir=folder)
        except OSError as error:
            where = folder or Path(tempfile.gettempdir())
            raise OutputError(f"cannot write: {error.strerror or error}", where) from None
        os.close(handle)
        self.file = Path(name)
        self.db = sqlite3.connect(name)
        # the scratch databases' small page cache: past it, pages wait in the file cache
        self.db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        # a scratch file, made again by every run: no journal, no waiting for the disk, and
        # no temporary file of SQLite's own elsewhere (every ordering has its index)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA temp_store = MEMORY;
            CREATE TABLE letters (seq INTEGER PRIMARY KEY, path TEXT NOT NULL, stem TEXT NOT NULL,
                title TEXT NOT NULL, made_title TEXT NOT NULL, record TEXT NOT NULL,
                keyed INTEGER NOT NULL); -- whether any of its names points somewhere
            CREATE INDEX letters_by_stem ON letters (stem, seq);
            CREATE INDEX letters_by_title ON letters (title);
            -- how other letters may point to a letter (xml:id, stem, file name)
            CREATE TABLE names (name TEXT NOT NULL, seq INTEGER NOT NULL,
                PRIMARY KEY (name, seq)) WITHOUT ROWID;
            CREATE TABLE series (title TEXT PRIMARY KEY) WITHOUT ROWID;
            -- own titles the letters share with the whole edition: not a letter's title
            CREATE TABLE shared (title TEXT PRIMARY KEY) WITHOUT ROWID;
            """
        )
        self.register = Register(self.db)

    def __enter__(self) -> Edition:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        self.close()
        if isinstance(error, sqlite3.Error):  # the disk is full, say
            raise OutputError(f"cannot write: {error}", self.file) from None

    def close(self) -> None:
        """Remove the edition's file."""
        self.db.close()
        self.file.unlink(missing_ok=True)

    def read(
        self,
        letters: Iterable[Path],
        registers: Iterable[list[EntryFacts]] = (),
        executor: Executor | None = None,
    ) -> list[SourceError]:
        """Add the entries of the register files, then the letters at ``letters`` (read by
        ``executor``), and settle; the errors of the letters that cannot be read."""
        for entries in registers:
            self.add_register(entries)
        errors = []
        for _, outcome in read_sources(letters, executor):
            if isinstance(outcome, Source):
                self.add(outcome)
            else:
                errors.append(outcome)
        self.settle()
        return errors

    def add_register(self, entries: Iterable[EntryFacts]) -> None:
        """The entries of a register file (before any letter: the first to name an id or a
        key keeps it)."""
        self.register.add(entries)

    def add(self, source: Source) -> None:
        """The next letter."""
        keyed = any(pointer.keys for pointer in _pointers(source))
        row = (str(source.path), source.stem, source.title, source.made_title, _record(source))
        seq = self.db.execute(
            "INSERT INTO letters (path, stem, title, made_title, record, keyed)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (*row, keyed),
        ).lastrowid
        self.db.executemany(
            "INSERT OR IGNORE INTO names (name, seq) VALUES (?, ?)",
            ((name, seq) for name in source.names),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO series (title) VALUES (?)", ((t,) for t in source.series)
        )
        self.register.add(source.entries)

    def settle(self) -> None:
        """Resolve every pointer of the letters (:meth:`Register.note`, :meth:`Register.settle
        <teitools.render.entities.Register.settle>`) and find the titles the letters share
        with the whole edition."""
        query = "SELECT record FROM letters WHERE keyed ORDER BY seq"
        for (record,) in self.db.execute(query):
            for pointer in _pointers(_source(record)):
                self.register.note(list(pointer.keys), pointer.kind, pointer.name)
        self.register.settle()
        # a title is the whole edition's if more than one letter has it and it is a series
        # title, or most of the letters (of at least three) have it
        self.db.execute(
            "INSERT INTO shared SELECT title FROM letters WHERE title != '' GROUP BY title"
            " HAVING count(*) > 1 AND (title IN (SELECT title FROM series)"
            " OR (count(*) * 2 > :letters AND :letters >= 3))",
            {"letters": len(self)},
        )
        self.db.commit()

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM letters").fetchone()[0])

    def sources(self) -> Iterator[Source]:
        """The letters, in the order they were added (read one at a time)."""
        for (record,) in self.db.execute("SELECT record FROM letters ORDER BY seq"):
            yield _source(record)

    def paths(self) -> Iterator[Path]:
        """The letters' files, in the order they were added."""
        for (path,) in self.db.execute("SELECT path FROM letters ORDER BY seq"):
            yield Path(path)

    def title(self, stem: str) -> str | None:
        """A letter's title: its own, unless that is the whole edition's (a series title
        some editions put in every letter), then the one its correspDesc makes (of two
        letters of one stem, the last one's); None if no letter has that stem."""
        row = self.db.execute(
            "SELECT title, made_title, EXISTS (SELECT 1 FROM shared s WHERE s.title = l.title)"
            " FROM letters l WHERE stem = ? ORDER BY seq DESC LIMIT 1",
            (stem,),
        ).fetchone()
        if row is None:
            return None
        own, made, shared = row
        return str((own if not shared else "") or made or one_line(stem))

    def entry(self, pointer: Pointer) -> str:
        """The id of the entry a pointer leads to ("" if it has no keys)."""
        return self.register.find(pointer.keys) or ""

    def links(self, source: Source, href: Callable[[str], str]) -> Links:
        """The links of one letter; ``href`` gives the address of a letter's page by stem."""
        entries = {
            key: found
            for pointer in _pointers(source)
            for key in pointer.keys
            if (found := self.register.find([key]))
        }
        letters = {}
        for target in source.targets:
            stem = self.letter(target)
            if stem is not None:
                letters[target] = (href(stem), self.title(stem) or "")
        authorities = {}
        for key, found in entries.items():
            entry = self.register.get(found)
            authorities[key] = tuple(url for _, url in entry.identifiers) if entry else ()
        return Links(entries, letters, authorities)

    def letter(self, target: str) -> str | None:
        """The stem of the letter a ``ref/@target`` names (``K_0122``, ``L00552.xml``,
        ``#L00552``; of two letters of that name, the last)."""
        name = target.rpartition("/")[2].lstrip("#")
        for candidate in (name, name.partition("#")[0]):
            row = self.db.execute(
                "SELECT stem FROM names JOIN letters USING (seq) WHERE name = ?"
                " ORDER BY names.seq DESC LIMIT 1",
                (candidate,),
            ).fetchone()
            if row is not None:
                return str(row[0])
        return None


def _record(source: Source) -> str:
    """A letter's facts as one JSON text (data, never code)."""
    date = source.date
    fields = [
        str(source.path),
        source.digest,
        source.names,
        source.title,
        source.made_title,
        source.series,
        *([[p.keys, p.kind, p.name] for p in pointers] for pointers in _parties(source)),
        [date.when, date.not_before, date.not_after],
        source.draft,
        source.reply_refs,
        source.targets,
        [entry_fields(entry) for entry in source.entries],
        source.problems,
        source.active,
    ]
    return json.dumps(fields, ensure_ascii=False)


def _parties(source: Source) -> tuple[tuple[Pointer, ...], ...]:
    return source.senders, source.addressees, source.places, source.holders, source.mentions


def _source(record: str) -> Source:
    """The letter :func:`_record` wrote."""
    fields = json.loads(record)
    path, digest, names, title, made, series, senders, addressees, places = fields[:9]
    holders, mentions, date, draft, replies, targets, entries, problems, active = fields[9:]

    def pointers(found: list[list[Any]]) -> tuple[Pointer, ...]:
        return tuple(Pointer(tuple(keys), kind, name) for keys, kind, name in found)

    return Source(
        path=Path(path),
        digest=digest,
        names=tuple(names),
        title=title,
        made_title=made,
        series=tuple(series),
        senders=pointers(senders),
        addressees=pointers(addressees),
        places=pointers(places),
        holders=pointers(holders),
        mentions=pointers(mentions),
        date=DateValue(*date),
        draft=draft,
        reply_refs=tuple((text, when) for text, when in replies),
        targets=tuple(targets),
        entries=[entry_from_fields(fields) for fields in entries],
        problems=tuple(problems),
        active=tuple(active),
    )


def read_sources(
    paths: Iterable[Path], executor: Executor | None = None
) -> Iterator[tuple[Path, Source | SourceError]]:
    """Each letter at ``paths``, in order: its facts, or why it cannot be read; read by
    ``executor`` (each letter parsed by a worker; by default in this process)."""
    executor = executor or LocalExecutor(1)
    for path, outcome in executor.map_files(_read, iter(paths), None, failed=_unread):
        yield path, outcome if isinstance(outcome, Source) else SourceError(outcome, path)


def _read(context: None, path: Path) -> Source | str:
    """A letter's facts, or why it cannot be read (a message: it crosses processes)."""
    try:
        return read_source(path)
    except SourceError as error:
        return error.message


def _unread(path: Path, error: BaseException) -> str:
    return lost(error)

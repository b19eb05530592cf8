"""The edition's register: persons, places, organisations, works, events and other names,
wherever the edition keeps them, and the pointers that lead to them.

Entries are read from register files (``register.xml``, ``listperson.xml``, a
``standOff``), from the header (``particDesc/listPerson``) and from lists inside letters
(``back/listPlace``): any ``person``, ``place``, ``org``, ``bibl``, ``event``, ``nym``
(or, in a register file, ``item``) with an ``xml:id`` in a list of its kind. Each entry is
found by its keys (:mod:`teitools.render.pointers`): ``id:`` its ``xml:id``, ``key:`` its
``@n`` or ``@key``, ``uri:`` each authority address among its ``idno``s. A pointer that
finds no entry still names something: :meth:`Register.settle` makes an entry of it, named
as the letters name it, so every name an edition points somewhere gets a page.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from teitools.namespaces import NS, XML_ID
from teitools.render.header import text_of
from teitools.render.pointers import authority, normal_uri, slug

# an entry element → the kind of entry it is
ENTRY_KINDS = {
    "person": "person",
    "personGrp": "person",
    "place": "place",
    "org": "org",
    "bibl": "work",
    "biblStruct": "work",
    "event": "event",
    "nym": "name",
    "object": "name",
    "item": "name",
}
LISTS = {"listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listNym", "listObject"}
# an element that points to an entry → the kind of entry it names
NAMING = {
    "persName": "person",
    "author": "person",
    "editor": "person",
    "placeName": "place",
    "settlement": "place",
    "country": "place",
    "region": "place",
    "district": "place",
    "bloc": "place",
    "geogName": "place",
    "orgName": "org",
    "title": "work",
    "bibl": "work",
    "eventName": "event",
    "objectName": "name",
    "name": "name",
    "rs": "name",
}
TYPED_KINDS = {  # @type of rs or name → kind
    "person": "person",
    "place": "place",
    "org": "org",
    "organisation": "org",
    "organization": "org",
    "work": "work",
    "bibl": "work",
    "event": "event",
}
NAME_TAGS = ("persName", "placeName", "orgName", "name", "title", "label", "eventName", "term")
IDNO_URLS = {  # idno/@type → address of a bare identifier of that authority
    "gnd": "https://d-nb.info/gnd/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "geonames": "https://www.geonames.org/{}",
    "wikidata": "https://www.wikidata.org/entity/{}",
}


@dataclass(frozen=True)
class EntryFacts:
    """What the register says of one entry."""

    id: str
    kind: str  # person, place, org, work, event, name
    name: str
    details: tuple[str, ...]  # life dates, offices, type
    identifiers: tuple[tuple[str, str], ...]  # (authority, URL)
    keys: tuple[str, ...]


def naming_kind(element: etree._Element) -> str:
    """The kind of entry a pointing element names (a ``persName`` a person, an ``rs`` what
    its ``@type`` says)."""
    name = etree.QName(element).localname
    kind = NAMING.get(name, "name")
    if name in ("rs", "name"):
        return TYPED_KINDS.get((element.get("type") or "").lower(), kind)
    return kind


def _name(element: etree._Element) -> str:
    for tag in NAME_TAGS:
        name = element.find(f"t:{tag}", NS)
        if name is not None:
            forename, surname = name.find("t:forename", NS), name.find("t:surname", NS)
            if forename is not None and surname is not None:
                return f"{text_of(forename)} {text_of(surname)}"
            if text_of(name):
                return text_of(name)
    return str(element.get("n") or element.get(XML_ID, ""))


def _year(element: etree._Element | None) -> str:
    if element is None:
        return ""
    for value in (element.get("when"), *element.xpath("t:date/@when", namespaces=NS)):
        if value and re.match(r"-?\d{4}", str(value)):
            return str(value).lstrip("-")[:4]
    found = re.search(r"\b(\d{3,4})\b", text_of(element))
    return found.group(1) if found else ""


def _details(element: etree._Element) -> tuple[str, ...]:
    details = []
    birth, death = element.find("t:birth", NS), element.find("t:death", NS)
    if birth is not None or death is not None:
        details.append(f"{_year(birth)}–{_year(death)}")
    for state in element.iterfind("t:state[@type='office']", NS):
        details.append(f"{text_of(state)} ({state.get('from', '')[:4]}–{state.get('to', '')[:4]})")
    kind = element.get("type") or next(
        (n.get("type", "") for n in element.iterfind("t:name", NS)), ""
    )
    if kind:
        details.append(kind)
    if element.get("from"):
        details.append(f"{element.get('from')} – {element.get('to', '')}")
    return tuple(details)


def _identifiers(element: etree._Element) -> tuple[tuple[str, str], ...]:
    found = []
    for idno in element.iterfind("t:idno", NS):
        value, kind = text_of(idno), (idno.get("type") or "").lower()
        if not value.startswith("http") and kind in IDNO_URLS and re.fullmatch(r"[\w-]+", value):
            value = IDNO_URLS[kind].format(value)
        if re.match(r"https?://\S+$", value):
            found.append((authority(value) or idno.get("type") or "link", value))
    return tuple(dict.fromkeys(found))


def read_entries(root: etree._Element, register_file: bool) -> list[EntryFacts]:
    """The entries a document holds, in document order. In a register file an ``item`` of
    any ``list`` is an entry too (``register.xml`` keeps names so)."""
    containers = LISTS | ({"list"} if register_file else set())
    entries = []
    for element in root.iter(etree.Element):
        ident = element.get(XML_ID)
        name = etree.QName(element).localname
        if not ident or name not in ENTRY_KINDS:
            continue
        parent = element.getparent()
        if parent is None or etree.QName(parent).localname not in containers:
            continue
        identifiers = _identifiers(element)
        keys = [f"id:{ident}"]
        keys += [f"key:{v}" for v in (element.get("n"), element.get("key")) if v]
        keys += [f"uri:{normal_uri(url)}" for _, url in identifiers]
        kind = ENTRY_KINDS[name]
        entries.append(
            EntryFacts(ident, kind, _name(element), _details(element), identifiers, tuple(keys))
        )
    return entries


def is_register_list(element: etree._Element) -> bool:
    """A list of entries inside a letter: the register's, not the letter's text."""
    return etree.QName(element).localname in LISTS


# each kind of entry: the page of the site that lists them, and its heading
KIND_PAGES = {
    "person": ("persons", "Persons"),
    "place": ("places", "Places"),
    "org": ("organisations", "Organisations"),
    "work": ("works", "Works"),
    "event": ("events", "Events"),
    "name": ("names", "Names"),
}


class Register:
    """Entries by id, found by any of their keys; the first source to name an id or a key
    keeps it. Held in the tables of ``db`` (the edition's SQLite file, :class:`Edition
    <teitools.render.edition.Edition>`), not in memory: a register of any size costs the
    command nothing per entry."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(
            """
            CREATE TABLE entries (rank INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL, sort TEXT NOT NULL, record TEXT NOT NULL);
            CREATE INDEX entries_by_kind ON entries (kind, sort, id);
            CREATE TABLE keys (key TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
            -- unresolved key: the kind of its first pointer; the names pointers give it
            CREATE TABLE named (key TEXT PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE named_names (key TEXT NOT NULL, name TEXT NOT NULL,
                n INTEGER NOT NULL, PRIMARY KEY (key, name)) WITHOUT ROWID;
            """
        )

    def add(self, entries: Iterable[EntryFacts]) -> None:
        for entry in entries:
            added = self.db.execute(
                "INSERT OR IGNORE INTO entries (id, kind, sort, record) VALUES (?, ?, ?, ?)",
                (entry.id, entry.kind, entry.name.casefold(), _entry_record(entry)),
            )
            if added.rowcount:
                self.db.executemany(
                    "INSERT OR IGNORE INTO keys (key, id) VALUES (?, ?)",
                    ((key, entry.id) for key in entry.keys),
                )

    def find(self, keys: Iterable[str]) -> str | None:
        """The entry the first key that finds one leads to."""
        for key in keys:
            row = self.db.execute("SELECT id FROM keys WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def get(self, ident: str) -> EntryFacts | None:
        """The entry of id ``ident``."""
        row = self.db.execute("SELECT record FROM entries WHERE id = ?", (ident,)).fetchone()
        return None if row is None else _entry_facts(row[0])

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def entries(self) -> Iterator[EntryFacts]:
        """Every entry, in the order they were added."""
        for (record,) in self.db.execute("SELECT record FROM entries ORDER BY rank"):
            yield _entry_facts(record)

    def note(self, keys: list[str], kind: str, name: str) -> None:
        """A pointer seen in a letter: if no entry has any of its keys, :meth:`settle`
        makes one, named as the letters most often name it."""
        if not keys or self.find(keys) is not None:
            return
        self.db.execute("INSERT OR IGNORE INTO named (key, kind) VALUES (?, ?)", (keys[0], kind))
        if name:
            self.db.execute(
                "INSERT INTO named_names (key, name, n) VALUES (?, ?, 1)"
                " ON CONFLICT (key, name) DO UPDATE SET n = n + 1",
                (keys[0], name),
            )

    def settle(self) -> None:
        """Make an entry of every pointer no entry answers (in key order, so the same
        letters give the same ids)."""
        for key, kind in self.db.execute("SELECT key, kind FROM named ORDER BY key").fetchall():
            if self.find([key]) is not None:
                continue
            base = slug(key)
            ident, number = base, 2
            while self._has(ident):
                ident, number = f"{base}-{number}", number + 1
            most = self.db.execute(
                "SELECT name FROM named_names WHERE key = ? ORDER BY n DESC, name LIMIT 1", (key,)
            ).fetchone()
            name = most[0] if most is not None else key.partition(":")[2]
            value = key.partition(":")[2]
            identifiers = ((authority(value) or "link", value),) if key.startswith("uri:") else ()
            self.add([EntryFacts(ident, kind, name, (), identifiers, (key,))])
        self.db.execute("DELETE FROM named")
        self.db.execute("DELETE FROM named_names")

    def _has(self, ident: str) -> bool:
        found = self.db.execute("SELECT 1 FROM entries WHERE id = ?", (ident,)).fetchone()
        return found is not None

    def kinds(self) -> list[tuple[str, str, Iterator[EntryFacts]]]:
        """(page name, heading, entries sorted by name) for every kind the register has;
        the entries are read as they are iterated."""
        return [
            (page, heading, self._of_kind(kind))
            for kind, (page, heading) in KIND_PAGES.items()
            if self.db.execute("SELECT 1 FROM entries WHERE kind = ?", (kind,)).fetchone()
        ]

    def _of_kind(self, kind: str) -> Iterator[EntryFacts]:
        query = "SELECT record FROM entries WHERE kind = ? ORDER BY sort, id"
        for (record,) in self.db.execute(query, (kind,)):
            yield _entry_facts(record)


def entry_fields(entry: EntryFacts) -> list[Any]:
    """An entry as plain JSON data (:func:`entry_from_fields` reads it back)."""
    return [entry.id, entry.kind, entry.name, entry.details, entry.identifiers, entry.keys]


def entry_from_fields(fields: list[Any]) -> EntryFacts:
    """The entry :func:`entry_fields` wrote."""
    ident, kind, name, details, identifiers, keys = fields
    pairs = tuple((scheme, url) for scheme, url in identifiers)
    return EntryFacts(ident, kind, name, tuple(details), pairs, tuple(keys))


def _entry_record(entry: EntryFacts) -> str:
    return json.dumps(entry_fields(entry), ensure_ascii=False)


def _entry_facts(record: str) -> EntryFacts:
    return entry_from_fields(json.loads(record))

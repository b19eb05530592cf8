"""The edition's register: persons, places, organisations, works, events and other names,
wherever the edition keeps them, and the pointers that lead to them.

Entries are read from register files (``register.xml``, ``listperson.xml``, a
``standOff``), from the header (``particDesc/listPerson``) and from lists inside letters
(``back/listPlace``): any ``person``, ``place``, ``org``, ``bibl``, ``event``, ``nym``
(or, in a register file, ``item``) with an ``xml:id`` in a list of its kind. Each entry is
found by its keys (:mod:`teitools.render.pointers`): ``id:`` its ``xml:id``, ``key:`` its
``@n`` or ``@key``, ``uri:`` each authority address among its ``idno``s. A pointer that
finds no entry still names something: :meth:`Register.ensure` makes an entry of it, named
as the letters name it, so every name an edition points somewhere gets a page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from teitools.render.header import text_of
from teitools.render.pointers import NS, authority, normal_uri, slug

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
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


class Register:
    """Entries by id, found by any of their keys; the first source to name an id or a key
    keeps it."""

    def __init__(self) -> None:
        self.entries: dict[str, EntryFacts] = {}
        self._by_key: dict[str, str] = {}
        self._named: dict[str, tuple[str, Counter[str]]] = {}  # unresolved key → kind, names

    def add(self, entries: Iterable[EntryFacts]) -> None:
        for entry in entries:
            if entry.id in self.entries:
                continue
            self.entries[entry.id] = entry
            for key in entry.keys:
                self._by_key.setdefault(key, entry.id)

    def find(self, keys: Iterable[str]) -> str | None:
        """The entry the first key that finds one leads to."""
        return next((self._by_key[k] for k in keys if k in self._by_key), None)

    def note(self, keys: list[str], kind: str, name: str) -> None:
        """A pointer seen in a letter: if no entry has any of its keys, :meth:`settle`
        makes one, named as the letters most often name it."""
        if not keys or self.find(keys) is not None:
            return
        names = self._named.setdefault(keys[0], (kind, Counter()))[1]
        if name:
            names[name] += 1

    def settle(self) -> None:
        """Make an entry of every pointer no entry answers (in key order, so the same
        letters give the same ids)."""
        for key in sorted(self._named):
            if key in self._by_key:
                continue
            kind, names = self._named[key]
            base = slug(key)
            ident, number = base, 2
            while ident in self.entries:
                ident, number = f"{base}-{number}", number + 1
            name = min(names, key=lambda n: (-names[n], n)) if names else key.partition(":")[2]
            value = key.partition(":")[2]
            identifiers = ((authority(value) or "link", value),) if key.startswith("uri:") else ()
            self.add([EntryFacts(ident, kind, name, (), identifiers, (key,))])
        self._named.clear()


# each kind of entry: the page of the site that lists them, and its heading
KIND_PAGES = {
    "person": ("persons", "Persons"),
    "place": ("places", "Places"),
    "org": ("organisations", "Organisations"),
    "work": ("works", "Works"),
    "event": ("events", "Events"),
    "name": ("names", "Names"),
}


def register_kinds(entries: Iterable[EntryFacts]) -> list[tuple[str, str, list[EntryFacts]]]:
    """(page name, heading, entries sorted by name) for every kind the entries have."""
    by_kind: dict[str, list[EntryFacts]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    return [
        (page, heading, sorted(by_kind[kind], key=lambda e: (e.name.casefold(), e.id)))
        for kind, (page, heading) in KIND_PAGES.items()
        if kind in by_kind
    ]

"""The registers → ``register.xml``, the TEI file every letter's ``@ref`` points into."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from teitools import __version__, safexml
from teitools.config import Publication
from teitools.namespaces import TEI_NS, XML_NS
from teitools.registers import Entry, Registers
from teitools.tei.writer import _el, _indent_structure

SCHEMES = {"wikidata": "wikidata", "viaf": "VIAF", "geonames": "geonames", "gnd": "GND"}
LISTS = (
    ("person", "listPerson", "person", "persName"),
    ("place", "listPlace", "place", "placeName"),
    ("org", "listOrg", "org", "orgName"),
)


def _idnos(parent: etree._Element, entry: Entry) -> None:
    for (scheme, value), url in zip(entry.identifiers, entry.urls(), strict=True):
        _el(parent, "idno", url, type=SCHEMES.get(scheme, scheme)).set("n", value)


def to_register(registers: Registers, publication: Publication | None = None) -> bytes:
    """The whole register as one TEI document (deterministic). Entries imported from a TEI
    register are written as that register has them."""
    facts = publication or Publication()
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    tei.set(f"{{{XML_NS}}}lang", "en")
    header = _el(tei, "teiHeader")
    file_desc = _el(header, "fileDesc")
    _el(
        _el(file_desc, "titleStmt"), "title", "Register of persons, places, organisations and names"
    )
    publication_stmt = _el(file_desc, "publicationStmt")
    _el(publication_stmt, "publisher", facts.publisher)
    licence = _el(_el(publication_stmt, "availability"), "licence", facts.licence_label())
    if facts.licence_url():
        licence.set("target", facts.licence_url() or "")
    sources = ", ".join(Path(source).name for source in registers.sources) or "none"
    _el(
        _el(file_desc, "sourceDesc"),
        "p",
        f"Written by teitools {__version__} from the edition's registers: {sources}.",
    )
    body = _el(_el(tei, "text"), "body")
    for kind, list_tag, item_tag, name_tag in LISTS:
        entries = sorted(registers.of_kind(kind), key=lambda e: e.id)
        entries = [entry for entry in entries if not entry.within]
        if not entries:
            continue
        listing = _el(_el(body, "div", type=list_tag), list_tag)
        for entry in entries:
            if entry.tei:
                listing.append(etree.fromstring(entry.tei, safexml.parser()))
                continue
            item = _el(listing, item_tag)
            item.set(f"{{{XML_NS}}}id", entry.id)
            if kind == "place" and entry.subtype:
                item.set("type", entry.subtype)
            if kind == "person" and (entry.surname or entry.forename):
                name = _el(item, name_tag)
                if entry.forename:
                    _el(name, "forename", entry.forename)
                    name[-1].tail = " "
                if entry.surname:
                    _el(name, "surname", entry.surname)
            else:
                _el(item, name_tag, entry.name)
            if kind == "person":
                if entry.birth:
                    _el(item, "birth", when=entry.birth)
                if entry.death:
                    _el(item, "death", when=entry.death)
                for tenure in entry.tenures:
                    office = registers.offices.get(tenure.office)
                    state = _el(item, "state", type="office")
                    state.set("from", tenure.start.isoformat())
                    state.set("to", tenure.end.isoformat())
                    _el(state, "label", office.title if office else tenure.office)
            if entry.geo:
                _el(_el(item, "location"), "geo", entry.geo)
            _idnos(item, entry)
    names = sorted(registers.of_kind("name"), key=lambda e: e.id)
    if names:
        listing = _el(_el(body, "div", type="names"), "list", type="names")
        for entry in names:
            item = _el(listing, "item")
            item.set(f"{{{XML_NS}}}id", entry.id)
            _el(item, "name", entry.name, type=entry.subtype or "name")
            for url in entry.urls():
                _el(item, "ptr", target=url)
    if registers.events:
        listing = _el(_el(body, "div", type="listEvent"), "listEvent")
        for event in sorted(registers.events, key=lambda e: e.start):
            item = _el(listing, "event")
            item.set(f"{{{XML_NS}}}id", event.id)
            item.set("from", event.start.isoformat())
            item.set("to", event.end.isoformat())
            _el(item, "label", event.name)
            for scheme, value in event.identifiers:
                _el(item, "idno", value, type=SCHEMES.get(scheme, scheme))
    _indent_structure(tei)
    data: bytes = etree.tostring(tei, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + data + b"\n"

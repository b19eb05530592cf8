"""An existing edition's TEI register (``listPerson``, ``listPlace``, ``listOrg``) read as
register entries, each kept as written.

Every ``person``, ``place`` and ``org`` with an ``xml:id`` becomes an entry of the same id:
its names (``persName``, ``placeName``, ``orgName``; "Surname, Forename" also as "Forename
Surname", and a surname no other person has) are the forms the converter tags in letters,
its ``idno`` and authority pointers (``@ref``, ``@sameAs``) give Wikidata, VIAF, GND and
GeoNames identifiers, ``location/geo`` its coordinates, ``birth``/``death`` its dates. The
element itself is kept byte for byte in meaning (``tei``), so ``register.xml`` holds it as
the edition wrote it. An entry inside another (a place within a place) is kept within it.

The items have the shape of the YAML registers' entries: :mod:`teitools.registers` makes
entries of both alike.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from teitools import safexml
from teitools.namespaces import TEI, XML_ID

KINDS = {
    "person": ("persons", "persName"),
    "place": ("places", "placeName"),
    "org": ("organisations", "orgName"),
}
AUTHORITIES = (
    ("wikidata", re.compile(r"wikidata\.org/(?:wiki|entity)/(Q\d+)")),
    ("viaf", re.compile(r"viaf\.org/viaf/(\d+)")),
    ("gnd", re.compile(r"d-nb\.info/gnd/([0-9X-]+)")),
    ("geonames", re.compile(r"geonames\.org/(\d+)")),
)
SCHEMES = {"wikidata": "wikidata", "viaf": "viaf", "gnd": "gnd", "geonames": "geonames"}
_SPACE = re.compile(r"\s+")


class ListError(ValueError):
    """The file is not a TEI document (the message says why)."""


def _text(element: etree._Element) -> str:
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def _names(entry: etree._Element, tag: str) -> list[etree._Element]:
    return [child for child in entry if child.tag == f"{TEI}{tag}"]


def _forms(names: list[etree._Element]) -> list[str]:
    """Every way the entry's names are written, "Surname, Forename" also turned round."""
    forms: list[str] = []
    for name in names:
        text = _text(name)
        forenames = [_text(f) for f in name.iter(f"{TEI}forename")]
        surnames = [_text(s) for s in name.iter(f"{TEI}surname")]
        if forenames and surnames:
            forms.append(" ".join([*forenames, *surnames]))
        elif "," in text and text.count(",") == 1:
            surname, forename = (part.strip() for part in text.split(","))
            forms.append(f"{forename} {surname}")
        forms.append(text)
    return [form for i, form in enumerate(forms) if form and form not in forms[:i]]


def _identifiers(entry: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    pointers = [entry.get("ref", ""), entry.get("sameAs", ""), entry.get("corresp", "")]
    for child in entry:
        if child.tag == f"{TEI}idno":
            scheme = (child.get("type") or "").strip().lower()
            value = _text(child)
            if scheme in SCHEMES and value and "/" not in value:
                found.setdefault(SCHEMES[scheme], value)
            pointers.append(value)
        pointers += [child.get("ref", ""), child.get("sameAs", "")]
    for pointer in " ".join(pointers).split():
        for scheme, pattern in AUTHORITIES:
            match = pattern.search(pointer)
            if match:
                found.setdefault(scheme, match.group(1))
    return found


def _coordinates(text: str) -> tuple[float, float] | None:
    """ "48.2 16.37", "48,208333 16,373056" (decimal commas), "48.2,16.37" """
    parts = text.split()
    if len(parts) == 1:
        parts = parts[0].split(",")
    try:
        lat, lon = (float(part.replace(",", ".")) for part in parts)
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _geo(entry: etree._Element) -> tuple[float, float] | None:
    """The entry's own coordinates: of a ``location`` that names no other place."""
    for location in entry.iterchildren(f"{TEI}location"):
        geo = location.find(f"{TEI}geo")
        if geo is not None and location.find(f"{TEI}placeName") is None:
            return _coordinates(_text(geo))
    return None


def _when(entry: etree._Element, tag: str) -> str:
    """``birth/@when``, or ``birth/date/@when``."""
    event = entry.find(f"{TEI}{tag}")
    if event is None:
        return ""
    date = event.find(f"{TEI}date")
    return event.get("when") or (date.get("when") if date is not None else None) or ""


def tei_items(data: bytes, where: str) -> dict[str, list[dict[str, Any]]]:
    """The entries of a TEI file, by register file name (persons, places, organisations).

    Raises :class:`ListError` if ``data`` is not a TEI document."""
    try:
        root = etree.fromstring(data, safexml.parser())
    except etree.XMLSyntaxError as error:
        raise ListError(f"not well-formed XML: {error}") from None
    if not root.tag.startswith(TEI):
        raise ListError("not a TEI document (its root is not in the TEI namespace)")
    items: dict[str, list[dict[str, Any]]] = {kind: [] for kind, _ in KINDS.values()}
    entries = [e for e in root.iter(*(f"{TEI}{tag}" for tag in KINDS)) if e.get(XML_ID)]
    surnames = [_text(s) for e in entries for s in e.iter(f"{TEI}surname")]
    for entry in entries:
        tag = etree.QName(entry).localname
        kind, name_tag = KINDS[tag]
        forms = _forms(_names(entry, name_tag))
        item: dict[str, Any] = {
            "id": entry.get(XML_ID),
            "name": forms[0] if forms else entry.get(XML_ID),
            "forms": forms,
            **_identifiers(entry),
        }
        surname = [_text(s) for s in entry.iter(f"{TEI}surname")][:1]
        if surname and surnames.count(surname[0]) == 1 and surname[0] not in forms:
            item["forms"] = [*forms, surname[0]]
        if surname:
            item["surname"] = surname[0]
        if entry.get("type"):
            item["kind"] = entry.get("type")
        geo = _geo(entry)
        if geo is not None:
            item["lat"], item["lon"] = geo
        for event in ("birth", "death"):
            if _when(entry, event):
                item[event] = _when(entry, event)
        ancestors = entry.iterancestors(*(f"{TEI}{t}" for t in KINDS))
        outer = next((a for a in ancestors if a.get(XML_ID)), None)
        if outer is not None:
            item["within"] = outer.get(XML_ID)
        else:
            item["tei"] = etree.tostring(entry, encoding="UTF-8", with_tail=False)
        items[kind].append(item)
    return items

"""CMIF export: the correspDesc of every letter in one file correspSearch can harvest.

The Correspondence Metadata Interchange Format (TEI Correspondence SIG) is TEI with a
``teiHeader`` that describes the index itself and one ``correspDesc`` per letter. CMIF asks
for authority URIs on names (VIAF, GND, LC, BnF, NDL; Wikidata where nothing else exists)
and GeoNames URIs on places, and for ISO dates of the forms YYYY, YYYY-MM, YYYY-MM-DD.
:func:`cmif_problems` checks a CMIF tree against those rules (the SIG's own schema is not
vendored: its licence is not ours to redistribute here); the tests also validate the output
against tei_all with jing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.errors import TeitoolsError
from teitools.registers import REGISTER_FILE
from teitools.safehtml import file_url
from teitools.tei.writer import TEI_NS, XML_NS, _el, _indent_structure

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CMIF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PERSON_AUTHORITIES = (
    "viaf.org/viaf/",
    "d-nb.info/gnd/",
    "id.loc.gov/",
    "data.bnf.fr/",
    "catalogue.bnf.fr/",
    "id.ndl.go.jp/",
    "wikidata.org/entity/",
)
PLACE_AUTHORITY = "geonames.org/"
NS = {"t": TEI_NS}


@dataclass(frozen=True)
class Edition:
    """What the CMIF header says about the edition and the file."""

    title: str = "teitools edition: US–Soviet leaders' correspondence"
    editor: str = "The teitools developers"
    email: str = "teitools@example.org"
    publisher: str = "teitools"
    url: str = "https://example.org/teitools/cmif.xml"
    edition_url: str = "https://example.org/teitools/"
    date: str | None = None  # xsd:dateTime; default: the newest date of encoding of the letters


def _authority(element: etree._Element, authorities: tuple[str, ...]) -> str | None:
    """The first authority URI among the element's @ref and @sameAs."""
    for value in (element.get("ref") or "").split() + (element.get("sameAs") or "").split():
        if any(a in value for a in authorities):
            return str(value).replace(
                "https://www.wikidata.org/entity/", "http://www.wikidata.org/entity/"
            )
    return None


def _copy_action(source: etree._Element, target: etree._Element) -> None:
    action = _el(target, "correspAction", type=source.get("type", "sent"))
    persons = source.findall("t:persName", NS)
    for person in persons:
        name = "".join(person.itertext()).strip()
        cert = person.get("cert")
        copy = _el(action, "persName", "Unknown" if cert == "unknown" or not name else name)
        if ref := _authority(person, PERSON_AUTHORITIES):
            copy.set("ref", ref)
    if not persons:
        _el(action, "persName", "Unknown")
    for place in source.findall("t:placeName", NS):
        copy = _el(action, "placeName", "".join(place.itertext()).strip())
        if ref := _authority(place, (PLACE_AUTHORITY,)):
            copy.set("ref", ref.replace("https://www.geonames.org/", "http://www.geonames.org/"))
    for date in source.findall("t:date", NS):
        attrs = {
            a: date.get(a)
            for a in ("when", "from", "to", "notBefore", "notAfter")
            if date.get(a) and CMIF_DATE.match(date.get(a) or "")
        }
        if attrs:
            _el(action, "date", **{k: v for k, v in attrs.items() if v})


def to_cmif(paths: list[Path], edition: Edition | None = None) -> bytes:
    """One CMIF document for the TEI letters at ``paths`` (register files are skipped)."""
    edition = edition or Edition()
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    header = _el(tei, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", edition.title)
    editor = _el(title_stmt, "editor", edition.editor)
    _el(editor, "email", edition.email)
    publication = _el(file_desc, "publicationStmt")
    _el(publication, "publisher", edition.publisher)
    _el(publication, "idno", edition.url, type="url")
    _el(publication, "date", when=edition.date or _newest_encoding(paths))
    _el(
        _el(publication, "availability"),
        "licence",
        "This file is licensed under the terms of the Creative Commons License CC-BY 4.0",
        target=CC_BY,
    )
    bibl = _el(_el(file_desc, "sourceDesc"), "bibl", edition.title + ". ", type="online")
    bibl.set(f"{{{XML_NS}}}id", "edition")
    _el(bibl, "ref", edition.edition_url, target=edition.edition_url)
    profile = _el(header, "profileDesc")
    for path in sorted(paths):
        if path.name == REGISTER_FILE:
            continue
        try:
            root = etree.parse(str(path), safexml.parser()).getroot()
        except (OSError, etree.XMLSyntaxError) as error:
            raise TeitoolsError(f"not a readable TEI file: {error}", path) from None
        corresp = root.find(".//t:profileDesc/t:correspDesc", NS)
        if corresp is None:
            continue
        record = _el(profile, "correspDesc", source="#edition")
        record.set("ref", f"{edition.edition_url}{file_url(path.stem)}.html")
        for action in corresp.findall("t:correspAction", NS):
            _copy_action(action, record)
    _el(_el(_el(tei, "text"), "body"), "p")
    _indent_structure(tei)
    body: bytes = etree.tostring(tei, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def _newest_encoding(paths: list[Path]) -> str:
    newest = "1970-01-01"
    for path in paths:
        head = path.read_bytes()[:4096] if path.exists() else b""
        for found in re.findall(rb'<date when="(\d{4}-\d{2}-\d{2})" type="encoding"', head):
            newest = max(newest, found.decode())
    return f"{newest}T00:00:00Z"


def cmif_problems(root: etree._Element) -> list[str]:
    """Where a CMIF document breaks the CMIF rules (empty list: it follows them)."""
    problems = []

    def need(path: str, what: str) -> None:
        if not root.xpath(path, namespaces=NS):
            problems.append(f"missing {what}")

    need("t:teiHeader/t:fileDesc/t:titleStmt/t:title[normalize-space()]", "title")
    need("t:teiHeader/t:fileDesc/t:titleStmt/t:editor", "editor")
    need("t:teiHeader/t:fileDesc/t:publicationStmt/t:publisher", "publisher")
    need("t:teiHeader/t:fileDesc/t:publicationStmt/t:idno[@type='url']", "idno[@type='url']")
    need("t:teiHeader/t:fileDesc/t:publicationStmt/t:date[@when]", "publicationStmt/date/@when")
    need(f"//t:licence[@target='{CC_BY}']", "the CC-BY 4.0 licence")
    ids = set(
        root.xpath("//t:sourceDesc/t:bibl[@type='print' or @type='online']/@xml:id", namespaces=NS)
    )
    for number, corresp in enumerate(root.iterfind(".//t:profileDesc/t:correspDesc", NS), 1):
        where = f"correspDesc {number}"
        if (corresp.get("source") or "").lstrip("#") not in ids:
            problems.append(f"{where}: @source does not point to a bibl")
        for kind in ("sent", "received"):
            if corresp.find(f"t:correspAction[@type='{kind}']", NS) is None:
                problems.append(f"{where}: no correspAction[@type='{kind}']")
        for action in corresp.iterfind("t:correspAction", NS):
            if (action.text or "").strip():
                problems.append(f"{where}: text directly in correspAction")
            if action.find("t:persName", NS) is None and action.find("t:orgName", NS) is None:
                problems.append(f"{where}: correspAction without persName or orgName")
            for child in action:
                if etree.QName(child).localname not in {"persName", "orgName", "placeName", "date"}:
                    problems.append(f"{where}: {etree.QName(child).localname} is not CMIF")
            for date in action.iterfind("t:date", NS):
                values = [date.get(a) for a in ("when", "from", "to", "notBefore", "notAfter")]
                if not any(values):
                    problems.append(f"{where}: date without a dating attribute")
                if any(v and not CMIF_DATE.match(v) for v in values):
                    problems.append(f"{where}: date not in YYYY, YYYY-MM or YYYY-MM-DD form")
            for place in action.iterfind("t:placeName[@ref]", NS):
                if PLACE_AUTHORITY not in (place.get("ref") or ""):
                    problems.append(f"{where}: placeName/@ref is not a GeoNames URI")
    return problems

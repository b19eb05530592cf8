"""CMIF export: the correspDesc of every letter in one file correspSearch can harvest.

The Correspondence Metadata Interchange Format (TEI Correspondence SIG) is TEI with a
``teiHeader`` that describes the index itself and one ``correspDesc`` per letter. The
header's facts (title, editor, addresses, date) are the edition's: :func:`cmif_header`
takes them from the settings (``teitools.toml``, ``[tool.teitools]``) or the command line,
the date and publisher else from the letters' own headers, and names what is missing
instead of inventing it. CMIF asks for authority URIs on names (VIAF, GND, LC, BnF, NDL;
Wikidata where nothing else exists) and GeoNames URIs on places: every one a letter gives,
directly or through the register entry its pointer leads to, is kept. ISO dates of the
forms YYYY, YYYY-MM, YYYY-MM-DD. :func:`cmif_problems` checks a CMIF tree against those
rules (the SIG's own schema is not vendored: its licence is not ours to redistribute
here); the tests also validate the output against tei_all with jing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from teitools import safexml, scratch
from teitools.errors import TeitoolsError
from teitools.fsio import write_atomic
from teitools.namespaces import NS, TEI_NS, XML_NS
from teitools.render.edition import Links
from teitools.render.header import CORRESPONDENTS, PLACES, text_of
from teitools.render.pointers import (
    POINTING,
    Prefix,
    authority,
    normal_uri,
    pointer_keys,
    prefixes,
)
from teitools.safehtml import file_url
from teitools.tei.writer import _el, _indent_structure

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CMIF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PUBLICATION_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$")
PLACE_AUTHORITY = "geonames.org/"
ORG_TYPES = ("org", "organisation", "organization")
REQUIRED = ("title", "editor", "url", "date")


class CmifError(TeitoolsError):
    """The CMIF header lacks a fact the edition has not given."""


@dataclass(frozen=True)
class CmifHeader:
    """What the CMIF header says about the edition and the file."""

    title: str
    editor: str
    url: str  # where the CMIF file is published
    edition_url: str  # where the letters' pages are: {edition_url}{stem}.html
    date: str  # of publication: YYYY, YYYY-MM, YYYY-MM-DD or a date and time
    publisher: str
    email: str = ""


def letters_facts(paths: Iterable[Path]) -> dict[str, str]:
    """What the letters' own headers say of their publication: the newest date (of
    publication, of encoding, of a change) and the most frequent publisher."""
    newest, publishers = "", Counter[str]()
    for path in paths:
        try:
            root = etree.parse(str(path), safexml.parser()).getroot()
        except (OSError, etree.XMLSyntaxError):
            continue
        found = root.xpath(
            "t:teiHeader/t:fileDesc/t:publicationStmt/t:date/@when"
            " | t:teiHeader//t:date[@type='encoding']/@when"
            " | t:teiHeader/t:revisionDesc//t:change/@when",
            namespaces=NS,
        )
        newest = max([newest, *(str(d) for d in found if PUBLICATION_DATE.match(str(d)))])
        for publisher in root.iterfind("t:teiHeader/t:fileDesc/t:publicationStmt/t:publisher", NS):
            if text_of(publisher):
                publishers[text_of(publisher)] += 1
    facts = {"date": newest} if newest else {}
    if publishers:
        facts["publisher"] = min(publishers, key=lambda p: (-publishers[p], p))
    return facts


def cmif_header(
    settings: Mapping[str, str],
    letters: Mapping[str, str],
    edition_url: str = "",
    *,
    options: bool = True,
) -> CmifHeader:
    """The CMIF header from ``settings`` (title, editor, email, url, date, publisher: the
    edition's settings with the command line's over them), the date and publisher else from
    ``letters`` (:func:`letters_facts`). ``url`` is where the edition is published (its
    ``cmif.xml`` and ``letters/`` there), or its CMIF file (``…/cmif.xml``); ``edition_url``
    names the letters' folder if it is elsewhere.
    A missing fact is an error that names every one missing (and, with ``options``, the
    command-line options that give them)."""
    values = {k: v.strip() for k, v in letters.items() if v and v.strip()}
    values |= {k: v.strip() for k, v in settings.items() if v and v.strip()}
    missing = [name for name in REQUIRED if not values.get(name)]
    if missing:
        hints = ", or pass " + ", ".join(f"--{name}" for name in missing) if options else ""
        raise CmifError(
            f"CMIF needs the edition's {', '.join(missing)}: set "
            f"{'it' if len(missing) == 1 else 'them'} in teitools.toml or [tool.teitools]{hints}"
        )
    if not PUBLICATION_DATE.match(values["date"]):
        raise CmifError(f"CMIF date {values['date']!r} is not an ISO date (YYYY-MM-DD)")
    url = values["url"]  # the edition's address, or its CMIF file's (…/cmif.xml)
    base = url.rpartition("/")[0] + "/" if url.endswith(".xml") else url.rstrip("/") + "/"
    cmif_url = url if url.endswith(".xml") else f"{base}cmif.xml"
    return CmifHeader(
        title=values["title"],
        editor=values["editor"],
        url=cmif_url,
        edition_url=edition_url or f"{base}letters/",  # as the site lays them out
        date=values["date"],
        publisher=values.get("publisher") or values["editor"],
        email=values.get("email", ""),
    )


def _cmif_uri(uri: str) -> str:
    return re.sub(r"^https://(www\.)?(wikidata\.org|geonames\.org)/", r"http://www.\2/", uri)


def _authorities(
    element: etree._Element, known: Mapping[str, list[Prefix]], links: Links, place: bool
) -> str:
    """Every authority URI of a name: its own pointers' and those of the entry they lead to."""
    found: dict[str, str] = {}
    written = [t for a in POINTING for t in (element.get(a) or "").split()]
    keys = pointer_keys(element, known)
    for uri in written + [u for key in keys for u in links.authorities.get(key, ())]:
        if authority(uri) and (PLACE_AUTHORITY in uri) == place:
            found.setdefault(normal_uri(uri), _cmif_uri(uri))
    return " ".join(found.values())


def _copy_action(
    source: etree._Element,
    target: etree._Element,
    known: Mapping[str, list[Prefix]],
    links: Links,
) -> None:
    action = _el(target, "correspAction", type=source.get("type", "sent"))
    names = [
        c for c in source if isinstance(c.tag, str) and etree.QName(c).localname in CORRESPONDENTS
    ]
    for name in names:
        org = etree.QName(name).localname == "orgName" or name.get("type") in ORG_TYPES
        text = text_of(name)
        unknown = name.get("cert") == "unknown" or not text
        copy = _el(action, "orgName" if org else "persName", "Unknown" if unknown else text)
        if ref := _authorities(name, known, links, place=False):
            copy.set("ref", ref)
    if not names:
        _el(action, "persName", "Unknown")
    for place in source:
        if isinstance(place.tag, str) and etree.QName(place).localname in PLACES:
            copy = _el(action, "placeName", text_of(place))
            if ref := _authorities(place, known, links, place=True):
                copy.set("ref", ref)
    for date in source.findall("t:date", NS):
        attrs = {
            a: date.get(a)
            for a in ("when", "from", "to", "notBefore", "notAfter")
            if date.get(a) and CMIF_DATE.match(date.get(a) or "")
        }
        if attrs:
            _el(action, "date", **{k: v for k, v in attrs.items() if v})


def to_cmif(letters: Sequence[tuple[Path, Links]], header: CmifHeader) -> bytes:
    """One CMIF document for the TEI letters (each with the links of its pointers)."""
    return b"".join(cmif_pieces(sorted(letters, key=lambda item: item[0]), header))


def write_cmif(
    path: Path, letters: Iterable[tuple[Path, Links]], header: CmifHeader
) -> tuple[list[str], int]:
    """Write :func:`to_cmif`'s document for ``letters`` (in any order) to ``path``, all at
    once or not at all, holding one letter at a time: the letters and their links wait in
    a scratch database, ordered there as ``Path`` orders their paths, and the document is
    written a record at a time, then checked as it is read back (:func:`cmif_file_problems`).
    Returns the problems found and the number of records."""
    db = scratch.scratch()
    try:
        db.executescript(
            """
            -- parts: the path's parts apart by NUL, which orders them as Path orders paths
            CREATE TABLE letters (seq INTEGER PRIMARY KEY, parts BLOB NOT NULL,
                path BLOB NOT NULL, links TEXT NOT NULL);
            CREATE INDEX letters_by_path ON letters (parts, seq);
            """
        )
        db.executemany(
            "INSERT INTO letters (parts, path, links) VALUES (?, ?, ?)",
            (
                (scratch.key("\0".join(path.parts)), scratch.key(str(path)), _links_record(links))
                for path, links in letters
            ),
        )
        rows = db.execute("SELECT path, links FROM letters ORDER BY parts, seq")
        ordered = ((Path(scratch.text(path)), _links(record)) for path, record in rows)
        checked: list[tuple[list[str], int]] = []

        def write(handle: BinaryIO) -> None:
            for piece in cmif_pieces(ordered, header):
                handle.write(piece)
            handle.flush()
            handle.seek(0)
            checked.append(cmif_file_problems(handle))

        write_atomic(path, write)
    finally:
        db.close()
    return checked[0]


def _links_record(links: Links) -> str:
    return json.dumps([links.entries, links.letters, links.authorities])


def _links(record: str) -> Links:
    entries, letters, authorities = json.loads(record)
    return Links(
        entries,
        {target: (href, title) for target, (href, title) in letters.items()},
        {name: tuple(uris) for name, uris in authorities.items()},
    )


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_RECORDS = "cmif-records"  # where the records go in the document's frame
_RECORD_LEVEL = 3  # TEI, teiHeader, profileDesc, correspDesc


def cmif_pieces(letters: Iterable[tuple[Path, Links]], header: CmifHeader) -> Iterator[bytes]:
    """:func:`to_cmif`'s document for ``letters`` given in path order, in pieces: its frame,
    then a letter's record at a time, so that only one letter is held."""
    tei, profile = _frame(header)
    records = (_record(path, links, header) for path, links in letters)
    found = (record for record in records if record is not None)
    first = next(found, None)
    if first is None:
        _indent_structure(tei)
        yield _DECLARATION + etree.tostring(tei, encoding="UTF-8", xml_declaration=False) + b"\n"
        return
    marker = etree.ProcessingInstruction(_RECORDS)
    profile.append(marker)
    _indent_structure(tei)
    between = (profile.text or "").encode()
    whole = etree.tostring(tei, encoding="UTF-8", xml_declaration=False)
    before, _, after = whole.partition(etree.tostring(marker, with_tail=False))
    yield _DECLARATION + before + first
    for record in found:
        yield between + record
    yield after + b"\n"


def _record(path: Path, links: Links, header: CmifHeader) -> bytes | None:
    """A letter's ``correspDesc`` as it stands in the document (indented for its place, the
    TEI namespace declared above it), or None if the letter has none."""
    try:
        root = etree.parse(str(path), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise TeitoolsError(f"not a readable TEI file: {error}", path) from None
    corresp = root.find(".//t:profileDesc/t:correspDesc", NS)
    if corresp is None:
        return None
    known = prefixes(root, str(path))
    profile = etree.Element(f"{{{TEI_NS}}}profileDesc", nsmap={None: TEI_NS})
    record = _el(profile, "correspDesc", source="#edition")
    record.set("ref", f"{header.edition_url}{file_url(path.stem)}.html")
    for action in corresp.findall("t:correspAction", NS):
        _copy_action(action, record, known, links)
    _indent_structure(record, _RECORD_LEVEL)
    text: bytes = etree.tostring(record, encoding="UTF-8", xml_declaration=False, with_tail=False)
    return text.replace(f' xmlns="{TEI_NS}"'.encode(), b"", 1)  # declared on the TEI root


def _frame(header: CmifHeader) -> tuple[etree._Element, etree._Element]:
    """The document without its records, and its ``profileDesc``, where they go."""
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    tei_header = _el(tei, "teiHeader")
    file_desc = _el(tei_header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", header.title)
    editor = _el(title_stmt, "editor", header.editor)
    if header.email:
        _el(editor, "email", header.email)
    publication = _el(file_desc, "publicationStmt")
    _el(publication, "publisher", header.publisher)
    _el(publication, "idno", header.url, type="url")
    _el(publication, "date", when=header.date)
    _el(
        _el(publication, "availability"),
        "licence",
        "This file is licensed under the terms of the Creative Commons License CC-BY 4.0",
        target=CC_BY,
    )
    bibl = _el(_el(file_desc, "sourceDesc"), "bibl", header.title + ". ", type="online")
    bibl.set(f"{{{XML_NS}}}id", "edition")
    _el(bibl, "ref", header.edition_url, target=header.edition_url)
    profile = _el(tei_header, "profileDesc")
    _el(_el(_el(tei, "text"), "body"), "p")
    return tei, profile


def cmif_problems(root: etree._Element) -> list[str]:
    """Where a CMIF document breaks the CMIF rules (empty list: it follows them)."""
    ids = _bibl_ids(root)
    found = []
    for number, corresp in enumerate(root.iterfind(".//t:profileDesc/t:correspDesc", NS), 1):
        found += _source_problems(corresp, number, ids) + _record_problems(corresp, number)
    return _header_problems(root) + found


def cmif_file_problems(source: BinaryIO) -> tuple[list[str], int]:
    """:func:`cmif_problems` of the CMIF document read from ``source``, a record at a time
    (each dropped once checked: the memory is one record's), and how many records it has."""
    found: list[tuple[int, list[str], str | None]] = []  # a record's problems, its @source
    ids: set[str] = set()
    count = 0
    events = etree.iterparse(
        source,
        events=("end",),
        tag=f"{{{TEI_NS}}}correspDesc",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    for _, corresp in events:
        parent = corresp.getparent()
        if parent is None or parent.tag != f"{{{TEI_NS}}}profileDesc":
            continue
        count += 1
        if count == 1:
            ids = _bibl_ids(corresp.getroottree().getroot())
        problems = _record_problems(corresp, count)
        sourced = (corresp.get("source") or "").lstrip("#") in ids
        if problems or not sourced:  # a bibl further on may yet have the id
            found.append((count, problems, None if sourced else corresp.get("source") or ""))
        corresp.clear(keep_tail=True)
        while (earlier := corresp.getprevious()) is not None and earlier.tag == corresp.tag:
            parent.remove(earlier)
    root = events.root
    ids = _bibl_ids(root)
    problems = _header_problems(root)
    for number, record, pointed in found:
        if pointed is not None and pointed.lstrip("#") not in ids:
            problems.append(f"correspDesc {number}: @source does not point to a bibl")
        problems += record
    return problems, count


def _bibl_ids(root: etree._Element) -> set[str]:
    """The ids of the bibls a record's @source may point to."""
    query = "//t:sourceDesc/t:bibl[@type='print' or @type='online']/@xml:id"
    return {str(found) for found in root.xpath(query, namespaces=NS)}


def _header_problems(root: etree._Element) -> list[str]:
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
    return problems


def _source_problems(corresp: etree._Element, number: int, ids: set[str]) -> list[str]:
    if (corresp.get("source") or "").lstrip("#") not in ids:
        return [f"correspDesc {number}: @source does not point to a bibl"]
    return []


def _record_problems(corresp: etree._Element, number: int) -> list[str]:
    """Where the ``number``th correspDesc breaks the CMIF rules, but for its @source."""
    problems = []
    where = f"correspDesc {number}"
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
            if any(PLACE_AUTHORITY not in ref for ref in (place.get("ref") or "").split()):
                problems.append(f"{where}: placeName/@ref is not a GeoNames URI")
    return problems

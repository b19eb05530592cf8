"""What the collation writes into each witness: its versions named in the header, the
collation pointed to, and the corrections other witnesses support.

Everything written carries ``@resp`` pointing to an ``application`` of its own
(``teitools-collate``), so a later run finds it, takes it out (:func:`strip`) and writes
it anew: running the collation twice gives the same documents, and a witness that is no
longer a version of anything loses what an earlier run said. Nothing else in a witness is
touched; the source's reading stays in ``sic``.

In ``fileDesc/notesStmt``: a ``note type="versions"`` saying what this document is and
which versions there are, a ``relatedItem type="collation"`` pointing to the collation and
one ``relatedItem type="version"`` (``@subtype`` its kind) for each other version.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from teitools import __version__, safexml
from teitools.collate.witness import Spot, T, Witness, document_id
from teitools.fsio import add_checksum
from teitools.namespaces import NS, XML_ID
from teitools.tei.writer import _el

APPLICATION = "teitools-collate"


@dataclass(frozen=True)
class Version:
    """Another version of a witness's letter, as its header names it."""

    target: str  # its file, relative to the witness
    kind: str  # sent, draft, transcription, translation, version
    label: str  # "B, draft (003_e967189a251f37fb.2)"


@dataclass(frozen=True)
class Fix:
    token: int  # the witness's word to correct
    text: str
    cert: str
    source: str  # the witness whose reading it is: its file, relative to this witness


def marker(witness: Witness) -> str:
    return f"{witness.id}.collate"


def strip(witness: Witness) -> bool:
    """Take out what an earlier collation wrote into ``witness``; True if there was any."""
    return _strip(witness.tree.getroot(), marker(witness))


def without_collation(data: bytes, path: Path) -> bytes | None:
    """A letter teitools wrote, as it was before a collation wrote into it (None if no
    collation did): what ``convert`` compares its new output with."""
    if APPLICATION.encode() not in data:
        return None
    try:
        tree = etree.ElementTree(etree.fromstring(data, safexml.parser()))
    except etree.XMLSyntaxError:
        return None
    root = tree.getroot()
    if not _strip(root, f"{document_id(root, path)}.collate"):
        return None
    return serialise(tree)


def serialise(tree: etree._ElementTree) -> bytes:
    """A letter as bytes: XML declaration, the processing instructions and comments before
    its root as they were, the root; with a new checksum."""
    parts = [b'<?xml version="1.0" encoding="UTF-8"?>\n']
    if tree.docinfo.doctype:
        parts.append(tree.docinfo.doctype.encode("utf-8") + b"\n")
    root = tree.getroot()
    before = []
    sibling = root.getprevious()
    while sibling is not None:
        before.append(sibling)
        sibling = sibling.getprevious()
    for node in reversed(before):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "teitools-checksum":
            continue
        text: bytes = etree.tostring(node, encoding="UTF-8")
        parts.append(text.strip() + b"\n")
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    parts.append(body + b"\n")
    return add_checksum(b"".join(parts))


def _strip(root: etree._Element, ident: str) -> bool:
    pointer = f"#{ident}"
    found = False
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.get("resp") == pointer or element.get(XML_ID) == ident:
            parent = element.getparent()
            if parent is None:
                continue
            choice = parent if parent.tag == f"{T}choice" else None
            _remove(element)
            found = True
            if choice is not None:
                _unwrap(choice)
    for name in ("notesStmt", "appInfo"):
        for element in root.iterfind(f".//t:{name}", NS):
            if len(element) == 0:
                _remove(element)
    return found


def _remove(element: etree._Element) -> None:
    """Remove ``element``; its tail stays (text), or becomes the space before what
    follows (indentation)."""
    parent = element.getparent()
    assert parent is not None
    tail = element.tail or ""
    previous = element.getprevious()
    parent.remove(element)
    if tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    elif previous is not None:
        previous.tail = tail or None


def _unwrap(choice: etree._Element) -> None:
    """A choice left with only its source reading becomes that text again."""
    if any(c.tag in {f"{T}corr", f"{T}reg", f"{T}expan"} for c in choice):
        return
    source = choice.find("t:sic", NS)
    if source is None or len(source):
        return
    text = (source.text or "") + (choice.tail or "")
    parent = choice.getparent()
    assert parent is not None
    previous = choice.getprevious()
    parent.remove(choice)
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def annotate(
    witness: Witness,
    note: str,
    collation_target: str | None,
    versions: list[Version],
    fixes: list[Fix],
) -> None:
    """Write the versions, the collation and the corrections into ``witness``'s tree."""
    root = witness.tree.getroot()
    ident = marker(witness)
    pointer = f"#{ident}"
    header = root.find("t:teiHeader", NS)
    if header is None:
        return
    _application(header, ident)
    notes = _notes_stmt(header)
    _el(notes, "note", note, type="versions", resp=pointer)
    if collation_target:
        item = _el(notes, "relatedItem", type="collation", target=collation_target)
        item.set("resp", pointer)
    for version in versions:
        item = _el(notes, "relatedItem", type="version", subtype=version.kind)
        item.set("target", version.target)
        item.set("resp", pointer)
    _tidy_block(notes)
    for fix in sorted(fixes, key=lambda f: _order(witness.spots[witness.tokens[f.token].spot])):
        _correct(witness, fix, pointer)


def _order(spot: Spot) -> tuple[int, int]:
    return (0, -spot.start)


def _application(header: etree._Element, ident: str) -> None:
    encoding = header.find("t:encodingDesc", NS)
    if encoding is None:
        encoding = etree.Element(f"{T}encodingDesc")
        file_desc = header.find("t:fileDesc", NS)
        index = list(header).index(file_desc) + 1 if file_desc is not None else 0
        header.insert(index, encoding)
    info = encoding.find("t:appInfo", NS)
    if info is None:
        info = etree.Element(f"{T}appInfo")
        encoding.insert(0, info)
    application = _el(info, "application", ident=APPLICATION, version=__version__)
    application.set(XML_ID, ident)
    _el(application, "label", "teitools collate")
    _tidy_block(info)
    _tidy_block(application)
    _tidy_block(encoding)


def _notes_stmt(header: etree._Element) -> etree._Element:
    file_desc = header.find("t:fileDesc", NS)
    assert file_desc is not None  # TEI requires one
    notes = file_desc.find("t:notesStmt", NS)
    if notes is not None:
        return notes
    notes = etree.Element(f"{T}notesStmt")
    source = file_desc.find("t:sourceDesc", NS)
    index = list(file_desc).index(source) if source is not None else len(file_desc)
    file_desc.insert(index, notes)
    _tidy_block(file_desc)
    return notes


def _tidy_block(element: etree._Element) -> None:
    """Indent an element-only container as its parent is indented (if it is)."""
    if len(element) == 0 or (element.text or "").strip():
        return
    if any((c.tail or "").strip() for c in element):
        return
    depth = 0
    parent = element.getparent()
    while parent is not None:
        depth += 1
        parent = parent.getparent()
    pad = "\n" + "  " * (depth + 1)
    element.text = pad
    for child in element:
        child.tail = pad
    element[-1].tail = "\n" + "  " * depth


def _correct(witness: Witness, fix: Fix, pointer: str) -> None:
    token = witness.tokens[fix.token]
    spot = witness.spots[token.spot]

    def corr() -> etree._Element:
        element = etree.Element(f"{T}corr", resp=pointer, cert=fix.cert, source=fix.source)
        element.text = fix.text
        return element

    if spot.attr == "sic":  # the converter marked it already: our reading goes first
        sic = spot.element.find("t:sic", NS)
        index = list(spot.element).index(sic) + 1 if sic is not None else 0
        spot.element.insert(index, corr())
        return
    holder = spot.element
    text = (holder.text if spot.attr == "text" else holder.tail) or ""
    before, word, after = text[: spot.start], text[spot.start : spot.end], text[spot.end :]
    choice = etree.Element(f"{T}choice")
    _el(choice, "sic", word)
    choice.append(corr())
    choice.tail = after
    if spot.attr == "text":
        holder.text = before
        holder.insert(0, choice)
    else:
        holder.tail = before
        parent = holder.getparent()
        assert parent is not None
        parent.insert(list(parent).index(holder) + 1, choice)

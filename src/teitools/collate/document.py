"""The TEI document of a collation: parallel segmentation in the base witness's order.

``sourceDesc/listWit`` names each witness (siglum in ``@n``, kind in ``bibl/@type``, the
evidence in a ``note``), pointing to its TEI file. The text is the base's, paragraph by
paragraph, set in lines of about ``line_length`` characters (``lb/@n``); where the
witnesses differ stands an ``app`` (``@type`` the kind of variant, ``@loc`` its line) with
the base's reading as ``lem`` and each other reading as ``rdg``, ``@wit`` pointing into the
``listWit`` and ``@type`` saying how it differs from the lemma. A moved passage stands in an
``app`` of type ``transposition`` at its own place and at the place it is aligned to; the
second's reading repeats the first (``rdg/@copyOf``) and the two point to each other
(``@corresp``). Where a copy begins late or ends early, a reading holds ``witStart`` or
``witEnd``. Handwritten words stand in ``seg type="handwriting"``, deleted ones in ``del``,
text lost in a witness as ``gap``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from teitools import __version__
from teitools.collate.apparatus import Collation, Reading, Segment
from teitools.collate.versions import Kind
from teitools.collate.witness import Token
from teitools.config import Publication
from teitools.namespaces import TEI_NS, XML_NS
from teitools.tei.writer import _el, _indent_structure, publication_stmt

VARIANT_TYPES = {
    "ocr": "one reading is OCR damage of the other",
    "spelling": "one word spelled two ways",
    "wording": "different words",
    "addition": "words the lemma does not have",
    "omission": "words of the lemma the witness does not have",
    "transposition": "a passage that stands elsewhere in the witness",
    "lacuna": "text lost in one of the witnesses (a gap, or a copy that begins late or ends early)",
}


@dataclass(frozen=True)
class Listed:
    """A witness as the collation names it."""

    siglum: str  # A, B, C ...
    kind: Kind
    target: str  # the witness's TEI file, relative to the collation document
    title: str
    stem: str


def sigla(count: int) -> list[str]:
    """A, B, ... Z, AA, AB ..."""
    found = []
    for number in range(count):
        label = ""
        number += 1
        while number:
            number, rest = divmod(number - 1, 26)
            label = chr(65 + rest) + label
        found.append(label)
    return found


def relative(target: str, start: str) -> str:
    """``target`` (a path) relative to the folder ``start``, with forward slashes."""
    return os.path.relpath(target, start).replace(os.sep, "/")


class _Writer:
    def __init__(
        self,
        collation: Collation,
        listed: list[Listed],
        ident: str,
        lines: int,
        publication: Publication,
    ):
        self.collation = collation
        self.listed = listed
        self.ident = ident
        self.lines = lines
        self.publication = publication
        self.line = 0
        self.used = 0  # characters of the current line

    def wit(self, reading: Reading) -> str:
        return " ".join(f"#{self.ident}.{self.listed[k].siglum}" for k in reading.witnesses)

    def document(self) -> etree._Element:
        base = self.collation.witnesses[0]
        tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
        tei.set(f"{{{XML_NS}}}id", self.ident)
        if base.facts.language:
            tei.set(f"{{{XML_NS}}}lang", base.facts.language)
        self.header(tei)
        body = _el(_el(tei, "text"), "body")
        self.body(_el(body, "div", type="collation"))
        return tei

    def header(self, tei: etree._Element) -> None:
        base = self.listed[0]
        header = _el(tei, "teiHeader")
        file_desc = _el(header, "fileDesc")
        _el(_el(file_desc, "titleStmt"), "title", f"{base.title}: its versions collated")
        publication_stmt(file_desc, self.publication, "the collation")
        witnesses = _el(_el(file_desc, "sourceDesc"), "listWit")
        for listed in self.listed:
            witness = _el(witnesses, "witness", n=listed.siglum)
            witness.set(f"{{{XML_NS}}}id", f"{self.ident}.{listed.siglum}")
            bibl = _el(witness, "bibl", type=listed.kind.kind)
            _el(bibl, "ref", listed.title, target=listed.target)
            _el(bibl, "idno", listed.stem, type="file")
            _el(witness, "note", f"{listed.kind.label}: {listed.kind.evidence}.", type="kind")
        encoding = _el(header, "encodingDesc")
        application = _el(
            _el(encoding, "appInfo"),
            "application",
            ident="teitools-collate",
            version=__version__,
        )
        application.set(f"{{{XML_NS}}}id", f"{self.ident}.teitools")
        _el(application, "label", "teitools collate")
        decl = _el(encoding, "editorialDecl")
        _el(
            decl,
            "p",
            f"The text is that of witness {base.siglum} ({base.kind.label}, {base.stem}), set "
            f"in lines of about {self.lines} characters (lb/@n); each variant (app) gives "
            f"its line (@loc). Words are compared without regard to case, punctuation, line "
            f"breaks and line-end hyphens: differences in these alone are not recorded.",
        )
        types = "; ".join(f"{name}: {meaning}" for name, meaning in VARIANT_TYPES.items())
        _el(decl, "p", f"Variant types (app/@type, rdg/@type): {types}.")
        _el(encoding, "variantEncoding", method="parallel-segmentation", location="internal")

    # ------------------------------------------------------------------ the text

    def body(self, div: etree._Element) -> None:
        paragraph: etree._Element | None = None
        block: int | None = None
        for number, segment in enumerate(self.collation.segments):
            if paragraph is None or segment.block != block:
                paragraph = _el(div, "p")
                block = segment.block
                self.break_line(paragraph, force=True)
            if segment.variant:
                self.variant(paragraph, number, segment)
            else:
                self.common(paragraph, segment.tokens)

    def break_line(self, parent: etree._Element, force: bool = False) -> None:
        if not force and self.used == 0:
            return
        self.line += 1
        self.used = 0
        _el(parent, "lb", n=str(self.line))

    def room(self, parent: etree._Element, length: int) -> None:
        if self.used and self.used + 1 + length > self.lines:
            self.break_line(parent)
        self.used += length + (1 if self.used else 0)

    def common(self, parent: etree._Element, tokens: tuple[Token, ...]) -> None:
        for token in tokens:
            self.room(parent, len(token.text))
            _append(parent, token.text + " ")

    def variant(self, parent: etree._Element, number: int, segment: Segment) -> None:
        """An ``app``; a lemma too long for the line is broken into lines inside ``lem``."""
        lemma = segment.lemma
        first = lemma[0].text if lemma else ""
        self.room(parent, len(first) if len(lemma) > 1 else len(" ".join(t.text for t in lemma)))
        app = _el(parent, "app", type=segment.type, loc=str(self.line))
        if segment.link >= 0:
            app.set(f"{{{XML_NS}}}id", f"{self.ident}.app{number}")
            app.set("corresp", f"#{self.ident}.app{segment.link}")
        for position, reading in enumerate(segment.readings):
            element = _el(app, "lem" if position == 0 else "rdg", wit=self.wit(reading))
            if reading.type:
                element.set("type", reading.type)
            if reading.copy_of is not None:
                element.set("copyOf", f"#{self.ident}.rdg{reading.copy_of[0]}")
                continue
            if segment.link >= 0 and reading.type == "transposition":
                element.set(f"{{{XML_NS}}}id", f"{self.ident}.rdg{number}")
            if reading.mark:
                _el(element, "witStart" if reading.mark == "start" else "witEnd")
            _words(element, reading.tokens, self.room if position == 0 else None)
        app.tail = " "


def _append(parent: etree._Element, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _words(
    parent: etree._Element,
    tokens: tuple[Token, ...],
    room: Callable[[etree._Element, int], None] | None = None,
) -> None:
    """A reading's words, handwritten ones in ``seg``, deleted ones in ``del``; ``room``
    breaks the lemma's lines (its first word has been given room already)."""
    holder: etree._Element | None = None
    kind = ""
    for position, token in enumerate(tokens):
        wanted = "gap" if token.gap else "hand" if token.hand else "del" if token.deleted else ""
        if wanted != kind or wanted == "gap":
            holder = None
        here = holder if holder is not None else parent
        if position:
            _append(here, " ")
            if room is not None:
                room(here, len(token.text))
        if token.gap:
            _el(parent, "gap")
            kind = "gap"
            continue
        if wanted != kind:
            if wanted == "hand":
                holder = _el(parent, "seg", type="handwriting")
            elif wanted == "del":
                holder = _el(parent, "del")
            kind = wanted
        _append(holder if holder is not None else parent, token.text)


def collation_tree(
    collation: Collation,
    listed: list[Listed],
    ident: str,
    lines: int,
    publication: Publication | None = None,
) -> bytes:
    """The collation as TEI, UTF-8 bytes with an XML declaration (no checksum yet); its
    publisher and licence those of the edition (``publication``; default: teitools, CC0)."""
    tree = _Writer(collation, listed, ident, lines, publication or Publication()).document()
    _tidy(tree)
    _indent_structure(tree)
    body: bytes = etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def _tidy(root: etree._Element) -> None:
    """No space before the end of a paragraph."""
    for paragraph in root.iter(f"{{{TEI_NS}}}p"):
        if len(paragraph):
            last = paragraph[-1]
            last.tail = (last.tail or "").rstrip() or None
        elif paragraph.text:
            paragraph.text = paragraph.text.rstrip()

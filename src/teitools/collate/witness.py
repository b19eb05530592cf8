"""A TEI letter as a witness: its facts (from the header) and its words (from ``<text>``).

The words are what collation compares: the source's own reading (``sic``, ``orig``,
``abbr``; a ``lem`` of an apparatus the document holds), in reading order, each with a
*key* that ignores what re-typing or OCR changes without changing the text: case,
punctuation, line breaks and line-end hyphens. A correction or regularisation the
document gives (``corr``, ``reg``, ``expan``) is kept beside the word as a second key.
Page furniture (``fw``), editorial notes, supplied text and OCR noise are not words of the
letter; a ``gap`` is a word that matches nothing; handwritten insertions (``add``,
``seg type="handwriting"``, marginal text) are marked, since OCR puts them anywhere in the
reading order.

Each word records where it stands in the tree (a text node and offsets, or the ``sic`` of
a ``choice``), so that a correction found by collation can be written back in place.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.errors import InputError
from teitools.fsio import read_bounded
from teitools.namespaces import NS, TEI_NS, XML_ID, XML_LANG

T = f"{{{TEI_NS}}}"
MAX_WITNESS_BYTES = 50_000_000

GAP_KEY = "\x00gap"  # the key of a gap: equal to no word, not even another gap
# not words of the letter: furniture, editorial matter, what the editor supplied
SKIPPED = {"teiHeader", "fw", "note", "figDesc", "supplied", "metamark", "witDetail", "rdg"}
NOISE_TYPES = {"noise"}
HAND_TYPES = {"handwriting", "handwritten", "hand"}  # seg/@type of handwritten insertions
ALTERNATES = {"corr", "reg", "expan"}  # the editor's side of a choice
# elements whose words make a paragraph of their own in the collation
BLOCKS = {"p", "ab", "head", "opener", "closer", "dateline", "salute", "signed", "postscript"}
BLOCKS |= {"address", "lg", "l", "item", "label", "byline", "docDate", "trailer"}
SOURCES = ("sic", "orig", "abbr")
_WORD = re.compile(r"\S+")
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
_INNER = re.compile(r"[^\w']")


def key_of(text: str) -> str:
    """What two readings of one word share: case-folded, without punctuation or hyphens.

    >>> key_of("Cuba’s,"), key_of("be-clouding"), key_of("S5-20")
    ("cuba's", 'beclouding', 's520')
    """
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return _INNER.sub("", _EDGE.sub("", folded)).replace("_", "")


@dataclass(frozen=True)
class Spot:
    """Where a word stands: ``text`` or ``tail`` of ``element`` from ``start`` to ``end``, or
    (``attr`` "sic") the whole ``sic`` of the ``choice`` ``element``."""

    element: etree._Element
    attr: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Token:
    text: str  # as the source has it
    key: str  # what is compared (see key_of); GAP_KEY for a gap
    alt: str = ""  # the key of the document's own correction or regularisation, if other
    hand: bool = False  # handwritten or added: its place in the reading order is uncertain
    deleted: bool = False
    spot: int = -1  # index into Witness.spots, if the word can be corrected in place
    block: int = 0  # the paragraph (or other block) it stands in, counted from 0

    @property
    def gap(self) -> bool:
        return self.key == GAP_KEY

    def forms(self) -> tuple[str, ...]:
        """The key, and the key of the document's own correction if it has one."""
        return (self.key, self.alt) if self.alt else (self.key,)


@dataclass
class Facts:
    """What the header says of a witness, as far as versions and their kinds need."""

    title: str = ""
    senders: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    when: str = ""  # ISO date, or the start of a range
    until: str = ""  # the end of a range ("" if exact)
    language: str = ""
    draft: str = ""  # the evidence that it is a draft ("" if none)
    translation: str = ""  # ... a translation
    signed: str = ""  # the signature as it stands ("/s/", "Ronald Reagan")


@dataclass(frozen=True)
class Profile:
    """What finding a letter's versions needs of a document, without its tree (so that it
    goes from a worker process to the one that groups the versions)."""

    facts: Facts
    keys: tuple[str, ...]  # the keys of its words, gaps left out


@dataclass
class Witness:
    """One TEI document read as a witness. ``tree`` is the live document: corrections and
    pointers are written into it."""

    path: Path
    tree: etree._ElementTree
    id: str  # the document's xml:id, or one made from the file name
    facts: Facts
    tokens: list[Token] = field(default_factory=list)
    spots: list[Spot] = field(default_factory=list)
    stripped: bool = False  # an earlier collation's additions were taken out

    @property
    def stem(self) -> str:
        return self.path.name[:-4] if self.path.name.endswith(".xml") else self.path.name

    @property
    def words(self) -> int:
        return sum(not t.gap for t in self.tokens)

    def profile(self) -> Profile:
        return Profile(self.facts, tuple(t.key for t in self.tokens if not t.gap))


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    return tag[len(T) :] if tag.startswith(T) else ""


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


class _Reader:
    """Walks ``<text>`` in reading order, collecting pieces of text and then words."""

    def __init__(self) -> None:
        self.chars: list[str] = []  # the reading, character by character pieces
        self.pieces: list[tuple[int, int, Spot | None, bool, bool]] = []
        self.breaks: list[int] = []  # offsets where a word must end (gap, choice bounds)
        self.alternates: dict[tuple[int, int], str] = {}  # (start, end) of a sic → corr
        self.gaps: list[int] = []
        self.blocks: list[int] = []  # offsets where a block begins
        self.length = 0

    def add(self, text: str | None, spot: Spot | None, hand: bool, deleted: bool) -> None:
        if not text:
            return
        self.pieces.append((self.length, self.length + len(text), spot, hand, deleted))
        self.chars.append(text)
        self.length += len(text)

    def space(self) -> None:
        self.chars.append(" ")
        self.length += 1

    def walk(self, element: etree._Element, hand: bool, deleted: bool) -> None:
        name = _local(element)
        kind = element.get("type", "")
        if not name or name in SKIPPED or (name in {"seg", "unclear"} and kind in NOISE_TYPES):
            return
        if name == "gap":
            self.space()
            self.blocks.append(self.length)
            self.gaps.append(self.length)
            self.space()
            self.blocks.append(self.length)
            return
        if name in {"lb", "pb", "cb", "milestone"}:
            if element.get("break") != "no":
                self.space()
            return
        hand = hand or name == "add" or (name == "seg" and kind in HAND_TYPES)
        hand = hand or (name == "ab" and kind == "marginal")
        deleted = deleted or name == "del"
        if name == "choice":
            self.choice(element, hand, deleted)
            return
        if name == "app":
            chosen = element.find("t:lem", NS)
            if chosen is None:
                chosen = element.find("t:rdg", NS)
            if chosen is not None:
                self.content(chosen, hand, deleted)
            return
        block = name in BLOCKS
        if block:
            self.space()
            self.blocks.append(self.length)
        self.content(element, hand, deleted)
        if block:
            self.space()
            self.blocks.append(self.length)

    def content(self, element: etree._Element, hand: bool, deleted: bool) -> None:
        self.add(element.text, Spot(element, "text"), hand, deleted)
        for child in element:
            self.walk(child, hand, deleted)
            self.add(child.tail, Spot(child, "tail"), hand, deleted)

    def choice(self, element: etree._Element, hand: bool, deleted: bool) -> None:
        source = next((c for c in element if _local(c) in SOURCES), None)
        alternate = next((c for c in element if _local(c) in ALTERNATES), None)
        if source is None:  # a choice of two editorial forms: read the first
            source = alternate if alternate is not None else next(iter(element), None)
            alternate = None
        if source is None:
            return
        start = self.length
        self.breaks.append(start)
        if len(source) == 0 and _local(source) == "sic":
            self.add(source.text, Spot(element, "sic"), hand, deleted)
        else:
            self.content(source, hand, deleted)
        self.breaks.append(self.length)
        if alternate is not None:
            self.alternates[(start, self.length)] = _text(alternate)

    def tokens(self) -> tuple[list[Token], list[Spot]]:
        text = "".join(self.chars)
        breaks = sorted(set(self.breaks))
        spans: list[tuple[int, int]] = []
        for match in _WORD.finditer(text):  # words also end where a choice begins or ends
            start, end = match.span()
            inner = breaks[bisect_left(breaks, start + 1) : bisect_left(breaks, end)]
            for point in [*inner, end]:
                if point > start:
                    spans.append((start, point))
                start = point
        tokens: list[Token] = []
        spots: list[Spot] = []
        gaps = iter(sorted(self.gaps))
        next_gap = next(gaps, None)
        starts = sorted(set(self.blocks))
        piece = 0
        for start, end in spans:
            while next_gap is not None and next_gap <= start:
                tokens.append(Token("[…]", GAP_KEY, block=bisect_left(starts, next_gap + 1)))
                next_gap = next(gaps, None)
            while piece < len(self.pieces) and self.pieces[piece][1] <= start:
                piece += 1
            word = text[start:end]
            key = key_of(word)
            if not key:
                continue  # punctuation alone: no word to compare
            first = self.pieces[piece] if piece < len(self.pieces) else None
            hand = bool(first and first[3])
            deleted = bool(first and first[4])
            spot_index = -1
            if first is not None and first[0] <= start and end <= first[1] and first[2]:
                spot = first[2]
                if spot.attr == "sic":
                    whole = (start, end) in self.alternates or text[first[0] : first[1]] == word
                    if whole:
                        spots.append(spot)
                        spot_index = len(spots) - 1
                else:
                    offset = start - first[0]
                    spots.append(Spot(spot.element, spot.attr, offset, offset + len(word)))
                    spot_index = len(spots) - 1
            alternate = key_of(self.alternates.get((start, end), ""))
            other = alternate if alternate != key else ""
            block = bisect_left(starts, start + 1)
            tokens.append(Token(word, key, other, hand, deleted, spot_index, block))
        for offset in [] if next_gap is None else [next_gap, *gaps]:
            tokens.append(Token("[…]", GAP_KEY, block=bisect_left(starts, offset + 1)))
        return tokens, spots


def read_tokens(root: etree._Element) -> tuple[list[Token], list[Spot]]:
    """The words of a TEI document's ``<text>``, and where the correctable ones stand."""
    reader = _Reader()
    text = root.find("t:text", NS)
    if text is not None:
        reader.content(text, False, False)
    return reader.tokens()


def read_facts(root: etree._Element) -> Facts:
    """The header's facts, from the places any TEI letter edition keeps them."""
    header = root.find("t:teiHeader", NS)
    facts = Facts()
    if header is None:
        return facts
    facts.title = _text(header.find("t:fileDesc/t:titleStmt/t:title", NS))
    corresp = header.find("t:profileDesc/t:correspDesc", NS)
    if corresp is not None:
        for action, attr in (("sent", "senders"), ("received", "addressees")):
            found = corresp.find(f"t:correspAction[@type='{action}']", NS)
            if found is None:
                continue
            names = [_party(e) for e in found if _local(e) in {"persName", "orgName", "name"}]
            setattr(facts, attr, tuple(n for n in names if n))
            date = found.find("t:date", NS) if action == "sent" else None
            if date is not None:
                facts.when = date.get("when") or date.get("notBefore") or date.get("from") or ""
                if not date.get("when"):
                    facts.until = date.get("notAfter") or date.get("to") or ""
    language = root.get(XML_LANG) or next(
        (e.get("ident", "") for e in header.iterfind(".//t:langUsage/t:language", NS)), ""
    )
    facts.language = str(language).split("-")[0].lower()  # "de-AT": German
    facts.draft = _status(root, header, "draft")
    facts.translation = _status(root, header, "translation")
    signed = root.find("t:text//t:closer/t:signed", NS)
    if signed is None:
        signed = root.find("t:text//t:signed", NS)
    facts.signed = _text(signed)
    return facts


def _party(element: etree._Element) -> str:
    """A correspondent as a key: the register or authority pointer, else the name."""
    for attr in ("sameAs", "ref", "key"):
        value = str(element.get(attr, "")).split()
        if value:
            return value[0]
    return _text(element).casefold()


def _status(root: etree._Element, header: etree._Element, kind: str) -> str:
    """The evidence (a quotation) that the document is a draft or a translation."""
    items = header.xpath(
        ".//t:adminInfo//t:item[@n=$kind] | .//t:adminInfo//t:note[@type=$kind]"
        " | .//t:msDesc//t:item[@n=$kind]",
        namespaces=NS,
        kind="status" if kind == "draft" else kind,
    )
    for item in items:
        text = _text(item)
        if kind == "translation" or text.casefold().startswith("draft"):
            return text
    if kind == "draft":
        marks = root.xpath(".//t:text//t:fw[@type='draftMark']", namespaces=NS)
        if marks:
            return f"marked {_text(marks[0])!r}"
        status = header.find("t:revisionDesc", NS)
        if status is not None and status.get("status") == "draft":
            return "revisionDesc status 'draft'"
    return ""


def document_id(root: etree._Element, path: Path) -> str:
    ident = root.get(XML_ID)
    if ident:
        return str(ident)
    stem = re.sub(r"[^\w.-]", "_", path.name.rsplit(".", 1)[0])
    return f"W{stem}"


def parse(path: Path) -> etree._ElementTree:
    """A TEI document, read safely; :class:`InputError` names the file if it cannot be."""
    data = read_bounded(path, MAX_WITNESS_BYTES, "a TEI document")
    try:
        root = etree.fromstring(data, safexml.parser())
    except etree.XMLSyntaxError as error:
        raise InputError(f"not well-formed: {error}", path) from None
    if root.tag != f"{T}TEI":
        raise InputError("not a TEI document (the root is not TEI)", path)
    return etree.ElementTree(root)


def read_witness(
    path: Path,
    tree: etree._ElementTree | None = None,
    prepare: Callable[[Witness], bool] | None = None,
) -> Witness:
    """The witness in ``path`` (already parsed: ``tree``); ``prepare`` changes the tree
    before its words are read (and says whether it did)."""
    tree = tree if tree is not None else parse(path)
    root = tree.getroot()
    witness = Witness(path, tree, document_id(root, path), read_facts(root))
    witness.stripped = prepare(witness) if prepare is not None else False
    witness.tokens, witness.spots = read_tokens(root)
    return witness

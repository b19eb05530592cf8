"""The letter model: the one representation every reader produces and every writer consumes.

A :class:`Letter` is metadata plus a list of blocks in source order. Blocks hold inline
content. Every piece of source text lives in exactly one inline node, so a writer that
emits every node keeps the transcription lossless.

Inline nodes (phrase level, TEI in brackets):

- :class:`Text` plain text
- :class:`LineBreak` a source line break (``lb``)
- :class:`Hyphenation` a word split at a line end (``choice/orig|reg`` or ``lb[@break='no']``)
- :class:`Correction` a suspected OCR error (``choice/sic|corr``)
- :class:`Foreign` text in another language or script (``foreign``)
- :class:`PageBreak` the start of a source page (``pb``)
- :class:`Furniture` running matter: stamps, headers, page numbers (``fw``)
- :class:`Marginal` stray handwriting or OCR noise (``add`` / ``seg`` with ``unclear``)
- :class:`Gap` text missing from the source (``gap`` with an editorial ``note``)
- :class:`Name` a person, place, organisation or named thing from the register
  (``persName``, ``placeName``, ``orgName``, ``name``)

PageBreak, Furniture, Marginal and Gap may also stand as blocks between paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teitools.dates import DateValue as DateValue  # a letter's date: see teitools.dates


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


@dataclass(frozen=True, slots=True)
class Hyphenation:
    """``before`` + hyphen + line break + ``after``; ``joined`` if the hyphen only splits."""

    before: str
    after: str
    joined: bool


@dataclass(frozen=True, slots=True)
class Correction:
    sic: str
    corr: str
    cert: str  # "high" | "medium" | "low"


@dataclass(frozen=True, slots=True)
class Foreign:
    text: str
    lang: str


@dataclass(frozen=True, slots=True)
class PageBreak:
    n: int | None = None


@dataclass(frozen=True, slots=True)
class Furniture:
    kind: str  # stamp, header, classification, pageNum, draftMark, caption, letterhead, ...
    content: tuple[Inline, ...]
    rend: str = ""  # layout as typed: align(right), align(center), indent


@dataclass(frozen=True, slots=True)
class Marginal:
    kind: str  # "addition" (a marginal word), "handwriting" (OCR'd hand), "noise"
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    reason: str  # "lost", "missing"
    unit: str | None
    note: str


@dataclass(frozen=True, slots=True)
class Name:
    kind: str  # person, place, org, name
    ref: str  # register id
    text: str
    subtype: str = ""  # for kind "name": treaty, weapon, programme, ...


@dataclass(frozen=True, slots=True)
class Transcribed:
    """A transcriber's mark as typed ("[illegible]", "[?]", "[word?]", "[word]", "[…]").

    ``kind`` is ``illegible`` or ``omitted`` (a ``gap``), ``doubtful`` (the word before is
    ``unclear``), ``conjecture`` (``unclear`` with low certainty), ``supplied``; ``word`` is
    the word read or supplied, ``before`` the doubtful word a "[?]" follows.
    """

    text: str
    kind: str
    word: str = ""


Inline = (
    Text
    | LineBreak
    | Hyphenation
    | Correction
    | Foreign
    | PageBreak
    | Furniture
    | Marginal
    | Gap
    | Name
    | Transcribed
)


@dataclass(slots=True)
class Paragraph:
    content: list[Inline]
    lang: str | None = None  # a passage in another language than the letter's


@dataclass(slots=True)
class Dateline:
    content: list[Inline]
    date: DateValue | None
    date_span: tuple[int, int] | None  # character span of the date inside the text
    rend: str = ""
    note: str = ""  # how the date was read, where it needed more than the text (a century)


@dataclass(slots=True)
class Salute:
    content: list[Inline]
    rend: str = ""


@dataclass(slots=True)
class Address:
    lines: list[list[Inline]]


@dataclass(slots=True)
class Signed:
    content: list[Inline]
    rend: str = ""


@dataclass(slots=True)
class Postscript:
    paragraphs: list[Paragraph]
    closer: list[Block] = field(default_factory=list)  # a dateline or signature after it


Block = (
    Paragraph
    | Dateline
    | Salute
    | Address
    | Signed
    | Postscript
    | PageBreak
    | Furniture
    | Marginal
    | Gap
)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a letter came from: the file, its checksum, and the letter's place in it."""

    name: str
    sha256: str
    encoding: str
    first_line: int
    last_line: int
    index: int = 1  # position of this letter in its file
    count: int = 1  # letters in the file


@dataclass(frozen=True, slots=True)
class Evidence:
    """A header value and how it was found: ``source`` says where, ``cert`` how sure."""

    value: str  # a register id, an ISO date, a name as written
    label: str  # what to print: "Ronald Reagan", "17 November 1981"
    source: str  # catalogue, signature, inside address, caption, salutation, register, ...
    cert: str = "high"  # high | medium | low
    note: str = ""  # the reasoning, in a sentence


@dataclass(slots=True)
class Metadata:
    """Facts the header states, each with its evidence. Nothing is guessed silently."""

    date: DateValue | None = None
    date_text: str | None = None
    date_evidence: Evidence | None = None
    sender: Evidence | None = None
    addressee: Evidence | None = None
    place_sent: Evidence | None = None
    place_received: Evidence | None = None
    replies_to: list[tuple[str, DateValue]] = field(default_factory=list)
    draft: bool = False
    draft_evidence: str = ""
    translation: bool = False
    original_language: str | None = None
    classification: list[str] = field(default_factory=list)  # normalised: SECRET
    marks: list[str] = field(default_factory=list)  # classification marks as found: SEGRET
    identifiers: list[str] = field(default_factory=list)  # archival and declassification numbers
    idno_types: dict[str, str] = field(default_factory=dict)  # identifier → @type, if not inferred
    archival: list[str] = field(default_factory=list)  # archival headers as found
    repository: Evidence | None = None
    collection: str | None = None
    box: str | None = None
    missing: list[str] = field(default_factory=list)  # fields nothing supported
    absence: dict[str, str] = field(default_factory=dict)  # why a field is missing
    language: str | None = None  # ISO 639-1 of the letter's text; None: undetermined
    language_evidence: str = ""
    warnings: list[str] = field(default_factory=list)  # facts not found, repairs made
    catalogue: str | None = None  # where catalogue values came from: "catalogue.csv, row 3"

    def idno_type(self, identifier: str) -> str:
        """The ``@type`` of an identifier: as a catalogue gave it ("" for none), else that of
        numbers read from archival stamps."""
        return self.idno_types.get(identifier, "declassification")


@dataclass(slots=True)
class Letter:
    """One letter: opener, body, closer and postscript blocks, in source order."""

    source: Source
    opener: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    closer: list[Block] = field(default_factory=list)
    postscript: list[Block] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    notes: list[str] = field(default_factory=list)  # editorial notes on the whole letter
    dropped: list[str] = field(default_factory=list)  # Markdown artifacts left out, as found

    def blocks(self) -> list[Block]:
        return [*self.opener, *self.body, *self.closer, *self.postscript]


def furniture_of(letter: Letter) -> list[tuple[str, str]]:
    """The page furniture of a letter in source order, as (type, text as read)."""
    found: list[tuple[str, str]] = []
    for block in letter.blocks():
        nodes = [block] if isinstance(block, Furniture) else getattr(block, "content", [])
        for node in nodes:
            if isinstance(node, Furniture):
                text = " ".join(n.text for n in node.content if isinstance(n, Text | Foreign))
                found.append((node.kind, text.strip()))
    return found

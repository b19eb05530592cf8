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

PageBreak, Furniture, Marginal and Gap may also stand as blocks between paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    kind: str  # stamp, header, classification, pageNum, draftMark, caption, ...
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Marginal:
    kind: str  # "addition" (a marginal word), "handwriting" (OCR'd hand), "noise"
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    reason: str  # "lost", "missing"
    unit: str | None
    note: str


Inline = (
    Text | LineBreak | Hyphenation | Correction | Foreign | PageBreak | Furniture | Marginal | Gap
)


@dataclass(slots=True)
class Paragraph:
    content: list[Inline]


@dataclass(frozen=True, slots=True)
class DateValue:
    """A normalised date: ``when`` (ISO 8601, partial allowed: ``1981``, ``--11-17``) or a range."""

    when: str | None = None
    not_before: str | None = None
    not_after: str | None = None


@dataclass(slots=True)
class Dateline:
    content: list[Inline]
    date: DateValue | None
    date_span: tuple[int, int] | None  # character span of the date inside the text


@dataclass(slots=True)
class Salute:
    content: list[Inline]


@dataclass(slots=True)
class Address:
    lines: list[list[Inline]]


@dataclass(slots=True)
class Signed:
    content: list[Inline]


@dataclass(slots=True)
class Postscript:
    paragraphs: list[Paragraph]


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


@dataclass(slots=True)
class Metadata:
    """Facts the header states. Readers fill what the text shows; nothing is guessed."""

    date: DateValue | None = None
    date_text: str | None = None
    draft: bool = False
    translation: bool = False
    classification: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    archival: list[str] = field(default_factory=list)


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

"""Classified blocks to letters: split a file into letters, place page breaks, build parts.

The passes, in order:

1. :func:`mark_signatures` – the short blocks right after a closing are its signature.
2. :func:`split_letters` – a salutation after a finished letter starts the next one
   (a sent copy followed by its draft); furniture and dateline above it go with it.
3. :func:`mark_page_breaks` – a page ends where two or more blank lines (or a form feed)
   stand, where a page number heads a page, and after a cluster of stamps and marks
   that interrupts the body (archives stamp the foot or head of each page).
4. :func:`build_letter` – opener, body (paragraphs rejoined across page breaks, with
   the furniture at the exact point of the break), closer, postscript; gaps where the
   text resumes mid-sentence or ends without a closing.
"""

from __future__ import annotations

import re

from teitools.model import (
    Address,
    Block,
    Dateline,
    Foreign,
    Furniture,
    Gap,
    Inline,
    Letter,
    LineBreak,
    Marginal,
    PageBreak,
    Paragraph,
    Postscript,
    Salute,
    Signed,
    Source,
    Text,
)
from teitools.reader.blocks import Block as RawBlock
from teitools.reader.blocks import Line
from teitools.reader.classify import _SENTENCE_END, words
from teitools.reader.dates import find_date
from teitools.reader.lexicon import Lexicon
from teitools.rules import Rules

# Furniture types that mark the head or foot of a page when they interrupt the body.
PAGE_MARKS = frozenset({"stamp", "archival", "header", "classification", "draftMark", "docket"})
FLOATING = frozenset({"furniture", "handwriting", "addition", "noise", "foreign-stamp", "pb"})
OPENER_KINDS = frozenset({"dateline", "salute", "address"})

MISSING_TEXT = (
    "The text resumes in mid-sentence here: a passage (probably a page) is missing from this copy."
)
TRUNCATED = "The copy ends here without a closing or signature: the rest of the letter is missing."
NO_SIGNATURE = "No signature follows the closing in this copy."


def mark_signatures(blocks: list[RawBlock], rules: Rules) -> None:
    """After each closing, up to two short blocks ("/s/", "Ronald Reagan", "RR") are signatures."""
    for i, block in enumerate(blocks):
        if block.kind != "closing":
            continue
        for follower in blocks[i + 1 : i + 3]:
            text = follower.text
            always = any(p.match(text) for p in rules.signatures)
            short = len(text.split()) <= rules.max_signature_words and len(follower.lines) <= 2
            if follower.kind in {"text", "handwriting", "noise"} and (always or short):
                if _SENTENCE_END.search(text) and not always and not re.search(r"\b[A-Z]\.$", text):
                    break
                follower.kind = "signed"
            else:
                break


def split_letters(blocks: list[RawBlock]) -> list[list[RawBlock]]:
    """Split at each salutation that follows a closing; leading furniture goes with it."""
    starts = [0]
    closed = False
    for i, block in enumerate(blocks):
        if block.kind == "closing":
            closed = True
        elif block.kind == "salute" and closed:
            start = i
            while start - 1 > starts[-1] and blocks[start - 1].kind in {"furniture", "dateline"}:
                start -= 1
            starts.append(start)
            closed = False
    return [blocks[a:b] for a, b in zip(starts, [*starts[1:], len(blocks)], strict=True)]


def _pb(number_hint: RawBlock | None = None) -> RawBlock:
    marker = RawBlock([Line(number_hint.first_line if number_hint else 0, "")])
    marker.kind = "pb"
    return marker


def mark_page_breaks(blocks: list[RawBlock]) -> list[RawBlock]:
    """Insert ``pb`` pseudo-blocks where pages end (see module docstring)."""
    text_positions = [i for i, b in enumerate(blocks) if b.kind == "text"]
    body_start = text_positions[0] if text_positions else len(blocks)
    body_end = text_positions[-1] if text_positions else -1
    breaks: set[int] = set()  # a page starts before blocks[i]
    for i, block in enumerate(blocks):
        if i and (block.gap >= 2 or block.form_feed):
            breaks.add(i)
    i = body_start
    while i <= body_end:
        if blocks[i].kind == "text":
            i += 1
            continue
        j = i
        while j <= body_end and blocks[j].kind != "text":
            j += 1
        run = range(i, j)
        page_numbers = [k for k in run if blocks[k].subtype == "pageNum"]
        marks = [k for k in run if blocks[k].subtype in PAGE_MARKS or blocks[k].kind == "address"]
        already = any(k in breaks for k in range(i, j + 1))
        if page_numbers:
            breaks -= set(range(i, j + 1))
            breaks.add(page_numbers[0])
        elif marks and not already:
            breaks.add(marks[-1] + 1)
        i = j
    result: list[RawBlock] = [_pb()]
    for i, block in enumerate(blocks):
        if i in breaks:
            result.append(_pb(block))
        result.append(block)
    return result


def _number_pages(blocks: list[RawBlock]) -> dict[int, int]:
    """Page numbers for each pb pseudo-block (by id), taken from a page number block if any."""
    numbers: dict[int, int] = {}
    page = 0
    for i, block in enumerate(blocks):
        if block.kind != "pb":
            continue
        page += 1
        follower = blocks[i + 1] if i + 1 < len(blocks) else None
        if follower is not None and follower.subtype == "pageNum":
            digits = re.search(r"\d+", follower.text)
            if digits and int(digits.group()) >= page:
                page = int(digits.group())
        numbers[id(block)] = page
    return numbers


def line_inlines(lines: list[Line], script_lang: str | None = None) -> list[Inline]:
    """The lines of a block as inline content: text with line breaks between."""
    content: list[Inline] = []
    for k, line in enumerate(lines):
        if k:
            content.append(LineBreak())
        text = line.text.strip()
        content.append(Foreign(text, script_lang) if script_lang else Text(text))
    return content


def float_node(block: RawBlock, page_numbers: dict[int, int]) -> Inline:
    """A block that floats between paragraphs (or inside one, at a page break)."""
    if block.kind == "pb":
        return PageBreak(page_numbers[id(block)])
    if block.kind == "foreign-stamp":
        return Furniture("stamp", tuple(line_inlines(block.lines, block.subtype)))
    if block.kind == "furniture":
        return Furniture(block.subtype, tuple(line_inlines(block.lines)))
    kind = {"addition": "addition", "noise": "noise"}.get(block.kind, "handwriting")
    return Marginal(kind, tuple(line_inlines(block.lines)))


def continues(previous: str, following: str) -> bool:
    """Does ``following`` continue the sentence ``previous`` broke off?"""
    prev, nxt = previous.rstrip(), following.lstrip()
    if not prev or not nxt or _SENTENCE_END.search(prev):
        return False
    if nxt[0].islower() or prev[-1] in ",;-–—(":
        return True
    last_line = prev.rsplit("\n", 1)[-1]
    return prev[-1].isalnum() and len(words(last_line)) >= 6


def _starts_mid_sentence(text: str, lexicon: Lexicon) -> bool:
    first = words(text[:40])
    return bool(first) and text.lstrip()[:1].islower() and lexicon.is_word(first[0])


class _Body:
    """Accumulates paragraphs and the floats between them."""

    def __init__(self, lexicon: Lexicon):
        self.blocks: list[Block] = []
        self.pending: list[RawBlock] = []
        self.last_text = ""
        self.lexicon = lexicon

    def add_text(self, block: RawBlock, page_numbers: dict[int, int]) -> None:
        current = self.blocks[-1] if self.blocks else None
        joinable = all(b.kind != "address" for b in self.pending)
        page_break = any(b.kind == "pb" for b in self.pending)
        wrapped_line = "\n" not in self.last_text and len(self.last_text) <= 80
        if (
            isinstance(current, Paragraph)
            and joinable
            and (
                continues(self.last_text, block.text)
                or (wrapped_line and not page_break and block.text[:1].islower())
            )
        ):
            for floating in self.pending:
                current.content.append(float_node(floating, page_numbers))
            current.content.append(LineBreak())
            current.content.extend(line_inlines(block.lines))
        else:
            self.flush(page_numbers)
            previous_ended = not self.last_text or _SENTENCE_END.search(self.last_text.rstrip())
            if previous_ended and _starts_mid_sentence(block.text, self.lexicon):
                self.blocks.append(Gap("lost", None, MISSING_TEXT))
            self.blocks.append(Paragraph(line_inlines(block.lines)))
        self.pending = []
        self.last_text = "\n".join(line.text for line in block.lines)

    def flush(self, page_numbers: dict[int, int]) -> None:
        for floating in self.pending:
            self.blocks.append(_block_of(floating, page_numbers))
        self.pending = []


def _block_of(block: RawBlock, page_numbers: dict[int, int], rules: Rules | None = None) -> Block:
    if block.kind == "address":
        return Address([line_inlines([line]) for line in block.lines])
    if block.kind == "foreign":
        return Paragraph(line_inlines(block.lines, block.subtype))
    node = float_node(block, page_numbers)
    assert isinstance(node, PageBreak | Furniture | Marginal)
    return node


def _dateline(block: RawBlock, rules: Rules) -> Dateline:
    text = " ".join(line.text.strip() for line in block.lines)
    found = find_date(text, rules)
    return Dateline(
        line_inlines(block.lines),
        found[0] if found else None,
        found[1] if found and len(block.lines) == 1 else None,
    )


def build_letter(blocks: list[RawBlock], source: Source, rules: Rules, lexicon: Lexicon) -> Letter:
    """Assemble one letter's blocks (with pb pseudo-blocks) into the letter model."""
    letter = Letter(source=source)
    numbers = _number_pages(blocks)
    kinds = [b.kind for b in blocks]
    first_text = kinds.index("text") if "text" in kinds else len(blocks)
    opener_end = 0
    for i in range(first_text):
        if kinds[i] in OPENER_KINDS:
            opener_end = i + 1
    closing = kinds.index("closing", opener_end) if "closing" in kinds[opener_end:] else None
    if closing is None and opener_end == 0 and first_text == len(blocks):
        opener_end = len(blocks)

    for block in blocks[:opener_end]:
        letter.opener.append(_opener_block(block, numbers, rules))

    body = _Body(lexicon)
    for block in blocks[opener_end : closing if closing is not None else len(blocks)]:
        if block.kind == "text":
            body.add_text(block, numbers)
        elif block.kind in FLOATING or block.kind == "address":
            body.pending.append(block)
        else:  # a stray formula (a second dateline, a salutation) inside the body
            body.flush(numbers)
            body.blocks.append(_opener_block(block, numbers, rules))
    if closing is None:
        trailing = body.pending
        body.pending = []
        body.blocks.append(Gap("lost", None, TRUNCATED))
        body.pending = trailing
    body.flush(numbers)
    letter.body = body.blocks

    if closing is not None:
        _build_closer(letter, blocks[closing:], numbers, rules)
    return letter


def _opener_block(block: RawBlock, numbers: dict[int, int], rules: Rules) -> Block:
    if block.kind == "dateline":
        return _dateline(block, rules)
    if block.kind == "salute":
        return Salute(line_inlines(block.lines))
    if block.kind == "text":
        return Marginal("handwriting", tuple(line_inlines(block.lines)))
    return _block_of(block, numbers)


def _build_closer(
    letter: Letter, blocks: list[RawBlock], numbers: dict[int, int], rules: Rules
) -> None:
    signed = False
    postscript: list[Paragraph] = []
    for block in blocks:
        if postscript or (block.kind == "text" and rules.postscript.match(block.text)):
            postscript.append(Paragraph(line_inlines(block.lines)))
        elif block.kind == "closing":
            letter.closer.append(Salute(line_inlines(block.lines)))
        elif block.kind == "signed":
            letter.closer.append(Signed(line_inlines(block.lines)))
            signed = True
        elif block.kind == "foreign":
            letter.closer.append(
                Marginal("foreign", tuple(line_inlines(block.lines, block.subtype)))
            )
        elif block.kind in {"text", "dateline", "salute", "address"}:
            letter.closer.append(Marginal("handwriting", tuple(line_inlines(block.lines))))
        else:
            letter.closer.append(_block_of(block, numbers))
    if not signed:
        position = next(
            (k + 1 for k, b in enumerate(letter.closer) if isinstance(b, Salute)),
            len(letter.closer),
        )
        letter.closer.insert(position, Gap("missing", None, NO_SIGNATURE))
    if postscript:
        letter.postscript.append(Postscript(postscript))


__all__ = ["build_letter", "mark_page_breaks", "mark_signatures", "split_letters"]

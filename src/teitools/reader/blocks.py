"""Text to blocks: lines grouped by blank lines, with OCR-to-Markdown artifacts removed.

Markdown artifacts are markup noise an OCR-to-Markdown step added, not text of the letter:
a heading marker at the start of a line ("## SECRET") and emphasis asterisks or
underscores wrapped around a whole block ("*NSC: ... Box. 40*"). They are dropped and
listed, so the TEI can declare them in ``editorialDecl``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})[ \t]+")
_WRAP = "*_"


@dataclass
class Line:
    number: int  # 1-based line number in the source file
    text: str
    offset: int = 0  # characters dropped from the start of the source line


@dataclass
class Block:
    """Consecutive non-blank lines; ``gap`` counts the blank lines before it."""

    lines: list[Line]
    gap: int = 0
    form_feed: bool = False  # a form feed (page break) stood in the blank lines before it
    kind: str = "text"  # set by classify
    subtype: str = ""  # furniture type, script language, ...

    @property
    def text(self) -> str:
        return " ".join([line.text.strip() for line in self.lines])

    @property
    def first_line(self) -> int:
        return self.lines[0].number

    @property
    def last_line(self) -> int:
        return self.lines[-1].number


@dataclass
class Blocks:
    blocks: list[Block]
    dropped: list[str] = field(default_factory=list)  # "line N, col C: '##'" per artifact


def split_blocks(text: str) -> Blocks:
    """Split text into blocks at blank lines, dropping Markdown artifacts."""
    result = Blocks([])
    current: list[Line] = []
    gap, form_feed = 0, False
    for number, raw in enumerate(text.split("\n"), start=1):
        feed = "\f" in raw  # a form feed ends a page; XML cannot hold the character itself
        raw = raw.replace("\f", " ")
        if not raw.strip():
            if current:
                result.blocks.append(Block(current, gap, form_feed))
                current, gap, form_feed = [], 0, False
            gap += 1
            form_feed = form_feed or feed
            continue
        form_feed = form_feed or (feed and not current)
        heading = _HEADING.match(raw)
        if heading:
            result.dropped.append(f"line {number}, col 1: {heading.group(1)!r}")
            current.append(Line(number, raw[heading.end() :].rstrip(), heading.end()))
        else:
            current.append(Line(number, raw.rstrip()))
    if current:
        result.blocks.append(Block(current, gap, form_feed))
    result.blocks = [piece for block in result.blocks for piece in _indented(block)]
    for block in result.blocks:
        _unwrap_emphasis(block, result.dropped)
    return result


INDENT = 3  # spaces that indent a typed paragraph's first line
ALIGNED = 8  # spaces before a centred or right-aligned line


def _indent(line: Line) -> int:
    return len(line.text) - len(line.text.lstrip())


def _indented(block: Block) -> list[Block]:
    """A block whose lines run on with no blank line between parts (as OCR often gives
    them) is split where the indentation shows a new part: a paragraph's indented first
    line, a centred or right-aligned line, a line back at the margin after one."""
    pieces = [Block([block.lines[0]], block.gap, block.form_feed)]
    for previous, line in zip(block.lines, block.lines[1:], strict=False):
        before, now = _indent(previous), _indent(line)
        if (now >= INDENT and now > before) or (before >= ALIGNED and now < before):
            pieces.append(Block([line]))
        else:
            pieces[-1].lines.append(line)
    return pieces


def _unwrap_emphasis(block: Block, dropped: list[str]) -> None:
    first, last = block.lines[0], block.lines[-1]
    head, tail = first.text.lstrip(), last.text.rstrip()
    if len(head) < 2 or len(tail) < 2:
        return
    mark = head[0]
    if mark not in _WRAP or tail[-1] != mark or head[1].isspace() or tail[-2].isspace():
        return
    if first is last and len(head) < 3:
        return
    indent = len(first.text) - len(head)
    opening = first.offset + indent + 1
    closing = last.offset + len(last.text)
    last.text = last.text[:-1]
    first.text = first.text[:indent] + first.text[indent + 1 :]
    first.offset += 1 if first is not last else 0
    dropped.append(f"line {first.number}, col {opening}: {mark!r}")
    dropped.append(f"line {last.number}, col {closing}: {mark!r}")

"""Plain-text reader: raw OCR'd letter text → :class:`teitools.model.Letter` objects.

The passes run in this order, each in its own module:
``blocks`` (lines, Markdown artifacts) → ``classify`` (furniture, formulas) →
``segment`` (signatures, letters in a file, page breaks, parts) → ``dehyphenate`` →
``ocr`` (suspected OCR errors) → ``metadata`` (what the text says about the letter).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from teitools.model import Address, Correction, Inline, Letter, Paragraph, Postscript, Source
from teitools.reader.blocks import split_blocks
from teitools.reader.classify import classify
from teitools.reader.dehyphenate import dehyphenate
from teitools.reader.entities import NameFinder, finder_for, tag_names
from teitools.reader.lexicon import Lexicon, lexicon_for
from teitools.reader.metadata import infer_metadata, share_dates
from teitools.reader.ocr import TOKEN, correct, corrections_for
from teitools.reader.segment import build_letter, mark_page_breaks, mark_signatures, split_letters
from teitools.registers import Registers, default_registers
from teitools.rules import Rules

NO_STRUCTURE = (
    "No letter structure (dateline, salutation or closing) was recognised in this text; "
    "it is encoded as paragraphs and furniture only."
)


def read_letters(
    text: str,
    name: str,
    sha256: str,
    encoding: str,
    rules: Rules,
    registers: Registers | None = None,
) -> list[Letter]:
    """Read every letter in one source text (usually one; a sent copy and its draft: two)."""
    parsed = split_blocks(text)
    blocks = classify(parsed.blocks, rules)
    mark_signatures(blocks, rules)
    groups = split_letters(blocks)
    lexicon = lexicon_for("en", rules.terms)
    registers = registers or default_registers()
    finder = finder_for(registers)
    tokens = set(TOKEN.findall(text))
    vocabulary = {token.lower() for token in tokens}
    fixes = corrections_for(tokens, vocabulary, lexicon, rules)
    dropped = _by_line(parsed.dropped)
    letters = []
    for index, group in enumerate(groups, start=1):
        first, last = group[0].first_line, group[-1].last_line
        source = Source(name, sha256, encoding, first, last, index, len(groups))
        letter = build_letter(mark_page_breaks(group), source, rules, lexicon)
        _refine_text(letter, vocabulary, lexicon, rules, finder, fixes)
        letter.metadata = infer_metadata(letter, registers, rules, finder)
        letter.dropped = dropped(first, last)
        if not any(b.kind in {"salute", "closing", "dateline"} for b in group):
            letter.notes.append(NO_STRUCTURE)
        letters.append(letter)
    share_dates(letters)
    return letters


def _line_of(artifact: str) -> int:
    match = re.match(r"line (\d+)", artifact)  # "line N, col C: '*'"
    return int(match.group(1)) if match else 0


def _by_line(artifacts: list[str]) -> Callable[[int, int], list[str]]:
    """The artifacts on lines ``first`` to ``last``, in their order: found by bisection, so
    that a file of thousands of letters is not searched once for each (that was quadratic)."""
    order = sorted(range(len(artifacts)), key=lambda k: _line_of(artifacts[k]))
    lines = [_line_of(artifacts[k]) for k in order]

    def between(first: int, last: int) -> list[str]:
        found = order[bisect_left(lines, first) : bisect_right(lines, last)]
        return [artifacts[k] for k in sorted(found)]

    return between


def _refine_text(
    letter: Letter,
    vocabulary: set[str],
    lexicon: Lexicon,
    rules: Rules,
    finder: NameFinder,
    fixes: dict[str, Correction],
) -> None:
    def refine(content: list[Inline]) -> list[Inline]:
        joined = dehyphenate(content, vocabulary, lexicon, rules)
        return tag_names(correct(joined, fixes), finder)

    for block in letter.body:
        if isinstance(block, Paragraph):
            block.content = refine(block.content)
    for block in letter.blocks():
        if isinstance(block, Address):
            block.lines = [tag_names(line, finder) for line in block.lines]
    for block in letter.postscript:
        if isinstance(block, Postscript):
            for paragraph in block.paragraphs:
                paragraph.content = refine(paragraph.content)

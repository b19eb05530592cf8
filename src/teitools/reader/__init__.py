"""Plain-text reader: raw OCR'd letter text → :class:`teitools.model.Letter` objects.

The passes run in this order, each in its own module:
``blocks`` (lines, Markdown artifacts) → ``classify`` (furniture, formulas) →
``segment`` (signatures, letters in a file, page breaks, parts) → ``dehyphenate`` →
``ocr`` (suspected OCR errors) → ``metadata`` (what the text says about the letter) →
``versions`` (what versions of a letter in one file show of each other).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from teitools.model import (
    Address,
    Correction,
    Dateline,
    Inline,
    Letter,
    Paragraph,
    Postscript,
    Source,
    Text,
)
from teitools.reader.blocks import split_blocks
from teitools.reader.classify import classify
from teitools.reader.dates import century_of, find_date_detail, years_in
from teitools.reader.dehyphenate import dehyphenate
from teitools.reader.entities import NameFinder, finder_for, tag_names
from teitools.reader.language import MARGIN, common_words, detect
from teitools.reader.lexicon import LEXICONS, Lexicon, lexicon_for
from teitools.reader.metadata import infer_metadata, plain, share_dates, warnings_for
from teitools.reader.ocr import TOKEN, correct, corrections_for
from teitools.reader.segment import (
    Resumes,
    build_letter,
    mark_closings,
    mark_opener,
    mark_page_breaks,
    mark_signatures,
    split_letters,
)
from teitools.reader.transcription import transcribed
from teitools.reader.versions import lost_passages
from teitools.registers import Registers, no_registers
from teitools.rules import Rules

SAMPLE = 4000  # characters of a letter its language is told from
NO_STRUCTURE = (
    "No letter structure (dateline, salutation or closing) was recognised in this text; "
    "it is encoded as paragraphs and furniture only."
)


def load(rules: Rules) -> None:
    """Load what reading letters needs before any is read (the language model, the word list
    of the rules' default language): done once before workers are forked, they share it."""
    detect("")  # loads its model
    lexicon_for(_lexicon_language(rules.default_language), rules.terms)


def _lexicon_language(language: str) -> str:
    return language if language in LEXICONS else "en"


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
    groups = split_letters(blocks)
    registers = registers if registers is not None else no_registers()
    finder = finder_for(registers)
    tokens = set(TOKEN.findall(text))
    vocabulary = {token.lower() for token in tokens}
    dropped = _by_line(parsed.dropped)
    letters = []
    resumes: list[list[Resumes]] = []  # paragraphs that begin in mid-sentence, per letter
    fixes_by_language: dict[str, dict[str, Correction]] = {}
    for index, group in enumerate(groups, start=1):
        mark_opener(group, rules)
        mark_closings(group, rules)
        mark_signatures(group, rules)
        first, last = group[0].first_line, group[-1].last_line
        source = Source(name, sha256, encoding, first, last, index, len(groups))
        prose = "\n".join(b.text for b in group if b.kind in {"text", "salute", "closing"})
        guess = detect(prose[:SAMPLE])  # a few hundred words tell the language
        language = guess.language or rules.default_language
        lexicon = lexicon_for(_lexicon_language(language), rules.terms)
        if language not in fixes_by_language:  # decided once per file and language
            fixes_by_language[language] = corrections_for(tokens, vocabulary, lexicon, rules)
        fixes = fixes_by_language[language]
        letter, resumed = build_letter(mark_page_breaks(group), source, rules, lexicon)
        resumes.append(resumed)
        _read_centuries(letter, "\n".join(b.text for b in group), rules)
        _refine_text(letter, vocabulary, lexicon, rules, finder, fixes)
        _mark_passages(letter, guess.language)
        letter.metadata = infer_metadata(letter, registers, rules, finder)
        letter.metadata.language = guess.language
        letter.metadata.language_evidence = (
            f"{guess.hits} common words of the language, ahead by {guess.lead:.0f} (log-likelihood)"
            if guess.language
            else f"undetermined: {guess.hits} common words of any one language"
        )
        letter.dropped = dropped(first, last)
        if not any(b.kind in {"salute", "closing", "dateline", "signed"} for b in group):
            letter.notes.append(NO_STRUCTURE)
        letters.append(letter)
    lost_passages(letters, resumes)
    share_dates(letters)
    for letter in letters:
        letter.metadata.warnings = warnings_for(letter)
    return letters


def _read_centuries(letter: Letter, text: str, rules: Rules) -> None:
    """Read two-digit years in the datelines in the century the letter's own years show."""
    for block in letter.blocks():
        if not isinstance(block, Dateline) or block.date is None:
            continue
        dateline = plain(block.content)
        first = find_date_detail(dateline, rules, slips=True)
        if first is None or first[2] is None:
            continue
        others = years_in(text.replace(dateline, " "), rules)
        base, why = century_of(others, rules, int(first[2]))
        found = find_date_detail(dateline, rules, base, slips=True)
        if found is None or found[2] is None:
            continue
        block.date = found[0]
        block.note = f"the two-digit year {found[2]!r} is read in the {base}s: {why}"


def _mark_passages(letter: Letter, language: str | None) -> None:
    """Paragraphs clearly in another language than the letter's are marked as such."""
    if language is None:
        return
    own = common_words(language)
    for block in letter.body:
        if isinstance(block, Paragraph) and block.lang is None:
            tokens = " ".join(n.text for n in block.content if isinstance(n, Text)).split()
            sample = [t.strip(".,;:!?") for t in map(str.lower, tokens[:40])]
            if len(sample) < 8 or sum(map(own.__contains__, sample)) >= len(sample) / 4:
                continue  # a quarter of its words are the letter language's commonest
            guess = detect(plain(block.content))
            if guess.language and guess.language != language and guess.lead >= 2 * MARGIN:
                block.lang = guess.language


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
        return tag_names(transcribed(correct(joined, fixes), rules), finder)

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

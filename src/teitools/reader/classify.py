"""Classify blocks: furniture, dateline, salutation, closing, address, stray hand, text.

Each block gets a ``kind`` (and a ``subtype`` where one applies). Lines inside a text
block that are letter formulas on their own (a salutation, a closing) are split out
first, so "Dear Mr. President:" typed right above the first paragraph is still found.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from teitools.reader.blocks import Block, Line
from teitools.reader.dates import find_date
from teitools.rules import Rules

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_DOCKET = re.compile(r"^[\d/.\-#]+$")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")


def script_of(text: str) -> str:
    """The script most letters of ``text`` are written in ("Latin", "Cyrillic", ...)."""
    if text.isascii():
        return "Latin"
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            script = name.split(" ", 1)[0] if name else "UNKNOWN"
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "Latin"
    return max(sorted(counts), key=lambda s: counts[s]).capitalize()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def match_mark(text: str, rules: Rules) -> str | None:
    """The mark type (classification, draftMark) of a block like "SEGRET" or "10/22/99. SECRET"."""
    found = closest_mark(text, rules)
    return found[0] if found else None


@lru_cache(maxsize=4096)  # the same stamps and marks recur on every page of a corpus
def closest_mark(text: str, rules: Rules) -> tuple[str, str] | None:
    """The mark type and the mark a damaged block stands for: "SEGRET" → classification, SECRET."""
    if len(text) > 60:  # marks are a word or two, with a docket number at most
        return None
    tokens = [t.strip("+*#.,:;!|()[]") for t in text.split()]
    tokens = [t for t in tokens if t and not _DOCKET.match(t)]
    if not tokens or not all(t.isupper() for t in tokens) or len(tokens) > 3:
        return None
    phrase = " ".join(tokens)
    best, best_kind, best_mark = 0.0, "", ""
    for kind, marks in sorted(rules.marks.items()):
        for mark in marks:
            if 2 * min(len(phrase), len(mark)) < rules.mark_similarity * (len(phrase) + len(mark)):
                continue  # too different in length to reach the threshold
            ratio = difflib.SequenceMatcher(None, phrase, mark).ratio()
            if ratio > best:
                best, best_kind, best_mark = ratio, kind, mark
    return (best_kind, best_mark) if best >= rules.mark_similarity else None


def furniture_type(text: str, rules: Rules) -> str | None:
    for rule in rules.furniture:
        if rule.pattern.search(text):
            return rule.kind
    return match_mark(text, rules)


def is_salutation(line: str, rules: Rules) -> bool:
    return any(p.match(line.strip()) for p in rules.salutations)


def is_closing(line: str, rules: Rules) -> bool:
    return any(p.match(line.strip()) for p in rules.closings)


def is_dateline(text: str, rules: Rules) -> bool:
    """A short block that is mostly a date ("September 20 , 1988", "Moscow, March 24, 1985")."""
    if len(text) > 60 or (_SENTENCE_END.search(text.rstrip()) and not text.rstrip().endswith(".")):
        return False
    found = find_date(text, rules)
    if found is None:
        return False
    start, end = found[1]
    rest = text[:start] + " " + text[end:]
    return len(words(rest)) <= 4 and not any(w.lower() in _PROSE for w in words(rest))


_PROSE = frozenset(
    [
        "of",
        "the",
        "your",
        "my",
        "our",
        "his",
        "her",
        "their",
        "letter",
        "since",
        "on",
        "in",
        "at",
        "from",
        "to",
    ]
)


def _split_formula_lines(block: Block, rules: Rules) -> list[Block]:
    """Split salutation and closing lines that share a block with other text."""
    if len(block.lines) < 2:
        return [block]
    pieces: list[Block] = []
    current: list[Line] = []
    for line in block.lines:
        if is_salutation(line.text, rules) or is_closing(line.text, rules):
            if current:
                pieces.append(Block(current))
            pieces.append(Block([line]))
            current = []
        else:
            current.append(line)
    if current:
        pieces.append(Block(current))
    pieces[0].gap, pieces[0].form_feed = block.gap, block.form_feed
    return pieces


def classify(blocks: list[Block], rules: Rules) -> list[Block]:
    """Return the blocks (some split) with ``kind`` and ``subtype`` set."""
    result: list[Block] = []
    for original in blocks:
        for block in _split_formula_lines(original, rules):
            _classify_one(block, rules)
            result.append(block)
    _mark_stray_lines(result)
    return result


def _classify_one(block: Block, rules: Rules) -> None:
    text = block.text
    script = script_of(text)
    if script != "Latin" and script in rules.scripts:
        block.subtype = rules.scripts[script]
        single_caps = len(text.split()) == 1 and text.isupper()
        block.kind = "foreign-stamp" if single_caps else "foreign"
        return
    if len(block.lines) == 1 and is_salutation(text, rules):
        block.kind = "salute"
    elif len(block.lines) == 1 and is_closing(text, rules):
        block.kind = "closing"
    elif any(p.match(block.lines[0].text.strip()) for p in rules.address_openers):
        block.kind = "address"
    elif len(block.lines) <= 2 and is_dateline(text, rules):
        block.kind = "dateline"
    elif len(text) <= rules.max_furniture_length and (kind := furniture_type(text, rules)):
        block.kind, block.subtype = "furniture", kind
    elif len(text) < 12 and sum(c.isalnum() for c in text) < 2:
        block.kind = "noise"
    elif len(block.lines) == 1 and re.match(r"^[-–]\s*[a-z]+(?:\s+[a-z]+){0,2}$", text):
        block.kind = "addition"
    elif (
        len(block.lines) <= 2
        and len(text) < 120
        and len(words(text)) <= 10
        and upper_ratio(text) >= 0.6
    ):
        block.kind = "handwriting"


def _mark_stray_lines(blocks: list[Block]) -> None:
    """A short unpunctuated line standing among furniture is OCR'd handwriting, not text."""
    for i, block in enumerate(blocks):
        if block.kind != "text" or len(block.lines) != 1:
            continue
        text = block.text
        if len(words(text)) > 8 or _SENTENCE_END.search(text) or text[-1:] in ",;:":
            continue
        before = blocks[i - 1].kind if i else None
        after = blocks[i + 1].kind if i + 1 < len(blocks) else None
        if before == "furniture" and after == "furniture":
            block.kind = "handwriting"

"""Names from the registers: find them in text and tag them in the body.

Every ``forms`` entry of a register is a way a name is written. Matching is case-sensitive,
on word boundaries, longest form first ("Eduard A. Shevardnadze" before "Shevardnadze").

Namesakes are decided by context. A place form that is part of a longer proper name is not
the place: "George Washington", "Washington Post", "Mr. Washington". A person form
preceded by a place preposition ("in Washington") is not the person either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from teitools.model import Inline, Name, Text
from teitools.registers import Entry, Registers

TITLES = frozenset(
    "Mr Mrs Ms Miss Dr President General Senator Secretary Ambassador Minister Governor "
    "Admiral Colonel Professor Sir Lady Lord Saint St".split()
)
PLACE_PREPOSITIONS = frozenset("in at to from near via into across".split())
# Capitalised at the start of a sentence, but never part of a name.
FUNCTION_WORDS = PLACE_PREPOSITIONS | frozenset(
    "the a an and but or for of on with by since as both our your my his her their this that "
    "these those we you i it there here when while if after before during".split()
)


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int
    end: int
    text: str


class NameFinder:
    """A compiled matcher over all register forms."""

    def __init__(self, registers: Registers):
        forms: dict[str, Entry] = {}
        for entry in registers.entries.values():
            for form in entry.forms:
                forms.setdefault(form, entry)
        self._forms = forms
        alternatives = sorted(forms, key=len, reverse=True)
        body = "|".join(re.escape(f) for f in alternatives) or r"(?!x)x"
        initials = re.escape("".join(sorted({f[0] for f in forms}))) or "^\\W\\w"
        # the look-ahead on first letters lets the engine skip most positions at once
        self._pattern = re.compile(rf"(?=[{initials}])\b(?:{body})(?![\w]|-\w)")

    def find(self, text: str) -> list[Match]:
        """Register names in ``text``, longest form first, namesakes excluded."""
        found = []
        for hit in self._pattern.finditer(text):
            start, end = hit.span()
            if start and text[start - 1] in ".-":  # "U.S.-Soviet", "Soviet-US"
                continue
            entry = self._forms[hit.group()]
            if not _is_namesake(entry, text, start, end):
                found.append(Match(entry, start, end, hit.group()))
        return found

    def persons(self, text: str) -> list[Entry]:
        return [m.entry for m in self.find(text) if m.entry.kind == "person"]


def _word_before(text: str, start: int) -> str:
    match = re.search(r"([\w.]+)\s*$", text[max(0, start - 60) : start])
    return match.group(1).rstrip(".") if match else ""


def _word_after(text: str, end: int) -> str:
    match = re.match(r"\s([\w]+)", text[end:])
    return match.group(1) if match else ""


def _is_namesake(entry: Entry, text: str, start: int, end: int) -> bool:
    before, after = _word_before(text, start), _word_after(text, end)
    before_is_name = bool(before) and before[0].isupper() and before.lower() not in FUNCTION_WORDS
    sentence_start = not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?:;\"'"
    if entry.kind == "place":
        if before in TITLES:
            return True
        part_of_longer_name = (before_is_name and not sentence_start) or (
            bool(after) and after[0].isupper() and after not in {"I"}
        )
        return part_of_longer_name
    if entry.kind == "person":
        return before.lower() in PLACE_PREPOSITIONS and " " not in entry.forms[-1]
    return False


@cache
def finder_for(registers: Registers) -> NameFinder:
    return NameFinder(registers)


def tag_names(content: list[Inline], finder: NameFinder) -> list[Inline]:
    """Split text nodes around register names and mark each as a :class:`Name`."""
    result: list[Inline] = []
    for node in content:
        if not isinstance(node, Text):
            result.append(node)
            continue
        last = 0
        for match in finder.find(node.text):
            if match.start > last:
                result.append(Text(node.text[last : match.start]))
            result.append(Name(match.entry.kind, match.entry.id, match.text, match.entry.subtype))
            last = match.end
        if last < len(node.text) or not node.text:
            result.append(Text(node.text[last:]))
    return result

"""Witnesses correct each other: where one reads an OCR-damaged word and another has the
word at the aligned place, the damaged witness gets a correction citing the other.

Only pairs of words whose difference is OCR damage (:meth:`Words.kind` is ``ocr``, and
:meth:`Words.damaged` tells which of the two is damaged) are corrected, never a wording or
spelling difference, and only where the words around the pair are aligned too (inside a
rewritten passage two like words are no evidence). Certainty is ``high`` when the damaged
reading is no word, the other reading is one and the pair's neighbours on both sides read
alike; otherwise ``medium``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teitools.collate.apparatus import Collation
from teitools.collate.witness import Token
from teitools.collate.words import Words

_CORE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


@dataclass(frozen=True)
class Correction:
    witness: int  # the damaged witness (index into the collation's witnesses)
    token: int  # its damaged word
    text: str  # the correction, with the damaged word's own punctuation
    source: int  # the witness whose reading it is
    cert: str  # high or medium


def corrected_form(damaged: str, good: str) -> str:
    """``good``'s word with ``damaged``'s punctuation around it ("offsire." → "affairs.")."""
    head, _, tail = _CORE.match(damaged).groups()  # type: ignore[union-attr]
    core = _CORE.match(good).group(2)  # type: ignore[union-attr]
    return f"{head}{core}{tail}"


def propose(collation: Collation, words: Words) -> list[Correction]:
    """Corrections of OCR damage, in each damaged witness from another witness."""
    base = collation.witnesses[0].tokens
    found: dict[tuple[int, int], Correction] = {}
    for k in range(1, len(collation.witnesses)):
        other = collation.witnesses[k].tokens
        alignment = collation.alignments[k]
        paired = dict(alignment.pairs)
        for i, j in alignment.pairs:
            x, y = base[i], other[j]
            if words.kind(x, y) != "ocr" or not _in_context(i, j, paired, base, other):
                continue
            damaged = words.damaged(x, y)
            if damaged is None:
                continue
            if damaged is y:
                target, token, source, good = k, j, 0, x
            else:
                target, token, source, good = 0, i, k, y
            if (target, token) in found:
                continue  # the first witness that has the word is cited
            cert = _certainty(damaged, good, i, j, paired, base, other, words)
            text = corrected_form(damaged.text, good.text)
            found[(target, token)] = Correction(target, token, text, source, cert)
    return [found[key] for key in sorted(found)]


def _in_context(i: int, j: int, paired: dict[int, int], a: list[Token], b: list[Token]) -> bool:
    """The pair has an aligned neighbour that reads alike, before or after it."""
    return any(
        paired.get(i + step) == j + step and a[i + step].key == b[j + step].key
        for step in (-1, 1)
        if 0 <= i + step < len(a) and 0 <= j + step < len(b)
    )


def _certainty(
    damaged: Token,
    good: Token,
    i: int,
    j: int,
    paired: dict[int, int],
    a: list[Token],
    b: list[Token],
    words: Words,
) -> str:
    both_sides = all(
        paired.get(i + step) == j + step and a[i + step].key == b[j + step].key
        for step in (-1, 1)
        if 0 <= i + step < len(a) and 0 <= j + step < len(b)
    )
    clear = not words.is_word(damaged.key) and words.is_word(good.key)
    agrees = bool(damaged.alt) and damaged.alt == good.key  # the converter guessed so too
    likeness = words.similarity(damaged.key, good.key)
    return "high" if both_sides and clear and (likeness >= 0.7 or agrees) else "medium"

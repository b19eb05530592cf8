"""Suspected OCR errors, conservatively: ``cn`` → ``on``, ``S5-20`` → ``SS-20``.

A token is corrected only when all of these hold:

- it is not a word (nor a domain term) and not an acronym or a short capitalised word
  (a name; a German noun of six letters or more may be corrected);
- replacing one OCR confusion (rules: ``ocr.confusions``; for tokens with digits, up to
  four replacements of one pair), or dropping one spurious character (rules:
  ``ocr.spurious``; "alsoc", "geoals"), turns it into a word or term, with a single
  best candidate at least ten times as frequent as any other;
- the context agrees: the candidate is a common word (for tokens of six letters or more,
  a less common one), or the letter uses it elsewhere.

Certainty is ``high`` when the letter uses the corrected word elsewhere, else ``medium``.
The source reading is always kept (``sic``).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from teitools.model import Correction, Inline, Text
from teitools.reader.lexicon import Lexicon
from teitools.rules import Rules

TOKEN = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
_POSSESSIVE = re.compile(r"['’]s$")
COMMON = 1e-5  # relative frequency of a word that needs no support from the letter


MAX_TOKEN = 40  # longer is no word to correct: a run of digits, a line of OCR noise
MAX_PLACES = 6  # confusions made together at up to four of at most this many places


def _candidates(token: str, rules: Rules) -> set[str]:
    """Tokens one confusion pair (or, with a digit, up to four of them) makes of ``token``.

    Bounded: a token of 300 zeros had C(300, 4) candidates, and a fuzzed letter took
    14 GB; long tokens have none, and many places allow one confusion at a time.
    """
    found: set[str] = set()
    if len(token) > MAX_TOKEN:
        return found
    has_digit = any(c.isdigit() for c in token)
    for wrong, right in rules.confusions:
        if wrong not in token:
            continue  # (most pairs: no candidate, and no search)
        positions = [m.start() for m in re.finditer(re.escape(wrong), token)]
        several = has_digit and len(positions) <= MAX_PLACES
        sizes = range(1, min(len(positions), 4) + 1) if several else (1,)
        for size in sizes:
            for chosen in itertools.combinations(positions, size):
                pieces, last = [], 0
                for start in chosen:
                    pieces += [token[last:start], right]
                    last = start + len(wrong)
                found.add("".join(pieces) + token[last:])
    if not has_digit and len(token) >= 4 and token.islower():  # a character too many
        found.update(
            token[:k] + token[k + 1 :] for k in range(len(token)) if token[k] in rules.spurious
        )
    found.discard(token)
    return found


@lru_cache(maxsize=65536)
def _best_candidate(token: str, lexicon: Lexicon, rules: Rules) -> tuple[float, str] | None:
    """The one clearly best word an OCR confusion makes of ``token`` (with its frequency)."""
    stem = _POSSESSIVE.sub("", token)
    if len(stem) < 2 or lexicon.is_word(stem):
        return None
    has_digit = any(c.isdigit() for c in token)
    if not has_digit and (token.isupper() or (token[0].isupper() and len(token) < 6)):
        return None  # an acronym, a short name: too risky to touch (German nouns are long)
    frequency = lexicon.frequency  # (a word: a frequency above 0, as Lexicon.is_word)
    scored = sorted(
        ((f, c) for c in _candidates(token, rules) if (f := frequency(c)) > 0.0), reverse=True
    )
    scored = [(f, c) for f, c in scored if f >= rules.min_frequency]
    if not scored or (len(scored) > 1 and scored[0][0] < 10 * scored[1][0]):
        return None
    return scored[0]


def suggest(token: str, vocabulary: set[str], lexicon: Lexicon, rules: Rules) -> Correction | None:
    """The correction for ``token``, or None if it is a word or nothing is sure enough."""
    if lexicon.is_word(token):
        return None
    found = _best_candidate(token, lexicon, rules)
    if found is None:
        return None
    frequency, candidate = found
    in_letter = candidate.lower() in vocabulary
    if not in_letter and frequency < (COMMON if len(token) < 6 else COMMON / 10):
        return None  # a long non-word with one clear repair needs less support
    return Correction(token, candidate, "high" if in_letter else "medium")


def corrections_for(
    tokens: set[str], vocabulary: set[str], lexicon: Lexicon, rules: Rules
) -> dict[str, Correction]:
    """The corrections for the distinct ``tokens`` of a text, decided once per token."""
    fixes = {}
    frequency = lexicon.frequency
    for token in sorted(tokens):
        if frequency(token) > 0.0:
            continue  # a word (most tokens): nothing to suggest
        fix = suggest(token, vocabulary, lexicon, rules)
        if fix is not None:
            fixes[token] = fix
    return fixes


def correct(content: list[Inline], fixes: dict[str, Correction]) -> list[Inline]:
    """Split text nodes around the tokens in ``fixes`` and mark each as a :class:`Correction`."""
    if not fixes:
        return content
    result: list[Inline] = []
    for node in content:
        if not isinstance(node, Text) or not any(token in node.text for token in fixes):
            result.append(node)
            continue
        last = 0
        for match in TOKEN.finditer(node.text):
            fix = fixes.get(match.group())
            if fix is None:
                continue
            if match.start() > last:
                result.append(Text(node.text[last : match.start()]))
            result.append(fix)
            last = match.end()
        if last < len(node.text) or not node.text:
            result.append(Text(node.text[last:]))
    return result

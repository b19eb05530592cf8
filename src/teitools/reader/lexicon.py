"""The word list behind hyphenation and OCR decisions: two frequency lists per language.

pyspellchecker's lists (modern spelling, well curated) and wordfreq's large lists (built
from books, news, subtitles and the web, so they know older and regional spellings a letter
of 1840 or 1910 has: "daß", "Theil", "nothwendige", "to-day"). A token is a word if either
list has it; its frequency is the larger of the two. A word joined by a hyphen or an
elision ("peut-être", "l'assurance", "self-evident") is a word if each part is one.
"""

from __future__ import annotations

import re
from functools import cache

from spellchecker import SpellChecker
from wordfreq import available_languages, get_frequency_dict

_PARTS = re.compile(r"[-'’]")
MEMO_LIMIT = 100_000  # tokens remembered per lexicon; a worker's batch may be any size


class Lexicon:
    """Known words with relative frequencies, plus the domain terms from the rules."""

    def __init__(self, language: str = "en", terms: frozenset[str] = frozenset()):
        frequency = SpellChecker(language=language, distance=1).word_frequency
        self._counts = frequency.dictionary
        self._total = max(frequency.total_words, 1)
        large = available_languages(wordlist="large")
        self._shares: dict[str, float] = (
            get_frequency_dict(language, wordlist="large") if language in large else {}
        )
        self.terms = terms
        self._memo: dict[str, float] = {}  # the same tokens recur in every letter

    def _known(self, token: str) -> float:
        counted = int(self._counts.get(token.lower(), 0)) / self._total
        if len(token) < 3 or not token.isalpha():
            return counted  # short tokens and numbers: the web's abbreviations ("cn") are no help
        return max(counted, self._shares.get(token.casefold(), 0.0))

    def is_word(self, token: str) -> bool:
        return self.frequency(token) > 0.0

    def frequency(self, token: str) -> float:
        """Relative frequency of ``token`` in running text (0.0 if unknown)."""
        found = self._memo.get(token)
        if found is None:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()  # OCR noise makes new tokens without end: stay bounded
            found = self._memo[token] = self._frequency(token)
        return found

    def _frequency(self, token: str) -> float:
        if token in self.terms:
            return 1e-5
        found = self._known(token)
        if found or not _PARTS.search(token):
            return found
        parts = _PARTS.split(token)
        if len(parts) < 2 or not all(p.isalpha() for p in parts):
            return 0.0
        # an elided article or pronoun ("l'", "d'", "qu'") is a word of its own
        elided = [len(p) <= 2 and token[len(p)] in "'’" for p in parts[:1]] + [False] * len(parts)
        shares = [1.0 if elided[k] else self._known(p) for k, p in enumerate(parts)]
        return min(shares)


@cache
def lexicon_for(language: str, terms: frozenset[str]) -> Lexicon:
    return Lexicon(language, terms)


# Languages pyspellchecker has word lists for (the reader falls back to English otherwise).
LEXICONS = frozenset({"en", "de", "fr", "es", "it", "nl", "pt", "ru", "ar", "eu", "lv", "fa"})

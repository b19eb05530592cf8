"""The word list behind hyphenation and OCR decisions (pyspellchecker's frequency lists)."""

from __future__ import annotations

from functools import cache

from spellchecker import SpellChecker


class Lexicon:
    """Known words with relative frequencies, plus the domain terms from the rules."""

    def __init__(self, language: str = "en", terms: frozenset[str] = frozenset()):
        self._checker = SpellChecker(language=language, distance=1)
        frequency = self._checker.word_frequency
        self._counts = frequency.dictionary
        self._total = max(frequency.total_words, 1)
        self.terms = terms

    def is_word(self, token: str) -> bool:
        return token in self.terms or token.lower() in self._counts

    def frequency(self, token: str) -> float:
        """Relative frequency of ``token`` in running text (0.0 if unknown)."""
        if token in self.terms:
            return 1e-5
        return int(self._counts.get(token.lower(), 0)) / self._total


@cache
def lexicon_for(language: str, terms: frozenset[str]) -> Lexicon:
    return Lexicon(language, terms)


# Languages pyspellchecker has word lists for (the reader falls back to English otherwise).
LEXICONS = frozenset({"en", "de", "fr", "es", "it", "nl", "pt", "ru", "ar", "eu", "lv", "fa"})

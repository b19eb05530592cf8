"""Which language a letter (or a passage of it) is written in, from its most common words.

A naive Bayes classifier over the most frequent words of each language
(``data/common-words.yaml``, made from pyspellchecker's frequency lists by
``scripts/common_words.py``): each word of the text adds the log of its frequency in each
language (a small floor for words not among the most frequent), and the best language wins
if it is clearly ahead. It needs no model download, loads in milliseconds, tells en/de/fr
apart on a sentence or two of OCR'd text, and says "undetermined" rather than guess on a
text with too few common words. ``bench/language_bench.py`` compares it with other
detectors.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import yaml

from teitools.resources import DATA

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
FLOOR = math.log(2e-5)  # a word not among a language's most frequent words
MARGIN = 3.0  # log-likelihood lead the best language needs over the next
MIN_HITS = 2  # common words a text needs before its language is decided


@dataclass(frozen=True)
class Guess:
    language: str | None  # ISO 639-1, or None: undetermined
    hits: int  # common words the decision rests on
    lead: float  # log-likelihood lead over the next language


@cache
def _model() -> dict[str, dict[str, float]]:
    text = (DATA / "common-words.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml
    return {
        language: {str(word): math.log(share) for word, share in words.items()}
        for language, words in data.items()
    }


@cache
def _vectors(languages: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    """For each common word, its log frequency in each of ``languages`` (FLOOR if none)."""
    model = _model()
    words = {word for language in languages for word in model[language]}
    return {word: tuple(model[lang].get(word, FLOOR) for lang in languages) for word in words}


def detect(text: str, candidates: tuple[str, ...] = ()) -> Guess:
    """The language of ``text``, among ``candidates`` (all known languages if empty)."""
    model = _model()
    languages = tuple(sorted(lang for lang in (candidates or tuple(model)) if lang in model))
    if not languages:
        return Guess(None, 0, 0.0)
    vectors = _vectors(languages)
    # (the apostrophes made alike before the words are found: _WORD takes either)
    counts = Counter(map(str.lower, _WORD.findall(text.replace("’", "'"))))
    scores = [0.0] * len(languages)
    hits = [0] * len(languages)
    for token, count in counts.items():
        vector = vectors.get(token)
        if vector is None:
            continue  # in no language's list: the same floor for all
        for k, value in enumerate(vector):
            scores[k] += count * value
            if value != FLOOR:
                hits[k] += count
    ranked = sorted(range(len(languages)), key=lambda k: (-scores[k], languages[k]))
    best = ranked[0]
    lead = scores[best] - scores[ranked[1]] if len(ranked) > 1 else math.inf
    if hits[best] < MIN_HITS or lead < MARGIN:
        return Guess(None, hits[best], lead)
    return Guess(languages[best], hits[best], lead)


@cache
def _function_words(rank: int = 60) -> frozenset[str]:
    model = _model()
    return frozenset(
        word
        for words in model.values()
        for word, _ in sorted(words.items(), key=lambda kv: -kv[1])[:rank]
    )


def is_function_word(word: str) -> bool:
    """One of the most frequent words of a language ("the", "und", "de"): a sentence that
    stops on one has been broken off."""
    return word.lower() in _function_words()


@cache
def common_words(language: str) -> frozenset[str]:
    """The most frequent words of ``language`` (empty if it is not known)."""
    return frozenset(_model().get(language, {}))

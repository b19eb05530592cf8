"""The word list behind hyphenation and OCR decisions."""

from __future__ import annotations

import pytest

from teitools.reader import lexicon
from teitools.reader.lexicon import lexicon_for


def test_old_spellings_and_hyphenated_words_are_words() -> None:
    german = lexicon_for("de", frozenset())
    assert german.is_word("nothwendige")
    english = lexicon_for("en", frozenset())
    assert english.is_word("self-evident")
    assert not english.is_word("cbstacle")


def test_a_lexicon_remembers_a_bounded_number_of_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon, "MEMO_LIMIT", 50)
    words = lexicon.Lexicon("en")
    first = words.frequency("letter")
    for n in range(500):  # OCR noise: tokens never seen before, without end
        words.frequency(f"qx{n}z")
    assert len(words._memo) <= 50
    assert words.frequency("letter") == first > 0.0

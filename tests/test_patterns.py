"""The screens of rule patterns: one search that rules a text out where no pattern finds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from teitools import patterns
from teitools.patterns import Screen, compile_pattern
from teitools.rules import default_rules

LETTERS = Path(__file__).resolve().parents[1] / "letters"


def texts() -> list[str]:
    """Every line and every paragraph of the bundled letters, and lines made to match."""
    found = ["", "SECRET", "Secret", "- 2 -", "Seite 3", "Dear Mr. President:", "Lieber Hans,"]
    found += ["17 November 1981", "14th September, 1943.", "24/I 93", "8. X. 96. Wien."]
    found += ["RECEIVED SEP -2 1913", "Registry No. 1148/28", "Archives nationales, 83 AP 340"]
    for letter in sorted(LETTERS.glob("*.txt")):
        text = letter.read_text(encoding="utf-8")
        found += [line.strip() for line in text.splitlines()]
        found += [" ".join(block.split()) for block in text.split("\n\n")]
    return found


def test_a_screen_of_the_bundled_rules_answers_as_its_patterns_do() -> None:
    rules = default_rules()
    lists = {
        "furniture": [rule.pattern for rule in rules.furniture],
        "salutations": list(rules.salutations),
        "closings": list(rules.closings),
        "address_openers": list(rules.address_openers),
        "date_patterns": list(rules.date_patterns),
    }
    for name, found in lists.items():
        screen = Screen(found)
        for text in texts():
            assert screen.search(text) == any(p.search(text) for p in found), (name, text)
            assert screen.match(text) == any(p.match(text) for p in found), (name, text)
    assert not Screen(lists["furniture"]).search("Dear Mr. President, thank you for the letter")


def pattern(source: str) -> patterns.Pattern:
    return compile_pattern(source, "test", "test", probe=False)


def test_leading_flags_hold_for_their_own_pattern_only() -> None:
    screen = Screen([pattern("(?i)^secret$"), pattern("^DRAFT$")])
    assert screen.match("Secret") and screen.match("DRAFT")
    assert not screen.match("Draft") and not screen.search("a secret")


@pytest.mark.parametrize(
    "source",
    [r"^(a)\1$", r"^a(?i)b$", "(?x) ab # c", r"(?<name>x)y", r"(a)?(?(1)b|c)"],
)
def test_a_pattern_that_may_mean_otherwise_in_an_alternation_lets_every_text_through(
    source: str,
) -> None:
    screen = Screen([pattern("^DRAFT$"), pattern(source)])
    assert screen.search("nothing either pattern finds") and screen.match("zzz")


def test_a_screen_that_runs_over_its_deadline_lets_the_patterns_decide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(patterns, "TIMEOUT_BASE", 0.05)
    screen = Screen([pattern(r"^(?:a|b|ab)*c$")])
    assert screen.search("ab" * 40 + "xc")  # backtracks: the pattern alone ran over too

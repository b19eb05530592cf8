"""Find and normalise dates in text, by the patterns in the rules (partial dates allowed).

A two-digit year ("24/I 93") is read in a century: the one the caller gives (from
four-digit years the letter names elsewhere), else the rules' ``two_digit_century``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from functools import cache, lru_cache

from teitools.model import DateValue
from teitools.patterns import Match, Screen
from teitools.rules import Rules


def century_of(years: Iterable[int], rules: Rules, short: int | None = None) -> tuple[int, str]:
    """The century (1800, 1900 ...) a two-digit year ``short`` is read in, and why.

    Of the years the letter names elsewhere, the earliest counts (stamps of receipt,
    registry and archive come after the letter): the year is read as the one nearest to it.
    """
    found = sorted(years)
    if found:
        earliest = found[0]
        base = earliest // 100 * 100
        if short is not None:
            base = min((base - 100, base, base + 100), key=lambda c: (abs(c + short - earliest), c))
        return base, f"the letter names the year {earliest}"
    base = rules.two_digit_century
    if short is not None and short <= rules.two_digit_pivot:
        base += 100
    return base, (
        f"the configured reading (rules: two_digit_century {rules.two_digit_century}, "
        f"two_digit_pivot {rules.two_digit_pivot})"
    )


def years_in(text: str, rules: Rules) -> list[int]:
    """The four-digit years of the dates ``text`` names ("14. MRZ 1921", "March 3, 1890"); a
    number alone is no year ("1500 copies", "1708 Arch Street")."""
    found: list[int] = []
    for pattern in rules.date_patterns:
        for match in pattern.finditer(text):
            year = match.groupdict().get("year")
            if year and _normalise(match, rules, rules.two_digit_century):
                found.append(int(year))
    return found


def _normalise(match: Match, rules: Rules, century: int) -> str | None:
    groups = match.groupdict()
    year_text = groups.get("year") or groups.get("yy")
    year = int(year_text) if year_text else None
    if year is not None and year_text and len(year_text) == 2:
        year += century
    if groups.get("yyy"):
        year = 1000 + int(groups["yyy"])
    if groups.get("month"):
        month = rules.months.get(groups["month"].lower().rstrip("."))
    elif groups.get("roman"):
        month = rules.roman.get(groups["roman"])
    elif groups.get("mon"):
        month = int(groups["mon"])
    else:
        month = None
    day = int(groups["day"]) if groups.get("day") else None
    if month is None or not 1 <= month <= 12:
        return None
    if day is not None:
        longest = calendar.monthrange(year or 2000, month)[1]  # 2000: Feb 29 may exist
        if not 1 <= day <= longest:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}" if year else None


def _one_apart(word: str, name: str) -> bool:
    """One letter inserted, dropped, changed or two swapped: "Octobbre" for "octobre"."""
    if abs(len(word) - len(name)) > 1 or word == name:
        return False
    if len(word) == len(name):
        diff = [k for k in range(len(word)) if word[k] != name[k]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and word[diff[0]] == name[diff[1]]
            and word[diff[1]] == name[diff[0]]
        )
    short, long = sorted((word, name), key=len)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


_LETTERS = re.compile(r"[^\W\d_]{5,}")


@cache
def _long_months(rules: Rules) -> dict[int, tuple[str, ...]]:
    """The month names of five letters or more, by length."""
    by_length: dict[int, list[str]] = {}
    for name in sorted(rules.months):
        if len(name) >= 5:
            by_length.setdefault(len(name), []).append(name)
    return {size: tuple(names) for size, names in by_length.items()}


def _month_slip(text: str, rules: Rules) -> tuple[str, int, int] | None:
    """``text`` with the first word one letter away from a month name spelled as that month,
    where the word stood, and how much longer the text became."""
    names = _long_months(rules)
    for match in _LETTERS.finditer(text):
        word = match.group().lower()
        if word in rules.months:
            continue
        sizes = (len(word) - 1, len(word), len(word) + 1)
        near = (m for size in sizes for m in names.get(size, ()))
        name = next((m for m in near if _one_apart(word, m)), None)
        if name is not None:
            repaired = text[: match.start()] + name + text[match.end() :]
            return repaired, match.start(), len(name) - len(word)
    return None


@lru_cache(maxsize=4096)  # the passes ask again of the same lines and blocks
def find_date_detail(
    text: str, rules: Rules, century: int | None = None, slips: bool = False
) -> tuple[DateValue, tuple[int, int], str | None] | None:
    """The first date in ``text``: value, character span, and the two-digit year if one.
    With ``slips`` (a dateline), a month name misspelt by one letter is read too."""
    found = _first_date(text, rules, century)
    dated = found is None and slips and any(c.isdigit() for c in text)
    slip = _month_slip(text, rules) if dated else None
    if slip is None:
        return found
    repaired, where, delta = slip
    found = _first_date(repaired, rules, century)
    if found is None:
        return None
    start, end = found[1]
    span = (start if start <= where else start - delta, end - delta if end > where else end)
    return found[0], span, found[2]


def _first_date(
    text: str, rules: Rules, century: int | None
) -> tuple[DateValue, tuple[int, int], str | None] | None:
    if not _screen(rules).search(text):
        return None  # no pattern finds anything
    base = rules.two_digit_century if century is None else century
    for pattern in rules.date_patterns:
        for match in pattern.finditer(text):
            when = _normalise(match, rules, base)
            if when is not None:
                groups = match.groupdict()
                short = groups.get("yy") or groups.get("year")
                return (
                    DateValue(when=when),
                    match.span(),
                    short if short and len(short) == 2 else None,
                )
    return None


@cache
def _screen(rules: Rules) -> Screen:
    return Screen(rules.date_patterns)


def find_date(
    text: str, rules: Rules, century: int | None = None, slips: bool = False
) -> tuple[DateValue, tuple[int, int]] | None:
    """The first date the patterns find in ``text``: its value and character span."""
    found = find_date_detail(text, rules, century, slips)
    return (found[0], found[1]) if found else None

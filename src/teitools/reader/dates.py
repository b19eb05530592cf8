"""Find and normalise dates in text, by the patterns in the rules (partial dates allowed).

A two-digit year ("24/I 93") is read in a century: the one the caller gives (from
four-digit years the letter names elsewhere), else the rules' ``two_digit_century``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable

from teitools.model import DateValue
from teitools.patterns import Match
from teitools.rules import Rules

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d{2}|20\d{2})(?!\d)")


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


def years_in(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(text)]


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


def find_date_detail(
    text: str, rules: Rules, century: int | None = None
) -> tuple[DateValue, tuple[int, int], str | None] | None:
    """The first date in ``text``: value, character span, and the two-digit year if one."""
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


def find_date(
    text: str, rules: Rules, century: int | None = None
) -> tuple[DateValue, tuple[int, int]] | None:
    """The first date the patterns find in ``text``: its value and character span."""
    found = find_date_detail(text, rules, century)
    return (found[0], found[1]) if found else None

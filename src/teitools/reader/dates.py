"""Find and normalise dates in text, by the patterns in the rules (partial dates allowed)."""

from __future__ import annotations

import calendar

from teitools.model import DateValue
from teitools.patterns import Match
from teitools.rules import Rules


def _normalise(match: Match, rules: Rules) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if groups.get("month"):
        month = rules.months.get(groups["month"].lower().rstrip("."))
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


def find_date(text: str, rules: Rules) -> tuple[DateValue, tuple[int, int]] | None:
    """The first date the patterns find in ``text``: its value and character span."""
    for pattern in rules.date_patterns:
        for match in pattern.finditer(text):
            when = _normalise(match, rules)
            if when is not None:
                return DateValue(when=when), match.span()
    return None

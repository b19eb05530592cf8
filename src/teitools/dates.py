"""Dates as TEI holds them: one home for reading, checking, labelling and writing them.

A TEI date attribute (``@when``, ``@notBefore``, ``@notAfter``) holds an ISO 8601 date of
any precision: ``1985``, ``1985-03``, ``1985-03-24``, or ``--03-24`` when the year is not
known. :class:`IsoDate` is one such date, checked against the calendar (``1985-02-30``
and ``1985-13-01`` are refused, ``1984-02-29`` is not); :class:`DateValue` is what a
letter carries: a date, or the range it lies in.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

MONTHS = (
    "January February March April May June July August September October November December"
).split()
FORMS = "YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD"

_ISO = re.compile(r"(?:(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?|--(\d{2})-(\d{2}))", re.ASCII)


class DateError(ValueError):
    """Text that is not an ISO date, or names a day the calendar does not have."""


@dataclass(frozen=True, slots=True)
class IsoDate:
    """An ISO date of any precision: a year, a month of a year, a day; or a day of a month
    in a year not known."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> IsoDate:
        """The date ``text`` writes; :class:`DateError` says why it is none."""
        match = _ISO.fullmatch(text)
        if match is None:
            raise DateError(f"{text!r} is not an ISO date ({FORMS})")
        year_text, month_text, day_text, bare_month, bare_day = match.groups()
        year = int(year_text) if year_text else None
        month = int(month_text or bare_month) if (month_text or bare_month) else None
        day = int(day_text or bare_day) if (day_text or bare_day) else None
        if year == 0:
            raise DateError(f"{text!r}: there is no year 0")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"{text!r}: there is no month {month}")
        if month is not None and day is not None:
            # a day of a month with no year: as in a leap year, so --02-29 is a date
            last = calendar.monthrange(year or 2000, month)[1]
            if not 1 <= day <= last:
                raise DateError(f"{text!r}: {MONTHS[month - 1]} has no day {day}")
        return cls(year, month, day)

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        parts = [f"{self.year:04d}", *(f"{n:02d}" for n in (self.month, self.day) if n)]
        return "-".join(parts)

    def label(self) -> str:
        """For people: "17 November 1981", "November 1981", "17 November (year not stated)"."""
        parts = [str(self.day or ""), MONTHS[self.month - 1] if self.month else ""]
        text = " ".join(p for p in [*parts, str(self.year or "")] if p)
        return text if self.year else f"{text} (year not stated)"

    def first_day(self) -> datetime.date | None:
        """The first day the date stands for (None if its year is not known)."""
        if self.year is None:
            return None
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> datetime.date | None:
        """The last day the date stands for (None if its year is not known)."""
        if self.year is None:
            return None
        month = self.month or 12
        return datetime.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


_TIME = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?", re.ASCII)


def calendar_date(value: str) -> str | None:
    """``value`` as an ISO date of the calendar (the date of a date and time, as TEI allows
    in ``@when``), or None if it names none (``1985-13-01``, ``1985-02-30``, ``around 1985``)."""
    day, _, time = value.partition("T")
    if time and not _TIME.fullmatch("T" + time):
        return None
    try:
        return str(IsoDate.parse(day))
    except DateError:
        return None


def label(text: str) -> str:
    """The label of the ISO date ``text``, or ``text`` as it is if it is no date."""
    try:
        return IsoDate.parse(text).label()
    except DateError:
        return text


@dataclass(frozen=True, slots=True)
class DateValue:
    """What a letter's date is: ``when`` (an ISO date of any precision), or a range
    (``not_before``, ``not_after``, either open). Held as the text TEI writes."""

    when: str | None = None
    not_before: str | None = None
    not_after: str | None = None

    def label(self) -> str | None:
        """For people: "17 November 1981", "between 21 November and 31 December 1985"
        (as each date's label), "after …", "before …"; None if nothing is known."""
        if self.when is not None:
            return label(self.when)
        after = label(self.not_before) if self.not_before else None
        before = label(self.not_after) if self.not_after else None
        if after and before:
            return f"between {after} and {before}"
        return f"after {after}" if after else f"before {before}" if before else None

    def attributes(self) -> dict[str, str]:
        """The TEI attributes that write it: ``when``, ``notBefore``, ``notAfter``."""
        pairs = (("when", self.when), ("notBefore", self.not_before), ("notAfter", self.not_after))
        return {name: value for name, value in pairs if value}

    @classmethod
    def checked(
        cls, when: str | None, not_before: str | None = None, not_after: str | None = None
    ) -> DateValue:
        """A date whose every part is an ISO date of the calendar, and whose range does not
        end before it begins; :class:`DateError` names the part that is not."""
        for name, text in (("date", when), ("not_before", not_before), ("not_after", not_after)):
            if text is not None:
                try:
                    IsoDate.parse(text)
                except DateError as error:
                    raise DateError(f"{name} {error}") from None
        if not_before and not_after:
            first = IsoDate.parse(not_before).first_day()
            last = IsoDate.parse(not_after).last_day()
            if first and last and first > last:
                raise DateError(f"not_before {not_before} is after not_after {not_after}")
        return cls(when, not_before, not_after)

"""Dates as TEI holds them (teitools.dates): ISO dates of any precision, checked against the
calendar (Python's ``datetime.date`` is the oracle), labelled for people, written as TEI
attributes."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teitools.dates import DateError, DateValue, IsoDate


@given(st.integers(1, 9999), st.integers(0, 13), st.integers(0, 32))
def test_a_day_is_a_date_exactly_when_the_calendar_has_it(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        expected: datetime.date | None = datetime.date(year, month, day)
    except ValueError:
        expected = None
    try:
        parsed: IsoDate | None = IsoDate.parse(text)
    except DateError:
        parsed = None
    assert (parsed is None) == (expected is None), text
    if parsed is not None:
        assert str(parsed) == text
        assert parsed.first_day() == parsed.last_day() == expected


@given(st.dates())
def test_every_precision_spans_the_days_it_names(day: datetime.date) -> None:
    month = IsoDate.parse(day.isoformat()[:7])
    year = IsoDate.parse(day.isoformat()[:4])
    for span in (month, year):
        first, last = span.first_day(), span.last_day()
        assert first is not None and last is not None and first <= day <= last
    end = month.last_day()
    assert end is not None and (end + datetime.timedelta(days=1)).day == 1
    assert str(year) == f"{day.year:04d}" and str(month) == day.isoformat()[:7]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("1981-11-17", "17 November 1981"),
        ("1985-03", "March 1985"),
        ("1985", "1985"),
        ("--11-17", "17 November (year not stated)"),
        ("--02-29", "29 February (year not stated)"),  # a day of some year
    ],
)
def test_labels(text: str, label: str) -> None:
    assert IsoDate.parse(text).label() == label


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1985-13-45", "there is no month 13"),
        ("1985-00-10", "there is no month 0"),
        ("1985-02-30", "February has no day 30"),
        ("0000-01-01", "there is no year 0"),
        ("--13-01", "there is no month 13"),
        ("17 Nov 1981", "is not an ISO date"),
        ("1985-3-4", "is not an ISO date"),
        ("١٩٨٥", "is not an ISO date"),  # digits, but not ASCII ones
    ],
)
def test_what_is_no_date_says_why(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        IsoDate.parse(text)


def test_a_letters_date_labels_a_range_and_writes_its_attributes() -> None:
    span = DateValue(None, "1985-11-21", "1985-12-31")
    assert span.label() == "between 21 November 1985 and 31 December 1985"
    assert span.attributes() == {"notBefore": "1985-11-21", "notAfter": "1985-12-31"}
    assert DateValue(None, "1985-11").label() == "after November 1985"
    assert DateValue(None, None, "1986").label() == "before 1986"
    assert DateValue().label() is None and DateValue().attributes() == {}


def test_a_date_from_elsewhere_that_is_none_is_labelled_as_written() -> None:
    """TEI of other projects may hold anything in @when: the label never fails (before, a
    month 13 raised IndexError)."""
    assert DateValue("1985-13-01").label() == "1985-13-01"
    assert DateValue("ca. 1900").label() == "ca. 1900"


def test_a_checked_date_refuses_a_range_that_ends_before_it_begins() -> None:
    assert DateValue.checked("1985-03-24") == DateValue("1985-03-24")
    assert DateValue.checked(None, "1985-02", "1985-02-01") == DateValue(
        None, "1985-02", "1985-02-01"
    )
    with pytest.raises(DateError, match="not_before 1985-03 is after not_after 1985-02-28"):
        DateValue.checked(None, "1985-03", "1985-02-28")
    with pytest.raises(DateError, match="not_after '1985-02-29'"):
        DateValue.checked(None, "1985-02-01", "1985-02-29")

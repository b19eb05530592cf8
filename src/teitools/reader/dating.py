"""Dating a letter: the dateline, or a range the text and the register fix.

An undated letter, or a dateline without a year ("November 17"), is placed by constraints,
each a date range with its reason:

- the correspondents' offices: a letter to "President Brezhnev" falls in his presidency;
- people named with their office: "Secretary Haig" was Secretary of State 1981–82;
- a meeting the letter looks back on: "Now that we are both home" follows the last summit
  of the two correspondents at a place the letter names; "next year" keeps it in that year.

The intersection is the honest range (``notBefore``/``notAfter``); a partial dateline that
falls on exactly one day in it becomes a full date, with medium certainty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from teitools.model import DateValue, Evidence
from teitools.reader.entities import NameFinder
from teitools.registers import Entry, Registers
from teitools.rules import Rules


@dataclass(frozen=True)
class Constraint:
    start: date
    end: date
    reason: str


def _hull(tenures: list[tuple[date, date]]) -> tuple[date, date] | None:
    if not tenures:
        return None
    return min(s for s, _ in tenures), max(e for _, e in tenures)


def office_constraint(person: Entry, offices: set[str], why: str) -> Constraint | None:
    span = _hull([(t.start, t.end) for t in person.tenures if t.office in offices])
    if span is None:
        return None
    return Constraint(*span, f"{why}: {person.name} held that office {_period(*span)}")


def _period(start: date, end: date) -> str:
    return f"{DateValue(start.isoformat()).label()}–{DateValue(end.isoformat()).label()}"


@cache
def _title_patterns(registers: Registers) -> list[tuple[str, str, re.Pattern[str]]]:
    """(office, literal, pattern) for each title that names its holder: "Secretary {surname}"."""
    patterns = []
    for office in registers.offices.values():
        for template in dict.fromkeys([*office.referred_to_as, *office.addressed_as]):
            if "{surname}" not in template:
                continue
            parts = [re.escape(p) for p in template.split("{surname}")]
            body = r"(?P<surname>[A-Z][\w'-]+)".join(parts)
            literal = max(template.split("{surname}"), key=len)
            patterns.append((office.id, literal, re.compile(rf"\b{body}\b")))
    return patterns


def titled_mentions(text: str, registers: Registers) -> list[Constraint]:
    """People named with an office ("Secretary Haig"): the letter falls in their tenure."""
    found: dict[tuple[str, str], Constraint] = {}  # one per person and office
    for office, literal, pattern in _title_patterns(registers):
        if literal not in text:
            continue
        for match in pattern.finditer(text):
            if text[max(0, match.start() - 7) : match.start()].endswith(("former ", "late ")):
                continue
            for person, _ in registers.tenures_of({office}):
                if person.surname != match.group("surname"):
                    continue
                why = f"the letter names {match.group()!r}"
                constraint = office_constraint(person, {office}, why)
                if constraint is not None:
                    found.setdefault((person.id, office), constraint)
    return list(found.values())


def meeting_constraints(
    text: str, parties: list[Entry], registers: Registers, rules: Rules, finder: NameFinder
) -> list[Constraint]:
    """After the last summit of the two correspondents at a place the letter names."""
    clue = next((p for p in rules.after_meeting if p.search(text)), None)
    if clue is None or len(parties) != 2:
        return []
    ids = {p.id for p in parties}
    places = [m.entry.id for m in finder.find(text) if m.entry.kind == "place"]
    events = [e for e in registers.events if set(e.participants) == ids and e.place in places]
    if not events:
        return []
    event = max(events, key=lambda e: (places.count(e.place), -e.start.toordinal()))
    phrase = clue.search(text)
    assert phrase is not None
    constraints = [
        Constraint(
            event.end,
            date.max,
            f"{phrase.group()!r} looks back on the {event.name} "
            f"({_period(event.start, event.end)})",
        )
    ]
    same_year = next((p.search(text) for p in rules.same_year if p.search(text)), None)
    if same_year is not None:
        constraints.append(
            Constraint(
                date.min,
                date(event.end.year, 12, 31),
                f"{same_year.group()!r} places it in the year of the {event.name}",
            )
        )
    return constraints


def combine(constraints: list[Constraint]) -> tuple[date, date] | None:
    if not constraints:
        return None
    start = max(c.start for c in constraints)
    end = min(c.end for c in constraints)
    return (start, end) if start <= end else None


def place_partial(when: str, span: tuple[date, date]) -> str | None:
    """``--11-17`` within ``span`` → the one full date it can be, if there is exactly one."""
    match = re.fullmatch(r"--(\d{2})-(\d{2})", when)
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    fits = []
    for year in range(span[0].year, span[1].year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if span[0] <= candidate <= span[1]:
            fits.append(candidate)
    return fits[0].isoformat() if len(fits) == 1 else None


def date_evidence(
    dateline: DateValue | None, constraints: list[Constraint]
) -> tuple[DateValue | None, Evidence | None]:
    """The letter's date (or range) and how it was found."""
    if dateline is not None and dateline.when and not dateline.when.startswith("--"):
        label = dateline.label() or dateline.when
        return dateline, Evidence(dateline.when, label, "dateline", "high", "given in the dateline")
    span = combine(constraints)
    reasons = "; ".join(c.reason for c in constraints)
    if span is None:
        if dateline is not None:
            note = "the dateline gives day and month only; nothing fixes the year"
            return dateline, Evidence(dateline.when or "", "", "dateline", "high", note)
        return None, None
    if dateline is not None and dateline.when:
        full = place_partial(dateline.when, span)
        if full is not None:
            value = DateValue(when=full)
            note = f"the dateline gives day and month; the year follows from: {reasons}"
            return value, Evidence(full, value.label() or full, "dateline", "medium", note)
    start = span[0] if span[0] != date.min else None
    end = span[1] if span[1] != date.max else None
    value = DateValue(
        not_before=start.isoformat() if start else None,
        not_after=end.isoformat() if end else None,
    )
    label = value.label() or ""
    note = f"no date in the letter; the range follows from: {reasons}"
    return value, Evidence(label, label, "register", "medium", note)

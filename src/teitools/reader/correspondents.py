"""Who wrote to whom: clues from the letter, resolved through the register.

Clues, strongest first: a signature, an inside address, a caption ("LETTER FROM THE
PRESIDENT TO GORBACHEV"), the salutation ("Dear President Brezhnev", "Dear Mr. President").
A clue names a person directly, or an office ("THE PRESIDENT", "Mr. President") that the
register resolves to its holder on the letter's date. Where one side is still unknown,
the register names the counterpart: the head of the other country on that date.
Each result is :class:`~teitools.model.Evidence` saying which clue gave it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from teitools.model import Evidence
from teitools.reader.entities import NameFinder
from teitools.registers import Entry, Registers

STRENGTH = ("catalogue", "signature", "inside address", "caption", "salutation", "register")
_SALUTE_HEAD = re.compile(r"^(?:My\s+)?(?:Dear(?:est)?|Esteemed|Respected)\s+", re.IGNORECASE)
_CAPTION = re.compile(r"\bFROM\s+(?P<from>.+?)\s+TO\s+(?P<to>.+?)\s*$", re.IGNORECASE)


@dataclass
class Clue:
    source: str
    text: str
    person: Entry | None = None
    offices: set[str] = field(default_factory=set)  # office ids, when the clue names an office


@dataclass
class Side:
    """What the letter says about one correspondent."""

    clues: list[Clue] = field(default_factory=list)

    def persons(self) -> list[Clue]:
        ranked = sorted((c for c in self.clues if c.person), key=lambda c: STRENGTH.index(c.source))
        return ranked

    def offices(self) -> set[str]:
        found: set[str] = set()
        for clue in self.clues:
            found |= clue.offices
        return found


def _office_regex(template: str) -> str:
    parts = [re.escape(p) for p in template.split("{surname}")]
    return r"(?P<surname>[A-Z][\w'-]+)".join(parts) + r"(?![\w])"


def office_clue(text: str, registers: Registers, source: str, *, addressed: bool) -> Clue | None:
    """A salutation (``addressed``) or caption phrase as an office, or a holder by surname."""
    clue = Clue(source, text)
    flags = 0 if addressed else re.IGNORECASE
    for office in registers.offices.values():
        for template in office.addressed_as if addressed else office.referred_to_as:
            match = re.match(_office_regex(template), text, flags)
            if not match:
                continue
            surname = match.groupdict().get("surname")
            if surname is None:
                clue.offices.add(office.id)
                continue
            holders = [
                person
                for person, _ in registers.tenures_of({office.id})
                if person.surname.lower() == surname.lower()
            ]
            if holders:
                clue.person = holders[0]
                clue.offices.add(office.id)
    return clue if clue.person or clue.offices else None


def gather(
    signature: str,
    addresses: list[str],
    captions: list[str],
    salutation: str,
    registers: Registers,
    finder: NameFinder,
) -> tuple[Side, Side]:
    """Clues for the sender and the addressee."""
    sender, addressee = Side(), Side()
    if signature:
        exact = [p for p in registers.of_kind("person") if signature.strip() in p.signatures]
        named = exact or finder.persons(signature)
        if named:
            sender.clues.append(Clue("signature", signature, named[-1]))
    for address in addresses:
        named = finder.persons(address)
        if named:
            addressee.clues.append(Clue("inside address", address, named[0]))
    for caption in captions:
        match = _CAPTION.search(caption)
        if not match:
            continue
        for side, part in ((sender, match.group("from")), (addressee, match.group("to"))):
            named = finder.persons(part) or [
                p for p in registers.of_kind("person") if part.strip().title() in p.forms
            ]
            if named:
                side.clues.append(Clue("caption", caption, named[0]))
            elif clue := office_clue(part.strip(), registers, "caption", addressed=False):
                side.clues.append(clue)
    if salutation:
        phrase = _SALUTE_HEAD.sub("", salutation.strip()).rstrip(":,;! ")
        clue = office_clue(phrase, registers, "salutation", addressed=True)
        if clue is None:
            named = finder.persons(phrase)
            clue = Clue("salutation", salutation, named[0]) if named else None
        if clue is not None:
            clue.text = salutation
            addressee.clues.append(clue)
    return sender, addressee


def country_of(person: Entry, registers: Registers, when: date | None = None) -> str | None:
    countries = {
        registers.offices[t.office].country
        for t in person.tenures
        if t.office in registers.offices
        and registers.offices[t.office].head
        and (when is None or t.covers(when))
    }
    return countries.pop() if len(countries) == 1 else None


def head_countries(registers: Registers) -> set[str]:
    return {o.country for o in registers.offices.values() if o.head}


def heads_of(country: str, registers: Registers, start: date, end: date) -> list[Entry]:
    """Persons who held a head office of ``country`` at some time in [start, end]."""
    offices = {o.id for o in registers.offices.values() if o.head and o.country == country}
    found: dict[str, Entry] = {}
    for person, tenure in registers.tenures_of(offices):
        if tenure.start <= end and tenure.end >= start:
            found[person.id] = person
    return list(found.values())


def heads_of_any(person: Entry, registers: Registers, span: tuple[date, date]) -> bool:
    """Did ``person`` hold a head office (``head: true``) at some time in ``span``?"""
    return any(
        registers.offices[t.office].head and t.start <= span[1] and t.end >= span[0]
        for t in person.tenures
        if t.office in registers.offices
    )


def holders_between(offices: set[str], registers: Registers, start: date, end: date) -> list[Entry]:
    found: dict[str, Entry] = {}
    for person, tenure in registers.tenures_of(offices):
        if tenure.start <= end and tenure.end >= start:
            found[person.id] = person
    return list(found.values())


def evidence(person: Entry, source: str, cert: str, note: str) -> Evidence:
    return Evidence(person.id, person.name, source, cert, note)


def resolve_side(
    side: Side,
    registers: Registers,
    span: tuple[date, date] | None,
    exclude_country: str | None,
) -> Evidence | None:
    """The person one side's clues name, on the letter's date or within its date range."""
    persons = side.persons()
    if persons:
        best = persons[0]
        agree = [
            c.source for c in persons if c.person and best.person and c.person.id == best.person.id
        ]
        assert best.person is not None
        note = f"named by the {best.source} ({best.text.strip()!r})"
        if len(agree) > 1:
            note += "; also by the " + ", ".join(agree[1:])
        return evidence(best.person, best.source, "high", note)
    offices = side.offices()
    if not offices or span is None:
        return None
    candidates = holders_between(offices, registers, *span)
    if exclude_country:
        candidates = [
            p for p in candidates if country_of(p, registers, span[0]) != exclude_country
        ] or candidates
    if len(candidates) > 1:  # letters like these pass between heads of state or party
        heads = [p for p in candidates if heads_of_any(p, registers, span)]
        candidates = heads if len(heads) == 1 else candidates
    if len(candidates) != 1:
        return None
    clue = next(c for c in side.clues if c.offices)
    titles = ", ".join(sorted(registers.offices[o].title for o in offices))
    return evidence(
        candidates[0],
        clue.source,
        "medium" if span[0] != span[1] else "high",
        f"the {clue.source} ({clue.text.strip()!r}) names an office ({titles}); "
        f"the register gives its holder on the letter's date",
    )


def counterpart(other: Evidence, registers: Registers, span: tuple[date, date]) -> Evidence | None:
    """The head of the other country on the letter's date."""
    person = registers.entries.get(other.value)
    if person is None:
        return None
    country = country_of(person, registers, span[0]) or country_of(person, registers)
    others = head_countries(registers) - {country} if country else set()
    if len(others) != 1:
        return None
    heads = heads_of(others.pop(), registers, *span)
    if len(heads) != 1:
        return None
    return evidence(
        heads[0],
        "register",
        "medium",
        f"no clue in the letter; the register names the head of the other country "
        f"on its date, as counterpart of {other.label}",
    )

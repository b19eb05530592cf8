"""Registers: persons, offices, places, organisations, names and events, read from YAML.

The bundled registers live in ``data/registers/``; an edition team can point teitools at its
own folder of the same files. The registers serve three purposes:

- tagging the body: every ``forms`` entry is a way a name is written in a letter;
- resolving correspondents: offices with dates turn "Dear Mr. President" in a letter of
  1988 into a person;
- writing ``register.xml``, the TEI file every letter's ``@ref`` points into.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from teitools.errors import RulesError
from teitools.patterns import Pattern, compile_pattern
from teitools.resources import DATA
from teitools.safeyaml import load_yaml

REGISTER_FILE = "register.xml"
KINDS = ("persons", "places", "organisations", "names")


@dataclass(frozen=True)
class Tenure:
    office: str
    start: date
    end: date

    def covers(self, when: date) -> bool:
        return self.start <= when <= self.end


@dataclass(frozen=True)
class Entry:
    """A register entry; ``kind`` is person, place, org or name."""

    id: str
    kind: str
    name: str
    forms: tuple[str, ...]
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, value): wikidata, viaf, geonames, gnd
    signatures: tuple[str, ...] = ()
    surname: str = ""
    forename: str = ""
    birth: str = ""
    death: str = ""
    subtype: str = ""  # place kind, org kind, name type (treaty, weapon, ...)
    tenures: tuple[Tenure, ...] = ()
    patterns: dict[str, tuple[Pattern, ...]] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{REGISTER_FILE}#{self.id}"

    def authority(self) -> str | None:
        """The URI authority files prefer for this kind: VIAF/GND for names, GeoNames for places."""
        order = ("geonames", "wikidata") if self.kind == "place" else ("viaf", "gnd", "wikidata")
        urls = dict(zip([s for s, _ in self.identifiers], self.urls(), strict=True))
        return next((urls[s] for s in order if s in urls), None)

    def urls(self) -> list[str]:
        templates = {
            "wikidata": "https://www.wikidata.org/entity/{}",
            "viaf": "https://viaf.org/viaf/{}",
            "geonames": "https://www.geonames.org/{}",
            "gnd": "https://d-nb.info/gnd/{}",
        }
        return [templates[s].format(v) for s, v in self.identifiers if s in templates]


@dataclass(frozen=True)
class Office:
    id: str
    title: str
    country: str
    head: bool
    addressed_as: tuple[str, ...]
    referred_to_as: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    id: str
    name: str
    place: str
    start: date
    end: date
    participants: tuple[str, ...]
    neutral: bool
    identifiers: tuple[tuple[str, str], ...] = ()


@dataclass(eq=False)  # hashed by identity: caches key on it
class Registers:
    entries: dict[str, Entry]
    offices: dict[str, Office]
    events: list[Event]

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def holders(self, office: str, when: date) -> list[Entry]:
        """Who held ``office`` on ``when``."""
        return [
            person
            for person in self.of_kind("person")
            if any(t.office == office and t.covers(when) for t in person.tenures)
        ]

    def tenures_of(self, office_ids: set[str]) -> list[tuple[Entry, Tenure]]:
        return [
            (person, tenure)
            for person in self.of_kind("person")
            for tenure in person.tenures
            if tenure.office in office_ids
        ]

    def repositories(self) -> list[Entry]:
        return [e for e in self.of_kind("org") if "name_patterns" in e.patterns]


def _date(value: Any, where: str) -> date:
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise RulesError(f"{where}: {value!r} is not an ISO date") from None


def _ids(item: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (scheme, str(item[scheme]))
        for scheme in ("wikidata", "viaf", "geonames", "gnd")
        if item.get(scheme)
    )


def _load(folder: Path | None, name: str) -> list[dict[str, Any]]:
    if folder is None:
        text = (DATA / "registers" / f"{name}.yaml").read_text("utf-8")
        where = f"registers/{name}.yaml"
    else:
        path = folder / f"{name}.yaml"
        if not path.exists():
            return []
        text, where = path.read_text("utf-8"), str(path)
    data = load_yaml(text, where, RulesError) or []
    if not isinstance(data, list):
        raise RulesError("a register file must be a list of entries", where)
    return data


def load_registers(folder: Path | None = None) -> Registers:
    """Read the registers from ``folder`` (default: the bundled ones)."""
    entries: dict[str, Entry] = {}
    kind_of = {"persons": "person", "places": "place", "organisations": "org", "names": "name"}
    for file_name, kind in kind_of.items():
        for number, item in enumerate(_load(folder, file_name), start=1):
            where = f"{file_name}.yaml entry {number}"
            origin = str(folder or "registers") + f"/{file_name}.yaml"
            probe = folder is not None  # the bundled registers' patterns are tested instead
            try:
                entry = Entry(
                    id=str(item["id"]),
                    kind=kind,
                    name=str(item["name"]),
                    forms=tuple(sorted(map(str, item.get("forms", [])), key=len, reverse=True)),
                    identifiers=_ids(item),
                    signatures=tuple(map(str, item.get("signatures", []))),
                    surname=str(item.get("surname", "")),
                    forename=str(item.get("forename", "")),
                    birth=str(item.get("birth", "") or ""),
                    death=str(item.get("death", "") or ""),
                    subtype=str(item.get("kind", item.get("type", "")) or ""),
                    tenures=tuple(
                        Tenure(t["office"], _date(t["from"], where), _date(t["to"], where))
                        for t in item.get("offices", [])
                    ),
                    patterns={
                        key: tuple(
                            compile_pattern(str(p), f"{key} of {item['id']!r}", origin, probe=probe)
                            for p in item[key]
                        )
                        for key in ("name_patterns", "idno_patterns", "collection_patterns")
                        if item.get(key)
                    },
                )
            except (KeyError, TypeError) as error:
                raise RulesError(f"{where}: malformed ({type(error).__name__}: {error})") from None
            if entry.id in entries:
                raise RulesError(f"{where}: id {entry.id!r} is used twice")
            entries[entry.id] = entry
    offices = {
        str(o["id"]): Office(
            str(o["id"]),
            str(o["title"]),
            str(o.get("country", "")),
            bool(o.get("head", False)),
            tuple(map(str, o.get("addressed_as", []))),
            tuple(map(str, o.get("referred_to_as", []))),
        )
        for o in _load(folder, "offices")
    }
    events = [
        Event(
            str(e["id"]),
            str(e["name"]),
            str(e.get("place", "")),
            _date(e["from"], f"events.yaml {e.get('id')}"),
            _date(e["to"], f"events.yaml {e.get('id')}"),
            tuple(map(str, e.get("participants", []))),
            bool(e.get("neutral", False)),
            _ids(e),
        )
        for e in _load(folder, "events")
    ]
    return Registers(entries, offices, events)


@cache
def default_registers() -> Registers:
    return load_registers()

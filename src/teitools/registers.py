"""Registers: persons, offices, places, organisations, names and events of an edition.

An edition brings its own (``paths.registers`` in ``teitools.toml``, or ``--registers``):
folders of YAML or CSV files, and TEI files whose ``listPerson``, ``listPlace`` and
``listOrg`` are imported as they are (:mod:`teitools.tei.lists`). With none, the register
is empty: names are tagged from the letters' own evidence and nothing links to another
corpus. The bundled example edition's register is ``registers/`` at the top of the
repository. The registers serve three purposes:

- tagging the body: every ``forms`` entry is a way a name is written in a letter;
- resolving correspondents: offices with dates turn "Dear Mr. President" in a letter of
  1988 into a person;
- writing ``register.xml``, the TEI file every letter's ``@ref`` points into.

A folder holds ``persons``, ``places``, ``organisations`` and ``names`` as ``.yaml`` (a list
of entries) or ``.csv`` (a header row: ``id``, ``name``, ``forms`` separated by ``;``,
``kind``, ``wikidata``, ``viaf``, ``gnd``, ``geonames``, ``lat``, ``lon``, ``birth``,
``death``, ``surname``, ``forename``), and ``offices.yaml`` and ``events.yaml``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from teitools.errors import RulesError
from teitools.fsio import read_bounded
from teitools.patterns import Pattern, compile_pattern
from teitools.safeyaml import load_yaml
from teitools.tei.lists import ListError, tei_items

REGISTER_FILE = "register.xml"


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
    geo: str = ""  # "latitude longitude" (WGS84 decimal degrees), for places
    tei: bytes = b""  # the entry as an imported TEI register wrote it
    within: str = ""  # the id of the imported entry that holds this one

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
    sources: tuple[str, ...] = ()  # the files read, for register.xml's header

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


MAX_REGISTER_BYTES = 16 * 1024 * 1024
KIND_OF = {"persons": "person", "places": "place", "organisations": "org", "names": "name"}
CSV_COLUMNS = (
    "id name forms kind wikidata viaf gnd geonames lat lon birth death surname forename"
).split()
_NCNAME = re.compile(r"^[^\W\d][\w.-]*$")


def _read(path: Path) -> str:
    data = read_bounded(path, MAX_REGISTER_BYTES, "a register")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RulesError(f"not UTF-8 text: {error.reason} at byte {error.start}", path) from None


def _yaml(path: Path) -> list[dict[str, Any]]:
    data = load_yaml(_read(path), str(path), RulesError) or []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise RulesError("a register file must be a list of entries", path)
    return data


def _csv(path: Path) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(_read(path)))
    columns = [c.strip() for c in reader.fieldnames or []]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if unknown:
        known = ", ".join(CSV_COLUMNS)
        raise RulesError(f"unknown column {unknown[0]!r} (known: {known})", path, 1)
    items = []
    for record in reader:
        if None in record:
            raise RulesError("more cells than columns", path, reader.line_num)
        item = {k.strip(): v.strip() for k, v in record.items() if v and v.strip()}
        if "forms" in item:
            item["forms"] = [f.strip() for f in item["forms"].split(";") if f.strip()]
        items.append(item)
    return items


def _sources(paths: Sequence[Path]) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """(register name, where, items) from each folder and TEI file in ``paths``."""
    for path in paths:
        if path.is_dir():
            for name in (*KIND_OF, "offices", "events"):
                found = [path / f"{name}.{suffix}" for suffix in ("yaml", "yml", "csv")]
                found = [f for f in found if f.is_file()]
                if len(found) > 1:
                    raise RulesError(
                        f"{name} is given twice: {found[0].name}, {found[1].name}", path
                    )
                for file in found:
                    if file.suffix == ".csv" and name not in KIND_OF:
                        raise RulesError(f"{name} can only be YAML", file)
                    yield name, str(file), _csv(file) if file.suffix == ".csv" else _yaml(file)
        elif path.suffix.lower() == ".xml":
            try:
                imported = tei_items(
                    read_bounded(path, MAX_REGISTER_BYTES, "a register"), str(path)
                )
            except ListError as error:
                raise RulesError(str(error), path) from None
            for name, items in imported.items():
                yield name, str(path), items
        elif path.is_file() and path.stem in KIND_OF and path.suffix in {".yaml", ".yml", ".csv"}:
            yield path.stem, str(path), _csv(path) if path.suffix == ".csv" else _yaml(path)
        elif not path.exists():
            raise RulesError("no such register (a folder, or a TEI file)", path)
        else:
            raise RulesError(
                "a register is a folder of YAML or CSV files, a TEI file (.xml), or "
                "persons, places, organisations or names as .yaml or .csv",
                path,
            )


def _geo(item: dict[str, Any], where: str) -> str:
    if "lat" not in item and "lon" not in item:
        return ""
    try:
        lat, lon = float(item["lat"]), float(item["lon"])
    except (KeyError, TypeError, ValueError):
        raise RulesError(f"{where}: lat and lon must both be numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RulesError(f"{where}: lat {lat}, lon {lon} are not coordinates")
    return f"{round(lat, 6)} {round(lon, 6)}"


def _entry(item: dict[str, Any], kind: str, where: str, origin: str) -> Entry:
    name = str(item["name"])
    entry_id = str(item["id"])
    if not _NCNAME.match(entry_id):
        raise RulesError(f"{where}: id {entry_id!r} is not an XML name (letters, digits, - . _)")
    return Entry(
        id=entry_id,
        kind=kind,
        name=name,
        forms=tuple(sorted(map(str, item.get("forms") or [name]), key=len, reverse=True)),
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
            key: tuple(compile_pattern(str(p), f"{key} of {entry_id!r}", origin) for p in item[key])
            for key in ("name_patterns", "idno_patterns", "collection_patterns")
            if item.get(key)
        },
        geo=_geo(item, where),
        tei=bytes(item.get("tei", b"")),
        within=str(item.get("within", "")),
    )


def load_registers(sources: Path | Sequence[Path] | None = None) -> Registers:
    """Read the registers in ``sources`` (folders, TEI files; none: an empty register)."""
    paths = [sources] if isinstance(sources, Path) else list(sources or ())
    registers = Registers({}, {}, [])
    read: list[str] = []
    for name, origin, items in _sources(paths):
        read.append(origin)
        for number, item in enumerate(items, start=1):
            where = f"{origin}: entry {number}"
            try:
                if name == "offices":
                    office = _office(item)
                    registers.offices[office.id] = office
                elif name == "events":
                    registers.events.append(_event(item, where))
                else:
                    entry = _entry(item, KIND_OF[name], where, origin)
                    if entry.id in registers.entries:
                        raise RulesError(f"{where}: id {entry.id!r} is used twice")
                    registers.entries[entry.id] = entry
            except (KeyError, TypeError, AttributeError) as error:
                raise RulesError(f"{where}: malformed ({type(error).__name__}: {error})") from None
    registers.sources = tuple(dict.fromkeys(read))
    return registers


def _office(o: dict[str, Any]) -> Office:
    return Office(
        str(o["id"]),
        str(o["title"]),
        str(o.get("country", "")),
        bool(o.get("head", False)),
        tuple(map(str, o.get("addressed_as", []))),
        tuple(map(str, o.get("referred_to_as", []))),
    )


def _event(e: dict[str, Any], where: str) -> Event:
    return Event(
        str(e["id"]),
        str(e["name"]),
        str(e.get("place", "")),
        _date(e["from"], where),
        _date(e["to"], where),
        tuple(map(str, e.get("participants", []))),
        bool(e.get("neutral", False)),
        _ids(e),
    )


@cache
def no_registers() -> Registers:
    """The empty register of an edition that has none (one object: caches key on it)."""
    return Registers({}, {}, [])

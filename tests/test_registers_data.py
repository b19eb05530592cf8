"""Schema checks for the register of the bundled example edition (registers/*.yaml).

The registers are hand-edited YAML; these tests keep them loadable and consistent: unique
NCName ids across all files, required fields, well-formed authority identifiers, ISO dates
kept as strings, cross-references (offices, places, participants) that resolve, compilable
patterns, and no form that would tag an ordinary lowercase word.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml

REGISTERS = Path(__file__).resolve().parents[1] / "registers"
FILES = ("persons", "offices", "places", "organisations", "names", "events")
REQUIRED = {
    "persons": ("id", "name", "surname", "forms"),
    "offices": ("id", "title", "country", "addressed_as", "referred_to_as"),
    "places": ("id", "name", "forms", "kind"),
    "organisations": ("id", "name", "forms", "kind"),
    "names": ("id", "name", "forms", "type"),
    "events": ("id", "name", "place", "from", "to", "participants"),
}
NCNAME = re.compile(r"^[a-z_][a-z0-9._-]*$")
WIKIDATA = re.compile(r"^Q\d+$")
DIGITS = re.compile(r"^\d+$")
PLACE_KINDS = {"settlement", "country", "region"}
NAME_TYPES = {"treaty", "negotiation", "programme", "process", "conference", "weapon"}
# ordinary English words that must never be a form on their own (they would be tagged everywhere)
# ("Washington" and "Europe" are legitimate place forms; "Carter" is kept for Jimmy Carter.)
COMMON_WORDS = {
    "bush",
    "ford",
    "baker",
    "nancy",
    "raisa",
    "state",
    "president",
    "secretary",
    "general",
    "minister",
    "ambassador",
    "union",
    "soviet",
    "united",
    "states",
    "america",
    "mrs",
    "mr",
}


def load(name: str) -> list[dict]:
    data = yaml.safe_load((REGISTERS / f"{name}.yaml").read_text("utf-8"))
    assert isinstance(data, list), f"{name}.yaml must be a list of entries"
    return data


@pytest.fixture(scope="module")
def registers() -> dict[str, list[dict]]:
    return {name: load(name) for name in FILES}


def entries(registers: dict[str, list[dict]]):
    for name in FILES:
        for item in registers[name]:
            yield name, item


def test_files_start_with_a_comment() -> None:
    for name in FILES:
        assert (REGISTERS / f"{name}.yaml").read_text("utf-8").startswith("#"), name


def test_required_fields(registers) -> None:
    for name, item in entries(registers):
        for key in REQUIRED[name]:
            missing = item.get(key) in (None, "", [])
            assert not missing, f"{name}.yaml {item.get('id')}: missing {key}"
        if "forms" in REQUIRED[name]:
            assert item["forms"], f"{name}.yaml {item['id']}: no forms"


def test_ids_unique_ncnames(registers) -> None:
    seen: dict[str, str] = {}
    for name, item in entries(registers):
        ident = item["id"]
        assert isinstance(ident, str) and NCNAME.match(ident), f"{name}: bad id {ident!r}"
        assert ident not in seen, f"id {ident!r} in {name}.yaml and {seen[ident]}.yaml"
        seen[ident] = name


def test_identifiers_well_formed(registers) -> None:
    for name, item in entries(registers):
        if "wikidata" in item:
            value = item["wikidata"]
            assert isinstance(value, str) and WIKIDATA.match(value), (name, item["id"])
        for scheme in ("geonames", "viaf"):
            if scheme in item:
                value = item[scheme]
                assert isinstance(value, str) and DIGITS.match(value), (
                    f"{name} {item['id']}: {scheme} must be a quoted string of digits"
                )
        if "gnd" in item:
            value = item["gnd"]
            assert isinstance(value, str) and re.match(r"^[0-9X-]+$", value), (name, item["id"])


def _check_date(value, where: str) -> datetime.date:
    assert isinstance(value, str), f"{where}: date {value!r} must be a quoted string"
    return datetime.date.fromisoformat(value)


def test_dates_are_iso_strings(registers) -> None:
    for person in registers["persons"]:
        for key in ("birth", "death"):
            if key in person:
                _check_date(person[key], f"persons {person['id']} {key}")
        if "birth" in person and "death" in person:
            assert person["birth"] < person["death"], person["id"]
        for tenure in person.get("offices", []) or []:
            start = _check_date(tenure["from"], f"persons {person['id']}")
            end = _check_date(tenure["to"], f"persons {person['id']}")
            assert start <= end, (person["id"], tenure)
    for event in registers["events"]:
        start = _check_date(event["from"], f"events {event['id']}")
        end = _check_date(event["to"], f"events {event['id']}")
        assert start <= end, event["id"]


def test_cross_references(registers) -> None:
    offices = {o["id"] for o in registers["offices"]}
    persons = {p["id"] for p in registers["persons"]}
    places = {p["id"] for p in registers["places"]}
    for person in registers["persons"]:
        for tenure in person.get("offices", []) or []:
            assert tenure["office"] in offices, (person["id"], tenure["office"])
    for event in registers["events"]:
        assert event["place"] in places, (event["id"], event["place"])
        for participant in event["participants"]:
            assert participant in persons, (event["id"], participant)


def test_offices(registers) -> None:
    for office in registers["offices"]:
        assert office["country"] in {"US", "SU"}, office["id"]
        assert isinstance(office.get("head", False), bool), office["id"]
        for pattern in office["addressed_as"] + office["referred_to_as"]:
            assert set(re.findall(r"\{(\w+)\}", pattern)) <= {"surname"}, (office["id"], pattern)
    heads = {o["country"] for o in registers["offices"] if o.get("head")}
    assert heads == {"US", "SU"}


def test_kinds_and_types(registers) -> None:
    for place in registers["places"]:
        assert place["kind"] in PLACE_KINDS, place["id"]
    for name in registers["names"]:
        assert name["type"] in NAME_TYPES, name["id"]


def test_patterns_compile(registers) -> None:
    for org in registers["organisations"]:
        for key in ("name_patterns", "idno_patterns", "collection_patterns"):
            for pattern in org.get(key, []) or []:
                re.compile(pattern)
        if org.get("repository"):
            assert org.get("name_patterns"), org["id"]


def test_repository_patterns_match_the_letters(registers) -> None:
    library = next(o for o in registers["organisations"] if o["id"] == "reagan-library")
    names = [re.compile(p) for p in library["name_patterns"]]
    for text in (
        "Reproduced at the Ronald Rangan Library",
        "Reproduced at the Ronald Reagan Library",
    ):
        assert any(p.search(text) for p in names), text
    idnos = [re.compile(p) for p in library["idno_patterns"]]
    for text in ("NLS MR 2000-004 #5", "NLS F99-051 # 525"):
        assert any(p.search(text) for p in idnos), text
    collections = [re.compile(p) for p in library["collection_patterns"]]
    assert any(p.search("NSC: Head of State File, USSR: Gorbachev, Box. 40") for p in collections)


def test_forms_are_safe(registers) -> None:
    for name, item in entries(registers):
        forms = list(item.get("forms", []) or []) + list(item.get("signatures", []) or [])
        for form in forms:
            where = f"{name} {item['id']}"
            assert isinstance(form, str) and form.strip() == form and form, (where, form)
            assert not re.fullmatch(r"[a-z]+", form), f"{where}: lowercase word form {form!r}"
            assert form.lower() not in COMMON_WORDS, f"{where}: common word form {form!r}"
        plain = list(item.get("forms", []) or [])
        assert len(set(plain)) == len(plain), f"{name} {item['id']}: duplicate forms"


def test_person_forms_cover_the_letters(registers) -> None:
    """Names as they are written (and OCR-damaged) in the sample letters resolve to a person."""
    by_form = {form: p["id"] for p in registers["persons"] for form in p["forms"]}
    expected = {
        "K.U. Chernenko": "chernenko",
        "Mr. George Bush": "bush",
        "Mr. George Shultz": "shultz",
        "Eduard A. Shevardnadze": "shevardnadze",
        "Foreign Minister Gromyko": "gromyko",
        "Secretary Haig": "haig",
        "Ambassador Hartman": "hartman",
        "Sukharov": "sakharov",
        "Anatolii Shcharanskii": "sharansky",
        "Mrs. Gorbacheva": "gorbacheva",
        "Ronald W. REAGAN": "reagan",
        "M. GORBACHEV": "gorbachev",
        "Jorbacher": "gorbachev",
    }
    for form, person in expected.items():
        assert by_form.get(form) == person, form
    assert "Nancy" not in by_form


def test_loader_reads_the_registers() -> None:
    from teitools.registers import load_registers

    registers = load_registers(REGISTERS)
    assert registers.entries["gorbachev"].kind == "person"
    when = datetime.date(1988, 9, 20)
    assert [p.id for p in registers.holders("general-secretary-cpsu", when)] == ["gorbachev"]
    november_1981 = datetime.date(1981, 11, 17)
    assert [p.id for p in registers.holders("president-us", november_1981)] == ["reagan"]
    chairman = registers.holders("chairman-presidium-supreme-soviet", november_1981)
    assert [p.id for p in chairman] == ["brezhnev"]

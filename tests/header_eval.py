"""Field-level precision and recall of the header, GROBID style.

Facts are read back from the TEI teitools wrote (not from its internals) and compared
with a gold set. Run as a script to print the table for the bundled letters and for
generated letters whose metadata is known:

    .venv/bin/python tests/header_eval.py
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml
from lxml import etree

FIELDS = ("sender", "addressee", "date", "place", "repository", "idno", "classification")
NS = {"t": "http://www.tei-c.org/ns/1.0"}
GOLD = Path(__file__).parent / "gold" / "headers.yaml"
REGISTERS = Path(__file__).resolve().parents[1] / "registers"  # the bundled edition's


def _id(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    for value in ((element.get("sameAs") or "") + " " + (element.get("ref") or "")).split():
        if value.startswith("register.xml#"):
            return value.split("#", 1)[1]
    return None


def facts(root: etree._Element) -> dict[str, object]:
    """The header facts of one TEI letter, in the gold set's terms."""

    def first(path: str) -> etree._Element | None:
        found = root.xpath(path, namespaces=NS)
        return found[0] if found else None

    sent = "//t:correspDesc/t:correspAction[@type='sent']"
    received = "//t:correspDesc/t:correspAction[@type='received']"
    when = first(f"{sent}/t:date")
    value = None
    if when is not None:
        value = when.get("when") or f"{when.get('notBefore', '')}/{when.get('notAfter', '')}"
    places = [
        f"{kind}:{_id(p)}"
        for kind, path in (("sent", sent), ("received", received))
        for p in root.xpath(f"{path}/t:placeName", namespaces=NS)
    ]
    classified = first("//t:adminInfo//t:item[@n='classification']")
    marks = (
        re.findall(r"[A-Z][A-Z ]+[A-Z]", classified.text or "") if classified is not None else []
    )
    return {
        "sender": _id(first(f"{sent}/t:persName")),
        "addressee": _id(first(f"{received}/t:persName")),
        "date": value,
        "place": places,
        "repository": _id(first("//t:msIdentifier/t:repository")),
        "idno": root.xpath(
            "//t:msIdentifier/t:idno[@type='declassification']/text()", namespaces=NS
        ),
        "classification": marks,
        "translation": first("//t:adminInfo//t:item[@n='translation']") is not None,
        "draft": first("//t:adminInfo//t:item[@n='status']") is not None,
    }


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _items(value: object) -> set[str]:
    if value is None or value == "":
        return set()
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    return {str(value)}


def score(pairs: Iterable[tuple[str, dict[str, object], dict[str, object]]]) -> dict[str, Score]:
    """Precision and recall per field over (name, predicted, gold) triples."""
    scores = {name: Score() for name in FIELDS}
    for name, predicted, gold in pairs:
        for key in FIELDS:
            got, want = _items(predicted.get(key)), _items(gold.get(key))
            scores[key].tp += len(got & want)
            scores[key].fp += len(got - want)
            scores[key].fn += len(want - got)
            if got != want:
                scores[key].errors.append(f"{name}: {key} {sorted(got)} != gold {sorted(want)}")
    return scores


def table(title: str, scores: dict[str, Score]) -> str:
    lines = [title, f"{'field':<16}{'precision':>10}{'recall':>8}{'TP':>5}{'FP':>4}{'FN':>4}"]
    for key, s in scores.items():
        lines.append(f"{key:<16}{s.precision:>10.1%}{s.recall:>8.1%}{s.tp:>5}{s.fp:>4}{s.fn:>4}")
    return "\n".join(lines)


def gold_set() -> dict[str, dict[str, object]]:
    data = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    return {
        name: {k: (str(v) if k == "date" and v else v) for k, v in row.items()}
        for name, row in data.items()
    }


# ----------------------------------------------------------------- generated letters
MONTHS = "January February March April May June July August September October November December"
MONTHS_LIST = MONTHS.split()
PAIRS = [  # (US president, Soviet leader, start, end): both in office
    (
        "reagan",
        "Ronald Reagan",
        "Reagan",
        "brezhnev",
        "Leonid Brezhnev",
        "Brezhnev",
        date(1981, 1, 20),
        date(1982, 11, 10),
    ),
    (
        "reagan",
        "Ronald Reagan",
        "Reagan",
        "gorbachev",
        "Mikhail Gorbachev",
        "Gorbachev",
        date(1985, 3, 11),
        date(1989, 1, 20),
    ),
    (
        "carter",
        "Jimmy Carter",
        "Carter",
        "brezhnev",
        "Leonid Brezhnev",
        "Brezhnev",
        date(1977, 6, 16),
        date(1981, 1, 20),
    ),
]
BODY = [
    "We value the practice of exchanges of views between the leaders of our two countries "
    "on the key issues of our relations and the international situation as a whole.",
    "I believe that our exchanges have laid the essential groundwork for such an effort, "
    "and that we can achieve results in the coming year if there is good will on both sides.",
    "There is no shortage of opportunities for easing world tensions.",
]


def dateline(day: date, rng: random.Random, place: str | None) -> str:
    month = MONTHS_LIST[day.month - 1]
    forms = [
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month} {day.year}",
        f"{day.day}th {month} {day.year}"
        if day.day not in (1, 2, 3, 21, 22, 23, 31)
        else f"{day.day} {month} {day.year}",
        f"{month[:3]}. {day.day}, {day.year}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
    ]
    text = rng.choice(forms)
    return f"{place}, {text}" if place else text


def generated_letter(rng: random.Random) -> tuple[str, dict[str, object]]:
    us, us_name, us_surname, su, su_name, su_surname, start, end = rng.choice(PAIRS)
    day = start + timedelta(days=rng.randrange((end - start).days + 1))
    from_us = rng.random() < 0.5
    place_id, place = rng.choice(
        [(None, None), ("washington-dc", "Washington"), ("moscow", "Moscow")]
    )
    if (place_id == "washington-dc" and not from_us) or (place_id == "moscow" and from_us):
        place_id, place = None, None
    if from_us:
        sender, addressee = us, su
        salute = rng.choice(
            [f"Dear President {su_surname}:", f"Dear General Secretary {su_surname}:"]
            if su == "brezhnev"
            else ["Dear Mr. General Secretary:", f"Dear General Secretary {su_surname}:"]
        )
        signature = rng.choice([us_name, f"/s/ {us_name}", ""])
    else:
        sender, addressee = su, us
        salute = rng.choice(
            ["Dear Mr. President:", f"Dear President {us_surname}:", "Dear Mr. President,"]
        )
        signature = rng.choice([su_name.split()[0][0] + ". " + su_surname.upper(), su_name, ""])
    parts = []
    if not from_us and rng.random() < 0.5:
        parts.append("Unofficial translation")
    parts += [dateline(day, rng, place), salute, *rng.sample(BODY, 2)]
    parts.append(rng.choice(["Sincerely,", "Sincerely yours,", "Respectfully,"]))
    if signature:
        parts.append(signature)
    gold = {
        "sender": sender,
        "addressee": addressee,
        "date": day.isoformat(),
        "place": [f"sent:{place_id}"] if place_id else [],
        "repository": None,
        "idno": [],
        "classification": [],
    }
    return "\n\n".join(parts) + "\n", gold


def generated_scores(count: int = 200, seed: int = 1985) -> dict[str, Score]:
    from teitools.convert import convert_text
    from teitools.registers import load_registers
    from teitools.tei.writer import to_tei

    registers = load_registers(REGISTERS)  # the generated letters are of the Cold War corpus
    rng = random.Random(seed)
    triples = []
    for number in range(count):
        text, gold = generated_letter(rng)
        letter = convert_text(text, f"gen{number}.txt", registers=registers)[0]
        root = etree.fromstring(to_tei(letter, registers))
        triples.append((f"gen{number}", facts(root), gold))
    return score(triples)


def bundled_scores(encoded: Path) -> dict[str, Score]:
    gold = gold_set()
    return score(
        (name, facts(etree.parse(str(encoded / name)).getroot()), row) for name, row in gold.items()
    )


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "encoded"
    print(table(f"Bundled letters ({folder})", bundled_scores(folder)))
    print()
    generated = generated_scores()
    print(table("Generated letters (200, seed 1985)", generated))
    for s in generated.values():
        for error in s.errors[:5]:
            print("  ", error)

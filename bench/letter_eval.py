"""Field-level precision and recall of the converter on a development corpus, per language.

    python bench/letter_eval.py CORPUS... [--register none|bundled] [--errors N]
        [--by language|edition] [--json FILE]

Each CORPUS is a folder made by ``bench/letter_corpus.py`` (``NAME.txt`` with
``NAME.gold.json``). Each letter is converted as ``teitools convert`` would (in this
process), and the facts are read back from the TEI: sender, addressee, date, place,
language, salutation, closing, signature, postscript, paragraphs kept whole, page furniture
kept out of the paragraphs, validity (the letter grammar, else tei_all), gaps and page
breaks the text gave no evidence for, and the similarity of the letter's reading text
(its body without furniture, notes and addresses; ``reg`` over ``orig``) to the clean
letter as typed. Figures are given per language (or per edition: the file names' prefix
before ``__``) and for all.

A salutation, closing or signature is right when it is the edition's (90 % similar) or
begins or ends it in whole words (editions differ on where a closing begins: "Dein" or "Es
grüßt Dich herzlich Dein"). A person is right when the gold surname is in the name found; a
name found that is part of the gold name ("Arthur", "Arth Schn" for Arthur Schnitzler) is
not counted wrong, nor right. A place is right when it agrees with the header's place or the
one the dateline tags; a date when the ISO dates are equal. Recall counts the letters that
state the fact: the surname stands in the signature, closing or an address (sender), in the
salutation or an address (addressee); the place and the year's last two digits in the
dateline. The parts (salute, closer,
signature, postscript, paragraphs) are scored only on letters typed by parts, not on
diplomatic transcriptions typed line by line.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from lxml import etree

from teitools.convert import convert_file
from teitools.registers import Registers, load_registers
from teitools.rules import default_rules
from teitools.validate import relaxng

NS = {"t": "http://www.tei-c.org/ns/1.0"}
LIMIT = 3000  # words compared (difflib is quadratic; a letter is shorter)
T = "{http://www.tei-c.org/ns/1.0}"
FIELDS = (
    "sender addressee date place language salute closer signature postscript "
    "paragraphs furniture_out valid no_invented_gap no_invented_pb"
).split()


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("-", " "))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def squash(text: str) -> str:
    return " ".join(text.split())


def reading(element: etree._Element) -> str:
    """The reading text: reg and corr over orig and sic, no furniture, notes or stray hand."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag
        skip = tag in {f"{T}orig", f"{T}sic", f"{T}note", f"{T}fw", f"{T}pb"} or (
            tag == f"{T}seg" and node.get("type") in {"handwriting", "noise"}
        )
        if tag == f"{T}lb":
            parts.append("" if node.get("break") == "no" else " ")
        elif not skip:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        parts.append(node.tail or "")

    parts.append(element.text or "")
    for child in element:
        walk(child)
    return squash("".join(parts))


def similarity(a: str, b: str) -> float:
    x, y = a.split()[:LIMIT], b.split()[:LIMIT]
    if not x and not y:
        return 1.0
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()


TITLES = set(
    "mr mrs miss dr prof professor sir herr frau fraulein doktor monsieur madame mademoiselle "
    "m mme mlle hon rev von van de du der la le".split()
)


def person_right(found: str | None, gold: str | None) -> bool:
    if not found or not gold:
        return False
    surname = fold(gold).split()[-1] if fold(gold) else ""
    return bool(surname) and surname in fold(found).split()


def person_partial(found: str | None, gold: str | None) -> bool:
    """The name found is part of the gold name: its words or their initials."""
    if not found or not gold:
        return False
    words = fold(gold).split()
    mine = [w for w in fold(found).split() if w not in TITLES]
    return bool(mine) and all(  # a word, an initial or an abbreviation ("Arth Schn")
        w in words or any(g.startswith(w) for g in words if len(w) == 1 or len(w) >= 3)
        for w in mine
    )


def part_of(have: str, want: str) -> bool:
    """One ends or starts the other, in whole words: editions differ on where a closer
    begins ("Dein" or "Es grüßt Dich herzlich Dein") and what a signature holds."""
    if not have or not want:
        return False
    short, long = sorted((f" {have} ", f" {want} "), key=len)
    return long.endswith(short) or long.startswith(short)


def letter_reading(root: etree._Element, prose: bool = True) -> str:
    """The reading text of the letter: its body without furniture or notes, and (``prose``)
    without datelines and addresses."""
    body = root.find(f"{T}text/{T}body")
    if body is None:
        return ""
    parts: list[str] = []
    left_out = {f"{T}orig", f"{T}sic", f"{T}note", f"{T}fw", f"{T}pb"}
    if prose:
        left_out |= {f"{T}address", f"{T}dateline"}

    def walk(node: etree._Element) -> None:
        tag = node.tag
        kind = node.get("type")
        skip = tag in left_out or (
            (tag == f"{T}seg" and kind in {"handwriting", "noise"})
            or (prose and tag == f"{T}ab" and kind == "dateline")
        )
        if tag == f"{T}lb":
            parts.append("" if node.get("break") == "no" else " ")
        elif not skip:
            parts.append(" " if tag in BLOCKS else "")
            parts.append(node.text or "")
            for child in node:
                walk(child)
            parts.append(" " if tag in BLOCKS else "")
        parts.append(node.tail or "")

    walk(body)
    return squash("".join(parts))


BLOCKS = {
    f"{T}{name}"
    for name in "p ab salute dateline signed opener closer postscript div head".split()
}


def facts_of(root: etree._Element) -> dict[str, Any]:
    def text(path: str) -> str | None:
        found = root.xpath(path, namespaces=NS)
        if not found:
            return None
        value = squash("".join(found[0].itertext())) if hasattr(found[0], "itertext") else found[0]
        return None if value in {"unknown", ""} else str(value)

    sent = "//t:correspDesc/t:correspAction[@type='sent']"
    received = "//t:correspDesc/t:correspAction[@type='received']"
    div = "//t:body/t:div[@type='letter']"
    return {
        "sender": text(f"{sent}/t:persName"),
        "addressee": text(f"{received}/t:persName"),
        "date": text(f"{sent}/t:date/@when"),
        "place": text(f"{sent}/t:placeName"),
        "language": root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        "salute": " ".join(
            reading(e) for e in root.xpath(f"{div}/t:opener/t:salute", namespaces=NS)
        ),
        "closer": " ".join(
            reading(e) for e in root.xpath(f"{div}/t:closer/t:salute", namespaces=NS)
        ),
        "signature": " ".join(
            reading(e) for e in root.xpath(f"{div}/t:closer/t:signed", namespaces=NS)
        ),
        "postscript": " ".join(
            reading(e) for e in root.xpath(f"{div}/t:postscript", namespaces=NS)
        ),
        "paragraphs": [reading(p) for p in root.xpath(f"{div}/t:p", namespaces=NS)],
        "all_paragraphs": " ".join(reading(p) for p in root.xpath("//t:body//t:p", namespaces=NS)),
        "reading": letter_reading(root),
        "whole": letter_reading(root, prose=False),
        "gaps": len(root.xpath("//t:body//t:gap[not(ancestor::t:reg)]", namespaces=NS)),
        "pbs": len(root.xpath("//t:body//t:pb", namespaces=NS)),
    }


class Tally:
    def __init__(self) -> None:
        self.tp: dict[str, int] = defaultdict(int)
        self.fp: dict[str, int] = defaultdict(int)
        self.fn: dict[str, int] = defaultdict(int)
        self.similarity: list[float] = []
        self.letters = 0
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, field: str, predicted: bool, stated: bool, right: bool, why: str) -> None:
        if right:
            self.tp[field] += 1
        else:
            if predicted:
                self.fp[field] += 1
            if stated:
                self.fn[field] += 1
            if predicted or stated:
                self.errors[field].append(why)

    def row(self, field: str) -> tuple[float, float, int]:
        tp, fp, fn = self.tp[field], self.fp[field], self.fn[field]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        return precision, recall, tp + fn


def score(
    name: str,
    text: str,
    gold: dict[str, Any],
    root: etree._Element | None,
    valid: bool,
    tally: Tally,
) -> None:
    tally.letters += 1
    if root is None:
        for field in FIELDS:
            tally.add(field, False, True, False, f"{name}: not converted")
        return
    got = facts_of(root)

    regions = {  # where a letter states its sender and addressee
        "sender": fold(
            " ".join([gold.get("signature", ""), gold.get("closer", ""), gold.get("top", "")])
        ),
        "addressee": fold(" ".join([gold.get("salute", ""), gold.get("top", "")])),
    }

    def stated_name(field: str, value: str | None) -> bool:
        folded_value = fold(value or "")
        return bool(folded_value) and folded_value.split()[-1] in regions[field].split()

    for field in ("sender", "addressee"):
        right = person_right(got[field], gold.get(field))
        partial = not right and person_partial(got[field], gold.get(field))
        tally.add(
            field,
            got[field] is not None and not partial,
            stated_name(field, gold.get(field)),
            right,
            f"{name}: {got[field]!r} for {gold.get(field)!r}",
        )
    dateline = gold.get("dateline", "")
    date_stated = bool(gold.get("date")) and gold["date"][2:4] in dateline
    tally.add(
        "date",
        got["date"] is not None,
        date_stated,
        got["date"] == gold.get("date"),
        f"{name}: {got['date']!r} for {gold.get('date')!r}",
    )
    places = [fold(p) for p in gold.get("places") or [gold.get("place") or ""] if fold(p)]
    found = fold(got["place"] or "")
    place_right = bool(found) and any(p in found or found in p for p in places)
    place_stated = any(fold(p.split(",")[0]) in fold(dateline) for p in places)
    tally.add(
        "place",
        got["place"] is not None,
        place_stated,
        place_right,
        f"{name}: {got['place']!r} for {gold.get('place')!r}",
    )
    tally.add(
        "language",
        got["language"] not in {None, "und"},
        True,
        got["language"] == gold["language"],
        f"{name}: {got['language']} for {gold['language']}",
    )
    if gold.get("structured", True):
        for field in ("salute", "closer", "signature", "postscript"):
            want = fold(gold.get(field) or "")
            have = fold(got[field])
            tally.add(
                field,
                bool(have),
                bool(want),
                bool(want) and (similarity(have, want) >= 0.9 or part_of(have, want)),
                f"{name}: {got[field]!r} for {gold.get(field)!r}",
            )
        wanted = [squash(p) for p in gold["paragraphs"]]
        paragraphs = got["paragraphs"]
        matched = sum(
            any(similarity(fold(p), fold(w)) >= 0.9 for p in paragraphs) for w in wanted
        )
        tally.tp["paragraphs"] += matched
        tally.fn["paragraphs"] += len(wanted) - matched
        tally.fp["paragraphs"] += max(0, len(paragraphs) - matched)
        if matched < len(wanted):
            tally.errors["paragraphs"].append(f"{name}: {matched} of {len(wanted)} whole")
    inside = got["all_paragraphs"]
    for piece in gold.get("furniture", []):
        kept_out = piece not in inside
        tally.add("furniture_out", not kept_out, True, kept_out, f"{name}: {piece!r} in a p")
    tally.add("valid", not valid, True, valid, f"{name}: invalid")
    tally.add(
        "no_invented_gap", got["gaps"] > 0, True, got["gaps"] == 0, f"{name}: {got['gaps']} gap(s)"
    )
    tally.add(
        "no_invented_pb",
        got["pbs"] > gold.get("pages", 1),
        True,
        got["pbs"] <= gold.get("pages", 1),
        f"{name}: {got['pbs']} pb for {gold['pages']} page(s)",
    )
    found_text = got["reading"] if gold.get("structured", True) else got["whole"]
    ratio = similarity(found_text, gold.get("reading") or " ".join(gold["paragraphs"]))
    tally.similarity.append(ratio)
    if ratio < 0.99:
        tally.errors["reading"].append(f"{name}: {ratio:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="+")
    parser.add_argument("--register", choices=["none", "bundled"], default="none")
    parser.add_argument("--errors", type=int, default=0, help="print N errors per field")
    parser.add_argument("--by", choices=["language", "edition"], default="language")
    parser.add_argument("--json", type=Path, help="write the figures as JSON too")
    args = parser.parse_args()
    example = Path(__file__).resolve().parents[1] / "registers"  # the bundled edition's
    registers = Registers({}, {}, []) if args.register == "none" else load_registers(example)
    rules = default_rules()
    grammar = relaxng.letters()
    tallies: dict[str, Tally] = defaultdict(Tally)
    start = time.perf_counter()
    golds = sorted(path for folder in args.corpus for path in folder.glob("*.gold.json"))
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        source = path.with_name(path.name.replace(".gold.json", ".txt"))
        result = convert_file(source, rules, registers, "2026-01-01")
        root, valid = None, False
        if result.documents:
            tree = etree.ElementTree(etree.fromstring(result.documents[0].xml))
            root = tree.getroot()
            valid = grammar.validate(tree) or relaxng.compiled().validate(tree)
        text = source.read_text(encoding="utf-8")
        edition = source.stem.split("__")[0] if "__" in source.stem else "generated"
        group = gold["language"] if args.by == "language" else edition
        for key in (group, "all"):
            score(source.stem, text, gold, root, valid, tallies[key])
    elapsed = time.perf_counter() - start
    figures: dict[str, Any] = {}
    for key in sorted(tallies, key=lambda k: (k == "all", k)):
        tally = tallies[key]
        sim = sorted(tally.similarity)
        mean = sum(sim) / len(sim) if sim else 0.0
        share = sum(s >= 0.99 for s in sim) / max(1, len(sim))
        print(
            f"\n{key}: {tally.letters} letters; reading text similarity mean {mean:.3f}, "
            f"median {sim[len(sim) // 2] if sim else 0:.3f}, share >= 0.99: {share:.1%}"
        )
        print(f"{'field':<18}{'precision':>10}{'recall':>8}{'n':>6}")
        figures[key] = {"letters": tally.letters, "similarity": mean, "similar_099": share}
        for field in FIELDS:
            precision, recall, n = tally.row(field)
            print(f"{field:<18}{precision:>10.1%}{recall:>8.1%}{n:>6}")
            figures[key][field] = {"precision": precision, "recall": recall, "n": n}
            if key == "all" and args.errors:
                for line in tally.errors[field][: args.errors]:
                    print(f"    {line}")
        if key == "all" and args.errors:
            print("  reading text below 0.99:")
            for line in sorted(tally.errors["reading"], key=lambda x: x.split()[-1])[
                : args.errors
            ]:
                print(f"    {line}")
    print(f"\n{len(golds)} letters in {elapsed:.1f} s ({args.register} register)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

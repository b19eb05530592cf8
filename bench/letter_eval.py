"""Field-level precision and recall of the converter on a development corpus, per language.

    python bench/letter_eval.py CORPUS... [--register none|bundled] [--errors N]
        [--by language|edition] [--json FILE] [--show N]

Each CORPUS is a folder made by ``bench/letter_corpus.py`` (``NAME.txt`` with
``NAME.gold.json``). Each letter is converted as ``teitools convert`` would (in this
process), and the facts are read back from the TEI: sender, addressee, date, place,
language, salutation, closing, signature, postscript, paragraphs kept whole, page furniture
kept out of the paragraphs, validity (the letter grammar, else tei_all), gaps and page
breaks the text gave no evidence for, and the similarity of the letter's reading text
(its body without furniture, notes and addresses; ``reg`` over ``orig``) to the clean
letter as typed. Figures are given per language (or per edition: the file names' prefix
before ``__``) and for all. ``--show N`` is an audit: it converts N letters of each group
(drawn at random, the same each run) and prints each one's typed text beside the
edition's facts, whether the text states them, and what the converter found.

What counts (decided by reading typed letters, the edition's facts and the output side by
side, 30 a language; the first round's rules, where they differ, in brackets):

- Recall counts the letters whose typed text states the fact, precision the facts found
  for letters whose edition records one (an edition that records none, as the DTA's
  soldiers' letters, cannot tell a name found right from wrong) [any fact found counted].
- Sender and addressee are stated where a word of the edition's name (no titles, ranks,
  particles or initials) stands in the letter's own signature, closing, letterhead or
  dateline (sender), or salutation, inside address or an address under the signature
  (addressee), as the edition spells it or as a variant ("Huggenberger" for Huggenberg,
  "Rachel" for Rahel) or contraction ("Eßlgr") [the edition's surname, spelt alike, also
  in an address under the signature for the sender]. A name found is right when it holds
  the last of those words the letter states (the surname; "Arthur" for a son's letter
  signed "Arthur"), as the edition or the letter writes it, with at most two other words
  that are neither the name's, their initials, nor titles ("Sulzer z Stbrg." is right,
  "Mrs J. R. Green to General Botha" is not) [the surname anywhere in the name found;
  a forename the letter states was never right]. A name found that is part of the gold
  name ("Arth Schn", initials) is neither right nor wrong. A particle written apart from
  the surname is the same name as the edition's one word ("C. du Coster" for Charles
  Ducoster) [from the sixth round; before, the letter did not state it and the name
  found was wrong].
- The date is stated when the dateline or letterhead holds the edition's day, month (a
  name, an old or abbreviated form, a number or a Roman numeral) and year (four, two or
  three digits) within a few words of each other [the year's last two digits anywhere in
  the dateline; and a letter with no date found and none in the edition counted right].
  It is right when the ISO dates are equal.
- The place is stated when the header's place, or the one the dateline tags, stands as
  whole words in the dateline or letterhead [as a substring of the dateline], and right
  when it agrees with either, or begins with a spelling of its first word ("Altorf" for
  Altdorf, as the letter writes it; from the fifth round).
- A gap is invented unless it says the copy ends in mid-sentence where the letter as
  the edition has it does end so (on a comma, a hyphen, "the", "und", "de"): that is
  evidence [every gap counted].

A salutation, closing or signature is right when it is the edition's (90 % similar) or
begins or ends it in whole words (editions differ on where a closing begins: "Dein" or "Es
grüßt Dich herzlich Dein"). The parts (salute, closer, signature, postscript, paragraphs)
are scored only on letters typed by parts, not on diplomatic transcriptions typed line by
line (for those, the letter's first six and last eight lines stand for its head and foot).
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import time
import unicodedata
from collections import defaultdict
from itertools import pairwise
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


# Words of a name form that do not name the person: titles, ranks, particles, kinship.
NOT_NAMES = set(
    "mr mrs miss ms dr prof professor sir lady lord herr frau fraulein doktor monsieur madame "
    "mademoiselle m mme mlle hon rev reverend von van de du der la le des di da zu y et and und "
    "corporal cpl sergeant sgt private pte captain capt colonel col general major lieutenant lt "
    "count countess earl duke baron graf grafin freiherr furst prinz father mother esq esquire "
    "messrs the of comte comtesse abbe pere mere soeur frere".split()
)
TITLES = NOT_NAMES  # a name found made of these and parts of the gold name is partial


def name_words(name: str | None) -> list[str]:
    """The words of a name that name the person, in order ("Corporal W. Bowes" → bowes)."""
    return [w for w in fold(name or "").split() if len(w) >= 2 and w not in NOT_NAMES]


def _form_of(word: str, name: str) -> bool:
    """``word`` of the letter writes ``name`` (a word of the edition's name form): the same,
    a variant spelling ("Huggenberger" for Huggenberg) or a contraction ("Eßlgr")."""
    if word == name:
        return True
    if len(word) < 4 or word[:2] != name[:2]:
        return False
    shorter = 2 * len(word) >= len(name) and _subsequence(word, name)
    return shorter or difflib.SequenceMatcher(None, word, name).ratio() >= 0.8


def _variant(found: str, place: str) -> bool:
    """The place found begins with a spelling of the gold place's first word ("Altorf" for
    Altdorf, as the letter writes it; not "Bern" for Berlin)."""
    first, gold = found.split()[0], place.split()[0]
    return len(first) >= 4 and difflib.SequenceMatcher(None, first, gold).ratio() >= 0.85


PARTICLES = set("von van de du der la le des di da zu".split())


def joined(words: list[str]) -> set[str]:
    """A text's words with each particle joined to the word after it: a surname the edition
    writes as one word, the letter in two ("C. du Coster" for Charles Ducoster; from the
    sixth round)."""
    pairs = {a + b for a, b in pairwise(words) if a in PARTICLES}
    return set(words) | pairs


def stated_words(name: str | None, region: str) -> list[tuple[str, set[str]]]:
    """The words of the gold name the letter's own ``region`` carries, in the name's order,
    each with the forms the letter writes it in."""
    said = joined(fold(region).split())
    found = [(w, {x for x in said if _form_of(x, w)}) for w in name_words(name)]
    return [(w, forms) for w, forms in found if forms]


def person_right(
    found: str | None, gold: str | None, stated: list[tuple[str, set[str]]] | None = None
) -> bool:
    """The name found holds the gold name's surname, or where the letter states only part
    of the name, the last part it states ("Arthur" for a son's letter signed "Arthur"), as
    the edition or the letter writes it; with at most two words that are neither the
    name's, their initials or abbreviations, nor titles ("J J Blumer-Heer", "Sulzer z
    Stbrg", not "Mrs J. R. Green to General Botha")."""
    if not found or not gold:
        return False
    words = name_words(gold)
    if stated:
        key, forms = stated[-1]
        forms = forms | {key}
    else:
        forms = set(words[-1:])
    mine = fold(found).split()
    known = set(words) | {f for _, letter_forms in stated or [] for f in letter_forms}
    extra = [
        w
        for w in mine
        if w not in known and w not in NOT_NAMES and not any(g.startswith(w) for g in words)
    ]
    return bool(forms & joined(mine)) and len(extra) <= 2


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


# Month names and their old and abbreviated forms in English, German and French: a word
# is a month's when it starts with the month's first letter and its letters stand in the
# name in order ("Jany", "Septr", "Mrz"), or is one slip away ("Octobbre"); "7bre" and
# Roman numerals too. The scorer's own
# list, so that what counts as a stated date does not depend on the reader's rules.
MONTH_NAMES = [
    "january januar janvier jenner janner",
    "february februar fevrier feber hornung",
    "march marz mars",
    "april avril aprill",
    "may mai",
    "june juni juin",
    "july juli juillet",
    "august aout",
    "september septembre",
    "october oktober octobre",
    "november novembre",
    "december dezember decembre",
]
OLD_MONTHS = {"7": "september", "8": "october", "9": "november", "x": "december"}
ROMAN = "i ii iii iv v vi vii viii ix x xi xii".split()
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


def _month_of(token: str) -> int | None:
    for number, forms in enumerate(MONTH_NAMES, start=1):
        for form in forms.split():
            if token == form or (
                len(token) >= 3 and token[0] == form[0] and _subsequence(token, form)
            ) or (len(token) >= 5 and difflib.SequenceMatcher(None, token, form).ratio() >= 0.85):
                return number
    return None


def date_stated(iso: str | None, region: str) -> bool:
    """The letter's own text holds the gold date: its day, its month (a name, an old or
    abbreviated form, a number or a Roman numeral) and its year (four digits, or two, or
    three with the thousand left out) within a few words of each other."""
    if not iso or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return False
    year, month, day = (int(x) for x in iso.split("-"))
    text = re.sub(r"\b([789x])b(?:re|er)\b", lambda m: OLD_MONTHS[m.group(1)], fold(region))
    months = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    text = re.sub(rf"(\d) ?(?:st|nd|rd|th)(?={months})", r"\1 ", text)  # "3 rdJune"
    roles: list[set[str]] = []
    for token in _TOKEN.findall(text.replace("1er", "1 ")):
        role: set[str] = set()
        if token.isdigit():
            value = int(token)
            if value == day:
                role.add("day")
            if value == month and len(token) <= 2:
                role.add("month")
            if value == year or (len(token) == 2 and value == year % 100) or (
                len(token) == 3 and value == year - 1000
            ):
                role.add("year")
        elif _month_of(token) == month or (token in ROMAN and ROMAN.index(token) + 1 == month):
            role.add("month")
        roles.append(role)
    window = 6
    for k, role in enumerate(roles):
        if "month" not in role:
            continue
        near = [j for j in range(max(0, k - window), k + window + 1) if j != k]
        days = [j for j in near if j < len(roles) and "day" in roles[j]]
        years = [j for j in near if j < len(roles) and "year" in roles[j]]
        if any(d != y for d in days for y in years):
            return True
    return False


def part_of(have: str, want: str) -> bool:
    """One ends or starts the other, in whole words: editions differ on where a closer
    begins ("Dein" or "Es grüßt Dich herzlich Dein") and what a signature holds."""
    if not have or not want:
        return False
    short, long = sorted((f" {have} ", f" {want} "), key=len)
    return long.endswith(short) or long.startswith(short)


def letter_reading(root: etree._Element, prose: bool = True) -> str:
    """The reading text of the letter: its body without furniture or notes, and (``prose``)
    without datelines and addresses (else with its letterhead, text of the letter that a
    diplomatic transcription, scored on its whole text, has)."""
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
        skip = (tag in left_out and (prose or kind != "letterhead")) or (
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
        "end_gaps": len(  # the copy ends in mid-sentence (the note after the gap says so)
            root.xpath(
                "//t:body//t:gap[not(ancestor::t:reg)][following-sibling::*[1][self::t:note]"
                "[starts-with(normalize-space(), 'The copy ends')]]",
                namespaces=NS,
            )
        ),
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


# Words a sentence cannot end on ("… the salutations sincères et cordiales de").
UNFINISHED = set(
    "the a an of to and or but in on at for with by from that as my your our "
    "der die das den dem des ein eine einen und oder aber in an auf mit von zu für bei nach "
    "le la les un une de des du et ou mais à au aux en pour par avec dans que".split()
)


def ends_mid_sentence(gold: dict[str, Any]) -> bool:
    """The letter as the edition has it stops in mid-sentence (on a comma, a hyphen or a
    word like "the", "und", "de"): a gap where the copy ends is evidence, not invented."""
    text = (gold.get("reading") or " ".join(gold.get("paragraphs") or [])).rstrip()
    last = text.split()[-1] if text.split() else ""
    return bool(text) and (text[-1] in ",;:-–—(" or last.lower() in UNFINISHED)


def stated_regions(gold: dict[str, Any]) -> dict[str, str]:
    """Where a letter states each fact, as typed: its sender in a signature, closing,
    letterhead or dateline; its addressee in the salutation or an address; its date and
    place in the dateline or letterhead (a letter typed line by
    line: in its first six and last eight lines)."""

    def joined(*keys: str) -> str:
        return " ".join(gold.get(key) or "" for key in keys)

    head = "letterhead" if "letterhead" in gold else "top"  # corpora built before the split
    return {
        "sender": joined("signature", "closer", head, "dateline"),
        "addressee": joined("salute", "address" if "address" in gold else "top", "foot"),
        "date": joined("dateline", head),
        "place": joined("dateline", head),
    }


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

    regions = stated_regions(gold)
    for field in ("sender", "addressee"):
        value = gold.get(field)
        said = stated_words(value, regions[field])
        right = person_right(got[field], value, said)
        partial = not right and person_partial(got[field], value)
        tally.add(
            field,
            got[field] is not None and value is not None and not partial,
            bool(said),
            right,
            f"{name}: {got[field]!r} for {value!r}" + ("" if said else " (not stated)"),
        )
    tally.add(
        "date",
        got["date"] is not None and gold.get("date") is not None,
        date_stated(gold.get("date"), regions["date"]),
        got["date"] is not None and got["date"] == gold.get("date"),
        f"{name}: {got['date']!r} for {gold.get('date')!r}",
    )
    places = [fold(p) for p in gold.get("places") or [gold.get("place") or ""] if fold(p)]
    found = fold(got["place"] or "")
    place_right = bool(found) and any(
        p in found or found in p or _variant(found, p) for p in places
    )
    place_said = f" {fold(regions['place'])} "
    place_stated = any(f" {fold(p.split(',')[0])} " in place_said for p in places)
    tally.add(
        "place",
        got["place"] is not None and bool(places),
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
    gaps = got["gaps"] - (got["end_gaps"] if ends_mid_sentence(gold) else 0)
    tally.add("no_invented_gap", gaps > 0, True, gaps == 0, f"{name}: {gaps} gap(s)")
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


def side_by_side(name: str, text: str, gold: dict[str, Any], got: dict[str, Any]) -> str:
    """One letter for an audit: its typed text (head and tail), and for each fact what the
    edition says, whether the typed text states it, and what the converter found."""
    lines = [line for line in text.splitlines() if line.strip()]
    shown = lines if len(lines) <= 24 else [*lines[:10], "[…]", *lines[-12:]]
    regions = stated_regions(gold)
    out = [f"===== {name}", *("  | " + line for line in shown)]
    for field in ("sender", "addressee"):
        said = stated_words(gold.get(field), regions[field])
        right = person_right(got[field], gold.get(field), said)
        out.append(
            f"  {field}: gold {gold.get(field)!r} stated {said} found {got[field]!r} "
            f"{'RIGHT' if right else ''}"
        )
    stated = date_stated(gold.get("date"), regions["date"])
    out.append(f"  date: gold {gold.get('date')} stated {stated} found {got['date']}")
    out.append(f"  place: gold {gold.get('places')} found {got['place']!r}")
    return "\n".join(out)


def audit_sample(golds: list[Path], count: int, by: str) -> list[Path]:
    """``count`` letters of each language (or edition), drawn at random with a fixed seed."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in golds:
        if by == "language":
            key = json.loads(path.read_text(encoding="utf-8"))["language"]
        else:
            key = path.name.split("__")[0] if "__" in path.name else "generated"
        groups[key].append(path)
    rng = random.Random(12)
    drawn = [rng.sample(groups[key], min(count, len(groups[key]))) for key in sorted(groups)]
    return sorted(path for sample in drawn for path in sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="+")
    parser.add_argument("--register", choices=["none", "bundled"], default="none")
    parser.add_argument("--errors", type=int, default=0, help="print N errors per field")
    parser.add_argument("--by", choices=["language", "edition"], default="language")
    parser.add_argument("--json", type=Path, help="write the figures as JSON too")
    parser.add_argument(
        "--show", type=int, default=0, help="print N letters per group side by side (an audit)"
    )
    args = parser.parse_args()
    example = Path(__file__).resolve().parents[1] / "registers"  # the bundled edition's
    registers = Registers({}, {}, []) if args.register == "none" else load_registers(example)
    rules = default_rules()
    grammar = relaxng.letters()
    tallies: dict[str, Tally] = defaultdict(Tally)
    start = time.perf_counter()
    golds = sorted(path for folder in args.corpus for path in folder.glob("*.gold.json"))
    if args.show:  # an audit: N letters of each group, drawn at random (the same each run)
        golds = audit_sample(golds, args.show, args.by)
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
        if args.show and root is not None:
            print(side_by_side(source.stem, text, gold, facts_of(root)))
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

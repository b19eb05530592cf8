"""Precision and recall of the collation against the gold alignment of the 17 November 1981
letter (``tests/gold/collation-1981-11-17.tsv``, format in ``tests/gold/README.md``).

Three measures, each for the sent copy 003.1 against the transcription 004 and the draft
003.2:

- **variants**: the places where the two differ, as (words of the base, words of the
  witness). A variant found matches a gold variant if both spans overlap (an empty span
  is a place between two words: it overlaps a span it touches; an addition may stand one
  word off if its words overlap, as "I [have confect] I find" can be read two ways); one
  found variant matches one gold variant at most. Precision: matched found variants /
  found; recall: matched gold variants / gold. Also how many matched exactly, and how many
  have the gold type.
- **corrections**: the witness's word corrected from another version, and the corrected
  word (case and punctuation aside), against the gold corrections.

Variants are those of the pairwise collation (base and one witness), as the apparatus
makes them; corrections those of the collation of all three, as ``teitools collate``
proposes them. Run as a script to print the table:

    .venv/bin/python tests/collation_eval.py
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from teitools.collate.annotate import strip
from teitools.collate.apparatus import Aligner, Collation, collate
from teitools.collate.crosscorrect import propose
from teitools.collate.settings import default_settings
from teitools.collate.witness import GAP_KEY, Token, Witness, key_of, read_witness
from teitools.collate.words import Words

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "collation-1981-11-17.tsv"
ENCODED = HERE.parent / "encoded"
BASE = "003_e967189a251f37fb.1"

Span = tuple[int, int]  # [start, end) of token indices; start == end: the place before start


@dataclass(frozen=True)
class Unit:
    base: Span
    reading: Span
    type: str


@dataclass
class Gold:
    units: dict[str, list[Unit]] = field(default_factory=dict)  # by witness
    corrections: dict[str, set[tuple[int, str]]] = field(default_factory=dict)  # (token, key)


def _keys(text: str) -> list[str]:
    found = []
    for word in text.split():
        key = GAP_KEY if word == "[…]" else key_of(word)
        if key:
            found.append(key)
    return found


def witness(name: str, folder: Path = ENCODED) -> Witness:
    """A witness as convert wrote it (what an earlier collation added taken out)."""
    return read_witness(folder / f"{name}.xml", prepare=strip)


def read_gold(path: Path = GOLD, folder: Path = ENCODED) -> Gold:
    """The gold units and corrections, checked word by word against the witnesses."""
    gold = Gold()
    base = [t.key for t in witness(BASE, folder).tokens]
    name = ""
    reading: list[str] = []
    i = j = 0
    moved: dict[tuple[str, ...], Span] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if columns[0] == "@witness":
            if name:
                _finish(name, i, j, base, reading)
            name = columns[1]
            reading = [t.key for t in witness(name, folder).tokens]
            gold.units[name], gold.corrections[name] = [], set()
            i = j = 0
            continue
        columns += [""] * (4 - len(columns))
        base_text, read_text, kind, corrections = columns[:4]
        base_keys = _keys(base_text)
        read_keys = base_keys if read_text == "=" else _keys(read_text)
        where = f"{path.name}:{number}"
        if base[i : i + len(base_keys)] != base_keys:
            raise ValueError(f"{where}: the base does not read {base_text!r} here")
        if kind == "transposition":
            span = moved.get(tuple(read_keys))
            if span is None:
                raise ValueError(f"{where}: no moved passage reads {read_text!r}")
        else:
            if reading[j : j + len(read_keys)] != read_keys:
                raise ValueError(f"{where}: {name} does not read {read_text!r} here")
            span = (j, j + len(read_keys))
            j += len(read_keys)
        if kind == "moved":
            moved[tuple(read_keys)] = span
        elif kind:
            gold.units[name].append(Unit((i, i + len(base_keys)), span, kind))
        for pair in filter(None, (p.strip() for p in corrections.split(";"))):
            damaged, _, good = pair.partition("=")
            at = next(
                (k for k in range(*span) if reading[k] == key_of(damaged)),
                None,
            )
            if at is None:
                raise ValueError(f"{where}: no {damaged!r} to correct")
            gold.corrections[name].add((at, key_of(good)))
        i += len(base_keys)
    if name:
        _finish(name, i, j, base, reading)
    return gold


def _finish(name: str, i: int, j: int, base: list[str], reading: list[str]) -> None:
    if i != len(base) or j != len(reading):
        raise ValueError(f"the gold for {name} ends before the texts do ({i}, {j})")


def _index(tokens: Sequence[Token]) -> dict[int, int]:
    return {id(t): k for k, t in enumerate(tokens)}


def found_units(collation: Collation, position: int = 1) -> list[Unit]:
    """The variants of witness ``position`` against the base in ``collation``."""
    base, other = collation.witnesses[0].tokens, collation.witnesses[position].tokens
    in_base, in_other = _index(base), _index(other)
    units: list[Unit] = []
    next_base = 0  # the base word after the last segment, and the witness's
    next_other = 0
    for segment in collation.segments:
        if not segment.variant:
            if segment.tokens:
                next_base = in_base[id(segment.tokens[-1])] + 1
                next_other = _after_common(collation, position, next_base, next_other)
            continue
        lemma = segment.readings[0].tokens
        reading = next((r for r in segment.readings if position in r.witnesses), None)
        base_span = _span(lemma, in_base, next_base)
        next_base = base_span[1]
        if reading is None:
            continue
        if reading.mark == "end":
            units.append(Unit((next_base, len(base)), (len(other), len(other)), "lacuna"))
            continue
        tokens = reading.tokens
        if reading.copy_of is not None:
            origin = collation.segments[reading.copy_of[0]].readings[reading.copy_of[1]]
            tokens = origin.tokens
        if reading.type == "transposition" and reading.copy_of is None:
            next_other = _span(tokens, in_other, next_other)[1]
            continue  # a moved passage's own place: counted where it is aligned
        span = _span(tokens, in_other, next_other)
        if reading.copy_of is None:
            next_other = span[1]
        if reading is not segment.readings[0]:
            units.append(Unit(base_span, span, reading.type))
    return units


def _after_common(collation: Collation, position: int, next_base: int, current: int) -> int:
    """The witness's word after its partner of base word ``next_base - 1``."""
    partner = dict(collation.alignments[position].pairs).get(next_base - 1)
    return partner + 1 if partner is not None else current


def _span(tokens: Sequence[Token], index: dict[int, int], place: int) -> Span:
    if not tokens:
        return (place, place)
    where = [index[id(t)] for t in tokens if id(t) in index]
    return (min(where), max(where) + 1) if where else (place, place)


def _overlap(a: Span, b: Span, slack: int = 0) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] + slack and b[0] <= a[1] + slack
    return a[0] < b[1] and b[0] < a[1]


def _matches(found: Unit, gold: Unit) -> bool:
    """Both spans overlap; an addition's place may be one word off if its words overlap
    (before or after a word the addition repeats: "I [have confect] I find")."""
    if not _overlap(found.reading, gold.reading):
        return False
    addition = found.base[0] == found.base[1] and gold.base[0] == gold.base[1]
    return _overlap(found.base, gold.base, 1 if addition else 0)


@dataclass
class Score:
    found: int = 0
    gold: int = 0
    matched: int = 0
    exact: int = 0
    typed: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


def score_units(found: list[Unit], gold: list[Unit]) -> Score:
    score = Score(len(found), len(gold))
    free = list(found)
    for unit in gold:
        match = next((f for f in free if _matches(f, unit)), None)
        if match is None:
            continue
        free.remove(match)
        score.matched += 1
        score.exact += match.base == unit.base and match.reading == unit.reading
        score.typed += match.type == unit.type
    return score


def score_corrections(found: set[tuple[int, str]], gold: set[tuple[int, str]]) -> Score:
    matched = len(found & gold)
    return Score(len(found), len(gold), matched, matched, matched)


def evaluate(
    folder: Path = ENCODED, aligner: Aligner | None = None
) -> dict[str, tuple[Score, Score]]:
    """(variants, corrections) scores per witness of the gold."""
    gold = read_gold(GOLD, folder)
    words = Words("en", default_settings())
    base = witness(BASE, folder)
    others = {name: witness(name, folder) for name in gold.units}
    options = {"aligner": aligner} if aligner is not None else {}
    everything = collate([base, *others.values()], words, **options)  # type: ignore[arg-type]
    proposed: dict[str, set[tuple[int, str]]] = {name: set() for name in others}
    for correction in propose(everything, words):
        name = list(others)[correction.witness - 1] if correction.witness else BASE
        text = correction.text
        proposed.setdefault(name, set()).add((correction.token, key_of(text)))
    results = {}
    for name, other in others.items():
        pair = collate([base, other], words, **options)  # type: ignore[arg-type]
        units = score_units(found_units(pair), gold.units[name])
        fixes = score_corrections(proposed[name], gold.corrections[name])
        results[name] = (units, fixes)
    return results


def table(results: dict[str, tuple[Score, Score]]) -> list[str]:
    lines = [
        f"{'witness':<24} {'what':<12} {'gold':>5} {'found':>6} {'match':>6} {'exact':>6}"
        f" {'typed':>6} {'P':>6} {'R':>6}"
    ]
    totals = {"variants": Score(), "corrections": Score()}
    for name, scores in results.items():
        for what, score in zip(("variants", "corrections"), scores, strict=True):
            total = totals[what]
            total.found += score.found
            total.gold += score.gold
            total.matched += score.matched
            total.exact += score.exact
            total.typed += score.typed
            lines.append(_row(name, what, score))
    for what, total in totals.items():
        lines.append(_row("all", what, total))
    return lines


def _row(name: str, what: str, score: Score) -> str:
    return (
        f"{name:<24} {what:<12} {score.gold:>5} {score.found:>6} {score.matched:>6}"
        f" {score.exact:>6} {score.typed:>6} {score.precision:>6.2f} {score.recall:>6.2f}"
    )


if __name__ == "__main__":
    sys.stdout.write("\n".join(table(evaluate())) + "\n")

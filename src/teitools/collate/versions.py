"""Which documents are versions of one letter, and what kind of version each one is.

Two documents are versions of one letter when they share a large part of their text (the
word triples of the shorter one that say something, i.e. are not found in many documents;
:data:`~teitools.collate.settings.Settings` says how much and how many), or a smaller part
and their correspondents and date agree, or (where a corpus repeats its phrases so often
that few triples say anything) they have the same correspondents and day and half their
text in common, or they are in two languages and agree in correspondents and exact date
(a letter and its translation).
Documents written to different people, or dated too far apart, are never versions of one
another, however much text they share (a circular, a form letter). Versions are grouped
transitively.

Kinds, as far as the evidence goes: ``translation`` (another language than most of the
group, or marked as such), ``draft`` (marked as a draft: status, draft marks), ``sent``
(the signed copy that is not a draft), ``transcription`` (a copy whose words agree with
the sent copy's all but for OCR damage), else ``version``. Each kind comes with the
evidence, in words.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from teitools.collate.settings import Settings
from teitools.collate.witness import Facts, Profile, Witness

KIND_LABELS = {
    "sent": "sent copy",
    "draft": "draft",
    "transcription": "transcription",
    "translation": "translation",
    "version": "version",
}
KIND_ORDER = ("sent", "transcription", "version", "draft", "translation")


@dataclass
class Kind:
    kind: str  # sent, draft, transcription, translation, version
    evidence: str  # why, in words

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _triples(profile: Profile) -> set[tuple[str, str, str]]:
    keys = profile.keys
    return {(keys[k], keys[k + 1], keys[k + 2]) for k in range(len(keys) - 2)}


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _parties_agree(a: Facts, b: Facts) -> bool | None:
    """True if both name the same correspondents, False if they name others, None if one
    of them names none."""
    if not (a.senders or a.addressees) or not (b.senders or b.addressees):
        return None
    for mine, theirs in ((a.senders, b.senders), (a.addressees, b.addressees)):
        if mine and theirs and not set(mine) & set(theirs):
            return False
    return True


def _dates(a: Facts, b: Facts, settings: Settings) -> bool | None:
    """True if the dates agree (exactly, or within each other's range), False if they are
    further apart than versions of one letter are, None if one is undated."""
    first, second = _day(a.when), _day(b.when)
    if first is None or second is None:
        return None
    if a.until or b.until:
        last_a = _day(a.until) or first
        last_b = _day(b.until) or second
        return first <= last_b and second <= last_a
    apart = abs((first - second).days)
    if apart == 0:
        return True
    return None if apart <= settings.max_days_apart else False


def find_groups(witnesses: Sequence[Profile], settings: Settings) -> list[list[int]]:
    """Groups (two or more) of indices into ``witnesses`` (their profiles) that are
    versions of one letter, each in the order of ``witnesses``; the groups in the order of
    their first member."""
    triples = [_triples(w) for w in witnesses]
    holders: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, found in enumerate(triples):
        for triple in found:
            holders[triple].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    telling = [0] * len(witnesses)  # each document's triples that say something
    for members in holders.values():
        if len(members) > settings.common_triple_documents:
            continue  # a formula, a letterhead: no evidence either way
        for x in range(len(members)):
            telling[members[x]] += 1
            for y in range(x + 1, len(members)):
                shared[(members[x], members[y])] += 1
    parent = list(range(len(witnesses)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(x: int, y: int) -> None:
        parent[max(root(x), root(y))] = min(root(x), root(y))

    for (x, y), count in shared.items():
        a, b = witnesses[x].facts, witnesses[y].facts
        share = count / max(1, min(telling[x], telling[y]))
        parties, dates = _parties_agree(a, b), _dates(a, b, settings)
        if parties is False or dates is False:
            continue
        if parties and dates:
            if share >= settings.shared_triples_same_facts:
                join(x, y)
        elif share >= settings.shared_triples and count >= settings.min_shared_triples:
            join(x, y)
    by_facts: dict[tuple[frozenset[str], frozenset[str], str], list[int]] = defaultdict(list)
    for index, witness in enumerate(witnesses):
        facts = witness.facts
        if (facts.senders or facts.addressees) and _day(facts.when) and not facts.until:
            key = (frozenset(facts.senders), frozenset(facts.addressees), facts.when[:10])
            by_facts[key].append(index)
    for members in by_facts.values():
        # the same correspondents on the same day, and half their text in common, formulas
        # included: where a corpus repeats its phrases so often that few triples say
        # anything, the facts say which documents to compare (at most as many as a triple
        # may be found in: facts that many documents share tell them apart no better)
        if len(members) <= settings.common_triple_documents:
            for x, y in itertools.combinations(members, 2):
                common = len(triples[x] & triples[y])
                shorter = min(len(triples[x]), len(triples[y]))
                if common and common >= settings.shared_triples * shorter:
                    join(x, y)
        if not (witnesses[members[0]].facts.senders and witnesses[members[0]].facts.addressees):
            continue  # a letter and its translation are told by both correspondents and the day
        languages = Counter(witnesses[k].facts.language for k in members)  # they share no words
        if len(languages) < 2 or "" in languages or max(languages.values()) > 1:
            continue  # one document in each language, or it cannot be told which is which
        for other in members[1:]:
            join(members[0], other)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(witnesses)):
        groups[root(index)].append(index)
    return [members for _, members in sorted(groups.items()) if len(members) > 1]


def main_language(witnesses: Sequence[Witness]) -> str:
    """The language most of the group's words are in."""
    counts: Counter[str] = Counter()
    for witness in witnesses:
        counts[witness.facts.language or ""] += witness.words
    return max(sorted(counts), key=lambda language: counts[language]) if counts else ""


def first_kinds(witnesses: Sequence[Witness]) -> list[Kind]:
    """Kinds from each document's own marks: translation, draft, signed (sent), or not yet
    known (version)."""
    language = main_language(witnesses)
    kinds = []
    for witness in witnesses:
        facts = witness.facts
        if facts.translation:
            kinds.append(Kind("translation", f"marked so: {facts.translation!r}"))
        elif facts.language and language and facts.language != language:
            kinds.append(Kind("translation", f"in another language ({facts.language})"))
        elif facts.draft:
            kinds.append(Kind("draft", facts.draft.rstrip(".")))
        elif facts.signed:
            kinds.append(Kind("sent", f"signed {facts.signed!r}, not marked as a draft"))
        else:
            kinds.append(Kind("version", "no mark of its status"))
    sent = [k for k, kind in enumerate(kinds) if kind.kind == "sent"]
    for extra in sorted(sent, key=lambda k: -witnesses[k].words)[1:]:
        kinds[extra] = Kind("version", f"signed {witnesses[extra].facts.signed!r}, as is another")
    return kinds


def choose_base(witnesses: Sequence[Witness], kinds: Sequence[Kind]) -> int:
    """The witness the others are collated against: the sent copy, else the longest
    version that is neither a draft nor a translation, else the longest."""

    def rank(k: int) -> tuple[int, int, str]:
        return (KIND_ORDER.index(kinds[k].kind), -witnesses[k].words, witnesses[k].stem)

    return min(range(len(witnesses)), key=rank)


def transcription(agreement: float, base: Witness, settings: Settings) -> Kind | None:
    """An unmarked copy whose words agree with the sent copy's (``agreement``: the share
    of its words aligned to the same or an OCR-damaged form) is a transcription of it."""
    if agreement < settings.transcription_agreement:
        return None
    return Kind(
        "transcription",
        f"unsigned; its words agree with the sent copy {base.stem} in {int(agreement * 100)}% of "
        "places, the rest OCR damage",
    )

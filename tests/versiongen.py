"""Two versions of one generated letter, with their differences known.

:func:`version_pair` takes the paragraphs of a letter from :mod:`lettergen` (English,
German or French) as the base and makes a second version of it by edits whose places it
records: OCR damage of single words (one of lettergen's confusions; the correction is
known), words replaced, words added, words left out, and a phrase moved elsewhere. The
second version is laid out as a transcription would be: hard-wrapped lines (``lb``) and
words hyphenated at the line end (``lb break="no"``), so that alignment must see through
both. :func:`tei` makes a minimal TEI letter of either version.

Deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from lettergen import CONFUSIONS, generated_letter

KINDS = (
    ("ocr", 0.4),
    ("wording", 0.2),
    ("addition", 0.15),
    ("omission", 0.15),
    ("transposition", 0.1),
)
FILLERS = {
    "en": ["indeed", "certainly", "very", "also", "now", "still", "perhaps", "truly"],
    "de": ["wirklich", "gewiss", "sehr", "auch", "nun", "noch", "vielleicht", "freilich"],
    "fr": ["vraiment", "certes", "très", "aussi", "maintenant", "encore", "peut-être", "bien"],
}


@dataclass
class Edit:
    base: tuple[int, int]  # word span in the base ([start, end))
    version: tuple[int, int]  # word span in the version
    type: str


@dataclass
class VersionPair:
    language: str
    base: list[list[str]]  # paragraphs of words
    version: list[list[str]]
    edits: list[Edit] = field(default_factory=list)
    corrections: set[tuple[int, str]] = field(default_factory=set)  # (version word, right word)
    facts: dict[str, str] = field(default_factory=dict)  # the letter's sender, addressee, date


def _damage(word: str, rng: random.Random) -> str | None:
    """``word`` with one OCR confusion put in, if one fits."""
    options = [(right, wrong) for right, wrong in CONFUSIONS if right in word[1:]]
    if not options or len(word) < 5 or not word.isalpha():
        return None
    right, wrong = rng.choice(options)
    k = word.index(right, 1)
    return word[:k] + wrong + word[k + len(right) :]


@dataclass
class _Item:
    word: str
    base: int  # the base word it stands for (-1: added)
    edit: int = -1  # the edit it belongs to
    last: bool = False  # it ends a paragraph


def version_pair(rng: random.Random, paragraphs: list[str] | None = None) -> VersionPair:
    """A letter and a second version of it (see the module's description)."""
    letter = generated_letter(rng)
    texts = paragraphs if paragraphs is not None else letter.paragraphs
    base = [p.split() for p in texts if p.split()]
    words = [w for p in base for w in p]
    last = {sum(len(p) for p in base[: k + 1]) - 1 for k in range(len(base))}
    pool = FILLERS[letter.language]
    vocabulary = sorted({w for w in words if len(w) > 4 and w.isalpha()})
    items: list[_Item] = []
    kinds: list[str] = []
    spans: list[tuple[int, int]] = []  # each edit's base span
    i, gap = 0, rng.randint(3, 12)
    while i < len(words):
        kind = rng.choices([k for k, _ in KINDS[:-1]], [w for _, w in KINDS[:-1]])[0]
        if gap > 0 or i in last or i + 1 in last:
            gap -= 1
            items.append(_Item(words[i], i, last=i in last))
            i += 1
            continue
        gap = rng.randint(6, 24)
        edit = len(kinds)
        if kind == "ocr" and (damaged := _damage(words[i], rng)) is not None:
            items.append(_Item(damaged, i, edit))
            spans.append((i, i + 1))
            i += 1
        elif kind == "wording" and words[i] not in vocabulary[:1]:
            other = rng.choice(vocabulary) if vocabulary else pool[0]
            if other.lower() == words[i].lower():
                continue
            items.append(_Item(other, i, edit))
            spans.append((i, i + 1))
            i += 1
        elif kind == "addition":
            items.extend(_Item(w, -1, edit) for w in rng.sample(pool, rng.randint(1, 3)))
            spans.append((i, i))
        elif kind == "omission":
            size = rng.randint(1, 3)
            if any(k in last for k in range(i, i + size)) or i + size >= len(words):
                continue
            spans.append((i, i + size))
            i += size
        else:
            continue
        kinds.append(kind)
    if rng.random() < KINDS[-1][1] * 5:
        _move(items, kinds, spans, rng)
    pair = _pair(letter.language, base, items, kinds, spans)
    facts = {k: letter.facts.get(k) for k in ("sender", "addressee", "date")}
    pair.facts = {k: str(v) for k, v in facts.items() if v}
    return pair


def _move(
    items: list[_Item], kinds: list[str], spans: list[tuple[int, int]], rng: random.Random
) -> None:
    """Move a phrase of four to seven unedited words ten or more words further on."""
    size = rng.randint(4, 7)
    starts = [
        k
        for k in range(len(items) - size - 12)
        if all(x.edit < 0 and not x.last and x.base >= 0 for x in items[k : k + size])
        and items[k + size - 1].base - items[k].base == size - 1
    ]
    if not starts:
        return
    start = rng.choice(starts)
    phrase = items[start : start + size]
    del items[start : start + size]
    places = [
        k for k in range(start + 10, len(items)) if items[k - 1].edit < 0 and not items[k - 1].last
    ]
    if not places:
        items[start:start] = phrase
        return
    place = rng.choice(places)
    edit = len(kinds)
    for item in phrase:
        item.edit = edit
    items[place:place] = phrase
    kinds.append("transposition")
    spans.append((phrase[0].base, phrase[-1].base + 1))


def _pair(
    language: str,
    base: list[list[str]],
    items: list[_Item],
    kinds: list[str],
    spans: list[tuple[int, int]],
) -> VersionPair:
    edits = []
    corrections: set[tuple[int, str]] = set()
    words = [w for p in base for w in p]
    for edit, (kind, span) in enumerate(zip(kinds, spans, strict=True)):
        mine = [k for k, item in enumerate(items) if item.edit == edit]
        if mine:
            version = (mine[0], mine[-1] + 1)
        else:  # left out: the place before the next base word that is still there
            after = next((k for k, x in enumerate(items) if x.base >= span[1]), len(items))
            version = (after, after)
        edits.append(Edit(span, version, kind))
        if kind == "ocr":
            corrections.add((version[0], words[span[0]]))
    version_paragraphs: list[list[str]] = [[]]
    for item in items:
        version_paragraphs[-1].append(item.word)
        if item.last:
            version_paragraphs.append([])
    paragraphs = [p for p in version_paragraphs if p]
    return VersionPair(language, base, paragraphs, edits, corrections)


def tei(
    paragraphs: list[list[str]],
    width: int = 0,
    hyphenate: bool = False,
    facts: dict[str, str] | None = None,
) -> bytes:
    """A minimal TEI letter; with ``width``, lines of that many characters (``lb``) and,
    with ``hyphenate``, long words split at the line end (``lb break="no"``); with
    ``facts`` (:attr:`VersionPair.facts`), its correspondents and date in ``correspDesc``."""
    body = []
    for words in paragraphs:
        parts: list[str] = []
        used = 0
        for word in words:
            text = escape(word)
            if width and used and used + 1 + len(word) > width:
                room = width - used - 2
                if hyphenate and len(word) >= 8 and word.isalpha() and room >= 3:
                    cut = min(room, len(word) - 3)
                    parts.append(f' {escape(word[:cut])}-<lb break="no"/>{escape(word[cut:])}')
                    used = len(word) - cut
                    continue
                parts.append(f"\n<lb/>{text}")
                used = len(word)
            else:
                parts.append(f" {text}" if parts else text)
                used += len(word) + (1 if used else 0)
        body.append(f"<p>{''.join(parts)}</p>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
        "<teiHeader><fileDesc><titleStmt><title>Letter</title></titleStmt>"
        "<publicationStmt><p>Generated.</p></publicationStmt>"
        "<sourceDesc><p>Generated.</p></sourceDesc></fileDesc>"
        f"{_correspondence(facts or {})}</teiHeader>"
        f"<text><body><div type=\"letter\">{''.join(body)}</div></body></text></TEI>\n"
    ).encode()


def _correspondence(facts: dict[str, str]) -> str:
    if not facts:
        return ""
    sent = f"<persName>{escape(facts['sender'])}</persName>" if "sender" in facts else ""
    sent += f'<date when="{escape(facts["date"])}"/>' if "date" in facts else ""
    received = f"<persName>{escape(facts['addressee'])}</persName>" if "addressee" in facts else ""
    actions = f'<correspAction type="sent">{sent}</correspAction>' if sent else ""
    actions += f'<correspAction type="received">{received}</correspAction>' if received else ""
    return f"<profileDesc><correspDesc>{actions}</correspDesc></profileDesc>"

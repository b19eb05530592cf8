"""Names the letter itself gives: who signed it, whom it addresses, where it was written.

No register is needed: a signature ("(Sgd.) ALEXANDER CADOGAN", "/s/ John F. Kennedy",
"gez. Willy Andreas", initials, a typed name under a signature), a salutation ("Dear Mr.
Harriman", "Sehr geehrter Herr Professor Brenner"), the first line of an inside address and
the place before or after the date in a dateline each give a name as written, with its
certainty and the reason. The register, where it knows the person, links and
disambiguates (see :mod:`~teitools.reader.correspondents`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teitools.rules import Rules

_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÞĀ-Ž][\w'’-]*\.?|[A-ZÀ-Þ]\.|(?:von|van|de|der|du|da|di|le|la|zu|d['’]\w+))$"
)
_INITIALS = re.compile(r"^(?:[A-ZÀ-Þ]\.?\s?){1,3}$")
_ADDRESS_HEAD = re.compile(
    r"^(?:To|An|À|A|Herrn|His|Her|Their|Your|The)\s+(?:Excellency|Majesty|Honou?rable\s+)?\s*",
)


@dataclass(frozen=True)
class Found:
    name: str  # as it should be printed: "Alexander Cadogan", "Mr. Harriman"
    written: str  # as the letter has it
    cert: str  # high | medium | low
    note: str


def _clean(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).strip(" ,;:.!-–—")


_RUN_TOGETHER = re.compile(r"(?<=[a-zà-ÿ]{3})(?<![A-Z][a-z]{2})(?=[A-ZÀ-Þ][a-zà-ÿ])")


def _display(name: str) -> str:
    """ALEXANDER CADOGAN → Alexander Cadogan; a name written run together is parted
    (HermBahr → Herm Bahr, but McCarthy, DeWitt, MacDonald stay); other names as written."""
    name = _RUN_TOGETHER.sub(" ", name)
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return " ".join(
            w if _INITIALS.match(w) else "-".join(p.capitalize() for p in w.split("-"))
            for w in name.split()
        )
    return name


def _name_words(text: str, rules: Rules) -> list[str]:
    words = text.replace(",", " ").split()
    return [w for w in words if _NAME_WORD.match(w) and w.rstrip(".").lower() not in rules.weekdays]


def signature_name(lines: list[str], rules: Rules) -> Found | None:
    """The name a signature gives. ``lines`` are the signature's blocks, in order."""
    best: Found | None = None
    for raw in lines:
        prefix = rules.signature_prefix.match(raw.strip())
        text = _clean(raw.strip()[prefix.end() :] if prefix else raw)
        if not text or not any(c.isalpha() for c in text) or any(c.isdigit() for c in text):
            continue
        if _INITIALS.match(text) or re.fullmatch(r"[A-Z]{1,3}", text):
            found = Found(text, raw.strip(), "low", f"the signature gives initials only ({raw!r})")
        else:
            words = text.split()
            named = _name_words(text, rules)
            if len(named) < max(1, len(words) - 1) or len(words) > 6:
                continue  # a title or a line of prose, not a name
            how = f"the signature {raw.strip()!r}" + (
                f" (after {prefix.group().strip()!r}, a typed signature)" if prefix else ""
            )
            found = Found(_display(text), raw.strip(), "high" if len(named) > 1 else "medium", how)
        if best is None or best.cert == "low" or (found.cert != "low" and prefix is not None):
            best = found
    return best


def _strip_head(text: str, rules: Rules) -> str:
    words = _clean(text).split()
    while words and words[0].lower().rstrip(",") in rules.salutation_words:
        words.pop(0)
    return " ".join(words)


def addressed_name(salutation: str, rules: Rules) -> tuple[Found | None, str]:
    """The person a salutation names, or None and why not ("a title only")."""
    rest = _strip_head(re.split(r"\s[–—-]\s|[,:;!?(]", salutation, maxsplit=1)[0], rules)
    if not rest:
        return None, f"the salutation {salutation!r} names nobody"
    words = rest.split()
    for k, word in enumerate(words):  # the name ends where the prose begins
        if not _NAME_WORD.match(word) and word.rstrip(".") not in rules.titles:
            words = words[:k]
            break
    rest = " ".join(words)
    named = [
        w
        for w in words
        if _NAME_WORD.match(w)
        and w.rstrip(".").lower() not in rules.unnamed_addressees
        and w.rstrip(".") not in rules.titles
    ]
    if not named:
        return None, f"the salutation {salutation!r} addresses the recipient by title only"
    cert = "medium" if len(named) == 1 else "high"
    note = f"named in the salutation {salutation!r}"
    return Found(_display(rest), salutation, cert, note), note


def address_name(lines: list[str], rules: Rules) -> Found | None:
    """The addressee an inside address names on its first lines."""
    for raw in lines[:2]:
        text = _clean(_ADDRESS_HEAD.sub("", raw.strip()))
        words = text.split()
        if not words or len(words) > 7 or any(c.isdigit() for c in text):
            continue
        titled = _ADDRESS_HEAD.match(raw.strip()) or any(
            w.strip(".,") in rules.titles for w in raw.split()
        )
        if not titled:
            continue  # a letterhead, a firm, a hotel: no form of address names a person
        shaped = _name_words(text, rules)
        named = [
            w
            for w in shaped
            if w.rstrip(".") not in rules.titles and w.lower() not in rules.unnamed_addressees
        ]
        if named and len(shaped) >= len(words) - 1:
            return Found(_display(text), raw.strip(), "high", f"the inside address {raw.strip()!r}")
    return None


def dateline_place(text: str, span: tuple[int, int] | None, rules: Rules) -> Found | None:
    """The place a dateline names before its date ("Heidelberg, den …") or after it ("… Wien.");
    in a dateline stacked over lines, the nearest line that is a place's name ("328 Mickle
    Street / Camden New Jersey / April 18 '87": Camden New Jersey; a street is no place)."""
    if span is None:
        return None
    before, after = text[: span[0]], text[span[1] :]
    head, _, same_before = before.rpartition("\n")
    same_after, _, tail = after.partition("\n")
    parts = [same_before, same_after, *reversed(head.split("\n")), *tail.split("\n")]
    stacked = "\n" in text
    shown = " ".join(text.split())
    for part in parts:
        words = [w for w in _clean(part).split() if w.lower() not in rules.dateline_words]
        words = [w for w in words if w.rstrip(".,").lower() not in rules.weekdays]
        place = _clean(" ".join(words))
        if not place or any(c.isdigit() for c in place):
            continue
        if len(place.split()) > (6 if stacked else 4):
            continue
        first = place.split(",")[0].strip()
        if (
            first
            and first[0].isupper()
            and all(_NAME_WORD.match(w) or (w.islower() and len(w) <= 3) for w in first.split())
        ):
            return Found(first, shown, "high", f"named in the dateline {shown!r}")
    return None

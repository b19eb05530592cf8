"""Conversion rules as data: load ``data/rules.yaml`` and any project rules files on top.

Rules files are read safely (:mod:`teitools.safeyaml`) and their patterns compiled so that
they cannot hang the converter (:mod:`teitools.patterns`); every error names the file the
rule came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from teitools.errors import InputError, RulesError
from teitools.fsio import read_bounded
from teitools.patterns import Pattern, compile_pattern
from teitools.resources import DATA
from teitools.safeyaml import load_yaml

BUNDLED = "rules.yaml (bundled)"
MAX_RULES_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class FurnitureRule:
    kind: str
    pattern: Pattern


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (caches)
class Rules:
    """Compiled rules; see ``data/rules.yaml`` for what each field means."""

    furniture: tuple[FurnitureRule, ...]
    max_furniture_length: int
    marks: dict[str, tuple[str, ...]]
    mark_similarity: float
    salutations: tuple[Pattern, ...]  # of every language
    closings: tuple[Pattern, ...]
    closing_words: frozenset[str]  # lower case, of every language
    closing_stems: tuple[str, ...]  # closing words of five letters or more: inflected forms
    closing_starts: frozenset[str]  # a short last line that starts so is a closing
    closing_ends: frozenset[str]  # ... or ends so, right above the signature
    closing_keys: frozenset[str]  # words of closing sentences ("Hochachtung", "sentiments")
    signature_prefix: Pattern  # "(Sgd.)", "/s/", "gez." at the start of a line
    firm_prefix: Pattern  # "Per la", "For the", "i. A." before a firm or office, then a name
    titles: frozenset[str]  # forms of address, without a final full stop
    name_suffixes: frozenset[str]  # after a name, a person's ("Esq."), not an office
    postscript: Pattern
    dateline_words: frozenset[str]
    salutation_words: frozenset[str]  # lower case
    unnamed_addressees: frozenset[str]  # lower case
    weekdays: frozenset[str]  # lower case
    street_words: tuple[str, ...]  # lower case: a word ending so names a street, not a place
    languages: tuple[str, ...]
    default_language: str
    transcription: dict[str, Pattern]
    two_digit_century: int
    two_digit_pivot: int
    address_openers: tuple[Pattern, ...]
    signatures: tuple[Pattern, ...]
    max_signature_words: int
    scripts: dict[str, str]
    keep_hyphen_prefixes: frozenset[str]
    confusions: tuple[tuple[str, str], ...]
    terms: frozenset[str]
    spurious: frozenset[str]
    min_frequency: float
    months: dict[str, int]
    roman: dict[str, int]
    date_patterns: tuple[Pattern, ...]
    after_meeting: tuple[Pattern, ...]
    same_year: tuple[Pattern, ...]
    replies: tuple[Pattern, ...]
    box: Pattern


# Lists tried in order where the first match wins: a project's own entries go first.
FIRST_MATCH = frozenset({"furniture"})


def _merge(base: dict[str, Any], extra: dict[str, Any], where: str, at: str = "") -> dict[str, Any]:
    """``base`` extended by ``extra`` (read from ``where``): lists appended (put first where
    the first match wins), mappings merged, other values replaced. A list or mapping may not
    be replaced by anything else."""
    merged = dict(base)
    for key, value in extra.items():
        name, old = f"{at}{key}", merged.get(key)
        if isinstance(value, list) and isinstance(old, list):
            first, then = (value, old) if key in FIRST_MATCH else (old, value)
            merged[key] = [*first, *then]
        elif isinstance(value, dict) and isinstance(old, dict):
            merged[key] = _merge(old, value, where, f"{name}.")
        elif isinstance(old, list | dict):
            shape = "a list" if isinstance(old, list) else "a mapping"
            raise RulesError(f"rule {name}: must be {shape}, as in the bundled rules", where)
        else:
            merged[key] = value
    return merged


class _Read(str):
    """A string read from a project's rules file, which remembers that file."""

    origin: str


def _read(text: str, origin: str) -> _Read:
    marked = _Read(text)
    marked.origin = origin
    return marked


def _mark(data: Any, origin: str) -> Any:
    """``data`` with every string marked as read from ``origin`` (kept through the merge)."""
    if isinstance(data, str):
        return _read(data, origin)
    if isinstance(data, list):
        return [_mark(item, origin) for item in data]
    if isinstance(data, dict):
        return {key: _mark(value, origin) for key, value in data.items()}
    return data


def _compile(pattern: str, rule: str) -> Pattern:
    if not isinstance(pattern, str):
        raise RulesError(f"rule {rule}: a pattern must be a string, not {pattern!r:.40}")
    origin = getattr(pattern, "origin", None)
    return compile_pattern(pattern, rule, origin or BUNDLED, probe=origin is not None)


def _load_yaml(text: str, where: str) -> dict[str, Any]:
    data = load_yaml(text, where, RulesError)
    if not isinstance(data, dict):
        raise RulesError("a rules file must be a mapping of rule names", where)
    return data


def compile_rules(data: dict[str, Any]) -> Rules:
    """Build :class:`Rules` from plain data (as read from YAML)."""
    try:
        ocr = data["ocr"]
        clues = data["date_clues"]
        months = {
            name.lower(): int(number)
            for number, names in data["dates"]["months"].items()
            for name in names
        }
        month_alt = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
        month_alt = rf"\b(?i:{month_alt})\b"
        formulas = data["formulas"]
        languages = sorted(formulas)
        salutations = [p for lang in languages for p in formulas[lang]["salutations"]]
        closings = [p for lang in languages for p in formulas[lang]["closings"]]
        prefixes = [p for lang in languages for p in formulas[lang]["signature_prefixes"]]
        firms = [p for lang in languages for p in formulas[lang].get("firm_prefixes", [])]
        postscripts = [formulas[lang]["postscript"] for lang in languages]
        roman = {str(name): k for k, name in enumerate(data["dates"]["roman"], start=1)}
        roman_alt = "|".join(sorted(map(re.escape, roman), key=len, reverse=True))
        roman_alt = rf"(?<![\w.])(?:{roman_alt})(?![\w])"
        return Rules(
            furniture=tuple(
                FurnitureRule(r["type"], _compile(r["pattern"], f"furniture {r['type']!r}"))
                for r in data["furniture"]
            ),
            max_furniture_length=int(data["max_furniture_length"]),
            marks={kind: tuple(words) for kind, words in data["marks"].items()},
            mark_similarity=float(data["mark_similarity"]),
            salutations=tuple(
                _compile(p, "salutations") for p in [*salutations, *data.get("salutations", [])]
            ),
            closings=tuple(_compile(p, "closings") for p in [*closings, *data.get("closings", [])]),
            closing_words=frozenset(
                str(w).lower() for lang in languages for w in formulas[lang]["closing_words"]
            ),
            closing_stems=tuple(
                sorted(
                    {
                        str(w).lower()
                        for lang in languages
                        for w in formulas[lang]["closing_words"]
                        if len(str(w)) >= 5
                    }
                )
            ),
            closing_starts=frozenset(
                str(w).lower() for lang in languages for w in formulas[lang]["closing_starts"]
            ),
            closing_ends=frozenset(
                str(w).lower() for lang in languages for w in formulas[lang]["closing_ends"]
            ),
            closing_keys=frozenset(
                str(w).lower()
                for lang in languages
                for w in formulas[lang].get("closing_keys", [])
            ),
            signature_prefix=_compile(
                _joined(prefixes, "^(?:{})" + r"\s*"), "signature_prefixes"
            ),
            firm_prefix=_compile(
                _joined(firms or ["(?!)"], "^(?:{})" + r"(?=\s)"), "firm_prefixes"
            ),
            titles=frozenset(
                str(t).rstrip(".") for lang in languages for t in formulas[lang]["titles"]
            ),
            name_suffixes=frozenset(
                str(t).rstrip(".")
                for lang in languages
                for t in formulas[lang].get("name_suffixes", [])
            ),
            postscript=_compile(_joined(postscripts, "{}"), "postscript"),
            dateline_words=frozenset(
                str(w) for lang in languages for w in formulas[lang]["dateline_words"]
            ),
            salutation_words=frozenset(str(w).lower() for w in data["salutation_words"]),
            unnamed_addressees=frozenset(str(w).lower() for w in data["unnamed_addressees"]),
            weekdays=frozenset(str(w).lower() for w in data["weekdays"]),
            street_words=tuple(str(w).lower() for w in data["street_words"]),
            languages=tuple(data["languages"]),
            default_language=str(data["default_language"]),
            transcription={
                k: _compile(v, f"transcription {k}") for k, v in data["transcription"].items()
            },
            two_digit_century=int(data["two_digit_century"]),
            two_digit_pivot=int(data["two_digit_pivot"]),
            address_openers=tuple(_compile(p, "address_openers") for p in data["address_openers"]),
            signatures=tuple(_compile(p, "signatures") for p in data["signatures"]),
            max_signature_words=int(data["max_signature_words"]),
            scripts=dict(data["scripts"]),
            keep_hyphen_prefixes=frozenset(data["keep_hyphen_prefixes"]),
            confusions=tuple((str(a), str(b)) for a, b in ocr["confusions"]),
            terms=frozenset(ocr["terms"]),
            spurious=frozenset(str(c) for c in ocr.get("spurious", [])),
            min_frequency=float(ocr["min_frequency"]),
            months=months,
            roman=roman,
            date_patterns=tuple(
                _compile(_like(p, _dated(p, month_alt, roman_alt)), "dates")
                for p in data["dates"]["patterns"]
            ),
            after_meeting=tuple(_compile(p, "after_meeting") for p in clues["after_meeting"]),
            same_year=tuple(_compile(p, "same_year") for p in clues["same_year"]),
            replies=tuple(_compile(p, "replies") for p in data["replies"]),
            box=_compile(data["box"], "box"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RulesError(f"malformed rules: {type(error).__name__}: {error}") from None


def _dated(pattern: str, month_alt: str, roman_alt: str) -> str:
    return pattern.replace("{month}", month_alt).replace("{roman}", roman_alt)


def _joined(patterns: list[str], frame: str) -> str:
    """``patterns`` as one alternation put in ``frame`` (where ``{}`` stands), marked as read
    from a project's rules file if any of them was (so it is probed as theirs are)."""
    joined = frame.replace("{}", "|".join(f"(?:{p})" for p in patterns))
    origins = [getattr(p, "origin", None) for p in patterns]
    origin = next((o for o in origins if o is not None), None)
    return joined if origin is None else _read(joined, origin)


def _like(original: str, derived: str) -> str:
    """``derived`` marked as read from where ``original`` was."""
    origin = getattr(original, "origin", None)
    return derived if origin is None else _read(derived, origin)


def bundled_rules_text() -> str:
    return (DATA / "rules.yaml").read_text(encoding="utf-8")


@cache
def default_rules() -> Rules:
    return compile_rules(_load_yaml(bundled_rules_text(), BUNDLED))


def load_rules(extra_files: tuple[Path, ...] | list[Path] = ()) -> Rules:
    """The bundled rules, extended by each YAML file in ``extra_files`` in turn."""
    if not extra_files:
        return default_rules()
    data = _load_yaml(bundled_rules_text(), BUNDLED)
    for path in extra_files:
        try:
            text = read_bounded(path, MAX_RULES_BYTES, "a rules file").decode("utf-8")
        except InputError as error:
            raise RulesError(error.message, path) from None
        except UnicodeDecodeError as error:
            raise RulesError(f"not UTF-8 text ({error.reason})", path) from None
        data = _merge(data, _mark(_load_yaml(text, str(path)), str(path)), str(path))
    try:
        return compile_rules(data)
    except RulesError as error:
        if error.path is not None:
            raise
        raise RulesError(error.message, extra_files[-1]) from None

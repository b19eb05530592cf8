"""Conversion rules as data: load ``data/rules.yaml`` and any project rules files on top."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from teitools.errors import RulesError
from teitools.resources import DATA


@dataclass(frozen=True)
class FurnitureRule:
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (caches)
class Rules:
    """Compiled rules; see ``data/rules.yaml`` for what each field means."""

    furniture: tuple[FurnitureRule, ...]
    max_furniture_length: int
    marks: dict[str, tuple[str, ...]]
    mark_similarity: float
    salutations: tuple[re.Pattern[str], ...]  # of every language
    closings: tuple[re.Pattern[str], ...]
    closing_words: frozenset[str]  # lower case, of every language
    closing_stems: tuple[str, ...]  # closing words of five letters or more: inflected forms
    closing_starts: frozenset[str]  # a short last line that starts so is a closing
    closing_ends: frozenset[str]  # ... or ends so, right above the signature
    signature_prefix: re.Pattern[str]  # "(Sgd.)", "/s/", "gez." at the start of a line
    titles: frozenset[str]  # forms of address, without a final full stop
    postscript: re.Pattern[str]
    dateline_words: frozenset[str]
    salutation_words: frozenset[str]  # lower case
    unnamed_addressees: frozenset[str]  # lower case
    weekdays: frozenset[str]  # lower case
    languages: tuple[str, ...]
    default_language: str
    transcription: dict[str, re.Pattern[str]]
    two_digit_century: int
    two_digit_pivot: int
    address_openers: tuple[re.Pattern[str], ...]
    signatures: tuple[re.Pattern[str], ...]
    max_signature_words: int
    scripts: dict[str, str]
    keep_hyphen_prefixes: frozenset[str]
    confusions: tuple[tuple[str, str], ...]
    terms: frozenset[str]
    spurious: frozenset[str]
    min_frequency: float
    months: dict[str, int]
    roman: dict[str, int]
    date_patterns: tuple[re.Pattern[str], ...]
    after_meeting: tuple[re.Pattern[str], ...]
    same_year: tuple[re.Pattern[str], ...]
    replies: tuple[re.Pattern[str], ...]
    box: re.Pattern[str]


# Lists tried in order where the first match wins: a project's own entries go first.
FIRST_MATCH = frozenset({"furniture"})


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            first, then = (value, merged[key]) if key in FIRST_MATCH else (merged[key], value)
            merged[key] = [*first, *then]
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise RulesError(f"bad pattern in {where}: {error}") from None


def _load_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RulesError(f"not valid YAML: {str(error).splitlines()[0]}", where) from None
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
        postscripts = [formulas[lang]["postscript"] for lang in languages]
        roman = {str(name): k for k, name in enumerate(data["dates"]["roman"], start=1)}
        roman_alt = "|".join(sorted(map(re.escape, roman), key=len, reverse=True))
        roman_alt = rf"(?<![\w.])(?:{roman_alt})(?![\w])"
        return Rules(
            furniture=tuple(
                FurnitureRule(r["type"], _compile(r["pattern"], f"furniture {r['type']}"))
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
            signature_prefix=_compile(
                "^(?:" + "|".join(f"(?:{p})" for p in prefixes) + r")\s*", "signature_prefixes"
            ),
            titles=frozenset(
                str(t).rstrip(".") for lang in languages for t in formulas[lang]["titles"]
            ),
            postscript=_compile("|".join(f"(?:{p})" for p in postscripts), "postscript"),
            dateline_words=frozenset(
                str(w) for lang in languages for w in formulas[lang]["dateline_words"]
            ),
            salutation_words=frozenset(str(w).lower() for w in data["salutation_words"]),
            unnamed_addressees=frozenset(str(w).lower() for w in data["unnamed_addressees"]),
            weekdays=frozenset(str(w).lower() for w in data["weekdays"]),
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
                _compile(p.replace("{month}", month_alt).replace("{roman}", roman_alt), "dates")
                for p in data["dates"]["patterns"]
            ),
            after_meeting=tuple(_compile(p, "date_clues") for p in clues["after_meeting"]),
            same_year=tuple(_compile(p, "date_clues") for p in clues["same_year"]),
            replies=tuple(_compile(p, "replies") for p in data["replies"]),
            box=_compile(data["box"], "box"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RulesError(f"malformed rules: {type(error).__name__}: {error}") from None


def bundled_rules_text() -> str:
    return (DATA / "rules.yaml").read_text(encoding="utf-8")


@cache
def default_rules() -> Rules:
    return compile_rules(_load_yaml(bundled_rules_text(), "rules.yaml"))


def load_rules(extra_files: tuple[Path, ...] | list[Path] = ()) -> Rules:
    """The bundled rules, extended by each YAML file in ``extra_files`` in turn."""
    if not extra_files:
        return default_rules()
    data = _load_yaml(bundled_rules_text(), "rules.yaml")
    for path in extra_files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise RulesError(error.strerror or "cannot read", path) from None
        data = _merge(data, _load_yaml(text, str(path)))
    try:
        return compile_rules(data)
    except RulesError as error:
        raise RulesError(error.message, extra_files[-1]) from None

"""The collation's settings as data: ``data/collation.yaml``, or a project's copy of it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from teitools.errors import RulesError
from teitools.fsio import read_bounded
from teitools.resources import DATA
from teitools.rules import default_rules
from teitools.safeyaml import load_yaml

BUNDLED = DATA / "collation.yaml"
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Settings:
    shared_triples: float
    shared_triples_same_facts: float
    common_triple_documents: int
    min_shared_triples: int
    max_days_apart: int
    transcription_agreement: float
    lacuna_words: int
    spelling: dict[str, tuple[tuple[str, str], ...]]  # language ("all" too) → replacements
    confusions: tuple[tuple[str, str], ...]  # read, meant
    terms: frozenset[str]  # words of the domain no dictionary has (the converter's terms)
    line_length: int

    def spellings(self, language: str) -> tuple[tuple[str, str], ...]:
        return self.spelling.get("all", ()) + self.spelling.get(language, ())


def _settings(data: Any, where: str) -> Settings:
    try:
        versions = data["versions"]
        rules = default_rules()
        return Settings(
            shared_triples=float(versions["shared_triples"]),
            shared_triples_same_facts=float(versions["shared_triples_same_facts"]),
            common_triple_documents=int(versions["common_triple_documents"]),
            min_shared_triples=int(versions["min_shared_triples"]),
            max_days_apart=int(versions["max_days_apart"]),
            transcription_agreement=float(versions["transcription_agreement"]),
            lacuna_words=int(versions["lacuna_words"]),
            spelling={
                str(language): tuple((str(a), str(b)) for a, b in pairs or [])
                for language, pairs in (data.get("spelling") or {}).items()
            },
            confusions=tuple((str(a), str(b)) for a, b in data.get("confusions") or [])
            + rules.confusions,
            terms=rules.terms,
            line_length=max(20, int(data["line_length"])),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        message = f"malformed collation settings: {type(error).__name__}: {error}"
        raise RulesError(message, where) from None


@cache
def default_settings() -> Settings:
    text = BUNDLED.read_text(encoding="utf-8")
    return _settings(load_yaml(text, "collation.yaml (bundled)", RulesError), "collation.yaml")


def load_settings(path: Path | None) -> Settings:
    """The bundled settings, or those of ``path`` (a file of the same shape)."""
    if path is None:
        return default_settings()
    text = read_bounded(path, MAX_BYTES, "a settings file").decode("utf-8", errors="replace")
    return _settings(load_yaml(text, str(path), RulesError), str(path))

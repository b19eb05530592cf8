"""Archival facts from page furniture: repository, collection, box, identifiers, marks."""

from __future__ import annotations

from dataclasses import dataclass, field

from teitools.model import Evidence
from teitools.patterns import Pattern
from teitools.reader.classify import closest_mark
from teitools.registers import Registers
from teitools.rules import Rules


@dataclass
class ArchiveFacts:
    repository: Evidence | None = None
    collection: str | None = None
    box: str | None = None
    classification: list[str] = field(default_factory=list)  # normalised marks, e.g. SECRET


def archive_facts(
    furniture: list[tuple[str, str]], registers: Registers, rules: Rules
) -> ArchiveFacts:
    """Facts from ``(fw type, text)`` pairs, in source order."""
    facts = ArchiveFacts()
    texts = [text for _, text in furniture]
    identifiers = [text for kind, text in furniture if kind == "archival"]
    headers = [text for kind, text in furniture if kind == "header"]
    for org in registers.repositories():
        named = _first(org.patterns.get("name_patterns", ()), texts)
        numbered = _first(org.patterns.get("idno_patterns", ()), identifiers)
        filed = _first(org.patterns.get("collection_patterns", ()), headers)
        if named:
            note = f"named in a stamp: {named!r}"
            facts.repository = Evidence(org.id, org.name, "stamp", "high", note)
        elif numbered or filed:
            what = f"its number {numbered!r}" if numbered else f"its file header {filed!r}"
            note = f"{what} has the form this repository gives"
            facts.repository = Evidence(org.id, org.name, "identifier", "medium", note)
        if facts.repository is not None:
            break
    for header in headers:
        start = 0
        for org in registers.repositories():
            for pattern in org.patterns.get("collection_patterns", ()):
                if match := pattern.search(header):
                    start = match.start()
        match = rules.box.match(header[start:])
        facts.collection = (match.group("collection") if match else header[start:]).strip(" ,;")
        facts.box = match.group("box") if match else None
        break
    for kind, text in furniture:
        if kind == "classification":
            mark = closest_mark(text, rules)
            if mark and mark[1] not in facts.classification:
                facts.classification.append(mark[1])
    return facts


def _first(patterns: tuple[Pattern, ...], texts: list[str]) -> str | None:
    return next((t for t in texts if any(p.search(t) for p in patterns)), None)

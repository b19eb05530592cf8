"""The letter profile's rules that its Schematron does not state (ISO dates, checked
against the calendar), and the rules across files (``--across-files``): pointers into
``register.xml``, ``xml:id``s unique in the whole corpus."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from teitools.namespaces import XML_ID
from teitools.validate import xpaths
from teitools.validate.findings import Finding

NOT_DATES = frozenset({"citedRange", "biblScope", "locus", "span", "measure", "precision"})
ISO = re.compile(r"^(?:-?\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}(?:-\d{2})?|---\d{2})$")


def _finding(
    path: Path, element: etree._Element, rule: str, message: str, where: xpaths.Paths
) -> Finding:
    line = element.sourceline or 1
    return Finding(str(path), line, 1, "error", "profile", rule, message, where(element))


def _valid_iso(value: str) -> bool:
    if not ISO.match(value):
        return False
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return 1 <= int(value[5:]) <= 12
    return True


def check_letter(tree: etree._ElementTree, path: Path) -> list[Finding]:
    """Dates of the letter profile: every date attribute a valid ISO 8601 date."""
    root = tree.getroot()
    found: list[Finding] = []
    where = xpaths.Paths()
    for element in root.xpath("//*[@when or @notBefore or @notAfter or @from or @to]"):
        ranges_of_text = etree.QName(element).localname in NOT_DATES  # @from/@to are pages there
        for attr in ("when", "notBefore", "notAfter", "from", "to"):
            value = element.get(attr)
            if ranges_of_text and attr in ("from", "to"):
                continue
            if value is not None and not _valid_iso(value):
                message = f"@{attr}={value!r} is not a valid ISO 8601 date"
                found.append(_finding(path, element, "profile.iso-date", message, where))
    return found


def check_register(
    tree: etree._ElementTree, path: Path, register_ids: set[str] | None
) -> list[Finding]:
    """Pointers into the ``register.xml`` beside the file name entries it has."""
    found: list[Finding] = []
    if register_ids is None:
        return found
    where = xpaths.Paths()
    for element in tree.getroot().xpath("//*[@ref or @sameAs]"):
        for attr in ("ref", "sameAs"):
            for pointer in (element.get(attr) or "").split():
                if pointer.startswith("register.xml#") and pointer[13:] not in register_ids:
                    message = f"@{attr}={pointer!r} is not in register.xml"
                    found.append(_finding(path, element, "profile.register", message, where))
    return found


class IdUse(NamedTuple):
    """An ``xml:id`` as the cross-file check needs it: a worker returns these, not its trees."""

    value: str
    line: int
    xpath: str


def id_uses(tree: etree._ElementTree) -> list[IdUse]:
    """Every ``xml:id`` in the document, in document order."""
    uses, where = [], xpaths.Paths()
    for element in tree.getroot().iter():
        value = element.get(XML_ID)
        if value is not None:
            uses.append(IdUse(value, element.sourceline or 1, where(element)))
    return uses


def duplicate_ids(documents: Iterable[tuple[Path, Sequence[IdUse]]]) -> list[Finding]:
    """xml:ids must be unique across the whole corpus, not only in each file."""
    seen: dict[str, Path] = {}
    found = []
    for path, uses in documents:
        for use in uses:
            if use.value in seen:
                message = f"xml:id {use.value!r} is used again (first in {seen[use.value]})"
                found.append(
                    Finding(
                        str(path),
                        use.line,
                        1,
                        "error",
                        "profile",
                        "profile.unique-id",
                        message,
                        use.xpath,
                    )
                )
            seen.setdefault(use.value, path)
    return found

"""The teitools letter profile: rules TEI's schema does not state (see docs/validation.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from lxml import etree

from teitools.validate.findings import Finding

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NOT_DATES = frozenset({"citedRange", "biblScope", "locus", "span", "measure", "precision"})
ISO = re.compile(r"^(?:-?\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}(?:-\d{2})?|---\d{2})$")


def _finding(path: Path, element: etree._Element, rule: str, message: str) -> Finding:
    return Finding(
        str(path),
        element.sourceline or 1,
        1,
        "error",
        "profile",
        rule,
        message,
        element.getroottree().getpath(element),
    )


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


def check_letter(
    tree: etree._ElementTree, path: Path, register_ids: set[str] | None
) -> list[Finding]:
    """Profile rules for one letter (a TEI document with a ``div[@type='letter']``)."""
    root = tree.getroot()
    found: list[Finding] = []
    if root.xpath("//t:div[@type='letter']", namespaces=NS):
        corresp = root.find(".//t:profileDesc/t:correspDesc", NS)
        if corresp is None:
            found.append(
                _finding(path, root, "profile.correspDesc", "a letter needs a correspDesc")
            )
        else:
            for kind, what in (("sent", "sender"), ("received", "addressee")):
                if not corresp.xpath(
                    f"t:correspAction[@type='{kind}']/t:persName | "
                    f"t:correspAction[@type='{kind}']/t:orgName",
                    namespaces=NS,
                ):
                    found.append(
                        _finding(
                            path, corresp, "profile.correspondents", f"correspDesc names no {what}"
                        )
                    )
            if not corresp.xpath(
                "t:correspAction[@type='sent']/t:date[@when or @notBefore or "
                "@notAfter or @from or @to]",
                namespaces=NS,
            ):
                found.append(
                    _finding(
                        path,
                        corresp,
                        "profile.date",
                        "correspDesc gives no date or date range for sending",
                    )
                )
    for element in root.xpath("//*[@when or @notBefore or @notAfter or @from or @to]"):
        ranges_of_text = etree.QName(element).localname in NOT_DATES  # @from/@to are pages there
        for attr in ("when", "notBefore", "notAfter", "from", "to"):
            value = element.get(attr)
            if ranges_of_text and attr in ("from", "to"):
                continue
            if value is not None and not _valid_iso(value):
                found.append(
                    _finding(
                        path,
                        element,
                        "profile.iso-date",
                        f"@{attr}={value!r} is not a valid ISO 8601 date",
                    )
                )
    ids = set(root.xpath("//@xml:id", namespaces=NS))
    for element in root.xpath("//*[@ref or @resp or @target or @who or @sameAs]"):
        for attr in ("ref", "resp", "target", "who", "sameAs"):
            for pointer in (element.get(attr) or "").split():
                if pointer.startswith("#") and pointer[1:] not in ids:
                    found.append(
                        _finding(
                            path,
                            element,
                            "profile.pointer",
                            f"@{attr}={pointer!r} points to no xml:id in the document",
                        )
                    )
                elif (
                    pointer.startswith("register.xml#")
                    and register_ids is not None
                    and pointer.split("#", 1)[1] not in register_ids
                ):
                    message = f"@{attr}={pointer!r} is not in register.xml"
                    found.append(_finding(path, element, "profile.register", message))
    last = 0
    for pb in root.xpath("//t:text//t:pb[@n]", namespaces=NS):
        number = pb.get("n", "")
        if number.isdigit():
            if int(number) <= last:
                found.append(
                    _finding(path, pb, "profile.pb-order", f"page {number} follows page {last}")
                )
            last = int(number)
    for p in root.xpath("//t:text//t:p", namespaces=NS):
        if not "".join(p.itertext()).strip() and not len(p):
            found.append(_finding(path, p, "profile.empty-p", "empty paragraph"))
    return found


def duplicate_ids(documents: Iterable[tuple[Path, etree._ElementTree]]) -> list[Finding]:
    """xml:ids must be unique across the whole corpus, not only in each file."""
    seen: dict[str, Path] = {}
    found = []
    for path, tree in documents:
        for element in tree.getroot().iter():
            value = element.get(XML_ID)
            if value is None:
                continue
            if value in seen:
                found.append(
                    _finding(
                        path,
                        element,
                        "profile.unique-id",
                        f"xml:id {value!r} is used again (first in {seen[value]})",
                    )
                )
            seen.setdefault(value, path)
    return found

"""Our own small Schematron compiler: ISO Schematron (XPath 2/3) to one XSLT 3.0 stylesheet.

Every rule becomes a template rule in one mode, with a priority that falls in document order,
so one pass over the document visits each node once and the templates that match it run in
rule order, each handing on to the next with ``xsl:next-match``. A node matched by an earlier
rule of the same pattern is not checked by a later one (Schematron's first-matching-rule
semantics; a ``done`` parameter carries the patterns already served). A template's ``let``s are
variables; ``current()`` is XSLT's own. Template matching is XSLT 3.0 pattern matching, which
the XSLT specification defines as membership of ``root(.)//(context)``.

A failed assert or a successful report yields three items: the node, the check's number and the
message text. A test that raises a dynamic error, in itself or in a ``let`` it uses, reports
nothing. The stylesheet is generated from the schema alone, so it can be cached on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.errors import TeitoolsError

SCH = "{http://purl.oclc.org/dsdl/schematron}"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XSL = f"{{{XSL_NS}}}"
XS_NS = "http://www.w3.org/2001/XMLSchema"
CHECKS = (f"{SCH}assert", f"{SCH}report")
RECIPE = "sch-xslt/1"  # bump when the generated stylesheet changes: it keys the disk cache
_UNSUPPORTED = ("include", "extends", "phase", "diagnostics")


@dataclass(frozen=True)
class Check:
    """One assert or report, numbered in document order."""

    pattern: str
    kind: str  # assert | report
    severity: str  # error | warning


def _parse(schema: Path) -> etree._Element:
    try:
        return etree.parse(str(schema), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise TeitoolsError(f"cannot read the Schematron schema: {error}", schema) from error


def _rules(root: etree._Element, schema: Path) -> list[tuple[int, int, etree._Element]]:
    """(pattern number, rule number in the pattern, rule) in document order.

    Constructs this compiler lacks are refused rather than silently skipped.
    """
    for name in _UNSUPPORTED:
        if root.find(f".//{SCH}{name}") is not None:
            raise TeitoolsError(f"sch:{name} is not supported by teitools' Schematron", schema)
    if root.find(f"{SCH}let") is not None or root.find(f"{SCH}pattern/{SCH}let") is not None:
        raise TeitoolsError("sch:let outside a rule is not supported", schema)
    found = []
    for number, pattern in enumerate(root.iter(f"{SCH}pattern")):
        if pattern.get("abstract") == "true" or pattern.get("is-a"):
            raise TeitoolsError("abstract patterns are not supported", schema)
        for index, rule in enumerate(pattern.iter(f"{SCH}rule")):
            if rule.get("abstract") == "true":
                raise TeitoolsError("abstract rules are not supported", schema)
            found.append((number, index, rule))
    return found


@cache
def checks(schema: Path) -> tuple[Check, ...]:
    """The schema's asserts and reports, numbered as the generated stylesheet numbers them."""
    found = []
    for _, _, rule in _rules(_parse(schema), schema):
        pattern = rule.getparent()
        for check in rule:
            if check.tag in CHECKS:
                role = check.get("role")
                severity = "warning" if role in {"nonfatal", "warning", "info"} else "error"
                found.append(Check(pattern.get("id", ""), etree.QName(check).localname, severity))
    return tuple(found)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _message(check: etree._Element) -> str:
    """An XPath expression for the message: text, ``sch:name`` and ``sch:value-of``."""
    parts = [_literal(check.text or "")]
    for child in check:
        if child.tag == f"{SCH}name":
            parts.append("local-name(.)")
        elif child.tag == f"{SCH}value-of":
            select = child.get("select", "")
            parts.append(f"string-join(for $i in ({select}) return string($i), ' ')")
        elif isinstance(child.tag, str):
            parts.append(_literal("".join(child.itertext())))
        parts.append(_literal(child.tail or ""))
    return f"string-join(({', '.join(parts)}), '')"


def _add(parent: etree._Element, instruction: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{XSL}{instruction}", attributes)


def _hand_on(parent: etree._Element, done: str) -> None:
    _add(_add(parent, "next-match"), "with-param", name="done", select=done)


def to_xslt(schema: Path) -> bytes:
    """The XSLT 3.0 stylesheet that checks a document against ``schema``."""
    root = _parse(schema)
    rules = _rules(root, schema)
    namespaces = {ns.get("prefix", ""): ns.get("uri", "") for ns in root.iter(f"{SCH}ns")}
    nsmap = {"xsl": XSL_NS, "xs": XS_NS, **namespaces}
    sheet = etree.Element(f"{XSL}stylesheet", nsmap=nsmap, version="3.0")
    sheet.set("exclude-result-prefixes", "#all")
    _add(sheet, "mode", name="rules", **{"on-no-match": "deep-skip"})
    start = _add(sheet, "template", match="/")
    _add(start, "apply-templates", select="(., //node(), //@*)", mode="rules")
    several = {pattern for pattern, index, _ in rules if index > 0}
    number = 0
    for priority, (pattern, index, rule) in zip(range(len(rules), 0, -1), rules, strict=True):
        context = " ".join(rule.get("context", "").split())
        template = _add(sheet, "template", match=context, mode="rules", priority=str(priority))
        _add(template, "param", name="done", select="()", **{"as": "xs:integer*"})
        body = template
        if index > 0:
            choose = _add(template, "choose")
            _hand_on(_add(choose, "when", test=f"$done = {pattern}"), "$done")
            body = _add(choose, "otherwise")
        guarded = _add(body, "try")
        for let in rule.iter(f"{SCH}let"):
            _add(guarded, "variable", name=let.get("name", ""), select=let.get("value", ""))
        for check in rule:
            if check.tag not in CHECKS:
                continue
            test = check.get("test", "")
            condition = test if check.tag == f"{SCH}report" else f"not({test})"
            attempt = _add(guarded, "try")
            result = f"(., {number}, {_message(check)})"
            _add(_add(attempt, "if", test=condition), "sequence", select=result)
            _add(attempt, "catch", select="()")
            number += 1
        _add(guarded, "catch", select="()")
        _hand_on(body, f"($done, {pattern})" if pattern in several else "$done")
    text: bytes = etree.tostring(sheet, xml_declaration=True, encoding="UTF-8")
    return text

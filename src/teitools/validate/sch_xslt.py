"""Our own small Schematron compiler: ISO Schematron (XPath 2/3, or 1.0) to one XSLT 3.0
stylesheet.

Every rule becomes a template rule in one mode, with a priority that falls in document order,
so one pass over the document visits each node once and the templates that match it run in
rule order, each handing on to the next with ``xsl:next-match``. A node matched by an earlier
rule of the same pattern is not checked by a later one (Schematron's first-matching-rule
semantics; a ``done`` parameter carries the patterns already served). A rule's ``let``s are
variables, the schema's own ``let``s global variables (the document their context);
``current()`` is XSLT's own. Abstract rules (``sch:extends``) and abstract patterns
(``is-a`` with ``sch:param``) are expanded, ``sch:include`` is followed inside the project,
phases and diagnostics are ignored (every pattern runs). ``xsl:key`` declarations of the
schema are kept; no other XSLT of the schema is.

A failed assert or a successful report yields three items: the node, the check's number and the
message text. A test that raises a dynamic error, in itself or in a ``let`` it uses, reports
nothing. Nothing the schema says can read another document, a file, an address or the
environment: a rule that calls such a function (``doc()``, ``document()``,
``unparsed-text()``, ``collection()``, ``environment-variable()``, ``transform()`` ...) is
left out and reported (:attr:`Compiled.skipped`), and the Saxon processor that runs the
stylesheet allows no URI scheme at all (:mod:`~teitools.validate.saxon`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.errors import TeitoolsError
from teitools.validate.findings import Finding

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SCH = f"{{{SCH_NS}}}"
OLD_SCH_NS = "http://www.ascc.net/xml/schematron"  # Schematron 1.5
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XSL = f"{{{XSL_NS}}}"
XS_NS = "http://www.w3.org/2001/XMLSchema"
CHECKS = (f"{SCH}assert", f"{SCH}report")
WARNING_ROLES = {"nonfatal", "warning", "warn", "info"}  # a check of such a role warns
QUERY_BINDINGS = {"", "xslt", "xslt2", "xslt3", "xpath", "xpath2", "xpath3", "xpath31"}
# Functions that read outside the document, or the environment: never run.
FORBIDDEN = (
    "doc",
    "document",
    "doc-available",
    "unparsed-text",
    "unparsed-text-lines",
    "unparsed-text-available",
    "collection",
    "uri-collection",
    "json-doc",
    "environment-variable",
    "available-environment-variables",
    "transform",
    "load-xquery-module",
    "function-lookup",
    "put",
)
_CALL = re.compile(
    r"(?<![\w.\-:$])(?:[\w.-]+:|Q\{[^}]*\})?(" + "|".join(FORBIDDEN) + r")\s*(?:\(|#)"
)
_STRING = re.compile(r'"[^"]*"|\'[^\']*\'')
_RULE = re.compile(r"^\s*\[([\w.-]+)\]\s*")


@dataclass(frozen=True)
class Check:
    """One assert or report, numbered in document order."""

    pattern: str
    kind: str  # assert | report
    severity: str  # error | warning
    rule: str = ""  # the rule's context, for messages

    def finding(
        self, path: Path, line: int, column: int, message: str, layer: str, label: str
    ) -> Finding:
        """The finding of this check failing at ``line`` and ``column``: its rule id is the
        bracketed prefix of the message (``[profile.pointer] ...``), else the pattern's id,
        else the schema's ``label``."""
        message = " ".join(message.split())
        match = _RULE.match(message)
        rule = match.group(1) if match else self.pattern or label
        text = message[match.end() :] if match else message
        return Finding(str(path), max(line, 1), max(column, 1), self.severity, layer, rule, text)


@dataclass
class Compiled:
    """A schema compiled: the stylesheet, its checks by number, the rules left out."""

    xslt: bytes
    checks: tuple[Check, ...]
    skipped: list[str] = field(default_factory=list)


def forbidden_call(expression: str) -> str | None:
    """The first function in ``expression`` that would read outside the document."""
    match = _CALL.search(_STRING.sub("''", expression))
    return f"{match.group(1)}()" if match else None


def parse_schema(schema: Path) -> etree._Element:
    """A Schematron schema's root element (``sch:schema``); Schematron 1.5 is read as ISO."""
    try:
        root = etree.parse(str(schema), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise TeitoolsError(f"cannot read the Schematron schema: {error}", schema) from error
    if root.tag == f"{{{OLD_SCH_NS}}}schema":
        for element in root.iter(f"{{{OLD_SCH_NS}}}*"):
            element.tag = SCH + etree.QName(element).localname
    if root.tag != f"{SCH}schema":
        raise TeitoolsError(f"not a Schematron schema (root element {root.tag})", schema)
    return root


def parse_schema_part(path: Path) -> etree._Element:
    """An element ``sch:include`` names (the root of ``path``), read safely."""
    try:
        root = etree.parse(str(path), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise TeitoolsError(f"cannot read the included {path.name}: {error}") from error
    for element in root.iter(f"{{{OLD_SCH_NS}}}*"):
        element.tag = SCH + etree.QName(element).localname
    return root


def _expand_abstract(root: etree._Element, schema: Path) -> None:
    """Abstract rules into the rules that extend them, abstract patterns into their
    instances; then drop the abstract ones."""
    abstract_rules = {
        rule.get("id", ""): rule
        for rule in root.iter(f"{SCH}rule")
        if rule.get("abstract") == "true"
    }
    for extends in list(root.iter(f"{SCH}extends")):
        base = abstract_rules.get(extends.get("rule", ""))
        parent = extends.getparent()
        if base is None or parent is None:
            raise TeitoolsError(
                f"sch:extends names no abstract rule: {extends.get('rule')}", schema
            )
        index = parent.index(extends)
        parent.remove(extends)
        for offset, child in enumerate(c for c in base if isinstance(c.tag, str)):
            parent.insert(index + offset, etree.fromstring(etree.tostring(child)))
    for rule in abstract_rules.values():
        rule.getparent().remove(rule)
    abstract_patterns = {
        p.get("id", ""): p for p in root.iter(f"{SCH}pattern") if p.get("abstract") == "true"
    }
    for instance in [p for p in root.iter(f"{SCH}pattern") if p.get("is-a")]:
        base = abstract_patterns.get(instance.get("is-a", ""))
        if base is None:
            raise TeitoolsError(f"is-a names no abstract pattern: {instance.get('is-a')}", schema)
        params = {p.get("name", ""): p.get("value", "") for p in instance.iter(f"{SCH}param")}
        copy = etree.fromstring(etree.tostring(base))
        for element in copy.iter():
            for name, value in element.attrib.items():
                for param, text in params.items():
                    value = re.sub(
                        rf"\${re.escape(param)}(?![\w.-])", text.replace("\\", r"\\"), value
                    )
                element.set(name, value)
        for child in list(instance):
            instance.remove(child)
        instance.extend(child for child in copy if child.tag != f"{SCH}param")
        del instance.attrib["is-a"]
    for pattern in abstract_patterns.values():
        pattern.getparent().remove(pattern)


def _rules(root: etree._Element) -> list[tuple[int, int, etree._Element]]:
    """(pattern number, rule number in the pattern, rule) in document order."""
    found = []
    for number, pattern in enumerate(root.iter(f"{SCH}pattern")):
        for index, rule in enumerate(pattern.iter(f"{SCH}rule")):
            found.append((number, index, rule))
    return found


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _message(check: etree._Element) -> str:
    """An XPath expression for the message: text, ``sch:name`` and ``sch:value-of``."""
    parts = [_literal(check.text or "")]
    for child in check:
        if child.tag == f"{SCH}name":
            path = child.get("path")
            parts.append(f"name({path})" if path else "local-name(.)")
        elif child.tag == f"{SCH}value-of":
            select = child.get("select", "")
            parts.append(f"string-join(for $i in ({select}) return string($i), ' ')")
        elif isinstance(child.tag, str):
            parts.append(_literal("".join(child.itertext())))
        parts.append(_literal(child.tail or ""))
    return f"string-join(({', '.join(parts)}), '')"


def _expressions(element: etree._Element) -> list[str]:
    """The XPath expressions an element of the schema holds."""
    found = []
    for node in element.iter():
        if isinstance(node.tag, str):
            for name in ("context", "test", "select", "value", "path", "match", "use"):
                if node.get(name):
                    found.append(node.get(name, ""))
    return found


def _outside_predicates(pattern: str) -> str:
    """A pattern with its string literals and predicates (``[...]``) taken out."""
    text, depth, kept = _STRING.sub("''", pattern), 0, []
    for character in text:
        depth += character == "["
        if depth == 0:
            kept.append(character)
        depth -= character == "]" and depth > 0
    return "".join(kept)


_CALL_OR_TEST = re.compile(r"([\w.-]+)\s*\(")
_ELEMENT_TESTS = {"element", "schema-element", "document-node"}
_OTHER_TESTS = {"text", "node", "comment", "processing-instruction", "namespace-node"}


def _visited(contexts: list[str]) -> str:
    """What the rules are applied to, in document order: the document, its elements, and its
    attributes and other nodes only if some rule's context can match them (most schemas
    name elements only; visiting every text node costs a sixth of the time)."""
    attributes = other = False
    for context in contexts:
        outer = _outside_predicates(context)
        for name in _CALL_OR_TEST.findall(outer):
            if name in _OTHER_TESTS:
                other = True
            elif name not in _ELEMENT_TESTS | {"attribute", "schema-attribute"}:
                return "(., //node(), //@*)"  # a function in a pattern: anything may match
        attributes = attributes or "@" in outer or "attribute" in outer or "node(" in outer
        other = other or outer.lstrip().startswith(".")
    if other:
        return "(., //node(), //@*)" if attributes else "(., //node())"
    return "(., //*, //@*)" if attributes else "(., //*)"


def _add(parent: etree._Element, instruction: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{XSL}{instruction}", attributes)


def _hand_on(parent: etree._Element, done: str) -> None:
    _add(_add(parent, "next-match"), "with-param", name="done", select=done)


def compile_schema(root: etree._Element, schema: Path) -> Compiled:
    """The XSLT 3.0 stylesheet that checks a document against the Schematron ``root``."""
    binding = (root.get("queryBinding") or "").lower()
    if binding not in QUERY_BINDINGS:
        raise TeitoolsError(f"queryBinding {binding!r} is not supported", schema)
    _expand_abstract(root, schema)
    skipped: list[str] = []
    namespaces = {ns.get("prefix", ""): ns.get("uri", "") for ns in root.iter(f"{SCH}ns")}
    nsmap = {"xsl": XSL_NS, "xs": XS_NS, **namespaces}
    sheet = etree.Element(f"{XSL}stylesheet", nsmap=nsmap, version="3.0")
    sheet.set("exclude-result-prefixes", "#all")
    _add(sheet, "mode", name="rules", **{"on-no-match": "deep-skip"})
    for key in root.iter(f"{XSL}key"):
        if forbidden := forbidden_call(" ".join(_expressions(key))):
            skipped.append(f"xsl:key {key.get('name')} (uses {forbidden})")
            continue
        attributes = {a: key.get(a, "") for a in ("name", "match", "use") if key.get(a)}
        _add(sheet, "key", **attributes)
    global_lets = [let for let in root.findall(f"{SCH}let")]
    for let in global_lets:
        if forbidden := forbidden_call(let.get("value", "")):
            skipped.append(f"let ${let.get('name')} (uses {forbidden})")
            let.set("value", "()")
        _add(sheet, "variable", name=let.get("name", ""), select=let.get("value", "") or "()")
    start = _add(sheet, "template", match="/")
    contexts = [rule.get("context", "") for _, _, rule in _rules(root)]
    _add(start, "apply-templates", select=_visited(contexts), mode="rules")
    # deep-skip treats a document node as shallow-skip (XSLT 3.0, 6.7.1): without this
    # template the root element would be checked twice
    _add(sheet, "template", match="/", mode="rules", priority="-1")
    checks: list[Check] = []
    kept = []
    for pattern, index, rule in _rules(root):
        uses = forbidden_call(" ".join(_expressions(rule)))
        if uses:
            skipped.append(f"rule {' '.join(rule.get('context', '').split())} (uses {uses})")
        else:
            kept.append((pattern, index, rule))
    several = {pattern for pattern, index, _ in kept if index > 0}
    for priority, (pattern, index, rule) in zip(range(len(kept), 0, -1), kept, strict=True):
        context = " ".join(rule.get("context", "").split())
        template = _add(sheet, "template", match=context, mode="rules", priority=str(priority))
        _add(template, "param", name="done", select="()", **{"as": "xs:integer*"})
        body = template
        if index > 0:
            choose = _add(template, "choose")
            _hand_on(_add(choose, "when", test=f"$done = {pattern}"), "$done")
            body = _add(choose, "otherwise")
        guarded = _add(body, "try")
        lets = rule.getparent().findall(f"{SCH}let") + rule.findall(f"{SCH}let")
        for let in lets:
            _add(guarded, "variable", name=let.get("name", ""), select=let.get("value", ""))
        for check in rule:
            if check.tag not in CHECKS:
                continue
            test = check.get("test", "")
            condition = test if check.tag == f"{SCH}report" else f"not({test})"
            attempt = _add(guarded, "try")
            result = f"(., {len(checks)}, {_message(check)})"
            _add(_add(attempt, "if", test=condition), "sequence", select=result)
            _add(attempt, "catch", select="()")
            role = (check.get("role") or "").lower()
            severity = "warning" if role in WARNING_ROLES else "error"
            pattern_id = rule.getparent().get("id", "") or f"pattern-{pattern + 1}"
            checks.append(Check(pattern_id, etree.QName(check).localname, severity, context))
        _add(guarded, "catch", select="()")
        _hand_on(body, f"($done, {pattern})" if pattern in several else "$done")
    text: bytes = etree.tostring(sheet, xml_declaration=True, encoding="UTF-8")
    return Compiled(text, tuple(checks), skipped)


def embedded(rng: etree._Element) -> etree._Element | None:
    """The Schematron rules an ODD-generated RELAX NG schema carries, as one schema."""
    found = [e for e in rng.iter(f"{SCH}*") if etree.QName(e.getparent()).namespace != SCH_NS]
    if not any(e.tag in (f"{SCH}pattern", f"{SCH}rule") for e in found):
        return None
    schema = etree.Element(f"{SCH}schema", queryBinding="xslt2")
    loose = None
    for element in found:
        if element.tag == f"{SCH}rule":
            if loose is None:
                loose = etree.SubElement(schema, f"{SCH}pattern")
            loose.append(etree.fromstring(etree.tostring(element)))
        else:
            schema.append(etree.fromstring(etree.tostring(element)))
    return schema


def to_xslt(schema: Path) -> bytes:
    """The XSLT 3.0 stylesheet that checks a document against ``schema``."""
    return compile_schema(parse_schema(schema), schema).xslt

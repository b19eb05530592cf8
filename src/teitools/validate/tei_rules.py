"""TEI's own Schematron rules (``schemas/tei_all.sch``, XPath 2/3), evaluated through Saxon-HE.

No Schematron compiler is vendored: each rule's context is evaluated as ``//(context)`` with
saxonche's XPath 3.1, its ``let``s bound as variables, and each ``assert``/``report`` test
evaluated on every node in context, in pattern order; a node matched by an earlier rule of a
pattern is not matched again (Schematron's rule order). XSLT's ``current()`` becomes a
variable bound to the context node. Documents reach Saxon as text already parsed safely by
lxml, so Saxon never resolves an entity or a DTD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from teitools.validate.findings import Finding

TEI_SCH = Path(__file__).resolve().parents[3] / "schemas" / "tei_all.sch"
SCH = "{http://purl.oclc.org/dsdl/schematron}"


@dataclass(frozen=True)
class Test:
    kind: str  # assert | report
    test: str
    message: etree._Element
    severity: str


@dataclass(frozen=True)
class Rule:
    pattern: str
    context: str
    lets: tuple[tuple[str, str], ...]
    tests: tuple[Test, ...]


def _xpath(expression: str) -> str:
    return re.sub(r"\bcurrent\(\)", "$current", " ".join(expression.split()))


@cache
def load(schema: Path = TEI_SCH) -> tuple[dict[str, str], tuple[Rule, ...]]:
    """Namespaces and rules of a Schematron schema, in document order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(schema), parser).getroot()
    namespaces = {ns.get("prefix", ""): ns.get("uri", "") for ns in root.iter(f"{SCH}ns")}
    rules = []
    for pattern in root.iter(f"{SCH}pattern"):
        for rule in pattern.iter(f"{SCH}rule"):
            lets = tuple(
                (let.get("name", ""), _xpath(let.get("value", "")))
                for let in rule.iter(f"{SCH}let")
            )
            tests = tuple(
                Test(
                    etree.QName(check).localname,
                    _xpath(check.get("test", "")),
                    check,
                    "warning" if check.get("role") in {"nonfatal", "warning", "info"} else "error",
                )
                for check in rule
                if check.tag in (f"{SCH}assert", f"{SCH}report")
            )
            rules.append(Rule(pattern.get("id", ""), _xpath(rule.get("context", "")), lets, tests))
    return namespaces, tuple(rules)


@cache
def _processor():  # type: ignore[no-untyped-def]
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    processor.set_configuration_property("l", "on")  # keep line numbers
    return processor


@cache
def _processors(schema: Path):  # type: ignore[no-untyped-def]
    """XPath processors made once: one for rule contexts, one per rule with its variables."""
    namespaces, rules = load(schema)
    processor = _processor()
    contexts = _xpath_processor(processor, namespaces, ())
    per_rule = [
        _xpath_processor(processor, namespaces, ("current", *(n for n, _ in rule.lets)))
        for rule in rules
    ]
    return contexts, per_rule


def _xpath_processor(processor, namespaces: dict[str, str], variables: tuple[str, ...]):  # type: ignore[no-untyped-def]
    xpath = processor.new_xpath_processor()
    for prefix, uri in namespaces.items():
        xpath.declare_namespace(prefix, uri)
    for name in variables:
        xpath.declare_variable(name)
    return xpath


def _message(test: Test, xpath, node) -> str:  # type: ignore[no-untyped-def]
    parts = [test.message.text or ""]
    for child in test.message:
        if child.tag == f"{SCH}name":
            parts.append(node.local_name or "")
        elif child.tag == f"{SCH}value-of":
            value = xpath.evaluate(_xpath(child.get("select", "")))
            parts.append("" if value is None else " ".join(str(i.string_value) for i in value))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def check(
    data: bytes, tree: etree._ElementTree, path: Path, schema: Path = TEI_SCH
) -> list[Finding]:
    """Findings for one document; ``data`` are its bytes, ``tree`` its safe lxml parse."""
    from saxonche import PySaxonApiError

    _, rules = load(schema)
    processor = _processor()
    text = data if b"<!DOCTYPE" not in data[:4096] else etree.tostring(tree.getroot())
    try:
        document = processor.parse_xml(xml_text=text.decode("utf-8"))
    except (PySaxonApiError, UnicodeDecodeError) as error:
        return [Finding(str(path), 1, 1, "error", "tei-schematron", "tei_all.sch", str(error))]
    contexts, per_rule = _processors(schema)
    found = []
    matched: dict[str, set[tuple[int, int, str]]] = {}
    for number, rule in enumerate(rules):
        contexts.set_context(xdm_item=document)
        try:
            nodes = contexts.evaluate(f"//({rule.context})")
        except PySaxonApiError:
            continue  # a context outside XPath 3.1 (an XSLT-only pattern): not evaluated
        if nodes is None:
            continue
        xpath = per_rule[number]
        seen = matched.setdefault(rule.pattern, set())
        for index in range(nodes.size):
            node = nodes.item_at(index)
            key = (node.line_number, node.column_number, node.name or "")
            if key in seen:
                continue
            seen.add(key)
            xpath.set_context(xdm_item=node)
            xpath.set_parameter("current", node)
            for name, _ in rule.lets:  # every declared variable needs a value before any use
                xpath.set_parameter(name, processor.make_string_value(""))
            try:
                for name, value in rule.lets:
                    bound = xpath.evaluate(value)
                    xpath.set_parameter(name, bound or processor.make_string_value(""))
            except PySaxonApiError:
                continue
            for test in rule.tests:
                try:
                    outcome = xpath.effective_boolean_value(test.test)
                except PySaxonApiError:
                    continue
                if outcome != (test.kind == "report"):
                    continue
                found.append(
                    Finding(
                        str(path),
                        max(node.line_number, 1),
                        max(node.column_number, 1),
                        test.severity,
                        "tei-schematron",
                        rule.pattern,
                        _message(test, xpath, node),
                    )
                )
    return found

"""What a RELAX NG grammar allows at each point of a document: the faults, as jing words them.

A small derivative-based matcher (Brzozowski derivatives, as in James Clark's algorithm) over
a grammar read from its XML (``tei_all``'s simplified form, or a project's schema with its
includes inlined). It is used only to *explain* a document libxml2 has already rejected, so
it models what messages need: each element's content as a sequence of child elements and
text (data in content counts as text), its attributes by name and value (values, datatypes
through xmlschema's XSD built-ins, ``pattern`` parameters, lists). For the first fault in
each element's content it says what the grammar expects there; it then carries on inside the
children, so one run reports every element that is wrong, like jing.
"""

from __future__ import annotations

import json
import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from lxml import etree

from teitools.namespaces import XML_NS
from teitools.validate import cache as disk_cache

RNG_NS = "http://relaxng.org/ns/structure/1.0"
RNG = f"{{{RNG_NS}}}"
XSD_DATATYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
MAX_LISTED = 15  # names listed in a message; more are counted

Pattern = int  # an interned pattern: its index in Grammar.table
EMPTY, NONE, TEXT, DATA = 0, 1, 2, 3
TEXT_TOKEN = ("#text",)
XML_SPACE = " \t\r\n"  # whitespace to XML (str.strip() would take a no-break space too)


@dataclass(frozen=True)
class Fault:
    element: etree._Element
    line: int
    column: int
    message: str


def _quoted(names: list[str]) -> str:
    shown = [f'"{n}"' for n in names[:MAX_LISTED]]
    if len(names) > MAX_LISTED:
        return ", ".join(shown) + f" or one of {len(names) - MAX_LISTED} others"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


class NameClass:
    """Which (namespace, local name) pairs an element or attribute pattern matches."""

    def __init__(self, node: etree._Element, ns: str, attribute: bool) -> None:
        self.names: set[tuple[str, str]] = set()
        self.any: list[tuple[str | None, NameClass | None]] = []  # (namespace or any, except)
        if node.get("name") is not None:
            self._add_name(node.get("name", ""), node.get("ns", "" if attribute else ns), node)
            return
        for child in node:
            if isinstance(child.tag, str) and child.tag.startswith(RNG):
                kind = child.tag[len(RNG) :]
                if kind in ("name", "anyName", "nsName", "choice"):
                    self._read(child, ns, attribute)
                    break

    def _add_name(self, name: str, ns: str, node: etree._Element) -> None:
        if ":" in name:
            prefix, local = name.split(":", 1)
            uri = XML_NS if prefix == "xml" else (node.nsmap.get(prefix) or "")
            self.names.add((uri, local))
        else:
            self.names.add((ns, name))

    def _read(self, node: etree._Element, ns: str, attribute: bool) -> None:
        kind = node.tag[len(RNG) :]
        inherited = node.get("ns", "" if attribute and kind == "name" else ns)
        if kind == "name":
            self._add_name((node.text or "").strip(), inherited, node)
        elif kind == "choice":
            for child in node:
                if isinstance(child.tag, str):
                    self._read(child, ns, attribute)
        elif kind in ("anyName", "nsName"):
            excepted = node.find(f"{RNG}except")
            excluded = NameClass(excepted, ns, attribute) if excepted is not None else None
            if excepted is not None and excluded is not None:
                excluded.names.clear()
                excluded.any.clear()
                for child in excepted:
                    if isinstance(child.tag, str):
                        excluded._read(child, ns, attribute)
            self.any.append((None if kind == "anyName" else inherited, excluded))

    def matches(self, ns: str, local: str) -> bool:
        if (ns, local) in self.names:
            return True
        return any(
            (uri is None or uri == ns) and (excluded is None or not excluded.matches(ns, local))
            for uri, excluded in self.any
        )

    def label(self) -> str:
        if self.names:
            return " ".join(sorted(_display(ns, local) for ns, local in self.names))
        return "any element"


def _display(ns: str, local: str) -> str:
    return f"xml:{local}" if ns == XML_NS else local


def _inherited(node: etree._Element, name: str, default: str) -> str:
    for element in (node, *node.iterancestors()):
        found = element.get(name)
        if found is not None:
            return str(found)
    return default


@dataclass
class Definition:
    """An ``element`` (or ``attribute``) pattern of the grammar."""

    node: etree._Element
    names: NameClass
    content: Pattern | None = None  # built when first needed


class Grammar:
    """A grammar, ready to say what it expects where (see the module docstring)."""

    def __init__(self, root: etree._Element) -> None:
        self.table: list[tuple[Any, ...]] = [("empty",), ("notAllowed",), ("text",), ("data",)]
        self._interned: dict[tuple[Any, ...], int] = {t: i for i, t in enumerate(self.table)}
        self._firsts: dict[Pattern, list[Pattern]] = {}
        self._attribute_cache: dict[int, tuple[list[int], set[int]]] = {}
        self._candidate_cache: dict[tuple[Pattern, tuple[str, ...]], list[int]] = {}
        self._value_cache: dict[tuple[int, str], str | None] = {}
        self._name_cache: dict[tuple[str, ...], int | None] = {}
        self.defines: dict[str, list[etree._Element]] = {}
        self.combine: dict[str, str] = {}
        self.start_nodes: list[etree._Element] = []
        self._collect(root)
        self.elements: list[Definition] = []
        self.attributes: list[Definition] = []
        self._by_node: dict[int, int] = {}
        self._ref_cache: dict[str, Pattern] = {}
        self.start = self._children(self.start_nodes)
        self._nullable: dict[Pattern, bool] = {}
        self._derivative: dict[tuple[Pattern, Any], Pattern] = {}
        self._recovered: dict[tuple[Pattern, tuple[str, ...]], Pattern] = {}
        self._attribute_match: dict[tuple[int, str], int | None] = {}
        self._refusals: dict[tuple[Pattern, tuple[str, ...]], tuple[str, str]] = {}

    def _make(self, *node: Any) -> Pattern:
        index = self._interned.get(node)
        if index is None:
            index = self._interned[node] = len(self.table)
            self.table.append(node)
        return index

    def _choice(self, a: Pattern, b: Pattern) -> Pattern:
        if a == NONE:
            return b
        if b == NONE or a == b:
            return a
        return self._make("choice", a, b)

    def _group(self, a: Pattern, b: Pattern) -> Pattern:
        if NONE in (a, b):
            return NONE
        if a == EMPTY:
            return b
        if b == EMPTY:
            return a
        return self._make("group", a, b)

    def _interleave(self, a: Pattern, b: Pattern) -> Pattern:
        if NONE in (a, b):
            return NONE
        if a == EMPTY:
            return b
        if b == EMPTY:
            return a
        return self._make("interleave", a, b)

    def _fold(self, kind: str, parts: list[Pattern]) -> Pattern:
        if not parts:
            return EMPTY
        combine = {"choice": self._choice, "group": self._group, "interleave": self._interleave}
        result = parts[0]
        for part in parts[1:]:
            result = combine[kind](result, part)
        return result

    def _collect(self, node: etree._Element) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{RNG}define":
                self.defines.setdefault(child.get("name", ""), []).append(child)
                if child.get("combine"):
                    self.combine[child.get("name", "")] = child.get("combine", "choice")
            elif child.tag == f"{RNG}start":
                self.start_nodes.append(child)
            elif child.tag in (f"{RNG}div", f"{RNG}grammar", f"{RNG}include"):
                self._collect(child)
        if node.tag == f"{RNG}grammar" and not self.start_nodes and node.getparent() is None:
            self.start_nodes.append(node)

    # building patterns from the grammar's XML

    def _children(self, nodes: list[etree._Element], kind: str = "group") -> Pattern:
        parts = []
        for node in nodes:
            for child in node:
                if isinstance(child.tag, str) and child.tag.startswith(RNG):
                    parts.append(self._pattern(child))
        return self._fold(kind, parts)

    def _pattern(self, node: etree._Element) -> Pattern:
        kind = node.tag[len(RNG) :]
        if kind in ("element", "attribute"):
            key = id(node)
            if key not in self._by_node:
                ns = _inherited(node, "ns", "")
                names = NameClass(node, ns, kind == "attribute")
                table = self.elements if kind == "element" else self.attributes
                table.append(Definition(node, names))
                self._by_node[key] = len(table) - 1
            return self._make(kind, self._by_node[key])
        if kind in ("group", "interleave", "choice"):
            return self._children([node], kind)
        if kind == "optional":
            return self._choice(self._children([node]), EMPTY)
        if kind == "zeroOrMore":
            inner = self._children([node])
            return self._choice(self._make("oneOrMore", inner), EMPTY) if inner != NONE else EMPTY
        if kind == "oneOrMore":
            inner = self._children([node])
            return self._make("oneOrMore", inner) if inner not in (NONE, EMPTY) else inner
        if kind == "mixed":
            return self._interleave(TEXT, self._children([node]))
        if kind in ("ref", "parentRef"):
            return self._make("ref", node.get("name", ""))
        if kind == "text":
            return TEXT
        if kind in ("data", "value", "list"):
            return DATA
        if kind == "empty":
            return EMPTY
        if kind == "notAllowed":
            return NONE
        if kind in ("externalRef", "grammar"):
            return TEXT  # not inlined: allow anything rather than invent a fault
        return EMPTY  # annotations and the like

    def _ref(self, name: str) -> Pattern:
        if name not in self._ref_cache:
            self._ref_cache[name] = NONE  # a loop without an element matches nothing
            nodes = self.defines.get(name, [])
            parts = [self._children([node]) for node in nodes]
            kind = "interleave" if self.combine.get(name) == "interleave" else "choice"
            self._ref_cache[name] = (
                self._fold(kind, parts) if len(parts) > 1 else (parts[0] if parts else NONE)
            )
        return self._ref_cache[name]

    def _content(self, index: int) -> Pattern:
        definition = self.elements[index]
        if definition.content is None:
            nodes = [c for c in definition.node if isinstance(c.tag, str)]
            nameclass = {f"{RNG}{k}" for k in ("name", "anyName", "nsName", "choice")}
            if definition.node.get("name") is None and nodes and nodes[0].tag in nameclass:
                nodes = nodes[1:]
            parts = [self._pattern(n) for n in nodes if n.tag.startswith(RNG)]
            definition.content = self._fold("group", parts)
        return definition.content

    # derivatives

    def nullable(self, p: Pattern) -> bool:
        if p in self._nullable:
            return self._nullable[p]
        self._nullable[p] = False
        node = self.table[p]
        kind = node[0]
        if kind in ("empty", "text", "data", "attribute"):
            result = True
        elif kind in ("notAllowed", "element"):
            result = False
        elif kind == "choice":
            result = self.nullable(node[1]) or self.nullable(node[2])
        elif kind in ("group", "interleave"):
            result = self.nullable(node[1]) and self.nullable(node[2])
        elif kind == "oneOrMore":
            result = self.nullable(node[1])
        else:  # ref
            result = self.nullable(self._ref(node[1]))
        self._nullable[p] = result
        return result

    def _matches(self, index: int, token: tuple[str, ...]) -> bool:
        return token != TEXT_TOKEN and self.elements[index].names.matches(token[0], token[1])

    def derive(self, p: Pattern, token: tuple[str, ...]) -> Pattern:
        key = (p, token)
        if key in self._derivative:
            return self._derivative[key]
        node = self.table[p]
        kind = node[0]
        if kind in ("empty", "notAllowed", "attribute"):
            result = NONE
        elif kind in ("text", "data"):
            result = p if token == TEXT_TOKEN else NONE
        elif kind == "element":
            result = EMPTY if self._matches(node[1], token) else NONE
        elif kind == "choice":
            result = self._choice(self.derive(node[1], token), self.derive(node[2], token))
        elif kind == "group":
            result = self._group(self.derive(node[1], token), node[2])
            if self.nullable(node[1]):
                result = self._choice(result, self.derive(node[2], token))
        elif kind == "interleave":
            result = self._choice(
                self._interleave(self.derive(node[1], token), node[2]),
                self._interleave(node[1], self.derive(node[2], token)),
            )
        elif kind == "oneOrMore":
            result = self._group(self.derive(node[1], token), self._choice(p, EMPTY))
        else:  # ref
            result = self.derive(self._ref(node[1]), token)
        self._derivative[key] = result
        return result

    def _walk(self, p: Pattern) -> Iterator[Pattern]:
        """The leaves of ``p`` (elements, attributes, text), refs followed once."""
        seen: set[Pattern] = set()
        todo = [p]
        while todo:
            q = todo.pop()
            if q in seen:
                continue
            seen.add(q)
            node = self.table[q]
            kind = node[0]
            if kind in ("choice", "group", "interleave"):
                todo.extend((node[2], node[1]))
            elif kind == "oneOrMore":
                todo.append(node[1])
            elif kind == "ref":
                todo.append(self._ref(node[1]))
            else:
                yield q

    def firsts(self, p: Pattern) -> list[Pattern]:
        """The leaves that may come next in ``p`` (kept per pattern)."""
        if p in self._firsts:
            return self._firsts[p]
        found: list[Pattern] = []
        seen: set[Pattern] = set()
        todo = [p]
        while todo:
            q = todo.pop()
            if q in seen:
                continue
            seen.add(q)
            node = self.table[q]
            kind = node[0]
            if kind in ("choice", "interleave"):
                todo.extend((node[2], node[1]))
            elif kind == "group":
                if self.nullable(node[1]):
                    todo.append(node[2])
                todo.append(node[1])
            elif kind == "oneOrMore":
                todo.append(node[1])
            elif kind == "ref":
                todo.append(self._ref(node[1]))
            elif kind in ("element", "text", "data"):
                found.append(q)
        self._firsts[p] = found
        return found

    def kind(self, p: Pattern) -> str:
        return str(self.table[p][0])

    def index(self, p: Pattern) -> int:
        return int(self.table[p][1])

    def _expected(self, p: Pattern) -> str:
        leaves = self.firsts(p)
        names = sorted(
            {
                self.elements[self.index(q)].names.label()
                for q in leaves
                if self.kind(q) == "element"
            }
        )
        text = any(self.kind(q) in ("text", "data") for q in leaves)
        end = self.nullable(p)
        if not names:
            return (
                ("the element end-tag or text" if end else "text")
                if text
                else "the element end-tag"
            )
        words = "element " + _quoted(names)
        if text:
            return f"the element end-tag, text or {words}" if end else f"text or {words}"
        return f"the element end-tag or {words}" if end else words

    # attributes

    def _attributes(self, content: Pattern) -> tuple[list[int], set[int]]:
        """The attribute definitions of an element's content, and the required ones."""
        allowed = [self.index(q) for q in self._walk(content) if self.kind(q) == "attribute"]
        return allowed, self._required(content, set())

    def _required(self, p: Pattern, seen: set[Pattern]) -> set[int]:
        if p in seen:
            return set()
        seen = seen | {p}
        node = self.table[p]
        kind = node[0]
        if kind == "attribute":
            return {node[1]}
        if kind in ("group", "interleave"):
            return self._required(node[1], seen) | self._required(node[2], seen)
        if kind == "choice":
            return self._required(node[1], seen) & self._required(node[2], seen)
        if kind == "oneOrMore":
            return self._required(node[1], seen)
        if kind == "ref":
            return self._required(self._ref(node[1]), seen)
        return set()

    def _value_problem(self, index: int, value: str) -> str | None:
        key = (index, value)
        if key not in self._value_cache:
            self._value_cache[key] = self._judge_value(index, value)
        return self._value_cache[key]

    def _judge_value(self, index: int, value: str) -> str | None:
        node = self.attributes[index].node
        content = [c for c in node if isinstance(c.tag, str) and c.tag.startswith(RNG)]
        nameclass = {f"{RNG}{k}" for k in ("name", "anyName", "nsName", "choice")}
        if node.get("name") is None and content and content[0].tag in nameclass:
            content = content[1:]
        if not content:
            return None  # text
        if all(_value_ok(self, c, value) for c in content):
            return None
        return "must be " + " or ".join(dict.fromkeys(_describe(self, c) for c in content))

    # the walk

    def faults(self, tree: etree._ElementTree) -> list[Fault]:
        """Every element the grammar rejects, with what it expects there."""
        found: list[Fault] = []
        root = tree.getroot()
        token = _token(root)
        matching = self._candidates(self.start, token)
        if not matching:
            message = (
                f'element "{_label(root)}" not allowed here; expected {self._expected(self.start)}'
            )
            return [Fault(root, root.sourceline or 1, 1, message)]
        todo: list[tuple[etree._Element, int]] = [(root, matching[0])]
        while todo:
            element, index = todo.pop()
            faults, children = self._check_element(element, index)
            found.extend(faults)
            todo.extend(reversed(children))
        return found

    def _candidates(self, state: Pattern, token: tuple[str, ...]) -> list[int]:
        """The element definitions that may match ``token`` next in ``state``."""
        key = (state, token)
        if key not in self._candidate_cache:
            self._candidate_cache[key] = [
                self.index(q)
                for q in self.firsts(state)
                if self.kind(q) == "element" and self._matches(self.index(q), token)
            ]
        return self._candidate_cache[key]

    def _by_name(self, token: tuple[str, ...]) -> int | None:
        if token not in self._name_cache:
            self._name_cache[token] = next(
                (i for i in range(len(self.elements)) if self._matches(i, token)), None
            )
        return self._name_cache[token]

    def _attribute_named(self, element: int, key: str) -> int | None:
        """The attribute pattern of an element that accepts the attribute ``key`` (Clark
        notation), or None."""
        known = self._attribute_match.get((element, key), -1)
        if known == -1:
            if element not in self._attribute_cache:
                self._attribute_cache[element] = self._attributes(self._content(element))
            uri, local = _split_tag(key)
            allowed = self._attribute_cache[element][0]
            known = next((a for a in allowed if self.attributes[a].names.matches(uri, local)), None)
            self._attribute_match[(element, key)] = known
        return known

    def _check_element(
        self, element: etree._Element, index: int
    ) -> tuple[list[Fault], list[tuple[etree._Element, int]]]:
        faults: list[Fault] = []
        content = self._content(index)
        if index not in self._attribute_cache:
            self._attribute_cache[index] = self._attributes(content)
        allowed, required = self._attribute_cache[index]
        present = set()
        for attribute, value in element.items():
            match = self._attribute_named(index, attribute)
            problem = None if match is None else self._value_problem(match, value)
            if match is not None and not problem:
                present.add(match)
                continue
            uri, local = _split_tag(attribute)
            prefix = next((p for p, u in element.nsmap.items() if u == uri and p), None)
            shown = f"{prefix}:{local}" if prefix and uri != XML_NS else _display(uri, local)
            name = _label(element)
            if match is None:
                names = sorted({self.attributes[a].names.label() for a in allowed})
                expected = f"expected attribute {_quoted(names)}" if names else "no attributes"
                message = f'attribute "{shown}" not allowed here in "{name}"; {expected}'
            else:
                present.add(match)
                message = f'value of attribute "{shown}" of "{name}" is invalid; {problem}'
            faults.append(Fault(element, element.sourceline or 1, 1, message))
        for missing in sorted(required - present, key=lambda a: self.attributes[a].names.label()):
            label = self.attributes[missing].names.label()
            message = f'element "{_label(element)}" missing required attribute "{label}"'
            faults.append(Fault(element, element.sourceline or 1, 1, message))
        state: Pattern = content
        children: list[tuple[etree._Element, int]] = []
        for node, token in _content_tokens(element):
            candidates = self._candidates(state, token) if token != TEXT_TOKEN else []
            following = self.derive(state, token)
            if following == NONE:  # report, recover and go on, as jing does
                faults.append(self._content_fault(element, node, token, state))
                state = self._recover(state, token)
            else:
                state = following
            if token != TEXT_TOKEN and isinstance(node, etree._Element):
                chosen = candidates[0] if candidates else self._by_name(token)
                if chosen is not None:
                    children.append((node, chosen))
        if not self.nullable(state):
            message = f'element "{_label(element)}" incomplete; {self._missing(state)}'
            faults.append(Fault(element, element.sourceline or 1, 1, message))
        return faults, children

    def _recover(self, state: Pattern, token: tuple[str, ...], depth: int = 3) -> Pattern:
        """The state after a token ``state`` does not allow: as if the elements it requires
        first had been there (so "not allowed yet" reports once), else with the token
        skipped (so an element "not allowed here" reports once). Kept per state and token:
        a document repeats its faults."""
        key = (state, token)
        if key not in self._recovered:
            self._recovered[key] = self._search_recovery(state, token, depth)
        return self._recovered[key]

    def _search_recovery(self, state: Pattern, token: tuple[str, ...], depth: int) -> Pattern:
        if not self._later(state, token):
            return state  # no element put first can make room for it: skipped
        frontier = [state]
        for _ in range(depth):
            following = []
            for current in frontier:
                for leaf in self.firsts(current):
                    if self.kind(leaf) != "element":
                        continue
                    names = self.elements[self.index(leaf)].names.names
                    for name in sorted(names)[:1]:
                        after = self.derive(current, name)
                        accepted = self.derive(after, token)
                        if accepted != NONE:
                            return accepted
                        following.append(after)
            frontier = following[:32]
        return state

    def _missing(self, state: Pattern) -> str:
        expected = self._expected(state)
        if expected.startswith("element ") and " or " not in expected and ", " not in expected:
            return f"missing required {expected}"
        return f"expected {expected}"

    def _later(self, state: Pattern, token: tuple[str, ...]) -> bool:
        """Whether ``token`` matches a leaf of ``state`` anywhere (a derivative of ``state``
        has no leaf that ``state`` has not)."""
        if token == TEXT_TOKEN:
            return any(self.kind(q) in ("text", "data") for q in self._walk(state))
        return any(
            self.kind(q) == "element" and self._matches(self.index(q), token)
            for q in self._walk(state)
        )

    def _refusal(self, state: Pattern, token: tuple[str, ...]) -> tuple[str, str]:
        """Why ``state`` refuses the element ``token`` (anywhere, yet, here), and what it
        expects; kept per state and token, as a document repeats its faults."""
        key = (state, token)
        if key not in self._refusals:
            later = self._later(state, token)
            if not any(token[:2] in d.names.names for d in self.elements):
                self._refusals[key] = ("anywhere", f"expected {self._expected(state)}")
            elif later:
                self._refusals[key] = ("yet", self._missing(state))
            else:
                self._refusals[key] = ("here", f"expected {self._expected(state)}")
        return self._refusals[key]

    def _content_fault(
        self, parent: etree._Element, node: Any, token: tuple[str, ...], state: Pattern
    ) -> Fault:
        where = f'in "{_label(parent)}"'
        if token == TEXT_TOKEN:
            line = node.sourceline if isinstance(node, etree._Element) else parent.sourceline
            message = f"text not allowed here {where}; expected {self._expected(state)}"
            return Fault(parent, line or 1, 1, message)
        how, expected = self._refusal(state, token)
        message = f'element "{_label(node)}" not allowed {how} {where}; {expected}'
        return Fault(node, node.sourceline or 1, 1, message)


@lru_cache(maxsize=4096)
def _split_tag(tag: str) -> tuple[str, str]:
    """(namespace, local name) of a tag or attribute name in Clark notation."""
    if tag[:1] == "{":
        namespace, _, local = tag[1:].partition("}")
        return (namespace, local)
    return ("", tag)


def _token(element: etree._Element) -> tuple[str, str]:
    return _split_tag(element.tag)


def _label(element: etree._Element) -> str:
    return str(etree.QName(element).localname)


def _content_tokens(element: etree._Element) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """The element's children and non-blank text, in order (text at the node before it)."""
    if element.text and element.text.strip(XML_SPACE):
        yield element, TEXT_TOKEN
    for child in element:
        if isinstance(child.tag, str):
            yield child, _token(child)
        if child.tail and child.tail.strip(XML_SPACE):
            yield child, TEXT_TOKEN


# values and datatypes

_PHRASES = {
    "anyURI": "a URI",
    "boolean": '"true" or "false"',
    "date": "an ISO date",
    "dateTime": "an ISO date and time",
    "decimal": "a decimal number",
    "double": "a floating-point number",
    "float": "a floating-point number",
    "gDay": "an ISO day of the month (of the form ---DD)",
    "gMonth": "an ISO month (of the form --MM)",
    "gMonthDay": "an ISO month and day (of the form --MM-DD)",
    "gYear": "a year",
    "gYearMonth": "an ISO year and month",
    "time": "an ISO time",
    "duration": "an ISO duration",
    "integer": "an integer",
    "nonNegativeInteger": "a non-negative integer",
    "positiveInteger": "a positive integer",
    "language": "a language tag (BCP 47)",
    "Name": "an XML name",
    "NCName": "an XML name without a colon",
    "NMTOKEN": "a name token",
    "ID": "an XML name without a colon (an ID)",
    "IDREF": "an XML name without a colon (an ID reference)",
    "token": "a token",
}


@cache
def _builtin(name: str) -> Any:
    import xmlschema

    schema = _schema_for_types()
    try:
        return schema.maps.types[f"{{http://www.w3.org/2001/XMLSchema}}{name}"]
    except (KeyError, xmlschema.XMLSchemaException):
        return None


# Lexical forms of XSD built-in types decided without xmlschema (which takes 20-70 µs a value,
# and every xml:id, date and number of a document is a value never seen before): a value
# matching _SURE (its dates real ones, years not 0000) is surely valid; one not matching
# _FORMS (a superset of the type's lexical space) surely invalid; any other goes to xmlschema.
# tests/test_validate.py holds both sides against xmlschema's own verdicts.
_LATIN = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"  # letters of Latin-1, in every XML name
_YEAR = r"(?:(?!0000)[0-9]{4}|[1-9][0-9]{4,8})"  # more than four digits: no leading 0
_DATE = rf"({_YEAR})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"  # and the day in its month
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?"
_SURE = {
    kind: re.compile(pattern)
    for kinds, pattern in (
        (("string", "normalizedString", "token", "anyURI"), r"(?s).*"),  # (xmlschema's too)
        (("ID", "IDREF", "NCName"), rf"[A-Za-z_{_LATIN}][A-Za-z0-9_.{_LATIN}-]*"),
        (("Name",), rf"[A-Za-z_:{_LATIN}][A-Za-z0-9_.:{_LATIN}-]*"),
        (("NMTOKEN",), rf"[A-Za-z0-9_.:{_LATIN}-]+"),
        (("language",), r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*"),
        (("boolean",), r"true|false|1|0"),
        (("integer",), r"[+-]?[0-9]{1,18}"),
        (("nonNegativeInteger",), r"\+?[0-9]{1,18}"),
        (("positiveInteger",), r"\+?0*[1-9][0-9]{0,17}"),
        (("decimal", "double", "float"), r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})"),
        (("date",), _DATE),
        (("dateTime",), rf"{_DATE}T{_TIME}"),
        (("time",), _TIME),
        (("gYear",), _YEAR),
        (("gYearMonth",), rf"{_YEAR}-(?:0[1-9]|1[0-2])"),
    )
    for kind in kinds
}
_ZONE = r"(?:Z|[+-]\d\d:\d\d)?"
_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_FORMS = {
    kind: re.compile(pattern)
    for kinds, pattern in (
        (("date",), rf"-?\d{{4,}}-\d\d-\d\d{_ZONE}"),
        (("gYear",), rf"-?\d{{4,}}{_ZONE}"),
        (("gYearMonth",), rf"-?\d{{4,}}-\d\d{_ZONE}"),
        (("gMonth",), rf"--\d\d(?:--)?{_ZONE}"),
        (("gDay",), rf"---\d\d{_ZONE}"),
        (("gMonthDay",), rf"--\d\d-\d\d{_ZONE}"),
        (("time",), rf"\d\d:\d\d:\d\d(?:\.\d+)?{_ZONE}"),
        (("dateTime",), rf"-?\d{{4,}}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?{_ZONE}"),
        (("decimal",), _DECIMAL),
        (("double", "float"), rf"{_DECIMAL}(?:[eE][+-]?\d+)?|[+-]?INF|NaN"),
    )
    for kind in kinds
}
# in ASCII these are the whole lexical space
_FORMS |= {kind: _SURE[kind] for kind in ("ID", "IDREF", "NCName", "Name", "NMTOKEN")}
_FORMS |= {kind: _SURE[kind] for kind in ("language", "boolean")}


def _lexically_sure(kind: str, value: str) -> bool | None:
    """Whether ``value`` is in the lexical space of ``kind`` where a regular expression
    decides it for sure (see _SURE and _FORMS), else None."""
    text = value.strip(XML_SPACE)  # the types here collapse whitespace
    sure = _SURE.get(kind)
    if sure is not None:
        match = sure.fullmatch(text)
        if match is not None:
            if kind not in ("date", "dateTime"):
                return True
            year, month, day = (int(part) for part in match.groups())
            return day <= monthrange(year, month)[1]
    form = _FORMS.get(kind)
    # (xmlschema strips a no-break space too, takes "38 6" for a decimal and "5_3" for an
    # integer: values with spaces or beyond ASCII, and integers, are its to judge)
    plain = text.isascii() and text.isprintable() and " " not in text
    if form is not None and plain and form.fullmatch(text) is None:
        return False
    return None


def lexically_valid(kind: str, value: str) -> bool | None:
    """Whether ``value`` is in the lexical space of the XSD built-in type ``kind`` (None for
    a type xmlschema does not know): :func:`_lexically_sure`, else :func:`xmlschema_valid`."""
    sure = _lexically_sure(kind, value)
    return sure if sure is not None else xmlschema_valid(kind, value)


def xmlschema_valid(kind: str, value: str) -> bool | None:
    """:func:`lexically_valid` by xmlschema: the checks of its ``is_valid``, without the
    validation context it builds for every call (a hundred times slower)."""
    from decimal import DecimalException

    from xmlschema import XMLSchemaValidationError

    builtin = _builtin(kind)
    if builtin is None:
        return None
    text = builtin.normalize(value)
    try:
        if builtin.patterns is not None:
            builtin.patterns(text)
        result = builtin.to_python(text)
        for validator in builtin.validators:
            validator(result)
    except (XMLSchemaValidationError, ValueError, TypeError, DecimalException):
        return False
    return True


@cache
def _schema_for_types() -> Any:
    import xmlschema

    return xmlschema.XMLSchema('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>')


_TRANSLATED: dict[str, str] = {}  # XSD patterns in Python's syntax, from warm_regexes


def warm_regexes(patterns: list[str]) -> None:
    """Compile XSD regular expressions ahead of use. Their translations into Python's syntax
    come from the disk cache where they are there (data, authenticated: translating imports
    elementpath and took 0.2 CPU-s for ``tei_all``'s), else are made and stored."""
    from importlib.metadata import version

    recipe = json.dumps([version("elementpath"), *patterns]).encode()
    entry = disk_cache.named("xsd-regex", recipe)
    payload = disk_cache.read_entry(entry)
    stored = json.loads(payload) if payload is not None else None
    if not isinstance(stored, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in stored.items()
    ):
        translated = {pattern: _translate(pattern) for pattern in patterns}
        stored = {k: v for k, v in translated.items() if v is not None}
        disk_cache.write_entry(entry, json.dumps(stored).encode())
    _TRANSLATED.update(stored)
    for pattern in patterns:
        _regex(pattern)


def _translate(pattern: str) -> str | None:
    """An XSD regular expression in Python's syntax (None if it is no XSD one)."""
    from elementpath.regex import RegexError, translate_pattern

    try:
        return str(translate_pattern(pattern, anchors=False))
    except (RegexError, re.error, ValueError, TypeError):
        return None


@cache
def _regex(pattern: str) -> re.Pattern[str] | None:
    translated = _TRANSLATED.get(pattern) or _translate(pattern)
    try:
        return None if translated is None else re.compile(translated)
    except (re.error, ValueError, TypeError):
        return None


def _value_ok(grammar: Grammar, node: etree._Element, value: str) -> bool:
    kind = node.tag[len(RNG) :] if isinstance(node.tag, str) else ""
    if kind == "value":
        expected = node.text or ""
        if node.get("type", "token") == "string" and node.get("datatypeLibrary", "") == "":
            return value == expected
        return " ".join(value.split()) == " ".join(expected.split())
    if kind == "data":
        library = _inherited(node, "datatypeLibrary", "")
        if library not in (XSD_DATATYPES, "") or not library:
            return True
        if lexically_valid(node.get("type", "string"), value) is False:
            return False
        for param in node.findall(f"{RNG}param"):
            name, text = param.get("name"), param.text or ""
            if name == "pattern":
                regex = _regex(text)
                if regex is not None and not regex.fullmatch(value):
                    return False
            elif name in ("minLength", "maxLength", "length") and text.isdigit():
                size = len(value)
                bound = int(text)
                if (name == "minLength" and size < bound) or (name == "maxLength" and size > bound):
                    return False
                if name == "length" and size != bound:
                    return False
        excepted = node.find(f"{RNG}except")
        if excepted is None:
            return True
        return not any(_value_ok(grammar, c, value) for c in _rng(excepted))
    if kind == "choice":
        return any(_value_ok(grammar, c, value) for c in _rng(node))
    if kind == "list":
        items = _rng(node)
        return all(
            any(_value_ok(grammar, item, token) for item in _flat(grammar, items))
            for token in value.split()
        ) and (bool(value.split()) or _may_be_empty(items))
    if kind in ("oneOrMore", "zeroOrMore", "optional", "group"):
        return all(_value_ok(grammar, c, value) for c in _rng(node))
    if kind == "ref":
        defined = grammar.defines.get(node.get("name", ""), [])
        return any(all(_value_ok(grammar, c, value) for c in _rng(d)) for d in defined)
    if kind == "empty":
        return value == ""
    return True


def _flat(grammar: Grammar, nodes: list[etree._Element]) -> list[etree._Element]:
    """The value patterns under list items (through repetitions, groups and refs)."""
    flat = []
    for node in nodes:
        kind = node.tag[len(RNG) :]
        if kind in ("oneOrMore", "zeroOrMore", "optional", "group", "choice"):
            flat.extend(_flat(grammar, _rng(node)))
        elif kind == "ref":
            for define in grammar.defines.get(node.get("name", ""), []):
                flat.extend(_flat(grammar, _rng(define)))
        else:
            flat.append(node)
    return flat


def _may_be_empty(nodes: list[etree._Element]) -> bool:
    return all(n.tag in (f"{RNG}zeroOrMore", f"{RNG}optional", f"{RNG}empty") for n in nodes)


def _rng(node: etree._Element) -> list[etree._Element]:
    return [
        c
        for c in node
        if isinstance(c.tag, str)
        and c.tag.startswith(RNG)
        and c.tag not in (f"{RNG}param", f"{RNG}except")
    ]


def _describe(grammar: Grammar, node: etree._Element) -> str:
    kind = node.tag[len(RNG) :]
    if kind == "value":
        return f'equal to "{node.text or ""}"'
    if kind == "data":
        base = _PHRASES.get(node.get("type", ""), f"a valid {node.get('type', 'value')}")
        pattern = node.find(f"{RNG}param[@name='pattern']")
        if pattern is not None and node.get("type") in ("token", "string", "normalizedString"):
            return f"a value matching {pattern.text}"
        return base
    if kind == "choice":
        values = [c for c in _rng(node) if c.tag == f"{RNG}value"]
        others = [c for c in _rng(node) if c.tag != f"{RNG}value"]
        parts = [_describe(grammar, c) for c in others]
        if values:
            parts.append("equal to " + _quoted([v.text or "" for v in values]))
        return " or ".join(dict.fromkeys(parts))
    if kind == "list":
        items = _flat(grammar, _rng(node))
        return "a list of " + " or ".join(dict.fromkeys(_describe(grammar, i) for i in items))
    if kind in ("oneOrMore", "zeroOrMore", "optional", "group", "ref"):
        inner = _flat(grammar, [node])
        return " or ".join(dict.fromkeys(_describe(grammar, i) for i in inner)) or "valid"
    if kind == "empty":
        return "empty"
    return "valid"


@cache
def tei_all() -> Grammar:
    """The expectations of the bundled ``tei_all`` (its simplified form)."""
    from teitools.validate import letter_grammar, relaxng

    return Grammar(letter_grammar.simplified_root(relaxng.TEI_ALL))

"""A fast, exact RELAX NG verdict: is this document valid against this grammar?

James Clark's derivative algorithm over the patterns of :mod:`~teitools.validate.expectations`
(attributes included), every derivative remembered, so each element, attribute and piece of text
costs a few dictionary lookups and the time is linear in the document whatever its shape.
libxml2's validator is not: an element with optional attributes (every TEI element has dozens)
is never compiled to an automaton, and its backtracking keeps one state per child, so a ``div``
of 16,000 paragraphs takes 90 times as long as one of 1,000.

:meth:`Matcher.valid` answers True or False only where it models the grammar exactly, and None
(libxml2 then decides) where it does not: an element whose content is a datatype (TEI's ``att``,
``gi``, ``altIdent``), a name that several element patterns match (the wildcards of ``egXML``),
an ``IDREF``, a datatype or facet it does not implement, a nested grammar. Attribute values are
checked as jing checks them: XSD datatypes through xmlschema's built-in types, facets, patterns
in XSD's regular expression syntax, lists token by token, ``xml:id``s unique.
"""

from __future__ import annotations

import operator
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, NamedTuple

from lxml import etree

from teitools.validate import expectations
from teitools.validate.expectations import DATA, EMPTY, NONE, RNG, TEXT_TOKEN, XML_SPACE, Pattern

XSD = expectations.XSD_DATATYPES
# XSD types whose value is compared as a string, after their whitespace rule
_STRINGS = {"string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN"}
_STRINGS |= {"anyURI", "ID"}
_UNDECIDED_TYPES = {"IDREF", "IDREFS", "ENTITY", "ENTITIES", "NOTATION", "QName"}
_NUMBERS = {"decimal", "integer", "nonNegativeInteger", "positiveInteger", "negativeInteger"}
_NUMBERS |= {"nonPositiveInteger", "long", "int", "short", "byte", "unsignedLong"}
_NUMBERS |= {"unsignedInt", "unsignedShort", "unsignedByte", "double", "float"}
_BOUNDS = {"minInclusive", "maxInclusive", "minExclusive", "maxExclusive"}
_LENGTHS = {"length", "minLength", "maxLength"}
_URI_CHAR = r"(?:[^#\[\]%\s]|%[0-9A-Fa-f]{2})"
# URIs jing and libxml2 both accept for sure: a scheme and something after it, or a reference
# with no colon before its first slash; at most one fragment; no brackets; escapes complete.
# Anything else (jing follows java.net.URI after escaping) is left to libxml2.
_SURE_URI = re.compile(
    rf"(?:[A-Za-z][A-Za-z0-9+.-]*:{_URI_CHAR}+|(?:[^:#\[\]%/?\s]|%[0-9A-Fa-f]{{2}})*"
    rf"(?:[/?]{_URI_CHAR}*)?)?(?:#{_URI_CHAR}*)?"
)
MAX_VALUES = 200_000  # values remembered per grammar before the memory is cleared


class Undecided(Exception):
    """The document uses what the matcher does not model exactly: libxml2 decides."""


class _Differs(Exception):
    """The explaining grammar gives an element's children other patterns than the matcher."""


_SKIPPED: dict[etree._Element, int] = {}  # the children's patterns of an element not walked


_SPACES = re.compile(r"[ \t\r\n]+")


def _split(text: str) -> list[str]:
    """The tokens of a list value (XML whitespace only separates them)."""
    return [part for part in _SPACES.split(text) if part]


def _normal(text: str, kind: str) -> str:
    """``text`` after the whitespace rule of the XSD type ``kind``."""
    if kind == "string":
        return text
    if kind == "normalizedString":
        return text.translate({9: 32, 10: 32, 13: 32})
    if "\t" in text or "\n" in text or "\r" in text or "  " in text or text[:1] == " ":
        return " ".join(_split(text))
    return text[:-1] if text[-1:] == " " else text


def _number(text: str, kind: str) -> Decimal | float | None:
    try:
        return float(text) if kind in ("double", "float") else Decimal(text)
    except (ValueError, InvalidOperation):
        return None


def _xsd_number(text: str, kind: str) -> Decimal | float | None:
    """An XSD numeric lexical form as a number (INF, -INF, NaN for double and float)."""
    if kind in ("double", "float"):
        special = {"INF": float("inf"), "-INF": float("-inf"), "NaN": float("nan")}
        if text in special:
            return special[text]
    return _number(text, kind)


class _Datatype(NamedTuple):
    library: str
    kind: str
    params: tuple[tuple[str, str], ...]
    excepted: list[etree._Element] | None


class Values:
    """Whether an attribute value matches the value patterns of an attribute (exactly)."""

    def __init__(self, grammar: expectations.Grammar) -> None:
        self.grammar = grammar
        self.memo: dict[tuple[int, str], bool] = {}
        self._contents: dict[int, list[etree._Element]] = {}  # of each attribute pattern
        self._datatypes: dict[etree._Element, _Datatype] = {}  # of each data pattern
        self._data_memo: dict[tuple[etree._Element, str], bool] = {}

    def attribute_ok(self, index: int, value: str) -> bool:
        key = (index, value)
        known = self.memo.get(key)
        if known is None:
            if len(self.memo) > MAX_VALUES:
                self.memo.clear()
            content = self._contents.get(index)
            if content is None:
                content = self._contents[index] = _content(self.grammar.attributes[index].node)
            known = self.memo[key] = self.matches(content, value)
        return known

    def matches(self, nodes: list[etree._Element], value: str) -> bool:
        """RELAX NG's valueMatch for a group of patterns (an attribute's content)."""
        if not nodes:
            return True  # no content: text
        if len(nodes) > 1:
            raise Undecided("a sequence in an attribute value")
        return self.one(nodes[0], value)

    def one(self, node: etree._Element, value: str) -> bool:
        kind = node.tag[len(RNG) :]
        if kind == "text":
            return True
        if kind == "empty":
            return not value.strip(XML_SPACE)
        if kind == "value":
            return self._value(node, value)
        if kind == "data":
            return self._data(node, value)
        if kind == "choice":
            return any(self.one(child, value) for child in _rng(node))
        if kind == "list":
            tokens = _split(value)
            item = _repeated(node)
            if item is not None:  # one or more tokens of one datatype, each checked alone
                return bool(tokens) and all(self._data(item, token) for token in tokens)
            return len(tokens) in self._sequence(_rng(node), tokens, 0)
        if kind in ("optional", "zeroOrMore"):
            return not value.strip(XML_SPACE) or self.matches(_rng(node), value)
        if kind in ("oneOrMore", "group"):
            return self.matches(_rng(node), value)
        if kind == "ref":
            return self.matches(self._define(node), value)
        if kind == "notAllowed":
            return False
        raise Undecided(f"{kind} in an attribute value")

    def _define(self, ref: etree._Element) -> list[etree._Element]:
        defines = self.grammar.defines.get(ref.get("name", ""), [])
        if len(defines) != 1:
            raise Undecided("a combined define in a value")
        return _rng(defines[0])

    def _sequence(self, nodes: list[etree._Element], tokens: list[str], at: int) -> set[int]:
        """Where a group of list patterns, matched from token ``at``, may end."""
        ends = {at}
        for node in nodes:
            ends = {end for start in ends for end in self._item(node, tokens, start)}
            if not ends:
                break
        return ends

    def _item(self, node: etree._Element, tokens: list[str], at: int) -> set[int]:
        kind = node.tag[len(RNG) :]
        if kind in ("data", "value", "text"):
            return {at + 1} if at < len(tokens) and self.one(node, tokens[at]) else set()
        if kind == "empty":
            return {at}
        if kind == "choice":
            return {end for child in _rng(node) for end in self._item(child, tokens, at)}
        if kind == "group":
            return self._sequence(_rng(node), tokens, at)
        if kind == "ref":
            return self._sequence(self._define(node), tokens, at)
        if kind in ("optional", "zeroOrMore", "oneOrMore"):
            inner = _rng(node)
            ends = self._sequence(inner, tokens, at)
            if kind != "optional":
                frontier = set(ends)
                while frontier:
                    frontier = {e for s in frontier for e in self._sequence(inner, tokens, s)}
                    frontier -= ends
                    ends |= frontier
            return ends if kind == "oneOrMore" else ends | {at}
        raise Undecided(f"{kind} in a list")

    def _value(self, node: etree._Element, value: str) -> bool:
        library = expectations._inherited(node, "datatypeLibrary", "")
        kind = node.get("type", "token")
        expected = node.text or ""
        if library == "" and kind == "string":
            return value == expected
        if library == "" and kind == "token":
            return _normal(value, "token") == _normal(expected, "token")
        if library == XSD and kind in _STRINGS:
            return _normal(value, kind) == _normal(expected, kind)
        raise Undecided(f"a value of type {kind}")

    def _datatype(self, node: etree._Element) -> _Datatype:
        """What a ``data`` pattern says, read once: its library, type, parameters (name,
        text) and the patterns of its ``except``."""
        known = self._datatypes.get(node)
        if known is None:
            excepted = node.find(f"{RNG}except")
            known = self._datatypes[node] = _Datatype(
                expectations._inherited(node, "datatypeLibrary", ""),
                node.get("type", "token"),
                tuple((p.get("name", ""), p.text or "") for p in node.findall(f"{RNG}param")),
                None if excepted is None else _rng(excepted),
            )
        return known

    def _data(self, node: etree._Element, value: str) -> bool:
        """Whether ``value`` matches the ``data`` pattern ``node``, remembered (the tokens of
        a list recur in values never seen whole: the speakers of a play's speeches)."""
        key = (node, value)
        known = self._data_memo.get(key)
        if known is None:
            if len(self._data_memo) > MAX_VALUES:
                self._data_memo.clear()
            known = self._data_memo[key] = self._data_check(node, value)
        return known

    def _data_check(self, node: etree._Element, value: str) -> bool:
        library, kind, params, excepted = self._datatype(node)
        if library == "" and kind in ("token", "string"):
            library = XSD
        if library != XSD or kind in _UNDECIDED_TYPES:
            raise Undecided(f"datatype {kind}")
        normal = _normal(value, kind)
        if kind == "anyURI":  # facets first: a URI they reject need not be judged
            if not self._facets(params, normal, kind):
                return False
            if _SURE_URI.fullmatch(normal) is None:
                raise Undecided(f"the URI {normal!r}")
        else:
            strings = kind in ("string", "normalizedString", "token")  # any text is one
            valid = True if strings else expectations.lexically_valid(kind, normal)
            if valid is None:
                raise Undecided(f"datatype {kind}")
            if not valid or not self._facets(params, normal, kind):
                return False
        return excepted is None or not any(self.one(c, value) for c in excepted)

    def _facets(self, params: tuple[tuple[str, str], ...], normal: str, kind: str) -> bool:
        return all(self._facet(name, limit, normal, kind) for name, limit in params)

    def _facet(self, name: str, limit: str, normal: str, kind: str) -> bool:
        if name == "pattern":
            regex = _pattern(limit)
            if regex is None:
                raise Undecided(f"pattern {limit}")
            return regex.fullmatch(normal) is not None
        if name in _LENGTHS and kind in _STRINGS and limit.strip().isdigit():
            size, bound = len(normal), int(limit)
            return {"length": size == bound, "minLength": size >= bound}.get(name, size <= bound)
        if name in _BOUNDS and kind in _NUMBERS:
            number, limit_value = _xsd_number(normal, kind), _number(limit.strip(), kind)
            if number is None or limit_value is None:
                raise Undecided(f"facet {name}")
            compare: dict[str, Any] = {
                "minInclusive": operator.ge,
                "maxInclusive": operator.le,
                "minExclusive": operator.gt,
                "maxExclusive": operator.lt,
            }
            return bool(compare[name](number, limit_value))
        raise Undecided(f"facet {name} of {kind}")


@cache
def _pattern(text: str) -> re.Pattern[str] | None:
    return expectations._regex(text)


@cache
def _rng(node: etree._Element) -> list[etree._Element]:
    """A pattern's child patterns, read once (kept per node: values are checked often)."""
    return expectations._rng(node)


@cache
def _repeated(node: etree._Element) -> etree._Element | None:
    """The ``data`` pattern of a ``list`` of one or more of it (the most common list: TEI's
    pointers), else None."""
    children = _rng(node)
    if len(children) != 1 or children[0].tag != f"{RNG}oneOrMore":
        return None
    inner = _rng(children[0])
    return inner[0] if len(inner) == 1 and inner[0].tag == f"{RNG}data" else None


def _content(attribute: etree._Element) -> list[etree._Element]:
    """An attribute pattern's value patterns (its name class left out)."""
    nodes = _rng(attribute)
    classes = {f"{RNG}{k}" for k in ("name", "anyName", "nsName", "choice")}
    if attribute.get("name") is None and nodes and nodes[0].tag in classes:
        nodes = nodes[1:]
    return nodes


def _id_typed(attribute: etree._Element) -> bool:
    """Whether the attribute's value is of type ID (only as its whole content)."""
    nodes = _content(attribute)
    return len(nodes) == 1 and nodes[0].tag == f"{RNG}data" and nodes[0].get("type") == "ID"


class Matcher:
    """The verdict of one grammar for whole documents (see the module docstring)."""

    def __init__(self, grammar: expectations.Grammar, root: etree._Element | None = None) -> None:
        self.g = grammar
        self.values = Values(grammar)
        self.exact = root is None or not any(
            node.tag in (f"{RNG}parentRef", f"{RNG}externalRef")
            or (node.tag == f"{RNG}grammar" and node is not root)
            for node in root.iter(f"{RNG}*")
        )
        self._close: dict[Pattern, Pattern] = {}
        self._attributes: dict[Pattern, bool] = {}
        self._att: dict[tuple[Pattern, tuple[int, ...]], Pattern] = {}
        self._start: dict[tuple[Any, ...], Pattern] = {}
        self._slots: dict[tuple[int, str], tuple[tuple[int, ...], bool]] = {}
        self._data_content: dict[int, bool] = {}
        self._tokens: dict[str, tuple[str, str]] = {}
        self._steps: dict[tuple[Pattern, str], tuple[Pattern, int]] = {}
        self._texts: dict[Pattern, Pattern] = {}
        self._bare: dict[int, Pattern] = {}  # an element's content when it has no attributes
        # an element's content after attributes none of which is an ID: (index, *items)
        self._opened_states: dict[tuple[Any, ...], Pattern] = {}

    def warm(self) -> None:
        """Load what checking values needs before the first document: the grammar's
        ``pattern`` parameters, translated from XSD's regular expressions and compiled.
        (xmlschema, which checks the values of XSD types that a regular expression does not
        decide, is loaded only when a value needs it: :func:`expectations.lexically_valid`.)"""
        patterns: set[str] = set()
        for defined in self.g.defines.values():
            for node in (d for define in defined for d in define.iter(f"{RNG}data")):
                patterns.update(p.text or "" for p in node.iterfind(f"{RNG}param[@name='pattern']"))
        expectations.warm_regexes(sorted(patterns))

    # patterns

    def _has_attributes(self, p: Pattern) -> bool:
        known = self._attributes.get(p)
        if known is None:
            self._attributes[p] = False  # a loop through refs adds nothing
            node = self.g.table[p]
            kind = node[0]
            if kind == "attribute":
                known = True
            elif kind in ("choice", "group", "interleave"):
                known = self._has_attributes(node[1]) or self._has_attributes(node[2])
            elif kind == "oneOrMore":
                known = self._has_attributes(node[1])
            elif kind == "ref":
                known = self._has_attributes(self.g._ref(node[1]))
            else:
                known = False
            self._attributes[p] = known
        return known

    def close(self, p: Pattern) -> Pattern:
        """``p`` once the start tag is closed: attributes not given are not allowed any more."""
        known = self._close.get(p)
        if known is not None:
            return known
        if not self._has_attributes(p):
            result = p
        else:
            node = self.g.table[p]
            kind = node[0]
            if kind == "attribute":
                result = NONE
            elif kind == "choice":
                result = self.g._choice(self.close(node[1]), self.close(node[2]))
            elif kind == "group":
                result = self.g._group(self.close(node[1]), self.close(node[2]))
            elif kind == "interleave":
                result = self.g._interleave(self.close(node[1]), self.close(node[2]))
            elif kind == "oneOrMore":
                inner = self.close(node[1])
                result = inner if inner in (NONE, EMPTY) else self.g._make("oneOrMore", inner)
            else:  # ref
                result = self.close(self.g._ref(node[1]))
        self._close[p] = result
        return result

    def attribute(self, p: Pattern, matching: tuple[int, ...]) -> Pattern:
        """The derivative of ``p`` by an attribute that the attribute patterns ``matching``
        accept (by name and value)."""
        key = (p, matching)
        known = self._att.get(key)
        if known is not None:
            return known
        g = self.g
        node = g.table[p]
        kind = node[0]
        if kind == "attribute":
            result = EMPTY if node[1] in matching else NONE
        elif not self._has_attributes(p):
            result = NONE
        elif kind == "choice":
            result = g._choice(self.attribute(node[1], matching), self.attribute(node[2], matching))
        elif kind in ("group", "interleave"):
            combine = g._group if kind == "group" else g._interleave
            result = g._choice(
                combine(self.attribute(node[1], matching), node[2]),
                combine(node[1], self.attribute(node[2], matching)),
            )
        elif kind == "oneOrMore":
            result = g._group(self.attribute(node[1], matching), g._choice(p, EMPTY))
        else:  # ref
            result = self.attribute(g._ref(node[1]), matching)
        self._att[key] = result
        return result

    def _slot(self, element: int, key: str) -> tuple[tuple[int, ...], bool]:
        """The attribute patterns of an element that accept the attribute named ``key``
        (Clark notation), and whether one of them is of type ID."""
        g = self.g
        name = self._token(key)
        found = tuple(
            g.index(q)
            for q in g._walk(g._content(element))
            if g.kind(q) == "attribute" and g.attributes[g.index(q)].names.matches(*name)
        )
        identifier = any(_id_typed(g.attributes[a].node) for a in found)
        if identifier and len(found) > 1:
            raise Undecided("an attribute both ID and not")
        slot = self._slots[(element, key)] = (found, identifier)
        return slot

    def _has_data(self, element: int) -> bool:
        known = self._data_content.get(element)
        if known is None:
            g = self.g
            leaves = g._walk(g._content(element))
            known = self._data_content[element] = any(q == DATA for q in leaves)
        return known

    def _token(self, tag: str) -> tuple[str, str]:
        token = self._tokens.get(tag)
        if token is None:
            namespace, _, local = tag[1:].rpartition("}") if tag[0] == "{" else ("", "", tag)
            token = self._tokens[tag] = (namespace, local)
        return token

    # documents

    def valid(self, tree: etree._ElementTree) -> bool | None:
        """True or False if the matcher decides the document exactly, else None."""
        if not self.exact:
            return None
        try:
            return self._verdict(tree.getroot())
        except (Undecided, RecursionError):
            return None

    def _verdict(self, root: etree._Element) -> bool:
        """Whether the document is valid: :meth:`_walk`'s pass with nothing kept to explain
        faults (it runs on every document, most of them valid), each open element on the
        stack with only its parent and its state."""
        g = self.g
        candidates = g._candidates(g.start, self._token(root.tag))
        if len(candidates) != 1:
            if candidates:
                raise Undecided("several patterns for the root element")
            return False
        ids: set[str] = set()
        state = self._open(root, candidates[0], ids)
        if state == NONE:
            return False
        steps, texts, step, text = self._steps, self._texts, self._step, self._text
        nulls, nullable, opened, bare = g._nullable, g.nullable, self._opened_states, self._bare
        stack: list[tuple[etree._Element, Pattern]] = []
        push, pop = stack.append, stack.pop
        current = root
        nodes = root.iter()
        next(nodes)  # the root itself
        try:
            for node in nodes:
                parent = node.getparent()
                while parent is not current:  # the elements before ``node`` have ended
                    if not (nulls.get(state) or nullable(state)):
                        return False
                    current, state = pop()
                tag, tail = node.tag, node.tail
                if tag.__class__ is not str:  # a comment or processing instruction
                    if tail and (
                        not tail.isspace() or (not tail.isascii() and tail.strip(XML_SPACE))
                    ):
                        after = texts.get(state, -1)
                        state = after if after >= 0 else text(state)
                    continue
                after, child = steps.get((state, tag)) or step(state, tag)
                if child < 0:
                    return False
                if tail and (not tail.isspace() or (not tail.isascii() and tail.strip(XML_SPACE))):
                    following = texts.get(after, -1)
                    after = following if following >= 0 else text(after)
                push((current, after))
                current = node
                items = node.items()
                state = opened.get((child, *items), -1) if items else bare.get(child, -1)
                if state < 0:
                    state = self._open(node, child, ids)
                    if state == NONE:
                        return False
                elif state == NONE:
                    return False
                else:
                    first = node.text
                    if first:
                        following = texts.get(state, -1)
                        if following != state and (
                            not first.isspace() or (not first.isascii() and first.strip(XML_SPACE))
                        ):
                            state = following if following >= 0 else text(state)
        except IndexError as error:  # a node whose parent is no open element
            raise Undecided("a node outside the elements") from error
        while True:  # the elements still open end with the document
            if not (nulls.get(state) or nullable(state)):
                return False
            if not stack:
                break
            current, state = pop()
        if len(steps) > MAX_VALUES:
            steps.clear()
        return True

    def faults(self, tree: etree._ElementTree) -> list[expectations.Fault]:
        """The faults of :meth:`expectations.Grammar.faults`, found faster: the document is
        walked as for :meth:`valid`, and only an element this rejects or cannot decide is
        walked by the explaining grammar, which reports what it expects there and gives the
        patterns of its children."""
        g, root = self.g, tree.getroot()
        candidates = g._candidates(g.start, self._token(root.tag))
        if not self.exact or len(candidates) != 1:
            return g.faults(tree)
        found: list[tuple[int, list[expectations.Fault]]] = []
        try:
            self._walk(root, candidates[0], found)
        except (_Differs, Undecided):
            return self._faults_by_element(root, candidates[0])
        found.sort(key=operator.itemgetter(0))  # in the order of the elements
        return [fault for _, faults in found for fault in faults]

    def _step(self, state: Pattern, tag: str) -> tuple[Pattern, int]:
        """The state after a child element ``tag``, and the pattern to check the child
        against (NONE and -1 if it is not allowed here)."""
        g = self.g
        token = self._token(tag)
        found = g._candidates(state, token)
        if len(found) > 1:
            raise Undecided(f"several patterns for {token[1]}")
        after = g.derive(state, token) if found else NONE
        step = self._steps[(state, tag)] = (after, found[0] if found else -1)
        return step

    def _text(self, state: Pattern) -> Pattern:
        after = self._texts[state] = self.g.derive(state, TEXT_TOKEN)
        return after

    def _walk(
        self, root: etree._Element, index: int, found: list[tuple[int, list[expectations.Fault]]]
    ) -> None:
        """One pass over the document in its order, as :meth:`_verdict`'s, where every
        element the matcher rejects or cannot decide is explained (:meth:`_explained`): its
        faults go to ``found`` under its place in the document, and its children are walked
        with the patterns the explaining grammar gives them."""
        g = self.g
        ids: set[str] = set()
        steps, texts, step, text = self._steps, self._texts, self._step, self._text
        nulls, nullable, opened, bare = g._nullable, g.nullable, self._opened_states, self._bare
        # the open elements above the current one: element, its pattern, its place, its
        # state, its state after its start tag (from which its children so far are walked
        # again to explain it: :meth:`_used`), and its children's patterns if it was
        # explained (None while the matcher walks it)
        stack: list[tuple[Any, ...]] = []
        current, where, ordinal = root, 0, 0
        state, given = self._enter(root, index, ids, where, found)
        start = state
        nodes = root.iter()
        next(nodes)  # the root itself
        try:
            for node in nodes:
                parent = node.getparent()
                while parent is not current:  # the elements before ``node`` have ended
                    if given is None and not (nulls.get(state) or nullable(state)):
                        used = self._used(current, start, None)
                        self._explained(current, index, where, used, found)
                    current, index, where, state, start, given = stack.pop()
                tag, tail = node.tag, node.tail
                if tag.__class__ is not str:  # a comment or processing instruction
                    if (
                        given is None
                        and tail
                        and (not tail.isspace() or (not tail.isascii() and tail.strip(XML_SPACE)))
                    ):
                        after = texts.get(state, -1)
                        state = after if after >= 0 else text(state)
                    continue
                ordinal += 1
                if given is None:
                    try:
                        after, child = steps.get((state, tag)) or step(state, tag)
                    except (Undecided, RecursionError):
                        child = -1
                    if child < 0:
                        used = self._used(current, start, node)
                        given = self._explained(current, index, where, used, found)
                    else:
                        if tail and (
                            not tail.isspace() or (not tail.isascii() and tail.strip(XML_SPACE))
                        ):
                            following = texts.get(after, -1)
                            after = following if following >= 0 else text(after)
                        state = after
                if given is not None:
                    child = given.get(node, -1)
                    if child < 0:  # not walked by the explaining grammar, nor its children
                        stack.append((current, index, where, state, start, given))
                        current, index, where, given = node, -1, ordinal, _SKIPPED
                        continue
                stack.append((current, index, where, state, start, given))
                current, index, where = node, child, ordinal
                items = node.items()
                state = opened.get((index, *items), -1) if items else bare.get(index, -1)
                if state < 0 or state == NONE:
                    state, given = self._enter(node, index, ids, where, found)
                else:
                    given = None
                    first = node.text
                    if first and (
                        not first.isspace() or (not first.isascii() and first.strip(XML_SPACE))
                    ):
                        following = texts.get(state, -1)
                        state = following if following >= 0 else text(state)
                start = state
        except IndexError as error:  # a node whose parent is no open element
            raise Undecided("a node outside the elements") from error
        while True:  # the elements still open end with the document
            if given is None and not (nulls.get(state) or nullable(state)):
                self._explained(current, index, where, self._used(current, start, None), found)
            if not stack:
                break
            current, index, where, state, start, given = stack.pop()
        if len(self._steps) > MAX_VALUES:
            self._steps.clear()

    def _enter(
        self,
        element: etree._Element,
        index: int,
        ids: set[str],
        where: int,
        found: list[tuple[int, list[expectations.Fault]]],
    ) -> tuple[Pattern, dict[etree._Element, int] | None]:
        """The element's state after its start tag (:meth:`_open`); if the matcher rejects
        the start tag or cannot decide, the element explained (into ``found``)."""
        try:
            state = self._open(element, index, ids)
        except (Undecided, RecursionError):
            state = NONE
        if state != NONE:
            return state, None
        return NONE, self._explained(element, index, where, [], found)

    def _used(
        self, element: etree._Element, state: Pattern, stop: etree._Element | None
    ) -> list[tuple[etree._Element, int]]:
        """The element's children before ``stop`` (all of them if None), each with the
        pattern the matcher gave it, walked again from ``state``, the element's state after its
        start tag, as :meth:`_walk` walked them (only for an element explained)."""
        steps, texts = self._steps, self._texts
        used = []
        for child in element:
            if child is stop:
                break
            tag = child.tag
            if tag.__class__ is str:
                state, index = steps.get((state, tag)) or self._step(state, tag)
                used.append((child, index))
            tail = child.tail
            if tail and (not tail.isspace() or (not tail.isascii() and tail.strip(XML_SPACE))):
                after = texts.get(state, -1)
                state = after if after >= 0 else self._text(state)
        return used

    def _explained(
        self,
        element: etree._Element,
        index: int,
        where: int,
        used: list[tuple[etree._Element, int]],
        found: list[tuple[int, list[expectations.Fault]]],
    ) -> dict[etree._Element, int]:
        """The faults of an element the matcher rejects, from the explaining grammar (into
        ``found``, under ``where``), and the patterns it gives the element's children after
        those the matcher has walked (``used``), which must be the ones it gives them too."""
        faults, children = self.g._check_element(element, index)
        if children[: len(used)] != used:
            raise _Differs(element.tag)
        found.append((where, faults))
        return dict(children[len(used) :])

    def _open(self, element: etree._Element, index: int, ids: set[str]) -> Pattern:
        """The element's state after its start tag and the text before its first child."""
        items = element.items()
        state = self._opened_states.get((index, *items), -1) if items else self._bare.get(index, -1)
        if state < 0:
            state = self._start_tag(element, index, ids)
        first = element.text
        if state != NONE and first and first.strip(XML_SPACE):
            after = self._texts.get(state, -1)
            state = after if after >= 0 else self._text(state)
        return state

    def _element(
        self, element: etree._Element, index: int, ids: set[str]
    ) -> list[tuple[etree._Element, int]] | None:
        """The element's child elements, each with its pattern, if its attributes and content
        are valid against the pattern ``index`` (its children unchecked); else None."""
        state = self._open(element, index, ids)
        if state == NONE:
            return None
        steps, texts = self._steps, self._texts
        children = []
        for child in element:
            tag = child.tag
            if isinstance(tag, str):
                state, index = steps.get((state, tag)) or self._step(state, tag)
                if index < 0:
                    return None
                children.append((child, index))
            tail = child.tail
            if tail and tail.strip(XML_SPACE):
                after = texts.get(state, -1)
                state = after if after >= 0 else self._text(state)
            if state == NONE:
                return None
        return children if self.g.nullable(state) else None

    def _faults_by_element(self, root: etree._Element, index: int) -> list[expectations.Fault]:
        """The faults, each element checked on its own (the explaining grammar's patterns for
        the children of an element it explains, whatever the matcher would have chosen)."""
        found: list[expectations.Fault] = []
        ids: set[str] = set()
        todo = [(root, index)]
        while todo:
            element, index = todo.pop()
            try:
                children = self._element(element, index, ids)
            except (Undecided, RecursionError):
                children = None
            if children is None:
                faults, children = self.g._check_element(element, index)
                found.extend(faults)
            todo.extend(reversed(children))
        return found

    def _start_tag(self, element: etree._Element, index: int, ids: set[str]) -> Pattern:
        """The element's content pattern after its attributes (NONE if they are wrong)."""
        attributes = element.items()
        if not attributes:
            bare = self._bare.get(index)  # only for an element whose content is no datatype
            if bare is not None:
                return bare
        data = self._data_content.get(index)
        if data if data is not None else self._has_data(index):
            raise Undecided("an element whose content is a datatype")
        if not attributes:
            bare = self._bare[index] = self.close(self.g._content(index))
            return bare
        slots, accepts, known = self._slots, self.values.attribute_ok, self.values.memo
        given: list[tuple[int, ...]] = []
        identifiers = False
        for key, value in attributes:
            patterns, identifier = slots.get((index, key)) or self._slot(index, key)
            matching: tuple[int, ...]
            if len(patterns) == 1:
                ok = known.get((patterns[0], value))
                matching = patterns if (accepts(patterns[0], value) if ok is None else ok) else ()
            else:
                matching = tuple(a for a in patterns if accepts(a, value))
            if not matching:
                return NONE
            if identifier:
                identifiers = True
                normal = value.strip(XML_SPACE)  # an ID has no space inside
                if normal in ids:
                    return NONE
                ids.add(normal)
            given.append(matching)
        signature = (index, *given)
        state = self._start.get(signature)
        if state is None:
            state = self.g._content(index)
            for matching in given:
                state = self.attribute(state, matching)
            state = self._start[signature] = self.close(state)
            if len(self._start) > MAX_VALUES:
                self._start.clear()
        if not identifiers:  # the same attributes give the same state (an ID must be unique)
            if len(self._opened_states) > MAX_VALUES:
                self._opened_states.clear()
            self._opened_states[(index, *attributes)] = state
        return state


@cache
def tei_all() -> Matcher:
    """The matcher of the bundled ``tei_all``."""
    return Matcher(expectations.tei_all())

"""XPath 2 expressions compiled to Python closures over an lxml tree, for the Schematron rules
of a project (:mod:`~teitools.validate.sch_python`).

elementpath's ``XPath2Parser`` only parses; the closures evaluate, with XPath 2's semantics
for what they support: path steps on the axes child, descendant(-or-self), self, parent,
ancestor(-or-self), following-/preceding-sibling and attribute with name tests (prefixes,
``*``, ``*:local``, ``p:*``), ``text()``, ``node()`` and ``comment()``; positional and boolean
predicates; general comparisons (an untyped value compared as a string, or cast to a double
against a number), value comparisons, ``and``/``or``, ``if``, ``for``/``every``/``some``,
``to``, ``<<``/``>>``/``is``, ``|``, arithmetic, and the functions of :data:`FUNCTIONS`. Where
XPath 2 raises a dynamic error (two items where one is wanted, a cast that fails) they raise
:class:`~.xpath_nodes.XPathError`. Anything else is refused when compiling
(:class:`Unsupported`), and a rule that uses it stays with Saxon.

A closure takes the context item, its position and the context size, and an :class:`Env`
(the variables in scope and the document's own state), and returns a list (a sequence).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Any

import elementpath
from elementpath import XPath2Parser
from elementpath.regex import RegexError, translate_pattern
from lxml import etree

from teitools.validate import xpath_values as v
from teitools.validate.xpath_nodes import (
    COMMENT,
    PI,
    Attr,
    Doc,
    Element,
    Order,
    Text,
    Untyped,
    XPathError,
    ancestors,
    children,
    descendants,
    document,
    following_siblings,
    is_element,
    is_node,
    parent,
    preceding_siblings,
    reversed_children,
    string_value,
)

FN_NS = "http://www.w3.org/2005/xpath-functions"
XS_NS = "http://www.w3.org/2001/XMLSchema"
XML_NS = "http://www.w3.org/XML/1998/namespace"
CODEPOINTS = "http://www.w3.org/2005/xpath-functions/collation/codepoint"


class Unsupported(Exception):
    """An expression this compiler does not evaluate (Saxon runs its rule)."""


class Lazy:
    """A variable evaluated when first used; its error raised at each use."""

    __slots__ = ("error", "thunk", "value")

    def __init__(self, thunk: Callable[[], list[Any]]) -> None:
        self.thunk: Callable[[], list[Any]] | None = thunk
        self.value: list[Any] = []
        self.error: XPathError | None = None

    def get(self) -> list[Any]:
        if self.thunk is not None:
            thunk, self.thunk = self.thunk, None
            try:
                self.value = thunk()
            except XPathError as error:
                self.error = error
        if self.error is not None:
            raise self.error
        return self.value


class State:
    """What one document's evaluation works out once: document order, ancestors asked for."""

    def __init__(self, root: Element) -> None:
        self.order = Order(root)
        self.root = root
        self.asked: dict[tuple[str, ...], int] = {}  # by element names: ancestors asked for
        self.inside: dict[tuple[str, ...], set[Any]] = {}  # the elements at or below one
        self.memo: dict[Any, object] = {}  # for the callers' own


class Env:
    """The variables in scope (a value or a :class:`Lazy`) and the document's state."""

    __slots__ = ("state", "vars")

    def __init__(self, variables: dict[str, Any], state: State) -> None:
        self.vars, self.state = variables, state

    def bind(self, name: str, value: Any) -> Env:
        return Env({**self.vars, name: value}, self.state)


Expr = Callable[[Any, int, int, Env], list[Any]]
Test = Callable[[Any, int, int, Env], bool]
Step = Callable[[Any, Env], list[Any]]  # a context node's nodes on an axis, in axis order


class _Step:
    """A compiled axis step: the nodes in axis order, and whether the axis is a reverse one;
    for a step without predicates also its axis, node test and element name (Clark), so that
    ``[1]``, ``[last()]`` and a test for any node need not make every node of the axis."""

    def __init__(
        self,
        select: Step,
        reverse: bool,
        axis: str = "",
        test: Callable[[Any], bool] | None = None,
        clark: str | None = None,
        tag: Any = None,
        kind: str = "",
    ) -> None:
        self.select, self.reverse = select, reverse
        self.axis, self.test, self.clark, self.tag = axis, test, clark, tag
        self.kind = kind  # "node" or "text" for those kind tests
        # the nodes one at a time, in axis order, where that is cheaper than all at once
        self.iterate: Callable[[Any, Env], Iterator[Any]] | None = None
        if test is not None:
            self.iterate = self._iterate
        # the one node a step ending in a position selects, or None (no list made)
        self.one: Callable[[Any, Env], Any] | None = None

    def _iterate(self, node: Any, env: Env) -> Iterator[Any]:
        assert self.test is not None
        test, tag, axis = self.test, self.tag, self.axis
        if tag is not None and is_element(node):
            if axis == "child":
                return node.iterchildren(tag)  # type: ignore[no-any-return]
            if axis == "descendant":
                return node.iterdescendants(tag)  # type: ignore[no-any-return]
        return (x for x in _AXES[axis](node) if test(x))

    def first(self, node: Any) -> Any:
        """The first node on the axis that passes the test, or None (a bare step only)."""
        assert self.test is not None
        test = self.test
        if self.axis == "self":
            return node if test(node) else None
        if self.kind and self.axis == "child" and is_element(node):
            if node.text:
                return Text(node, False)
            if self.kind == "node":
                return node[0] if len(node) else None
            return next((Text(c, True) for c in node if c.tail), None)
        if self.tag is not None and is_element(node):
            if self.axis == "child":
                return next(node.iterchildren(self.tag), None)
            if self.axis == "descendant":
                return next(node.iterdescendants(self.tag), None)
            if self.axis == "ancestor":
                return next(node.iterancestors(self.tag), None)
            if self.axis == "following-sibling":
                return next(node.itersiblings(self.tag), None)
            if self.axis == "preceding-sibling":
                return next(node.itersiblings(self.tag, preceding=True), None)
        return next((x for x in _AXES[self.axis](node) if test(x)), None)

    def last(self, node: Any) -> Any:
        """The last node on the child axis that passes the test, or None."""
        assert self.test is not None
        test = self.test
        if self.kind == "node" and is_element(node) and len(node):
            last = node[-1]
            return Text(last, True) if last.tail else last
        return next((x for x in reversed_children(node) if test(x)), None)


_REVERSE = {"parent", "ancestor", "ancestor-or-self", "preceding-sibling"}
_AXES: dict[str, Callable[[Any], Any]] = {
    "child": children,
    "descendant": descendants,
    "descendant-or-self": lambda n: [n, *descendants(n)],
    "self": lambda n: [n],
    "parent": lambda n: [p] if (p := parent(n)) is not None else [],
    "ancestor": ancestors,
    "ancestor-or-self": lambda n: [n, *ancestors(n)],
    "following-sibling": following_siblings,
    "preceding-sibling": preceding_siblings,
    "attribute": lambda n: [Attr(n, k) for k in n.attrib] if is_element(n) else [],
}
# predicates whose value is never a number (so never positional), by their top symbol
_BOOLEAN_SYMBOLS = {
    "=", "!=", "<", "<=", ">", ">=", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not",
    "exists", "empty", "matches", "contains", "starts-with", "ends-with", "boolean", "true",
    "false", "normalize-space", "string", "concat", "substring-before", "substring-after",
    "lower-case", "upper-case", "name", "local-name", "string-join", "translate", "replace",
    "every", "some", "is", "<<", ">>",
}  # fmt: skip
# what always gives one boolean
_ONE_BOOLEAN = {
    "=", "!=", "<", "<=", ">", ">=", "matches", "contains", "starts-with", "ends-with",
    "exists", "empty", "not", "boolean", "true", "false", "every", "some",
}  # fmt: skip
_STEP_SYMBOLS = {"(name)", ":", "*", "@", "text", "node", "comment", ".."} | set(_AXES)


_ARITHMETIC = {"+", "-", "*", "div", "idiv", "mod", "("}
_NUMBERS = {"(integer)", "(decimal)", "(float)"}


def _size_only(token: Any) -> bool:
    """Whether a predicate's value depends on the context size alone (``[last() - 1]``)."""
    if token.symbol == "last" and "function" in str(token.label):
        return True
    if token.symbol in _NUMBERS:
        return False
    if token.symbol in _ARITHMETIC and len(token) > 0:
        return any(_size_only(t) for t in token) and all(
            _size_only(t) or t.symbol in _NUMBERS for t in token
        )
    return False


def _is_name_test(token: Any) -> bool:
    """Whether ``token`` is a name test (``a``, ``*``, ``p:a``, ``*:a``, ``p:*``), not ``*`` as
    multiplication nor a prefixed function."""
    if token.symbol == "(name)" or (token.symbol == "*" and len(token) == 0):
        return True
    return token.symbol == ":" and len(token) == 2 and token[1].symbol in ("(name)", "*")


def _uses_position(token: Any) -> bool:
    """Whether ``position()`` or ``last()`` is called outside a nested predicate."""
    if token.symbol in ("position", "last") and "function" in str(token.label):
        return True
    if token.symbol == "[":
        return _uses_position(token[0])
    return any(_uses_position(child) for child in token)


def _never_positional(token: Any) -> bool:
    """Whether a predicate selects by its boolean value only."""
    if _uses_position(token):
        return False
    return token.symbol in _BOOLEAN_SYMBOLS or token.symbol in _STEP_SYMBOLS | {"/", "//", "["}


class Compiler:
    """Compiles XPath 2 expressions with the prefixes ``namespaces`` binds."""

    def __init__(self, namespaces: dict[str, str]) -> None:
        self.namespaces = {"xml": XML_NS, "xs": XS_NS, "fn": FN_NS, **namespaces}
        # the codepoint collation, as Saxon's default (and no locale set: elementpath
        # evaluates constant parts while parsing, and a locale it cannot set blocks it)
        self.parser = XPath2Parser(
            namespaces=self.namespaces, strict=False, default_collation=CODEPOINTS
        )

    def compile(self, expression: str, variables: Sequence[str] = ()) -> Expr:
        """The closure of ``expression``, in which ``variables`` are bound."""
        try:
            tree = self.parser.parse(expression)
        except (elementpath.ElementPathError, ValueError, TypeError) as error:
            raise Unsupported(f"does not parse: {error}") from error
        return self._expr(tree, frozenset(variables))

    def parse(self, expression: str) -> Any:
        try:
            return self.parser.parse(expression)
        except (elementpath.ElementPathError, ValueError, TypeError) as error:
            raise Unsupported(f"does not parse: {error}") from error

    # -- node tests and steps ------------------------------------------------------------

    def _name(self, token: Any, attribute: bool) -> tuple[str | None, str | None]:
        """A name test as (namespace or None for any, local name or None for any)."""
        if token.symbol == "(name)":
            return ("", token.value)
        if token.symbol == "*":
            return (None, None)
        if token.symbol == ":":
            first, second = token[0], token[1]
            if first.symbol == "*":
                return (None, second.value)
            prefix = first.value
            if prefix not in self.namespaces:
                raise Unsupported(f"prefix {prefix} is not bound")
            if second.symbol == "*":
                return (self.namespaces[prefix], None)
            if second.symbol == "(name)":
                return (self.namespaces[prefix], second.value)
        raise Unsupported(f"node test {token.symbol}")

    def _test(self, token: Any, axis: str) -> tuple[Callable[[Any], bool], str | None, Any]:
        """A node test: the predicate, the Clark name it names (if one), and the tag lxml's
        iterators take for it (elements only: a name, ``{*}local``, ``{ns}*``, any element)."""
        if token.symbol in ("text", "node", "comment") and len(token) == 0:
            if token.symbol == "text":
                return (lambda n: isinstance(n, Text)), None, None
            if token.symbol == "comment":
                return (lambda n: isinstance(n, COMMENT)), None, None
            return (lambda n: True), None, None
        namespace, local = self._name(token, axis == "attribute")
        if axis == "attribute":
            if namespace is None and local is None:
                return (lambda n: isinstance(n, Attr)), None, None
            if namespace is None:
                return (
                    (lambda n: isinstance(n, Attr) and etree.QName(n.name).localname == local),
                    None,
                    None,
                )
            if local is None:
                start = f"{{{namespace}}}"
                if namespace:
                    return (lambda n: isinstance(n, Attr) and n.name.startswith(start)), None, None
                return (lambda n: isinstance(n, Attr) and not n.name.startswith("{")), None, None
            clark = f"{{{namespace}}}{local}" if namespace else local
            return (lambda n: isinstance(n, Attr) and n.name == clark), clark, None
        if namespace is None and local is None:
            return is_element, None, etree.Element
        if namespace is None:
            return (
                (lambda n: is_element(n) and etree.QName(n).localname == local),
                None,
                f"{{*}}{local}",
            )
        if local is None:
            start = f"{{{namespace}}}"
            if namespace:
                return (lambda n: is_element(n) and n.tag.startswith(start)), None, f"{start}*"
            return (lambda n: is_element(n) and not n.tag.startswith("{")), None, "{}*"
        clark = f"{{{namespace}}}{local}" if namespace else local
        return (lambda n: isinstance(n, Element) and n.tag == clark), clark, clark

    def boolean(self, token: Any, scope: frozenset[str]) -> Test:
        """The effective boolean value of ``token``, with shortcuts for ``and``, ``or``,
        ``not()`` and a bare step on the child, attribute or ancestor axis with a name (whether
        there is such a node, not which: ancestors remembered for the document)."""
        symbol = token.symbol
        if symbol == "or" and "operator" in str(token.label):
            names = self._ancestor_names(token, scope)
            if names:  # ancestor::a or ancestor::b: one walk up
                return lambda i, p, s, e: _has_ancestor(i, names, e.state)
        if symbol in ("and", "or") and "operator" in str(token.label):
            left, right = self.boolean(token[0], scope), self.boolean(token[1], scope)
            if symbol == "and":
                return lambda i, p, s, e: left(i, p, s, e) and right(i, p, s, e)
            return lambda i, p, s, e: left(i, p, s, e) or right(i, p, s, e)
        if symbol == "not" and "function" in str(token.label) and len(token) == 1:
            inner = self.boolean(token[0], scope)
            return lambda i, p, s, e: not inner(i, p, s, e)
        step = self._step(token, scope)
        if step is not None and step.test is not None:
            clark, first = step.clark, step.first
            if step.axis == "ancestor" and clark is not None:
                names = (clark,)
                return lambda i, p, s, e: _has_ancestor(i, names, e.state)
            if step.axis == "attribute" and clark is not None:
                return lambda i, p, s, e: _has_attribute(i, clark)
            if step.axis != "attribute":
                return lambda i, p, s, e: first(_node(i)) is not None
        if step is not None and step.one is not None:
            one = step.one
            return lambda i, p, s, e: one(_node(i), e) is not None
        if step is not None and step.iterate is not None:
            iterate = step.iterate
            return lambda i, p, s, e: next(iterate(_node(i), e), None) is not None
        if symbol == "matches" and len(token) == 2 and token[0].symbol == "." and not len(token[0]):
            search = _regex(token[1], None).search
            return lambda i, p, s, e: search(_item_string(i)) is not None
        if symbol == "matches" and len(token) == 2 and "function" in str(token.label):
            argument = self._step(token[0], scope)
            if argument is not None and argument.one is not None:  # matches(node()[1], 'x')
                search, one = _regex(token[1], None).search, argument.one
                return lambda i, p, s, e: search(_one_string(one(_node(i), e))) is not None
        expression = self._expr(token, scope)
        if symbol in _ONE_BOOLEAN and ("function" in str(token.label) or len(token) == 2):
            return lambda i, p, s, e: bool(expression(i, p, s, e)[0])
        return lambda i, p, s, e: v.ebv(expression(i, p, s, e))

    def _ancestor_names(self, token: Any, scope: frozenset[str]) -> tuple[str, ...]:
        """The element names of ``ancestor::a or ancestor::b ...`` (bare steps), else ()."""
        if token.symbol == "or" and "operator" in str(token.label):
            left = self._ancestor_names(token[0], scope)
            right = self._ancestor_names(token[1], scope) if left else ()
            return left + right if right else ()
        step = self._step(token, scope)
        if step is None or step.test is None or step.axis != "ancestor" or step.clark is None:
            return ()
        return (step.clark,)

    def on_text(self, token: Any) -> Callable[[str], bool] | None:
        """The effective boolean value of ``token`` as a function of the context item's string
        value alone, where that is all it asks about (``not(matches(., '[%~]'))``), so that a
        rule on text nodes need not make each one; else None."""
        symbol = token.symbol
        is_function = "function" in str(token.label)
        if symbol in ("and", "or") and "operator" in str(token.label):
            left, right = self.on_text(token[0]), self.on_text(token[1])
            if left is None or right is None:
                return None
            if symbol == "and":
                return lambda text: left(text) and right(text)
            return lambda text: left(text) or right(text)
        if symbol == "not" and is_function and len(token) == 1:
            argument = token[0]
            if argument.symbol == "matches" and len(argument) == 2 and self.on_text(argument):
                search = _regex(argument[1], None).search
                return lambda text: search(text) is None
            inner = self.on_text(argument)
            return None if inner is None else (lambda text: not inner(text))
        if symbol in ("true", "false") and is_function and len(token) == 0:
            value = symbol == "true"
            return lambda text: value
        is_context = len(token) > 0 and token[0].symbol == "." and len(token[0]) == 0
        if symbol == "matches" and is_function and is_context:
            search = _regex(token[1], token[2] if len(token) > 2 else None).search
            return lambda text: search(text) is not None
        if symbol in ("contains", "starts-with", "ends-with") and is_function and is_context:
            if token[1].symbol != "(string)":
                return None
            part = str(token[1].value)
            if symbol == "contains":
                return lambda text: part in text
            if symbol == "starts-with":
                return lambda text: text.startswith(part)
            return lambda text: text.endswith(part)
        return None

    def _step(self, token: Any, scope: frozenset[str]) -> _Step | None:
        """The axis step ``token`` is, or None if it is not one."""
        symbol = token.symbol
        if symbol == "..":
            return _Step(_filtered(_AXES["parent"], _any), True)
        if symbol == "@":
            axis, test_token = "attribute", token[0]
        elif symbol in _AXES and "axis" in str(token.label):
            axis, test_token = symbol, token[0]
        elif _is_name_test(token) or (
            symbol in ("text", "node", "comment") and "kind test" in str(token.label)
        ):
            axis, test_token = "child", token
        elif symbol == "[":
            base = self._step(token[0], scope)
            if base is None:
                return None
            return self._predicated(base, token[1], scope)
        else:
            return None
        test, clark, tag = self._test(test_token, axis)
        select = _fast(axis, test, clark, tag) or _filtered(_AXES[axis], test)
        kind = test_token.symbol if test_token.symbol in ("node", "text") else ""
        return _Step(select, axis in _REVERSE, axis, test, clark, tag, kind)

    def _predicated(self, base: _Step, token: Any, scope: frozenset[str]) -> _Step:
        """A step with one more predicate, applied in axis order."""
        select = base.select
        if token.symbol == "(integer)" and token.value == 1 and base.test is not None:
            first = base.first
            step = _Step(lambda n, e: [] if (x := first(n)) is None else [x], base.reverse)
            step.iterate = lambda n, e: iter(() if (x := first(n)) is None else (x,))
            step.one = lambda n, e: first(n)
            return step
        if (
            token.symbol == "last"
            and len(token) == 0
            and base.test is not None
            and base.axis == "child"
        ):
            last = base.last
            step = _Step(lambda n, e: [] if (x := last(n)) is None else [x], base.reverse)
            step.iterate = lambda n, e: iter(() if (x := last(n)) is None else (x,))
            step.one = lambda n, e: last(n)
            return step
        if token.symbol == "(integer)" and base.iterate is not None:
            index, iterate = token.value - 1, base.iterate
            step = _Step(
                lambda n, e: (
                    [] if (x := next(islice(iterate(n, e), index, None), None)) is None else [x]
                ),
                base.reverse,
            )
            if index >= 0:
                step.one = lambda n, e: next(islice(iterate(n, e), index, None), None)
            return step
        if _size_only(token):
            size_only = self._expr(token, scope)

            def by_size(node: Any, env: Env) -> list[Any]:
                found = select(node, env)
                value = size_only(None, 0, len(found), env)
                if len(value) == 1 and v.is_numeric(value[0]):
                    return [x for k, x in enumerate(found, 1) if k == value[0]]
                return found if v.ebv(value) else []

            return _Step(by_size, base.reverse)
        if token.symbol == "(integer)":
            index = token.value - 1

            def nth(node: Any, env: Env) -> list[Any]:
                found = select(node, env)
                return [found[index]] if 0 <= index < len(found) else []

            return _Step(nth, base.reverse)
        if token.symbol == "last" and len(token) == 0:
            return _Step(lambda n, e: select(n, e)[-1:], base.reverse)
        if _never_positional(token):
            test = self.boolean(token, scope)

            def kept(node: Any, env: Env) -> list[Any]:
                found = select(node, env)
                return [x for x in found if test(x, 0, 0, env)]

            step = _Step(kept, base.reverse)
            if base.iterate is not None:
                inner = base.iterate
                step.iterate = lambda n, e: (x for x in inner(n, e) if test(x, 0, 0, e))
            if base.one is not None:
                one = base.one
                step.one = lambda n, e: (
                    x if (x := one(n, e)) is not None and test(x, 0, 0, e) else None
                )
            return step
        predicate = self._expr(token, scope)

        def filtered(node: Any, env: Env) -> list[Any]:
            return _filter(select(node, env), predicate, env)

        return _Step(filtered, base.reverse)

    # -- expressions ---------------------------------------------------------------------

    def _expr(self, token: Any, scope: frozenset[str]) -> Expr:
        symbol, arity = token.symbol, len(token)
        if symbol == "(integer)" or symbol == "(decimal)" or symbol == "(float)":
            value = token.value
            return lambda i, p, s, e: [value]
        if symbol == "(string)":
            text = str(token.value)
            return lambda i, p, s, e: [text]
        if symbol == "." and arity == 0:
            return lambda i, p, s, e: [i]
        if symbol == "$":
            name = token[0].value
            if name not in scope:
                raise Unsupported(f"variable ${name} not in scope")

            def variable(i: Any, p: int, s: int, e: Env) -> list[Any]:
                value = e.vars[name]
                return value.get() if isinstance(value, Lazy) else value

            return variable
        if symbol == "(":
            if arity == 0:
                return lambda i, p, s, e: []
            return self._expr(token[0], scope)
        if symbol == ",":
            left, right = self._expr(token[0], scope), self._expr(token[1], scope)
            return lambda i, p, s, e: [*left(i, p, s, e), *right(i, p, s, e)]
        if symbol in ("/", "//") and "operator" in str(token.label):
            return self._path(token, scope)
        step = self._step(token, scope)
        if step is not None:
            return _step_expr(step)
        if symbol == "[":
            return self._filter(token, scope)
        if symbol in ("and", "or") or (symbol == "not" and "function" in str(token.label)):
            if symbol == "not" and arity != 1:
                raise Unsupported("not() with other than one argument")
            test = self.boolean(token, scope)
            return lambda i, p, s, e: [test(i, p, s, e)]
        if symbol in v.GENERAL and arity == 2:
            left, right = self._expr(token[0], scope), self._expr(token[1], scope)
            return lambda i, p, s, e: [
                v.general_compare(symbol, left(i, p, s, e), right(i, p, s, e))
            ]
        if symbol in ("eq", "ne", "lt", "le", "gt", "ge"):
            left, right = self._expr(token[0], scope), self._expr(token[1], scope)
            return lambda i, p, s, e: v.value_compare(symbol, left(i, p, s, e), right(i, p, s, e))
        if symbol in ("<<", ">>", "is"):
            return self._node_compare(token, scope)
        if symbol in ("|", "union"):
            left, right = self._expr(token[0], scope), self._expr(token[1], scope)

            def union(i: Any, p: int, s: int, e: Env) -> list[Any]:
                nodes = [*left(i, p, s, e), *right(i, p, s, e)]
                if not all(is_node(n) for n in nodes):
                    raise XPathError("union of items that are not nodes")
                return e.state.order.sort(nodes)

            return union
        if symbol in ("+", "-", "*", "div", "idiv", "mod") and "operator" in str(token.label):
            if arity == 1:
                operand = self._expr(token[0], scope)
                sign = -1 if symbol == "-" else 1
                return lambda i, p, s, e: _unary(sign, operand(i, p, s, e))
            left, right = self._expr(token[0], scope), self._expr(token[1], scope)
            return lambda i, p, s, e: v.arithmetic(symbol, left(i, p, s, e), right(i, p, s, e))
        if symbol == "to":
            left, right = self._expr(token[0], scope), self._expr(token[1], scope)
            return lambda i, p, s, e: _range(left(i, p, s, e), right(i, p, s, e))
        if symbol == "if":
            condition = self.boolean(token[0], scope)
            then, other = self._expr(token[1], scope), self._expr(token[2], scope)
            return lambda i, p, s, e: (
                then(i, p, s, e) if condition(i, p, s, e) else other(i, p, s, e)
            )
        if symbol in ("for", "every", "some") and "expression" in str(token.label):
            return self._quantified(token, scope)
        if symbol == ":" and arity == 2 and "function" in str(token[1].label):
            prefix = token[0].value
            namespace = self.namespaces.get(prefix)
            if namespace == XS_NS:
                return self._cast(token[1], scope)
            if namespace != FN_NS:
                raise Unsupported(f"function {prefix}:{token[1].symbol}")
            return self._function(token[1], scope)
        if "function" in str(token.label):
            return self._function(token, scope)
        raise Unsupported(f"{symbol} ({token.label})")

    def _path(self, token: Any, scope: frozenset[str]) -> Expr:
        symbol, arity = token.symbol, len(token)
        if arity == 0:  # "/"
            return lambda i, p, s, e: [_root(i)]
        if arity == 1:
            left: Expr = lambda i, p, s, e: [_root(i)]  # noqa: E731
            right_token = token[0]
        else:
            left, right_token = self._expr(token[0], scope), token[1]
        if symbol == "//":
            step = self._descendant_step(right_token, scope)
            if step is None:
                descend = _step_expr(_Step(_filtered(_AXES["descendant-or-self"], _any), False))
                inner = left
                left = lambda i, p, s, e: _apply(inner(i, p, s, e), descend, e)  # noqa: E731
                return self._then(left, right_token, scope)
            return _steps(left, step)
        return self._then(left, right_token, scope)

    def _then(self, left: Expr, right_token: Any, scope: frozenset[str]) -> Expr:
        step = self._step(right_token, scope)
        if step is not None:
            return _steps(left, step)
        right = self._expr(right_token, scope)
        return lambda i, p, s, e: _apply(left(i, p, s, e), right, e)

    def _descendant_step(self, token: Any, scope: frozenset[str]) -> _Step | None:
        """``E//x[...]`` as ``E/descendant::x[...]`` where that is the same: a child step
        whose predicates never select by position."""
        predicates = []
        base = token
        while base.symbol == "[":
            predicates.append(base[1])
            base = base[0]
        is_child = (
            _is_name_test(base)
            or (base.symbol == "child" and "axis" in str(base.label))
            or (base.symbol in ("text", "node", "comment") and "kind test" in str(base.label))
        )
        if not is_child or not all(_never_positional(p) for p in predicates):
            return None
        test_token = base[0] if base.symbol == "child" else base
        test, clark, tag = self._test(test_token, "descendant")
        select = _fast("descendant", test, clark, tag) or _filtered(descendants, test)
        step = _Step(select, False, "descendant", test, clark, tag)
        for predicate in reversed(predicates):
            step = self._predicated(step, predicate, scope)
        return step

    def _lazy(self, token: Any, scope: frozenset[str]) -> Callable[..., Iterator[Any]] | None:
        """The items of ``token`` one at a time, in order, for ``(E)[1]``: where E is a
        forward step, or a path ending in one from one node (else all of E, then the first)."""
        if token.symbol == "(" and len(token) == 1:
            return self._lazy(token[0], scope)
        step = self._step(token, scope)
        if step is not None and not step.reverse and step.iterate is not None:
            iterate = step.iterate

            def from_context(i: Any, p: int, s: int, e: Env) -> Iterator[Any]:
                if not is_node(i):
                    raise XPathError("a path step from an item that is not a node")
                return iterate(i, e)

            return from_context
        if token.symbol not in ("/", "//") or len(token) != 2 or "operator" not in str(token.label):
            return None
        last = (
            self._descendant_step(token[1], scope)
            if token.symbol == "//"
            else self._step(token[1], scope)
        )
        if last is None or last.reverse or last.iterate is None:
            return None
        left, whole, iterate = self._expr(token[0], scope), self._expr(token, scope), last.iterate

        def from_one(i: Any, p: int, s: int, e: Env) -> Iterator[Any]:
            nodes = left(i, p, s, e)
            if len(nodes) == 1 and is_node(nodes[0]):
                return iterate(nodes[0], e)
            return iter(whole(i, p, s, e))

        return from_one

    def _filter(self, token: Any, scope: frozenset[str]) -> Expr:
        if token[1].symbol == "(integer)" and token[1].value == 1:
            lazy = self._lazy(token[0], scope)
            if lazy is not None:
                return lambda i, p, s, e: [] if (x := next(lazy(i, p, s, e), None)) is None else [x]
        base = self._expr(token[0], scope)
        if token[1].symbol == "(integer)":
            index = token[1].value - 1
            return lambda i, p, s, e: (
                [found[index]] if 0 <= index < len(found := base(i, p, s, e)) else []
            )
        predicate = self._expr(token[1], scope)
        return lambda i, p, s, e: _filter(base(i, p, s, e), predicate, e)

    def _node_compare(self, token: Any, scope: frozenset[str]) -> Expr:
        left, right = self._expr(token[0], scope), self._expr(token[1], scope)
        symbol = token.symbol

        def compare(i: Any, p: int, s: int, e: Env) -> list[Any]:
            a, b = left(i, p, s, e), right(i, p, s, e)
            if not a or not b:
                return []
            if len(a) > 1 or len(b) > 1 or not is_node(a[0]) or not is_node(b[0]):
                raise XPathError(f"{symbol} wants one node each side")
            if symbol == "is":
                return [a[0] == b[0]]
            ka, kb = e.state.order.key(a[0]), e.state.order.key(b[0])
            return [ka < kb if symbol == "<<" else ka > kb]

        return compare

    def _quantified(self, token: Any, scope: frozenset[str]) -> Expr:
        symbol = token.symbol
        clauses = []
        inner = scope
        for index in range(0, len(token) - 1, 2):
            name = token[index][0].value
            clauses.append((name, self._expr(token[index + 1], inner)))
            inner = inner | {name}
        body = self._expr(token[len(token) - 1], inner)

        def bindings(k: int, i: Any, p: int, s: int, e: Env) -> Any:
            if k == len(clauses):
                yield e
                return
            name, source = clauses[k]
            for item in source(i, p, s, e):
                yield from bindings(k + 1, i, p, s, e.bind(name, [item]))

        if symbol == "for":
            return lambda i, p, s, e: [x for b in bindings(0, i, p, s, e) for x in body(i, p, s, b)]
        if symbol == "every":
            return lambda i, p, s, e: [
                all(v.ebv(body(i, p, s, b)) for b in bindings(0, i, p, s, e))
            ]
        return lambda i, p, s, e: [any(v.ebv(body(i, p, s, b)) for b in bindings(0, i, p, s, e))]

    def _cast(self, token: Any, scope: frozenset[str]) -> Expr:
        name = token.symbol
        casts: dict[str, Callable[[Any], Any]] = {
            "integer": v.to_integer,
            "decimal": v.to_decimal,
            "double": v.to_double,
            "date": v.to_date,
            "string": v.string,
            "boolean": v.to_boolean,
        }
        if name not in casts or len(token) != 1:
            raise Unsupported(f"xs:{name}()")
        cast, argument = casts[name], self._expr(token[0], scope)

        def constructor(i: Any, p: int, s: int, e: Env) -> list[Any]:
            value = v.one(argument(i, p, s, e), f"xs:{name}")
            if value is None:
                return []
            if name == "string":
                return [v.string(value)]
            if name == "boolean" and isinstance(value, Untyped):
                return [v.to_boolean(str(value))]
            return [cast(str(value) if isinstance(value, Untyped) else value)]

        return constructor

    def _function(self, token: Any, scope: frozenset[str]) -> Expr:
        name = token.symbol
        if name not in FUNCTIONS:
            raise Unsupported(f"function {name}()")
        low, high, build = FUNCTIONS[name]
        if not low <= len(token) <= high:
            raise Unsupported(f"{name}() with {len(token)} arguments")
        if name in ("matches", "replace", "tokenize"):
            return _regex_function(name, token, [self._expr(t, scope) for t in token])
        return build([self._expr(t, scope) for t in token])


# -- evaluation helpers --------------------------------------------------------------------


def _has_ancestor(node: Any, names: tuple[str, ...], state: State) -> bool:
    """Whether ``node`` has an ancestor element of one of ``names`` (Clark): lxml walks up,
    and once a document has been asked often, the elements at or below one are collected
    (by lxml) and looked up."""
    kind = type(node)
    if kind is Text or kind is Attr:
        up = node.parent
    elif isinstance(node, Element):
        up = node.getparent()
    else:
        return False
    inside = state.inside.get(names)
    if inside is not None:
        return up in inside
    asked = state.asked[names] = state.asked.get(names, 0) + 1
    if asked > _ASKED:
        inside = state.inside[names] = set()
        for top in state.root.iter(*names):
            if top not in inside:
                inside.update(top.iter())
        return up in inside
    return up is not None and (up.tag in names or next(up.iterancestors(*names), None) is not None)


_ASKED = 32  # questions about one name before its elements are collected


def _node(item: Any) -> Any:
    """The context item of a path step, which must be a node."""
    if not is_node(item):
        raise XPathError("a path step from an item that is not a node")
    return item


def _has_attribute(node: Any, clark: str) -> bool:
    return is_element(node) and node.get(clark) is not None


def _root(item: Any) -> Doc:
    if not is_node(item):
        raise XPathError("the context item is not a node")
    return document(item)


def _any(node: Any) -> bool:
    return True


def _filtered(axis: Callable[[Any], Any], test: Callable[[Any], bool]) -> Step:
    return lambda n, e: [x for x in axis(n) if test(x)]


def _fast(axis: str, test: Callable[[Any], bool], clark: str | None, tag: Any) -> Step | None:
    """lxml's own iteration for the common steps on elements."""
    if axis == "attribute" and clark is not None:
        return lambda n, e: [Attr(n, clark)] if is_element(n) and n.get(clark) is not None else []
    if tag is None:
        return None
    if axis == "child":
        return lambda n, e: (
            list(n.iterchildren(tag))
            if is_element(n)
            else ([n.root] if isinstance(n, Doc) and test(n.root) else [])
        )
    if axis == "descendant":
        return lambda n, e: (
            list(n.iterdescendants(tag))
            if is_element(n)
            else (list(n.root.iter(tag)) if isinstance(n, Doc) else [])
        )
    if axis == "ancestor":
        return lambda n, e: (
            list(n.iterancestors(tag))
            if isinstance(n, Element)
            else [x for x in ancestors(n) if test(x)]
        )
    if axis == "following-sibling":
        return lambda n, e: (
            list(n.itersiblings(tag))
            if is_element(n)
            else [x for x in following_siblings(n) if test(x)]
        )
    if axis == "preceding-sibling":
        return lambda n, e: (
            list(n.itersiblings(tag, preceding=True))
            if is_element(n)
            else [x for x in preceding_siblings(n) if test(x)]
        )
    return None


def _step_expr(step: _Step) -> Expr:
    select, reverse = step.select, step.reverse

    def relative(i: Any, p: int, s: int, e: Env) -> list[Any]:
        if not is_node(i):
            raise XPathError("a path step from an item that is not a node")
        found = select(i, e)
        return found[::-1] if reverse and len(found) > 1 else found

    return relative


def _steps(left: Expr, step: _Step) -> Expr:
    select, reverse = step.select, step.reverse

    def path(i: Any, p: int, s: int, e: Env) -> list[Any]:
        nodes = left(i, p, s, e)
        if len(nodes) == 1:
            if not is_node(nodes[0]):
                raise XPathError("a path step from an item that is not a node")
            found = select(nodes[0], e)
            return found[::-1] if reverse and len(found) > 1 else found
        found = []
        for node in nodes:
            if not is_node(node):
                raise XPathError("a path step from an item that is not a node")
            found.extend(select(node, e)[::-1] if reverse else select(node, e))
        return e.state.order.sort(found) if len(found) > 1 else found

    return path


def _apply(nodes: list[Any], right: Expr, e: Env) -> list[Any]:
    """``E1/E2`` where E2 is not a step: nodes sorted, atomic values kept in order."""
    found: list[Any] = []
    size = len(nodes)
    for position, node in enumerate(nodes, 1):
        if not is_node(node):
            raise XPathError("a path step from an item that is not a node")
        found.extend(right(node, position, size, e))
    kinds = {is_node(x) for x in found}
    if len(kinds) > 1:
        raise XPathError("a path yields both nodes and atomic values")
    if kinds == {True} and len(found) > 1:
        return e.state.order.sort(found)
    return found


def _filter(items: list[Any], predicate: Expr, e: Env) -> list[Any]:
    size = len(items)
    kept = []
    for position, item in enumerate(items, 1):
        result = predicate(item, position, size, e)
        if len(result) == 1 and v.is_numeric(result[0]):
            if result[0] == position:
                kept.append(item)
        elif v.ebv(result):
            kept.append(item)
    return kept


def _unary(sign: int, operand: list[Any]) -> list[Any]:
    value = v.one(operand, "unary")
    if value is None:
        return []
    value = v.to_double(value) if isinstance(value, Untyped) else value
    if not v.is_numeric(value):
        raise XPathError("unary minus of a value that is not a number")
    return [-value if sign < 0 else value]


def _range(left: list[Any], right: list[Any]) -> list[Any]:
    a, b = v.one(left, "to"), v.one(right, "to")
    if a is None or b is None:
        return []
    a = v.to_integer(str(a)) if isinstance(a, Untyped) else a
    b = v.to_integer(str(b)) if isinstance(b, Untyped) else b
    if (
        not isinstance(a, int)
        or not isinstance(b, int)
        or isinstance(a, bool)
        or isinstance(b, bool)
    ):
        raise XPathError("to wants integers")
    if b - a > 10_000_000:
        raise XPathError("a range too long")
    return list(range(a, b + 1))


# -- functions -----------------------------------------------------------------------------


def _string_arg(values: list[Any], name: str) -> str:
    """An argument of type ``xs:string?``."""
    if len(values) == 1 and isinstance(values[0], Text | Attr):
        return str(values[0].value)
    value = v.one(values, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise XPathError(f"{name}() wants a string")
    return str(value)


def _context_or(args: list[Expr]) -> Expr:
    """The one argument, or the context item where there is none."""
    if args:
        return args[0]

    def context(i: Any, p: int, s: int, e: Env) -> list[Any]:
        if i is None:
            raise XPathError("no context item")
        return [i]

    return context


def _on_string(function: Callable[[str], Any], name: str) -> Callable[[list[Expr]], Expr]:
    def build(args: list[Expr]) -> Expr:
        source = _context_or(args)

        def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
            values = source(i, p, s, e)
            if not args and values and is_node(values[0]):
                return [function(string_value(values[0]))]
            return [function(_string_arg(values, name))]

        return call

    return build


def _on_strings(function: Callable[..., Any], name: str) -> Callable[[list[Expr]], Expr]:
    def build(args: list[Expr]) -> Expr:
        return lambda i, p, s, e: [function(*(_string_arg(a(i, p, s, e), name) for a in args))]

    return build


def _node_name(local: bool) -> Callable[[list[Expr]], Expr]:
    def build(args: list[Expr]) -> Expr:
        source = _context_or(args)

        def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
            found = source(i, p, s, e)
            if not found:
                return [""]
            if len(found) > 1 or not is_node(found[0]):
                raise XPathError("name() wants one node")
            return [_name_of(found[0], local)]

        return call

    return build


def _name_of(node: Any, local: bool) -> str:
    if isinstance(node, Attr):
        qname = etree.QName(node.name)
        if local or not qname.namespace:
            return str(qname.localname)
        prefix = (
            "xml"
            if qname.namespace == XML_NS
            else node.parent.nsmap
            and next((k for k, u in node.parent.nsmap.items() if u == qname.namespace and k), None)
        )
        return f"{prefix}:{qname.localname}" if prefix else str(qname.localname)
    if isinstance(node, Element):
        if isinstance(node, PI):
            return str(node.target)
        if not isinstance(node.tag, str):
            return ""
        localname = etree.QName(node).localname
        return localname if local or not node.prefix else f"{node.prefix}:{localname}"
    return ""


def _count(args: list[Expr]) -> Expr:
    source = args[0]
    return lambda i, p, s, e: [len(source(i, p, s, e))]


def _string_fn(args: list[Expr]) -> Expr:
    source = _context_or(args)

    def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
        found = source(i, p, s, e)
        if len(found) > 1:
            raise XPathError("string() of more than one item")
        return [v.string(found[0]) if found else ""]

    return call


def _number_fn(args: list[Expr]) -> Expr:
    source = _context_or(args)

    def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
        value = v.one(source(i, p, s, e), "number")
        return [math.nan if value is None else v.number(value)]

    return call


def _distinct(args: list[Expr]) -> Expr:
    source = args[0]

    def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
        seen: dict[Any, None] = {}
        found = []
        for value in v.atomize(source(i, p, s, e)):
            value = str(value) if isinstance(value, Untyped) else value
            if isinstance(value, float) and math.isnan(value):
                key: Any = ("nan",)
            elif v.is_numeric(value):
                key = ("number", float(value) if isinstance(value, float) else value)
            else:
                key = (type(value).__name__, value)
            if key not in seen:
                seen[key] = None
                found.append(value)
        return found

    return call


def _string_join(args: list[Expr]) -> Expr:
    source, separator = args

    def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
        parts = []
        for value in v.atomize(source(i, p, s, e)):
            if not isinstance(value, str):
                raise XPathError("string-join() of a value that is not a string")
            parts.append(str(value))
        return [_string_arg(separator(i, p, s, e), "string-join").join(parts)]

    return call


def _concat(args: list[Expr]) -> Expr:
    def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
        parts = []
        for argument in args:
            value = v.one(argument(i, p, s, e), "concat")
            parts.append("" if value is None else v.string(value))
        return ["".join(parts)]

    return call


def _sum(args: list[Expr]) -> Expr:
    source = args[0]

    def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
        values = [
            v.to_double(x) if isinstance(x, Untyped) else x for x in v.atomize(source(i, p, s, e))
        ]
        if not values:
            return [0]
        total = values[0]
        for value in values[1:]:
            total = v.arithmetic("+", [total], [value])[0]
        if not v.is_numeric(total):
            raise XPathError("sum() of values that are not numbers")
        return [total]

    return call


def _substring(args: list[Expr]) -> Expr:
    def call(i: Any, p: int, s: int, e: Env) -> list[Any]:
        text = _string_arg(args[0](i, p, s, e), "substring")
        start = _double_arg(args[1](i, p, s, e))
        begin = _round(start)
        end = begin + _round(_double_arg(args[2](i, p, s, e))) if len(args) > 2 else math.inf
        if math.isnan(begin) or math.isnan(end):
            return [""]
        chars = [c for k, c in enumerate(text, 1) if begin <= k < end]
        return ["".join(chars)]

    return call


def _double_arg(values: list[Any]) -> float:
    value = v.one(values, "substring")
    if value is None:
        raise XPathError("an empty sequence where a number is wanted")
    if isinstance(value, Untyped):
        return v.to_double(value)
    if not v.is_numeric(value):
        raise XPathError("a number is wanted")
    return float(value)


def _round(value: float) -> float:
    """``fn:round``: halves up."""
    if math.isnan(value) or math.isinf(value):
        return value
    return math.floor(value + 0.5)


def _translate(text: str, source: str, target: str) -> str:
    table: dict[int, int | None] = {}
    for index, character in enumerate(source):
        if ord(character) not in table:
            table[ord(character)] = ord(target[index]) if index < len(target) else None
    return text.translate(table)


def _substring_before(text: str, part: str) -> str:
    index = text.find(part)
    return text[:index] if index >= 0 and part else ""


def _substring_after(text: str, part: str) -> str:
    if not part:
        return text
    index = text.find(part)
    return text[index + len(part) :] if index >= 0 else ""


def _position(args: list[Expr]) -> Expr:
    return lambda i, p, s, e: [p]


def _last(args: list[Expr]) -> Expr:
    return lambda i, p, s, e: [s]


def _not(args: list[Expr]) -> Expr:
    source = args[0]
    return lambda i, p, s, e: [not v.ebv(source(i, p, s, e))]


def _boolean(args: list[Expr]) -> Expr:
    source = args[0]
    return lambda i, p, s, e: [v.ebv(source(i, p, s, e))]


def _exists(args: list[Expr]) -> Expr:
    source = args[0]
    return lambda i, p, s, e: [bool(source(i, p, s, e))]


def _empty(args: list[Expr]) -> Expr:
    source = args[0]
    return lambda i, p, s, e: [not source(i, p, s, e)]


def _constant(value: bool) -> Callable[[list[Expr]], Expr]:
    return lambda args: lambda i, p, s, e: [value]


def _normalize(text: str) -> str:
    return " ".join(re.split("[ \t\r\n]+", text.strip(" \t\r\n"))) if text else ""


def _built_elsewhere(args: list[Expr]) -> Expr:
    raise AssertionError("built from the tokens, by _regex_function")


FUNCTIONS: dict[str, tuple[int, int, Callable[[list[Expr]], Expr]]] = {
    "not": (1, 1, _not),
    "boolean": (1, 1, _boolean),
    "true": (0, 0, _constant(True)),
    "false": (0, 0, _constant(False)),
    "count": (1, 1, _count),
    "exists": (1, 1, _exists),
    "empty": (1, 1, _empty),
    "position": (0, 0, _position),
    "last": (0, 0, _last),
    "string": (0, 1, _string_fn),
    "number": (0, 1, _number_fn),
    "name": (0, 1, _node_name(local=False)),
    "local-name": (0, 1, _node_name(local=True)),
    "normalize-space": (0, 1, _on_string(_normalize, "normalize-space")),
    "string-length": (0, 1, _on_string(len, "string-length")),
    "lower-case": (1, 1, _on_string(str.lower, "lower-case")),
    "upper-case": (1, 1, _on_string(str.upper, "upper-case")),
    "contains": (2, 2, _on_strings(lambda a, b: b in a, "contains")),
    "starts-with": (2, 2, _on_strings(str.startswith, "starts-with")),
    "ends-with": (2, 2, _on_strings(str.endswith, "ends-with")),
    "substring-before": (2, 2, _on_strings(_substring_before, "substring-before")),
    "substring-after": (2, 2, _on_strings(_substring_after, "substring-after")),
    "translate": (3, 3, _on_strings(_translate, "translate")),
    "substring": (2, 3, _substring),
    "concat": (2, 64, _concat),
    "string-join": (2, 2, _string_join),
    "distinct-values": (1, 1, _distinct),
    "sum": (1, 1, _sum),
    # built by _regex_function, which needs their literal patterns (only arities here)
    "matches": (2, 3, _built_elsewhere),
    "replace": (3, 4, _built_elsewhere),
    "tokenize": (2, 3, _built_elsewhere),
}


# -- regular expressions -------------------------------------------------------------------

_ATOM = re.compile(
    r"\\[pP]\{[^}]*\}|\\.|\[(?:\\.|\[(?:\\.|[^\]])*\]|[^\]])*\]|[()|]|"
    r"(?:[*+?]|\{\d+(?:,\d*)?\})\??|.",
    re.DOTALL,
)


def _atoms(pattern: str) -> list[str]:
    """An XPath regular expression split into atoms, groups' brackets, ``|`` and quantifiers."""
    return _ATOM.findall(pattern)


def _is_quantifier(atom: str) -> bool:
    return bool(atom) and (atom[0] in "*+?" or (atom[0] == "{" and len(atom) > 1))


def risky(pattern: str) -> bool:
    """Whether a regular expression could backtrack exponentially in Python's ``re``: a
    back-reference, a repeated group holding an alternation or a group, or one holding a
    quantifier unless it starts with a character none of its quantified atoms can match
    (``( #pmb\\d+)*``)."""
    atoms = _atoms(pattern)
    if any(re.fullmatch(r"\\[1-9]", atom) for atom in atoms):
        return True
    opened: list[int] = []
    for index, atom in enumerate(atoms):
        if atom == "(":
            opened.append(index)
        elif atom == ")" and opened:
            start = opened.pop()
            after = atoms[index + 1] if index + 1 < len(atoms) else ""
            repeated = _is_quantifier(after) and not after.startswith("?")
            if repeated and _ambiguous(atoms[start + 1 : index]):
                return True
    return False


def _ambiguous(inner: list[str]) -> bool:
    """Whether a repeated group's atoms could match one text in more than one way."""
    if "|" in inner or "(" in inner:
        return True
    quantified = [a for a, b in zip(inner, [*inner[1:], ""], strict=True) if _is_quantifier(b)]
    if not quantified:
        return False
    if inner[0] in quantified:
        return True
    first = inner[0]
    if first.startswith("[") or first in (".", "^", "$") or re.fullmatch(r"\\[a-zA-Z]", first):
        return True  # not one known character
    character = first[-1] if first.startswith("\\") else first
    for atom in quantified:
        try:
            if re.fullmatch(translate_pattern(atom), character):
                return True
        except (re.error, RegexError):
            return True
    return False


def _regex(pattern: Any, flags: Any) -> re.Pattern[str]:
    """A literal XPath regular expression as Python's, or :class:`Unsupported`."""
    if pattern.symbol != "(string)" or (flags is not None and flags.symbol != "(string)"):
        raise Unsupported("a regular expression that is not a literal")
    text, letters = str(pattern.value), str(flags.value) if flags is not None else ""
    if risky(text) or set(letters) - set("smix"):
        raise Unsupported(f"regular expression {text!r} (flags {letters!r}) left to Saxon")
    bits = 0
    for letter in letters:
        bits |= getattr(re, letter.upper())
    try:
        return re.compile(translate_pattern(_shortcuts_in_classes(text), bits, "1.0"), bits)
    except (re.error, RegexError, OverflowError) as error:
        raise Unsupported(f"regular expression {text!r}: {error}") from error


def _shortcuts_in_classes(pattern: str) -> str:
    """``\\s``, ``\\w``, ``\\d`` and their negations outside a character class put inside
    one, where elementpath translates them to XPath's meaning (Python's ``\\s`` takes in a
    no-break space, its ``\\w`` is not XPath's)."""
    shortcuts = {"\\s", "\\S", "\\w", "\\W", "\\d", "\\D"}
    return "".join(f"[{atom}]" if atom in shortcuts else atom for atom in _atoms(pattern))


def _one_string(node: Any) -> str:
    """A node or none as a string argument (``matches(node()[1], ...)``)."""
    if node is None:
        return ""
    if isinstance(node, Text | Attr):
        return node.value
    return _string_arg([node], "matches")


def _item_string(item: Any) -> str:
    """The context item as a string argument (``matches(., ...)``)."""
    if isinstance(item, Text | Attr):
        return item.value
    return _string_arg([item], "matches")


def _regex_function(name: str, token: Any, args: list[Expr]) -> Expr:
    flags_at = {"matches": 2, "replace": 3, "tokenize": 2}[name]
    compiled = _regex(token[1], token[flags_at] if len(token) > flags_at else None)
    source = args[0]
    if name == "matches":
        search = compiled.search
        if token[0].symbol == "." and len(token[0]) == 0:  # the context item's own text
            return lambda i, p, s, e: [search(_item_string(i)) is not None]
        return lambda i, p, s, e: [search(_string_arg(source(i, p, s, e), name)) is not None]
    if compiled.fullmatch(""):
        raise Unsupported(f"{name}() with a regular expression that matches ''")
    if name == "tokenize":

        def tokenize(i: Any, p: int, s: int, e: Env) -> list[Any]:
            text = _string_arg(source(i, p, s, e), name)
            if not text:
                return []
            parts, start = [], 0
            for match in compiled.finditer(text):
                parts.append(text[start : match.start()])
                start = match.end()
            return [*parts, text[start:]]

        return tokenize
    replacement_token = token[2]
    if replacement_token.symbol != "(string)":
        raise Unsupported("a replacement that is not a literal")
    template = _replacement(str(replacement_token.value))
    return lambda i, p, s, e: [compiled.sub(template, _string_arg(source(i, p, s, e), name))]


def _replacement(text: str) -> Callable[[re.Match[str]], str]:
    """XPath's replacement string (``$1``, ``\\$``, ``\\\\``) as a function of a match."""
    parts: list[str | int] = []
    index = 0
    while index < len(text):
        character = text[index]
        if character == "\\" and index + 1 < len(text) and text[index + 1] in "\\$":
            parts.append(text[index + 1])
            index += 2
        elif character == "$" and index + 1 < len(text) and text[index + 1].isdigit():
            parts.append(int(text[index + 1]))
            index += 2
        elif character in "\\$":
            raise Unsupported(f"replacement {text!r}")
        else:
            parts.append(character)
            index += 1

    def apply(match: re.Match[str]) -> str:
        out = []
        for part in parts:
            if isinstance(part, int):
                out.append((match.group(part) if part <= (match.re.groups) else "") or "")
            else:
                out.append(part)
        return "".join(out)

    return apply

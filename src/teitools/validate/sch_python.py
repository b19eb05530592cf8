"""A project's XPath 2 Schematron checked in Python, on the lxml tree the validator already
has, with the findings Saxon gives for the stylesheet :mod:`~.sch_xslt` makes of it.

Each rule's context (an XSLT pattern: ``a/b[1]`` matches a ``b`` that is the first ``b`` child
of an ``a``) is dispatched by the element name of its last step (or ``*``, or ``text()``);
its lets, tests and messages are compiled by :mod:`~.xpath_compile`. One walk of the tree
visits each node the rules can match, and runs the rules that match it in schema order, only
the first of each pattern (Schematron's first matching rule), as the stylesheet does. A test
that raises a dynamic error, in itself, in a let it uses or in its message, reports nothing
(the stylesheet's ``xsl:try``); lets are evaluated when first used. Findings come in the
stylesheet's order (the nodes in document order, then the schema's order of checks), at the
line and column Saxon gives: just after an element's start tag, and after the markup that
ends a text node.

:func:`compile_rules` refuses a schema any of whose rules uses what the compiler does not
support (:class:`~.xpath_compile.Unsupported`): its rules then stay with Saxon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from teitools.validate import sch_xslt
from teitools.validate.findings import Finding
from teitools.validate.tei_rules import MARKUP, Places
from teitools.validate.xpath_compile import (
    Compiler,
    Env,
    Expr,
    Lazy,
    State,
    Test,
    Unsupported,
    _is_name_test,
    _never_positional,
    _uses_position,
)
from teitools.validate.xpath_nodes import COMMENT, PI, Doc, Element, Text, XPathError, parent

SCH = sch_xslt.SCH
TEXT = "text()"  # the dispatch key of rules whose context is a text node
ANY = "*"  # of rules whose context is any element


@dataclass(frozen=True)
class _StepPattern:
    """One step of a context pattern: its node test, and its predicates, either tested on
    the node alone (none selects by position) or by selecting from the parent."""

    test: Callable[[Any], bool]
    predicates: tuple[Test, ...]
    from_parent: Callable[[Any, Env], list[Any]] | None  # the step from the parent, if positional
    parent_only: bool = False  # the predicates ask only about the parent and its ancestors


@dataclass(frozen=True)
class _Path:
    """A path pattern: steps from left to right, each joined to the next by ``/`` or
    ``//``; ``rooted`` if it starts with ``/`` (its first step a child of the document)."""

    steps: tuple[_StepPattern, ...]
    joins: tuple[str, ...]  # before each step but the first
    rooted: bool

    def matches(self, node: Any, env: Env) -> bool:
        return self._at(node, len(self.steps) - 1, env)

    def _at(self, node: Any, index: int, env: Env) -> bool:
        if not _step_matches(self.steps[index], node, env):
            return False
        if index == 0:
            return not self.rooted or isinstance(parent(node), Doc)
        up = parent(node)
        if self.joins[index - 1] == "/":
            return up is not None and self._at(up, index - 1, env)
        while up is not None:
            if self._at(up, index - 1, env):
                return True
            up = parent(up)
        return False


def _step_matches(step: _StepPattern, node: Any, env: Env) -> bool:
    if not step.test(node):
        return False
    if step.from_parent is not None:
        up = parent(node)
        return up is not None and node in step.from_parent(up, env)
    if step.parent_only:  # the same for every child of one parent: worked out once
        key = (id(step), parent(node))
        memo = env.state.memo
        known = memo.get(key)
        if known is None:
            known = memo[key] = all(p(node, 1, 1, env) for p in step.predicates)
        return bool(known)
    return all(predicate(node, 1, 1, env) for predicate in step.predicates)


@dataclass(frozen=True)
class _Check:
    number: int  # in the compiled schema's checks
    report: bool  # a report fires when its test holds, an assert when it fails
    test: Test
    message: Expr
    on_text: Callable[[str], bool] | None = None  # the test on a text node's value alone


@dataclass
class _Rule:
    pattern: int
    paths: tuple[_Path, ...]
    keys: frozenset[str]  # element tags (Clark), ANY or TEXT
    lets: tuple[tuple[str, Expr], ...]
    checks: tuple[_Check, ...]
    path_keys: tuple[str, ...] = ()  # each path's key
    eager: tuple[str, ...] = ()  # the lets Saxon evaluates before any check (see _eager)

    def __post_init__(self) -> None:
        only = self.paths[0] if len(self.paths) == 1 else None
        step = only.steps[0] if only is not None and len(only.steps) == 1 else None
        # one step, its name the dispatch key, no predicate: every node dispatched matches
        # a text() step whose predicates ask only about the parent: decided once per parent
        self.by_parent = (
            step is not None
            and TEXT in self.keys
            and (step.parent_only or not step.predicates)
            and step.from_parent is None
            and not only.rooted  # type: ignore[union-attr]
        )
        # each branch one step, unrooted, without predicates, naming an element: every
        # element dispatched to the rule matches it
        self.always = (
            ANY not in self.keys
            and TEXT not in self.keys
            and all(
                len(path.steps) == 1
                and not path.rooted
                and not path.steps[0].predicates
                and path.steps[0].from_parent is None
                for path in self.paths
            )
        )
        # one branch of one step with predicates on the node alone
        self.predicates = (
            step.predicates
            if step is not None
            and step.from_parent is None
            and not only.rooted  # type: ignore[union-attr]
            and ANY not in self.keys
            else None
        )
        # the one predicate of such a step, called without a loop
        self.predicate = (
            self.predicates[0] if self.predicates and len(self.predicates) == 1 else None
        )
        # on a text node: no lets, and every check asks about its value only
        self.on_text = not self.lets and all(c.on_text is not None for c in self.checks)

    def matches(self, node: Any, env: Env, paths: tuple[_Path, ...] | None = None) -> bool:
        """Whether the rule's context matches ``node`` (trying only ``paths`` if given)."""
        if self.always:
            return True
        try:
            if self.predicate is not None:
                return self.predicate(node, 1, 1, env)
            if self.predicates is not None:
                return all(predicate(node, 1, 1, env) for predicate in self.predicates)
            return any(path.matches(node, env) for path in paths or self.paths)
        except XPathError:
            return False  # a pattern that raises an error does not match


@dataclass
class PythonRules:
    """One schema's rules compiled to Python: check a document with :meth:`check`."""

    checks: tuple[sch_xslt.Check, ...]
    label: str
    layer: str
    rules: list[_Rule]
    lets: tuple[tuple[str, Expr], ...]  # the schema's own, their context the document
    skipped: list[str] = field(default_factory=list)
    by_key: dict[str, list[tuple[_Rule, tuple[_Path, ...]]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        keys = {key for rule in self.rules for key in rule.keys}
        self.tags = tuple(sorted(k for k in keys if k not in (ANY, TEXT)))
        self.any_element = ANY in keys
        self.text = TEXT in keys
        for key in keys:
            self.by_key[key] = self._candidates(key)
        # by key, where every rule a node of it may match matches every such node: the
        # rules to run, worked out once (the first of each pattern)
        self.fixed: dict[str, list[_Rule]] = {}
        for key, found in self.by_key.items():
            if key != TEXT and all(rule.always for rule, _ in found):
                self.fixed[key] = _first_of_patterns(found, None, None)  # type: ignore[arg-type]

    def _candidates(self, key: str) -> list[tuple[_Rule, tuple[_Path, ...]]]:
        """The rules a node of ``key`` may match, in order, each with the paths to try."""
        found = []
        for rule in self.rules:
            paths = tuple(
                path
                for path, own in zip(rule.paths, rule.path_keys, strict=True)
                if own == key or (own == ANY and key != TEXT)
            )
            if paths:
                found.append((rule, paths))
        return found

    def _for_tag(self, tag: str) -> list[tuple[_Rule, tuple[_Path, ...]]]:
        found = self.by_key.get(tag)
        if found is None:
            found = self.by_key[tag] = self._candidates(tag)
        return found

    def check(self, tree: etree._ElementTree, path: Path, text: Callable[[], str]) -> list[Finding]:
        """Findings for one document; ``text`` gives the text Saxon would read (for the
        lines and columns)."""
        root = tree.getroot()
        state = State(root)
        env = Env({}, state)
        document = Doc(root)
        for name, expression in self.lets:
            env.vars[name] = Lazy(_thunk(expression, document, env))
        fired: list[tuple[Any, int, str]] = []
        if self.any_element or self.tags:
            elements = root.iter(etree.Element) if self.any_element else root.iter(*self.tags)
            fixed, run = self.fixed, self._run
            for element in elements:
                rules = fixed.get(element.tag)
                if rules is None:
                    rules = _first_of_patterns(self._for_tag(element.tag), element, env)
                run(element, rules, env, fired)
        if self.text:
            self._texts(root, env, fired)
        if not fired:
            return []
        if self.text:
            fired.sort(key=lambda f: state.order.key(f[0]))  # stable: rule order kept
        where = _positions(root, text(), [node for node, _, _ in fired])
        return [
            self.checks[number].finding(path, *where[index], message, self.layer, self.label)
            for index, (_, number, message) in enumerate(fired)
        ]

    def _texts(self, root: etree._Element, env: Env, fired: list[Any]) -> None:
        """The rules on text nodes, run on each; where every one of them decides by the
        parent alone, the text nodes of a parent none of them matches are not visited."""
        rules = self.by_key[TEXT]
        if not all(rule.by_parent for rule, _ in rules):
            for node in root.iter():
                if node.text and not isinstance(node, _OTHER):
                    self._visit(Text(node, False), rules, env, fired)
                if node.tail and node is not root:
                    self._visit(Text(node, True), rules, env, fired)
            return
        # by parent: the first rule of each pattern, and whether all decide by value alone
        matching: dict[Any, tuple[list[_Rule], bool]] = {}
        run = self._run_on_text
        for node in root.iter():
            value = node.text
            if value and not isinstance(node, _OTHER):
                found = matching.get(node)
                if found is None:
                    found = matching[node] = _matching_text(rules, Text(node, False), env)
                if found[0]:
                    run(node, False, value, found, env, fired)
            value = node.tail
            if value and node is not root:
                up = node.getparent()
                found = matching.get(up)
                if found is None:
                    found = matching[up] = _matching_text(rules, Text(node, True), env)
                if found[0]:
                    run(node, True, value, found, env, fired)

    def _run_on_text(
        self,
        owner: Any,
        tail: bool,
        value: str,
        found: tuple[list[_Rule], bool],
        env: Env,
        fired: list[Any],
    ) -> None:
        """The checks of ``rules`` on one text node, by its value where they can be."""
        rules, on_text = found
        if not on_text:
            self._run(Text(owner, tail), rules, env, fired)
            return
        for rule in rules:
            for check in rule.checks:
                if check.on_text(value) == check.report:  # type: ignore[misc]
                    node = Text(owner, tail)
                    try:
                        message = check.message(node, 1, 1, env)
                    except XPathError:
                        continue
                    fired.append((node, check.number, str(message[0]) if message else ""))

    def _visit(
        self, node: Any, rules: list[tuple[_Rule, tuple[_Path, ...]]], env: Env, fired: list[Any]
    ) -> None:
        self._run(node, _first_of_patterns(rules, node, env), env, fired)

    @staticmethod
    def _run(node: Any, rules: list[_Rule], env: Env, fired: list[Any]) -> None:
        """The checks of ``rules`` (each matching ``node``) on ``node``."""
        for rule in rules:
            local = env
            if rule.lets:
                local = Env(dict(env.vars), env.state)
                for name, expression in rule.lets:
                    local.vars[name] = Lazy(_thunk(expression, node, local))
                try:
                    for name in rule.eager:
                        local.vars[name].get()
                except XPathError:
                    continue  # the whole rule reports nothing
            for check in rule.checks:
                try:
                    holds = check.test(node, 1, 1, local)
                    if holds == check.report:
                        message = check.message(node, 1, 1, local)
                        fired.append((node, check.number, str(message[0]) if message else ""))
                except XPathError:
                    continue


_OTHER = (COMMENT, PI)  # nodes whose text is not a text node


def _matching_text(
    rules: list[tuple[_Rule, tuple[_Path, ...]]], node: Any, env: Env
) -> tuple[list[_Rule], bool]:
    """The rules that match a text node, and whether all of them decide by its value."""
    found = _first_of_patterns(rules, node, env)
    return found, all(rule.on_text for rule in found)


def _first_of_patterns(
    rules: list[tuple[_Rule, tuple[_Path, ...]]], node: Any, env: Env
) -> list[_Rule]:
    """The rules that match ``node``, only the first of each pattern."""
    done: set[int] = set()
    found = []
    for rule, paths in rules:
        if rule.pattern not in done and rule.matches(node, env, paths):
            done.add(rule.pattern)
            found.append(rule)
    return found


def _thunk(expression: Expr, node: Any, env: Env) -> Callable[[], list[Any]]:
    return lambda: expression(node, 1, 1, env)


# -- compiling -------------------------------------------------------------------------------


def compile_rules(
    root: etree._Element, compiled: sch_xslt.Compiled, label: str, layer: str
) -> PythonRules:
    """The rules of ``root`` (a schema :func:`sch_xslt.compile_schema` has compiled, its
    abstract rules and patterns expanded) in Python; :class:`Unsupported` if any of them
    uses what the compiler does not support."""
    namespaces = {ns.get("prefix", ""): ns.get("uri", "") for ns in root.iter(f"{SCH}ns")}
    compiler = Compiler(namespaces)
    scope: list[str] = []
    lets = []
    for let in root.findall(f"{SCH}let"):
        value = let.get("value", "") or "()"
        if sch_xslt.forbidden_call(value):
            value = "()"
        lets.append((let.get("name", ""), compiler.compile(value, scope)))
        scope.append(let.get("name", ""))
    rules = []
    number = 0
    for pattern, _, rule in sch_xslt._rules(root):
        if sch_xslt.forbidden_call(" ".join(sch_xslt._expressions(rule))):
            continue
        local = list(scope)
        rule_lets = []
        let_tokens = []
        for let in rule.getparent().findall(f"{SCH}let") + rule.findall(f"{SCH}let"):
            token = compiler.parse(let.get("value", "") or "()")
            if _uses_position(token):
                raise Unsupported("position() or last() of the nodes the rules are applied to")
            rule_lets.append((let.get("name", ""), compiler.compile(let.get("value", ""), local)))
            let_tokens.append((let.get("name", ""), token))
            local.append(let.get("name", ""))
        checks = []
        uses = []  # every expression of the rule, for where its lets are used
        for check in rule:
            if check.tag not in sch_xslt.CHECKS:
                continue
            parsed = compiler.parse(check.get("test", ""))
            text = sch_xslt._message(check)
            uses += [parsed, compiler.parse(text)]
            if _uses_position(parsed) or _uses_position(uses[-1]):
                raise Unsupported("position() or last() of the nodes the rules are applied to")
            test = compiler.boolean(parsed, frozenset(local))
            message = compiler.compile(text, local)
            report = check.tag == f"{SCH}report"
            checks.append(_Check(number, report, test, message, compiler.on_text(parsed)))
            number += 1
        paths, keys = _context(compiler, " ".join(rule.get("context", "").split()), scope)
        eager = _eager(let_tokens, uses)
        rule_ = _Rule(pattern, paths, frozenset(keys), tuple(rule_lets), tuple(checks), keys, eager)
        rules.append(rule_)
    if number != len(compiled.checks):
        raise Unsupported("the checks do not line up with the stylesheet's")
    return PythonRules(compiled.checks, label, layer, rules, tuple(lets), compiled.skipped)


# functions whose result is one item (or none), as Saxon infers it
_SINGULAR_FUNCTIONS = {
    "count", "string", "normalize-space", "string-length", "contains", "starts-with",
    "ends-with", "substring", "substring-before", "substring-after", "matches", "replace",
    "concat", "string-join", "name", "local-name", "number", "position", "last", "true",
    "false", "boolean", "not", "exists", "empty", "sum", "lower-case", "upper-case",
    "translate",
}  # fmt: skip
_SINGULAR_OPERATORS = {
    "+", "-", "*", "div", "idiv", "mod", "=", "!=", "<", "<=", ">", ">=", "eq", "ne", "lt",
    "le", "gt", "ge", "and", "or", "<<", ">>", "is", "every", "some",
}  # fmt: skip


def _singular(token: Any, singular: set[str]) -> bool:
    """Whether Saxon infers that ``token`` gives at most one item (so evaluates a variable
    bound to it eagerly): literals, ``.``, ``..``, a named attribute, arithmetic and
    comparisons, the functions of :data:`_SINGULAR_FUNCTIONS`, casts, ``E[1]``, a path of
    such steps, a variable bound to such a value."""
    symbol, label = token.symbol, str(token.label)
    if symbol in ("(integer)", "(decimal)", "(float)", "(string)", ".", ".."):
        return len(token) == 0 or symbol == ".."
    if symbol == "$":
        return str(token[0].value) in singular
    if symbol == "@" or (symbol == "attribute" and "axis" in label):
        return bool(token[0].symbol == "(name)") or (
            token[0].symbol == ":" and token[0][0].symbol != "*" and token[0][1].symbol != "*"
        )
    if symbol in _SINGULAR_OPERATORS and ("operator" in label or "expression" in label):
        return True
    if symbol == ":" and len(token) == 2 and "function" in str(token[1].label):
        return token[0].value == "xs" or token[1].symbol in _SINGULAR_FUNCTIONS
    if "function" in label:
        return symbol in _SINGULAR_FUNCTIONS
    if symbol == "if":
        return _singular(token[1], singular) and _singular(token[2], singular)
    if symbol == "(":
        return len(token) == 0 or _singular(token[0], singular)
    if symbol == "[":
        return token[1].symbol == "(integer)" or _singular(token[0], singular)
    if symbol in ("/",) and len(token) == 2 and "operator" in label:
        return _singular(token[0], singular) and _singular(token[1], singular)
    return False


def _references(token: Any, name: str) -> int:
    """How often ``token`` names ``$name``."""
    if token.symbol == "$" and str(token[0].value) == name:
        return 1
    return sum(_references(child, name) for child in token)


def _eager(lets: list[tuple[str, Any]], uses: list[Any]) -> tuple[str, ...]:
    """The lets of a rule Saxon evaluates where they are declared, so that an error in one
    makes the whole rule report nothing: those of one item or none (Saxon evaluates such a
    variable eagerly, lazily a sequence) that are used at all."""
    singular: set[str] = set()
    eager = []
    for index, (name, token) in enumerate(lets):
        if not _singular(token, singular):
            continue
        singular.add(name)
        later = [t for _, t in lets[index + 1 :]] + uses
        if any(_references(t, name) for t in later):
            eager.append(name)
    return tuple(eager)


def _context(
    compiler: Compiler, context: str, scope: list[str]
) -> tuple[tuple[_Path, ...], tuple[str, ...]]:
    """A rule's context as path patterns, and the key of the nodes each can match."""
    token = compiler.parse(context)
    branches = []
    stack = [token]
    while stack:
        branch = stack.pop()
        if branch.symbol in ("|", "union"):
            stack.extend([branch[1], branch[0]])
        else:
            branches.append(branch)
    paths, keys = [], []
    for branch in branches:
        path, key = _path(compiler, branch, frozenset(scope))
        paths.append(path)
        keys.append(key)
    return tuple(paths), tuple(keys)


def _path(compiler: Compiler, token: Any, scope: frozenset[str]) -> tuple[_Path, str]:
    steps: list[Any] = []
    joins: list[str] = []
    rooted = False
    while token.symbol in ("/", "//") and "operator" in str(token.label):
        if len(token) == 2:
            steps.append(token[1])
            joins.append(token.symbol)
            token = token[0]
        elif len(token) == 1:
            steps.append(token[0])
            rooted = token.symbol == "/"
            break
        else:
            raise Unsupported("the pattern '/'")
    else:
        steps.append(token)
    steps.reverse()
    joins.reverse()
    if not rooted and len(joins) == len(steps):
        joins = joins[1:]
    compiled = [_step_pattern(compiler, step, scope) for step in steps]
    return _Path(tuple(c for c, _ in compiled), tuple(joins), rooted), compiled[-1][1]


def _step_pattern(
    compiler: Compiler, token: Any, scope: frozenset[str]
) -> tuple[_StepPattern, str]:
    predicates = []
    base = token
    while base.symbol == "[":
        predicates.append(base[1])
        base = base[0]
    predicates.reverse()
    if base.symbol == "child" and "axis" in str(base.label):
        base = base[0]
    is_text = base.symbol == "text" and "kind test" in str(base.label)
    is_name = _is_name_test(base)
    if not is_text and not is_name:
        raise Unsupported(f"a pattern step {base.symbol}")
    test, clark, _ = compiler._test(base, "child")
    key = TEXT if is_text else clark or ANY
    if all(_never_positional(p) for p in predicates):
        compiled = tuple(compiler.boolean(p, scope) for p in predicates)
        parent_only = bool(predicates) and all(_about_parent(p) for p in predicates)
        return _StepPattern(test, compiled, None, parent_only), key
    step = compiler._step(token, scope)
    assert step is not None
    return _StepPattern(test, (), step.select), key


_UP = ("parent", "ancestor")
_CONSTANT = ("(string)", "(integer)", "(decimal)", "(float)", "true", "false")


def _about_parent(token: Any) -> bool:
    """Whether a predicate's value depends only on the node's parent (and its ancestors):
    ``ancestor::a or not(parent::b[@c])``."""
    symbol = token.symbol
    if symbol in ("and", "or") and "operator" in str(token.label):
        return _about_parent(token[0]) and _about_parent(token[1])
    if symbol in ("not", "exists", "empty", "boolean", "count") and "function" in str(token.label):
        return len(token) == 1 and _about_parent(token[0])
    if symbol == "[":
        return _about_parent(token[0]) and not _uses_position(token[1])
    if symbol in _UP and "axis" in str(token.label):
        return True
    if symbol == "..":
        return True
    if symbol in ("/", "//") and len(token) == 2 and "operator" in str(token.label):
        return _about_parent(token[0])  # what follows starts from the parent or above
    return False


# -- lines and columns -----------------------------------------------------------------------


def _where(root: etree._Element, node: Any) -> tuple[str, Any]:
    """The markup Saxon's position of ``node`` is just after: an element's start tag, or for
    a text node the next start tag, comment, processing instruction or end tag."""
    if isinstance(node, Element):
        return ("start", node)
    following = node.owner.getnext() if node.tail else (node.owner[0] if len(node.owner) else None)
    if following is None:
        return ("end", node.owner.getparent() if node.tail else node.owner)
    return ("start", following)


def _positions(root: etree._Element, text: str, nodes: list[Any]) -> list[tuple[int, int]]:
    """The line and column Saxon gives each of ``nodes``: just after the markup
    :func:`_where` names, columns in UTF-16 units."""
    targets = [_where(root, node) for node in nodes]
    wanted_nodes = {target for _, target in targets}
    ordinals: dict[Any, int] = {}  # among start tags (elements) or comments and PIs
    elements = others = 0
    for node in root.iter():
        if isinstance(node, COMMENT | PI):
            if node in wanted_nodes:
                ordinals[node] = others
            others += 1
        elif isinstance(node.tag, str):
            if node in wanted_nodes:
                ordinals[node] = elements
            elements += 1
    wanted = {
        (kind, "other" if isinstance(target, COMMENT | PI) else "element", ordinals[target])
        for kind, target in targets
    }
    found = _scan(text.replace("\r\n", "\n").replace("\r", "\n"), wanted)
    return [
        found[(kind, "other" if isinstance(t, COMMENT | PI) else "element", ordinals[t])]
        for kind, t in targets
    ]


def _scan(
    text: str, wanted: set[tuple[str, str, int]]
) -> dict[tuple[str, str, int], tuple[int, int]]:
    found: dict[tuple[str, str, int], tuple[int, int]] = {}
    places = Places(text)
    elements = others = 0
    open_elements: list[int] = []
    started = False
    for match in MARKUP.finditer(text):
        markup = match.group(0)
        keys: list[tuple[str, str, int]] = []
        if match.group(1) is not None:
            started = True
            keys.append(("start", "element", elements))
            if markup.endswith("/>"):
                keys.append(("end", "element", elements))
            else:
                open_elements.append(elements)
            elements += 1
        elif markup.startswith("</"):
            if open_elements:
                keys.append(("end", "element", open_elements.pop()))
        elif markup.startswith(("<!--", "<?")) and started:
            keys.append(("start", "other", others))
            others += 1
        keys = [k for k in keys if k in wanted]
        if not keys:
            continue
        place = places.after(match.end())
        for key in keys:
            found[key] = place
        if len(found) == len(wanted):
            break
    return found

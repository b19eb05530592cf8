"""TEI's own Schematron constraints (``schemas/tei_all.sch``): most checked here, in one walk
of the lxml tree; the rest by Saxon, and only for a document that could match them.

Saxon costs every document a second parse, from its text, and a pass of 95 template rules:
more than the grammar itself. Yet most of TEI's constraints are simple tests on an element,
its attributes, parent, children and ancestors (``@when`` with ``@from``, a ``p`` inside a
``p``, an empty ``msIdentifier``): the patterns in :data:`TESTS` are checked by small
functions, each equal to its pattern's XPath test (``tests/test_validate_tei_rules.py`` runs
both engines on documents made to fire every one of them, and on real projects). Their
messages, severities and rule ids come from ``tei_all.sch`` itself, and each finding has the
line and column Saxon gives (:func:`positions`).

The other patterns (the specification elements of ODD files, ``path/@points``, ``rt``'s
attributes, ``@spanTo``'s target) stay XPath 3 run by Saxon (:mod:`~.schematron`), compiled
without the patterns checked here; a document is handed to Saxon only if it holds what their
contexts require (:func:`_required`): an ``elementSpec``, a ``@validUntil``, an ``rt``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from teitools.namespaces import TEI_NS
from teitools.validate import sch_xslt
from teitools.validate.findings import Finding

TEI = f"{{{TEI_NS}}}"
SCH = sch_xslt.SCH
LAYER, LABEL = "tei-schematron", "tei_all.sch"  # the layer and label of its findings
_SPACE = re.compile("[ \t\r\n]+")  # XPath's whitespace (normalize-space, tokenize)

Test = Callable[[etree._Element], bool]  # whether a check fires: an assert fails, a report holds


def _local(element: etree._Element) -> str:
    local: str = etree.QName(element).localname
    return local


def _name(element: etree._Element | None) -> str:
    """XPath's ``name()``: the name with the prefix the document uses."""
    if element is None:
        return ""
    local = _local(element)
    return f"{element.prefix}:{local}" if element.prefix else local


@cache
def _tags(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(TEI + n for n in names)


def _tei(element: etree._Element | None, *names: str) -> bool:
    return element is not None and element.tag in _tags(names)


def _normal(text: str | None) -> str:
    """XPath's ``normalize-space``."""
    return _SPACE.sub(" ", text or "").strip(" ")


_STRING_VALUE = etree.XPath("string()")


def _string(element: etree._Element) -> str:
    """The element's string value (its descendant text)."""
    value: str = _STRING_VALUE(element)
    return value


# what the tests of one document work out once (cleared for each document, so that a
# thousand lines in a line, siblings, or the ancestors of every `p` cost linear time)
_MEMO: dict[tuple[str, etree._Element, str], object] = {}


# the ancestors the tests ask about (:func:`_ancestor`)
_ABOVE = frozenset(_tags(("ab", "egXML", "facsimile", "floatingText", "l", "msDesc", "p", "post")))


def _ancestor(element: etree._Element, *names: str) -> bool:
    """Whether one of the element's ancestors is a TEI element of one of ``names`` (all of
    :data:`_ABOVE`)."""
    known = _ABOVES.get(element.getparent())  # known for its siblings, mostly
    if known is None:
        known = _above(element)
    return not known.isdisjoint(_above_tags(names))


@cache
def _above_tags(names: tuple[str, ...]) -> frozenset[str]:
    tags = frozenset(_tags(names))
    if not tags <= _ABOVE:
        raise ValueError(f"ancestors {names} not watched: add them to _ABOVE")
    return tags


# each element's tags of _ABOVE at or above it, for the current document
_ABOVES: dict[etree._Element | None, frozenset[str]] = {}


def _above(element: etree._Element) -> frozenset[str]:
    """The tags of :data:`_ABOVE` among the element's ancestors, each element's worked out
    once per document, so that asking for every ``p`` costs linear time."""
    chain = []
    node = element.getparent()
    known: frozenset[str] | None = None
    while node is not None:
        known = _ABOVES.get(node)
        if known is not None:
            break
        chain.append(node)
        node = node.getparent()
    known = known or frozenset()
    for node in reversed(chain):  # from the top down: each with its own tag if watched
        if node.tag in _ABOVE:
            known = known | {node.tag}
        _ABOVES[node] = known
    return known


def _child(element: etree._Element, *names: str) -> bool:
    return next(element.iterchildren(*_tags(names)), None) is not None


def _count(element: etree._Element, name: str) -> int:
    return sum(1 for _ in element.iterchildren(TEI + name))


def _has(element: etree._Element, *attributes: str) -> bool:
    return any(element.get(a) is not None for a in attributes)


_P_OK_PARENTS = ("exemplum", "item", "note", "q", "quote", "remarks", "said", "sp", "stage")


def _p_in_p(p: etree._Element) -> bool:
    return (
        _ancestor(p, "ab", "p")
        and not _ancestor(p, "floatingText")
        and not _tei(p.getparent(), *_P_OK_PARENTS, "cell", "figure")
    )


def _in_l(element: etree._Element) -> bool:
    return _ancestor(element, "l")


def _structure_in_l(element: etree._Element) -> bool:
    """``tei:l//X`` asserting ``ancestor::tei:floatingText | parent::tei:figure |
    parent::tei:note``."""
    return (
        _in_l(element)
        and not _ancestor(element, "floatingText")
        and not _tei(element.getparent(), "figure", "note")
    )


def _in_notes(line: etree._Element, tag: str) -> set[str]:
    """The string values of the ``tag`` elements in the notes inside ``line``."""
    key = ("notes", line, tag)
    if key not in _MEMO:
        _MEMO[key] = {
            _string(twin)
            for note in line.iter(TEI + "note")
            for twin in note.iter(tag)
            if twin is not note
        }
    found: set[str] = _MEMO[key]  # type: ignore[assignment]
    return found


def _nested_in_l(element: etree._Element) -> bool:
    """``ancestor::tei:l[not(.//tei:note//tei:X[. = current()])]`` (X the element's name)."""
    if not _ancestor(element, "l"):
        return False
    value = None
    for line in element.iterancestors(TEI + "l"):
        if value is None:
            value = _string(element)
        if value not in _in_notes(line, element.tag):
            return True
    return False


def _children_named(parent: etree._Element) -> dict[str, list[etree._Element]]:
    """The child elements of ``parent`` by name (as ``name()`` gives it), in order."""
    key = ("children", parent, "")
    if key not in _MEMO:
        named: dict[str, list[etree._Element]] = {}
        for child in parent.iterchildren(etree.Element):
            named.setdefault(_name(child), []).append(child)
        _MEMO[key] = named
    found: dict[str, list[etree._Element]] = _MEMO[key]  # type: ignore[assignment]
    return found


def _singleton(element: etree._Element) -> bool:
    """``preceding-sibling::*[name(.) eq $gi] and not(following-sibling::*[name(.) eq $gi])``:
    the last of two or more siblings of one name."""
    parent = element.getparent()
    if parent is None:
        return False
    same = _children_named(parent)[_name(element)]
    return len(same) > 1 and same[-1] is element


def _ms_identifier(element: etree._Element) -> bool:
    if _tei(element.getparent(), "msPart"):
        return False
    first = next((c for c in element if isinstance(c.tag, str)), None)
    # ``self::idno`` without a prefix names idno in no namespace, as the rule is written
    return (first is not None and first.tag in ("idno", "altIdentifier")) or not _normal(
        _string(element)
    )


def _text_inside(element: etree._Element) -> bool:
    """``child::text()[normalize-space(.) ne '']``"""
    return bool(_normal(element.text)) or any(bool(_normal(c.tail)) for c in element)


def _source_count(element: etree._Element) -> int:
    return len(_normal(element.get("source")).split(" ")) if _normal(element.get("source")) else 0


_SCHEMA_REFS = ("classRef", "dataRef", "elementRef", "macroRef", "moduleRef", "schemaSpec")


def _target_and_cref(element: etree._Element) -> bool:
    return _has(element, "target") and _has(element, "cRef")


def _two_targets(element: etree._Element) -> bool:
    return " " not in _normal(element.get("target"))


# pattern id (in tei_all.sch) -> its context (a TEI element's local name, or "@name": any TEI
# element with that attribute) and one test for each of its checks, in order. Where the
# context has a predicate, the tests hold it.
TESTS: dict[str, tuple[str, tuple[Test, ...]]] = {
    "tei_all-att.cmc-generatedBy-CMC_generatedBy_within_post-constraint-rule-1": (
        "@generatedBy",
        (lambda e: e.tag != TEI + "post" and not _ancestor(e, "post"),),
    ),
    "tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-2": (
        "@when",
        (lambda e: _has(e, "notBefore", "notAfter", "from", "to"),),
    ),
    "tei_all-att.datable.w3c-att-datable-w3c-from-constraint-rule-3": (
        "@from",
        (lambda e: _has(e, "notBefore"),),
    ),
    "tei_all-att.datable.w3c-att-datable-w3c-to-constraint-rule-4": (
        "@to",
        (lambda e: _has(e, "notAfter"),),
    ),
    "tei_all-att.global.source-source-only_1_ODD_source-constraint-rule-5": (
        "@source",
        (lambda e: _tei(e, *_SCHEMA_REFS) and _source_count(e) > 1,),
    ),
    "tei_all-att.pointing-targetLang-targetLang-constraint-rule-6": (
        "@targetLang",
        (lambda e: e.tag != TEI + "schemaSpec" and not _has(e, "target"),),
    ),
    "tei_all-att.styleDef-schemeVersion-schemeVersionRequiresScheme-constraint-rule-8": (
        "@schemeVersion",
        (lambda e: e.get("scheme") in (None, "free"),),
    ),
    "tei_all-att.typed-subtypeTyped-constraint-rule-9": (
        "@subtype",
        (lambda e: not _has(e, "type"),),
    ),
    "tei_all-att.calendarSystem-calendar-calendar_attr_on_empty_element-constraint-rule-10": (
        "@calendar",
        (lambda e: not _normal(_string(e)),),
    ),
    "tei_all-p-abstractModel-structure-p-in-ab-or-p-constraint-rule-11": ("p", (_p_in_p,)),
    "tei_all-p-abstractModel-structure-p-in-l-constraint-rule-12": ("p", (_structure_in_l,)),
    "tei_all-desc-deprecationInfo-only-in-deprecated-constraint-rule-13": (
        "desc",
        (
            lambda e: e.get("type") == "deprecationInfo"
            and (e.getparent() is None or e.getparent().get("validUntil") is None),
        ),
    ),
    "tei_all-ptr-ptrAtts-constraint-rule-17": ("ptr", (_target_and_cref,)),
    "tei_all-ref-refAtts-constraint-rule-18": ("ref", (_target_and_cref,)),
    "tei_all-list-gloss-list-must-have-labels-constraint-rule-19": (
        "list",
        (lambda e: e.get("type") == "gloss" and not _child(e, "label"),),
    ),
    "tei_all-relatedItem-targetorcontent1-constraint-rule-20": (
        "relatedItem",
        (
            lambda e: _has(e, "target") and any(isinstance(c.tag, str) for c in e),
            lambda e: not _has(e, "target") and not any(isinstance(c.tag, str) for c in e),
        ),
    ),
    "tei_all-l-abstractModel-structure-l-in-l-constraint-rule-21": ("l", (_nested_in_l,)),
    "tei_all-lg-atleast1oflggapl-constraint-rule-22": (
        "lg",
        (lambda e: next(e.iterdescendants(TEI + "lg", TEI + "l", TEI + "gap"), None) is None,),
    ),
    "tei_all-lg-abstractModel-structure-lg-in-l-constraint-rule-23": ("lg", (_nested_in_l,)),
    "tei_all-quotation-quotationContents-constraint-rule-24": (
        "quotation",
        (lambda e: not _has(e, "marks") and not _child(e, "p"),),
    ),
    "tei_all-citeStructure-match-citestructure-outer-match-constraint-rule-25": (
        "citeStructure",
        (
            lambda e: not _tei(e.getparent(), "citeStructure")
            and not (e.get("match") or "").startswith("/"),
        ),
    ),
    "tei_all-citeStructure-match-citestructure-inner-match-constraint-rule-26": (
        "citeStructure",
        (
            lambda e: _tei(e.getparent(), "citeStructure")
            and (e.get("match") or "").startswith("/"),
        ),
    ),
    "tei_all-div-abstractModel-structure-div-in-l-constraint-rule-27": (
        "div",
        (lambda e: _in_l(e) and not _ancestor(e, "floatingText"),),
    ),
    "tei_all-div-abstractModel-structure-div-in-ab-or-p-constraint-rule-28": (
        "div",
        (lambda e: _ancestor(e, "p", "ab") and not _ancestor(e, "floatingText"),),
    ),
    "tei_all-shift-shiftNew-constraint-rule-29": ("shift", (lambda e: not _has(e, "new"),)),
    "tei_all-s-noNestedS-constraint-rule-30": ("s", (lambda e: _child(e, "s"),)),
    "tei_all-span-target-from-constraint-rule-31": (
        "span",
        (lambda e: _has(e, "from") and _has(e, "target"),),
    ),
    "tei_all-span-targetto-constraint-rule-32": (
        "span",
        (lambda e: _has(e, "to") and _has(e, "target"),),
    ),
    "tei_all-span-tonotfrom-constraint-rule-33": (
        "span",
        (lambda e: _has(e, "to") and not _has(e, "from"),),
    ),
    "tei_all-span-tofrom-constraint-rule-34": (
        "span",
        (lambda e: " " in _normal(e.get("to")) or " " in _normal(e.get("from")),),
    ),
    "tei_all-msDesc-one_ms_singleton_max-constraint-rule-35": (
        "msContents physDesc history additional",
        (_singleton,),
    ),
    "tei_all-catchwords-catchword_in_msDesc-constraint-rule-36": (
        "catchwords",
        (lambda e: not _ancestor(e, "msDesc", "egXML"),),
    ),
    "tei_all-dimensions-duplicateDim-constraint-rule-37": (
        "dimensions",
        (
            lambda e: _count(e, "width") > 1,
            lambda e: _count(e, "height") > 1,
            lambda e: _count(e, "depth") > 1,
        ),
    ),
    "tei_all-secFol-secFol_in_msDesc-constraint-rule-38": (
        "secFol",
        (lambda e: not _ancestor(e, "msDesc", "egXML"),),
    ),
    "tei_all-signatures-signatures_in_msDesc-constraint-rule-39": (
        "signatures",
        (lambda e: not _ancestor(e, "msDesc", "egXML"),),
    ),
    "tei_all-msIdentifier-msId_minimal-constraint-rule-40": ("msIdentifier", (_ms_identifier,)),
    "tei_all-facsimile-no_facsimile_text_nodes-constraint-rule-41": (
        "line zone",
        (lambda e: _ancestor(e, "facsimile") and _text_inside(e),),
    ),
    **{
        f"tei_all-{name}-{name}-requires-spanTo{suffix}-constraint-rule-{number}": (
            name,
            (lambda e: not _has(e, "spanTo"),),
        )
        for name, first in (("addSpan", 43), ("damageSpan", 45), ("delSpan", 47))
        for suffix, number in (("", first), ("-fr", first + 1))
    },
    "tei_all-subst-substContents1-constraint-rule-49": (
        "subst",
        (lambda e: not (_child(e, "add") and _child(e, "del", "surplus")),),
    ),
    "tei_all-rdgGrp-only1lem-constraint-rule-50": ("rdgGrp", (lambda e: _count(e, "lem") >= 2,)),
    "tei_all-variantEncoding-location-variantEncodingLocation-constraint-rule-51": (
        "variantEncoding",
        (
            lambda e: e.get("location") == "external"
            and e.get("method") == "parallel-segmentation",
        ),
    ),
    "tei_all-relation-ref-or-key-or-name-constraint-rule-52": (
        "relation",
        (lambda e: not _has(e, "ref", "key", "name"),),
    ),
    "tei_all-relation-active-mutual-constraint-rule-53": (
        "relation",
        (lambda e: _has(e, "active") and _has(e, "mutual"),),
    ),
    "tei_all-relation-active-passive-constraint-rule-54": (
        "relation",
        (lambda e: _has(e, "passive") and not _has(e, "active"),),
    ),
    "tei_all-link-linkTargets3-constraint-rule-55": ("link", (_two_targets,)),
    "tei_all-ab-abstractModel-structure-ab-in-l-constraint-rule-56": ("ab", (_structure_in_l,)),
    "tei_all-join-joinTargets3-constraint-rule-57": ("join", (_two_targets,)),
}

# the patterns whose tests fire only inside one of these TEI elements (each test asks for such
# an ancestor first): their elements are looked for only there
WITHIN: dict[str, tuple[str, ...]] = {
    "tei_all-p-abstractModel-structure-p-in-ab-or-p-constraint-rule-11": ("ab", "p"),
    "tei_all-p-abstractModel-structure-p-in-l-constraint-rule-12": ("l",),
    "tei_all-l-abstractModel-structure-l-in-l-constraint-rule-21": ("l",),
    "tei_all-lg-abstractModel-structure-lg-in-l-constraint-rule-23": ("l",),
    "tei_all-div-abstractModel-structure-div-in-l-constraint-rule-27": ("l",),
    "tei_all-div-abstractModel-structure-div-in-ab-or-p-constraint-rule-28": ("ab", "p"),
    "tei_all-facsimile-no_facsimile_text_nodes-constraint-rule-41": ("facsimile",),
    "tei_all-ab-abstractModel-structure-ab-in-l-constraint-rule-56": ("l",),
}

# what the messages of these patterns select (sch:value-of), as functions of the element
VALUES: dict[str, Callable[[etree._Element], str]] = {
    "name(.)": _name,
    "name(..)": lambda e: _name(e.getparent()),
    "count($srcs)": lambda e: str(_source_count(e)),
}


@dataclass(frozen=True)
class Check:
    """One assert or report of a pattern checked here."""

    check: sch_xslt.Check
    fires: Test
    message: etree._Element  # the sch:assert or sch:report, for its text
    within: tuple[str, ...] = ()  # the tags of which the element needs an ancestor to fire


@dataclass(frozen=True)
class Required:
    """What a document must hold for a context to match: every one of ``elements``, and one
    of ``some_elements`` or ``some_attributes`` if either names any."""

    elements: frozenset[str]
    some_elements: frozenset[str]
    some_attributes: frozenset[str]

    def met(self, elements: set[str], attributes: set[str]) -> bool:
        if not self.elements <= elements:
            return False
        if not self.some_elements and not self.some_attributes:
            return True
        return bool(self.some_elements & elements or self.some_attributes & attributes)


@dataclass(frozen=True)
class TeiRules:
    """TEI's rules split: those checked here by the name or attribute of their context
    element, the rest compiled for Saxon, and what a document needs for the rest to match."""

    by_tag: dict[str, list[Check]]  # TEI elements by tag (Clark notation)
    by_attribute: dict[str, list[Check]]  # TEI elements by the name of an attribute
    rest: sch_xslt.Compiled
    required: list[Required]  # what a document needs for one of the rest's contexts to match

    watched: frozenset[str] = frozenset()  # the tags :attr:`required` names
    watched_attributes: frozenset[str] = frozenset()  # the attributes it names
    tags: frozenset[str] = frozenset()  # those looked for everywhere: by_tag's and the watched
    attributes: frozenset[str] = frozenset()  # those of by_attribute and the watched ones
    within: tuple[tuple[str, ...], ...] = ()  # the groups of ancestor tags checks need

    def __post_init__(self) -> None:
        names = {TEI + n for r in self.required for n in r.elements | r.some_elements}
        watched_attributes = {a for r in self.required for a in r.some_attributes}
        nested = {t for t, checks in self.by_tag.items() if all(c.within for c in checks)}
        groups = dict.fromkeys(c.within for _, cs in sorted(self.by_tag.items()) for c in cs)
        object.__setattr__(self, "watched", frozenset(names))
        object.__setattr__(self, "watched_attributes", frozenset(watched_attributes))
        object.__setattr__(self, "tags", (self.by_tag.keys() - nested) | names)
        object.__setattr__(self, "attributes", self.by_attribute.keys() | watched_attributes)
        object.__setattr__(self, "within", tuple(group for group in groups if group))

    def rest_applies(self, elements: set[str], attributes: set[str]) -> bool:
        """Whether Saxon's part could match a document holding the watched ``elements``
        (tags) and ``attributes``."""
        local = {tag[len(TEI) :] for tag in elements}
        return any(required.met(local, attributes) for required in self.required)


def _message(check: etree._Element, element: etree._Element) -> str:
    """The check's message for ``element``, as :func:`sch_xslt._message` builds it."""
    parts = [check.text or ""]
    for child in check:
        if child.tag == f"{SCH}name":
            if child.get("path"):
                raise ValueError("sch:name with a path")
            parts.append(_local(element))
        elif child.tag == f"{SCH}value-of":
            parts.append(VALUES[child.get("select", "")](element))
        elif isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


_STEP_NAME = re.compile(r"^(?:tei:([\w.-]+)|@([\w.-]+))$")
_NAMES = re.compile(r"tei:([\w.-]+)|@([\w.-]+)")
_UNION = re.compile(r"^\(\s*tei:[\w.-]+(?:\s*\|\s*tei:[\w.-]+)*\s*\)$")
_NAMES_IN_UNION = re.compile(r"tei:([\w.-]+)")


def _top_level(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside parentheses and brackets."""
    parts, depth, start = [], 0, 0
    for index, character in enumerate(text):
        depth += (character in "([") - (character in ")]")
        if character == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    return [*parts, text[start:]]


def _required(context: str) -> list[Required]:
    """What a document must hold for ``context`` (one of ``tei_all.sch``'s) to match, one entry
    per branch of its union: the TEI elements its steps name (all of them); where no step
    names one, one of a step's union (``(tei:a|tei:b)[...]``), else one of the attributes its
    predicates name (``tei:*[@a]``), else one of the elements they name (``/*[count(//tei:x)
    gt 1]``). An entry naming nothing matches any document."""
    branches = []
    for branch in _top_level(_outside_strings(context), "|"):
        steps = [s.strip() for s in _top_level(sch_xslt._outside_predicates(branch), "/")]
        named = [_STEP_NAME.match(s) for s in steps if s]
        elements = frozenset(m.group(1) for m in named if m and m.group(1))
        unions = [s for s in steps if _UNION.match(s)]
        some: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        if not elements and unions:
            some = (frozenset(_NAMES_IN_UNION.findall(unions[0])), frozenset())
        elif not elements:
            found = _NAMES.findall(branch)
            attributes = frozenset(a for _, a in found if a)
            some = (frozenset() if attributes else frozenset(e for e, _ in found)), attributes
        branches.append(Required(elements, *some))
    return branches


def _outside_strings(text: str) -> str:
    return sch_xslt._STRING.sub("''", " ".join(text.split()))


@cache
def rules(schema: Path) -> TeiRules:
    """``schema`` (TEI's ``tei_all.sch``) split into the patterns of :data:`TESTS` and the
    rest, compiled for Saxon."""
    root = sch_xslt.parse_schema(schema)
    by_tag: dict[str, list[Check]] = {}
    by_attribute: dict[str, list[Check]] = {}
    required: list[Required] = []
    for number, pattern in enumerate(list(root.iter(f"{SCH}pattern"))):
        identifier = pattern.get("id") or f"pattern-{number + 1}"
        pattern.set("id", identifier)  # its name in the rest as in the whole schema
        if identifier not in TESTS:
            for rule in pattern.iter(f"{SCH}rule"):
                required.extend(_required(rule.get("context", "")))
            continue
        context, tests = TESTS[identifier]
        (rule,) = pattern.findall(f"{SCH}rule")
        checks = [c for c in rule if c.tag in sch_xslt.CHECKS]
        if len(checks) != len(tests):
            raise ValueError(f"{identifier}: {len(checks)} checks, {len(tests)} tests")
        for check, test in zip(checks, tests, strict=True):
            role = (check.get("role") or "").lower()
            severity = "warning" if role in sch_xslt.WARNING_ROLES else "error"
            kind = etree.QName(check).localname
            within = _tags(WITHIN.get(identifier, ()))
            found = Check(sch_xslt.Check(identifier, kind, severity), test, check, within)
            for name in context.split():
                if name.startswith("@"):
                    by_attribute.setdefault(name[1:], []).append(found)
                else:
                    by_tag.setdefault(TEI + name, []).append(found)
        pattern.getparent().remove(pattern)
    return TeiRules(by_tag, by_attribute, sch_xslt.compile_schema(root, schema), required)


def check(
    tree: etree._ElementTree, path: Path, text: Callable[[], str], schema: Path
) -> tuple[list[Finding], bool]:
    """The findings of the patterns checked here, and whether the rest (Saxon's) could match
    anything in the document. ``text`` gives the text Saxon would read (for positions)."""
    split = rules(schema)
    _MEMO.clear()
    _ABOVES.clear()
    by_tag, by_attribute = split.by_tag, split.by_attribute
    tags, attribute_names = split.tags, split.attributes
    watched, watched_attributes = split.watched, split.watched_attributes
    # the element, 0 (by tag) or 1 (by attribute), the check's place among them, the check
    fired: list[tuple[etree._Element, int, int, Check]] = []
    elements: set[str] = set()  # the watched ones in the document
    attributes: set[str] = set()
    root = tree.getroot()
    inside = _inside(root, split.within)
    for element in root.iter(*tags):  # lxml picks these out
        tag = element.tag
        if tag in watched:
            elements.add(tag)
        for place, found in enumerate(by_tag.get(tag, ())):
            if found.within and element not in inside[found.within]:
                continue
            if found.fires(element):
                fired.append((element, 0, place, found))
    for element in set().union(*inside.values()):  # those of tags looked for only there
        if element.tag in tags or element.tag not in by_tag:
            continue
        for place, found in enumerate(by_tag[element.tag]):
            if element in inside[found.within] and found.fires(element):
                fired.append((element, 0, place, found))
    unnamed = attribute_names.isdisjoint
    for element in root.iter(etree.Element):
        keys = element.keys()
        if keys and not unnamed(keys) and element.tag.startswith(TEI):
            for key in keys:
                if key in watched_attributes:
                    attributes.add(key)
                for found in by_attribute.get(key, ()):
                    if found.fires(element):
                        fired.append((element, 1, len(fired), found))
    _MEMO.clear()
    _ABOVES.clear()
    rest = split.rest_applies(elements, attributes)
    if not fired:
        return [], rest
    ordinals = _ordinals(root, {element for element, _, _, _ in fired})
    fired.sort(key=lambda f: (ordinals[f[0]], f[1], f[2]))  # in document order, as Saxon's
    where = positions(text(), set(ordinals.values()))
    findings = []
    for element, _, _, found in fired:
        line, column = where[ordinals[element]]
        message = _message(found.message, element)
        findings.append(found.check.finding(path, line, column, message, LAYER, LABEL))
    return findings, rest


def _inside(
    root: etree._Element, within: tuple[tuple[str, ...], ...]
) -> dict[tuple[str, ...], set[etree._Element]]:
    """For each group of ancestor tags, the nodes inside one of them, found under each
    outermost such ancestor (one inside another was walked with it: linear)."""
    found: dict[tuple[str, ...], set[etree._Element]] = {}
    for ancestors in within:
        inside: set[etree._Element] = set()
        for top in root.iter(*ancestors):
            if len(top) and top not in inside:
                inside.update(top.iterdescendants())  # no tags given: lxml starts faster
        found[ancestors] = inside
    return found


def _ordinals(root: etree._Element, wanted: set[etree._Element]) -> dict[etree._Element, int]:
    """Where each of ``wanted`` comes among the document's elements (from 0)."""
    found = {}
    for ordinal, element in enumerate(root.iter(etree.Element)):
        if element in wanted:
            found[element] = ordinal
            if len(found) == len(wanted):
                break
    return found


# the tags of a document, in order (no DOCTYPE: the text Saxon reads has none)
MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</[^>]*>|<((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)


class Places:
    """Lines and columns in ``text`` as Saxon gives them (columns in UTF-16 units), asked for
    offsets in increasing order: lines and columns are counted on from the last one asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line, self.column, self.counted = 1, 0, 0  # column: UTF-16 units before counted

    def after(self, end: int) -> tuple[int, int]:
        """The line and column just after ``text[:end]``."""
        text, counted = self.text, self.counted
        newlines = text.count("\n", counted, end)
        if newlines:
            self.line += newlines
            counted = text.rfind("\n", counted, end) + 1
            self.column = 0
        self.column += len(text[counted:end].encode("utf-16-le")) // 2
        self.counted = end
        return (self.line, self.column + 1)


def positions(text: str, wanted: set[int]) -> dict[int, tuple[int, int]]:
    """Where Saxon places the ``wanted`` elements of ``text`` (their places among its elements,
    from 0): the line and column just after the ``>`` of each start tag, columns in UTF-16
    units. Lines and columns are counted on from one wanted element to the next."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found: dict[int, tuple[int, int]] = {}
    places = Places(text)
    ordinal = -1
    for match in MARKUP.finditer(text):
        if match.group(1) is None:
            continue
        ordinal += 1
        if ordinal not in wanted:
            continue
        found[ordinal] = places.after(match.end())
        if len(found) == len(wanted):
            break
    return found

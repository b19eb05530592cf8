"""Schematron, every kind, through Saxon-HE or in Python: TEI's own rules
(``schemas/tei_all.sch``, those :mod:`~teitools.validate.tei_rules` does not check itself),
the teitools letter profile (``schemas/teitools-letter.sch``), and any schema a document
names in ``<?xml-model?>`` (a ``.sch``, or the rules embedded in an ODD-generated ``.rng``).

:mod:`~teitools.validate.sch_xslt` compiles a schema into one XSLT 3.0 stylesheet, derived
afresh in each process (never read from a cache: it is code), and Saxon compiles that once
per process. A document is parsed by Saxon once and checked against every schema. With
``python`` (``--schematron-engine python``), a schema every rule of which
:mod:`~.sch_python` compiles (XPath 2 on the lxml tree) is checked in Python instead, with
the same findings, and needs no Saxon. Each finding carries the line and column Saxon
recorded for the node, and the rule id: the bracketed prefix of the message
(``[profile.pointer] ...``), else the pattern's id.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from teitools.errors import TeitoolsError
from teitools.resources import SCHEMAS
from teitools.validate import saxon, sch_xslt, tei_rules
from teitools.validate.findings import Finding
from teitools.validate.project import inside

if TYPE_CHECKING:  # imported only with python=True: it loads elementpath
    from teitools.validate.sch_python import PythonRules

TEI_SCH = SCHEMAS / "tei_all.sch"
PROFILE = SCHEMAS / "teitools-letter.sch"
MAX_INCLUDES = 64


class Rules:
    """One Schematron schema, compiled by Saxon: check documents with :meth:`check`."""

    def __init__(self, compiled: sch_xslt.Compiled, label: str, layer: str) -> None:
        from saxonche import PySaxonApiError

        self.checks, self.skipped = compiled.checks, compiled.skipped
        self.label, self.layer = label, layer
        try:
            self.executable = saxon.compile_xslt(compiled.xslt)
        except PySaxonApiError as error:
            first = " ".join(str(error).split())[:300]
            raise TeitoolsError(f"its rules do not compile: {first}") from error

    def check(self, document: Any, path: Path) -> list[Finding]:
        """Findings for one document, already parsed by Saxon (:func:`saxon.parse`)."""
        from saxonche import PySaxonApiError

        try:
            self.executable.set_global_context_item(xdm_item=document)
            result = self.executable.apply_templates_returning_value(xdm_value=document)
        except PySaxonApiError as error:
            message = f"Schematron {self.label} failed: {' '.join(str(error).split())[:300]}"
            return [Finding(str(path), 1, 1, "error", self.layer, self.label, message)]
        found = []
        for index in range(0, 0 if result is None else result.size, 3):
            node = result.item_at(index).get_node_value()
            check = self.checks[int(result.item_at(index + 1).string_value)]
            message = result.item_at(index + 2).string_value
            found.append(
                check.finding(
                    path, node.line_number, node.column_number, message, self.layer, self.label
                )
            )
        return found


def _with_includes(root: etree._Element, schema: Path, project: Path | None) -> None:
    """``sch:include`` replaced by the element it names, read from inside the project."""
    for count, include in enumerate(list(root.iter(f"{sch_xslt.SCH}include"))):
        href = include.get("href", "")
        target = (schema.parent / href.split("#")[0]).resolve()
        if count >= MAX_INCLUDES or re.match(r"^[A-Za-z][\w+.-]*:", href):
            raise TeitoolsError(f"sch:include of {href} is not read")
        if project is not None and not inside(target, project):
            raise TeitoolsError(f"sch:include of {href}: outside the project, not read")
        included = sch_xslt.parse_schema_part(target)
        parent = include.getparent()
        if parent is not None:
            parent.replace(include, included)


def load(schema: Path, project: Path | None = None, *, from_rng: bool = False) -> sch_xslt.Compiled:
    """A Schematron schema (or the rules embedded in an RNG) compiled to XSLT."""
    return sch_xslt.compile_schema(_root(schema, project, from_rng), schema)


def _root(schema: Path, project: Path | None, from_rng: bool) -> etree._Element:
    """A Schematron schema's root element, its includes read (or the rules an RNG holds)."""
    if from_rng:
        from teitools.validate import grammar

        embedded = sch_xslt.embedded(grammar.load(schema, project))
        if embedded is None:
            raise TeitoolsError("the RELAX NG schema holds no Schematron rules")
        root = embedded
    else:
        root = sch_xslt.parse_schema(schema)
        _with_includes(root, schema, project)
    return root


@cache
def rules(
    schema: Path,
    label: str,
    layer: str,
    from_rng: bool = False,
    project: Path | None = None,
    stamp: tuple[int, int] = (0, 0),
    python: bool = False,
) -> Rules | PythonRules | TeitoolsError:
    """The compiled rules of ``schema``, once per process and version of the file
    (``stamp``), or why they cannot be run (also kept, so a broken schema costs once). With
    ``python``, rules :mod:`~.sch_python` compiles are checked in Python, the others by
    Saxon."""
    try:
        root = _root(schema, project, from_rng)
        compiled = sch_xslt.compile_schema(root, schema)
        if python:
            from teitools.validate import sch_python
            from teitools.validate.xpath_compile import Unsupported

            try:
                return sch_python.compile_rules(root, compiled, label, layer)
            except Unsupported:
                pass
        return Rules(compiled, label, layer)
    except TeitoolsError as error:
        return error


@cache
def tei_rest() -> Rules:
    """The part of TEI's own Schematron constraints (``tei_all.sch``) that Saxon runs: the
    patterns :mod:`~teitools.validate.tei_rules` does not check itself."""
    return Rules(tei_rules.rules(TEI_SCH).rest, tei_rules.LABEL, tei_rules.LAYER)


def profile() -> Rules:
    """The teitools letter profile."""
    found = rules(PROFILE, "profile", "profile")
    if isinstance(found, TeitoolsError):
        raise found
    assert isinstance(found, Rules)  # the profile stays with Saxon
    return found

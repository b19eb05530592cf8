"""Which schemas a file asks for: its ``<?xml-model?>`` processing instructions, as in oXygen.

Kinds, by ``schematypens`` (else ``type``, else the file's extension): RELAX NG (``.rng``,
``.rng.gz``; ``.rnc`` compact syntax), W3C XML Schema (``.xsd``), Schematron (``.sch``; or
the Schematron rules embedded in an ODD-generated ``.rng``, named with the Schematron
``schematypens``). A relative ``href`` is read from beside the file, and only from inside
the project (:mod:`~teitools.validate.project`). The TEI Consortium's published ``tei_all``
addresses mean the bundled ``tei_all`` (its grammar, and TEI's own Schematron rules); the
letter profile's address (:data:`teitools.resources.LETTER_PROFILE_URL`) means the bundled
profile. Any other address is never fetched. An association that cannot be followed (an
address, ``href="null"``, a missing file, a file outside the project, an unknown kind) is a
warning naming the file, and a grammar it names is replaced by ``tei_all``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teitools.resources import LETTER_PROFILE_URL
from teitools.validate.project import inside

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
OLD_SCH_NS = "http://www.ascc.net/xml/schematron"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
RNC_TYPE = "application/relax-ng-compact-syntax"
_PSEUDO = re.compile(r'(\w+)\s*=\s*"([^"]*)"|(\w+)\s*=\s*\'([^\']*)\'')
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
GRAMMARS = ("rng", "rnc", "xsd")


@dataclass(frozen=True)
class Schema:
    kind: str  # rng, rnc, xsd, sch, sch-in-rng; tei_all, tei-rules, profile (bundled)
    path: Path | None  # None for the bundled ones
    label: str  # the rule id of its findings: its file name


@dataclass
class Declared:
    """What a file's ``<?xml-model?>`` lines ask for."""

    schemas: list[Schema] = field(default_factory=list)
    # (line, message, whether it named a grammar, which tei_all then replaces)
    warnings: list[tuple[int, str, bool]] = field(default_factory=list)

    @property
    def grammars(self) -> list[Schema]:
        return [s for s in self.schemas if s.kind in (*GRAMMARS, "tei_all")]

    @property
    def profile(self) -> bool:
        return any(s.kind == "profile" for s in self.schemas)


def kind_of(href: str, schematypens: str = "", mime: str = "") -> str | None:
    """The kind of schema an association names, or None if it is none we know."""
    path = href.split("#")[0].split("?")[0].lower()
    grammar_file = path.endswith((".rng", ".rng.gz", ".rnc", ".odd"))
    if schematypens in (SCH_NS, OLD_SCH_NS):
        return "sch-in-rng" if grammar_file else "sch"
    if schematypens == RNG_NS or mime == RNC_TYPE:
        return "rnc" if path.endswith(".rnc") or mime == RNC_TYPE else "rng"
    if schematypens == XSD_NS:
        return "xsd"
    if schematypens:
        return None
    if path.endswith((".rng", ".rng.gz")):
        return "rng"
    for suffix, kind in ((".rnc", "rnc"), (".sch", "sch"), (".xsd", "xsd")):
        if path.endswith(suffix):
            return kind
    return None


def _official(href: str, kind: str) -> Schema | None:
    """The bundled schema a published address stands for, if any."""
    if href.split("?")[0] == LETTER_PROFILE_URL:
        return Schema("profile", None, "profile")
    host = re.match(r"^https?://(?:www\.)?tei-c\.org/", href)
    if host and href.split("?")[0].endswith("/tei_all.rng"):
        if kind == "rng":
            return Schema("tei_all", None, "tei_all")
        if kind == "sch-in-rng":
            return Schema("tei-rules", None, "tei_all.sch")
    return None


def instructions(tree: etree._ElementTree) -> list[tuple[int, dict[str, str]]]:
    """The ``<?xml-model?>`` lines before the root element: (line, pseudo-attributes)."""
    node = tree.getroot().getprevious()
    found = []
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            pseudo = {m[0] or m[2]: m[1] or m[3] for m in _PSEUDO.findall(node.text or "")}
            found.append((node.sourceline or 1, pseudo))
        node = node.getprevious()
    return found[::-1]


def declared(tree: etree._ElementTree, path: Path, project: Path) -> Declared:
    """The schemas ``tree`` (read from ``path``) names, resolved inside ``project``."""
    result = Declared()
    for line, pseudo in instructions(tree):
        href = pseudo.get("href", "").strip()
        kind = kind_of(href, pseudo.get("schematypens", ""), pseudo.get("type", ""))
        grammar = kind in GRAMMARS
        problem = None
        if not href or href.lower() in ("null", "none", "#"):
            problem = f"<?xml-model?> names no schema (href={href!r})"
        elif kind is None:
            if href.lower().endswith(".odd"):
                problem = f"{href} is an ODD, not a schema: name the .rng compiled from it"
            else:
                problem = f"schema of unknown kind not used: {href}"
        elif _URL.match(href):
            official = _official(href, kind)
            if official is not None:
                result.schemas.append(official)
                continue
            problem = f"remote schema not fetched: {href}"
        else:
            location = (path.parent / href.split("#")[0]).resolve()
            if not inside(location, project):
                problem = f"schema outside the project not read: {href}"
            elif not location.is_file():
                problem = f"schema not found: {href}"
            else:
                result.schemas.append(Schema(kind, location, location.name))
                continue
        result.warnings.append((line, problem, grammar))
    return result

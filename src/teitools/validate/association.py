"""Which schemas a file asks for: ``<?xml-model?>`` processing instructions, as in oXygen.

A relative ``href`` is read from beside the file; the TEI Consortium's published ``tei_all``
URLs mean the bundled copy; other remote schemas are never fetched, only reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
_PSEUDO = re.compile(r'(\w+)\s*=\s*"([^"]*)"|(\w+)\s*=\s*\'([^\']*)\'')


@dataclass(frozen=True)
class Association:
    kind: str  # rng, sch, xsd
    location: Path | None  # None: remote, not fetched
    href: str


def kind_of(path_or_href: str, schematypens: str = "") -> str | None:
    if schematypens == RNG_NS or path_or_href.endswith((".rng", ".rng.gz")):
        return "rng"
    if schematypens == SCH_NS or path_or_href.endswith(".sch"):
        return "sch"
    if schematypens == XSD_NS or path_or_href.endswith(".xsd"):
        return "xsd"
    return None


def associations(tree: etree._ElementTree, path: Path, tei_all: Path) -> list[Association]:
    found = []
    node = tree.getroot().getprevious()
    pis = []
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            pis.append(node)
        node = node.getprevious()
    for pi in reversed(pis):
        pseudo = {m[0] or m[2]: m[1] or m[3] for m in _PSEUDO.findall(pi.text or "")}
        href = pseudo.get("href", "")
        kind = kind_of(href, pseudo.get("schematypens", ""))
        if not href or kind is None:
            continue
        if re.match(r"https?://", href):
            official = "tei-c.org" in href and href.endswith("tei_all.rng")
            found.append(Association(kind, tei_all if official else None, href))
        else:
            found.append(Association(kind, (path.parent / href).resolve(), href))
    return found

"""Schematron with XPath 1.0 through lxml (libxslt): our profile, ``schemas/teitools-letter.sch``.

Each failed assertion becomes a finding at the element's line; the rule id is the
bracketed prefix of the message ("[profile.pointer] @who '#nobody' points to ...").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree, isoschematron

from teitools import safexml
from teitools.resources import SCHEMAS
from teitools.validate.findings import Finding

PROFILE = SCHEMAS / "teitools-letter.sch"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
_RULE = re.compile(r"^\s*\[([\w.-]+)\]\s*")


@cache
def compiled(schema: Path = PROFILE) -> isoschematron.Schematron:
    return isoschematron.Schematron(etree.parse(str(schema), safexml.parser()), store_report=True)


def check(tree: etree._ElementTree, path: Path, schema: Path = PROFILE) -> list[Finding]:
    validator = compiled(schema)
    if validator.validate(tree):
        return []
    found = []
    for failed in validator.validation_report.xpath("//svrl:failed-assert", namespaces=SVRL):
        message = " ".join(failed.findtext("svrl:text", default="", namespaces=SVRL).split())
        match = _RULE.match(message)
        rule = match.group(1) if match else "schematron"
        message = message[match.end() :] if match else message
        location = failed.get("location", "")
        nodes = tree.xpath(location) if location else []
        line = nodes[0].sourceline if nodes and hasattr(nodes[0], "sourceline") else 1
        found.append(
            Finding(str(path), line or 1, 1, "error", "schematron", rule, message, location)
        )
    return found

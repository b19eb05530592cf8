"""W3C XML Schema with xmlschema: the trang conversion of tei_all in ``schemas/xsd``.

XSD cannot express all of RELAX NG: see docs/validation.md for what is lost.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from teitools.resources import SCHEMAS
from teitools.validate.findings import Finding

TEI_XSD = SCHEMAS / "xsd" / "tei_all.xsd"


@cache
def compiled(schema: Path = TEI_XSD):  # type: ignore[no-untyped-def]
    """The schema, built once per process. xmlschema translates each ``pattern`` facet to a
    Python regular expression afresh, and a Unicode class such as ``\\p{C}`` costs a second
    each time; tei_all repeats 18 patterns 354 times, so they are translated once here
    (27 s of CPU down to 8)."""
    import xmlschema  # slow to import and to build: only when asked for
    from xmlschema.validators import facets as module

    facets: Any = module
    translate = facets.translate_pattern
    facets.translate_pattern = lru_cache(maxsize=None)(translate)
    try:
        return xmlschema.XMLSchema(str(schema), allow="sandbox")
    finally:
        facets.translate_pattern = translate


def check(
    tree: etree._ElementTree, path: Path, schema: Path = TEI_XSD, label: str = "xsd"
) -> list[Finding]:
    """Findings of ``schema`` for the document as parsed safely (XInclude expanded)."""
    import xmlschema

    try:
        document = xmlschema.XMLResource(tree, base_url=str(path.resolve().parent), allow="none")
        errors = list(compiled(schema).iter_errors(document))
    except (xmlschema.XMLSchemaException, OSError, ValueError) as failure:
        message = f"XSD {label} not used: {str(failure).splitlines()[0]}"
        return [Finding(str(path), 1, 1, "warning", "xsd", label, message)]
    found = []
    for error in errors:
        line = getattr(error, "sourceline", None) or 1
        reason = error.reason or str(error).splitlines()[0]
        found.append(Finding(str(path), line, 1, "error", "xsd", label, reason, error.path or ""))
    return found

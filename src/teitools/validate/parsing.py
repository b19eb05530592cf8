"""Safe parsing: no external entities, no DTD, no network, no entity expansion bombs."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.validate.findings import Finding


def parse(path: Path, data: bytes | None = None) -> tuple[etree._ElementTree | None, list[Finding]]:
    """The parsed document, or the well-formedness errors that stop it.

    ``data`` are the file's bytes, if they have been read already.
    """
    data = path.read_bytes() if data is None else data
    if b"<!ENTITY" in data[:65536]:
        finding = Finding(
            str(path),
            1,
            1,
            "error",
            "wellformed",
            "xml.entities",
            "entity declarations are refused (no DTD processing)",
        )
        return None, [finding]
    try:
        return etree.fromstring(data, safexml.parser()).getroottree(), []
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (1, 0)
        message = str(error.msg or error).split(" (line ")[0]
        finding = Finding(str(path), line, column or 1, "error", "wellformed", "xml", message)
        return None, [finding]

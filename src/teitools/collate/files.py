"""Where the collations of a folder of letters are, and how to tell a collation from a
letter (for the renderer and the site, which show both)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.tei.writer import TEI_NS

NS = {"t": TEI_NS}
COLLATIONS = "collations"  # the default folder of collations, inside the folder of the letters
SUFFIX = ".versions.xml"


def is_collation(root: etree._Element) -> bool:
    """A collation (a ``listWit`` and parallel segmentation), not a letter."""
    header = root.find("t:teiHeader", NS)
    return header is not None and (
        header.find("t:fileDesc/t:sourceDesc/t:listWit", NS) is not None
        and header.find("t:encodingDesc/t:variantEncoding", NS) is not None
    )


def is_collation_file(path: Path) -> bool:
    """Whether ``path`` holds a collation (False if it cannot be read as XML)."""
    try:
        return is_collation(etree.parse(str(path), safexml.parser()).getroot())
    except (OSError, etree.XMLSyntaxError):
        return False


def collation_files(paths: Sequence[Path]) -> list[Path]:
    """The collations ``teitools collate`` wrote for the folders among ``paths`` (in their
    ``collations/`` folder), sorted."""
    found: list[Path] = []
    for path in paths:
        folder = path / COLLATIONS
        if path.is_dir() and folder.is_dir():
            found.extend(p for p in sorted(folder.glob(f"*{SUFFIX}")) if p.is_file())
    return found

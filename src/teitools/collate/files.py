"""Where the collations of a folder of letters are, and how to tell a collation from a
letter (for the renderer and the site, which show both)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.namespaces import NS

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


def is_collation_path(path: Path) -> bool:
    """Whether ``path`` is a collation ``teitools collate`` wrote (``NAME.versions.xml``
    holding a collation; ``collations/`` in a folder of letters, which commands search with
    its subfolders)."""
    return path.name.endswith(SUFFIX) and is_collation_file(path)


def split_collations(files: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """``files`` parted into letters and collations (:func:`is_collation_path`), each in
    the order given."""
    letters: list[Path] = []
    collations: list[Path] = []
    for path in files:
        (collations if is_collation_path(path) else letters).append(path)
    return letters, collations

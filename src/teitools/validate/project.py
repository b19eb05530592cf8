"""The project a TEI file belongs to: the one folder whose files validation may read.

Schemas named in ``<?xml-model?>``, files pulled in by XInclude and ``include``s of a
schema are read only from inside the project; anything outside it (``../../etc/passwd``,
an absolute path elsewhere, a link out of it) is reported and never opened.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

MARKERS = (".git", "teitools.toml", "pyproject.toml")  # what marks a project's top folder


@cache
def _root_of_folder(folder: Path, cwd: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in MARKERS):
            return candidate
    return cwd if cwd == folder or cwd in folder.parents else folder


def root(path: Path, given: Path | None = None) -> Path:
    """The project of ``path``: ``given`` (``--project``) if set; else the nearest folder
    above the file that holds ``.git``, ``teitools.toml`` or ``pyproject.toml``; else the
    working directory, if the file is inside it; else the file's own folder."""
    if given is not None:
        return _resolved(given)
    return _root_of_folder(path.resolve().parent, Path.cwd().resolve())


@cache
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def inside(path: Path, project: Path) -> bool:
    """Whether ``path`` (links resolved) lies within ``project``."""
    resolved = path.resolve()
    return resolved == project or project in resolved.parents

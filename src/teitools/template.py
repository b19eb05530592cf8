"""``teitools init``: a new edition folder, made from the templates in ``data/edition/``.

The folder gets ``teitools.toml`` (every setting, documented), ``letters/`` for the raw
letters, ``registers/`` with a commented example of each register, ``catalogue.csv`` with
its header row, ``.gitignore``, a GitHub Actions workflow (``.github/workflows/tei.yml``)
and a pre-commit configuration. A file that exists already is never overwritten: it is
named in the report, and the others are made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from teitools import __version__
from teitools.catalogue import COLUMNS
from teitools.fsio import write_atomic
from teitools.resources import DATA

# what is made (path in the new edition) from what (path under data/), filled in or not
FILES = (
    ("teitools.toml", "edition/teitools.toml", True),
    ("registers/persons.yaml", "edition/registers/persons.yaml", False),
    ("registers/places.yaml", "edition/registers/places.yaml", False),
    ("registers/organisations.yaml", "edition/registers/organisations.yaml", False),
    (".gitignore", "edition/gitignore", False),
    (".github/workflows/tei.yml", "ci/github-workflow.yml", False),
    (".pre-commit-config.yaml", "edition/pre-commit-config.yaml", True),
)
FOLDERS = ("letters", "registers")
CATALOGUE = "catalogue.csv"


@dataclass
class InitReport:
    folder: Path
    made: list[Path] = field(default_factory=list)
    existing: list[Path] = field(default_factory=list)  # not overwritten


def _contents(folder: Path) -> dict[str, bytes]:
    title = json.dumps(folder.resolve().name, ensure_ascii=False)
    values = {"title": title, "version": __version__}
    contents = {}
    for name, source, filled in FILES:
        text = (DATA / source).read_text(encoding="utf-8")
        contents[name] = (Template(text).substitute(values) if filled else text).encode("utf-8")
    contents[CATALOGUE] = (",".join(COLUMNS) + "\n").encode("utf-8")
    return contents


def init_edition(folder: Path) -> InitReport:
    """Make the edition folder ``folder`` (it may exist); never overwrite a file in it.

    Raises :class:`~teitools.errors.OutputError` if a file cannot be written."""
    report = InitReport(folder)
    for name in FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    for name, data in _contents(folder).items():
        target = folder / name
        if target.exists() or target.is_symlink():
            report.existing.append(target)
            continue
        write_atomic(target, data)
        report.made.append(target)
    return report

"""The edition's settings, read by every command: ``teitools.toml``, or ``[tool.teitools]`` in
``pyproject.toml``, in the working folder or the nearest folder above it.

A ``teitools.toml`` holds the settings at its top level, or in a ``[tool.teitools]`` table
(the shape ``pyproject.toml`` uses, so a table pasted from one works in the other)::

    title = "Letters of Willy Andreas"
    editors = ["A. Editor"]
    publisher = "Our project"
    licence = "https://creativecommons.org/licenses/by/4.0/"
    lang = "de"

    [paths]
    letters = "letters"
    registers = ["registers"]
    catalogue = "catalogue.csv"

Paths are relative to the file they are written in. Without a settings file every path is
relative to the working folder and nothing is configured: no register, no catalogue, no
rules of the edition's own. An unknown key, or a value of the wrong type, is a one-line
error naming the key and the file. ``data/edition/teitools.toml`` (what ``teitools init``
writes) documents every key.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teitools.errors import TeitoolsError
from teitools.safehtml import scheme

FILE_NAME = "teitools.toml"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


class ConfigError(TeitoolsError):
    """The edition's settings cannot be read."""


@dataclass(frozen=True)
class Publication:
    """What every TEI header says about publication: who publishes the encoding, under
    which licence, on what terms, and the language of letters the text does not tell."""

    publisher: str = "teitools"
    licence: str = CC0  # a URL (Creative Commons ones are named) or a name
    availability: str = ""
    lang: str = ""

    def licence_label(self) -> str:
        """ "CC BY 4.0", "CC0 1.0 Universal", or the licence as given."""
        if self.licence == CC0:
            return "CC0 1.0 Universal"
        match = _CC.search(self.licence)
        return f"CC {match.group(1).upper()} {match.group(2)}" if match else self.licence

    def licence_url(self) -> str | None:
        return self.licence if re.match(r"https?://", self.licence) else None


_CC = re.compile(r"creativecommons\.org/licenses/([a-z-]+)/(\d+\.\d+)")


@dataclass(frozen=True)
class Paths:
    """Where the edition's files are; the defaults of every command's inputs and outputs."""

    letters: Path = Path("letters")
    encoded: Path = Path("encoded")
    build: Path = Path("build")
    registers: tuple[Path, ...] = ()  # folders of YAML or CSV, TEI files with list*
    catalogue: Path | None = None
    rules: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Config:
    """What an edition says about itself, and where its files are."""

    # what the edition does not give is not invented: the site is titled by the series its
    # letters name (else "Letters"); CMIF says what it lacks (teitools.cmif.cmif_header)
    title: str = ""
    description: str = ""
    url: str = ""  # the published site's address; empty: relative addresses only
    editors: tuple[str, ...] = ()
    email: str = ""
    publisher: str = ""  # empty: "teitools" in the TEI headers
    date: str = ""  # the CMIF file's publication date; empty: the newest the letters give
    licence: str = CC0  # of the encoding: a URL or a name
    availability: str = ""  # a sentence on access and reuse
    lang: str = ""  # the edition's language: of letters whose language cannot be told
    paths: Paths = field(default_factory=Paths)
    source: str = ""  # the file the settings came from; empty: none

    def publication(self) -> Publication:
        return Publication(
            self.publisher or Publication.publisher, self.licence, self.availability, self.lang
        )

    @property
    def base(self) -> str:
        return self.url if not self.url or self.url.endswith("/") else self.url + "/"

    def cmif_settings(self) -> dict[str, str]:
        """What the CMIF header is made of (:func:`teitools.cmif.cmif_header`); ``url`` is
        the site's address, where its ``cmif.xml`` and ``letters/`` are."""
        names = ("title", "editor", "email", "date", "publisher")
        return {"url": self.base, **{name: getattr(self, name) for name in names}}

    @property
    def editor(self) -> str:
        """The editors as one name: "A. Editor and B. Editor"."""
        names = list(self.editors)
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)


_STRINGS = (
    *("title", "description", "url", "email", "publisher", "date"),
    *("licence", "availability", "lang"),
)
_PATH_KEYS = ("letters", "encoded", "build", "catalogue")
_PATH_LISTS = ("registers", "rules")
KNOWN = (*_STRINGS, "editors", "editor", "paths")


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read: {error}", path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", path) from None


def _table(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """The settings in a file's data: ``[tool.teitools]``, or (in a teitools.toml) the top."""
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None if path.name == "pyproject.toml" else data
    table = tool.get("teitools")
    if path.name == "pyproject.toml":
        return dict(table) if isinstance(table, dict) else None
    if isinstance(table, dict) and set(data) == {"tool"} and set(tool) == {"teitools"}:
        return dict(table)
    return data


def find_config(start: Path) -> Path | None:
    """The nearest ``teitools.toml``, or ``pyproject.toml`` with ``[tool.teitools]``."""
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / FILE_NAME).is_file():
            return folder / FILE_NAME
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _table(_read(pyproject), pyproject) is not None:
            return pyproject
    return None


def _line_of(path: Path, key: str) -> int | None:
    """The line where ``key`` is set, for the message (TOML parsers do not tell)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"^\s*(?:\[\s*)?(?:[\w.]+\.)?{re.escape(key)}\s*[=\].]")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), None)


def _fail(path: Path, key: str, message: str) -> ConfigError:
    return ConfigError(message, path, _line_of(path, key.rsplit(".", 1)[-1]))


def _unknown(path: Path, found: dict[str, Any], known: tuple[str, ...], prefix: str = "") -> None:
    unknown = sorted(set(found) - set(known))
    if unknown:
        name = prefix + unknown[0]
        choices = ", ".join(sorted(known))
        raise _fail(path, name, f"unknown setting {name!r} (known: {choices})")


def _string(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(path, key, f"setting {key!r} must be a string")
    return value


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    """A string or a list of strings."""
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, key, f"setting {key!r} must be a string or a list of strings")
    return tuple(value)


def shown(path: Path) -> Path:
    """``path`` relative to the working folder where it lies below it (for messages)."""
    try:
        return Path(os.path.relpath(path)) if path.is_relative_to(Path.cwd()) else path
    except ValueError:
        return path


def _paths(path: Path, table: Any) -> Paths:
    if not isinstance(table, dict):
        raise _fail(path, "paths", "setting 'paths' must be a table ([paths])")
    _unknown(path, table, (*_PATH_KEYS, *_PATH_LISTS), "paths.")
    root = path.resolve().parent

    def at(value: str) -> Path:
        return shown(root / value)

    values: dict[str, Any] = {}
    for key in _PATH_KEYS:
        if key in table:
            values[key] = at(_string(path, f"paths.{key}", table[key]))
    for key in _PATH_LISTS:
        if key in table:
            values[key] = tuple(at(v) for v in _strings(path, f"paths.{key}", table[key]))
    return Paths(**values)


def parse_config(data: dict[str, Any], path: Path) -> Config:
    """The settings in ``data`` (read from ``path``), checked key by key."""
    _unknown(path, data, KNOWN)
    values: dict[str, Any] = {k: _string(path, k, data[k]) for k in _STRINGS if k in data}
    if "editors" in data and "editor" in data:
        raise _fail(path, "editor", "set 'editors' or 'editor', not both")
    for key in ("editors", "editor"):
        if key in data:
            values["editors"] = _strings(path, key, data[key])
    url = values.get("url", "")
    if url and scheme(url) not in ("http", "https"):  # every page of the site links to it
        raise _fail(path, "url", f"url {url!r} must be an http:// or https:// address")
    values["paths"] = _paths(path, data.get("paths", {}))
    return Config(**values, source=str(path))


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """The settings in ``path``, else in the file :func:`find_config` finds from ``start``
    (default: the working folder), else the defaults."""
    path = path or find_config(start or Path.cwd())
    if path is None:
        return Config()
    table = _table(_read(path), path)
    if table is None:
        raise ConfigError("has no [tool.teitools] table", path)
    return parse_config(table, path)

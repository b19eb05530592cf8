"""The edition's settings for the site: ``teitools.toml``, or ``[tool.teitools]`` in
``pyproject.toml``, found in the working folder or the nearest folder above it.

    title = "US–Soviet Leaders' Correspondence, 1981–1988"
    description = "Letters between ..."
    url = "https://example.org/letters/"   # where the site is published (sitemap, CMIF)
    editor = "A. Editor"                   # CMIF: the contact for the index of letters
    email = "editor@example.org"
    date = "2024-05-01"                    # CMIF: when the index was published
    registers = ["../indices/listperson.xml", "../indices/listplace.xml"]

Settings the edition does not give are not invented: the title defaults to the series title
the letters name (else "Letters"); CMIF needs title, editor, url and date (the date may come
from the letters' own headers), and says which are missing. ``registers`` are register
files (``listPerson``, ``listPlace`` ...) outside the folder of letters, relative to the
settings file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from teitools.errors import TeitoolsError
from teitools.safehtml import scheme


class ConfigError(TeitoolsError):
    """The edition's settings cannot be read."""


@dataclass(frozen=True)
class SiteConfig:
    title: str = ""  # empty: the letters' series title, else "Letters"
    description: str = ""
    url: str = ""  # the published site's address; empty: relative addresses only
    editor: str = ""
    email: str = ""
    publisher: str = ""
    date: str = ""  # CMIF publication date; empty: the newest date the letters' headers give
    lang: str = "en"
    registers: tuple[Path, ...] = ()  # register files, beside the letters' own
    source: str = ""  # the file the settings came from

    def cmif_settings(self) -> dict[str, str]:
        """The settings the CMIF header is made of (:func:`teitools.cmif.cmif_header`)."""
        names = ("title", "editor", "email", "url", "date", "publisher")
        return {name: getattr(self, name) for name in names}

    @property
    def base(self) -> str:
        return self.url if not self.url or self.url.endswith("/") else self.url + "/"


def _settings(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read: {error}", path) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", path) from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("teitools")
        return dict(table) if isinstance(table, dict) else None
    return data


def find_config(start: Path) -> Path | None:
    """The nearest ``teitools.toml``, or ``pyproject.toml`` with ``[tool.teitools]``."""
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / "teitools.toml").is_file():
            return folder / "teitools.toml"
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _settings(pyproject) is not None:
            return pyproject
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> SiteConfig:
    """The settings in ``path``, else in the file :func:`find_config` finds, else defaults."""
    path = path or find_config(start or Path.cwd())
    if path is None:
        return SiteConfig()
    settings = _settings(path) or {}
    known = {f.name for f in fields(SiteConfig)} - {"source"}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise ConfigError(
            f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})", path
        )
    registers = settings.pop("registers", [])
    if not isinstance(registers, list) or not all(isinstance(r, str) for r in registers):
        raise ConfigError("setting 'registers' must be a list of file names", path)
    wrong = sorted(k for k, v in settings.items() if not isinstance(v, str))
    if wrong:
        raise ConfigError(f"setting {wrong[0]!r} must be a string", path)
    url = settings.get("url", "")
    if url and scheme(url) not in ("http", "https"):  # every page links to it
        raise ConfigError(f"url {url!r} must be an http:// or https:// address", path)
    files = tuple(path.parent / name for name in registers)
    return SiteConfig(**settings, registers=files, source=str(path))

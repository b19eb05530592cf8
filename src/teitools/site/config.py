"""The edition's settings for the site: ``teitools.toml``, or ``[tool.teitools]`` in
``pyproject.toml``, found in the working folder or the nearest folder above it.

    title = "US–Soviet Leaders' Correspondence, 1981–1988"
    description = "Letters between ..."
    url = "https://example.org/letters/"   # where the site is published (sitemap, CMIF)
    editor = "A. Editor"
    email = "editor@example.org"
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
    title: str = "Letters"
    description: str = ""
    url: str = ""  # the published site's address; empty: relative addresses only
    editor: str = "The editors"
    email: str = "editor@example.org"
    publisher: str = ""
    lang: str = "en"
    source: str = ""  # the file the settings came from

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
    wrong = sorted(k for k, v in settings.items() if not isinstance(v, str))
    if wrong:
        raise ConfigError(f"setting {wrong[0]!r} must be a string", path)
    url = settings.get("url", "")
    if url and scheme(url) not in ("http", "https"):  # every page links to it
        raise ConfigError(f"url {url!r} must be an http:// or https:// address", path)
    return SiteConfig(**settings, source=str(path))

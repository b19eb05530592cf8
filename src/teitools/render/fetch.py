"""What WeasyPrint may load while it lays out a PDF.

The HTML it reads comes from a stylesheet run over TEI from anywhere, so its ``<link>``,
``<img>``, CSS ``url()``, ``@import``, ``@font-face`` and attachments could name any URL:
a server to tell that the file was opened, or a local file whose text would end up in the
PDF. :class:`ResourceFetcher` loads only files of the kinds a page needs (stylesheets,
fonts, images) from the folders it is given (teitools' own stylesheets; with ``--xslt``,
the folder of that stylesheet) and ``data:`` URLs; it refuses everything else (any other
file, every ``http:``, ``https:`` and ``ftp:`` address) and keeps a list of what it refused.

Imported only to make a PDF: importing WeasyPrint loads Pango, which is slow. Needs
WeasyPrint 68 or later (its ``URLFetcher`` class).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher

from teitools.safehtml import scheme

RESOURCE_SUFFIXES = frozenset(
    {".css", ".woff", ".woff2", ".ttf", ".otf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
)


class ResourceFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """WeasyPrint's ``url_fetcher``: files of a page's kinds inside ``folders``, and
    ``data:`` URLs; every other URL is refused and listed in :attr:`refused`."""

    def __init__(self, folders: Iterable[Path]):
        super().__init__(allow_redirects=False)  # (WeasyPrint 68 reads no scheme in data:)
        self.folders = tuple(folder.resolve() for folder in folders)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        target = self.allowed(url)
        if target is None:
            if url not in self.refused:
                self.refused.append(url)
            raise ValueError(f"refused: {url}")
        return super().fetch(target, headers)

    def allowed(self, url: str) -> str | None:
        """The URL to load for ``url`` (a local file by its real path), or None if refused."""
        kind = scheme(url)
        if kind == "data":
            return url
        if kind != "file":
            return None
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        inside = any(path.is_relative_to(folder) for folder in self.folders)
        if not inside or path.suffix.lower() not in RESOURCE_SUFFIXES or not path.is_file():
            return None
        return path.as_uri()

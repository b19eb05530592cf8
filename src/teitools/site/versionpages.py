"""The site's page for each collation of a letter's versions (``teitools collate``):
``versions/NAME.html``, the versions side by side in the site's frame, linked from each
version's letter page, its print edition ``pdf/NAME.pdf`` and its TEI ``tei/NAME.xml``."""

from __future__ import annotations

from pathlib import Path

from lxml import etree, html

from teitools.collate.files import collation_files
from teitools.errors import TeitoolsError
from teitools.render import RenderError, pdf_from_html, transform
from teitools.resources import XSLT

SHEET = XSLT / "versions-html.xsl"
PRINT_SHEET = XSLT / "versions-print.xsl"
PARAMS = {
    "css": "../letter.css ../versions.css ../site.css",
    "index-page": "../letters.html",
    "letter-base": "../letters/",
}


def version_pages(
    encoded: Path, site_nav: str, pdf: bool
) -> tuple[dict[str, bytes], list[TeitoolsError]]:
    """``{path in the site: bytes}`` for every collation in ``encoded``, and the ones that
    failed."""
    pages: dict[str, bytes] = {}
    errors: list[TeitoolsError] = []
    for path in collation_files([encoded]):
        name = path.name[: -len(".xml")]
        try:
            params = {
                **PARAMS,
                "pdf-href": f"../pdf/{name}.pdf" if pdf else "",
                "tei-href": f"../tei/{path.name}",
            }
            page = html.document_fromstring(transform(path, SHEET, **params))
            page.body.set("class", f"site {page.body.get('class', '')}".strip())
            page.body.insert(0, html.fragment_fromstring(site_nav, create_parent=False))
            pages[f"versions/{name}.html"] = bytes(
                html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8")
            )
            pages[f"tei/{path.name}"] = path.read_bytes()
            if pdf:
                pages[f"pdf/{name}.pdf"] = pdf_from_html(transform(path, PRINT_SHEET))
        except RenderError as error:
            errors.append(error)
        except etree.ParserError as error:
            errors.append(RenderError(f"not a page: {error}", path))
    return pages, errors

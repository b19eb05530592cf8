"""The site's page for each collation of a letter's versions (``teitools collate``):
``versions/NAME.html``, the versions side by side in the site's frame, linked from each
version's letter page, its print edition ``pdf/NAME.pdf`` and its TEI ``tei/NAME.xml``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree, html

from teitools import safehtml, safexml
from teitools.errors import TeitoolsError
from teitools.render import RenderError, refused_warnings, transform
from teitools.render.pdf import PdfError, pdf_from_html
from teitools.resources import XSLT

SHEET = XSLT / "versions-html.xsl"
PRINT_SHEET = XSLT / "versions-print.xsl"
PARAMS = {
    "css": "../letter.css ../versions.css ../site.css",
    "index-page": "../letters.html",
    "letter-base": "../letters/",
}


def version_pages(
    collations: Sequence[Path], site_nav: str, pdf: bool
) -> tuple[dict[str, bytes], list[TeitoolsError], list[str]]:
    """``{path in the site: bytes}`` for every collation, the ones that failed, and
    warnings."""
    pages: dict[str, bytes] = {}
    errors: list[TeitoolsError] = []
    warnings: list[str] = []
    for path in collations:
        name = path.name[: -len(".xml")]
        try:
            root = etree.parse(str(path), safexml.parser()).getroot()
            active = safehtml.active_content(root)
            params = {
                **PARAMS,
                "pdf-href": f"../pdf/{safehtml.file_url(name)}.pdf" if pdf else "",
                "tei-href": "" if active else f"../tei/{safehtml.file_url(path.name)}",
            }
            page = html.document_fromstring(transform(path, SHEET, None, **params))
            page.body.set("class", f"site {page.body.get('class', '')}".strip())
            page.body.insert(0, html.fragment_fromstring(site_nav, create_parent=False))
            pages[f"versions/{name}.html"] = bytes(
                html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8")
            )
            if active:
                warnings.append(
                    f"{path}: not offered as tei/{path.name}: it holds {' and '.join(active)} "
                    "markup, which a browser opening it would run"
                )
            else:
                pages[f"tei/{path.name}"] = path.read_bytes()
            if pdf:
                data, refused = pdf_from_html(transform(path, PRINT_SHEET))
                pages[f"pdf/{name}.pdf"] = data
                warnings.extend(refused_warnings(path, refused))
        except RenderError as error:
            errors.append(error)
        except PdfError as error:
            errors.append(RenderError(str(error), path))
        except (OSError, etree.XMLSyntaxError, etree.ParserError) as error:
            errors.append(RenderError(f"not rendered: {error}", path))
    return pages, errors, warnings

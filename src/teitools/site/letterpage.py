"""A letter's page in the site: the web rendition (``xslt/letter-html.xsl``) in the site's
frame: the edition's navigation, the letter's place in the correspondence, downloads, and
the attributes Pagefind indexes (``data-pagefind-*``). Also its CMIF record.

Runs in worker processes: everything it needs comes in a picklable :class:`PageJob`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree, html

from teitools.cmif import Edition, to_cmif
from teitools.execution import lost
from teitools.render import RenderError, transform
from teitools.render.pdf import PdfError, pdf_from_html
from teitools.resources import XSLT

LETTER_SHEET = XSLT / "letter-html.xsl"
PRINT_SHEET = XSLT / "letter-print.xsl"
TEI_TYPE = "application/tei+xml"
PARAMS = {"css": "../letter.css", "index-page": "../letters.html", "register-base": "../register/"}
UNLINKED = {**PARAMS, "register-base": "", "register-page": ""}  # a corpus without a register


@dataclass(frozen=True)
class PageJob:
    source: Path
    site_nav: str  # the edition's navigation (HTML)
    letter_nav: str  # previous/next, replies, downloads, citation (HTML)
    head: str  # metadata for the page's head (HTML)
    search_meta: str  # an empty element carrying Pagefind's sort key (HTML)
    edition: Edition  # for the CMIF record
    pdf: bool
    register: bool = True  # names link to register pages


@dataclass(frozen=True)
class PageResult:
    source: Path
    page: bytes | None = None
    cmif: bytes | None = None
    pdf: bytes | None = None
    error: RenderError | None = None


def _fragment(markup: str) -> html.HtmlElement:
    return html.fragment_fromstring(markup, create_parent=False)


def letter_page(job: PageJob) -> bytes:
    """The letter's web rendition with the site's frame around it."""
    params = PARAMS if job.register else UNLINKED
    page = html.document_fromstring(transform(job.source, LETTER_SHEET, **params))
    head, body = page.head, page.body
    etree.SubElement(head, "link", rel="stylesheet", href="../site.css")
    stem = job.source.stem  # machine-readable versions, for harvesters and browser add-ons
    etree.SubElement(head, "link", rel="alternate", type=TEI_TYPE, href=f"../tei/{stem}.xml")
    head.extend(html.fragments_fromstring(job.head))
    body.set("class", f"site letter-page {body.get('class', '')}".strip())
    body.insert(0, _fragment(job.site_nav))
    header = body.find("header")
    if header is not None:
        header.append(_fragment(job.letter_nav))
    main = body.find("main")
    if main is not None:
        main.set("data-pagefind-body", "")
        main.append(_fragment(job.search_meta))
    title = header.find("h1") if header is not None else None
    if title is not None:
        title.set("data-pagefind-meta", "title")
    return bytes(html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8"))


def build_letter(_: None, job: PageJob) -> PageResult:
    """Page, CMIF record and (if asked) PDF of one letter; a failure is returned, not raised."""
    try:
        page = letter_page(job)
        record = to_cmif([job.source], job.edition)
        pdf = pdf_from_html(transform(job.source, PRINT_SHEET)) if job.pdf else None
    except RenderError as error:
        return PageResult(job.source, error=error)
    except PdfError as error:
        return PageResult(job.source, error=RenderError(str(error), job.source))
    return PageResult(job.source, page, record, pdf)


def not_built(job: PageJob, error: BaseException) -> PageResult:
    """A letter whose work was lost (its worker failed again and again)."""
    return PageResult(job.source, error=RenderError(f"not built: {lost(error)}", job.source))

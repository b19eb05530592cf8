"""A letter's page in the site: the web rendition (``xslt/letter-html.xsl``) in the site's
frame: the edition's navigation, the letter's place in the correspondence, downloads, and
the attributes Pagefind indexes (``data-pagefind-*``). Also its CMIF record.

Runs in worker processes: everything it needs comes in a picklable :class:`PageJob`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree, html

from teitools.cmif import CmifHeader, to_cmif
from teitools.render import PDF_TIME_LIMIT, RenderError, letter_pdf, transform
from teitools.render.edition import Links
from teitools.resources import XSLT

LETTER_SHEET = XSLT / "letter-html.xsl"
PRINT_SHEET = XSLT / "letter-print.xsl"
TEI_TYPE = "application/tei+xml"
PARAMS = {"css": "../letter.css", "index-page": "../letters.html", "register-base": "../register/"}
UNLINKED = {**PARAMS, "register-base": "", "register-page": ""}  # a corpus without a register


@dataclass(frozen=True)
class PageJob:
    source: Path
    title: str
    links: Links  # register entries and letters its names and references lead to
    site_nav: str  # the edition's navigation (HTML)
    letter_nav: str  # previous/next, replies, downloads, citation (HTML)
    letter_nav_no_pdf: str  # the same without the PDF link, for a PDF that failed
    head: str  # metadata for the page's head (HTML)
    search_meta: str  # an empty element carrying Pagefind's sort key (HTML)
    cmif: CmifHeader | None  # for the CMIF record; None: the edition gives no CMIF header
    pdf: bool
    register: bool = True  # names link to register pages
    pdf_time_limit: float | None = PDF_TIME_LIMIT  # CPU seconds for its PDF


@dataclass(frozen=True)
class PageResult:
    source: Path
    page: bytes | None = None
    cmif: bytes | None = None
    pdf: bytes | None = None
    error: RenderError | None = None  # the letter has no page
    pdf_error: RenderError | None = None  # the letter has a page, but no PDF


def _fragment(markup: str) -> html.HtmlElement:
    return html.fragment_fromstring(markup, create_parent=False)


def letter_page(job: PageJob, pdf: bool) -> bytes:
    """The letter's web rendition with the site's frame around it; ``pdf``: it links its PDF."""
    params = PARAMS if job.register else UNLINKED
    page = html.document_fromstring(
        transform(job.source, LETTER_SHEET, job.links, title=job.title, **params)
    )
    head, body = page.head, page.body
    etree.SubElement(head, "link", rel="stylesheet", href="../site.css")
    stem = job.source.stem  # machine-readable versions, for harvesters and browser add-ons
    etree.SubElement(head, "link", rel="alternate", type=TEI_TYPE, href=f"../tei/{stem}.xml")
    head.extend(html.fragments_fromstring(job.head))
    body.set("class", f"site letter-page {body.get('class', '')}".strip())
    body.insert(0, _fragment(job.site_nav))
    header = body.find("header")
    if header is not None:
        header.append(_fragment(job.letter_nav if pdf else job.letter_nav_no_pdf))
    main = body.find("main")
    if main is not None:
        main.set("data-pagefind-body", "")
        main.append(_fragment(job.search_meta))
    title = header.find("h1") if header is not None else None
    if title is not None:
        title.set("data-pagefind-meta", "title")
    return bytes(html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8"))


def build_letter(job: PageJob) -> PageResult:
    """Page, CMIF record and (if asked) PDF of one letter; a failure is returned, not raised.
    A PDF the typesetter cannot make leaves the page, which then does not link it."""
    pdf, pdf_error = None, None
    try:
        if job.pdf:
            print_page = transform(job.source, PRINT_SHEET, job.links, title=job.title)
            pdf = letter_pdf(job.source, print_page, job.pdf_time_limit)
    except RenderError as error:
        pdf_error = error
    try:
        page = letter_page(job, pdf is not None)
        record = to_cmif([(job.source, job.links)], job.cmif) if job.cmif else None
    except RenderError as error:
        return PageResult(job.source, error=error)
    return PageResult(job.source, page, record, pdf, pdf_error=pdf_error)

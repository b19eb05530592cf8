"""A letter's page in the site: the web rendition (``xslt/letter-html.xsl``) in the site's
frame: the edition's navigation, the letter's place in the correspondence, downloads, and
the attributes Pagefind indexes (``data-pagefind-*``). Also its CMIF record and its PDF.

Runs in worker processes: everything it needs comes in a picklable :class:`PageJob`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree, html

from teitools.cmif import CmifHeader, to_cmif
from teitools.errors import TeitoolsError
from teitools.execution import lost
from teitools.render import (
    PDF_TIME_LIMIT,
    RenderError,
    failure,
    letter_pdf,
    refused_warnings,
    transform,
)
from teitools.render.edition import Links
from teitools.resources import XSLT
from teitools.safehtml import file_url

LETTER_SHEET = XSLT / "letter-html.xsl"
PRINT_SHEET = XSLT / "letter-print.xsl"
TEI_TYPE = "application/tei+xml"
PARAMS = {
    "css": "../letter.css",
    "index-page": "../letters.html",
    "register-base": "../register/",
    "versions-base": "../versions/",  # the pages comparing a letter's versions
}
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
    sort_key: str  # the letter's date (or where it sorts), for Pagefind to sort results by
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
    error: TeitoolsError | None = None  # the letter has no page
    pdf_error: TeitoolsError | None = None  # the letter has a page, but no PDF
    warnings: tuple[str, ...] = ()


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
    tei = f"../tei/{file_url(job.source.name)}"  # for harvesters and browser add-ons
    etree.SubElement(head, "link", rel="alternate", type=TEI_TYPE, href=tei)
    head.extend(html.fragments_fromstring(job.head))
    body.set("class", f"site letter-page {body.get('class', '')}".strip())
    body.insert(0, _fragment(job.site_nav))
    header = body.find("header")
    if header is not None:
        header.append(_fragment(job.letter_nav if pdf else job.letter_nav_no_pdf))
    main = body.find("main")
    if main is not None:
        main.set("data-pagefind-body", "")
        main.append(_search_meta(job.sort_key))
    title = header.find("h1") if header is not None else None
    if title is not None:
        title.set("data-pagefind-meta", "title")
    return bytes(html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8"))


def _search_meta(sort_key: str) -> html.HtmlElement:
    """What Pagefind records of a letter besides its text: its date, to sort results by.

    No ``data-pagefind-filter``: Pagefind writes its filter index in a different order on
    every run (Pagefind issue #638), and the site must be byte-identical for the same TEI.
    The list of letters filters by correspondent, place, status and year instead.
    """
    meta = html.Element("div", {"class": "search-meta", "hidden": ""})
    meta.set("data-pagefind-sort", f"date:{sort_key}")
    return meta


def build_letter(_: None, job: PageJob) -> PageResult:
    """Page, CMIF record and (if asked) PDF of one letter. Whatever goes wrong with this
    letter (running out of memory, a fault in teitools) is returned as its error, in one
    line, so that the other letters are built; a PDF that cannot be made leaves the page,
    which then does not link it."""
    pdf: bytes | None = None
    pdf_error: TeitoolsError | None = None
    refused: list[str] = []
    if job.pdf:
        try:
            print_page = transform(job.source, PRINT_SHEET, job.links, title=job.title)
            pdf, refused = letter_pdf(job.source, print_page, job.pdf_time_limit)
        except TeitoolsError as error:
            pdf_error = error
        except (Exception, MemoryError) as error:  # this letter's PDF, not the site's
            pdf_error = failure(error, job.source)
    try:
        page = letter_page(job, pdf is not None)
        record = to_cmif([(job.source, job.links)], job.cmif) if job.cmif else None
    except TeitoolsError as error:
        return PageResult(job.source, error=error)
    except (Exception, MemoryError) as error:  # this letter's failure, not the site's
        return PageResult(job.source, error=failure(error, job.source))
    warnings = tuple(refused_warnings(job.source, refused))
    return PageResult(job.source, page, record, pdf, pdf_error=pdf_error, warnings=warnings)


def not_built(job: PageJob, error: BaseException) -> PageResult:
    """A letter whose work was lost (its worker failed again and again)."""
    return PageResult(job.source, error=RenderError(f"not built: {lost(error)}", job.source))

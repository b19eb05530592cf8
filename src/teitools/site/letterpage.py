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
from teitools.errors import TeitoolsError
from teitools.execution import lost
from teitools.render import RenderError, failure, refused_warnings, transform
from teitools.render.pdf import pdf_from_html
from teitools.resources import XSLT
from teitools.safehtml import file_url

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
    sort_key: str  # the letter's date (or where it sorts), for Pagefind to sort results by
    edition: Edition  # for the CMIF record
    pdf: bool
    register: bool = True  # names link to register pages


@dataclass(frozen=True)
class PageResult:
    source: Path
    page: bytes | None = None
    cmif: bytes | None = None
    pdf: bytes | None = None
    error: TeitoolsError | None = None
    warnings: tuple[str, ...] = ()


def _fragment(markup: str) -> html.HtmlElement:
    return html.fragment_fromstring(markup, create_parent=False)


def letter_page(job: PageJob) -> bytes:
    """The letter's web rendition with the site's frame around it."""
    params = PARAMS if job.register else UNLINKED
    page = html.document_fromstring(transform(job.source, LETTER_SHEET, **params))
    head, body = page.head, page.body
    etree.SubElement(head, "link", rel="stylesheet", href="../site.css")
    tei = f"../tei/{file_url(job.source.name)}"  # for harvesters and browser add-ons
    etree.SubElement(head, "link", rel="alternate", type=TEI_TYPE, href=tei)
    head.extend(html.fragments_fromstring(job.head))
    body.set("class", f"site letter-page {body.get('class', '')}".strip())
    body.insert(0, _fragment(job.site_nav))
    header = body.find("header")
    if header is not None:
        header.append(_fragment(job.letter_nav))
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
    line, so that the other letters are built."""
    try:
        page = letter_page(job)
        record = to_cmif([job.source], job.edition)
        pdf, refused = pdf_from_html(transform(job.source, PRINT_SHEET)) if job.pdf else (None, [])
    except TeitoolsError as error:
        return PageResult(job.source, error=error)
    except (Exception, MemoryError) as error:  # this letter's failure, not the site's
        return PageResult(job.source, error=failure(error, job.source))
    warnings = tuple(refused_warnings(job.source, refused))
    return PageResult(job.source, page, record, pdf, warnings=warnings)


def not_built(job: PageJob, error: BaseException) -> PageResult:
    """A letter whose work was lost (its worker failed again and again)."""
    return PageResult(job.source, error=RenderError(f"not built: {lost(error)}", job.source))

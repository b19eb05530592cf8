"""Render TEI letters through the XSLT in ``xslt/``: HTML pages, and PDF through WeasyPrint.

The stylesheets are XSLT 1.0 and run in lxml here (and in plain xsltproc). Transforms run
with every file and network access denied: a document cannot make a stylesheet read or
write anything it was not given. A letter is made ready for the bundled stylesheets by
:mod:`teitools.render.prepare` (note numbers, register links, safe links and styles), with
what :class:`~teitools.render.edition.Edition` knows of the whole batch: titles, register.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, select_autoescape
from lxml import etree, html

from teitools import safexml
from teitools.errors import TeitoolsError
from teitools.fsio import write_atomic
from teitools.registers import REGISTER_FILE
from teitools.render.edition import Edition, Links, read_register_file, read_sources
from teitools.render.entities import EntryFacts, register_kinds
from teitools.render.header import letter_title
from teitools.render.prepare import prepare
from teitools.resources import XSLT
from teitools.timelimit import time_limit
from teitools.workers import pool_map

DENY_ALL = etree.XSLTAccessControl.DENY_ALL
PDF_TIME_LIMIT = 300.0  # seconds of CPU time for one letter's PDF (5 MB of text: about 60)

_PAGES = Environment(autoescape=select_autoescape(default=True))
INDEX = _PAGES.from_string((XSLT / "index.html.j2").read_text(encoding="utf-8"))
REGISTER = _PAGES.from_string((XSLT / "register.html.j2").read_text(encoding="utf-8"))


class RenderError(TeitoolsError):
    """A document could not be rendered."""


@dataclass
class RenderReport:
    target: str
    outdir: Path
    written: list[Path] = field(default_factory=list)
    errors: list[TeitoolsError] = field(default_factory=list)

    def summary(self) -> str:
        text = f"rendered {len(self.written)} files as {self.target} into {self.outdir}/"
        return text + (f"; {len(self.errors)} failed" if self.errors else "")


@cache
def stylesheet(path: Path) -> etree.XSLT:
    """A compiled stylesheet that may read and write nothing at transform time."""
    try:
        return etree.XSLT(etree.parse(str(path), safexml.parser()), access_control=DENY_ALL)
    except (OSError, etree.XMLSyntaxError, etree.XSLTParseError) as error:
        raise RenderError(f"cannot load stylesheet: {error}", path) from None


def transform(source: Path, sheet: Path, links: Links | None = None, **params: str) -> bytes:
    """Run ``sheet`` on ``source``; a refused file access is a one-line error. For the
    bundled stylesheets the letter is prepared first (:func:`~teitools.render.prepare.prepare`
    with ``links``) and its title passed, unless ``params`` name one."""
    try:
        document = etree.parse(str(source), safexml.parser())
    except (OSError, etree.XMLSyntaxError) as error:
        raise RenderError(f"not a readable TEI file: {error}", source) from None
    if _bundled(sheet):
        prepare(document.getroot(), links, str(source))
        params.setdefault("title", letter_title(document.getroot(), source.stem))
    xslt = stylesheet(sheet)
    try:
        result = xslt(document, **{k: etree.XSLT.strparam(v) for k, v in params.items()})
    except etree.XSLTApplyError as error:
        raise RenderError(f"refused or failed in {sheet.name}: {error}", source) from None
    if result.getroot() is None:
        raise RenderError(f"{sheet.name} produced nothing", source)
    return bytes(result)


@cache
def _bundled(sheet: Path) -> bool:
    """Whether ``sheet`` is one of teitools' own stylesheets."""
    return sheet.resolve().parent == XSLT.resolve()


def collect(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.xml")) if path.is_dir() else [path])
    return files


def _html_one(path: Path, sheet: Path, params: dict[str, str], links: Links | None) -> bytes:
    if _xslt_version(sheet) >= 2:
        return saxon_transform(path, sheet, params)
    return transform(path, sheet, links, **params)


def _xslt_version(sheet: Path) -> float:
    root = etree.parse(str(sheet), safexml.parser()).getroot()
    try:
        return float(root.get("version", "1.0"))
    except ValueError:
        return 1.0


def saxon_transform(source: Path, sheet: Path, params: dict[str, str]) -> bytes:
    """An XSLT 2.0/3.0 stylesheet (such as the TEI Consortium's) through Saxon-HE.

    The document reaches Saxon already parsed safely, without its DOCTYPE (nothing fetched).
    """
    try:
        from saxonche import PySaxonApiError, PySaxonProcessor
    except ImportError:
        raise RenderError(
            "an XSLT 2/3 stylesheet needs Saxon-HE: pip install saxonche", sheet
        ) from None
    try:
        data = source.read_bytes()
        tree = etree.fromstring(data, safexml.parser()).getroottree()
    except (OSError, etree.XMLSyntaxError) as error:
        raise RenderError(f"not a readable TEI file: {error}", source) from None
    with PySaxonProcessor(license=False) as processor:
        compiler = processor.new_xslt30_processor()
        try:
            executable = compiler.compile_stylesheet(stylesheet_file=str(sheet))
            for name, value in params.items():
                executable.set_parameter(name, processor.make_string_value(value))
            document = processor.parse_xml(xml_text=safexml.saxon_text(data, tree))
            result = executable.transform_to_string(xdm_node=document)
        except PySaxonApiError as error:
            raise RenderError(f"Saxon: {error}", source) from None
    if result is None:
        raise RenderError(f"{sheet.name} produced nothing", source)
    return str(result).encode("utf-8")


def pdf_from_html(page: bytes) -> bytes:
    """A PDF of a print HTML page whose stylesheets are in ``xslt/css/``."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDF needs it

    base = str(XSLT / "css") + "/"
    return bytes(HTML(string=page.decode("utf-8"), base_url=base).write_pdf())


def letter_pdf(source: Path, page: bytes, seconds: float | None = PDF_TIME_LIMIT) -> bytes:
    """The PDF of a letter's print page; a page the typesetter cannot lay out, or not in
    ``seconds`` of CPU time, fails that letter alone, in one line naming it and the cause."""
    import weasyprint  # noqa: F401  (loading Pango is not this letter's time)

    try:
        with time_limit(seconds):
            return pdf_from_html(page)
    except Exception as error:  # WeasyPrint raises what its layout runs into, of any class
        cause = f"{type(error).__name__}: {error}".strip().rstrip(":")
        raise RenderError(f"cannot typeset the PDF ({cause})", source) from None


# source, target, stylesheet, its parameters, links, CPU seconds for a PDF
Job = tuple[Path, str, Path, dict[str, str], Links | None, float | None]
Outcome = tuple[Path, bytes | RenderError]  # source, the rendition or why not


def _render_one(job: Job) -> Outcome:
    path, target, sheet, params, links, seconds = job
    try:
        page = _html_one(path, sheet, params, links)
        return path, page if target == "html" else letter_pdf(path, page, seconds)
    except RenderError as error:
        return path, error


def volume_html(files: list[Path], titles: dict[str, str] | None = None) -> str:
    """One print HTML for several letters, with a table of contents (``--combine``)."""
    sheet = XSLT / "letter-print.xsl"
    titles = titles or {}
    page = html.document_fromstring(transform(files[0], sheet))
    body = page.body
    for child in list(body):
        body.remove(child)
    toc = etree.SubElement(body, "nav", {"class": "toc"})
    etree.SubElement(toc, "h1").text = "Contents"
    items = etree.SubElement(toc, "ol")
    for path in files:
        title = titles.get(path.stem)
        made = transform(path, sheet, None, **({"title": title} if title else {}))
        article = html.document_fromstring(made).body.find("article")
        if article is None:
            continue
        link = etree.SubElement(etree.SubElement(items, "li"), "a", href=f"#{article.get('id')}")
        link.text = article.findtext("h1") or path.stem
        body.append(article)
    return str(html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode"))


def render_paths(
    paths: Sequence[Path],
    target: str,
    outdir: Path,
    jobs: int | None = None,
    *,
    xslt: Path | None = None,
    combine: bool = False,
    params: dict[str, str] | None = None,
    registers: Sequence[Path] = (),
    pdf_time_limit: float | None = PDF_TIME_LIMIT,
) -> RenderReport:
    """Render every TEI letter under ``paths`` as ``target`` (html or pdf) into ``outdir``.

    ``xslt`` replaces the bundled stylesheet (XSLT 1.0 through lxml, 2.0/3.0 through
    Saxon-HE); ``combine`` makes one PDF volume with a table of contents. The register is
    every ``register.xml`` among ``paths``, the files ``registers`` names and the lists of
    entries inside the letters; with ``--to html`` it becomes ``register.html``. A letter
    whose PDF takes over ``pdf_time_limit`` seconds of CPU time fails alone.
    """
    if target not in ("html", "pdf"):
        raise RenderError(f"unknown target {target!r} (html or pdf)")
    files = collect(paths)
    letters = [f for f in files if f.name != REGISTER_FILE]
    report = RenderReport(target, outdir)
    sources, unreadable = read_sources(letters)
    report.errors.extend(RenderError(e.message, e.path) for e in unreadable)
    found = [f for f in files if f.name == REGISTER_FILE]
    edition = Edition(sources, _registers(found, registers, report))
    outdir.mkdir(parents=True, exist_ok=True)
    if target == "pdf" and combine:
        volume = volume_html([s.path for s in sources], edition.titles).encode()
        write_atomic(outdir / "volume.pdf", letter_pdf(outdir / "volume.pdf", volume, None))
        report.written.append(outdir / "volume.pdf")
        return report
    default = "letter-html.xsl" if target == "html" else "letter-print.xsl"
    sheet = xslt or XSLT / default
    work: list[Job] = []
    for source in sources:
        if xslt is None:
            links = edition.links(source, lambda stem: f"{stem}.{target}")
            if target == "html" and not edition.register.entries:
                links = Links(letters=links.letters)
            named = {"title": edition.titles[source.stem], **(params or {})}
            work.append((source.path, target, sheet, named, links, pdf_time_limit))
        else:
            work.append((source.path, target, sheet, dict(params or {}), None, pdf_time_limit))
    titles = []
    for path, outcome in pool_map(_render_one, work, jobs, chunksize=16):
        if isinstance(outcome, RenderError):
            report.errors.append(outcome)
            continue
        written = outdir / f"{path.stem}.{target}"
        write_atomic(written, outcome)
        report.written.append(written)
        titles.append({"href": written.name, "title": edition.titles[path.stem]})
    if target == "html":
        kinds = register_kinds(edition.register.entries.values())
        if kinds:
            write_atomic(outdir / "register.html", REGISTER.render(kinds=kinds).encode())
            report.written.append(outdir / "register.html")
        index = outdir / "index.html"
        write_atomic(index, INDEX.render(letters=titles, register=bool(kinds)).encode())
        report.written.append(index)
        for css in ("letter.css", "tei.css"):
            shutil.copyfile(XSLT / "css" / css, outdir / css)
    return report


def _registers(
    found: Sequence[Path], named: Sequence[Path], report: RenderReport
) -> list[list[EntryFacts]]:
    """The entries of every register file; one that cannot be read is reported."""
    entries = []
    for path in [*found, *named]:
        try:
            entries.append(read_register_file(path))
        except TeitoolsError as error:
            report.errors.append(RenderError(error.message, error.path))
    return entries

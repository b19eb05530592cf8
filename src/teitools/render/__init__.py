"""Render TEI letters through the XSLT in ``xslt/``: HTML pages, and PDF (:mod:`.pdf`).

The stylesheets are XSLT 1.0 and run in lxml here (and in plain xsltproc). Transforms run
with every file and network access denied: a document cannot make a stylesheet read or
write anything it was not given. A letter is made ready for the bundled stylesheets by
:mod:`teitools.render.prepare` (note numbers, register links, safe links and styles), with
what :class:`~teitools.render.edition.Edition` knows of the whole batch: titles, register.
What our stylesheets write passes :func:`teitools.safehtml.clean` (no ``javascript:`` link
from a ``ptr/@target``), and WeasyPrint loads only what :mod:`teitools.render.fetch` allows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, select_autoescape
from lxml import etree, html

from teitools import progress, safehtml, safexml
from teitools.collate.files import is_collation, is_collation_path
from teitools.errors import TeitoolsError
from teitools.execution import Executor, LocalExecutor, lost
from teitools.fsio import write_atomic
from teitools.inputs import FileTable, collect
from teitools.registers import REGISTER_FILE
from teitools.render.edition import Edition, Links, SourceError, read_register_files
from teitools.render.header import letter_title
from teitools.render.listing import Outputs
from teitools.render.pdf import ENGINES, PdfError, pdf_from_html, warm_up
from teitools.render.prepare import prepare, prepare_collation
from teitools.resources import XSLT
from teitools.timelimit import time_limit

DENY_ALL = etree.XSLTAccessControl.DENY_ALL
PDF_TIME_LIMIT = 300.0  # seconds of CPU time for one letter's PDF (5 MB of text: about 60)

# what render --to html adds
INDEX_PAGES = ("index.html", "register.html", "letter.css", "tei.css", "versions.css")
_PAGES = Environment(autoescape=select_autoescape(default=True))
_PAGES.filters["safe_url"] = safehtml.safe_url
INDEX = _PAGES.from_string((XSLT / "index.html.j2").read_text(encoding="utf-8"))
REGISTER = _PAGES.from_string((XSLT / "register.html.j2").read_text(encoding="utf-8"))


class RenderError(TeitoolsError):
    """A document could not be rendered."""


@dataclass
class RenderReport:
    target: str
    outdir: Path
    written: int = 0  # files written
    errors: list[TeitoolsError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"rendered {self.written} files as {self.target} into {self.outdir}/"
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
    with ``links``) and its title passed, unless ``params`` name one; a collation of
    versions by :func:`~teitools.render.prepare.prepare_collation`."""
    try:
        document = etree.parse(str(source), safexml.parser())
    except (OSError, etree.XMLSyntaxError) as error:
        raise RenderError(f"not a readable TEI file: {error}", source) from None
    ours = _ours(sheet)
    root = document.getroot()
    if ours and is_collation(root):  # teitools collate's: for the versions stylesheets
        prepare_collation(root)
    elif ours:
        prepare(root, links, str(source))
        params.setdefault("title", letter_title(root, source.stem))
    xslt = stylesheet(sheet)
    try:
        result = xslt(document, **{k: etree.XSLT.strparam(v) for k, v in params.items()})
    except etree.XSLTApplyError as error:
        raise RenderError(f"refused or failed in {sheet.name}: {error}", source) from None
    if result.getroot() is None:
        raise RenderError(f"{sheet.name} produced nothing", source)
    if ours:
        safehtml.clean(result.getroot())
    return bytes(result)


@cache
def _ours(sheet: Path) -> bool:
    """Whether ``sheet`` is one of teitools' stylesheets: the letter is prepared for it and
    its output cleaned (a stylesheet you bring is yours: its output is written as it made
    it)."""
    return sheet.resolve().is_relative_to(XSLT.resolve())


def _html_one(path: Path, sheet: Path, params: dict[str, str], links: Links | None) -> bytes:
    if _xslt_version(sheet) >= 2:
        return saxon_transform(path, sheet, params)
    return transform(path, sheet, links, **params)


@cache
def _xslt_version(sheet: Path) -> float:
    try:
        root = etree.parse(str(sheet), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise RenderError(f"cannot load stylesheet: {error}", sheet) from None
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


def refused_warnings(source: Path | str, refused: Sequence[str]) -> list[str]:
    """One warning line per URL a PDF was refused."""
    why = "a PDF loads only teitools' stylesheets and fonts (and those beside --xslt)"
    return [f"{source}: refused to load {url}: {why}" for url in refused]


def letter_pdf(
    source: Path,
    page: bytes,
    seconds: float | None = PDF_TIME_LIMIT,
    engine: str = "typst",
    folders: Sequence[Path] = (),
) -> tuple[bytes, list[str]]:
    """The PDF of a letter's print page (:func:`~teitools.render.pdf.pdf_from_html`) and
    the URLs it was refused; a page the typesetter cannot lay out, or not in ``seconds`` of
    CPU time, fails that letter alone, in one line naming it and the cause."""
    warm_up(engine)  # loading the typesetter (fonts, Pango) is not this letter's time
    try:
        with time_limit(seconds):
            return pdf_from_html(page, engine, folders)
    except PdfError as error:
        raise RenderError(error.message, source) from None
    except Exception as error:  # a typesetter raises what its layout runs into, of any class
        cause = f"{type(error).__name__}: {error}".strip().rstrip(":")
        raise RenderError(f"cannot typeset the PDF ({' '.join(cause.split())})", source) from None


# a letter, the links of its rendition (None: a stylesheet of one's own), its parameters
Job = tuple[Path, Links | None, dict[str, str]]
# target, stylesheet, PDF engine, CPU seconds for a letter's PDF
Setup = tuple[str, Path, str, float | None]
Outcome = tuple[Path, bytes | RenderError, list[str]]  # source, rendition or why not, warnings


def _render_one(setup: Setup, job: Job) -> Outcome:
    target, sheet, engine, seconds = setup
    path, links, params = job
    try:
        page = _html_one(path, sheet, params, links)
        if target == "html":
            return path, page, []
        folders = [] if _ours(sheet) else [sheet.parent]
        data, refused = letter_pdf(path, page, seconds, engine, folders)
        return path, data, refused_warnings(path, refused)
    except RenderError as error:
        return path, error, []
    except (Exception, MemoryError) as error:  # this letter's failure, not the batch's
        return path, failure(error, path), []


def _not_rendered(job: Job, error: BaseException) -> Outcome:
    return job[0], RenderError(f"not rendered: {lost(error)}", job[0]), []


def failure(error: BaseException, source: Path) -> RenderError:
    """What went wrong with one letter (out of memory, a fault in the typesetter or in
    teitools), as its one-line error: the other letters of a batch are still made."""
    if isinstance(error, MemoryError):
        return RenderError("ran out of memory", source)
    return RenderError(f"failed: {type(error).__name__}: {error}", source)


def volume_html(files: list[Path], title_of: Callable[[str], str | None] | None = None) -> str:
    """One print HTML for several letters, with a table of contents (``--combine``);
    ``title_of`` gives a letter's title by stem (default: its own)."""
    sheet = XSLT / "letter-print.xsl"
    page = html.document_fromstring(transform(files[0], sheet))
    body = page.body
    for child in list(body):
        body.remove(child)
    toc = etree.SubElement(body, "nav", {"class": "toc"})
    etree.SubElement(toc, "h1").text = "Contents"
    items = etree.SubElement(toc, "ol")
    for path in files:
        title = title_of(path.stem) if title_of else None
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
    executor: Executor | None = None,
    engine: str | None = None,
) -> RenderReport:
    """Render every TEI letter under ``paths`` as ``target`` (html or pdf) into ``outdir``.

    ``xslt`` replaces the bundled stylesheet (XSLT 1.0 through lxml, 2.0/3.0 through
    Saxon-HE); ``combine`` makes one PDF volume with a table of contents. The register is
    every ``register.xml`` among ``paths``, the files ``registers`` names and the lists of
    entries inside the letters; with ``--to html`` it becomes ``register.html``.
    ``executor`` renders the letters (default: ``jobs`` processes on this machine).
    ``engine`` typesets the PDF: ``typst`` (the default for the bundled stylesheet) or
    ``weasyprint`` (the default for one's own, whose CSS it reads). A letter whose PDF
    cannot be typeset, or not in ``pdf_time_limit`` seconds of CPU time, fails alone.

    The collations of letters' versions among them (``teitools collate``'s
    ``collations/NAME.versions.xml``) are rendered by the versions stylesheets beside the
    letters, whose pages link to them; with ``xslt`` (a letter's stylesheet) they are left
    out.
    """
    if target not in ("html", "pdf"):
        raise RenderError(f"unknown target {target!r} (html or pdf)")
    engine = engine or ("weasyprint" if xslt else "typst")
    if engine not in ENGINES:
        raise RenderError(f"unknown PDF engine {engine!r} ({' or '.join(ENGINES)})")
    default = "letter-html.xsl" if target == "html" else "letter-print.xsl"
    sheet = xslt or XSLT / default
    _xslt_version(sheet)  # a stylesheet that is not XML: one line, before any work
    executor = executor or LocalExecutor(jobs)
    outdir.mkdir(parents=True, exist_ok=True)
    with Edition(outdir) as edition:
        inputs = FileTable(edition.db, _kind if xslt is None else _kind_no_collations)
        found = collect(paths, ".xml", skip=outdir, into=inputs)
        report = RenderReport(
            target, outdir, errors=[*found.problems], warnings=[str(w) for w in found.warnings]
        )
        unread: list[SourceError] = []  # register files that cannot be read
        entries = read_register_files([*inputs.paths(REGISTERS), *registers], unread)
        unreadable = edition.read(inputs.paths(LETTERS), entries, executor)
        report.errors.extend(RenderError(e.message, e.path) for e in unreadable)
        report.errors.extend(RenderError(e.message, e.path) for e in unread)
        if target == "pdf" and combine:
            volume = outdir / "volume.pdf"
            page = volume_html(list(edition.paths()), edition.title).encode()
            data, refused = letter_pdf(volume, page, None, engine)
            write_atomic(volume, data)
            report.written += 1
            report.warnings.extend(refused_warnings(volume, refused))
            return report
        setup: Setup = (target, sheet, engine, pdf_time_limit)
        _render_edition(edition, inputs, setup, xslt is None, params or {}, executor, report)
    return report


# the kinds of input
LETTERS, REGISTERS, COLLATIONS, LEFT_OUT = "letter", "register", "collation", "left out"


def _kind(path: Path) -> str:
    """What an input of ``render`` is: a register file, a collation of ``teitools collate``
    (``collations/NAME.versions.xml``), or a letter."""
    if path.name == REGISTER_FILE:
        return REGISTERS
    return COLLATIONS if is_collation_path(path) else LETTERS


def _kind_no_collations(path: Path) -> str:
    """As :func:`_kind`, for a letter's stylesheet of one's own: collations are left out."""
    kind = _kind(path)
    return LEFT_OUT if kind == COLLATIONS else kind


def _render_edition(
    edition: Edition,
    inputs: FileTable,
    setup: Setup,
    ours: bool,
    params: dict[str, str],
    executor: Executor,
    report: RenderReport,
) -> None:
    """Each letter of ``edition`` and each collation among ``inputs`` rendered into
    ``report.outdir``, and with HTML the index and the register; nothing held per letter
    but on disk."""
    target, outdir = report.target, report.outdir
    outputs = Outputs(edition.db, f".{target}", INDEX_PAGES if target == "html" else ())
    letters = ((path, True) for path in edition.paths())
    outputs.name(itertools.chain(letters, ((p, False) for p in inputs.paths(COLLATIONS))))
    register = len(edition.register) > 0

    def work() -> Iterator[Job]:
        """Each letter's job, made as the executor takes it (never all held at once)."""
        for source in edition.sources():
            if ours:
                links = edition.links(source, outputs.address)
                if target == "html" and not register:
                    links = Links(letters=links.letters)
                named = {"title": edition.title(source.stem) or "", **params}
                yield source.path, links, named
            else:
                yield source.path, None, dict(params)

    _, _, engine, seconds = setup
    versions = XSLT / ("versions-html.xsl" if target == "html" else "versions-print.xsl")
    compared: Setup = (target, versions, engine, seconds)
    collated = ((path, None, dict(params)) for path in inputs.paths(COLLATIONS))
    done = itertools.chain(
        executor.map_files(_render_one, work(), setup, failed=_not_rendered),
        executor.map_files(_render_one, collated, compared, failed=_not_rendered),
    )
    total = len(edition) + inputs.count(COLLATIONS)
    results = progress.track(done, total, f"rendering {target}")
    for seq, (_, (path, outcome, warnings)) in enumerate(results, start=1):
        report.warnings.extend(warnings)
        if isinstance(outcome, RenderError):
            report.errors.append(outcome)
            continue
        name = outputs[seq]
        if name != f"{path.stem}.{target}":
            taken = f"{path.stem}.{target}"
            report.warnings.append(f"{path}: written as {name} ({taken} is another page's name)")
        write_atomic(outdir / name, outcome)
        report.written += 1
        outputs.written(seq, edition.title(path.stem) or _title(path))
    if target == "html":
        kinds = edition.register.kinds()
        if kinds:
            write_atomic(outdir / "register.html", _encoded(REGISTER.generate(kinds=kinds)))
            report.written += 1
        index = INDEX.generate(letters=outputs.index(), register=bool(kinds))
        write_atomic(outdir / "index.html", _encoded(index))
        report.written += 1
        for css in ("letter.css", "tei.css", "versions.css"):
            write_atomic(outdir / css, (XSLT / "css" / css).read_bytes())


def _encoded(page: Iterator[str]) -> Iterator[bytes]:
    """A page Jinja2 writes piece by piece, as UTF-8."""
    return (piece.encode() for piece in page)


def _title(path: Path) -> str:
    """The title of a document that is no letter of the edition (a collation)."""
    try:
        root = etree.parse(str(path), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError):
        return path.stem
    return letter_title(root, path.stem)

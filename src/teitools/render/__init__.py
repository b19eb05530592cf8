"""Render TEI letters through the XSLT in ``xslt/``: HTML pages, and PDF (:mod:`.pdf`).

The stylesheets are XSLT 1.0 and run in lxml here (and in plain xsltproc). Transforms run
with every file and network access denied: a document cannot make a stylesheet read or
write anything it was not given. What our stylesheets write passes
:func:`teitools.safehtml.clean` (no ``javascript:`` link from a ``ptr/@target``), and
WeasyPrint loads only what :mod:`teitools.render.fetch` allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, select_autoescape
from lxml import etree, html

from teitools import progress, safehtml, safexml
from teitools.errors import TeitoolsError
from teitools.execution import Executor, LocalExecutor, lost
from teitools.fsio import write_atomic
from teitools.inputs import collect
from teitools.registers import REGISTER_FILE
from teitools.render.pdf import ENGINES, PdfError, pdf_from_html
from teitools.resources import XSLT

TEI = "{http://www.tei-c.org/ns/1.0}"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
DENY_ALL = etree.XSLTAccessControl.DENY_ALL

INDEX_PAGES = ("index.html", "register.html", "letter.css")  # what render --to html adds
INDEX = Environment(autoescape=select_autoescape(default=True)).from_string(
    (XSLT / "index.html.j2").read_text(encoding="utf-8")
)


class RenderError(TeitoolsError):
    """A document could not be rendered."""


@dataclass
class RenderReport:
    target: str
    outdir: Path
    written: list[Path] = field(default_factory=list)
    errors: list[TeitoolsError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

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


def transform(source: Path, sheet: Path, **params: str) -> bytes:
    """Run ``sheet`` on ``source``; a refused file access is a one-line error."""
    try:
        document = etree.parse(str(source), safexml.parser())
    except (OSError, etree.XMLSyntaxError) as error:
        raise RenderError(f"not a readable TEI file: {error}", source) from None
    xslt = stylesheet(sheet)
    try:
        result = xslt(document, **{k: etree.XSLT.strparam(v) for k, v in params.items()})
    except etree.XSLTApplyError as error:
        raise RenderError(f"refused or failed in {sheet.name}: {error}", source) from None
    if result.getroot() is None:
        raise RenderError(f"{sheet.name} produced nothing", source)
    if _ours(sheet):
        safehtml.clean(result.getroot())
    return bytes(result)


def _ours(sheet: Path) -> bool:
    """Whether ``sheet`` is one of teitools' stylesheets (a stylesheet you bring is yours:
    its output is written as it made it)."""
    return sheet.resolve().is_relative_to(XSLT.resolve())


def _title(path: Path) -> str:
    root = etree.parse(str(path), safexml.parser()).getroot()
    return str(root.findtext(".//t:titleStmt/t:title", default=path.stem, namespaces=NS))


def _html_one(path: Path, sheet: Path, params: dict[str, str]) -> bytes:
    if _xslt_version(sheet) >= 2:
        return saxon_transform(path, sheet, params)
    return transform(path, sheet, **params)


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


def _pdf_one(
    path: Path, sheet: Path, params: dict[str, str], engine: str = "typst"
) -> tuple[bytes, list[str]]:
    folders = [] if _ours(sheet) else [sheet.parent]
    try:
        return pdf_from_html(_html_one(path, sheet, params), engine, folders)
    except PdfError as error:
        raise RenderError(str(error), path) from None


# source, its title, the rendition or why not, warnings
Outcome = tuple[Path, str, bytes | RenderError, list[str]]
Setup = tuple[str, Path, dict[str, str], str]  # target, stylesheet, its parameters, PDF engine


def _render_one(setup: Setup, path: Path) -> Outcome:
    target, sheet, params, engine = setup
    try:
        if target == "html":
            page = _html_one(path, sheet, params)
            return path, _title(path), page, []
        data, refused = _pdf_one(path, sheet, params, engine)
        return path, _title(path), data, refused_warnings(path, refused)
    except RenderError as error:
        return path, path.stem, error, []
    except (Exception, MemoryError) as error:  # this letter's failure, not the batch's
        return path, path.stem, failure(error, path), []


def _not_rendered(path: Path, error: BaseException) -> Outcome:
    return path, path.stem, RenderError(f"not rendered: {lost(error)}", path), []


def failure(error: BaseException, source: Path) -> RenderError:
    """What went wrong with one letter (out of memory, a fault in the typesetter or in
    teitools), as its one-line error: the other letters of a batch are still made."""
    if isinstance(error, MemoryError):
        return RenderError("ran out of memory", source)
    return RenderError(f"failed: {type(error).__name__}: {error}", source)


def output_names(letters: Sequence[Path], suffix: str, reserved: Sequence[str]) -> list[str]:
    """The file name of each letter's rendition: ``NAME.html``, unless a page of the
    rendering (``index.html``) or an earlier letter has that name (letters of the same name
    from two folders; names compared regardless of case): then ``NAME-2.html``, ..."""
    taken = {name.casefold() for name in reserved}
    names: list[str | None] = []
    for path in letters:
        natural = f"{path.stem}{suffix}"
        free = natural.casefold() not in taken
        names.append(natural if free else None)
        taken.add(natural.casefold())
    chosen = []
    for path, name in zip(letters, names, strict=True):
        number = 2
        while name is None:
            candidate = f"{path.stem}-{number}{suffix}"
            if candidate.casefold() not in taken:
                name = candidate
                taken.add(candidate.casefold())
            number += 1
        chosen.append(name)
    return chosen


def volume_html(files: list[Path]) -> str:
    """One print HTML for several letters, with a table of contents (``--combine``)."""
    sheet = XSLT / "letter-print.xsl"
    page = html.document_fromstring(transform(files[0], sheet))
    body = page.body
    for child in list(body):
        body.remove(child)
    toc = etree.SubElement(body, "nav", {"class": "toc"})
    etree.SubElement(toc, "h1").text = "Contents"
    items = etree.SubElement(toc, "ol")
    for path in files:
        article = html.document_fromstring(transform(path, sheet)).body.find("article")
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
    executor: Executor | None = None,
    engine: str | None = None,
) -> RenderReport:
    """Render every TEI letter under ``paths`` as ``target`` (html or pdf) into ``outdir``.

    ``xslt`` replaces the bundled stylesheet (XSLT 1.0 through lxml, 2.0/3.0 through
    Saxon-HE); ``combine`` makes one PDF volume with a table of contents. ``executor``
    renders the letters (default: ``jobs`` processes on this machine). ``engine`` typesets
    the PDF: ``typst`` (the default for the bundled stylesheet) or ``weasyprint`` (the
    default for one's own, whose CSS it reads).
    """
    if target not in ("html", "pdf"):
        raise RenderError(f"unknown target {target!r} (html or pdf)")
    engine = engine or ("weasyprint" if xslt else "typst")
    if engine not in ENGINES:
        raise RenderError(f"unknown PDF engine {engine!r} ({' or '.join(ENGINES)})")
    found = collect(paths, ".xml", skip=outdir)
    files = found.files
    letters = [f for f in files if f.name != REGISTER_FILE]
    report = RenderReport(
        target, outdir, errors=[*found.problems], warnings=[str(w) for w in found.warnings]
    )
    default = "letter-html.xsl" if target == "html" else "letter-print.xsl"
    sheet = xslt or XSLT / default
    _xslt_version(sheet)  # a stylesheet that is not XML: one line, before any work
    outdir.mkdir(parents=True, exist_ok=True)
    if target == "pdf" and combine:
        data, refused = pdf_from_html(volume_html(letters).encode(), engine)
        write_atomic(outdir / "volume.pdf", data)
        report.written.append(outdir / "volume.pdf")
        report.warnings.extend(refused_warnings(outdir / "volume.pdf", refused))
        return report
    executor = executor or LocalExecutor(jobs)
    setup: Setup = (target, sheet, dict(params or {}), engine)
    done = executor.map_files(_render_one, iter(letters), setup, failed=_not_rendered)
    results = progress.track(done, len(letters), f"rendering {target}")
    names = output_names(letters, f".{target}", INDEX_PAGES if target == "html" else ())
    titles = []
    for (_, (path, title, outcome, warnings)), name in zip(results, names, strict=True):
        report.warnings.extend(warnings)
        if isinstance(outcome, RenderError):
            report.errors.append(outcome)
            continue
        if name != f"{path.stem}.{target}":
            taken = f"{path.stem}.{target}"
            report.warnings.append(f"{path}: written as {name} ({taken} is another page's name)")
        written = outdir / name
        write_atomic(written, outcome)
        report.written.append(written)
        titles.append({"href": safehtml.file_url(name), "title": title})
    if target == "html":
        register = next((f for f in files if f.name == REGISTER_FILE), None)
        if register is not None:
            try:
                page = transform(register, XSLT / "register-html.xsl")
            except RenderError as error:  # the letters' index is still made, without it
                report.errors.append(error)
                register = None
            else:
                write_atomic(outdir / "register.html", page)
                report.written.append(outdir / "register.html")
        index = outdir / "index.html"
        write_atomic(index, INDEX.render(letters=titles, register=register is not None).encode())
        report.written.append(index)
        write_atomic(outdir / "letter.css", (XSLT / "css" / "letter.css").read_bytes())
    return report

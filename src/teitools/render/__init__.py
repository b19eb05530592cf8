"""Render TEI letters through the XSLT in ``xslt/``: HTML pages, and PDF through WeasyPrint.

The stylesheets are XSLT 1.0 and run in lxml here (and in plain xsltproc). Transforms run
with every file and network access denied: a document cannot make a stylesheet read or
write anything it was not given.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, select_autoescape
from lxml import etree

from teitools.errors import TeitoolsError
from teitools.fsio import write_atomic
from teitools.registers import REGISTER_FILE

XSLT_DIR = Path(__file__).resolve().parents[3] / "xslt"
TEI = "{http://www.tei-c.org/ns/1.0}"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
DENY_ALL = etree.XSLTAccessControl.DENY_ALL

INDEX = Environment(autoescape=select_autoescape(default=True)).from_string(
    (XSLT_DIR / "index.html.j2").read_text(encoding="utf-8")
)


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


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@cache
def stylesheet(path: Path) -> etree.XSLT:
    """A compiled stylesheet that may read and write nothing at transform time."""
    try:
        return etree.XSLT(etree.parse(str(path), _parser()), access_control=DENY_ALL)
    except (OSError, etree.XMLSyntaxError, etree.XSLTParseError) as error:
        raise RenderError(f"cannot load stylesheet: {error}", path) from None


def transform(source: Path, sheet: Path, **params: str) -> bytes:
    """Run ``sheet`` on ``source``; a refused file access is a one-line error."""
    try:
        document = etree.parse(str(source), _parser())
    except (OSError, etree.XMLSyntaxError) as error:
        raise RenderError(f"not a readable TEI file: {error}", source) from None
    xslt = stylesheet(sheet)
    try:
        result = xslt(document, **{k: etree.XSLT.strparam(v) for k, v in params.items()})
    except etree.XSLTApplyError as error:
        raise RenderError(f"refused or failed in {sheet.name}: {error}", source) from None
    if result.getroot() is None:
        raise RenderError(f"{sheet.name} produced nothing", source)
    return bytes(result)


def collect(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.xml")) if path.is_dir() else [path])
    return files


def _title(path: Path) -> str:
    root = etree.parse(str(path), _parser()).getroot()
    return str(root.findtext(".//t:titleStmt/t:title", default=path.stem, namespaces=NS))


def render_html(files: list[Path], outdir: Path, report: RenderReport) -> None:
    letters = []
    register = None
    for path in files:
        if path.name == REGISTER_FILE:
            register = path
            continue
        try:
            html = transform(path, XSLT_DIR / "letter-html.xsl")
        except RenderError as error:
            report.errors.append(error)
            continue
        target = outdir / f"{path.stem}.html"
        write_atomic(target, html)
        report.written.append(target)
        letters.append({"href": target.name, "title": _title(path)})
    if register is not None:
        target = outdir / "register.html"
        write_atomic(target, transform(register, XSLT_DIR / "register-html.xsl"))
        report.written.append(target)
    index = outdir / "index.html"
    write_atomic(index, INDEX.render(letters=letters, register=register is not None).encode())
    report.written.append(index)
    shutil.copyfile(XSLT_DIR / "css" / "letter.css", outdir / "letter.css")


def render_pdf(files: list[Path], outdir: Path, report: RenderReport) -> None:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDF needs it

    css = XSLT_DIR / "css"
    for path in files:
        if path.name == REGISTER_FILE:
            continue
        try:
            html = transform(path, XSLT_DIR / "letter-print.xsl")
            document = HTML(string=html.decode("utf-8"), base_url=str(css) + "/")
            target = outdir / f"{path.stem}.pdf"
            outdir.mkdir(parents=True, exist_ok=True)
            write_atomic(target, document.write_pdf())
            report.written.append(target)
        except RenderError as error:
            report.errors.append(error)


def render_paths(
    paths: Sequence[Path], target: str, outdir: Path, jobs: int | None = None
) -> RenderReport:
    """Render every TEI letter under ``paths`` as ``target`` (html or pdf) into ``outdir``."""
    files = collect(paths)
    report = RenderReport(target, outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if target == "html":
        render_html(files, outdir, report)
    elif target == "pdf":
        render_pdf(files, outdir, report)
    else:
        raise RenderError(f"unknown target {target!r} (html or pdf)")
    return report

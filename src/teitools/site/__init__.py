"""The edition as a static website: ``teitools site ENCODED_DIR -o SITE_DIR``.

TEI letters and ``register.xml`` → :mod:`~teitools.site.corpus` (records and their links) →
pages: letters through the web XSLT (:mod:`~teitools.site.letterpage`), everything else
through Jinja2 (:mod:`~teitools.site.pages`), the timeline as SVG
(:mod:`~teitools.site.timeline`), full-text search by Pagefind (:mod:`~teitools.site.search`).

The site works from the file system and from any static host: every link is relative and
names its file. A manifest (``.teitools-site.json``, :mod:`~teitools.site.output`) records
each file a build wrote, its checksum and what it was made from, so ``incremental``
re-renders only letters whose TEI or neighbours changed, and files a rebuild no longer
makes (a deleted letter) are removed; a file teitools did not write is never replaced or
removed (unless ``force``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from lxml import etree

from teitools import progress, safehtml, safexml
from teitools.cmif import CmifError, CmifHeader, cmif_header, cmif_pieces, letters_facts
from teitools.collate.files import is_collation_path
from teitools.errors import TeitoolsError
from teitools.execution import Executor, LocalExecutor
from teitools.inputs import FileTable, collect
from teitools.registers import REGISTER_FILE
from teitools.render import PDF_TIME_LIMIT
from teitools.render.edition import register_files
from teitools.resources import XSLT, fingerprint
from teitools.scratch import scratch
from teitools.site import pages, search
from teitools.site.archive import tei_zip
from teitools.site.config import SiteConfig
from teitools.site.corpus import Corpus, read_corpus
from teitools.site.letterpage import PageJob, PageResult, build_letter, not_built
from teitools.site.output import MANIFEST, SiteOutput, read_manifest
from teitools.site.versionpages import version_pages

__all__ = ["MANIFEST", "SiteReport", "build_site"]

ASSETS = {
    "letter.css": XSLT / "css" / "letter.css",
    "tei.css": XSLT / "css" / "tei.css",
    "site.css": XSLT / "site" / "site.css",
    "list.js": XSLT / "site" / "list.js",
    "versions.css": XSLT / "css" / "versions.css",
}


@dataclass
class SiteReport:
    outdir: Path
    letters: int = 0
    rendered: int = 0  # letter pages made in this run (the rest were up to date)
    written: int = 0  # files written, of every kind
    removed: int = 0
    errors: list[TeitoolsError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # problems the build worked around
    notes: list[str] = field(default_factory=list)  # for -v
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        split = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())
        text = (
            f"site of {self.letters} letters in {self.outdir}/: {self.rendered} letter pages "
            f"rendered, {self.letters - self.rendered} unchanged; {self.written} files written"
        )
        text += f", {self.removed} removed" if self.removed else ""
        text += f"; {len(self.errors)} failed" if self.errors else ""
        return f"{text} ({split})" if split else text


def _cmif_header(config: SiteConfig, corpus: Corpus, report: SiteReport) -> CmifHeader | None:
    """The CMIF header from the settings and the letters' own headers; without one (the
    edition gives no editor, say), the site has no CMIF, and a note says what is missing."""
    settings = {**config.cmif_settings(), "url": config.base or "./"}
    letters = letters_facts(corpus.letters.paths())
    try:
        return cmif_header(settings, letters, f"{config.base}letters/", options=False)
    except CmifError as error:
        report.notes.append(f"no CMIF files: {error.message}")
        return None


def _jobs(
    corpus: Corpus, config: SiteConfig, pdf: bool, cmif: CmifHeader | None, seconds: float | None
) -> Iterator[tuple[PageJob, str]]:
    """One job per letter, with the key its outputs were made from, made as it is asked for."""
    site_nav = pages.render("nav.html.j2", config, corpus, "../", current="letters").decode()
    for source, letter in corpus.letters.with_paths():
        job = PageJob(
            source=source,
            title=letter.title,
            links=letter.links,
            site_nav=site_nav,
            letter_nav=pages.letter_nav(corpus, letter, config, pdf),
            letter_nav_no_pdf=pages.letter_nav(corpus, letter, config, False),
            head=pages.letter_head(letter, config),
            sort_key=letter.sort_key,
            cmif=cmif,
            pdf=pdf,
            register=bool(corpus.entries),
            pdf_time_limit=seconds,
        )
        made_from = [letter.digest, job.head, job.letter_nav, job.sort_key, repr(cmif), pdf]
        made_from += [site_nav, job.register, repr(job.links), job.title, fingerprint()]
        yield job, hashlib.sha256(json.dumps(made_from).encode()).hexdigest()


def build_site(
    encoded: Path,
    outdir: Path,
    config: SiteConfig | None = None,
    *,
    jobs: int | None = None,
    incremental: bool = False,
    pdf: bool = True,
    force: bool = False,
    executor: Executor | None = None,
    pdf_time_limit: float | None = PDF_TIME_LIMIT,
) -> SiteReport:
    """Build the static site for the TEI letters in ``encoded`` into ``outdir``.

    ``incremental`` keeps letter pages (and PDFs, CMIF records, the search index) whose
    inputs are unchanged since the last build; a full build makes them all again. A file in
    ``outdir`` that teitools did not write is left as it is and named in an error, unless
    ``force``. Whatever fails, the manifest records what was written. The letter pages
    are made by ``executor`` (default: ``jobs`` processes on this machine). A letter
    whose PDF cannot be made (or not in ``pdf_time_limit`` seconds of CPU time) is reported,
    and its page is built without a link to it.
    """
    config = config or SiteConfig()
    if not encoded.is_dir():
        raise TeitoolsError("not a folder of TEI letters", encoded)
    if outdir.resolve() == encoded.resolve():
        raise TeitoolsError("the site cannot be built into the folder of its letters", outdir)
    register = encoded / REGISTER_FILE
    listing = scratch()  # the files found, on disk
    inputs = FileTable(listing, _input_kind)
    found = collect([encoded], ".xml", skip=outdir, into=inputs)
    unfit = [*found.problems, *inputs.one_per_name()]  # a letter's page is named for its file
    collations = list(inputs.paths(COLLATION))  # teitools collate's, compared
    registers = [register] if register.exists() else []
    report = SiteReport(outdir, warnings=[str(w) for w in found.warnings])
    previous, ignored = read_manifest(outdir)
    report.warnings.extend(ignored)
    out = SiteOutput(outdir, previous, report, force)
    complete = False
    corpus: Corpus | None = None
    try:
        started = time.perf_counter()
        files = [*registers, *register_files(config.paths.registers)]
        outdir.mkdir(parents=True, exist_ok=True)
        corpus, report.errors[:] = read_corpus(inputs.paths(LETTER), files, outdir)
        report.errors[:0] = unfit
        config = replace(config, title=config.title or corpus.series)
        cmif = _cmif_header(config, corpus, report)
        config = replace(config, title=config.title or "Letters")
        corpus.cmif = cmif is not None
        report.letters = len(corpus.letters)
        for path, problems in corpus.problems():
            report.warnings.extend(f"{path}: {w}" for w in problems)
        run = executor or LocalExecutor(jobs)
        pdfs = (pdf, pdf_time_limit if pdf else None)
        _letter_pages(corpus, config, out, report, incremental, run, pdfs, cmif)
        report.timings["letter pages"] = time.perf_counter() - started

        started = time.perf_counter()
        _other_pages(corpus, config, out, report, cmif, collations, pdf)
        report.timings["other pages"] = time.perf_counter() - started
        if not config.url:
            report.notes.append(
                "no url set in teitools.toml or [tool.teitools]: sitemap.xml and cmif.xml "
                "use addresses relative to the site"
            )

        started = time.perf_counter()
        _search_index(out, incremental)
        report.timings["search index"] = time.perf_counter() - started
        complete = True
    finally:
        out.finish(complete)
        if corpus is not None:
            corpus.close()
        listing.close()
    return report


LETTER, REGISTER, COLLATION = "letter", "register", "collation"  # the kinds of input


def _input_kind(path: Path) -> str:
    if is_collation_path(path):
        return COLLATION
    return REGISTER if path.name == REGISTER_FILE else LETTER


def _letter_pages(
    corpus: Corpus,
    config: SiteConfig,
    out: SiteOutput,
    report: SiteReport,
    incremental: bool,
    executor: Executor,
    pdfs: tuple[bool, float | None],
    cmif: CmifHeader | None,
) -> None:
    """Each letter's page, CMIF record and PDF (``pdfs``: whether to make them, and their
    time limit), unless (``incremental``) an earlier build made them from the same key. A
    PDF that fails is reported; the letter's page is written without a link to it."""
    pdf, seconds = pdfs
    keys: dict[Path, str] = {}  # each job's key, until its result is back

    def jobs() -> Iterator[PageJob]:
        for job, key in _jobs(corpus, config, pdf, cmif, seconds):
            keys[job.source] = key
            yield job

    def kept(job: PageJob) -> PageResult | None:
        """An empty result if an earlier build made the letter's outputs from its key."""
        outputs = _letter_outputs(job.source.stem, pdf, cmif is not None)
        if not (incremental and all(out.up_to_date(n, keys[job.source]) for n in outputs)):
            return None
        for name in outputs:
            out.keep(name)
        return PageResult(job.source)

    built = executor.map_files(build_letter, jobs(), None, failed=not_built, known=kept)
    for _, result in progress.track(built, report.letters, "letter pages"):
        key = keys.pop(result.source)
        report.warnings.extend(result.warnings)
        if result.error is not None:
            report.errors.append(result.error)
            continue
        if result.page is None:  # kept
            continue
        stem = result.source.stem
        out.put(f"letters/{stem}.html", result.page, key)
        if result.cmif is not None:
            out.put(f"cmif/{stem}.xml", result.cmif, key)
        if result.pdf_error is not None:
            report.errors.append(result.pdf_error)
        if result.pdf is not None:
            out.put(f"pdf/{stem}.pdf", result.pdf, key)
        report.rendered += 1


def _other_pages(
    corpus: Corpus,
    config: SiteConfig,
    out: SiteOutput,
    report: SiteReport,
    cmif: CmifHeader | None,
    collations: list[Path],
    pdf: bool,
) -> None:
    """Overview and register pages, assets, the versions pages, TEI downloads, CMIF and the
    sitemap."""
    for name, data in pages.overview_pages(corpus, config).items():
        out.put(name, data)
    for name, data in pages.entry_pages(corpus, config):
        out.put(name, data)
    for name, source in ASSETS.items():
        out.put(name, source.read_bytes())
    for path, markup in chain(corpus.active(), map(_register_markup, corpus.registers)):
        if markup:
            report.warnings.append(
                f"{path}: not offered as tei/{path.name}: it holds {' and '.join(markup)} "
                "markup, which a browser opening it would run (it is in downloads/tei.zip)"
            )
            continue
        out.put(f"tei/{path.name}", path.read_bytes())
    _version_pages(corpus, config, collations, out, report, pdf)
    out.put("downloads/tei.zip", tei_zip(corpus.tei_files()))
    if cmif is not None:
        records = ((path, x.links) for path, x in corpus.by_path())
        out.put("cmif.xml", cmif_pieces(records, cmif))
    out.put("sitemap.xml", pages.sitemap((name for name, _ in out.made()), config))


def _register_markup(path: Path) -> tuple[Path, tuple[str, ...]]:
    """A register file and the markup in it a browser would run."""
    register = etree.parse(str(path), safexml.parser()).getroot()
    return path, tuple(safehtml.active_content(register))


def _version_pages(
    corpus: Corpus,
    config: SiteConfig,
    collations: list[Path],
    out: SiteOutput,
    report: SiteReport,
    pdf: bool,
) -> None:
    """The page (and PDF, and TEI) comparing the versions of each letter that has several."""
    site_nav = pages.render("nav.html.j2", config, corpus, "../", current="letters").decode()
    made, errors, warnings = version_pages(collations, site_nav, pdf)
    report.errors.extend(errors)
    report.warnings.extend(warnings)
    for name, data in made.items():
        out.put(name, data)


def _search_index(out: SiteOutput, incremental: bool) -> None:
    """The search index, made again unless (``incremental``) no letter page changed; if
    Pagefind fails, the earlier index stays."""
    pages = hashlib.sha256(b"[")  # of the JSON list of the letter pages' names and keys
    for number, (name, record) in enumerate(out.made(f"{search.LETTERS}/")):
        pages.update(f"{', ' if number else ''}{json.dumps([name, record.key])}".encode())
    pages.update(b"]")
    key = pages.hexdigest()
    earlier = f"{search.OUTPUT}/"  # where an earlier build's index is
    fresh = incremental and out.up_to_date(search.ENTRY, key)
    if fresh and all(map(out.ours, out.previous.names(earlier))):
        for name in out.previous.names(earlier):
            out.keep(name)
        return
    out.remove_stale(f"{search.LETTERS}/")  # a deleted letter's page is not indexed
    try:
        with search.index(out.outdir) as bundle:
            for name, path in bundle:  # made again whenever a letter changes: not synced
                out.put(name, path.read_bytes(), key if name == search.ENTRY else "", sync=False)
    except search.SearchIndexError as error:
        out.report.errors.append(error)
        for name in out.previous.names(earlier):
            out.keep(name)


def _letter_outputs(stem: str, pdf: bool, cmif: bool) -> list[str]:
    names = [f"letters/{stem}.html"] + ([f"cmif/{stem}.xml"] if cmif else [])
    return names + ([f"pdf/{stem}.pdf"] if pdf else [])

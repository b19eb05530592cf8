"""The edition as a static website: ``teitools site ENCODED_DIR -o SITE_DIR``.

TEI letters and ``register.xml`` → :mod:`~teitools.site.corpus` (records and their links) →
pages: letters through the web XSLT (:mod:`~teitools.site.letterpage`), everything else
through Jinja2 (:mod:`~teitools.site.pages`), the timeline as SVG
(:mod:`~teitools.site.timeline`), full-text search by Pagefind (:mod:`~teitools.site.search`).

The site works from the file system and from any static host: every link is relative and
names its file. A manifest (``.teitools-site.json``) records what each output was made
from, so ``incremental`` re-renders only letters whose TEI or neighbours changed, and files
a rebuild no longer makes (a deleted letter) are removed; nothing else in the folder is
touched.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from teitools import __version__
from teitools.cmif import CmifError, CmifHeader, cmif_header, letters_facts, to_cmif
from teitools.errors import TeitoolsError
from teitools.fsio import write_atomic
from teitools.registers import REGISTER_FILE
from teitools.render import PDF_TIME_LIMIT
from teitools.resources import XSLT, fingerprint
from teitools.site import pages, search
from teitools.site.config import SiteConfig
from teitools.site.corpus import Corpus, Letter, read_corpus
from teitools.site.letterpage import PageJob, build_letter
from teitools.workers import pool_map

MANIFEST = ".teitools-site.json"
ASSETS = {
    "letter.css": XSLT / "css" / "letter.css",
    "tei.css": XSLT / "css" / "tei.css",
    "site.css": XSLT / "site" / "site.css",
    "list.js": XSLT / "site" / "list.js",
}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the zip is the same for the same TEI


@dataclass
class SiteReport:
    outdir: Path
    letters: int = 0
    rendered: int = 0  # letter pages made in this run (the rest were up to date)
    written: int = 0  # files written, of every kind
    removed: int = 0
    errors: list[TeitoolsError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
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
    edition gives no editor, say), the site has no CMIF, and a warning says what is missing."""
    settings = {**config.cmif_settings(), "url": config.base or "./"}
    letters = letters_facts(corpus.paths[x.stem] for x in corpus.letters)
    try:
        return cmif_header(settings, letters, f"{config.base}letters/", options=False)
    except CmifError as error:
        report.warnings.append(f"no CMIF files: {error.message}")
        return None


class _Output:
    """The files of one build: written only when their bytes change, all recorded."""

    def __init__(self, outdir: Path, report: SiteReport):
        self.outdir, self.report = outdir, report
        self.files: dict[str, str] = {}  # path in the site → what it was made from

    def put(self, name: str, data: bytes, key: str | None = None) -> None:
        target = self.outdir / name
        self.files[name] = key or hashlib.sha256(data).hexdigest()
        if not target.exists() or target.read_bytes() != data:
            write_atomic(target, data)
            self.report.written += 1

    def keep(self, name: str, key: str) -> None:
        self.files[name] = key


def _jobs(
    corpus: Corpus, config: SiteConfig, pdf: bool, cmif: CmifHeader | None, seconds: float | None
) -> list[tuple[PageJob, str]]:
    """One job per letter, with the key its outputs were made from."""
    site_nav = pages.render("nav.html.j2", config, corpus, "../", current="letters").decode()
    jobs = []
    for letter in corpus.letters:
        job = PageJob(
            source=corpus.paths[letter.stem],
            title=letter.title,
            links=letter.links,
            site_nav=site_nav,
            letter_nav=pages.letter_nav(corpus, letter, config, pdf),
            letter_nav_no_pdf=pages.letter_nav(corpus, letter, config, False),
            head=pages.letter_head(letter, config),
            search_meta=_search_meta(letter),
            cmif=cmif,
            pdf=pdf,
            register=bool(corpus.entries),
            pdf_time_limit=seconds,
        )
        made_from = [letter.digest, job.head, job.letter_nav, job.search_meta, repr(cmif), pdf]
        made_from += [site_nav, job.register, repr(job.links), job.title, fingerprint()]
        jobs.append((job, hashlib.sha256(json.dumps(made_from).encode()).hexdigest()))
    return jobs


def _search_meta(letter: Letter) -> str:
    """What Pagefind records of a letter besides its text: its date, to sort results by.

    No ``data-pagefind-filter``: Pagefind writes its filter index in a different order on
    every run (Pagefind issue #638), and the site must be byte-identical for the same TEI.
    The list of letters filters by correspondent, place, status and year instead.
    """
    return f'<div class="search-meta" hidden data-pagefind-sort="date:{letter.sort_key}"></div>'


def _zip(files: Sequence[Path]) -> bytes:
    """All TEI as one zip, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files, key=lambda p: p.name):
            info = zipfile.ZipInfo(f"tei/{path.name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _load_manifest(outdir: Path) -> dict[str, str]:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def build_site(
    encoded: Path,
    outdir: Path,
    config: SiteConfig | None = None,
    *,
    jobs: int | None = None,
    incremental: bool = False,
    pdf: bool = True,
    pdf_time_limit: float | None = PDF_TIME_LIMIT,
) -> SiteReport:
    """Build the static site for the TEI letters in ``encoded`` into ``outdir``.

    ``incremental`` keeps letter pages (and PDFs, CMIF records, the search index) whose
    inputs are unchanged since the last build; a full build makes them all again. A letter
    whose PDF cannot be made (or not in ``pdf_time_limit`` seconds of CPU time) is reported,
    and its page is built without a link to it.
    """
    config = config or SiteConfig()
    if not encoded.is_dir():
        raise TeitoolsError("not a folder of TEI letters", encoded)
    if outdir.resolve() == encoded.resolve():
        raise TeitoolsError("the site cannot be built into the folder of its letters", outdir)
    register = encoded / REGISTER_FILE
    sources = sorted(p for p in encoded.glob("*.xml") if p.name != REGISTER_FILE)
    registers = [register] if register.exists() else []
    report = SiteReport(outdir)
    previous = _load_manifest(outdir)
    out = _Output(outdir, report)

    started = time.perf_counter()
    corpus, report.errors[:] = read_corpus(sources, [*registers, *config.registers])
    config = replace(config, title=config.title or corpus.series)
    cmif = _cmif_header(config, corpus, report)
    config = replace(config, title=config.title or "Letters")
    corpus.cmif = cmif is not None
    report.letters = len(corpus.letters)
    done_before = previous if incremental else {}
    pdf_seconds = pdf_time_limit if pdf else None
    _letter_pages(corpus, config, out, done_before, jobs, (pdf, pdf_seconds), cmif)
    report.timings["letter pages"] = time.perf_counter() - started

    started = time.perf_counter()
    _other_pages(corpus, config, out, cmif)
    report.timings["other pages"] = time.perf_counter() - started
    if not config.url:
        report.warnings.append(
            "no url set in teitools.toml or [tool.teitools]: sitemap.xml and cmif.xml "
            "use addresses relative to the site"
        )

    started = time.perf_counter()
    letter_keys = [(n, k) for n, k in sorted(out.files.items()) if n.startswith("letters/")]
    search_key = hashlib.sha256(json.dumps(letter_keys).encode()).hexdigest()
    out.keep(search.ENTRY, search_key)
    report.removed = _remove_stale(outdir, set(previous) - set(out.files))
    up_to_date = previous.get(search.ENTRY) == search_key and (outdir / search.ENTRY).exists()
    if not (incremental and up_to_date):
        search.index(outdir)
    report.timings["search index"] = time.perf_counter() - started

    manifest = {"teitools": __version__, "files": dict(sorted(out.files.items()))}
    write_atomic(outdir / MANIFEST, json.dumps(manifest, indent=1).encode() + b"\n")
    return report


def _letter_pages(
    corpus: Corpus,
    config: SiteConfig,
    out: _Output,
    previous: dict[str, str],
    jobs: int | None,
    pdfs: tuple[bool, float | None],
    cmif: CmifHeader | None,
) -> None:
    """Each letter's page, CMIF record and PDF (``pdfs``: whether to make them, and their
    time limit), unless ``previous`` shows them up to date. A PDF that fails is reported;
    the letter's page is written without a link to it."""
    pdf, seconds = pdfs
    todo = []
    for job, key in _jobs(corpus, config, pdf, cmif, seconds):
        outputs = _letter_outputs(job.source.stem, pdf, cmif is not None)
        if all(previous.get(n) == key and (out.outdir / n).exists() for n in outputs):
            for name in outputs:
                out.keep(name, key)
        else:
            todo.append((job, key))
    keys = {job.source: key for job, key in todo}
    for result in pool_map(build_letter, [job for job, _ in todo], jobs):
        if result.error is not None:
            out.report.errors.append(result.error)
            continue
        stem, key = result.source.stem, keys[result.source]
        assert result.page is not None
        out.put(f"letters/{stem}.html", result.page, key)
        if result.cmif is not None:
            out.put(f"cmif/{stem}.xml", result.cmif, key)
        if result.pdf_error is not None:
            out.report.errors.append(result.pdf_error)
        if result.pdf is not None:
            out.put(f"pdf/{stem}.pdf", result.pdf, key)
        out.report.rendered += 1


def _other_pages(
    corpus: Corpus, config: SiteConfig, out: _Output, cmif: CmifHeader | None
) -> None:
    """Overview and register pages, assets, TEI downloads, CMIF and the sitemap."""
    for name, data in pages.overview_pages(corpus, config).items():
        out.put(name, data)
    for name, data in pages.entry_pages(corpus, config).items():
        out.put(name, data)
    for name, source in ASSETS.items():
        out.put(name, source.read_bytes())
    letters = [corpus.paths[x.stem] for x in corpus.letters]
    tei_files = letters + corpus.registers
    for path in tei_files:
        out.put(f"tei/{path.name}", path.read_bytes())
    out.put("downloads/tei.zip", _zip(tei_files))
    if cmif is not None:
        records = [(corpus.paths[x.stem], x.links) for x in corpus.letters]
        out.put("cmif.xml", to_cmif(records, cmif))
    out.put("sitemap.xml", pages.sitemap(list(out.files), config))


def _remove_stale(outdir: Path, names: set[str]) -> int:
    """Remove files an earlier build made and this one does not; return how many."""
    removed = 0
    for name in sorted(names):
        stale = outdir / name
        if stale.is_file():
            stale.unlink()
            removed += 1
    return removed


def _letter_outputs(stem: str, pdf: bool, cmif: bool) -> list[str]:
    names = [f"letters/{stem}.html"] + ([f"cmif/{stem}.xml"] if cmif else [])
    return names + ([f"pdf/{stem}.pdf"] if pdf else [])

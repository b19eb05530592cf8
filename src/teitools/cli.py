"""The ``teitools`` command line: I/O at the edge of the pipeline.

Exit codes: 0 success, 1 the work found problems (invalid documents, failed letters),
2 usage or I/O error. Errors are one line naming the file; ``-v`` adds the traceback.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from teitools import __version__, progress
from teitools.config import Config, load_config
from teitools.errors import TeitoolsError, one_line
from teitools.execution import EXECUTORS, Executor, make_executor

if TYPE_CHECKING:
    from teitools.update import Outcome

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Console:
    """Where messages go: results to stdout, problems to stderr, one line each; and the
    edition's settings (read when a command first asks for them)."""

    def __init__(self, verbose: int = 0, quiet: bool = False, config_file: Path | None = None):
        self.verbose = verbose
        self.quiet = quiet
        self.config_file = config_file
        self._config: Config | None = None

    def config(self) -> Config:
        """The edition's settings: ``--config FILE``, else teitools.toml or pyproject.toml."""
        if self._config is None:
            self._config = load_config(self.config_file)
        return self._config

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message)

    def detail(self, message: str) -> None:
        if self.verbose and not self.quiet:
            click.echo(message, err=True)

    def warn(self, message: str) -> None:
        click.echo(f"teitools: warning: {one_line(message)}", err=True)

    def problem(self, error: BaseException) -> None:
        click.echo(f"teitools: error: {one_line(str(error))}", err=True)
        if self.verbose and not isinstance(error, TeitoolsError):
            traceback.print_exception(error)


def edited_files(console: Console, outcomes: Sequence[Outcome]) -> None:
    """What became of each file a person edited: merged, kept (a line), or kept with a
    conflict (a warning); with what a new run would change."""
    for outcome in outcomes:
        if outcome.status == "conflict":
            console.warn(outcome.line())
        else:
            console.info(outcome.line())
        for line in outcome.diff:
            console.info(f"    {line}")


def existing_paths(paths: Sequence[Path], default: Path) -> list[Path]:
    """The paths given, or ``default``; a one-line error names the first that does not exist."""
    chosen = list(paths) or [default]
    for path in chosen:
        if not path.exists():
            raise TeitoolsError("no such file or directory", path)
    return chosen


jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores).",
)


config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Edition settings (default: teitools.toml, or [tool.teitools] in pyproject.toml, "
    "here or in a folder above).",
)


def executor_options(command: Callable[..., int]) -> Callable[..., int]:
    """``--executor`` and ``--scheduler``: where the per-file work runs."""
    command = click.option(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="A Dask scheduler (tcp://HOST:8786) to run the work on; implies --executor dask.",
    )(command)
    return click.option(
        "--executor",
        type=click.Choice(EXECUTORS),
        default="local",
        show_default=True,
        help="Worker processes here, or a Dask cluster (pip install 'teitools[dask]'; "
        "without --scheduler, one of --jobs processes here).",
    )(command)


def executor_for(kind: str, scheduler: str | None, jobs: int | None) -> Executor:
    """The executor of this command line: one for all the stages of ``build``, closed when
    the command ends."""
    root = click.get_current_context().find_root()
    executors: dict[tuple[str, str | None, int | None], Executor] = root.meta.setdefault(
        "teitools.executors", {}
    )
    key = (kind, scheduler, jobs)
    if key not in executors:
        executors[key] = executor = make_executor(kind, scheduler, jobs)
        root.call_on_close(executor.close)
    return executors[key]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="teitools")
@click.option("-v", "--verbose", count=True, help="Say more; with an error, show its traceback.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@config_option
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool, config_file: Path | None) -> None:
    """Turn OCR'd letters into TEI P5, validate TEI, render it as HTML and PDF, and publish
    an edition's website.

    Every command reads the edition's settings (teitools.toml) in this folder or the
    nearest one above; its options override them.

    \b
    Start an edition of your own letters, and build it:
        teitools init my-edition
        cd my-edition        (put the letters, .txt, into letters/)
        teitools build
    """
    console = Console(verbose, quiet, config_file)
    ctx.obj = console
    terminal = sys.stderr.isatty()
    progress.show(terminal and not quiet)
    started = time.perf_counter()

    def took() -> None:
        if progress.stages() and (terminal or verbose) and not quiet:
            click.echo(f"teitools: {progress.summary(time.perf_counter() - started)}", err=True)

    ctx.call_on_close(took)


@cli.command()
@click.argument(
    "folder", required=False, type=click.Path(file_okay=False, path_type=Path), default=Path(".")
)
@click.pass_obj
def init(console: Console, folder: Path) -> int:
    """Make a new edition folder (default: this one): teitools.toml with every setting
    documented, letters/ for the raw letters, registers/ with a commented example,
    catalogue.csv with its header row, .gitignore, a GitHub Actions workflow and a
    pre-commit configuration. A file that exists is never overwritten.

    \b
    Example:
        teitools init my-edition
    """
    from teitools.template import init_edition

    report = init_edition(folder)
    for path in report.existing:
        console.problem(TeitoolsError("exists: not overwritten", path))
    for path in report.made:
        console.detail(f"made {path}")
    console.info(
        f"made {len(report.made)} files in {folder}/"
        + (f"; {len(report.existing)} existed and were left as they are" if report.existing else "")
    )
    if report.made:
        console.info(
            "next: put the letters (.txt) into letters/, fill in teitools.toml, run teitools build"
        )
    return EXIT_PROBLEMS if report.existing else EXIT_OK


force_option = click.option(
    "--force",
    is_flag=True,
    help="Replace TEI files with a new conversion even if a person edited them.",
)
merge_option = click.option(
    "--merge/--no-merge",
    default=True,
    show_default=True,
    help="Merge a new conversion into TEI files a person edited (else keep them and show "
    "what would change).",
)
rules_option = click.option(
    "--rules",
    "rules_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A YAML rules file that extends the bundled rules and the edition's (repeatable).",
)
catalogue_option = click.option(
    "--catalogue",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A CSV or YAML catalogue whose fields override what is inferred (default: the "
    "edition's, paths.catalogue in teitools.toml).",
)
registers_option = click.option(
    "--registers",
    "register_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A register: a folder of YAML or CSV files, or a TEI file with listPerson, "
    "listPlace, listOrg (repeatable; default: the edition's, paths.registers).",
)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the TEI files (default: encoded/, or paths.encoded).",
)
@force_option
@merge_option
@rules_option
@catalogue_option
@registers_option
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write each letter's facts, certainty and evidence (CSV or JSON) for review.",
)
@jobs_option
@executor_options
@click.pass_obj
def convert(
    console: Console,
    paths: tuple[Path, ...],
    outdir: Path | None,
    force: bool,
    merge: bool,
    rules_files: tuple[Path, ...],
    catalogue: Path | None,
    register_paths: tuple[Path, ...],
    report_file: Path | None,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Convert plain-text letters (files or folders of .txt) to TEI P5, one file per letter.

    With no PATH, converts the edition's letters (letters/, or paths.letters in
    teitools.toml), with its rules, registers and catalogue. A file holding several letters
    (a sent copy and a draft) gives one TEI file per letter. A TEI file that a person has
    edited since teitools wrote it is kept: a new conversion is merged into it element by
    element (or, with --no-merge, what it would change is shown). Each fact not found in a
    letter is reported; --report FILE lists every letter's facts for review, in the
    catalogue's columns, to be corrected and passed back as the catalogue.

    \b
    Example:
        teitools convert letters/ -o encoded/
    """
    from teitools.convert import convert_batch
    from teitools.edition import conversion

    config = console.config()
    inputs = existing_paths(paths, config.paths.letters)
    setup = conversion(
        config,
        rules=rules_files,
        registers=register_paths or None,
        catalogue=catalogue,
    )
    report = convert_batch(
        inputs,
        outdir or config.paths.encoded,
        force=force,
        merge=merge,
        executor=executor_for(executor, scheduler, jobs),
        **setup.options(),
    )
    for error in report.errors:
        console.problem(error)
    for warning in report.warnings:
        console.warn(warning)
    if not console.quiet:
        for notice in report.review.notices():
            console.warn(notice)
    edited_files(console, report.edited)
    if report_file is not None:
        from teitools.fsio import write_atomic
        from teitools.review import write_report

        try:
            write_atomic(report_file, write_report(report.review.rows(), report_file))
        except OSError as error:
            raise TeitoolsError(error.strerror or "cannot write", report_file) from None
        console.info(f"review report of {report.review.letters} letters in {report_file}")
    console.info(report.summary())
    return EXIT_PROBLEMS if report.errors else EXIT_OK


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit", "github", "sarif"]),
    default="text",
    show_default=True,
    help="Report for people (text) or for CI (json, junit, github annotations, sarif).",
)
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A schema (.rng, .rnc, .sch, .xsd) to check too; a grammar replaces tei_all.",
)
@click.option(
    "--profile",
    type=click.Choice(["letter"]),
    default=None,
    help="Apply the teitools letter profile to every file (default: to files that declare it).",
)
@click.option(
    "--across-files",
    is_flag=True,
    help="Also the rules across files: xml:ids unique in the corpus, pointers into register.xml.",
)
@click.option(
    "--max-size",
    type=click.FloatRange(min=0.001),
    default=50.0,
    show_default=True,
    help="Files larger than this many MB are refused unread.",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="The folder schemas and included files may be read from (default: the nearest "
    "folder above each file with .git, teitools.toml or pyproject.toml).",
)
@click.option("--xsd", is_flag=True, help="Also check against the XSD of tei_all (xmlschema).")
@click.option(
    "--tei-rules/--no-tei-rules",
    default=True,
    show_default=True,
    help="TEI's own Schematron rules (tei_all.sch, XPath 3.1 through Saxon-HE).",
)
@click.option(
    "--schematron-engine",
    type=click.Choice(["saxon", "python"]),
    default="saxon",
    show_default=True,
    help="What checks the Schematron a file names: Saxon-HE, or Python where every rule of "
    "the schema compiles to it (the same findings; without Saxon).",
)
@click.option(
    "--cache/--no-cache",
    "reuse",
    default=True,
    show_default=True,
    help="Reuse earlier results for files that have not changed (nor their schemas).",
)
@jobs_option
@executor_options
@click.pass_obj
def validate(
    console: Console,
    paths: tuple[Path, ...],
    fmt: str,
    schemas: tuple[Path, ...],
    xsd: bool,
    tei_rules: bool,
    schematron_engine: str,
    profile: str | None,
    across_files: bool,
    max_size: float,
    project: Path | None,
    reuse: bool,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Validate TEI files (or folders of .xml): well-formed, the schemas each file names in
    <?xml-model?> (else TEI P5 tei_all), TEI's own Schematron rules; the letter profile
    where a file declares it.

    With no PATH, validates the edition's TEI (encoded/, or paths.encoded in teitools.toml).
    Exit code 0 if every file is valid, 1 if any is not.

    \b
    Example:
        teitools validate encoded/ --format junit > report.xml
    """
    from teitools.validate import validate_paths

    inputs = existing_paths(paths, console.config().paths.encoded)
    report = validate_paths(
        inputs,
        executor=executor_for(executor, scheduler, jobs),
        fmt=fmt,
        schemas=schemas,
        xsd=xsd,
        tei_rules=tei_rules,
        reuse=reuse,
        profile=profile,
        across_files=across_files,
        max_size=int(max_size * 1_000_000),
        project=project,
        schematron_engine=schematron_engine,
    )
    for chunk in report.chunks():
        click.echo(chunk, nl=False)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--to",
    "target",
    type=click.Choice(["html", "pdf"]),
    default="html",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/html or build/pdf; build/ is paths.build).",
)
@click.option(
    "--xslt",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Your own stylesheet (XSLT 1.0 through lxml; 2.0/3.0 through Saxon-HE).",
)
@click.option("--combine", is_flag=True, help="With --to pdf: one volume with a table of contents.")
@click.option(
    "--pdf-engine",
    type=click.Choice(["typst", "weasyprint"]),
    default=None,
    help="What typesets the PDF (default: Typst; WeasyPrint, which reads the CSS, with --xslt).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A stylesheet parameter, e.g. --param view=diplomatic (repeatable).",
)
@registers_option
@jobs_option
@executor_options
@click.pass_obj
def render(
    console: Console,
    paths: tuple[Path, ...],
    target: str,
    outdir: Path | None,
    xslt: Path | None,
    combine: bool,
    pdf_engine: str | None,
    params: tuple[str, ...],
    register_paths: tuple[Path, ...],
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Render TEI letters as web pages (HTML) or print (PDF) through the XSLT in xslt/.

    With no PATH, renders the edition's TEI (encoded/, or paths.encoded in teitools.toml).

    \b
    Example:
        teitools render encoded/ --to html -o build/html
    """
    from teitools.render import render_paths
    from teitools.render.edition import register_files

    config = console.config()
    inputs = existing_paths(paths, config.paths.encoded)
    pairs = [p.partition("=") for p in params]
    if any(not name or not sep for name, sep, _ in pairs):
        raise click.BadParameter("use NAME=VALUE", param_hint="--param")
    report = render_paths(
        inputs,
        target,
        outdir or config.paths.build / target,
        executor=executor_for(executor, scheduler, jobs),
        xslt=xslt,
        combine=combine,
        engine=pdf_engine,
        params={name: value for name, _, value in pairs},
        registers=register_files(register_paths or config.paths.registers),
    )
    for warning in report.warnings:
        console.warn(warning)
    for error in report.errors:
        console.problem(error)
    console.info(report.summary())
    return EXIT_PROBLEMS if report.errors else EXIT_OK


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The CMIF file to write (default: build/cmif.xml; build/ is paths.build).",
)
@click.option("--title", default=None, help="Title of the index of letters (default: title).")
@click.option("--editor", default=None, help="Contact person for the index (default: editors).")
@click.option("--email", default=None, help="The editor's e-mail address (default: email).")
@click.option(
    "--url",
    default=None,
    help="Where the edition is published, or its CMIF file (…/cmif.xml; default: url).",
)
@click.option(
    "--edition-url",
    default=None,
    help="URL of the letters' pages (NAME.html there; default: url + letters/).",
)
@click.option("--date", default=None, help="Publication date of the index (YYYY-MM-DD).")
@click.option("--publisher", default=None, help="Publisher of the index.")
@registers_option
@config_option
@click.pass_obj
def cmif(
    console: Console,
    paths: tuple[Path, ...],
    output: Path | None,
    title: str | None,
    editor: str | None,
    email: str | None,
    url: str | None,
    edition_url: str | None,
    date: str | None,
    publisher: str | None,
    register_paths: tuple[Path, ...],
    config_file: Path | None,
) -> int:
    """Write one CMIF file (correspSearch) with the correspDesc of every TEI letter.

    With no PATH, reads the edition's TEI (encoded/, or paths.encoded). The header's title,
    editor, e-mail, addresses and date come from teitools.toml unless given here (the date
    and publisher else from the letters' headers); what neither gives is an error, not
    invented. The file is checked against the CMIF rules; any breach is reported and the
    exit code is 1.

    \b
    Example:
        teitools cmif encoded/ -o build/cmif.xml --url https://example.org/letters/
    """
    from teitools.cmif import cmif_header, letters_facts, write_cmif
    from teitools.collate.files import is_collation_path
    from teitools.inputs import LEFT_OUT, FileTable, collect
    from teitools.registers import REGISTER_FILE
    from teitools.render.edition import Edition, read_register_file, register_files
    from teitools.safehtml import file_url
    from teitools.scratch import scratch

    config = load_config(config_file) if config_file else console.config()
    output = output or config.paths.build / "cmif.xml"
    target = output.resolve()

    def kind(path: Path) -> str:
        if path.resolve() == target:
            return LEFT_OUT
        if path.name == REGISTER_FILE:
            return "register"
        return "collation" if is_collation_path(path) else "letter"

    listing = scratch()  # the files found, on disk
    try:
        inputs = FileTable(listing, kind)
        found = collect(existing_paths(paths, config.paths.encoded), ".xml", into=inputs)
        for warning in found.warnings:
            console.warn(str(warning))
        for unreadable in found.problems:
            console.problem(unreadable)
        chosen = {"title": title, "editor": editor, "email": email, "url": url}
        chosen |= {"date": date, "publisher": publisher}
        settings = {**config.cmif_settings(), **{k: v for k, v in chosen.items() if v}}
        header = cmif_header(settings, letters_facts(inputs.paths("letter")), edition_url or "")
        files = [
            *inputs.paths("register"),
            *register_files(register_paths or config.paths.registers),
        ]
        output.parent.mkdir(parents=True, exist_ok=True)
        registers = (read_register_file(f) for f in files)
        with Edition(output.parent) as edition:
            unread = edition.read(inputs.paths("letter"), registers)
            links = (
                (s.path, edition.links(s, lambda stem: f"{file_url(stem)}.html"))
                for s in edition.sources()
            )
            problems, written = write_cmif(output, links, header)
    finally:
        listing.close()
    for error in unread:
        console.problem(error)
    for problem in problems:
        console.problem(TeitoolsError(problem, output))
    console.info(f"wrote {written} letters to {output}")
    return EXIT_PROBLEMS if problems or unread or found.problems else EXIT_OK


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the letters and their collations (default: the letters' own folder).",
)
@click.option("--force", is_flag=True, help="Rewrite files even if a person edited them.")
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A YAML file of the shape of the bundled data/collation.yaml.",
)
@jobs_option
@executor_options
@click.pass_obj
def collate(
    console: Console,
    paths: tuple[Path, ...],
    outdir: Path | None,
    force: bool,
    settings_file: Path | None,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Collate the versions of each letter (drafts, sent copies, transcriptions).

    Finds the TEI letters (files or folders of .xml, subfolders too) that are versions of
    one letter, aligns them word by word and writes one TEI collation per letter (parallel
    segmentation) into collations/ in the output folder; each version's header names the
    others and the collation, and takes the corrections of OCR damage another version
    supports. With no PATH, collates the edition's TEI (encoded/, or paths.encoded in
    teitools.toml) in place. A letter a person has edited since teitools wrote it is merged
    with what the collation writes into it, or kept; never overwritten without --force.

    \b
    Example:
        teitools collate encoded/
    """
    from teitools.collate import collate_paths
    from teitools.collate.settings import load_settings

    inputs = existing_paths(paths, console.config().paths.encoded)
    settings = load_settings(settings_file)
    run = executor_for(executor, scheduler, jobs)
    publication = console.config().publication()
    report = collate_paths(
        inputs, outdir, force=force, settings=settings, executor=run, publication=publication
    )
    for error in report.errors:
        console.problem(error)
    for warning in report.warnings:
        console.warn(warning)
    edited_files(console, report.edited)
    console.info(report.summary())
    return EXIT_PROBLEMS if report.errors else EXIT_OK


@cli.command()
@click.argument(
    "encoded", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the site (default: build/site; build/ is paths.build).",
)
@config_option
@registers_option
@click.option("--incremental", is_flag=True, help="Re-render only letters whose TEI changed.")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="A PDF of every letter.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace files in the output folder that teitools did not write (or that changed).",
)
@jobs_option
@executor_options
@click.pass_obj
def site(
    console: Console,
    encoded: Path | None,
    outdir: Path | None,
    config_file: Path | None,
    register_paths: tuple[Path, ...],
    incremental: bool,
    pdf: bool,
    force: bool,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Build a static website of a corpus: letters, list, timeline, registers, search.

    ENCODED is a folder of TEI letters and its register.xml (default: encoded/, or
    paths.encoded in teitools.toml); TEI files among the registers (paths.registers, or
    --registers) and the lists inside the letters add to the register. The title,
    description and address come from the edition's settings (--config here as before the
    command). The site
    opens from the file system or any static host; search needs it served over HTTP, e.g.
    python3 -m http.server -d build/site. A file in the output folder that teitools did
    not write is never replaced or removed: the build names it and exits 1 (--force
    replaces it).

    \b
    Example:
        teitools site encoded/ -o build/site --incremental
    """
    from dataclasses import replace

    from teitools.site import build_site

    config = load_config(config_file) if config_file else console.config()
    if register_paths:
        config = replace(config, paths=replace(config.paths, registers=register_paths))
    folder = existing_paths([encoded] if encoded else [], config.paths.encoded)[0]
    outdir = outdir or config.paths.build / "site"
    run = executor_for(executor, scheduler, jobs)
    report = build_site(
        folder, outdir, config, incremental=incremental, pdf=pdf, force=force, executor=run
    )
    for warning in report.warnings:
        console.warn(warning)
    for error in report.errors:
        console.problem(error)
    for note in report.notes:
        console.detail(f"teitools: note: {note}")
    console.info(report.summary())
    return EXIT_PROBLEMS if report.errors else EXIT_OK


@cli.command()
@force_option
@merge_option
@rules_option
@catalogue_option
@registers_option
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="A PDF of every letter.")
@jobs_option
@executor_options
@click.pass_context
def build(
    ctx: click.Context,
    force: bool,
    merge: bool,
    rules_files: tuple[Path, ...],
    catalogue: Path | None,
    register_paths: tuple[Path, ...],
    pdf: bool,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Run the whole pipeline on the edition (the folders teitools.toml names; without one,
    letters/, encoded/ and build/ here).

    Converts letters/ into encoded/ with the edition's rules, registers and catalogue
    (letters a person edited are merged with the new conversion, or kept), collates the
    versions of each letter into encoded/collations/, validates encoded/, renders it into
    build/html and build/pdf, and builds the edition's website in build/site. Stops at the
    first stage that fails.

    \b
    Example:
        teitools build
    """
    # ctx.invoke fills in every option's default: a stage names only what it changes
    converting = {"force": force, "merge": merge, "rules_files": rules_files}
    converting |= {"catalogue": catalogue, "register_paths": register_paths}
    stages: list[tuple[click.Command, dict[str, object]]] = [
        (convert, converting),
        (collate, {"force": force}),
        (validate, {"across_files": True}),
        (render, {"target": "html", "register_paths": register_paths}),
        (render, {"target": "pdf", "register_paths": register_paths}),
        (site, {"incremental": True, "pdf": pdf, "register_paths": register_paths}),
    ]
    if not pdf:
        stages.remove(stages[4])  # render --to pdf
    for command, params in stages:
        code = ctx.invoke(command, jobs=jobs, executor=executor, scheduler=scheduler, **params)
        if code:
            return int(code)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: run the CLI and exit with its code."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = any(a == "--verbose" or (a.startswith("-v") and set(a[1:]) == {"v"}) for a in args)
    try:
        code = cli.main(args=args, prog_name="teitools", standalone_mode=False)
    except click.exceptions.Exit as stop:
        code = stop.exit_code
    except click.ClickException as error:
        error.show()
        code = EXIT_USAGE
    except click.Abort:
        click.echo("teitools: aborted", err=True)
        code = EXIT_USAGE
    except (TeitoolsError, OSError) as error:
        if verbose:
            traceback.print_exception(error)
        click.echo(f"teitools: error: {one_line(str(error))}", err=True)
        code = EXIT_USAGE
    sys.exit(code if isinstance(code, int) else EXIT_OK)

"""The ``teitools`` command line: I/O at the edge of the pipeline.

Exit codes: 0 success, 1 the work found problems (invalid documents, failed letters),
2 usage or I/O error. Errors are one line naming the file; ``-v`` adds the traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from teitools import __version__
from teitools.errors import TeitoolsError, one_line
from teitools.execution import EXECUTORS, Executor, make_executor

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

DEFAULT_LETTERS = Path("letters")
DEFAULT_ENCODED = Path("encoded")
DEFAULT_BUILD = Path("build")


class Console:
    """Where messages go: results to stdout, problems to stderr, one line each."""

    def __init__(self, verbose: int = 0, quiet: bool = False):
        self.verbose = verbose
        self.quiet = quiet

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
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Turn OCR'd letters into TEI P5, validate TEI, render it as HTML and PDF.

    \b
    Run the whole pipeline on the bundled letters:
        teitools build
    """
    ctx.obj = Console(verbose, quiet)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_ENCODED,
    show_default=True,
    help="Folder for the TEI files.",
)
@click.option("--force", is_flag=True, help="Overwrite TEI files even if a person edited them.")
@click.option(
    "--rules",
    "rules_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A YAML rules file that extends the bundled rules (repeatable).",
)
@click.option(
    "--catalogue",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A CSV or YAML catalogue whose fields override what is inferred.",
)
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
    outdir: Path,
    force: bool,
    rules_files: tuple[Path, ...],
    catalogue: Path | None,
    report_file: Path | None,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Convert plain-text letters (files or folders of .txt) to TEI P5, one file per letter.

    With no PATH, converts the bundled letters/ folder. A file holding several letters
    (a sent copy and a draft) gives one TEI file per letter. A TEI file that a person has
    edited since teitools wrote it is never overwritten without --force. Each fact not
    found in a letter is reported; --report FILE lists every letter's facts for review,
    in the catalogue's columns, to be corrected and passed back as --catalogue.

    \b
    Example:
        teitools convert letters/ -o encoded/
    """
    from teitools.catalogue import load_catalogue
    from teitools.convert import convert_batch, load_rules

    inputs = existing_paths(paths, DEFAULT_LETTERS)
    rules = load_rules(rules_files)
    rows = load_catalogue(catalogue) if catalogue else None
    report = convert_batch(
        inputs,
        outdir,
        rules=rules,
        force=force,
        catalogue=rows,
        executor=executor_for(executor, scheduler, jobs),
    )
    for error in report.errors:
        console.problem(error)
    for warning in report.warnings:
        console.warn(warning)
    if not console.quiet:
        for notice in report.notices:
            console.warn(notice)
    if report_file is not None:
        from teitools.fsio import write_atomic
        from teitools.review import write_report

        try:
            write_atomic(report_file, write_report(report.rows, report_file))
        except OSError as error:
            raise TeitoolsError(error.strerror or "cannot write", report_file) from None
        console.info(f"review report of {len(report.rows)} letters in {report_file}")
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

    With no PATH, validates the encoded/ folder. Exit code 0 if every file is valid, 1 if
    any is not.

    \b
    Example:
        teitools validate encoded/ --format junit > report.xml
    """
    from teitools.validate import validate_paths

    inputs = existing_paths(paths, DEFAULT_ENCODED)
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
    )
    for line in report.lines():
        click.echo(line)
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
    help="Output folder (default: build/html or build/pdf).",
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
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Render TEI letters as web pages (HTML) or print (PDF) through the XSLT in xslt/.

    With no PATH, renders the encoded/ folder.

    \b
    Example:
        teitools render encoded/ --to html -o build/html
    """
    from teitools.render import render_paths

    inputs = existing_paths(paths, DEFAULT_ENCODED)
    pairs = [p.partition("=") for p in params]
    if any(not name or not sep for name, sep, _ in pairs):
        raise click.BadParameter("use NAME=VALUE", param_hint="--param")
    report = render_paths(
        inputs,
        target,
        outdir or DEFAULT_BUILD / target,
        executor=executor_for(executor, scheduler, jobs),
        xslt=xslt,
        combine=combine,
        engine=pdf_engine,
        params={name: value for name, _, value in pairs},
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
    default=DEFAULT_BUILD / "cmif.xml",
    show_default=True,
    help="The CMIF file to write.",
)
@click.option("--title", default=None, help="Title of the index of letters.")
@click.option("--editor", default=None, help="Contact person for the index.")
@click.option("--email", default=None, help="The editor's e-mail address.")
@click.option("--url", default=None, help="URL where the CMIF file will be published.")
@click.option(
    "--edition-url", default=None, help="URL of the edition (letter pages are NAME.html)."
)
@click.pass_obj
def cmif(
    console: Console,
    paths: tuple[Path, ...],
    output: Path,
    title: str | None,
    editor: str | None,
    email: str | None,
    url: str | None,
    edition_url: str | None,
) -> int:
    """Write one CMIF file (correspSearch) with the correspDesc of every TEI letter.

    With no PATH, reads the encoded/ folder. The file is checked against the CMIF rules;
    any breach is reported and the exit code is 1.

    \b
    Example:
        teitools cmif encoded/ -o build/cmif.xml
    """
    from dataclasses import replace

    from lxml import etree

    from teitools.cmif import Edition, cmif_problems, to_cmif
    from teitools.fsio import write_atomic
    from teitools.inputs import collect

    found = collect(existing_paths(paths, DEFAULT_ENCODED), ".xml")
    for warning in found.warnings:
        console.warn(str(warning))
    for unread in found.problems:
        console.problem(unread)
    inputs = [path for path in found.files if path.resolve() != output.resolve()]
    chosen = {"title": title, "editor": editor, "email": email, "url": url}
    chosen["edition_url"] = edition_url
    edition = replace(Edition(), **{k: v for k, v in chosen.items() if v})
    data = to_cmif(inputs, edition)
    problems = cmif_problems(etree.fromstring(data))
    write_atomic(output, data)
    for problem in problems:
        console.problem(TeitoolsError(problem, output))
    letters = data.count(b"<correspDesc ")
    console.info(f"wrote {letters} letters to {output}")
    return EXIT_PROBLEMS if problems or found.problems else EXIT_OK


@cli.command()
@click.argument(
    "encoded", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_BUILD / "site",
    show_default=True,
    help="Folder for the site.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Edition settings (default: teitools.toml, or [tool.teitools] in pyproject.toml).",
)
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
    outdir: Path,
    config_file: Path | None,
    incremental: bool,
    pdf: bool,
    force: bool,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
) -> int:
    """Build a static website of a corpus: letters, list, timeline, registers, search.

    ENCODED is a folder of TEI letters and its register.xml (default: encoded/). The site
    opens from the file system or any static host; search needs it served over HTTP, e.g.
    python3 -m http.server -d build/site. A file in the output folder that teitools did
    not write is never replaced or removed: the build names it and exits 1 (--force
    replaces it).

    \b
    Example:
        teitools site encoded/ -o build/site --incremental
    """
    from teitools.site import build_site
    from teitools.site.config import load_config

    folder = existing_paths([encoded] if encoded else [], DEFAULT_ENCODED)[0]
    config = load_config(config_file)
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
@click.option("--force", is_flag=True, help="Overwrite TEI files even if a person edited them.")
@jobs_option
@executor_options
@click.pass_context
def build(
    ctx: click.Context, force: bool, jobs: int | None, executor: str, scheduler: str | None
) -> int:
    """Run the whole pipeline on the bundled letters.

    Converts letters/ into encoded/, validates encoded/, renders it into build/html and
    build/pdf, and builds the edition's website in build/site. Stops at the first stage
    that fails.

    \b
    Example:
        teitools build
    """
    # ctx.invoke fills in every option's default: a stage names only what it changes
    stages: list[tuple[click.Command, dict[str, object]]] = [
        (convert, {"force": force}),
        (validate, {"across_files": True}),
        (render, {"target": "html"}),
        (render, {"target": "pdf"}),
        (site, {"incremental": True}),
    ]
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

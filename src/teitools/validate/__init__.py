"""Validate TEI files as any TEI project expects: well-formedness (safe parsing, XInclude),
the schemas a document names in ``<?xml-model?>`` (else ``tei_all``), TEI's own Schematron
rules; the teitools letter profile where a document declares it (or ``profile="letter"``);
the rules across files (``across_files``) only when asked.

Every layer produces :class:`~teitools.validate.findings.Finding` objects; the report formats
consume them. See ``docs/validation.md`` for the rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from teitools import progress
from teitools.execution import Executor, LocalExecutor
from teitools.inputs import FileTable, collect
from teitools.scratch import scratch
from teitools.validate import parallel
from teitools.validate import profile as profiles
from teitools.validate.checker import Options
from teitools.validate.findings import Finding
from teitools.validate.memo import Memo
from teitools.validate.parsing import MAX_SIZE
from teitools.validate.profile import IdUse
from teitools.validate.report import Spool, chunks, lines


class Report:
    """What a validation found: the files checked and their findings, kept on disk
    (:class:`~teitools.validate.report.Spool`) and written out in ``fmt`` piece by piece."""

    def __init__(self, spool: Spool, fmt: str = "text") -> None:
        self.spool, self.fmt = spool, fmt

    @property
    def ok(self) -> bool:
        return not self.spool.errors

    @property
    def files(self) -> list[str]:
        """The files checked, in order."""
        return list(self.spool.names())

    @property
    def findings(self) -> list[Finding]:
        """Every finding, in order."""
        return list(self.spool.ordered())

    def chunks(self) -> Iterator[str]:
        """The report as it is printed, piece by piece (each line ends in a newline)."""
        return chunks(self.fmt, self.spool)

    def lines(self) -> list[str]:
        return lines(self.fmt, self.spool)


def validate_paths(
    paths: Sequence[Path],
    jobs: int | None = None,
    fmt: str = "text",
    *,
    schemas: Sequence[Path] = (),
    xsd: bool = False,
    tei_rules: bool = True,
    reuse: bool = True,
    profile: str | None = None,
    across_files: bool = False,
    max_size: int = MAX_SIZE,
    project: Path | None = None,
    executor: Executor | None = None,
    schematron_engine: str = "saxon",
) -> Report:
    """Check every TEI file under ``paths``; the report lists what is wrong and where.

    ``schemas`` (.rng, .rnc, .sch, .xsd) are checked too; a grammar among them replaces the
    bundled tei_all RELAX NG. ``xsd`` adds the trang XSD of tei_all (xmlschema);
    ``tei_rules`` runs TEI's own Schematron rules (XSLT 3.0 through Saxon-HE).
    Schemas a file names in ``<?xml-model?>`` are honoured. ``profile="letter"`` applies
    the letter profile to every file (otherwise to those that declare it);
    ``across_files`` checks that ``xml:id``s are unique in the corpus and that pointers into
    ``register.xml`` resolve. Files over ``max_size`` bytes are refused unread; ``project``
    is the folder schemas and included files may be read from (default: found per file,
    :mod:`teitools.validate.project`). ``schematron_engine="python"`` checks the Schematron
    a file names in Python where every rule of it compiles (:mod:`~.sch_python`: the same
    findings, no Saxon). ``executor`` checks the files (default: ``jobs``
    worker processes, all cores); the report is the same for any executor. With
    ``reuse``, results of earlier runs are reused for files that have not changed
    (:mod:`teitools.validate.memo`).
    """
    listed = FileTable(scratch())
    found = collect(paths, ".xml", into=listed)
    report = Report(Spool(), fmt)
    for severity, errors in (("error", found.problems), ("warning", found.warnings)):
        report.spool.add(
            Finding(str(e.path), 1, 1, severity, "wellformed", "io", e.message) for e in errors
        )
    options = Options(
        tuple(schemas),
        xsd,
        tei_rules,
        profile,
        across_files,
        max_size,
        None if project is None else project.resolve(),
        schematron_engine,
    )
    ids: list[tuple[Path, list[IdUse]]] = []  # only for the check across files
    memo = Memo(options, enabled=reuse)
    executor = executor or LocalExecutor(jobs)
    results = parallel.results(listed.paths(), options, executor, memo)
    for path, result in progress.track(results, listed.count(), "validating"):
        report.spool.file(str(path))
        report.spool.add(result.findings)
        if across_files:
            ids.append((path, result.ids))
    listed.db.close()
    for error in found.problems:  # each fails, as a file
        report.spool.file(str(error.path))
    if across_files:
        report.spool.add(profiles.duplicate_ids(ids))
    return report

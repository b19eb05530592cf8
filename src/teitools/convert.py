"""Convert: raw letter files → TEI files. The public entry points of the converter.

- :func:`convert_text` – text in, :class:`~teitools.model.Letter` objects out (pure).
- :func:`convert_file` – one file in, named TEI documents out (reads, never writes).
- :func:`convert_batch` – files and folders in, TEI files written (parallel, safe writes).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from teitools import progress
from teitools.batchwrite import BatchWrite
from teitools.catalogue import Catalogue, apply_catalogue, row_for
from teitools.collate.annotate import without_collation
from teitools.config import Publication
from teitools.errors import InputError, OutputError, TeitoolsError
from teitools.execution import Executor, LocalExecutor, lost
from teitools.fsio import add_checksum, inside, read_bounded
from teitools.inputs import FileTable, collect
from teitools.model import Letter
from teitools.reader import load, read_letters
from teitools.reader.decode import MAX_BYTES, decode
from teitools.registers import REGISTER_FILE, Registers, no_registers
from teitools.review import Review, row_of
from teitools.rules import Rules, default_rules, load_rules
from teitools.scratch import scratch
from teitools.tei.register import to_register
from teitools.tei.writer import serialise, tei_tree
from teitools.timelimit import TimeLimitExceeded, time_limit
from teitools.update import Outcome, update

__all__ = ["convert_batch", "convert_file", "convert_text", "load_rules"]

# The longest one file's conversion may take: a 5 MB letter converts in well under a minute.
FILE_TIME_LIMIT = 300.0


def convert_text(
    text: str,
    name: str = "letter.txt",
    rules: Rules | None = None,
    *,
    registers: Registers | None = None,
    sha256: str | None = None,
    encoding: str = "utf-8",
) -> list[Letter]:
    """Read the letters in ``text`` (named ``name`` in the TEI's source description)."""
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    name = _NOT_XML.sub(_escape, name)  # a file may be named with characters XML cannot hold
    return read_letters(text, name, digest, encoding, rules or default_rules(), registers)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


@dataclass(frozen=True)
class Document:
    """One TEI document ready to write: its file name and bytes."""

    name: str
    xml: bytes


@dataclass
class FileResult:
    path: Path
    documents: list[Document] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # per letter: facts not found, repairs
    rows: list[dict[str, str]] = field(default_factory=list)  # per letter: the review row
    warnings: list[str] = field(default_factory=list)
    error: TeitoolsError | None = None


def convert_file(
    path: Path,
    rules: Rules | None = None,
    registers: Registers | None = None,
    encoding_date: str | None = None,
    catalogue: Catalogue | None = None,
    publication: Publication | None = None,
) -> FileResult:
    """Convert one file; errors are returned in the result, never raised.

    A ``catalogue`` row for the file (or for one letter in it) overrides what is inferred.
    ``publication`` gives the headers' publisher, licence and the edition's language.
    Running out of memory or over :data:`FILE_TIME_LIMIT` is this file's error too.
    """
    registers = registers if registers is not None else no_registers()
    result = FileResult(path)
    try:
        with time_limit(FILE_TIME_LIMIT):
            data = read_bounded(path, MAX_BYTES, "a letter")
            decoded = decode(data, str(path))
            if decoded.warning:
                result.warnings.append(f"{path}: {decoded.warning}")
            letters = convert_text(
                decoded.text,
                path.name,
                rules,
                registers=registers,
                sha256=hashlib.sha256(data).hexdigest(),
                encoding=decoded.encoding,
            )
            for letter in letters:
                row = row_for(catalogue, path.name, letter.source.index) if catalogue else None
                if row is not None:
                    apply_catalogue(letter.metadata, row, registers)
                suffix = f".{letter.source.index}" if letter.source.count > 1 else ""
                xml = valid_tei(letter, registers, encoding_date, str(path), publication)
                result.documents.append(Document(f"{path.stem}{suffix}.xml", xml))
                result.rows.append(row_of(letter))
                where = f"{path}" + (f" (letter {letter.source.index})" if suffix else "")
                result.notices.extend(f"{where}: {w}" for w in letter.metadata.warnings)
    except TeitoolsError as error:
        if error.path is None:  # a rule's pattern that ran too long, say
            error.path = str(path)
        result.error = error
    except MemoryError:
        result.error = InputError("ran out of memory converting this file", path)
    except TimeLimitExceeded as error:
        result.error = InputError(f"conversion stopped: it {error} (the limit for one file)", path)
    if result.error is not None:
        result.documents.clear()
    return result


def valid_tei(
    letter: Letter,
    registers: Registers,
    encoding_date: str | None,
    where: str,
    publication: Publication | None = None,
) -> bytes:
    """The letter's TEI, checked against the letter grammar (then ``tei_all``) before it is
    written; where its parts would make invalid TEI, they are written flat (``ab``, ``p``)
    and a warning says so. Raises :class:`InputError` if even that is not valid."""
    tree = tei_tree(letter, registers, encoding_date, publication=publication)
    if _valid(tree):
        return serialise(tree)
    flat = tei_tree(letter, registers, encoding_date, flat=True, publication=publication)
    if _valid(flat):
        letter.metadata.warnings.append(
            "repaired: the letter's parts would not make valid TEI in opener, body and "
            "closer; they are written in source order as ab and p"
        )
        return serialise(flat)
    raise InputError("the letter would not make valid TEI (a defect: please report it)", where)


TEI = "{http://www.tei-c.org/ns/1.0}"


def _valid(tree: etree._Element) -> bool:
    """Valid against ``tei_all``: the letter grammar (``tei_all`` pruned to the letters'
    elements) decides for a tree of those elements alone; ``tei_all`` itself (1–4 s to
    compile) is asked only about a tree with others."""
    from teitools.validate import letter_grammar, relaxng

    if relaxng.letters().validate(tree):
        return True
    used = {element.tag[len(TEI) :] for element in tree.iter(f"{TEI}*")}
    if used <= letter_grammar.LETTER_ELEMENTS:
        return False
    return bool(relaxng.compiled().validate(tree))


def _load(setup: Setup) -> None:
    """Load what every file's conversion needs (word list, language model, letter
    grammar) in this process before workers are forked from it, so they share it."""
    from teitools.validate import relaxng

    load(setup[0])
    relaxng.letters()


@dataclass
class BatchReport:
    outdir: Path
    files: int = 0
    written: int = 0  # TEI letters (register.xml is not counted: see ``register``)
    unchanged: int = 0
    edited: list[Outcome] = field(default_factory=list)  # kept, merged or in conflict
    errors: list[TeitoolsError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: int = 0  # input files not converted or not written (errors may hold more)
    # the review report's rows and the notices (per letter: facts not found, repairs)
    review: Review = field(default_factory=Review)
    register: bool = False  # register.xml was written (there are register entries)

    def missing(self) -> str:
        """ "312 letters without a sender, 20 without a date, 3 repaired" (or "")."""
        return self.review.missing()

    def summary(self) -> str:
        edited = [o for o in self.edited if o.path.name != REGISTER_FILE]
        counts = [f"{self.written} written", f"{self.unchanged} unchanged"]
        for status, label in (("merged", "merged"), ("kept", "kept (edited)")):
            found = sum(o.status == status for o in edited)
            counts += [f"{found} {label}"] if found else []
        conflicts = sum(o.status == "conflict" for o in edited)
        counts += [f"{conflicts} kept (edited) with a conflict"] if conflicts else []
        register = f"; register in {REGISTER_FILE}" if self.register else ""
        text = (
            f"converted {self.files - self.failed} of {self.files} files into "
            f"{self.written + self.unchanged + len(edited)} TEI letters in {self.outdir}/ "
            f"({', '.join(counts)}{register})"
        )
        text += f"; {self.failed} failed" if self.failed else ""
        missing = self.missing()
        return text + (f"; {missing}" if missing else "")


# what every file is converted with
Setup = tuple[Rules, Registers, str, "Catalogue | None", "Publication | None"]


def _convert_one(setup: Setup, path: Path) -> FileResult:
    return convert_file(path, *setup)


def _not_converted(path: Path, error: BaseException) -> FileResult:
    """A file whose conversion was lost (its worker failed again and again)."""
    return FileResult(path, error=InputError(f"not converted: {lost(error)}", path))


def encoding_date_today() -> str:
    """The date of encoding: ``SOURCE_DATE_EPOCH`` (reproducible builds) if set, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.date().isoformat()


def convert_batch(
    inputs: Sequence[Path],
    outdir: Path,
    *,
    rules: Rules | None = None,
    registers: Registers | None = None,
    force: bool = False,
    jobs: int | None = None,
    encoding_date: str | None = None,
    catalogue: Catalogue | None = None,
    publication: Publication | None = None,
    merge: bool = True,
    executor: Executor | None = None,
) -> BatchReport:
    """Convert every letter file under ``inputs`` into ``outdir``; one failure stops nothing.

    Also writes ``register.xml``, the register every letter's ``@ref`` points into, if
    ``registers`` has entries. A file that would change only in its date of encoding is
    left as it is; a file a person edited is merged with the new conversion, or kept
    (:mod:`teitools.update`), unless ``force``. The files are converted by ``executor``
    (default: ``jobs`` processes on this machine) and written here.
    """
    rules = rules or default_rules()
    registers = registers if registers is not None else no_registers()
    day = encoding_date or encoding_date_today()
    files = FileTable(scratch())
    found = collect(inputs, ".txt", skip=outdir, into=files)
    count = files.count()
    report = BatchReport(outdir, files=count + len(found.problems))
    report.errors.extend(found.problems)
    report.failed += len(found.problems)
    report.warnings.extend(str(warning) for warning in found.warnings)
    if catalogue is not None:
        names = {path.name for path in files.paths()}
        for (file, _), row in sorted(catalogue.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            if file in names:
                continue  # a malformed row fails the file it names
            if row.error is not None:
                report.errors.append(row.error)
            else:
                report.warnings.append(f"catalogue names {file}, which is not among the inputs")
        report.errors.extend(catalogue.unattached)  # rows that name no file
    executor = executor or LocalExecutor(jobs)
    setup: Setup = (rules, registers, day, catalogue, publication)
    # results arrive in input order while the workers go on: write as they come
    results = executor.map_files(
        _convert_one, files.paths(), setup, failed=_not_converted, prepare=_load
    )
    writer = _Writer(outdir, force, merge, report)
    with writer.batch:  # a run that fails or is stopped leaves none of its temporary files
        writer.results(progress.track((result for _, result in results), count, "converting"))
        files.db.close()
        if count and registers.entries:
            report.register = True
            try:
                data = add_checksum(to_register(registers, publication))
                writer.write(outdir / REGISTER_FILE, data)
            except TeitoolsError as error:
                report.errors.append(error)
            except OSError as error:
                report.errors.append(TeitoolsError(str(error), outdir / REGISTER_FILE))
        writer.close()
    return report


_Written = tuple[Path | None, Outcome]  # a letter's input file (none: the register), its outcome


class _Writer:
    """Writes each result as it comes, a batch of files at a time
    (:class:`~teitools.batchwrite.BatchWrite`: synced together on a thread of their own
    while the next results are written), and records what became of each letter in the
    report, in the order of the results."""

    def __init__(self, outdir: Path, force: bool, merge: bool, report: BatchReport):
        self.outdir, self.force, self.merge, self.report = outdir, force, merge, report
        self.batch: BatchWrite[_Written] = BatchWrite()
        self.failed: set[Path] = set()  # input files counted failed for a write

    def results(self, results: Iterable[FileResult]) -> None:
        report = self.report
        for result in results:
            report.warnings.extend(result.warnings)
            report.review.add(result.rows, result.notices)
            if result.error is not None:
                report.errors.append(result.error)
                report.failed += 1
                continue
            try:
                for document in result.documents:
                    earlier = report.review.given(document.name, result.path)
                    if earlier is not None:
                        raise InputError(
                            f"gives {document.name}, which {earlier} gives too", result.path
                        )
                    target = inside(self.outdir, document.name)
                    self.write(target, add_checksum(document.xml), result.path)
            except TeitoolsError as error:
                self._failed(result.path, error)
            except OSError as error:
                message = error.strerror or str(error)
                self._failed(result.path, TeitoolsError(message, error.filename))
            self._settle(self.batch.settled())

    def write(self, target: Path, data: bytes, source: Path | None = None) -> None:
        """Write ``target`` as :func:`~teitools.update.update` decides; what became of it
        is counted once its batch is on the disk (``source``: the input file it is of)."""
        self.batch.begin()
        try:
            outcome = update(
                target,
                data,
                force=self.force,
                merge=self.merge,
                check=_valid,
                aside=lambda old: without_collation(old, target),  # what `teitools collate` wrote
                write=self.batch.write,
            )
        except BaseException:
            self.batch.drop()
            raise
        self.batch.end((source, outcome))

    def close(self) -> None:
        """Write what is left and count it."""
        self._settle(self.batch.close())

    def _settle(self, settled: list[tuple[_Written, OutputError | None]]) -> None:
        for (source, outcome), error in settled:
            if error is not None:
                if source is None:
                    self.report.errors.append(error)
                else:
                    self._failed(source, error)
                continue
            letter = outcome.path.name != REGISTER_FILE
            if outcome.status == "written":
                self.report.written += letter
            elif outcome.status == "unchanged":
                self.report.unchanged += letter
            else:
                self.report.edited.append(outcome)

    def _failed(self, source: Path, error: TeitoolsError) -> None:
        self.report.errors.append(error)
        if source not in self.failed:  # a file with two letters that failed counts once
            self.failed.add(source)
            self.report.failed += 1

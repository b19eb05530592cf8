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
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from teitools import progress
from teitools.catalogue import Catalogue, apply_catalogue, row_for
from teitools.config import Publication
from teitools.errors import InputError, TeitoolsError
from teitools.fsio import add_checksum, read_bounded
from teitools.model import Letter
from teitools.reader import read_letters
from teitools.reader.decode import MAX_BYTES, decode
from teitools.registers import REGISTER_FILE, Registers, no_registers
from teitools.review import row_of
from teitools.rules import Rules, default_rules, load_rules
from teitools.tei.register import to_register
from teitools.tei.writer import serialise, tei_tree
from teitools.timelimit import TimeLimitExceeded, time_limit
from teitools.update import Outcome, update
from teitools.workers import default_jobs

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


def _valid(tree: etree._Element) -> bool:
    from teitools.validate import relaxng

    return bool(relaxng.letters().validate(tree) or relaxng.compiled().validate(tree))


def collect_inputs(paths: Iterable[Path], suffix: str = ".txt") -> list[Path]:
    """Files as given, folders expanded to their ``*.txt`` files (sorted, recursive)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob(f"*{suffix}") if p.is_file()))
        else:
            files.append(path)
    return files


@dataclass
class BatchReport:
    outdir: Path
    files: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    edited: list[Outcome] = field(default_factory=list)  # kept, merged or in conflict
    errors: list[TeitoolsError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: int = 0  # input files not converted or not written (errors may hold more)
    notices: list[str] = field(default_factory=list)  # per letter: facts not found, repairs
    rows: list[dict[str, str]] = field(default_factory=list)  # the review report
    register: bool = False  # register.xml was written (there are register entries)

    def missing(self) -> str:
        """ "312 letters without a sender, 20 without a date, 3 repaired" (or "")."""
        dated = ("date", "not_before", "not_after")
        counts = [
            (
                sum(
                    not any(row[f] for f in (dated if fact == "date" else (fact,)))
                    for row in self.rows
                ),
                what,
            )
            for fact, what in (
                ("sender", "a sender"),
                ("addressee", "an addressee"),
                ("date", "a date"),
                ("place_sent", "a place of sending"),
            )
        ]
        counts = [(n, what) for n, what in counts if n]
        parts = [
            f"{n} letter{'s' if n > 1 else ''} without {what}" if k == 0 else f"{n} without {what}"
            for k, (n, what) in enumerate(counts)
        ]
        repaired = sum("repaired:" in row["warnings"] for row in self.rows)
        if repaired:
            parts.append(f"{repaired} repaired")
        return ", ".join(parts)

    def summary(self) -> str:
        written = [p for p in self.written if p.name != REGISTER_FILE]
        unchanged = [p for p in self.unchanged if p.name != REGISTER_FILE]
        edited = [o for o in self.edited if o.path.name != REGISTER_FILE]
        counts = [f"{len(written)} written", f"{len(unchanged)} unchanged"]
        for status, label in (("merged", "merged"), ("kept", "kept (edited)")):
            found = sum(o.status == status for o in edited)
            counts += [f"{found} {label}"] if found else []
        conflicts = sum(o.status == "conflict" for o in edited)
        counts += [f"{conflicts} kept (edited) with a conflict"] if conflicts else []
        register = f"; register in {REGISTER_FILE}" if self.register else ""
        text = (
            f"converted {self.files - self.failed} of {self.files} files into "
            f"{len(written) + len(unchanged) + len(edited)} TEI letters in {self.outdir}/ "
            f"({', '.join(counts)}{register})"
        )
        text += f"; {self.failed} failed" if self.failed else ""
        missing = self.missing()
        return text + (f"; {missing}" if missing else "")


_WORKER: dict[str, object] = {}  # what each worker process converts with, set once


def _start_worker(
    rules: Rules,
    registers: Registers,
    day: str,
    catalogue: Catalogue | None,
    publication: Publication | None,
) -> None:
    _WORKER.update(
        rules=rules, registers=registers, day=day, catalogue=catalogue, publication=publication
    )


def _convert_in_worker(path: Path) -> FileResult:
    return convert_file(
        path,
        _WORKER["rules"],  # type: ignore[arg-type]
        _WORKER["registers"],  # type: ignore[arg-type]
        _WORKER["day"],  # type: ignore[arg-type]
        _WORKER["catalogue"],  # type: ignore[arg-type]
        _WORKER["publication"],  # type: ignore[arg-type]
    )


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
) -> BatchReport:
    """Convert every letter file under ``inputs`` into ``outdir``; one failure stops nothing.

    Also writes ``register.xml``, the register every letter's ``@ref`` points into, if
    ``registers`` has entries. A file that would change only in its date of encoding is
    left as it is; a file a person edited is merged with the new conversion, or kept
    (:mod:`teitools.update`), unless ``force``.
    """
    rules = rules or default_rules()
    registers = registers if registers is not None else no_registers()
    day = encoding_date or encoding_date_today()
    files = collect_inputs(inputs)
    report = BatchReport(outdir, files=len(files))
    workers = min(jobs or default_jobs(), max(1, len(files) // 16))
    if catalogue:
        names = {path.name for path in files}
        for file, _ in sorted(catalogue, key=lambda key: (key[0], key[1] or 0)):
            if file not in names:
                report.warnings.append(f"catalogue names {file}, which is not among the inputs")
    writer = _Writer(outdir, force, merge, report)
    if workers > 1:
        setup = (rules, registers, day, catalogue, publication)
        with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=setup) as pool:
            # results arrive in input order while the workers go on: write as they come
            results = pool.map(_convert_in_worker, files, chunksize=8)
            writer.results(progress.track(results, len(files), "converting"))
    else:
        one = (convert_file(path, rules, registers, day, catalogue, publication) for path in files)
        writer.results(progress.track(one, len(files), "converting"))
    if files and registers.entries:
        report.register = True
        try:
            writer.write(outdir / REGISTER_FILE, add_checksum(to_register(registers, publication)))
        except TeitoolsError as error:
            report.errors.append(error)
        except OSError as error:
            report.errors.append(TeitoolsError(str(error), outdir / REGISTER_FILE))
    return report


class _Writer:
    """Writes each result as it comes, and records what became of it in the report."""

    def __init__(self, outdir: Path, force: bool, merge: bool, report: BatchReport):
        self.outdir, self.force, self.merge, self.report = outdir, force, merge, report
        self.seen: dict[str, Path] = {}

    def results(self, results: Iterable[FileResult]) -> None:
        report = self.report
        for result in results:
            report.warnings.extend(result.warnings)
            report.notices.extend(result.notices)
            report.rows.extend(result.rows)
            if result.error is not None:
                report.errors.append(result.error)
                report.failed += 1
                continue
            try:
                for document in result.documents:
                    if document.name in self.seen:
                        raise InputError(
                            f"gives {document.name}, which {self.seen[document.name]} gives too",
                            result.path,
                        )
                    self.seen[document.name] = result.path
                    self.write(self.outdir / document.name, add_checksum(document.xml))
            except TeitoolsError as error:
                report.errors.append(error)
                report.failed += 1
            except OSError as error:
                report.errors.append(TeitoolsError(error.strerror or str(error), error.filename))
                report.failed += 1

    def write(self, target: Path, data: bytes) -> None:
        outcome = update(target, data, force=self.force, merge=self.merge, check=_valid)
        if outcome.status == "written":
            self.report.written.append(target)
        elif outcome.status == "unchanged":
            self.report.unchanged.append(target)
        else:
            self.report.edited.append(outcome)

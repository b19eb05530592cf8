"""Versions of a letter collated: ``teitools collate ENCODED -o ENCODED/collations``.

TEI letters → :mod:`~teitools.collate.witness` (facts and words) →
:mod:`~teitools.collate.versions` (which documents are versions of one letter, and of what
kind) → :mod:`~teitools.collate.align` and :mod:`~teitools.collate.apparatus` (the
witnesses aligned word by word and merged in the base's order) →
:mod:`~teitools.collate.document` (one TEI collation per letter, parallel segmentation) and
:mod:`~teitools.collate.annotate` (each witness names its versions and the collation, and
takes the corrections of OCR damage that other witnesses support,
:mod:`~teitools.collate.crosscorrect`).

Works on any TEI letters (teitools' or another project's). Letters and collations are
written as ``convert`` writes (:func:`teitools.update.update`): replaced only if teitools
wrote them and nobody edited them since; a file a person edited is merged three ways with
what the collation now writes, or kept; another project's file is kept; ``force`` replaces
them all. Same input, same output, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from teitools import progress
from teitools.collate.annotate import Fix, Version, annotate, serialise, strip
from teitools.collate.apparatus import Collation, collate
from teitools.collate.crosscorrect import propose
from teitools.collate.document import Listed, collation_tree, relative, sigla
from teitools.collate.files import COLLATIONS, SUFFIX, is_collation
from teitools.collate.settings import Settings, default_settings
from teitools.collate.versions import (
    KIND_ORDER,
    Kind,
    choose_base,
    find_groups,
    first_kinds,
    main_language,
    transcription,
)
from teitools.collate.witness import Profile, Witness, parse, read_witness
from teitools.collate.words import Words
from teitools.config import Publication
from teitools.errors import InputError, TeitoolsError
from teitools.execution import Executor, LocalExecutor, lost
from teitools.fsio import add_checksum, edited_since_written
from teitools.inputs import collect
from teitools.registers import REGISTER_FILE
from teitools.update import Outcome, record_of, update

__all__ = ["CollateReport", "collate_paths", "is_collation"]


@dataclass
class CollateReport:
    outdir: Path
    letters: int = 0  # documents read
    groups: int = 0  # letters with more than one version
    collations: list[Path] = field(default_factory=list)  # written or unchanged
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    corrections: int = 0
    edited: list[Outcome] = field(default_factory=list)  # a person's files: kept, merged
    errors: list[TeitoolsError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"collated {_count(self.letters, 'document')}: "
            f"{_count(self.groups, 'letter')} in more than one version, "
            f"{_count(len(self.collations), 'collation')} in {self.outdir}/, "
            f"{_count(self.corrections, 'correction')} from other versions; "
            f"{_count(len(self.written), 'file')} written, {len(self.unchanged)} unchanged"
        )
        text += f", {len(self.removed)} removed" if self.removed else ""
        for status, label in (("merged", "merged"), ("kept", "kept (edited)")):
            found = sum(o.status == status for o in self.edited)
            text += f", {found} {label}" if found else ""
        conflicts = sum(o.status == "conflict" for o in self.edited)
        text += f", {conflicts} kept (edited) with a conflict" if conflicts else ""
        return text + (f"; {len(self.errors)} failed" if self.errors else "")


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


# ----------------------------------------------------------------- the work of a worker
# Two passes, each through the execution layer: every document read for what finding its
# versions needs (its profile); then every letter (a group of versions, or a document of
# its own that has something to take out or is written elsewhere) read again, collated
# and written into, as bytes. The writing is done here, by the caller.


@dataclass(frozen=True)
class _Read:
    """A document read in the first pass: where it goes, and its profile (None for a
    collation), or why it could not be read."""

    source: Path
    target: Path
    profile: Profile | None = None
    stripped: bool = False  # it holds what an earlier collation wrote
    error: TeitoolsError | None = None


@dataclass(frozen=True)
class _Letter:
    """The versions of one letter (or a document alone): (where read, where written)."""

    members: tuple[tuple[Path, Path], ...]


@dataclass(frozen=True)
class _Made:
    """What a letter's collation writes: the collation (if there are two versions of one
    language), each version as it should be, the number of corrections; or why it
    failed."""

    collation: tuple[Path, bytes] | None = None
    letters: tuple[tuple[Path, bytes], ...] = ()
    corrections: int = 0
    error: TeitoolsError | None = None


def _problem(error: BaseException, path: Path) -> TeitoolsError:
    """One line for what went wrong with a document (a bug or the memory included), so
    that the rest of the batch is collated."""
    if isinstance(error, TeitoolsError):
        return error
    if isinstance(error, OSError):
        return TeitoolsError(f"cannot read: {error.strerror or error}", path)
    if isinstance(error, MemoryError):
        return TeitoolsError("ran out of memory", path)
    return TeitoolsError(f"failed: {type(error).__name__}: {error}", path)


def _read(outdir: Path | None, source: Path) -> _Read:
    """Pass one: a document's profile (``outdir``: where letters go; None: in place)."""
    target = source if outdir is None else outdir / source.name
    try:
        tree = parse(source)
        if is_collation(tree.getroot()):
            return _Read(source, target)
        witness = read_witness(target, tree, prepare=strip)
    except (Exception, MemoryError) as error:
        return _Read(source, target, error=_problem(error, source))
    return _Read(source, target, witness.profile(), witness.stripped)


def _not_read(source: Path, error: BaseException) -> _Read:
    return _Read(source, source, error=TeitoolsError(f"not collated: {lost(error)}", source))


def _collate_letter(context: tuple[Settings, Path, Publication], letter: _Letter) -> _Made:
    """Pass two: a letter's versions read again, collated (``context``: the settings, the
    folder of collations and the edition's facts of publication), each written into; all as
    bytes."""
    settings, folder, publication = context
    try:
        witnesses = [read_witness(t, parse(s), prepare=strip) for s, t in letter.members]
        many = len(witnesses) > 1
        made = _collate_group(witnesses, folder, settings, publication) if many else None
        letters = [(w.path, serialise(w.tree)) for w in witnesses]
    except (Exception, MemoryError) as error:
        return _Made(error=_problem(error, letter.members[0][0]))
    collation, corrections = made if made is not None else (None, 0)
    return _Made(collation, tuple(letters), corrections)


def _not_collated(letter: _Letter, error: BaseException) -> _Made:
    source = letter.members[0][0]
    return _Made(error=TeitoolsError(f"not collated: {lost(error)}", source))


# ----------------------------------------------------------------- the run


def collate_paths(
    paths: Sequence[Path],
    outdir: Path | None = None,
    *,
    force: bool = False,
    settings: Settings | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    publication: Publication | None = None,
) -> CollateReport:
    """Collate the versions among the TEI letters at ``paths`` (files, or folders searched
    for ``*.xml`` with their subfolders) into ``outdir``: the letters, each naming its
    versions, and ``collations/`` with one collation per letter that has more than one
    version. Without ``outdir``, in place: each letter where it is, the collations in the
    ``collations/`` folder of the first folder given (or of the first file's folder).
    ``executor`` reads and collates (default: ``jobs`` processes on this machine); the
    collations' publisher and licence are the edition's (``publication``)."""
    settings = settings or default_settings()
    first = paths[0] if paths else Path(".")
    home = outdir or (first if first.is_dir() else first.parent)
    folder = home / COLLATIONS
    report = CollateReport(folder)
    found = collect(paths, ".xml", skip=outdir)
    report.errors.extend(found.problems)
    report.warnings.extend(str(w) for w in found.warnings)
    sources = [f for f in found.files if f.name != REGISTER_FILE]
    run = executor or LocalExecutor(jobs)
    documents: list[_Read] = []
    targets: dict[Path, Path] = {}
    reads = run.map_files(_read, iter(sources), outdir, failed=_not_read)
    for _, read in progress.track(reads, len(sources), "collating"):
        if read.error is not None:
            report.errors.append(read.error)
        elif read.profile is not None and read.target in targets:
            message = f"gives {read.target}, which {targets[read.target]} gives too"
            report.errors.append(InputError(message, read.source))
        elif read.profile is not None:
            targets[read.target] = read.source
            documents.append(read)
    report.letters = len(documents)
    profiles = [d.profile for d in documents if d.profile is not None]
    groups = find_groups(profiles, settings)
    report.groups = len(groups)
    made: set[Path] = set()
    results = run.map_files(
        _collate_letter,
        _letters(documents, groups),
        (settings, folder, publication or Publication()),
        failed=_not_collated,
    )
    for _, result in results:
        if result.error is not None:
            report.errors.append(result.error)
            continue
        if result.collation is not None:
            collation, data = result.collation
            _write(collation, data, force, report)
            report.collations.append(collation)
            made.add(collation.resolve())
        report.corrections += result.corrections
        for target, letter in result.letters:
            _write(target, letter, force, report)
    for place in {p if p.is_dir() else p.parent for p in paths}:  # the names they point into
        register = place / REGISTER_FILE
        if register.is_file() and place.resolve() != home.resolve():
            _write(home / REGISTER_FILE, register.read_bytes(), force, report)
    _remove_stale(folder, made, report)
    return report


def _letters(documents: list[_Read], groups: list[list[int]]) -> Iterator[_Letter]:
    """The letters of pass two: each group of versions, then each document of its own that
    holds what an earlier collation wrote or is written elsewhere (the rest stay as they
    are)."""
    grouped = {k for group in groups for k in group}
    for group in groups:
        yield _Letter(tuple((documents[k].source, documents[k].target) for k in group))
    for k, document in enumerate(documents):
        moved = document.target.resolve() != document.source.resolve()
        if k not in grouped and (document.stripped or moved):
            yield _Letter(((document.source, document.target),))


def _collate_group(
    members: list[Witness], outdir: Path, settings: Settings, publication: Publication
) -> tuple[tuple[Path, bytes] | None, int]:
    """Collate one letter's versions (if two or more share a language) for ``outdir`` and
    write into each what it should say; the collation (its path and bytes), if there is
    one, and the number of corrections."""
    corrections = 0
    collated: tuple[Path, bytes] | None = None
    kinds = first_kinds(members)
    base = choose_base(members, kinds)
    order = sorted(
        (k for k, kind in enumerate(kinds) if kind.kind != "translation"),
        key=lambda k: (k != base, KIND_ORDER.index(kinds[k].kind), members[k].stem),
    )
    siglum = dict(zip(order, sigla(len(order)), strict=True))
    fixes: dict[int, list[Fix]] = {k: [] for k in range(len(members))}
    target: Path | None = None
    if len(order) > 1:
        words = Words(main_language(members) or "en", settings)
        collation = collate([members[k] for k in order], words, settings.lacuna_words)
        if kinds[base].kind == "sent":  # an unmarked copy of the sent text: a transcription
            for position, k in enumerate(order[1:], start=1):
                agreement = _agreement(collation, position, words)
                if kinds[k].kind == "version":
                    kinds[k] = transcription(agreement, members[base], settings) or kinds[k]
        target = outdir / f"{members[base].stem}{SUFFIX}"
        listed = [
            Listed(
                siglum[k],
                kinds[k],
                relative(str(members[k].path), str(outdir)),
                members[k].facts.title or members[k].stem,
                members[k].stem,
            )
            for k in order
        ]
        ident = f"{members[base].id}.versions"
        tree = collation_tree(collation, listed, ident, settings.line_length, publication)
        collated = (target, add_checksum(tree))
        for correction in propose(collation, words):
            damaged, source = order[correction.witness], order[correction.source]
            where = relative(str(members[source].path), str(members[damaged].path.parent))
            fixes[damaged].append(Fix(correction.token, correction.text, correction.cert, where))
            corrections += 1
    for k, witness in enumerate(members):
        folder = witness.path.parent
        versions = [
            Version(
                relative(str(other.path), str(folder)),
                kinds[o].kind,
                _label(o, siglum, kinds, other),
            )
            for o, other in enumerate(members)
            if o != k
        ]
        pointer = relative(str(target), str(folder)) if target and k in siglum else None
        annotate(
            witness, _note(kinds[k], siglum.get(k), versions, pointer), pointer, versions, fixes[k]
        )
    return collated, corrections


def _label(k: int, siglum: dict[int, str], kinds: list[Kind], witness: Witness) -> str:
    """ "B, transcription (004_2a302f09f3bdef71)"; a version not collated has no siglum."""
    own = f"{siglum[k]}, " if k in siglum else ""
    return f"{own}{kinds[k].label} ({witness.stem})"


def _agreement(collation: Collation, position: int, words: Words) -> float:
    """The share of a witness's words aligned to the base's same word or an OCR-damaged
    form of it."""
    base = collation.witnesses[0].tokens
    other = collation.witnesses[position].tokens
    alignment = collation.alignments[position]
    alike = sum(words.kind(base[i], other[j]) in {"same", "ocr"} for i, j in alignment.pairs)
    return alike / max(1, sum(not t.gap for t in other))


def _note(kind: Kind, siglum: str | None, versions: list[Version], pointer: str | None) -> str:
    own = f"{siglum}, " if siglum else ""
    text = (
        f"This document ({own}{kind.label}: {kind.evidence}) is one of {len(versions) + 1} "
        f"versions of the letter; the others: {'; '.join(v.label for v in versions)}."
    )
    if pointer:
        text += f" Collated in {pointer}."
    return text


def _write(target: Path, data: bytes, force: bool, report: CollateReport) -> None:
    """Write ``data`` unless the file holds it already; a file a person edited (or that
    teitools did not write) is merged with it, or kept (:func:`teitools.update.update`),
    unless ``force``."""
    try:
        outcome = update(target, data, force=force)
    except TeitoolsError as error:
        report.errors.append(error)
        return
    if outcome.status == "written":
        report.written.append(target)
    elif outcome.status == "unchanged":
        report.unchanged.append(target)
    else:
        report.edited.append(outcome)


def _remove_stale(outdir: Path, made: set[Path], report: CollateReport) -> None:
    """Collations an earlier run wrote that no longer have a letter (never a file a person
    edited or teitools did not write)."""
    if not outdir.is_dir():
        return
    for path in sorted(outdir.glob(f"*{SUFFIX}")):
        if path.resolve() in made or not path.is_file():
            continue
        if edited_since_written(path.read_bytes()) is not None:
            continue
        try:
            ours = is_collation(parse(path).getroot())
        except TeitoolsError:
            continue
        if ours:
            path.unlink()
            record_of(path).unlink(missing_ok=True)
            report.removed.append(path)

"""Versions of a letter collated: ``teitools collate ENCODED -o ENCODED/collations``.

TEI letters → :mod:`~teitools.collate.witness` (facts and words) →
:mod:`~teitools.collate.versions` (which documents are versions of one letter, and of what
kind) → :mod:`~teitools.collate.align` and :mod:`~teitools.collate.apparatus` (the
witnesses aligned word by word and merged in the base's order) →
:mod:`~teitools.collate.document` (one TEI collation per letter, parallel segmentation) and
:mod:`~teitools.collate.annotate` (each witness names its versions and the collation, and
takes the corrections of OCR damage that other witnesses support,
:mod:`~teitools.collate.crosscorrect`).

Works on any TEI letters (teitools' or another project's). A witness is rewritten only if
teitools wrote it and nobody edited it since, unless forced; collations are written with a
checksum and replaced only on the same terms. Same input, same output, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
from teitools.collate.witness import Witness, parse, read_witness
from teitools.collate.words import Words
from teitools.errors import InputError, TeitoolsError
from teitools.fsio import add_checksum, edited_since_written, guard_overwrite, write_atomic
from teitools.registers import REGISTER_FILE

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
    errors: list[TeitoolsError] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"collated {_count(self.letters, 'document')}: "
            f"{_count(self.groups, 'letter')} in more than one version, "
            f"{_count(len(self.collations), 'collation')} in {self.outdir}/, "
            f"{_count(self.corrections, 'correction')} from other versions; "
            f"{_count(len(self.written), 'file')} written, {len(self.unchanged)} unchanged"
        )
        text += f", {len(self.removed)} removed" if self.removed else ""
        return text + (f"; {len(self.errors)} failed" if self.errors else "")


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _inputs(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        found = sorted(path.glob("*.xml")) if path.is_dir() else [path]
        files.extend(f for f in found if f.name != REGISTER_FILE and f.is_file())
    return files


@dataclass
class _Document:
    witness: Witness  # its path: where it is written
    source: Path  # where it was read
    original: bytes


def collate_paths(
    paths: Sequence[Path],
    outdir: Path | None = None,
    *,
    force: bool = False,
    settings: Settings | None = None,
) -> CollateReport:
    """Collate the versions among the TEI letters at ``paths`` (files, or folders of
    ``*.xml``) into ``outdir`` (default: the folder of the first path, in place): the
    letters, each naming its versions, and ``collations/`` with one collation per letter
    that has more than one version."""
    settings = settings or default_settings()
    first = paths[0] if paths else Path(".")
    outdir = outdir or (first if first.is_dir() else first.parent)
    report = CollateReport(outdir / COLLATIONS)
    documents: list[_Document] = []
    targets: dict[Path, Path] = {}
    for path in _inputs(paths):
        try:
            original = path.read_bytes()
            tree = parse(path)
            if is_collation(tree.getroot()):
                continue
            target = outdir / path.name
            if target in targets:
                raise InputError(f"gives {target}, which {targets[target]} gives too", path)
            targets[target] = path
            witness = read_witness(target, tree, prepare=strip)
        except TeitoolsError as error:
            report.errors.append(error)
            continue
        except OSError as error:
            report.errors.append(TeitoolsError(f"cannot read: {error.strerror}", path))
            continue
        documents.append(_Document(witness, path, original))
    report.letters = len(documents)
    witnesses = [d.witness for d in documents]
    made: set[Path] = set()
    for group in find_groups(witnesses, settings):
        report.groups += 1
        folder = outdir / COLLATIONS
        collation = _collate_group(group, witnesses, folder, settings, force, report)
        if collation is not None:
            made.add(collation.resolve())
    for document in documents:
        _write_witness(document, force, report)
    for folder in {p if p.is_dir() else p.parent for p in paths}:  # the names they point into
        register = folder / REGISTER_FILE
        if register.is_file() and folder.resolve() != outdir.resolve():
            _write(outdir / REGISTER_FILE, register.read_bytes(), force, report)
    _remove_stale(outdir / COLLATIONS, made, report)
    return report


def _collate_group(
    group: list[int],
    witnesses: list[Witness],
    outdir: Path,
    settings: Settings,
    force: bool,
    report: CollateReport,
) -> Path | None:
    """Collate one letter's versions (if two or more share a language) into ``outdir`` and
    write into each what it should say; the collation's path, if there is one."""
    members = [witnesses[k] for k in group]
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
        _write(
            target,
            add_checksum(collation_tree(collation, listed, ident, settings.line_length)),
            force,
            report,
        )
        report.collations.append(target)
        for correction in propose(collation, words):
            damaged, source = order[correction.witness], order[correction.source]
            where = relative(str(members[source].path), str(members[damaged].path.parent))
            fixes[damaged].append(Fix(correction.token, correction.text, correction.cert, where))
            report.corrections += 1
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
    return target


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


def _write_witness(document: _Document, force: bool, report: CollateReport) -> None:
    """Write a witness where it belongs, unless it is there already as it would be."""
    data = serialise(document.witness.tree)
    target = document.witness.path
    in_place = target.resolve() == document.source.resolve()
    if in_place and data == document.original:
        report.unchanged.append(target)
        return
    _write(target, data, force, report)


def _write(target: Path, data: bytes, force: bool, report: CollateReport) -> None:
    try:
        if target.exists() and target.read_bytes() == data:
            report.unchanged.append(target)
            return
        guard_overwrite(target, force)
        write_atomic(target, data)
        report.written.append(target)
    except TeitoolsError as error:
        report.errors.append(error)


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
            report.removed.append(path)

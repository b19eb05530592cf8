"""What the site knows of a corpus: one record per TEI letter, the register, and the links
between them (the same two correspondents, replies, who names whom).

Everything here is read from the TEI alone, through :mod:`teitools.render.edition`: each
letter's header (title, ``correspDesc``) and the pointers of its names, in whatever scheme
the edition uses, resolved to the entries of its register files and of the lists inside the
letters, so the site works for any folder of TEI letters, not only teitools' output.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from teitools.dates import DateValue
from teitools.errors import TeitoolsError
from teitools.render.edition import (
    Edition,
    Links,
    Pointer,
    Source,
    SourceError,
    read_register_files,
)
from teitools.render.entities import KIND_PAGES, EntryFacts
from teitools.safehtml import file_url

UNDATED_KEY = "9999"  # sorts letters with no date at all after every dated one
REGISTER_KINDS = {kind: (kind, page, heading) for kind, (page, heading) in KIND_PAGES.items()}


class SiteError(TeitoolsError):
    """A letter or the register cannot be read for the site."""


@dataclass(frozen=True)
class Party:
    """A correspondent or place in ``correspDesc``: its register id (if any) and its name."""

    id: str
    name: str

    @property
    def key(self) -> str:
        """A token naming the party in filters: its register id, or its name without spaces."""
        return self.id or "_".join(self.name.split())


@dataclass
class Letter:
    stem: str  # file name without .xml: the page is letters/{stem}.html
    title: str
    digest: str  # SHA-256 of the TEI file: what incremental builds compare
    senders: tuple[Party, ...]
    addressees: tuple[Party, ...]
    places: tuple[Party, ...]  # place of writing, else place of receipt
    date: DateValue
    draft: bool
    reply_refs: tuple[tuple[str, str], ...]  # correspContext replyTo: (text, @n or @target)
    mentions: frozenset[str]  # register ids named in the letter's text
    holders: tuple[str, ...] = ()  # register ids of the repositories that hold it
    problems: tuple[str, ...] = ()  # what the site could not use (a date that is no date)
    active: tuple[str, ...] = ()  # markup a browser would run (XHTML, SVG, ...): not offered
    links: Links = field(default_factory=Links)  # what its page links to

    @property
    def sort_key(self) -> str:
        """Dated letters by date, undated by the start of their range; none at the end."""
        return self.date.when or self.date.not_before or self.date.not_after or UNDATED_KEY

    @property
    def exact_date(self) -> str | None:
        """The date, if the letter has one: ``@when``, or a range whose ends are one day."""
        same = self.date.not_before and self.date.not_before == self.date.not_after
        return self.date.when or (self.date.not_before if same else None)

    @property
    def date_label(self) -> str:
        """For people: "17 November 1981", "between ... and ...", "undated"."""
        exact = self.exact_date
        return (DateValue(exact) if exact else self.date).label() or "undated"

    @property
    def status(self) -> str:
        return "draft" if self.draft else "sent"

    @property
    def pair(self) -> frozenset[str]:
        """The two correspondents, in either direction."""
        return frozenset(p.key for p in self.senders + self.addressees)


@dataclass
class Entry:
    """A register entry, with the letters that send, receive or mention it."""

    id: str
    kind: str  # person, place, org, work, event, name
    name: str
    details: tuple[str, ...]  # life dates, offices, type
    identifiers: tuple[tuple[str, str], ...]  # (authority, URL)
    sent: list[Letter] = field(default_factory=list)
    received: list[Letter] = field(default_factory=list)
    located: list[Letter] = field(default_factory=list)  # written or received at this place
    held: list[Letter] = field(default_factory=list)  # held by this repository
    mentioned: list[Letter] = field(default_factory=list)

    @property
    def letters(self) -> list[Letter]:
        """Every letter that names the entry, once each, in date order."""
        seen = {
            x.stem: x for x in self.sent + self.received + self.located + self.held + self.mentioned
        }
        return sorted(seen.values(), key=lambda x: (x.sort_key, x.stem))


@dataclass
class Corpus:
    letters: list[Letter]  # in date order
    entries: dict[str, Entry]  # by id, in register order
    registers: list[Path]  # the register files
    paths: dict[str, Path] = field(default_factory=dict)  # TEI file by stem
    previous: dict[str, Letter] = field(default_factory=dict)  # by stem
    next: dict[str, Letter] = field(default_factory=dict)
    replies_to: dict[str, list[Letter | str]] = field(default_factory=dict)  # a letter or text
    answered_by: dict[str, list[Letter]] = field(default_factory=dict)
    series: str = ""  # the series title most of the letters name
    cmif: bool = True  # the site has CMIF files (the edition gives what their header needs)

    @cached_property
    def kinds(self) -> list[tuple[str, str, list[Entry]]]:
        """(page name, heading, entries) for every kind of entry the register has."""
        found = []
        for kind, page, heading in REGISTER_KINDS.values():
            entries = [e for e in self.entries.values() if e.kind == kind]
            entries.sort(key=lambda e: (e.name.casefold(), e.id))
            if entries:
                found.append((page, heading, entries))
        return found


def _party(edition: Edition, pointer: Pointer) -> Party:
    return Party(edition.entry(pointer), pointer.name)


def _letter(edition: Edition, source: Source) -> Letter:
    return Letter(
        stem=source.stem,
        title=edition.title(source.stem) or "",
        digest=source.digest,
        senders=tuple(_party(edition, p) for p in source.senders),
        addressees=tuple(_party(edition, p) for p in source.addressees),
        places=tuple(_party(edition, p) for p in source.places),
        date=source.date,
        draft=source.draft,
        reply_refs=source.reply_refs,
        mentions=frozenset(edition.entry(p) for p in source.mentions) - {""},
        holders=tuple(i for i in (edition.entry(p) for p in source.holders) if i),
        links=edition.links(source, lambda stem: f"{file_url(stem)}.html"),
        problems=source.problems,
        active=source.active,
    )


def _entry(facts: EntryFacts) -> Entry:
    return Entry(facts.id, facts.kind, facts.name, facts.details, facts.identifiers)


def _series(letters: Iterable[tuple[str, ...]]) -> str:
    """The series title most letters give (each letter's series titles)."""
    counts: dict[str, int] = defaultdict(int)
    for titles in letters:
        for title in dict.fromkeys(titles):
            counts[title] += 1
    return min(counts, key=lambda t: (-counts[t], t)) if counts else ""


def read_corpus(
    paths: Iterable[Path],
    registers: Sequence[Path] | Path | None = (),
    folder: Path | None = None,
) -> tuple[Corpus, list[SiteError]]:
    """Records for the letters at ``paths`` and the register (the files ``registers`` names
    and the lists inside the letters), linked to one another, and the files that could not
    be read (the others are still in the corpus). The letters' facts are gathered on disk
    in ``folder`` (the site's; by default the system's temporary folder), then removed."""
    files = [registers] if isinstance(registers, Path) else list(registers or ())
    unread: list[SourceError] = []  # the letters still make a site, without their entries
    with Edition(folder) as edition:
        unreadable = edition.read(paths, read_register_files(files, unread))
        errors = [SiteError(e.message, e.path) for e in [*unreadable, *unread]]
        letters, stems, series = [], {}, []
        for source in edition.sources():
            letters.append(_letter(edition, source))
            stems[source.stem] = source.path
            series.append(source.series)
        letters.sort(key=lambda x: (x.sort_key, x.stem))
        failed = {error.path for error in unread}
        corpus = Corpus(
            letters,
            {e.id: _entry(e) for e in edition.register.entries()},
            [path for path in files if str(path) not in failed],
            stems,
            series=_series(series),
        )
    _link_register(corpus)
    _link_correspondence(corpus)
    return corpus, errors


def _link_register(corpus: Corpus) -> None:
    for letter in corpus.letters:
        for party in letter.senders:
            if party.id in corpus.entries:
                corpus.entries[party.id].sent.append(letter)
        for party in letter.addressees:
            if party.id in corpus.entries:
                corpus.entries[party.id].received.append(letter)
        for party in letter.places:
            if party.id in corpus.entries:
                corpus.entries[party.id].located.append(letter)
        for ident in letter.holders:
            if ident in corpus.entries:
                corpus.entries[ident].held.append(letter)
        for ident in sorted(letter.mentions):
            if ident in corpus.entries:
                corpus.entries[ident].mentioned.append(letter)


def _link_correspondence(corpus: Corpus) -> None:
    """Previous and next between the same two correspondents; replies and their answers."""
    threads: dict[frozenset[str], list[Letter]] = defaultdict(list)
    for letter in corpus.letters:
        threads[letter.pair].append(letter)
    for thread in threads.values():
        for before, after in pairwise(thread):
            corpus.previous[after.stem] = before
            corpus.next[before.stem] = after
    for letter in corpus.letters:
        for text, when in letter.reply_refs:
            found = _replied_letter(letter, when, threads[letter.pair])
            corpus.replies_to.setdefault(letter.stem, []).append(found or text)
            if found is not None:
                corpus.answered_by.setdefault(found.stem, []).append(letter)


def _replied_letter(reply: Letter, when: str, thread: list[Letter]) -> Letter | None:
    """The letter a reply answers: from its addressee, before it, of the date it gives.

    ``when`` is the ``@n`` of the ``correspContext/ref`` (an ISO date, possibly without the
    year: ``--10-15``) or its ``@target`` (``NAME.xml``).
    """
    if when.endswith(".xml"):
        return next((x for x in thread if f"{x.stem}.xml" == when.split("/")[-1]), None)
    match = re.fullmatch(r"(\d{4})?-?-?(\d{2})-(\d{2})", when)
    if match is None:
        return None
    year, month, day = match.groups()
    senders = {p.key for p in reply.senders}
    for letter in reversed(thread):
        dated = letter.exact_date or ""
        if (
            letter.sort_key < reply.sort_key
            and not senders & {p.key for p in letter.senders}
            and dated[5:10] == f"{month}-{day}"
            and (year is None or dated[:4] == year)
        ):
            return letter
    return None

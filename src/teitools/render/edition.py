"""An edition as the renditions see it: what each letter says of itself (title, the names
in its ``correspDesc``, the names it points to, the letters it refers to) and the register
those names lead to.

:func:`read_source` reads one TEI letter; :class:`Edition` puts the letters and the register
files together: it resolves every pointer to an entry (making entries for pointers no
register answers), chooses each letter's title and gives each letter the :class:`Links` its
rendition needs. ``teitools render`` and ``teitools site`` both start here.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.dates import DateValue
from teitools.errors import TeitoolsError, one_line
from teitools.execution import Executor, LocalExecutor, lost
from teitools.render.entities import (
    NAMING,
    XML_ID,
    EntryFacts,
    Register,
    is_register_list,
    naming_kind,
    read_entries,
)
from teitools.render.header import correspondence, own_title, series_titles, text_of
from teitools.render.pointers import NS, Prefix, pointer_keys, prefixes
from teitools.safehtml import active_content

REPLY_TO = "http://www.tei-c.org/cmif/ns#replyTo"
_DRAFT = ".//t:adminInfo//t:item[@n='status'][starts-with(normalize-space(), 'Draft')]"


class SourceError(TeitoolsError):
    """A letter or register file cannot be read."""


@dataclass(frozen=True)
class Pointer:
    """A name that points to a register entry: its keys, the kind of entry, its text."""

    keys: tuple[str, ...]
    kind: str
    name: str


@dataclass(frozen=True)
class Links:
    """What a letter's rendition links to: ``entries`` maps the keys of the letter's
    pointers to entry ids, ``authorities`` to the authority URIs of those entries;
    ``letters`` maps the targets of its ``ref``s and ``ptr``s that name letters of the
    edition to (address, title)."""

    entries: dict[str, str] = field(default_factory=dict)
    letters: dict[str, tuple[str, str]] = field(default_factory=dict)
    authorities: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Source:
    """What one TEI letter says, before its pointers are resolved."""

    path: Path
    digest: str
    names: tuple[str, ...]  # how other letters may point to it: xml:id, stem, file name
    title: str  # its own title ("" if its header has none)
    made_title: str  # "Sender to Addressee, date", from its correspDesc
    series: tuple[str, ...]
    senders: tuple[Pointer, ...]
    addressees: tuple[Pointer, ...]
    places: tuple[Pointer, ...]
    holders: tuple[Pointer, ...]
    mentions: tuple[Pointer, ...]
    date: DateValue
    draft: bool
    reply_refs: tuple[tuple[str, str], ...]  # correspContext replyTo: (text, @n or @target)
    targets: tuple[str, ...]  # @target of every ref and ptr in the text
    entries: list[EntryFacts]  # register lists inside the letter
    problems: tuple[str, ...] = ()  # what a rendition could not use (a date that is no date)
    active: tuple[str, ...] = ()  # markup a browser would run (XHTML, SVG, ...)

    @property
    def stem(self) -> str:
        return self.path.stem


def _pointer(element: etree._Element, known: Mapping[str, list[Prefix]]) -> Pointer:
    return Pointer(tuple(pointer_keys(element, known)), naming_kind(element), text_of(element))


def text_elements(root: etree._Element) -> Iterator[etree._Element]:
    """Every element of the letter's ``text`` that the reader is shown: register lists
    inside it (their entries go to the register) are skipped."""
    stack = list(reversed(root.findall("t:text", NS)))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or is_register_list(element):
            continue
        yield element
        stack.extend(reversed(element))


def read_source(path: Path) -> Source:
    """One TEI letter, as the renditions need it."""
    try:
        data = path.read_bytes()
        root = etree.fromstring(data, safexml.parser())
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}", path) from None
    except etree.XMLSyntaxError as error:
        raise SourceError(f"not well-formed: {error}", path) from None
    header = root.find("t:teiHeader", NS)
    if header is None:
        raise SourceError("not a TEI document (no teiHeader)", path)
    known = prefixes(root, str(path))
    corresp = correspondence(header)
    replies = tuple(
        (text_of(ref), ref.get("target") or ref.get("n") or "")
        for ref in header.iterfind("t:profileDesc/t:correspDesc/t:correspContext/t:ref", NS)
        if ref.get("type") == REPLY_TO
    )
    mentions: list[Pointer] = []
    targets: list[str] = []
    for element in text_elements(root):
        name = etree.QName(element).localname
        if name in NAMING and pointer_keys(element, known):
            mentions.append(_pointer(element, known))
        elif name in ("ref", "ptr"):
            targets.extend((element.get("target") or "").split())
    holders = header.iterfind(".//t:msIdentifier/t:repository", NS)
    return Source(
        path=path,
        digest=hashlib.sha256(data).hexdigest(),
        names=tuple(dict.fromkeys(n for n in (root.get(XML_ID), path.stem, path.name) if n)),
        title=own_title(header),
        made_title=corresp.title() if corresp.senders or corresp.addressees else "",
        series=tuple(series_titles(header)),
        senders=tuple(_pointer(e, known) for e in corresp.senders),
        addressees=tuple(_pointer(e, known) for e in corresp.addressees),
        places=tuple(_pointer(e, known) for e in corresp.places),
        holders=tuple(_pointer(e, known) for e in holders if pointer_keys(e, known)),
        mentions=tuple(mentions),
        date=corresp.date,
        draft=bool(header.xpath(_DRAFT, namespaces=NS)),
        reply_refs=replies,
        targets=tuple(dict.fromkeys(targets)),
        entries=read_entries(root, register_file=False),
        problems=corresp.problems,
        active=tuple(active_content(root)),
    )


def register_files(paths: Iterable[Path]) -> list[Path]:
    """The TEI files among an edition's registers (``paths.registers`` in teitools.toml,
    ``--registers``), which the renditions read as they are; its folders of YAML or CSV
    reach them through the ``register.xml`` that ``convert`` writes from them."""
    return [path for path in paths if path.suffix.lower() == ".xml" and not path.is_dir()]


def read_register_file(path: Path) -> list[EntryFacts]:
    """The entries of a register file (``register.xml``, a ``listPerson`` file ...)."""
    try:
        root = etree.parse(str(path), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise SourceError(f"not a readable register: {error}", path) from None
    return read_entries(root, register_file=True)


def _pointers(source: Source) -> Iterator[Pointer]:
    yield from source.senders + source.addressees + source.places
    yield from source.holders + source.mentions


class Edition:
    """Letters and register, resolved: each pointer's entry, each letter's title."""

    def __init__(self, sources: Sequence[Source], registers: Iterable[list[EntryFacts]] = ()):
        self.sources = list(sources)
        self.register = Register()
        for entries in registers:
            self.register.add(entries)
        for source in self.sources:
            self.register.add(source.entries)
        for source in self.sources:
            for pointer in _pointers(source):
                self.register.note(list(pointer.keys), pointer.kind, pointer.name)
        self.register.settle()
        self.titles = self._titles()
        self._by_name = {name: s for s in self.sources for name in reversed(s.names)}

    def _titles(self) -> dict[str, str]:
        """Each letter's title: its own, unless that is the whole edition's (a series title
        some editions put in every letter), then the one its correspDesc makes."""
        counts = Counter(s.title for s in self.sources if s.title)
        series = {t for s in self.sources for t in s.series}
        shared = {
            t
            for t, n in counts.items()
            if n > 1 and (t in series or n * 2 > len(self.sources) >= 3)
        }
        return {
            s.stem: (s.title if s.title not in shared else "") or s.made_title or one_line(s.stem)
            for s in self.sources
        }

    def entry(self, pointer: Pointer) -> str:
        """The id of the entry a pointer leads to ("" if it has no keys)."""
        return self.register.find(pointer.keys) or ""

    def links(self, source: Source, href: Callable[[str], str]) -> Links:
        """The links of one letter; ``href`` gives the address of a letter's page by stem."""
        entries = {
            key: found
            for pointer in _pointers(source)
            for key in pointer.keys
            if (found := self.register.find([key]))
        }
        letters = {
            target: (href(other.stem), self.titles[other.stem])
            for target in source.targets
            if (other := self.letter(target)) is not None
        }
        authorities = {
            key: tuple(url for _, url in self.register.entries[found].identifiers)
            for key, found in entries.items()
        }
        return Links(entries, letters, authorities)

    def letter(self, target: str) -> Source | None:
        """The letter a ``ref/@target`` names (``K_0122``, ``L00552.xml``, ``#L00552``)."""
        name = target.rpartition("/")[2].lstrip("#")
        return self._by_name.get(name) or self._by_name.get(name.partition("#")[0])


def read_sources(
    paths: Iterable[Path], executor: Executor | None = None
) -> tuple[list[Source], list[SourceError]]:
    """The letters at ``paths`` that can be read, and the errors of those that cannot; read
    by ``executor`` (each letter parsed by a worker; by default in this process)."""
    executor = executor or LocalExecutor(1)
    sources, errors = [], []
    for path, outcome in executor.map_files(_read, iter(paths), None, failed=_unread):
        if isinstance(outcome, Source):
            sources.append(outcome)
        else:
            errors.append(SourceError(outcome, path))
    return sources, errors


def _read(context: None, path: Path) -> Source | str:
    """A letter's facts, or why it cannot be read (a message: it crosses processes)."""
    try:
        return read_source(path)
    except SourceError as error:
        return error.message


def _unread(path: Path, error: BaseException) -> str:
    return lost(error)

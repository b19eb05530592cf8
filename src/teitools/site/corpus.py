"""What the site knows of a corpus: one record per TEI letter, the register, and the links
between them (the same two correspondents, replies, who names whom).

Everything here is read from the TEI alone (``teiHeader/profileDesc/correspDesc`` and the
``@ref``/``@sameAs`` pointers into ``register.xml``), so the site works for any folder of
letters encoded to the profile in ``docs/encoding-profile.md``, not only teitools' output.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.dates import DateValue, calendar_date
from teitools.errors import TeitoolsError, one_line
from teitools.registers import REGISTER_FILE
from teitools.safehtml import active_content

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
REPLY_TO = "http://www.tei-c.org/cmif/ns#replyTo"
UNDATED_KEY = "9999"  # sorts letters with no date at all after every dated one
REGISTER_KINDS = {  # register.xml div/@type → (kind, page name, heading)
    "listPerson": ("person", "persons", "Persons"),
    "listPlace": ("place", "places", "Places"),
    "listOrg": ("org", "organisations", "Organisations"),
    "names": ("name", "names", "Names"),
    "listEvent": ("event", "events", "Events"),
}


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
    kind: str  # person, place, org, name, event
    name: str
    details: tuple[str, ...]  # life dates, offices, type
    identifiers: tuple[tuple[str, str], ...]  # (scheme, URL)
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
    entries: dict[str, Entry]  # by xml:id, in register order
    register: Path | None
    paths: dict[str, Path] = field(default_factory=dict)  # TEI file by stem
    previous: dict[str, Letter] = field(default_factory=dict)  # by stem
    next: dict[str, Letter] = field(default_factory=dict)
    replies_to: dict[str, list[Letter | str]] = field(default_factory=dict)  # a letter or text
    answered_by: dict[str, list[Letter]] = field(default_factory=dict)

    @cached_property
    def kinds(self) -> list[tuple[str, str, list[Entry]]]:
        """(page name, heading, entries) for every kind of entry the register has."""
        found = []
        for kind, page, heading in REGISTER_KINDS.values():
            entries = [e for e in self.entries.values() if e.kind == kind]
            if entries:
                found.append((page, heading, entries))
        return found


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _register_id(element: etree._Element) -> str:
    """The id a ``@ref`` or ``@sameAs`` of the form ``register.xml#id`` points to."""
    for value in f"{element.get('ref', '')} {element.get('sameAs', '')}".split():
        if value.startswith(f"{REGISTER_FILE}#"):
            return value.partition("#")[2]
    return ""


def _parties(action: etree._Element | None, tag: str) -> tuple[Party, ...]:
    if action is None:
        return ()
    found = action.findall(f"t:{tag}", NS)
    return tuple(Party(_register_id(e), _text(e)) for e in found if _text(e))


def _date(action: etree._Element | None) -> tuple[DateValue, list[str]]:
    """The date of sending, and a problem for each value that names no real date: such a
    value is left out (with none left, the letter is undated)."""
    element = action.find("t:date", NS) if action is not None else None
    if element is None:
        return DateValue(), []
    values, problems = [], []
    for names in (("when",), ("notBefore", "from"), ("notAfter", "to")):
        name = next((n for n in names if element.get(n)), names[0])
        value = element.get(name)
        checked = calendar_date(value) if value else None
        if value and checked is None:
            problems.append(
                f"date of sending @{name}={value!r} is not a real date (YYYY, YYYY-MM, "
                "YYYY-MM-DD or --MM-DD): ignored"
            )
        values.append(checked)
    return DateValue(*values), problems


def read_letter(path: Path) -> Letter:
    """The site's record of one TEI letter."""
    data = path.read_bytes()
    try:
        root = etree.fromstring(data, safexml.parser())
    except etree.XMLSyntaxError as error:
        raise SiteError(f"not well-formed: {error}", path) from None
    header = root.find("t:teiHeader", NS)
    if header is None:
        raise SiteError("not a TEI document (no teiHeader)", path)
    corresp = header.find("t:profileDesc/t:correspDesc", NS)
    sent = corresp.find("t:correspAction[@type='sent']", NS) if corresp is not None else None
    received = (
        corresp.find("t:correspAction[@type='received']", NS) if corresp is not None else None
    )
    replies = tuple(
        (_text(ref), ref.get("target") or ref.get("n") or "")
        for ref in (corresp.findall("t:correspContext/t:ref", NS) if corresp is not None else [])
        if ref.get("type") == REPLY_TO
    )
    body = root.find("t:text", NS)
    mentions = frozenset(map(_register_id, body.iter() if body is not None else [])) - {""}
    holders = tuple(map(_register_id, header.iterfind(".//t:msIdentifier/t:repository", NS)))
    date, problems = _date(sent)
    return Letter(
        stem=path.stem,
        title=_text(header.find("t:fileDesc/t:titleStmt/t:title", NS)) or one_line(path.stem),
        digest=hashlib.sha256(data).hexdigest(),
        senders=_parties(sent, "persName") + _parties(sent, "orgName"),
        addressees=_parties(received, "persName") + _parties(received, "orgName"),
        places=_parties(sent, "placeName") or _parties(received, "placeName"),
        date=date,
        draft=bool(header.xpath(_DRAFT, namespaces=NS)),
        reply_refs=replies,
        mentions=mentions,
        holders=tuple(h for h in holders if h),
        problems=tuple(problems),
        active=tuple(active_content(root)),
    )


_DRAFT = ".//t:adminInfo//t:item[@n='status'][starts-with(normalize-space(), 'Draft')]"


def read_register(path: Path) -> list[Entry]:
    """The entries of a ``register.xml``, in document order."""
    try:
        root = etree.parse(str(path), safexml.parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise SiteError(f"not a readable register: {error}", path) from None
    entries = []
    for div in root.iterfind(".//t:body/t:div", NS):
        kind = REGISTER_KINDS.get(div.get("type", ""), REGISTER_KINDS["names"])[0]
        for element in div.iterfind("*/*", NS):
            ident = element.get(XML_ID)
            if not ident:
                continue
            entries.append(
                Entry(
                    ident,
                    kind,
                    _entry_name(element),
                    _details(element),
                    tuple(
                        (i.get("type", "link"), _text(i))
                        for i in element.iterfind("t:idno", NS)
                        if _text(i).startswith("http")
                    ),
                )
            )
    return entries


def _entry_name(element: etree._Element) -> str:
    for tag in ("persName", "placeName", "orgName", "name", "label"):
        name = element.find(f"t:{tag}", NS)
        if name is not None:
            forename, surname = name.find("t:forename", NS), name.find("t:surname", NS)
            if forename is not None and surname is not None:
                return f"{_text(forename)} {_text(surname)}"
            return _text(name)
    return str(element.get(XML_ID, ""))


def _details(element: etree._Element) -> tuple[str, ...]:
    details = []
    birth, death = element.find("t:birth", NS), element.find("t:death", NS)
    if birth is not None or death is not None:
        born = (birth.get("when", "") if birth is not None else "")[:4]
        died = (death.get("when", "") if death is not None else "")[:4]
        details.append(f"{born}–{died}")
    for state in element.iterfind("t:state[@type='office']", NS):
        details.append(f"{_text(state)} ({state.get('from', '')[:4]}–{state.get('to', '')[:4]})")
    kind = element.get("type") or next(
        (n.get("type", "") for n in element.iterfind("t:name", NS)), ""
    )
    if kind:
        details.append(kind)
    if element.get("from"):
        details.append(f"{element.get('from')} – {element.get('to', '')}")
    return tuple(details)


def read_corpus(paths: Iterable[Path], register: Path | None) -> tuple[Corpus, list[SiteError]]:
    """Records for the letters at ``paths`` and the register, linked to one another, and
    the files that could not be read (the others are still in the corpus)."""
    letters, errors, found = [], [], {}
    for path in paths:
        try:
            letters.append(read_letter(path))
            found[path.stem] = path
        except SiteError as error:
            errors.append(error)
        except OSError as error:
            errors.append(SiteError(f"cannot read: {error.strerror}", path))
    letters.sort(key=lambda x: (x.sort_key, x.stem))
    entries = {}
    if register is not None:
        try:
            entries = {e.id: e for e in read_register(register)}
        except SiteError as error:  # the letters still make a site, without a register
            errors.append(error)
            register = None
    corpus = Corpus(letters, entries, register, found)
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

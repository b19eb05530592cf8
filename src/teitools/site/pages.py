"""The site's pages other than the letters, from Jinja2 templates in ``xslt/site/``: home,
list of letters, timeline, register indexes and entries, search, sitemap.

Each function gives a page's path in the site and its bytes (a large page, as the list of
letters, in pieces as the template makes them); nothing here touches the disk.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, select_autoescape

from teitools import __version__
from teitools.resources import XSLT
from teitools.safehtml import file_url, safe_url
from teitools.site.config import SiteConfig
from teitools.site.corpus import REGISTER_KINDS, UNDATED_KEY, Corpus, Entry, Letter
from teitools.site.timeline import timeline_svg

TEMPLATES = XSLT / "site"
SCHEMES = {"wikidata": "Wikidata", "viaf": "VIAF", "geonames": "GeoNames", "gnd": "GND"}
NEWEST_OLDEST = 3


@cache
def environment() -> Environment:
    """Every value is HTML-escaped (autoescape, in every template); a file name in a link
    goes through ``file_url``, an address from the TEI through ``safe_url``."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["file_url"] = file_url
    env.filters["safe_url"] = safe_url
    return env


def render(template: str, config: SiteConfig, corpus: Corpus, root: str, **context: Any) -> bytes:
    """One page; ``root`` leads from the page back to the site's top folder."""
    return b"".join(stream(template, config, corpus, root, **context))


def stream(
    template: str, config: SiteConfig, corpus: Corpus, root: str, **context: Any
) -> Iterator[bytes]:
    """One page in pieces, as the template makes them (:func:`render`)."""
    kinds = [(page, heading) for page, heading, _ in corpus.kinds]
    page = environment().get_template(template)
    pieces = page.generate(
        config=config,
        root=root,
        register_kinds=kinds,
        version=__version__,
        cmif=corpus.cmif,
        **context,
    )
    return _chunks(pieces)


CHUNK = 1 << 16  # characters of a page written at a time


def _chunks(pieces: Iterable[str]) -> Iterator[bytes]:
    """The template's pieces (often a few characters each) joined into chunks of about
    :data:`CHUNK` characters, as UTF-8."""
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(held).encode("utf-8")
            held, size = [], 0
    yield "".join(held).encode("utf-8")


def letter_head(letter: Letter, config: SiteConfig) -> str:
    """Dublin Core metadata for reference managers, and the canonical address if known."""
    date = letter.exact_date or "/".join(
        d for d in (letter.date.not_before, letter.date.not_after) if d
    )
    template = environment().get_template("letter-head.html.j2")
    return template.render(letter=letter, config=config, date=date)


def letter_nav(corpus: Corpus, letter: Letter, config: SiteConfig, pdf: bool) -> str:
    """A letter's place in the correspondence: previous, next, replies; downloads; citation."""
    template = environment().get_template("letter-nav.html.j2")
    return template.render(
        config=config,
        letter=letter,
        previous=corpus.previous(letter.stem),
        next=corpus.next(letter.stem),
        replies_to=corpus.replies_to(letter.stem),
        answered_by=corpus.answered_by(letter.stem),
        pdf=pdf,
        cmif=corpus.cmif,
    )


def _options(names: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(names.items(), key=lambda item: item[1])


@dataclass
class Overview:
    """What the home page and the list say of all the letters, gathered in one pass."""

    correspondents: set[str] = field(default_factory=set)
    senders: dict[str, str] = field(default_factory=dict)  # name by key, the last one given
    addressees: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    drafts: int = 0
    oldest: list[Letter] = field(default_factory=list)  # the first dated letters
    newest: deque[Letter] = field(default_factory=lambda: deque(maxlen=NEWEST_OLDEST))
    dated_years: list[str] = field(default_factory=list)  # first and last year exactly dated
    years: list[str] = field(default_factory=list)  # first and last year of any date

    def add(self, letter: Letter) -> None:
        self.correspondents.update(p.key for p in letter.senders + letter.addressees)
        for names, parties in (
            (self.senders, letter.senders),
            (self.addressees, letter.addressees),
            (self.places, letter.places),
        ):
            names.update((p.key, p.name) for p in parties)
        self.drafts += letter.draft
        if letter.sort_key != UNDATED_KEY:
            if len(self.oldest) < NEWEST_OLDEST:
                self.oldest.append(letter)
            self.newest.append(letter)
        if letter.sort_key[:4].isdigit() and letter.exact_date:
            _bounds(self.dated_years, letter.sort_key[:4])
        for end in (letter.sort_key, letter.date.not_after or ""):
            if end[:4].isdigit() and end != UNDATED_KEY:
                _bounds(self.years, end[:4])

    @property
    def span(self) -> str:
        years = self.dated_years
        if not years:
            return ""
        return years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _bounds(bounds: list[str], value: str) -> None:
    """Widen ``bounds`` (empty, or the least and the greatest value) to ``value``."""
    if not bounds:
        bounds[:] = [value, value]
    bounds[:] = [min(bounds[0], value), max(bounds[1], value)]


def overview_pages(corpus: Corpus, config: SiteConfig) -> dict[str, Iterator[bytes]]:
    """Home, letters, timeline, search, and one index page per kind of register entry, each
    made as it is read."""
    letters = corpus.letters
    facts = Overview()
    svg, off_timeline = timeline_svg(_gathering(letters, facts))
    pages = {
        "index.html": stream(
            "home.html.j2",
            config,
            corpus,
            "",
            current="home",
            letters=letters,
            span=facts.span,
            correspondents=len(facts.correspondents),
            kinds=corpus.kinds,
            drafts=facts.drafts,
            oldest=facts.oldest,
            newest=list(reversed(facts.newest)),
            timeline=svg,
            off_timeline=off_timeline,
        ),
        "timeline.html": stream(
            "timeline.html.j2",
            config,
            corpus,
            "",
            current="timeline",
            timeline=svg,
            off_timeline=off_timeline,
        ),
        "letters.html": stream(
            "letters.html.j2",
            config,
            corpus,
            "",
            current="letters",
            letters=letters,
            filters=[
                ("from", "From", _options(facts.senders)),
                ("to", "To", _options(facts.addressees)),
                ("place", "Place", _options(facts.places)),
                ("status", "Status", [("sent", "sent"), ("draft", "draft")]),
            ],
            years=(facts.years[0], facts.years[1]) if facts.years else ("", ""),
        ),
        "search.html": stream("search.html.j2", config, corpus, "", current="search"),
    }
    for page, heading, entries in corpus.kinds:
        pages[f"{page}.html"] = stream(
            "register.html.j2",
            config,
            corpus,
            "",
            current=page,
            heading=heading,
            entries=entries,
            named=sum(1 for e in entries if e.letters),
        )
    return pages


def _gathering(letters: Iterable[Letter], facts: Overview) -> Iterator[Letter]:
    """``letters``, each added to ``facts`` as it passes."""
    for letter in letters:
        facts.add(letter)
        yield letter


def entry_pages(corpus: Corpus, config: SiteConfig) -> Iterator[tuple[str, Iterator[bytes]]]:
    """One page per register entry, listing the letters that send, receive or mention it,
    made as it is read."""
    headings = {kind: (page, heading) for kind, page, heading in REGISTER_KINDS.values()}
    for entry in corpus.entries.values():
        page, heading = headings[entry.kind]
        yield (
            f"register/{entry.id}.html",
            stream(
                "entry.html.j2",
                config,
                corpus,
                "../",
                current=page,
                entry=entry,
                slug=page,
                heading=heading,
                schemes=SCHEMES,
                groups=_groups(entry),
                filter=_list_filter(entry),
            ),
        )


def _list_filter(entry: Entry) -> str:
    """The list's filter that shows an entry's letters, if one does."""
    if entry.kind == "place" and entry.located:
        return "place"
    if entry.sent and not entry.received:
        return "from"
    if entry.received and not entry.sent:
        return "to"
    return ""


def _groups(entry: Entry) -> list[tuple[str, list[Letter]]]:
    """The entry's letters by role; a letter is listed under its first role only."""
    roles = [
        ("Letters sent", entry.sent),
        ("Letters received", entry.received),
        ("Letters written or received here", entry.located),
        ("Letters held here", entry.held),
        ("Letters that mention it", entry.mentioned),
    ]
    groups, seen = [], set[str]()
    for label, letters in roles:
        fresh = [x for x in letters if x.stem not in seen]
        seen.update(x.stem for x in fresh)
        groups.append((label, fresh))
    return groups


def sitemap(paths: Iterable[str], config: SiteConfig) -> Iterator[bytes]:
    """``sitemap.xml`` for the HTML pages among ``paths`` (in name order), a line at a time:
    absolute addresses when ``url`` is configured."""
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
    yield b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    for path in paths:
        if path.endswith(".html"):
            address = config.base + "/".join(map(file_url, path.split("/")))
            yield f"  <url><loc>{escape(address)}</loc></url>\n".encode()
    yield b"</urlset>\n"

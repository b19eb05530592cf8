"""The correspondence on a time axis, as inline SVG drawn at build time.

One lane per direction ("Ronald Reagan → Leonid Brezhnev"); each dated letter is a dot,
each letter dated only by a range (``notBefore``/``notAfter``, or a year or month alone) a
bar over that range; drafts are hollow. Every mark is a link to its letter, with the title
as its tooltip and accessible name. Letters with no year at all are left off and counted.
"""

from __future__ import annotations

import calendar
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from lxml import etree

from teitools.safehtml import file_url
from teitools.scratch import scratch
from teitools.site.corpus import Letter

SVG = "http://www.w3.org/2000/svg"
WIDTH, LABEL, LANE, PAD = 960, 230, 40, 28
MAX_LANES = 8
CLUSTER = 3  # more letters than this in one month of one lane are drawn as one mark
BATCH = 500  # letters written to the scratch database at a time
OTHERS = "Other correspondents"
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _span(value: str | None, end: bool) -> date | None:
    """The first (or last) day an ISO date of any precision stands for."""
    match = _ISO.fullmatch(value or "")
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None:
        return date(year, 12, 31) if end else date(year, 1, 1)
    if day is None:
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return date(year, month, day)


def extent(letter: Letter) -> tuple[date, date] | None:
    """The days a letter may have been written on, or None if not even its year is known."""
    if letter.date.when:
        first, last = _span(letter.date.when, False), _span(letter.date.when, True)
    else:
        first, last = _span(letter.date.not_before, False), _span(letter.date.not_after, True)
        first, last = first or last, last or first
    return (first, last) if first and last else None


def lane_of(letter: Letter) -> str:
    senders = " & ".join(p.name for p in letter.senders) or "Unknown"
    addressees = " & ".join(p.name for p in letter.addressees) or "Unknown"
    return f"{senders} → {addressees}"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(
        parent, f"{{{SVG}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()}
    )
    element.text = text
    return element


@dataclass(frozen=True)
class Mark:
    """A letter on the timeline: what its mark shows and links to."""

    stem: str
    title: str
    status: str
    first: date
    last: date


def _placed(letters: Iterable[Letter]) -> tuple[sqlite3.Connection, int]:
    """The dated letters in a scratch database (SQLite's own temporary file), one row each
    (its lane, the days it may have been written on, its month or range, in the order
    given), and how many letters there were in all."""
    db = scratch()
    db.execute(
        "CREATE TABLE placed (n INTEGER PRIMARY KEY, lane TEXT NOT NULL, filter TEXT NOT NULL,"
        " first TEXT NOT NULL, last TEXT NOT NULL, together TEXT NOT NULL, stem TEXT NOT NULL,"
        " title TEXT NOT NULL, status TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX placed_by_lane ON placed (lane, first, last, stem, n)")
    count, rows = 0, list[tuple[object, ...]]()
    for count, letter in enumerate(letters, 1):
        span = extent(letter)
        if span is None:
            continue
        first, last = span
        month = first.strftime("%Y-%m")
        together = month if month == last.strftime("%Y-%m") else f"{first}/{last}"
        place = (first.isoformat(), last.isoformat(), together)
        rows.append((count, lane_of(letter), _lane_filter(letter), *place, *_shown(letter)))
        if len(rows) == BATCH:
            db.executemany("INSERT INTO placed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            rows = []
    db.executemany("INSERT INTO placed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return db, count


def _shown(letter: Letter) -> tuple[str, str, str]:
    return letter.stem, letter.title, letter.status


def _lanes(db: sqlite3.Connection) -> tuple[list[str], dict[str, str]]:
    """The lanes, fullest first (beyond :data:`MAX_LANES`, the rest are one lane of
    :data:`OTHERS`), and each lane's filter of the list (its last letter's)."""
    counts = dict(db.execute("SELECT lane, count(*) FROM placed GROUP BY lane"))
    names = sorted(counts, key=lambda n: (-counts[n], n))
    filters = {
        name: str(
            db.execute(
                "SELECT filter FROM placed WHERE lane = ? ORDER BY n DESC LIMIT 1", (name,)
            ).fetchone()[0]
        )
        for name in names[: MAX_LANES - 1 if len(names) > MAX_LANES else MAX_LANES]
    }
    if len(names) > MAX_LANES:
        db.executemany(
            "UPDATE placed SET lane = ? WHERE lane = ?",
            ((OTHERS, name) for name in names[MAX_LANES - 1 :]),
        )
        names = [*names[: MAX_LANES - 1], OTHERS]
        filters[OTHERS] = ""
    return names, filters


def timeline_svg(
    letters: Iterable[Letter], href: str = "letters/", list_page: str = "letters.html"
) -> tuple[str, int]:
    """The SVG (as text) and how many letters could not be placed on it.

    Where one lane has more than ``CLUSTER`` letters in a month, they are drawn as one mark
    with their number, linking to ``list_page`` filtered to that lane and month. The letters
    are gathered in a scratch database, so that only the marks are held.
    """
    db, count = _placed(letters)
    try:
        return _draw(db, count, href, list_page)
    finally:
        db.close()


def _draw(db: sqlite3.Connection, count: int, href: str, list_page: str) -> tuple[str, int]:
    dated, earliest, latest = db.execute(
        "SELECT count(*), min(first), max(last) FROM placed"
    ).fetchone()
    names, filters = _lanes(db)
    height = PAD * 2 + LANE * max(1, len(names))
    svg = etree.Element(
        f"{{{SVG}}}svg",
        nsmap={None: SVG},
        viewBox=f"0 0 {WIDTH} {height}",
        role="group",
        **{"class": "timeline", "aria-label": "Letters on a time axis, one row per direction"},
    )
    if not dated:
        _el(svg, "text", "No dated letters.", x=str(LABEL), y=str(PAD + LANE // 2))
        return etree.tostring(svg, encoding="unicode"), count
    start = date(date.fromisoformat(earliest).year, 1, 1)
    stop = date(date.fromisoformat(latest).year + 1, 1, 1)
    days = (stop - start).days

    def x(day: date) -> float:
        return LABEL + (day - start).days / days * (WIDTH - LABEL - 10)

    _axis(svg, start.year, stop.year, x, height)
    for row, name in enumerate(names):
        middle = PAD + row * LANE + LANE / 2
        _el(svg, "text", name, x=str(LABEL - 8), y=f"{middle + 4:.0f}", class_="lane")
        _el(
            svg,
            "line",
            x1=str(LABEL),
            x2=str(WIDTH - 10),
            y1=f"{middle:.0f}",
            y2=f"{middle:.0f}",
            class_="lane-rule",
        )
        edges: list[float] = []  # right edge of the last mark on each track (three at most)
        for head, final, size in _groups(db, name):
            left, right = x(head.first), x(final)
            track = _free_track(edges, left)
            edges[track] = right + 5
            y = middle + (0, -10, 10)[track]
            if size > 1:
                _cluster(svg, head, size, left, right, y, f"{list_page}?{filters[name]}")
            else:
                _mark(svg, head, left, right, y, href)
    return etree.tostring(svg, encoding="unicode"), count - dated


def _lane_filter(letter: Letter) -> str:
    """The list's query for a lane: its sender and addressee (the first of each)."""
    keys = [("from", letter.senders), ("to", letter.addressees)]
    return "&".join(f"{name}={quote(parties[0].key)}" for name, parties in keys if parties)


def _groups(db: sqlite3.Connection, lane: str) -> Iterator[tuple[Mark, date, int]]:
    """The lane's marks in date order: each letter (its mark, its last day, 1), but more
    than ``CLUSTER`` letters of one month (or of one and the same range) as one mark (the
    first of them, the last day of any, how many)."""
    clusters = {
        together: (date.fromisoformat(last), size)
        for together, last, size in db.execute(
            "SELECT together, max(last), count(*) FROM placed WHERE lane = ?"
            " GROUP BY together HAVING count(*) > ?",
            (lane, CLUSTER),
        )
    }
    drawn: set[str] = set()
    rows = db.execute(
        "SELECT together, stem, title, status, first, last FROM placed WHERE lane = ?"
        " ORDER BY first, last, stem, n",
        (lane,),
    )
    for together, stem, title, status, first, last in rows:
        mark = Mark(stem, title, status, date.fromisoformat(first), date.fromisoformat(last))
        if together not in clusters:
            yield mark, mark.last, 1
        elif together not in drawn:  # the cluster's first letter: the cluster's place
            drawn.add(together)
            yield mark, *clusters[together]


def _link(svg: etree._Element, href: str, css: str, label: str) -> etree._Element:
    """A mark's link, named by ``label`` for screen readers and as its tooltip."""
    link = _el(svg, "a", href=href, class_=css)
    link.set("aria-label", label)
    _el(link, "title", label)
    return link


def _mark(
    svg: etree._Element, letter: Mark, left: float, right: float, y: float, href: str
) -> None:
    link = _link(svg, f"{href}{file_url(letter.stem)}.html", f"mark {letter.status}", letter.title)
    if right - left < 4:
        _el(link, "circle", cx=f"{left:.1f}", cy=f"{y:.1f}", r="4.5")
    else:
        _el(
            link,
            "rect",
            x=f"{left:.1f}",
            y=f"{y - 3:.1f}",
            width=f"{right - left:.1f}",
            height="6",
            rx="3",
        )


def _cluster(
    svg: etree._Element, head: Mark, size: int, left: float, right: float, y: float, query: str
) -> None:
    """One mark for a lane's letters of a month (or of one range), with their number,
    linking to the list filtered to them."""
    first, last = head.first, head.last
    when = first.strftime("%B %Y") if first.month == last.month else f"{first} to {last}"
    label = f"{size} letters, {when}"
    href = f"{query}{'&' if not query.endswith('?') else ''}on={first.strftime('%Y-%m')}"
    link = _link(svg, href, "mark cluster", label)
    radius = 5 + 3 * len(str(size))
    middle = (left + right) / 2
    if right - left < 2 * radius:
        _el(link, "circle", cx=f"{middle:.1f}", cy=f"{y:.1f}", r=str(radius))
    else:
        _el(
            link,
            "rect",
            x=f"{left:.1f}",
            y=f"{y - 7:.1f}",
            width=f"{right - left:.1f}",
            height="14",
            rx="7",
        )
    _el(link, "text", str(size), x=f"{middle:.1f}", y=f"{y + 3.5:.1f}")


def _free_track(edges: list[float], left: float) -> int:
    """The first track free at ``left``; a new one while there are fewer than three; else
    the one that frees soonest (marks then overlap, and stay links)."""
    for track, edge in enumerate(edges):
        if edge < left:
            return track
    if len(edges) < 3:
        edges.append(0.0)
        return len(edges) - 1
    return edges.index(min(edges))


def _axis(
    svg: etree._Element, first: int, stop: int, x: Callable[[date], float], height: int
) -> None:
    step = 1 if stop - first <= 12 else 5 if stop - first <= 60 else 25
    for year in range(first, stop + 1):
        left = x(date(year, 1, 1))
        _el(
            svg,
            "line",
            x1=f"{left:.1f}",
            x2=f"{left:.1f}",
            y1=str(PAD - 6),
            y2=str(height - PAD),
            class_="tick",
        )
        if year % step == 0 and year < stop:
            _el(svg, "text", str(year), x=f"{left + 3:.1f}", y=str(PAD - 10), class_="year")

"""The correspondence on a time axis, as inline SVG drawn at build time.

One lane per direction ("Ronald Reagan → Leonid Brezhnev"); each dated letter is a dot,
each letter dated only by a range (``notBefore``/``notAfter``, or a year or month alone) a
bar over that range; drafts are hollow. Every mark is a link to its letter, with the title
as its tooltip and accessible name. Letters with no year at all are left off and counted.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from urllib.parse import quote

from lxml import etree

from teitools.safehtml import file_url
from teitools.site.corpus import Letter

SVG = "http://www.w3.org/2000/svg"
WIDTH, LABEL, LANE, PAD = 960, 230, 40, 28
MAX_LANES = 8
CLUSTER = 3  # more letters than this in one month of one lane are drawn as one mark
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


Placed = tuple[Letter, tuple[date, date]]  # a letter and the days it may have been written on


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(
        parent, f"{{{SVG}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()}
    )
    element.text = text
    return element


def timeline_svg(
    letters: Iterable[Letter], href: str = "letters/", list_page: str = "letters.html"
) -> tuple[str, int]:
    """The SVG (as text) and how many letters could not be placed on it.

    Where one lane has more than ``CLUSTER`` letters in a month, they are drawn as one mark
    with their number, linking to ``list_page`` filtered to that lane and month.
    """
    placed = [(x, extent(x)) for x in letters]
    dated = [(x, span) for x, span in placed if span is not None]
    lanes: dict[str, list[Placed]] = defaultdict(list)
    filters: dict[str, str] = {}  # lane → the list's filter for its letters
    for letter, span in dated:
        lane = lane_of(letter)
        lanes[lane].append((letter, span))
        filters[lane] = _lane_filter(letter)
    names = sorted(lanes, key=lambda n: (-len(lanes[n]), n))
    if len(names) > MAX_LANES:
        for name in names[MAX_LANES - 1 :]:
            lanes[OTHERS].extend(lanes.pop(name))
        names = [*names[: MAX_LANES - 1], OTHERS]
        filters[OTHERS] = ""
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
        return etree.tostring(svg, encoding="unicode"), len(placed)
    start = date(min(s[0] for _, s in dated).year, 1, 1)
    stop = date(max(s[1] for _, s in dated).year + 1, 1, 1)
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
        for group in _groups(lanes[name]):
            first, final = group[0][1][0], max(span[1] for _, span in group)
            left, right = x(first), x(final)
            track = _free_track(edges, left)
            edges[track] = right + 5
            y = middle + (0, -10, 10)[track]
            if len(group) > 1:
                _cluster(svg, group, left, right, y, f"{list_page}?{filters[name]}")
            else:
                _mark(svg, group[0][0], left, right, y, href)
    return etree.tostring(svg, encoding="unicode"), len(placed) - len(dated)


def _lane_filter(letter: Letter) -> str:
    """The list's query for a lane: its sender and addressee (the first of each)."""
    keys = [("from", letter.senders), ("to", letter.addressees)]
    return "&".join(f"{name}={quote(parties[0].key)}" for name, parties in keys if parties)


def _groups(lane: list[Placed]) -> list[list[Placed]]:
    """The lane's letters in date order, one group each; but more than CLUSTER letters of
    one month (or of one and the same range) become one group."""
    together: dict[str, list[Placed]] = defaultdict(list)
    for letter, (first, last) in lane:
        month = first.strftime("%Y-%m")
        key = month if month == last.strftime("%Y-%m") else f"{first}/{last}"
        together[key].append((letter, (first, last)))
    groups: list[list[Placed]] = []
    for members in together.values():
        if len(members) > CLUSTER:
            groups.append(sorted(members, key=lambda p: (p[1], p[0].stem)))
        else:
            groups.extend([placed] for placed in members)
    return sorted(groups, key=lambda g: (g[0][1], g[0][0].stem))


def _link(svg: etree._Element, href: str, css: str, label: str) -> etree._Element:
    """A mark's link, named by ``label`` for screen readers and as its tooltip."""
    link = _el(svg, "a", href=href, class_=css)
    link.set("aria-label", label)
    _el(link, "title", label)
    return link


def _mark(
    svg: etree._Element, letter: Letter, left: float, right: float, y: float, href: str
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
    svg: etree._Element, group: list[Placed], left: float, right: float, y: float, query: str
) -> None:
    """One mark for a lane's letters of a month (or of one range), with their number,
    linking to the list filtered to them."""
    first, last = group[0][1]
    when = first.strftime("%B %Y") if first.month == last.month else f"{first} to {last}"
    label = f"{len(group)} letters, {when}"
    href = f"{query}{'&' if not query.endswith('?') else ''}on={first.strftime('%Y-%m')}"
    link = _link(svg, href, "mark cluster", label)
    radius = 5 + 3 * len(str(len(group)))
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
    _el(link, "text", str(len(group)), x=f"{middle:.1f}", y=f"{y + 3.5:.1f}")


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

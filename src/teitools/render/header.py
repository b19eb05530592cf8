"""What a letter's own ``teiHeader`` says about it: its title, its correspondents, its date.

Every rendition (web page, PDF, site list, citation, CMIF) takes these facts from here, so a
letter is called the same everywhere, and it is called what its edition calls it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from teitools.dates import DateValue, calendar_date
from teitools.namespaces import NS

# correspAction children that name a correspondent (CMIF allows persName and orgName)
CORRESPONDENTS = ("persName", "orgName", "name", "rs")
PLACES = ("placeName", "settlement")
# titles that name something else than the letter: a series, a journal, a volume, a date
SERIES_LEVELS = {"s", "j", "m", "u"}
OTHER_TYPES = {"s", "series", "sub", "subtitle", "iso-date", "date", "short", "alt", "desc"}


def text_of(element: etree._Element | None) -> str:
    """The text of an element, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def own_title(header: etree._Element | None) -> str:
    """The letter's title as its header gives it: ``title[@level='a']``, else a main
    title, else the first title that is not a series, journal, volume, subtitle or date."""
    if header is None:
        return ""
    titles = header.findall("t:fileDesc/t:titleStmt/t:title", NS)
    for chosen in (
        [t for t in titles if t.get("level") == "a"],
        [t for t in titles if t.get("type") == "main" and t.get("level") not in SERIES_LEVELS],
        [
            t
            for t in titles
            if t.get("level") not in SERIES_LEVELS and t.get("type") not in OTHER_TYPES
        ],
    ):
        found = next((text_of(t) for t in chosen if text_of(t)), "")
        if found:
            return found
    return ""


def series_titles(header: etree._Element | None) -> list[str]:
    """The titles of the series (or volume, journal) the letter belongs to."""
    if header is None:
        return []
    titles = header.findall("t:fileDesc/t:titleStmt/t:title", NS)
    found = [text_of(t) for t in titles if t.get("level") in SERIES_LEVELS or t.get("type") == "s"]
    found += [text_of(t) for t in header.findall("t:fileDesc/t:seriesStmt/t:title", NS)]
    return [t for t in found if t]


@dataclass(frozen=True)
class Correspondence:
    """The ``correspDesc`` of a letter: each side's name elements, places and the date."""

    senders: tuple[etree._Element, ...]
    addressees: tuple[etree._Element, ...]
    places: tuple[etree._Element, ...]  # where it was written, else where it was received
    date: DateValue
    problems: tuple[str, ...] = ()  # date values that name no real date (left out)

    def title(self) -> str:
        """ "Sender to Addressee, date", for a letter whose header has no title of its own."""
        sender = " and ".join(text_of(e) for e in self.senders) or "Unknown"
        addressee = " and ".join(text_of(e) for e in self.addressees) or "unknown"
        when = self.date.label()
        return f"{sender} to {addressee}" + (f", {when}" if when else "")


def _actions(corresp: etree._Element | None, kind: str) -> list[etree._Element]:
    return [] if corresp is None else corresp.findall(f"t:correspAction[@type='{kind}']", NS)


def _children(actions: list[etree._Element], names: tuple[str, ...]) -> tuple[etree._Element, ...]:
    return tuple(
        child
        for action in actions
        for child in action
        if isinstance(child.tag, str) and etree.QName(child).localname in names and text_of(child)
    )


def _date(actions: list[etree._Element], kind: str) -> tuple[DateValue, list[str]]:
    """The date of the first action that gives one, and a problem for each value that
    names no real date: such a value is left out (with none left, the date is unknown)."""
    problems: list[str] = []
    for action in actions:
        element = action.find("t:date", NS)
        if element is None:
            continue
        values = []
        for names in (("when",), ("notBefore", "from"), ("notAfter", "to")):
            name = next((n for n in names if element.get(n)), names[0])
            value = element.get(name)
            checked = calendar_date(value) if value else None
            if value and checked is None:
                problems.append(
                    f"date of {kind} @{name}={value!r} is not a real date (YYYY, YYYY-MM, "
                    "YYYY-MM-DD or --MM-DD): ignored"
                )
            values.append(checked)
        if any(values):
            return DateValue(*values), problems
    return DateValue(), problems


def correspondence(header: etree._Element | None) -> Correspondence:
    """Senders and addressees may be persons, organisations or other names; the date is
    the date of sending, else of receipt."""
    corresp = None if header is None else header.find("t:profileDesc/t:correspDesc", NS)
    sent, received = _actions(corresp, "sent"), _actions(corresp, "received")
    date, problems = _date(sent, "sending")
    if date == DateValue():
        date, more = _date(received, "receipt")
        problems += more
    return Correspondence(
        senders=_children(sent, CORRESPONDENTS),
        addressees=_children(received, CORRESPONDENTS),
        places=_children(sent, PLACES) or _children(received, PLACES),
        date=date,
        problems=tuple(problems),
    )


def letter_title(root: etree._Element, fallback: str) -> str:
    """The title of a letter: its own, else made from its ``correspDesc``, else ``fallback``."""
    header = root.find("t:teiHeader", NS)
    title = own_title(header)
    if title:
        return title
    made = correspondence(header)
    return made.title() if made.senders or made.addressees else fallback

"""What a reader is shown of a TEI letter, view by view: the reference the renditions are
measured and tested against, written from the TEI alone (not from the stylesheets).

A view shows three things (:class:`Shown`): the *flow*, the letter's text as it runs; the
*margin*, what the reading view puts beside it (page and column breaks, running matter);
and the *notes*, in the order of their numbers. Texts are compared with whitespace
collapsed: what matters is the words, their order and whether two of them are apart.

The rules, element by element (everything not named shows its text where it stands):

- ``choice``: the reading view shows ``corr``, ``reg`` or ``expan``, the diplomatic view
  ``sic``, ``orig`` or ``abbr`` (a choice of neither: its first child, in both), and after
  it, `` / `` and each alternative neither view picked (two ``unclear`` readings, say), but
  not a second ``corr``, ``reg`` or ``expan`` beside the one the reading view shows (a
  collation's correction beside the converter's);
- ``ex`` in both views, in parentheses in the diplomatic view; ``am`` only in the diplomatic
  view;
- ``del`` (not inside ``restore``) only in the diplomatic view;
- ``lb``: a space in the reading view (none with ``@break="no"``), a line break in the
  diplomatic view;
- ``pb``, ``cb``, ``fw``: in the margin of the reading view, a line of their own in the
  diplomatic view (and in notes); ``pb`` and ``cb`` say ``[p. N]`` and ``[col. N]``
  (nothing without ``@n``);
- ``gap`` shows ``[…]``, ``graphic`` ``[image]``, ``space`` a space; ``supplied`` its text in
  brackets; a ``ref`` or ``ptr`` with no text its ``@target``;
- text only the diplomatic view shows inside text only the reading view shows (an
  ``abbr`` inside an ``expan``), or the other way round, is shown in neither;
- ``note`` and a ``choice`` of ``sic`` and ``corr``: their number where they stand, their
  text among the notes ("Read as “sic”; corrected to “corr” (C certainty)."; of the first
  ``corr``, with ", as NAME reads" after the certainty where its ``@source`` names the
  version NAME.xml it comes from);
- ``anchor``, ``milestone``, ``handShift`` have no text of their own (what an edition puts
  inside them is shown); ``index``, ``certainty``, ``precision``, ``respons``, ``alt``,
  ``join``, ``link`` record something about the text and are left out;
- ``listPerson``, ``listPlace``, ``listOrg``, ``listBibl``, ``listEvent`` ... inside the text
  are the register's (their entries have pages of their own), not the letter's: left out;
- the ``teiHeader`` is the metadata panel, not the text.

Whitespace beside ``lb``/``pb``/``cb`` with ``@break="no"`` is dropped (the word goes on).
Blocks (:data:`BLOCKS`, a ``seg`` aligned left, right or centre, a ``label`` of a
``list``, a ``space`` of lines) stand apart from what is around them.

:func:`shown` reads the same three things out of a rendered page, as a browser shows them:
what the view hides (``class="r"`` or ``"d"``) is not shown, ``div``s and ``br``s break
lines, and in the reading view page breaks and running matter are in the margin.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree, html

from teitools.namespaces import NS, TEI_NS
from teitools.render.entities import LISTS

VIEWS = ("reading", "diplomatic")
BLOCKS = frozenset(
    "text front body back group div div1 div2 div3 div4 div5 div6 div7 opener closer "
    "postscript p ab dateline salute signed address addrLine lg l list item table row cell "
    "figure figDesc floatingText argument epigraph byline trailer titlePage docTitle "
    "titlePart docImprint sp spGrp speaker head".split()
)
ALIGNED = {"left", "right", "center", "centre"}
SILENT = frozenset("index alt join link certainty precision respons".split())
MARGIN = frozenset({"pb", "cb", "fw"})
EDITORIAL, SOURCE = ("corr", "reg", "expan"), ("sic", "orig", "abbr")


@dataclass(frozen=True)
class Shown:
    """What one view shows: the running text, the margin, the notes (whitespace collapsed)."""

    flow: str
    margin: tuple[str, ...]
    notes: tuple[str, ...]


def squeeze(text: str) -> str:
    return " ".join(text.split())


def _local(element: etree._Element) -> str:
    if not isinstance(element.tag, str):
        return "#"
    tag = etree.QName(element)
    return tag.localname if tag.namespace == TEI_NS else "*"


def _is_block(element: etree._Element, name: str) -> bool:
    if name in BLOCKS:
        return True
    if name == "seg":
        return bool(ALIGNED & set((element.get("rend") or "").split()))
    if name == "label":
        parent = element.getparent()
        return parent is not None and _local(parent) == "list"
    return name == "space" and element.get("unit") in ("line", "lines")


def _is_note(element: etree._Element, name: str) -> bool:
    return name == "note" or (
        name == "choice"
        and element.find("t:sic", NS) is not None
        and element.find("t:corr", NS) is not None
    )


def _restored(element: etree._Element) -> bool:
    return any(_local(a) == "restore" for a in element.iterancestors())


def _pick(choice: etree._Element, preferred: tuple[str, ...]) -> etree._Element | None:
    children = [c for c in choice if isinstance(c.tag, str)]
    return next((c for c in children if _local(c) in preferred), children[0] if children else None)


def _join_across_breaks(root: etree._Element) -> None:
    for element in root.iter(f"{{{TEI_NS}}}lb", f"{{{TEI_NS}}}pb", f"{{{TEI_NS}}}cb"):
        if element.get("break") != "no":
            continue
        previous, parent = element.getprevious(), element.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "").rstrip()
        elif parent is not None:
            parent.text = (parent.text or "").rstrip()
        element.tail = (element.tail or "").lstrip()


class _Reader:
    """One view of one letter, read from the TEI."""

    def __init__(self, view: str, numbers: dict[etree._Element, int]):
        self.view, self.numbers = view, numbers
        self.margin: list[str] = []
        self.inline = 0  # inside a note or a margin item: breaks and furniture stand in it

    def children(self, element: etree._Element, out: list[str]) -> None:
        out.append(element.text or "")
        for child in element:
            self.element(child, out)
            out.append(child.tail or "")

    def element(self, element: etree._Element, out: list[str]) -> None:
        name = _local(element)
        reading = self.view == "reading"
        if name == "#" or name in SILENT or name in LISTS:
            return
        if name == "del" and reading and not _restored(element):
            return
        if name == "am" and reading:
            return
        if name in MARGIN:
            label = self.label(element, name)
            if reading and not self.inline:
                self.margin.append(label)
            else:
                out.append(f"\n{label}\n")
            return
        block = _is_block(element, name)
        out.append("\n" if block else "")
        if name == "lb":
            out.append("\n" if not reading else "" if element.get("break") == "no" else " ")
        elif name in ("space", "gap", "graphic"):
            out.append({"space": " ", "gap": "[…]", "graphic": "[image]"}[name])
        elif name == "note":
            pass
        elif name == "choice":
            self.choice(element, out)
        elif name == "supplied" or (name == "ex" and not reading):
            out.append("[" if name == "supplied" else "(")
            self.children(element, out)
            out.append("]" if name == "supplied" else ")")
        elif name in ("ref", "ptr"):
            self.children(element, out)
            if not "".join(element.itertext()).strip():
                out.append(squeeze(element.get("target") or ""))
        else:
            self.children(element, out)
        if element in self.numbers:
            out.append(str(self.numbers[element]))
        out.append("\n" if block else "")

    def choice(self, element: etree._Element, out: list[str]) -> None:
        """The view's alternative; the diplomatic view adds any that neither view picks."""
        picks = _pick(element, EDITORIAL), _pick(element, SOURCE)
        picked = picks[0] if self.view == "reading" else picks[1]
        if picked is not None:
            self.children(picked, out)
        if self.view == "diplomatic":
            for other in element:
                second = picks[0] is not None and _local(other) in EDITORIAL
                if isinstance(other.tag, str) and other not in picks and not second:
                    out.append(" / ")
                    self.children(other, out)

    def label(self, element: etree._Element, name: str) -> str:
        if name == "fw":
            text: list[str] = []
            self.inline += 1
            self.children(element, text)
            self.inline -= 1
            return squeeze("".join(text))
        number = element.get("n")
        return "" if not number else f"[p. {number}]" if name == "pb" else f"[col. {number}]"

    def note(self, element: etree._Element) -> str:
        out: list[str] = []
        self.inline += 1
        if _local(element) == "note":
            self.children(element, out)
        else:
            sic, corr = element.find("t:sic", NS), element.find("t:corr", NS)
            assert sic is not None and corr is not None
            out.append("Read as “")
            self.children(sic, out)
            out.append("”; corrected to “")
            self.children(corr, out)
            cert, source = corr.get("cert"), corr.get("source", "")
            name = source.rsplit("/", 1)[-1].removesuffix(".xml")
            said = f"{cert} certainty" + (f", as {name} reads" if source else "")
            out.append(f"” ({said})." if cert else "”.")
        self.inline -= 1
        return squeeze("".join(out))


def _numbered(root: etree._Element) -> dict[etree._Element, int]:
    """Notes in document order, skipping the register's lists."""
    numbers: dict[etree._Element, int] = {}
    stack = list(reversed(root.findall("t:text", NS)))
    while stack:
        element = stack.pop()
        name = _local(element)
        if name == "#" or name in LISTS:
            continue
        if _is_note(element, name):
            numbers[element] = len(numbers) + 1
        stack.extend(reversed(element))
    return numbers


def expected(root: etree._Element, view: str) -> Shown:
    """What ``view`` (``reading`` or ``diplomatic``) should show of the TEI letter ``root``."""
    root = copy.deepcopy(root)
    _join_across_breaks(root)
    numbers = _numbered(root)
    reader = _Reader(view, numbers)
    out: list[str] = []
    for text in root.findall("t:text", NS):
        reader.element(text, out)
    notes = tuple(reader.note(element) for element in numbers)
    margin = tuple(m for m in (squeeze(m) for m in reader.margin) if m)
    return Shown(squeeze("".join(out)), margin, notes)


# ---------------------------------------------------------------- the rendered page
HTML_BLOCKS = frozenset(
    "div p br li ol ul dl dt dd table tr td th section article header footer main nav "
    "address blockquote h1 h2 h3 h4 h5 h6 figure figcaption hr pre".split()
)
HIDDEN_TAGS = frozenset({"script", "style", "template", "head"})


class _Page:
    def __init__(self, view: str):
        self.hide = "d" if view == "reading" else "r"
        self.reading = view == "reading"
        self.margin: list[str] = []

    def element(self, element: html.HtmlElement, out: list[str], margin_ok: bool = True) -> None:
        if not isinstance(element.tag, str) or element.tag in HIDDEN_TAGS:
            return
        classes = set((element.get("class") or "").split())
        if self.hide in classes or "backref" in classes or element.get("hidden") is not None:
            return
        if self.reading and margin_ok and classes & MARGIN:
            text: list[str] = []
            self.element(element, text, margin_ok=False)
            self.margin.append(squeeze("".join(text)))
            return
        block = element.tag in HTML_BLOCKS
        out.append("\n" if block else "")
        out.append(element.text or "")
        for child in element:
            self.element(child, out, margin_ok)
            out.append(child.tail or "")
        out.append("\n" if block else "")


def shown(page: bytes | str, view: str) -> Shown:
    """What a browser shows of a rendered letter page in ``view``."""
    document = html.document_fromstring(page)
    reader = _Page(view)
    flow: list[str] = []
    for container in document.find_class("text"):
        if container.tag == "div":
            reader.element(container, flow)
            break
    notes = []
    for item in document.xpath("//section[contains(@class, 'notes')]//ol/li"):
        text: list[str] = []
        reader.element(item, text, margin_ok=False)
        notes.append(squeeze("".join(text)))
    margin = tuple(m for m in reader.margin if m)
    return Shown(squeeze("".join(flow)), margin, tuple(notes))

"""A TEI letter made ready for the bundled stylesheets: what XSLT 1.0 cannot work out in
linear time, or safely, is worked out here once and written on the elements as attributes
in the ``tt:`` namespace (``urn:x-teitools:render``), which the stylesheets read:

- ``tt:n``: the number of each note (``note``, and a ``choice`` of ``sic`` and ``corr``), in
  document order (``xsl:number level="any"`` walks back over the document for every note);
- ``tt:entry``: the register entry a name points to, in whatever scheme
  (:class:`~teitools.render.edition.Links`);
- ``tt:href`` and ``tt:label``: where a ``ref`` or ``ptr`` links (a letter of the edition, or
  an ``http(s)`` address, nothing else) and, if it has no text, what it shows instead: the
  title of the letter it names, else its target;
- ``tt:inlink``: a note inside a link (its mark is then not a link of its own);
- ``tt:lead``: a line break that opens a block (no empty line above its first line);
- ``tt:class``: ``@rend``, ``@rendition``, ``@type`` and ``@place`` as class names
  (``rend-italic``, ``rendition-langesS``, ``type-letterhead``, ``place-above``);
- ``tt:style``: ``@style`` and the CSS of the header's ``rendition``s, kept to properties
  that style text and cannot load anything or hide text.

Whitespace beside ``lb``, ``pb`` or ``cb`` with ``@break="no"`` is removed: the word goes on
across the break. Everything else is left as it is.

A collation of a letter's versions (``teitools collate``) is prepared for the versions
stylesheets by :func:`prepare_collation`: each paragraph's lines (from one ``lb`` to the
next) wrapped in ``tt:line`` (``@n`` the line's number), and each addition's ``app`` given
the word it follows (``tt:after``) and the word it precedes (``tt:before``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from teitools.namespaces import NS, TEI_NS, XML_ID
from teitools.render.edition import Links
from teitools.render.entities import LISTS, NAMING
from teitools.render.expected_text import BLOCKS
from teitools.render.header import text_of
from teitools.render.pointers import Prefix, pointer_keys, prefixes

TT = "urn:x-teitools:render"
CLASS_ATTRIBUTES = ("rend", "rendition", "type", "place")  # each becomes classes NAME-VALUE
CSS_PROPERTIES = {
    "font-style",
    "font-weight",
    "font-variant",
    "font-variant-caps",
    "font-family",
    "font-size",
    "text-decoration",
    "text-decoration-line",
    "text-decoration-style",
    "text-decoration-color",
    "letter-spacing",
    "word-spacing",
    "vertical-align",
    "text-align",
    "text-indent",
    "color",
    "background-color",
    "margin-left",
    "margin-right",
    "padding-left",
    "padding-right",
    "border",
    "border-top",
    "border-bottom",
    "border-left",
    "border-right",
}
CSS_VALUE = re.compile(r"[\w\s#%.,+\-'\"/!()]*")
CSS_FORBIDDEN = re.compile(r"url|expression|image|attr|var|env|\\", re.IGNORECASE)


def safe_css(text: str) -> str:
    """Declarations of ``text`` that only style text: known properties, plain values (no
    ``url()``, no escapes), font sizes that are not zero."""
    kept = []
    for declaration in text.split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip().lower(), " ".join(value.split())
        if not colon or name not in CSS_PROPERTIES or not value:
            continue
        if not CSS_VALUE.fullmatch(value) or CSS_FORBIDDEN.search(value):
            continue
        if name == "font-size" and re.match(r"[0.]+($|[a-z%])", value):
            continue
        kept.append(f"{name}: {value}")
    return "; ".join(kept)


def class_token(value: str) -> str:
    """A value as part of a class name: lower case letters, digits, ``-`` and ``_``."""
    return re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-")[:40]


def _classes(element: etree._Element) -> str:
    tokens = []
    for attribute in CLASS_ATTRIBUTES:
        values = element.get(attribute)
        if not values:
            continue
        for value in values.split():
            token = class_token(value.rpartition("#")[2])
            if token and f"{attribute}-{token}" not in tokens:
                tokens.append(f"{attribute}-{token}")
    return " ".join(tokens)


def _renditions(root: etree._Element) -> dict[str, str]:
    """The CSS of the header's ``rendition``s, by ``xml:id``."""
    found = {}
    for rendition in root.iterfind(".//t:teiHeader//t:tagsDecl//t:rendition", NS):
        ident, scheme = rendition.get(XML_ID), (rendition.get("scheme") or "css").lower()
        if ident and scheme == "css":
            found[ident] = safe_css(text_of(rendition))
    return found


def _style(element: etree._Element, renditions: dict[str, str]) -> str:
    rendition, style = element.get("rendition"), element.get("style")
    if not rendition and not style:
        return ""
    parts = [renditions.get(t.lstrip("#"), "") for t in (rendition or "").split()]
    parts.append(safe_css(style or ""))
    return "; ".join(p for p in parts if p)


def _safe_url(target: str) -> str | None:
    return target if re.fullmatch(r"https?://[^\s\x00-\x1f\"<>\\]+", target, re.I) else None


def _join_across(element: etree._Element) -> None:
    """A word that goes on across a break: no whitespace on either side of it."""
    previous, parent = element.getprevious(), element.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip() or None
    elif parent is not None:
        parent.text = (parent.text or "").rstrip() or None
    element.tail = (element.tail or "").lstrip() or None


def _leads(element: etree._Element) -> bool:
    """A line break before anything else in a block (it opens the paragraph's first line)."""
    parent = element.getparent()
    if parent is None or element.getprevious() is not None or (parent.text or "").strip():
        return False
    return _local(parent) in BLOCKS


_TEI = f"{{{TEI_NS}}}"


def _local(element: etree._Element) -> str:
    """The local name of a TEI element ("" for another namespace)."""
    tag = element.tag
    return tag[len(_TEI) :] if isinstance(tag, str) and tag.startswith(_TEI) else ""


def _set(element: etree._Element, name: str, value: str) -> None:
    element.set(f"{{{TT}}}{name}", value)


def prepare_collation(root: etree._Element) -> None:
    """Annotate the collation ``root`` in place for the versions stylesheets (see the
    module)."""
    for paragraph in root.iterfind(".//t:div[@type='collation']/t:p", NS):
        for app in paragraph.iter(f"{_TEI}app"):
            lemma = app.find("t:lem", NS)
            if lemma is None or len(lemma) or (lemma.text or "").strip():
                continue
            before, after = _text_before(app).split(), _text_after(app).split()
            _set(app, "after", before[-1] if before else "")
            _set(app, "before", after[0] if after else "")
        line: etree._Element | None = None
        for child in list(paragraph):
            lb = _local(child) == "lb"
            if line is None or lb:
                line = etree.Element(f"{{{TT}}}line", n=child.get("n", "") if lb else "")
                child.addprevious(line)
            line.append(child)
        first = paragraph.find(f"{{{TT}}}line")
        if first is not None and paragraph.text:
            first.text, paragraph.text = paragraph.text, None


def _text_before(element: etree._Element) -> str:
    """The text node just before ``element`` among its siblings (XPath's
    ``preceding-sibling::text()[1]``)."""
    for sibling in element.itersiblings(preceding=True):
        if sibling.tail is not None:
            return str(sibling.tail)
    parent = element.getparent()
    return str(parent.text or "") if parent is not None else ""


def _text_after(element: etree._Element) -> str:
    """The text node just after ``element`` among its siblings."""
    if element.tail is not None:
        return str(element.tail)
    for sibling in element.itersiblings():
        if sibling.tail is not None:
            return str(sibling.tail)
    return ""


def prepare(root: etree._Element, links: Links | None = None, origin: str = "") -> None:
    """Annotate the letter ``root`` in place for the bundled stylesheets (see the module)."""
    links = links or Links()
    known = prefixes(root, origin)
    renditions = _renditions(root)
    header = root.find("t:teiHeader", NS)
    if header is not None:
        for action in header.iterfind("t:profileDesc/t:correspDesc/t:correspAction", NS):
            for name in action:
                if isinstance(name.tag, str):
                    _link_entry(name, known, links)
    number = 0
    stack = [(text, False) for text in reversed(root.findall("t:text", NS))]
    while stack:
        element, in_link = stack.pop()
        if not isinstance(element.tag, str):
            continue
        name = _local(element)
        if name in LISTS:
            continue
        classes = _classes(element)
        if classes:
            _set(element, "class", classes)
        style = _style(element, renditions)
        if style:
            _set(element, "style", style)
        if name in ("lb", "pb", "cb") and element.get("break") == "no":
            _join_across(element)
        if name == "lb" and _leads(element):
            _set(element, "lead", "1")
        if name == "note" or (
            name == "choice"
            and element.find("t:sic", NS) is not None
            and element.find("t:corr", NS) is not None
        ):
            number += 1
            _set(element, "n", str(number))
            if in_link:
                _set(element, "inlink", "1")
        linked = False
        if not in_link and name in NAMING:
            linked = _link_entry(element, known, links)
        elif name in ("ref", "ptr"):
            linked = _link_target(element, links, in_link)
        inside = in_link or linked
        stack.extend([(child, inside) for child in reversed(element)])


def _link_entry(element: etree._Element, known: Mapping[str, list[Prefix]], links: Links) -> bool:
    for key in pointer_keys(element, known):
        if key in links.entries:
            _set(element, "entry", links.entries[key])
            return True
    return False


def _link_target(element: etree._Element, links: Links, in_link: bool) -> bool:
    target = " ".join((element.get("target") or "").split())
    first = target.split(" ")[0] if target else ""
    letter = links.letters.get(first)
    if not "".join(element.itertext()).strip() and target:
        _set(element, "label", letter[1] if letter else target)
    href = letter[0] if letter else _safe_url(first)
    if href is None or in_link:
        return False
    _set(element, "href", href)
    return True

"""PDF from a print HTML page (``xslt/letter-print.xsl``): typeset by Typst, or by WeasyPrint.

The TEI-to-print stylesheet is the same for both. WeasyPrint lays the HTML out with its CSS
(CSS Paged Media) in Python, at 0.1 to 0.3 s a page. Typst, a typesetter written in Rust,
typesets the same page over ten times faster: the page is handed to it as data (a tree of
elements, each with the effects ``xslt/css/print.css`` (and the ``tei.css`` it imports) and
its own ``style`` give it: hidden, block or inline, table, footnote, margin note, italic,
bold, size, font, colour, alignment ...), and ``xslt/print.typ`` lays it out as
``print.css`` describes the page (A4, margins, the running head, "page N of M", footnotes,
the source's page numbers in the margin, fonts embedded). Text reaches Typst only as
strings, never as markup: a letter cannot run Typst code. One compiler per process keeps
the fonts and the template loaded across letters.

``engine="weasyprint"`` is for stylesheets of one's own (``render --xslt``), whose CSS
Typst does not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import tinycss2
from lxml import etree, html

from teitools.errors import TeitoolsError
from teitools.resources import XSLT

ENGINES = ("typst", "weasyprint")
CSS = XSLT / "css"
PRINT_CSS = "print.css"  # the stylesheet of a page that links none of ours
TEMPLATE = XSLT / "print.typ"

BLOCKS = frozenset(
    "address article aside blockquote body dd details div dl dt figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr "
    "ul".split()
)
# what a browser's own stylesheet gives these elements, before print.css
AGENT: dict[str, dict[str, Any]] = {
    **{f"h{n}": {"bold": True, "size": size} for n, size in enumerate((21, 15.75, 12.3), 1)},
    **{tag: {"bold": True} for tag in ("b", "strong", "th", "h4", "h5", "h6")},
    **{tag: {"italic": True} for tag in ("address", "cite", "dfn", "em", "i", "var")},
    "sup": {"script": "super"},
    "sub": {"script": "sub"},
    "u": {"line": "underline"},
    **{tag: {"line": "line-through"} for tag in ("del", "s", "strike")},
}
SKIPPED = frozenset({"head", "script", "style", "template"})
SPACED = frozenset("p address blockquote pre figure h2 h3 h4 h5 h6".split())  # 1em margins
# what the Typst template lays out as a block (the rest runs inline)
BLOCK_KINDS = frozenset("body p div page running dl ul ol table tr td li item hr nav".split())
STYLE = ("italic", "bold", "smallcaps", "script", "line", "size", "scale", "family", "color")
DISPLAY = {
    **dict.fromkeys(("block", "flex", "grid", "flow-root"), "block"),
    "list-item": "item",
    **dict.fromkeys(("inline", "inline-block", "contents"), "inline"),
    "table": "table",
    "table-row": "tr",
    "table-cell": "td",
}
_SPACE = re.compile(r"\s+")
_LANG = re.compile(r"[a-z]{2,3}")


class PdfError(TeitoolsError):
    """A page could not be typeset."""


def pdf_from_html(
    page: bytes, engine: str = "typst", folders: Sequence[Path] = ()
) -> tuple[bytes, list[str]]:
    """A PDF of a print HTML page whose stylesheets are in ``xslt/css/``, and the URLs it
    was refused. Typst loads nothing but its template; WeasyPrint only files from ``xslt/``
    and ``folders`` (:class:`~teitools.render.fetch.ResourceFetcher`)."""
    if engine == "weasyprint":
        return weasyprint_pdf(page, folders)
    if engine != "typst":
        raise PdfError(f"unknown PDF engine {engine!r} ({' or '.join(ENGINES)})")
    return typst_pdf(page), []


def warm_up(engine: str) -> None:
    """Load ``engine`` in this process (WeasyPrint's Pango, Typst's fonts and template), so
    that a letter's time limit is spent on the letter."""
    if engine == "weasyprint":
        import weasyprint  # noqa: F401
    elif engine == "typst":
        _compiler()


def weasyprint_pdf(page: bytes, folders: Sequence[Path] = ()) -> tuple[bytes, list[str]]:
    """The page laid out by WeasyPrint with its CSS, and the URLs it was refused."""
    # imported here: loading Pango is slow and only PDF needs it
    from weasyprint import HTML

    from teitools.render.fetch import ResourceFetcher

    fetcher = ResourceFetcher([XSLT, *folders])
    document = HTML(string=page.decode("utf-8"), base_url=f"{XSLT / 'css'}/", url_fetcher=fetcher)
    return bytes(document.write_pdf()), fetcher.refused


def typst_pdf(page: bytes) -> bytes:
    """The page typeset by Typst through ``xslt/print.typ``."""
    import typst

    data = json.dumps(page_data(page), ensure_ascii=False, separators=(",", ":"))
    try:
        pdf = _compiler().compile(sys_inputs={"page": data}, format="pdf", pdf_tags=False)
    except typst.TypstError as error:
        raise PdfError(f"Typst: {' '.join(str(error).split())}") from None
    assert isinstance(pdf, bytes)
    return pdf


@cache
def _compiler() -> Any:
    """This process's Typst compiler: fonts found once, the template kept compiled."""
    import typst

    from teitools.execution import runtime_started

    runtime_started("Typst")  # its thread pool does not survive a fork
    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent))


# ----------------------------------------------------------------- the page as data


def page_data(page: bytes, sheet: Sheet | None = None) -> dict[str, Any]:
    """The print page as Typst reads it: its title, language and body, each element shown
    as ``[kind, style, child, ...]`` with text children as strings, white space collapsed
    as CSS collapses it. The kind (a paragraph, a footnote, a margin note, the running
    title ...) and the style (italic, bold, size, font ...) are what ``sheet`` (default:
    the stylesheets of ``xslt/css/`` the page links, ``print.css`` if none) makes of the
    element; what it hides is left out."""
    document = html.document_fromstring(page)
    lang = (document.get("lang") or "").split("-")[0].lower()
    body = _node(document.body, sheet or linked_styles(document), []) or ["body", {}]
    _trim(body)
    return {
        "title": " ".join((document.findtext(".//title") or "").split()),
        "lang": lang if _LANG.fullmatch(lang) else "en",
        "body": body,
    }


def _node(
    element: etree._Element, sheet: Sheet, ancestors: list[etree._Element]
) -> list[Any] | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    effects = AGENT.get(tag, {}) | sheet.effects(element, ancestors)
    if element.get("style"):
        effects |= _inline_effects(element.get("style") or "")
    if effects.get("hidden"):
        return None
    if len(ancestors) != 1:
        effects.pop("break", None)  # a page is broken only between the body's parts
    kind = _kind(tag, effects)
    style = {k: effects[k] for k in STYLE if k in effects and effects[k] not in ("none", None)}
    if kind == "margin":
        style.update({k: effects[k] for k in ("margin-left", "width") if k in effects})
    block = kind in BLOCK_KINDS
    if block:
        if effects.get("align") in ("left", "right", "center"):
            style["align"] = effects["align"]
        for side, key in (("margin-top", "above"), ("margin-bottom", "below")):
            if side in effects:
                style[key] = effects[side]
    node: list[Any] = [kind, style]
    _text(node, element.text, block)
    ancestors.append(element)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in SKIPPED:
            made = _node(child, sheet, ancestors)
            if made is not None:
                _append(node, made)
        _text(node, child.tail, block)
    ancestors.pop()
    if kind == "table" and not _is_table(node):
        _untable(node)
    return node


def _append(node: list[Any], made: list[Any]) -> None:
    """Add a child; margin notes in a row (a running head and a page break) are one, lines
    apart, as ``clear: left`` stacks them, rather than printed over one another."""
    last = len(node) - 1
    while last > 1 and isinstance(node[last], str) and not node[last].strip():
        last -= 1
    previous = node[last] if last > 1 else None
    if made[0] == "margin" and isinstance(previous, list) and previous[0] == "margin":
        previous.extend([["br", {}], *made[2:]])
        del node[last + 1 :]
        return
    node.append(made)


def _is_table(node: list[Any]) -> bool:
    """Whether a table (by CSS ``display``) is rows of cells only, as Typst lays out a
    table: else its text would be lost, and it is laid out as blocks."""
    return _only(node, "tr") and all(_only(row, "td") for row in node[2:] if isinstance(row, list))


def _only(node: list[Any], kind: str) -> bool:
    """Whether every child of ``node`` is an element of ``kind`` (or white space)."""
    return all(
        child[0] == kind if isinstance(child, list) else not child.strip() for child in node[2:]
    )


def _untable(node: list[Any]) -> None:
    node[0] = "div"
    for child in node[2:]:
        if isinstance(child, list) and child[0] in ("table", "tr", "td"):
            _untable(child)


def _kind(tag: str, effects: dict[str, Any]) -> str:
    """How the Typst template lays an element out."""
    if effects.get("footnote"):
        return "footnote"
    if effects.get("float") in ("left", "right") and effects.get("margin-left", 0) < 0:
        return "margin"
    if effects.get("running"):
        return "running"
    display = effects.get("display")
    if display in ("table", "tr", "td", "item"):
        return str(display)
    if tag in ("body", "br", "hr", "dl", "ul", "ol", "table", "nav", "tr", "li"):
        return tag
    if tag in ("td", "th"):
        return "td"
    if tag in BLOCKS if display is None else display == "block":
        return "page" if effects.get("break") else "p" if tag in SPACED else "div"
    return "span"


def _text(node: list[Any], text: str | None, block: bool) -> None:
    if not text:
        return
    text = _SPACE.sub(" ", text)
    if text == " " and block and _ends_block(node):
        return  # white space between blocks, or at the start of one
    node.append(text)


def _ends_block(node: list[Any]) -> bool:
    last = node[-1]
    return isinstance(last, dict) or (isinstance(last, list) and last[0] in BLOCK_KINDS)


def _trim(node: list[Any]) -> None:
    """Drop white space where CSS drops it: at the ends of a block, around its blocks, and
    a space after a space across inline elements."""
    previous: list[str] = [" "]  # the last character written, a block's start counting as space

    def walk(item: list[Any]) -> None:
        block = item[0] in BLOCK_KINDS
        if block:
            previous[0] = " "
        for i in range(2, len(item)):
            child = item[i]
            if isinstance(child, str):
                if previous[0] == " ":
                    child = child.lstrip(" ")
                item[i] = child
                if child:
                    previous[0] = child[-1]
            elif child[0] == "br":
                previous[0] = " "  # a line starts without a space
            else:
                walk(child)
        if block:
            previous[0] = " "
        for i in range(len(item) - 1, 1, -1):  # a block's last text ends without a space
            child = item[i]
            if not isinstance(child, str) or not block:
                break
            item[i] = child.rstrip(" ")
            if item[i]:
                break
        item[2:] = [c for c in item[2:] if c != ""]

    walk(node)


# ----------------------------------------------------------------- print.css as effects


@dataclass(frozen=True)
class Compound:
    """One step of a selector: an element name (or any) and the classes it must have."""

    tag: str | None
    classes: frozenset[str]

    def matches(self, element: etree._Element) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        return self.classes <= set((element.get("class") or "").split())


@dataclass(frozen=True)
class Style:
    """A rule of ``print.css`` with a selector Typst honours: compounds joined by white
    space (descendants), and the effects of its declarations."""

    steps: tuple[Compound, ...]
    effects: tuple[tuple[str, Any], ...]

    def matches(self, element: etree._Element, ancestors: list[etree._Element]) -> bool:
        *outer, last = self.steps
        if not last.matches(element):
            return False
        k = len(ancestors)
        for step in reversed(outer):
            k -= 1
            while k >= 0 and not step.matches(ancestors[k]):
                k -= 1
            if k < 0:
                return False
        return True


class Sheet:
    """The rules of a stylesheet the Typst template honours, and which of them may apply to
    an element of a given name and classes (looked up once per kind of element)."""

    def __init__(self, rules: list[Style]) -> None:
        self.rules = rules
        self._candidates: dict[tuple[str, str], list[Style]] = {}

    def effects(self, element: etree._Element, ancestors: list[etree._Element]) -> dict[str, Any]:
        """The effects of every rule that matches ``element``, later rules winning."""
        key = (element.tag, element.get("class") or "")
        candidates = self._candidates.get(key)
        if candidates is None:
            have = frozenset(key[1].split())
            candidates = self._candidates[key] = [
                rule
                for rule in self.rules
                if rule.steps[-1].tag in (None, key[0]) and rule.steps[-1].classes <= have
            ]
        effects: dict[str, Any] = {}
        for rule in candidates:
            if len(rule.steps) == 1 or rule.matches(element, ancestors):
                effects.update(rule.effects)
        return effects


_COMPOUND = re.compile(r"([a-z][a-z0-9]*)?((?:\.[\w-]+)*)")
_UNITS = {"pt": 1.0, "px": 0.75, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
_IMPORT = re.compile(r"[\w.-]+\.css")


def _selector(text: str) -> tuple[Compound, ...] | None:
    """A selector of descendant steps, or None for what Typst does not honour (pseudo
    elements and classes, ids, attributes, other combinators)."""
    steps = []
    for part in text.split():
        match = _COMPOUND.fullmatch(part)
        if not match or not part:
            return None
        tag, classes = match.group(1), match.group(2)
        steps.append(Compound(tag, frozenset(c for c in classes.split(".") if c)))
    return tuple(steps) or None


def _scale(token: Any) -> float | None:
    """A font size relative to the surrounding text (``1.2em``, ``85%``)."""
    if token.type == "dimension" and token.unit.lower() == "em":
        return float(token.value)
    if token.type == "percentage":
        return float(token.value) / 100
    return None


def _length(token: Any) -> tuple[float, str] | None:
    """A vertical margin as the template reads it: points, or ems (``rem`` taken as ``em``)."""
    if token.type == "dimension" and token.unit.lower() in ("em", "rem"):
        return float(token.value), "em"
    points = _points(token)
    return None if points is None else (points, "pt")


def _points(token: Any) -> float | None:
    if token.type == "dimension" and token.unit.lower() in _UNITS:
        return float(token.value) * _UNITS[token.unit.lower()]
    if token.type == "number" and token.value == 0:
        return 0.0
    return None


def _effects(name: str, value: list[Any]) -> dict[str, Any]:
    """What one declaration means to the Typst template."""
    tokens = [t for t in value if t.type not in ("whitespace", "comment")]
    words = [t.lower_value for t in tokens if t.type == "ident"]
    first = words[0] if words else ""
    if name == "display":
        if first == "none":
            return {"hidden": True}
        return {"display": DISPLAY[first]} if first in DISPLAY else {}
    if name == "float":
        return {"footnote": True} if first == "footnote" else {"float": first}
    if name == "font-style":
        return {"italic": first in ("italic", "oblique")}
    if name == "font-weight":
        bold = first in ("bold", "bolder") or any(
            t.type == "number" and t.value >= 600 for t in tokens
        )
        return {"bold": bold}
    if name == "font-variant":
        return {"smallcaps": first == "small-caps"}
    if name == "vertical-align" and first in ("super", "sub"):
        return {"script": first}
    if name == "text-decoration":
        return {"line": next((w for w in words if w in ("line-through", "underline")), "none")}
    if name == "string-set":
        return {"running": True}
    if name in ("break-before", "page-break-before") and first in ("page", "always"):
        return {"break": True}
    if name == "color":
        hashes = [t.value for t in tokens if t.type == "hash"]
        return {"color": "#" + hashes[0]} if hashes else {}
    if name == "text-align" and first in ("left", "right", "center"):
        return {"align": first}
    if name == "margin" and 1 <= len(tokens) <= 4:  # top [right [bottom [left]]]
        top, left, bottom = {1: (0, 0, 0), 2: (0, 1, 0), 3: (0, 1, 2), 4: (0, 3, 2)}[len(tokens)]
        sides = (("margin-top", top), ("margin-bottom", bottom), ("margin-left", left))
        return {k: v for side, i in sides for k, v in _effects(side, [tokens[i]]).items()}
    if name in ("margin-top", "margin-bottom"):
        length = _length(tokens[0]) if tokens else None
        return {} if length is None else {name: length}
    if name in ("margin-left", "width"):
        points = _points(tokens[0]) if tokens else None
        return {} if points is None else {name: points}
    if name == "font-size":
        scale = _scale(tokens[0]) if tokens else None
        if scale is not None:
            return {"scale": scale}
        points = _points(tokens[0]) if tokens else None
        return {} if points is None else {"size": points}
    if name == "font-family":
        names = [t.value for t in tokens if t.type in ("string", "ident")]
        return {"family": names[0]} if names and names[0] not in GENERIC_FAMILIES else {}
    if name == "font":  # [style] [weight] size[/line-height] family, ...
        found: dict[str, Any] = {}
        sizes = [p for p in (_points(t) for t in tokens) if p is not None]
        if sizes:
            found["size"] = sizes[0]
        families = [t.value for t in tokens if t.type == "string"]
        if families:
            found["family"] = families[0]
        if "italic" in words:
            found["italic"] = True
        if "bold" in words:
            found["bold"] = True
        return found
    return {}


def linked_styles(document: html.HtmlElement) -> Sheet:
    """The rules the Typst template honours of the stylesheets the page links that are
    teitools' own (``print.css`` for a letter, and ``versions-print.css`` after it for the
    versions of one), found by name in ``xslt/css/``; ``print.css``'s if it links none of
    them."""
    links = document.xpath("//link[@rel='stylesheet']/@href")
    names = tuple(name for name in (str(h).rsplit("/", 1)[-1] for h in links) if name in _ours())
    return print_styles(names or (PRINT_CSS,))


@cache
def _ours() -> frozenset[str]:
    return frozenset(path.name for path in CSS.glob("*.css"))


@cache
def print_styles(names: tuple[str, ...] = (PRINT_CSS,)) -> Sheet:
    """The rules of these stylesheets of ``xslt/css/`` (and the stylesheets they import)
    the Typst template honours, in order."""
    css = "\n".join((CSS / name).read_text(encoding="utf-8") for name in names)
    return parse_sheet(css, CSS)


def parse_sheet(css: str, folder: Path | None = None) -> Sheet:
    """The rules of a stylesheet the Typst template honours, in order: those whose selector
    is element names and classes joined by white space, with the effects of their
    declarations (other rules, and ``@page``, which the template mirrors, are left out).
    ``@import`` of a stylesheet in ``folder`` (a name, no path) reads its rules first."""
    return Sheet(_rules(css, folder, set()))


def _rules(css: str, folder: Path | None, seen: set[str]) -> list[Style]:
    styles = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import" and folder is not None:
            name = next((t.value for t in rule.prelude if t.type in ("url", "string")), None)
            if name is None:  # url("tei.css") is a function holding a string
                function = next((t for t in rule.prelude if t.type == "function"), None)
                if function is not None and function.lower_name == "url":
                    name = next((t.value for t in function.arguments if t.type == "string"), None)
            if name and _IMPORT.fullmatch(name) and name not in seen and (folder / name).is_file():
                seen.add(name)
                styles += _rules((folder / name).read_text(encoding="utf-8"), folder, seen)
            continue
        if rule.type != "qualified-rule":
            continue  # @page: the template mirrors it
        effects = _declarations(rule.content)
        if not effects:
            continue
        for text in tinycss2.serialize(rule.prelude).split(","):
            steps = _selector(text.strip())
            if steps is not None:
                styles.append(Style(steps, tuple(effects.items())))
    return styles


def _declarations(content: Any) -> dict[str, Any]:
    effects: dict[str, Any] = {}
    declarations = tinycss2.parse_declaration_list(
        content, skip_comments=True, skip_whitespace=True
    )
    for declaration in declarations:
        if declaration.type == "declaration":
            effects.update(_effects(declaration.lower_name, declaration.value))
    return effects


@lru_cache(maxsize=4096)
def _inline_effects(style: str) -> dict[str, Any]:
    """The effects of an element's ``style`` attribute (what ``teitools.render.prepare``
    kept of the TEI's ``@style`` and ``rendition``: text styling only)."""
    return _declarations(style)

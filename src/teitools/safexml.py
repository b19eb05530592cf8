"""Safe XML: the one lxml parser every part of teitools reads XML with, and the text of a
document handed to Saxon-HE.

The parser loads no DTD, reads no external entity and touches no network, so a hostile
document cannot make teitools leak a file or call out. Entities declared in a document's
internal DTD subset (``<!DOCTYPE TEI [<!ENTITY nbsp "&#160;">]>``, ordinary XML) are
expanded, within limits: :func:`entity_problems` reads the declarations and counts what
they expand to, so an entity bomb ("billion laughs") is refused before it is parsed, with a
message saying so, and libxml2's own amplification limit stands behind it.

Saxon parses with its own parser, whose DTD loading saxonche cannot switch off: a document
naming ``<!DOCTYPE TEI SYSTEM "http://...">`` makes it fetch (and wait on) that address.
So Saxon gets the text of a document lxml has already parsed safely, with the DOCTYPE
declaration blanked out but for its line breaks: nothing to fetch, and line numbers stay
the file's own.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from lxml import etree

MAX_EXPANSION = 16 * 1024 * 1024  # characters all entity references of a document expand to


def parser() -> etree.XMLParser:
    """A parser that reads no external entity, loads no DTD and never touches the network;
    entities declared in the document itself are expanded (libxml2 bounds the expansion)."""
    return etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False)


_MISC = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)  # what may stand around a DOCTYPE


def _doctype_end(text: str, start: int) -> int:
    """Where the DOCTYPE declaration starting at ``start`` ends (its internal subset may hold
    quoted literals, comments and brackets)."""
    depth, quote, index = 0, "", start + len("<!DOCTYPE")
    while index < len(text):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif text.startswith("<!--", index):
            end = text.find("-->", index)
            index = len(text) if end < 0 else end + 2
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == ">" and depth <= 0:
            return index + 1
        index += 1
    return len(text)


def _doctype(text: str) -> tuple[int, int] | None:
    """Where the DOCTYPE declaration of the prolog starts and ends, if there is one."""
    position = 0
    while position < len(text):
        misc = _MISC.match(text, position)
        if misc:
            position = misc.end()
        elif text.startswith("<!DOCTYPE", position):
            return position, _doctype_end(text, position)
        else:
            return None  # the root element: no DOCTYPE
    return None


def without_doctype(text: str) -> str:
    """``text`` with the DOCTYPE of its prolog (if any) replaced by its line breaks."""
    found = _doctype(text)
    if found is None:
        return text
    start, end = found
    return text[:start] + "\n" * text.count("\n", start, end) + text[end:]


def saxon_text(data: bytes, tree: etree._ElementTree) -> str:
    """The text of a document lxml parsed from ``data``, ready for Saxon's ``parse_xml``
    (without a byte order mark, which Saxon refuses in a string as content in the prolog)."""
    text = data.decode(tree.docinfo.encoding or "utf-8").removeprefix("\ufeff")
    return without_doctype(text) if tree.docinfo.doctype else text


@dataclass(frozen=True)
class EntityProblem:
    """Why a document's entity declarations are refused, and the line that says so."""

    message: str
    line: int


_DECLARATION = re.compile(
    r"<!ENTITY\s+(%\s+)?([^\s\"'>]+)\s+(?:\"([^\"]*)\"|'([^']*)'|(SYSTEM|PUBLIC)\b)", re.DOTALL
)
_REFERENCE = re.compile(r"&([^\s;&#<>\"']+);")
_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _text(data: bytes) -> str:
    """The document's characters, as far as they matter for its prolog."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    declared = _ENCODING.match(data.lstrip(codecs.BOM_UTF8))
    try:
        encoding = codecs.lookup(declared.group(1).decode() if declared else "utf-8").name
    except LookupError:
        encoding = "utf-8"
    return data.decode(encoding, errors="replace")


def entity_problems(data: bytes, limit: int = MAX_EXPANSION) -> list[EntityProblem]:
    """What is wrong with the entities ``data`` declares in its internal DTD subset: an
    external or parameter entity (never read), or references that expand to more than
    ``limit`` characters in all (an entity bomb). Empty for a document without a DOCTYPE."""
    if b"<!DOCTYPE" not in data and b"<\x00!\x00D" not in data and b"\x00<\x00!\x00D" not in data:
        return []
    text = _text(data)
    found = _doctype(text)
    if found is None:
        return []
    start, end = found
    subset = re.sub(r"<!--.*?-->", lambda m: " " * len(m.group()), text[start:end], flags=re.S)
    problems: list[EntityProblem] = []
    contents: dict[str, str] = {}
    for match in _DECLARATION.finditer(subset):
        line = text.count("\n", 0, start + match.start()) + 1
        parameter, name, double, single, external = match.groups()
        if parameter:
            message = f"parameter entity '%{name}' refused: a DTD is never processed"
            problems.append(EntityProblem(message, line))
        elif external:
            message = f"external entity '{name}' refused: files and addresses are never read"
            problems.append(EntityProblem(message, line))
        else:
            contents.setdefault(name, double if double is not None else single or "")
    if problems or not contents:
        return problems
    sizes: dict[str, int] = {}

    def size(name: str, depth: int = 0) -> int:
        if name not in sizes:
            if depth > 64:
                raise RecursionError(name)
            sizes[name] = 0  # a reference loop counts nothing; libxml2 refuses it
            content = contents[name]
            total = len(_REFERENCE.sub("", content))
            for reference in _REFERENCE.findall(content):
                if reference in contents:
                    total += size(reference, depth + 1)
                    total = min(total, limit + 1)
            sizes[name] = total
        return sizes[name]

    total = 0
    for reference in _REFERENCE.findall(text, end):
        if reference in contents:
            try:
                total += size(reference)
            except RecursionError:
                return [EntityProblem("entity declarations nested too deeply", 1)]
            if total > limit:
                message = (
                    f"entity references expand to more than {limit:,} characters"
                    f" ('{reference}' alone to {size(reference):,}): an entity bomb is refused"
                )
                return [EntityProblem(message, text.count("\n", 0, start) + 1)]
    return []

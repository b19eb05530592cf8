"""Safe XML: the one lxml parser every part of teitools reads XML with, and the text of a
document handed to Saxon-HE.

The parser resolves no entities, loads no DTD and touches no network, so a hostile document
cannot make teitools leak a file, call out or expand an entity bomb.

Saxon parses with its own parser, whose DTD loading saxonche cannot switch off: a document
naming ``<!DOCTYPE TEI SYSTEM "http://...">`` makes it fetch (and wait on) that address.
So Saxon gets the text of a document lxml has already parsed safely, with the DOCTYPE
declaration blanked out but for its line breaks: nothing to fetch, and line numbers stay
the file's own.
"""

from __future__ import annotations

import re

from lxml import etree


def parser() -> etree.XMLParser:
    """A parser that resolves no entities, loads no DTD and never touches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


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
            index = text.find("-->", index) + 2 if "-->" in text[index:] else len(text)
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


def without_doctype(text: str) -> str:
    """``text`` with the DOCTYPE of its prolog (if any) replaced by its line breaks."""
    position = 0
    while position < len(text):
        misc = _MISC.match(text, position)
        if misc:
            position = misc.end()
        elif text.startswith("<!DOCTYPE", position):
            end = _doctype_end(text, position)
            return text[:position] + "\n" * text.count("\n", position, end) + text[end:]
        else:
            break  # the root element: no DOCTYPE
    return text


def saxon_text(data: bytes, tree: etree._ElementTree) -> str:
    """The text of a document lxml parsed from ``data``, ready for Saxon's ``parse_xml``."""
    text = data.decode(tree.docinfo.encoding or "utf-8")
    return without_doctype(text) if tree.docinfo.doctype else text

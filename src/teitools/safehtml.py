"""HTML made from TEI that can neither run code nor fetch what it should not.

Text and attribute values are escaped by the serialisers (lxml, and Jinja2 with autoescape
on); what escaping cannot make safe is a URL: ``javascript:alert(1)`` is a well-escaped
attribute value. So every URL teitools writes from TEI data passes :func:`safe_url`, an
allow-list of schemes, and :func:`file_url` quotes a file name used as a path in a link.
:func:`clean` applies the allow-list to a whole tree from teitools' own stylesheets, and
drops event handlers and CSS that would fetch something. :func:`active_content` tells
whether an XML file would run script in the browser that opens it (the TEI a site offers
for download is such a file).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from lxml import etree

SCHEMES = frozenset({"http", "https", "mailto"})
EMPTY_DATA = "data:,"  # an empty document (the pages' icon): it fetches and runs nothing
# attributes whose value is a URL the browser follows or fetches (HTML and SVG)
URL_ATTRIBUTES = frozenset(
    {
        "action",
        "background",
        "cite",
        "codebase",
        "data",
        "formaction",
        "href",
        "icon",
        "longdesc",
        "manifest",
        "ping",
        "poster",
        "src",
        "srcset",
        "usemap",
        "xlink:href",
    }
)
_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_FETCHING_CSS = re.compile(r"url\s*\(|image-set|expression\s*\(|@import|\\|javascript:", re.I)
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# markup a browser acts on in any XML file it opens: script, event handlers, style sheets
ACTIVE_NAMESPACES = {
    "http://www.w3.org/1999/xhtml": "XHTML",
    "http://www.w3.org/2000/svg": "SVG",
    "http://www.w3.org/1998/Math/MathML": "MathML",
    "http://www.w3.org/1999/XSL/Transform": "XSLT",
    "http://www.w3.org/1999/xlink": "XLink",
}


def scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url`` (lower case), or None for a relative URL."""
    probe = _IGNORED.sub("", url).lstrip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(probe)
    return match.group(1).lower() if match else None


def safe_url(url: str) -> str | None:
    """``url`` if following it cannot run code: relative, ``http(s):``, ``mailto:``; else None."""
    found = scheme(url)
    return url if found is None or found in SCHEMES or url == EMPTY_DATA else None


def file_url(name: str) -> str:
    """A file name as one segment of a relative URL: ``a b:c.xml`` → ``a%20b%3Ac.xml``."""
    return quote(name, safe="")


def fetches(css: str) -> bool:
    """Whether a ``style`` attribute could load something (``url()``, ``@import``) or hide
    it (CSS escapes)."""
    return _FETCHING_CSS.search(css) is not None


def clean(root: etree._Element) -> int:
    """Remove from the tree under ``root`` every event handler (``on*``), every URL
    :func:`safe_url` refuses and every ``style`` that :func:`fetches`; return how many."""
    removed = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        for name in list(element.attrib):
            value = element.attrib[name]
            local = "xlink:href" if name == XLINK_HREF else name.lower()
            if (
                local.startswith("on")
                or (local == "srcset" and any(safe_url(u) is None for u in _candidates(value)))
                or (local in URL_ATTRIBUTES and safe_url(value) is None)
                or (local == "style" and fetches(value))
            ):
                del element.attrib[name]
                removed += 1
    return removed


def _candidates(srcset: str) -> list[str]:
    return [part.split()[0] for part in srcset.split(",") if part.split()]


def active_content(root: etree._Element) -> list[str]:
    """The kinds of markup under ``root`` (elements or attributes of XHTML, SVG, MathML,
    XSLT, XLink) that a browser opening the file would act on: an ``h:script`` runs, an
    ``svg`` runs its ``onload``. Empty for plain TEI."""
    found = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in (element.tag, *element.attrib):
            if name.startswith("{"):
                kind = ACTIVE_NAMESPACES.get(name[1 : name.index("}")])
                if kind is not None:
                    found.add(kind)
    return sorted(found)

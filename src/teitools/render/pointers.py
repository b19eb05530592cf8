"""Pointers from a letter to the edition's register, in any scheme an edition uses.

A name points to its register entry with ``@ref`` or ``@sameAs`` (``#pmb50``,
``register.xml#moscow``, ``../indices/listperson.xml#pmb11036``, a prefixed pointer such as
``pmb:50`` that the header's ``prefixDef`` expands, or an authority URI such as
``https://d-nb.info/gnd/118609807``) or with ``@key`` (a name or code the edition's own
register carries in ``@n`` or ``@key``). Every pointer becomes a *key* that names its target
whatever the spelling: ``id:pmb50``, ``uri:http://d-nb.info/gnd/118609807``, ``key:Zingg
Josef``. Keys are what :mod:`teitools.render.entities` looks entries up by.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

from teitools.errors import TeitoolsError
from teitools.namespaces import NS
from teitools.patterns import Pattern, compile_pattern

# Authority files: (what an address contains, the scheme's name as the site shows it)
AUTHORITIES = (
    ("d-nb.info/gnd/", "GND"),
    ("viaf.org/viaf/", "VIAF"),
    ("geonames.org/", "GeoNames"),
    ("wikidata.org/", "Wikidata"),
    ("id.loc.gov/", "LoC"),
    ("data.bnf.fr/", "BnF"),
    ("catalogue.bnf.fr/", "BnF"),
    ("id.ndl.go.jp/", "NDL"),
    ("isni.org/", "ISNI"),
    ("orcid.org/", "ORCID"),
    ("pmb.acdh.oeaw.ac.at/", "PMB"),
    ("hls-dhs-dss.ch/", "HLS"),
    ("deutsche-biographie.de/", "DB"),
)
# Attributes that point a name to its entry (``@key`` is read apart: it holds a name)
POINTING = ("ref", "sameAs")


def authority(uri: str) -> str | None:
    """The name of the authority file ``uri`` belongs to (``GND``), if it is one we know."""
    if not re.match(r"https?://", uri, re.IGNORECASE):
        return None
    return next((name for part, name in AUTHORITIES if part in uri), None)


def normal_uri(uri: str) -> str:
    """One spelling of an address: ``http``, no ``www.``, no trailing slash, no fragment-less
    ``#``; so ``https://www.wikidata.org/entity/Q1/`` and ``http://wikidata.org/entity/Q1``
    are the same key."""
    text = re.sub(r"^https?://(www\.)?", "http://", uri.strip(), flags=re.IGNORECASE)
    return text.rstrip("/#")


@dataclass(frozen=True)
class Prefix:
    """A ``prefixDef``: ``ident:VALUE`` where VALUE matches ``match`` becomes ``replacement``
    with ``$1``... filled in."""

    ident: str
    match: Pattern
    replacement: str

    def expand(self, value: str) -> str | None:
        found = self.match.fullmatch(value)
        if found is None:
            return None
        groups = found.groups()
        return re.sub(
            r"\$(\d)",
            lambda m: (
                (groups[int(m.group(1)) - 1] or "") if 0 < int(m.group(1)) <= len(groups) else ""
            ),
            self.replacement,
        )


def prefixes(root: etree._Element, origin: str) -> dict[str, list[Prefix]]:
    """The ``prefixDef``s of a document's header, by prefix. A pattern that does not compile
    or backtracks (it comes from the file) is left out."""
    found: dict[str, list[Prefix]] = {}
    for definition in root.iterfind(".//t:teiHeader//t:prefixDef", NS):
        ident, match = definition.get("ident", ""), definition.get("matchPattern", "")
        replacement = definition.get("replacementPattern", "")
        if not ident or not match:
            continue
        try:
            pattern = compile_pattern(match, f"prefixDef {ident!r}", origin)
        except (TeitoolsError, re.error, ValueError):
            continue
        found.setdefault(ident, []).append(Prefix(ident, pattern, replacement))
    return found


def pointer_key(token: str, known: Mapping[str, list[Prefix]]) -> str | None:
    """The key of one pointer as written: ``#x`` and ``file.xml#x`` → ``id:x``; an address
    → ``uri:…``; ``prefix:value`` expanded by the header's ``prefixDef``."""
    token = token.strip()
    if not token:
        return None
    scheme, colon, rest = token.partition(":")
    if colon and scheme in known:
        for prefix in known[scheme]:
            try:
                expanded = prefix.expand(rest)
            except TeitoolsError:
                expanded = None
            if expanded is not None and expanded != token:
                return pointer_key(expanded, {})
        return None
    if re.match(r"[a-z][a-z0-9+.-]*://", token, re.IGNORECASE):
        return f"uri:{normal_uri(token)}"
    if "#" in token:
        fragment = token.rpartition("#")[2]
        return f"id:{fragment}" if fragment else None
    return f"id:{token}"  # a bare name, or a prefix the header does not define


def pointer_keys(element: etree._Element, known: Mapping[str, list[Prefix]]) -> list[str]:
    """The keys of every pointer on ``element`` (``@ref``, ``@sameAs``, ``@key``), in order."""
    keys = []
    for attribute in POINTING:
        for token in (element.get(attribute) or "").split():
            key = pointer_key(token, known)
            if key is not None and key not in keys:
                keys.append(key)
    name = " ".join((element.get("key") or "").split())
    if name:
        keys.append(f"key:{name}")
    return keys


def slug(key: str) -> str:
    """A file name for an entry known only by a pointer: ``id:pmb50`` → ``pmb50``,
    ``uri:http://d-nb.info/gnd/118609807`` → ``gnd-118609807``, ``key:Zingg Josef`` →
    ``Zingg-Josef``."""
    kind, _, value = key.partition(":")
    if kind == "uri":
        scheme = authority(value) or "link"
        value = f"{scheme.lower()}-{value.rstrip('/').rpartition('/')[2]}"
    text = re.sub(r"[^\w.-]+", "-", value, flags=re.UNICODE).strip("-.") or "entry"
    return text[:80]


def iter_pointing(root: etree._Element) -> Iterator[etree._Element]:
    """Elements that carry a pointer to an entry."""
    for element in root.iter(etree.Element):
        if any(element.get(a) for a in (*POINTING, "key")):
            yield element

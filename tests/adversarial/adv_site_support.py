"""What the adversarial tests of ``site`` and ``render`` share: TEI letters and registers
with any value in any field the site and the stylesheets read, running a command in this
process, and an audit of generated HTML that knows only what our templates can write.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from lxml import etree, html

from teitools.cli import main

from adv_convert_support import Run
from conftest import REPO

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
T = f"{{{TEI_NS}}}"
CMIF_REPLY = "http://www.tei-c.org/cmif/ns#replyTo"

# Values meant to escape their context: markup, event handlers, script and data URLs
# (with the case and whitespace tricks browsers forgive), CSS that fetches, template
# syntax, paths that climb out of a folder.
HOSTILE = (
    '1985"><img src=x onerror=alert(document.domain)>',
    "'><svg onload=alert(1)>",
    "<script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "\njavascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    'x" onmouseover="alert(1)',
    "x' style='background:url(javascript:alert(1))",
    "background:url(http://127.0.0.1:9/x.png)",
    "expression(alert(1))",
    "{{ 7*7 }}{% if 1 %}x{% endif %}",
    "${alert(1)}",
    "]]><!-- -->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "../../../../etc/passwd",
    'register.xml#x"><script>alert(1)</script>',
    "register.xml#../../index",
    '#"><b>x</b>',
)


def element(tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    """A TEI element (``xml_lang`` for ``xml:lang``, ``xml_id`` for ``xml:id``)."""
    made = etree.Element(f"{T}{tag}", nsmap={None: TEI_NS})
    for name, value in attributes.items():
        key = f"{{{XML_NS}}}{name[4:]}" if name.startswith("xml_") else name.rstrip("_")
        made.set(key, value)
    made.text = text
    return made


def child(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    made = element(tag, text, **attributes)
    parent.append(made)
    return made


def letter(v: Mapping[str, str], body: Iterable[etree._Element] = ()) -> bytes:
    """A TEI letter with ``v[field]`` in each field the site, the CMIF writer and the
    stylesheets read; a field not in ``v`` gets a plain value."""

    def get(name: str, default: str) -> str:
        return v.get(name, default)

    tei = element("TEI", xml_lang=get("lang", "en"))
    header = child(tei, "teiHeader")
    file_desc = child(header, "fileDesc")
    child(child(file_desc, "titleStmt"), "title", get("title", "A letter"))
    child(child(file_desc, "publicationStmt"), "publisher", get("publisher", "Us"))
    source = child(file_desc, "sourceDesc")
    ms = child(source, "msDesc")
    ident = child(ms, "msIdentifier")
    child(ident, "repository", get("repository", "An archive"), ref=get("repository_ref", ""))
    child(ident, "collection", get("collection", "Papers"))
    child(ident, "idno", get("idno", "Box 1"), type=get("idno_type", "box"))
    admin = child(child(ms, "additional"), "adminInfo")
    items = child(child(admin, "note"), "list")
    child(items, "item", get("status", "Draft copy"), n=get("status_n", "status"))
    bibl = child(source, "bibl", type="transcription")
    child(bibl, "title", f"OCR text file {get('source_file', 'a.txt')}")
    child(bibl, "citedRange", unit="line", from_=get("from", "1"), to=get("to", "9"))
    profile = child(header, "profileDesc")
    corresp = child(profile, "correspDesc")
    sent = child(corresp, "correspAction", type="sent")
    child(
        sent,
        "persName",
        get("sender", "Ann Sender"),
        ref=get("sender_ref", "https://www.wikidata.org/entity/Q1"),
        sameAs=get("sender_same_as", "register.xml#ann"),
        cert=get("cert", "medium"),
    )
    child(sent, "orgName", get("org", "A Ministry"), ref=get("org_ref", "register.xml#ministry"))
    child(sent, "placeName", get("place", "Berne"), sameAs=get("place_ref", "register.xml#berne"))
    child(
        sent,
        "date",
        when=get("when", "1985-03-24"),
        notBefore=get("not_before", ""),
        notAfter=get("not_after", ""),
        cert=get("date_cert", "high"),
    )
    received = child(corresp, "correspAction", type="received")
    addressee = get("addressee", "Bob")
    child(received, "persName", addressee, sameAs=get("addressee_ref", "register.xml#bob"))
    context = child(corresp, "correspContext")
    child(
        context,
        "ref",
        get("reply_text", "your letter"),
        type=CMIF_REPLY,
        target=get("reply_target", "other.xml"),
        n=get("reply_n", "1985-03-01"),
    )
    child(corresp, "note", get("inference", "How we know"), type="inference")
    text = child(tei, "text")
    main = child(text, "body")
    div = child(main, "div", type=get("div_type", "letter"))
    opener = child(div, "opener")
    child(opener, "pb", n=get("pb", "1"), facs=get("facs", "page1.jpg"))
    child(opener, "fw", get("fw", "Head"), type=get("fw_type", "header"))
    dateline = child(opener, "dateline")
    child(dateline, "date", get("dateline", "24 March 1985"), when=get("when", "1985-03-24"))
    child(opener, "salute", get("salute", "Dear Bob,"))
    paragraph = child(div, "p", get("text", "Thank you."))
    child(paragraph, "persName", get("named", "Carl"), ref=get("named_ref", "register.xml#carl"))
    child(
        paragraph, "ref", get("link_text", "a link"), target=get("target", "https://example.org/")
    )
    child(paragraph, "ptr", target=get("ptr", "#note"))
    child(paragraph, "graphic", url=get("graphic", "image.png"))
    child(paragraph, "hi", get("hi", "bold"), rend=get("rend", "bold"), style=get("style", "x"))
    child(paragraph, "foreign", get("foreign", "bitte"), xml_lang=get("foreign_lang", "de"))
    child(paragraph, "gap", reason=get("gap", "illegible"))
    choice = child(paragraph, "choice")
    child(choice, "sic", get("sic", "teh"))
    child(choice, "corr", get("corr", "the"), cert=get("corr_cert", "low"))
    child(paragraph, "note", get("note", "A note."))
    div.extend(body)
    child(child(div, "closer"), "salute", get("closer", "Yours,"))
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8")


def register(v: Mapping[str, str]) -> bytes:
    """A ``register.xml`` whose entries carry ``v[field]`` (ids stay NCNames: a parser
    refuses anything else, as it should)."""
    tei = element("TEI")
    child(child(child(tei, "teiHeader"), "fileDesc"), "titleStmt").append(element("title", "R"))
    body = child(child(tei, "text"), "body")
    people = child(child(body, "div", type="listPerson"), "listPerson")
    for ident in ("ann", "bob", "carl"):
        person = child(people, "person", xml_id=ident, type=v.get("person_type", "person"))
        name = child(person, "persName")
        child(name, "forename", v.get("forename", ident.title()))
        child(name, "surname", v.get("surname", "Smith"))
        child(person, "birth", when=v.get("birth", "1900"))
        child(person, "death", when=v.get("death", "1990"))
        child(person, "state", type="office", from_=v.get("office_from", "1950")).append(
            element("label", v.get("office", "Minister"))
        )
        child(person, "idno", v.get("idno_url", "https://viaf.org/viaf/1"), type="viaf")
        child(person, "ptr", target=v.get("entry_ptr", "https://example.org/p"))
    places = child(child(body, "div", type="listPlace"), "listPlace")
    place = child(places, "place", xml_id="berne")
    child(place, "placeName", v.get("place_name", "Berne"))
    orgs = child(child(body, "div", type="listOrg"), "listOrg")
    child(child(orgs, "org", xml_id="ministry"), "orgName", v.get("org_name", "A Ministry"))
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8")


def run_here(*args: str | Path) -> Run:
    """``teitools ARGS`` in this process: an uncaught exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([*map(str, args), "--jobs", "1"])
        except SystemExit as stop:
            code = stop.code
    assert isinstance(code, int), code
    return Run(code, out.getvalue(), err.getvalue())


# ------------------------------------------------------------------ the HTML audit

ALLOWED_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href"}
OUR_SCRIPTS = {"list.js", "../list.js", "pagefind/pagefind-ui.js"}


@cache
def template_tags() -> frozenset[str]:
    """Every element name our stylesheets, templates and Python can write (read from their
    sources, so a new template is known at once)."""
    sources = [*REPO.glob("xslt/*.xsl"), *REPO.glob("xslt/*.j2"), *REPO.glob("xslt/site/*.j2")]
    tags = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
        tags.update(t.lower() for t in re.findall(r"<([A-Za-z][\w]*)[\s/>]", text))
        tags.update(re.findall(r'<xsl:element name="([a-z]\w*)"', text))
    timeline = (REPO / "src/teitools/site/timeline.py").read_text(encoding="utf-8")
    tags.update(re.findall(r'_el\(\s*\w+,\s*"(\w+)"', timeline))
    return frozenset(tags | {"svg", "html", "head", "body", "link", "div", "a", "title"})


def _scheme(url: str) -> str | None:
    probe = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", probe)
    return match.group(1).lower() if match else None


def audit(page: Path, inline_scripts: frozenset[str]) -> list[str]:
    """What in ``page`` our templates did not write: an element they never make, an event
    handler, a URL that runs code, CSS that fetches, a script that is not ours."""
    problems = []
    root = html.parse(str(page)).getroot()
    allowed = template_tags()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        tag = etree.QName(node).localname.lower()
        if tag not in allowed:
            problems.append(f"<{tag}> element")
        for name, value in node.attrib.items():
            local = etree.QName(name).localname.lower() if name.startswith("{") else name.lower()
            if local.startswith("on"):
                problems.append(f"<{tag} {name}>")
            if local in URL_ATTRIBUTES or name.endswith("}href"):
                scheme = _scheme(value)
                if scheme is not None and scheme not in ALLOWED_SCHEMES and value != "data:,":
                    problems.append(f"<{tag} {name}={value!r}>")
            if local == "style" and re.search(r"url|expression|@import|\\", value, re.I):
                problems.append(f"<{tag} style={value!r}>")
            if local == "http-equiv" and value.lower() != "content-type":
                problems.append(f"<{tag} http-equiv={value!r}>")
        if tag == "script":
            source = node.get("src")
            inline = " ".join((node.text or "").split())
            if source not in OUR_SCRIPTS and not (source is None and inline in inline_scripts):
                problems.append(f"<script src={source!r}>{inline[:40]}")
    return [f"{page.name}: {p}" for p in problems]


def inline_scripts(folder: Path) -> frozenset[str]:
    """The inline scripts of the pages under ``folder`` (a site of our own letters)."""
    found = set()
    for page in folder.rglob("*.html"):
        for script in html.parse(str(page)).getroot().iter("script"):
            if script.get("src") is None:
                found.add(" ".join((script.text or "").split()))
    return frozenset(found)


def active_markup() -> list[etree._Element]:
    """Markup a browser runs in any XML file it opens: an XHTML script, an SVG onload."""
    script = etree.Element("{http://www.w3.org/1999/xhtml}script")
    script.text = "alert('xhtml')"
    svg = etree.Element("{http://www.w3.org/2000/svg}svg", onload="alert('svg')")
    return [script, svg]

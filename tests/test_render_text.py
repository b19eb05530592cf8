"""Every text of the TEI reaches the reader: the reading view, the diplomatic view and the
notes of a rendered page show what the TEI says they should (the reference in
``teitools.render.expected_text``), on our letters, on real letters of other editions
(``tests/samples``) and on generated documents of every element family; the PDF holds the
same words. Generated documents are also checked against a second, simpler oracle: every
text node of them is shown in some view, whatever the element around it."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from teitools import safexml
from teitools.render import letter_pdf, transform
from teitools.render.expected_text import VIEWS, Shown, expected, shown
from teitools.render.pdf import ENGINES
from teitools.resources import XSLT

from conftest import ENCODED, SAMPLES

TEI_NS = "http://www.tei-c.org/ns/1.0"
LETTERS = sorted(ENCODED.glob("0*.xml")) + sorted(SAMPLES.glob("*.xml"))
PAGE = XSLT / "letter-html.xsl"


def _check(source: Path) -> dict[str, Shown]:
    """Render ``source`` and compare each view with the reference; return what it shows."""
    root = etree.parse(str(source), safexml.parser()).getroot()
    page = transform(source, PAGE)
    seen = {}
    for view in VIEWS:
        want, got = expected(root, view), shown(page, view)
        assert got.flow == want.flow, f"{view} view differs:\n{_where(want.flow, got.flow)}"
        assert got.margin == want.margin, view
        assert got.notes == want.notes, view
        seen[view] = got
    return seen


def _where(want: str, got: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), 0)
    start = max(0, at - 60)
    return f"  TEI says: …{want[start : at + 60]}…\n  page has: …{got[start : at + 60]}…"


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_every_view_shows_what_the_tei_says(letter: Path) -> None:
    _check(letter)


# ------------------------------------------------------------------ what real letters have
def _tei(body: str, back: str = "", front: str = "") -> str:
    return (
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>"
        f"</fileDesc></teiHeader><text>{front}<body>{body}</body>{back}</text></TEI>"
    )


def _views(tmp_path: Path, body: str, back: str = "", front: str = "") -> dict[str, Shown]:
    source = tmp_path / "letter.xml"
    source.write_text(_tei(body, back, front), encoding="utf-8")
    return _check(source)


def test_an_abbreviation_is_expanded_in_reading_and_kept_in_the_diplomatic_view(
    tmp_path: Path,
) -> None:
    body = "<p>unseres <choice><abbr>republ.</abbr><expan>republikanischen</expan></choice> "
    seen = _views(tmp_path, body + "Gemeinwesens</p>")
    assert seen["reading"].flow == "unseres republikanischen Gemeinwesens"
    assert seen["diplomatic"].flow == "unseres republ. Gemeinwesens"


def test_front_and_back_are_shown_and_the_register_inside_a_letter_is_not(tmp_path: Path) -> None:
    front = "<front><div><p>Verehrtester Herr!</p></div></front>"
    back = (
        '<back><div type="closer"><p>Ihr ergebener</p></div>'
        '<listPerson><person xml:id="p1"><persName>Register Name</persName></person>'
        "</listPerson></back>"
    )
    seen = _views(tmp_path, "<p>Ich danke.</p>", back, front)
    assert seen["reading"].flow == "Verehrtester Herr! Ich danke. Ihr ergebener"


def test_a_space_keeps_words_apart_and_deletions_are_struck_not_read(tmp_path: Path) -> None:
    body = (
        "<p>düster,<space unit='chars' quantity='1'/>so vergessen "
        "<subst><del>aß</del><add>hat</add></subst> er <restore><del>nie</del></restore>.</p>"
    )
    seen = _views(tmp_path, body)
    assert seen["reading"].flow == "düster, so vergessen hat er nie."
    assert seen["diplomatic"].flow == "düster, so vergessen aßhat er nie."


def test_lines_cells_and_letterhead_segments_stand_apart(tmp_path: Path) -> None:
    body = (
        "<opener><seg type='letterhead'><seg rend='left'>Hofburgtheater</seg>"
        "<seg rend='right'>Wien</seg></seg></opener>"
        "<lg><l>Erste Zeile</l><l>zweite Zeile</l></lg>"
        "<table><row><cell>eins</cell><cell>zwei</cell></row></table>"
    )
    seen = _views(tmp_path, body)
    assert seen["reading"].flow == "Hofburgtheater Wien Erste Zeile zweite Zeile eins zwei"


def test_rendition_becomes_classes_and_safe_css(tmp_path: Path) -> None:
    source = tmp_path / "letter.xml"
    body = (
        "<p><hi rend='italic underline'>a</hi> <hi rend='sup'>b</hi> <hi rend='spaced-out'>c</hi>"
        " <hi style='font-weight: bold; background: url(http://x.invalid/t.png)'>d</hi>"
        " <hi rendition='#k'>e</hi></p>"
    )
    text = _tei(body).replace(
        "</fileDesc>",
        "</fileDesc><encodingDesc><tagsDecl><rendition xml:id='k' scheme='css'>"
        "font-variant: small-caps; display: none</rendition></tagsDecl></encodingDesc>",
    )
    source.write_text(text, encoding="utf-8")
    page = transform(source, PAGE).decode()
    assert 'class="hi rend-italic rend-underline"' in page and "rend-sup" in page
    assert 'style="font-weight: bold"' in page  # the url() is dropped
    assert 'style="font-variant: small-caps"' in page  # display: none could hide text
    assert "x.invalid" not in page
    _check(source)


def test_references_without_text_show_their_target_and_breaks_without_n_no_number(
    tmp_path: Path,
) -> None:
    body = (
        "<p>Tagebuch (<ref target='1889-09-08' type='diary'/>), siehe "
        "<ref target='https://example.org/a'>hier</ref><pb/> weiter<pb n='2'/> "
        "<ptr target='https://example.org/b'/></p>"
    )
    seen = _views(tmp_path, body)
    assert seen["reading"].flow == "Tagebuch (1889-09-08), siehe hier weiter https://example.org/b"
    assert seen["reading"].margin == ("[p. 2]",)
    assert "[p. ]" not in transform(tmp_path / "letter.xml", PAGE).decode()


def test_a_note_is_numbered_where_it_stands_and_its_text_is_among_the_notes(
    tmp_path: Path,
) -> None:
    body = (
        "<p>Komödie<note>Unklar. Von <persName>Capus</persName>.</note> von "
        "<hi>Capus</hi><note type='textConst'>am Rand</note>.</p>"
    )
    seen = _views(tmp_path, body)
    assert seen["reading"].flow == "Komödie1 von Capus2."
    assert seen["reading"].notes == ("Unklar. Von Capus.", "am Rand")


def test_an_element_no_template_knows_still_shows_its_text(tmp_path: Path) -> None:
    body = (
        "<p>zum Maschinen<she>bau</she> und <x:mark xmlns:x='urn:other'>fremd</x:mark> "
        "<letterhead>Kopf</letterhead></p>"
    )
    seen = _views(tmp_path, body)
    assert seen["reading"].flow == "zum Maschinenbau und fremd Kopf"


# ------------------------------------------------------------------ generated documents
INLINE = ["hi", "persName", "placeName", "rs", "foreign", "q", "quote", "seg", "c", "emph"]
INLINE += ["unclear", "damage", "surplus", "add", "del", "supplied", "orig", "reg", "abbr"]
INLINE += ["expan", "sic", "corr", "title", "date", "she", "mod", "restore", "subst", "anchor"]
BLOCK = ["p", "ab", "div", "lg", "l", "list", "item", "table", "row", "cell", "opener"]
BLOCK += ["closer", "postscript", "salute", "dateline", "signed", "address", "addrLine", "head"]
BLOCK += ["figure", "figDesc", "fw", "label", "quote", "back"]
EMPTY = ["<lb/>", '<lb break="no"/>', '<pb n="3"/>', "<pb/>", '<cb n="b"/>', "<gap/>"]
EMPTY += ['<space unit="chars" quantity="2"/>', '<space unit="line"/>', "<graphic url='x'/>"]
EMPTY += ["<milestone unit='section'/>", "<anchor/>", "<handShift new='#h2'/>"]
EMPTY += ["<ref target='https://example.org/x'/>", "<ptr target='L00001'/>", "<ref/>"]
REND = ["italic", "bold underline", "sup", "spaced-out", "left", "right", "center", "x y", ""]
ATTRS = ["", ' rend="{}"', ' type="letterhead"', ' place="above"', ' ref="#p1"', ' n="2"']
ATTRS = [a or "{0:.0}" for a in ATTRS]  # each takes the rend value, the empty one as ""
SPACE = st.sampled_from(["", " ", "\n   ", "\t", "  \n"])


PAIRS = [("abbr", "expan"), ("sic", "corr"), ("orig", "reg"), ("unclear", "unclear")]


def _element(name: str, attribute: str, rend: str, kids: list[str]) -> str:
    return f"<{name}{attribute.format(rend)}>{''.join(kids)}</{name}>"


def _choice(pair: tuple[str, str], first: list[str], second: list[str], one: bool) -> str:
    other = "" if one else f"<{pair[1]}>{''.join(second)}</{pair[1]}>"
    return f"<choice><{pair[0]}>{''.join(first)}</{pair[0]}>{other}</choice>"


def _special(kind: str, first: list[str], second: list[str]) -> str:
    a, b = "".join(first), "".join(second)
    return {
        "note": f"<note>{a}</note>",
        "subst": f"<subst><del>{a}</del><add>{b}</add></subst>",
        "expan": f"<expan>{a}<ex>{b}</ex></expan><abbr>x<am>.</am></abbr>",
        "register": f"<listPerson><person><persName>{a}</persName></person></listPerson>",
    }[kind]


CONTENT = st.deferred(
    lambda: st.one_of(
        LEAF,
        LEAF,
        LEAF,
        LEAF,
        st.builds(
            _element,
            st.sampled_from(INLINE + BLOCK),
            st.sampled_from(ATTRS),
            st.sampled_from(REND),
            KIDS,
        ),
        st.builds(_choice, st.sampled_from(PAIRS), KIDS, KIDS, st.booleans()),
        st.builds(_special, st.sampled_from(["note", "subst", "expan", "register"]), KIDS, KIDS),
    )
)
LEAF = st.one_of(st.builds(lambda a, b: f"{a}W{b}", SPACE, SPACE), st.sampled_from(EMPTY))
KIDS = st.lists(CONTENT, max_size=2)
DOCUMENTS = st.builds(lambda parts: _tei("".join(parts)), st.lists(CONTENT, min_size=1, max_size=4))


def _side(element: etree._Element) -> str:
    """The one view that shows ``element``'s text ("reading", "diplomatic"), or ""."""
    name, parent = etree.QName(element).localname, element.getparent()
    if name == "am" or (name == "del" and "restore" not in _names(element)):
        return "diplomatic"
    if parent is None or etree.QName(parent).localname != "choice":
        return ""
    children = [c for c in parent if isinstance(c.tag, str)]

    def pick(names: tuple[str, ...]) -> etree._Element:
        return next((c for c in children if etree.QName(c).localname in names), children[0])

    reading, diplomatic = pick(("corr", "reg", "expan")), pick(("sic", "orig", "abbr"))
    if element is reading:
        return "" if element is diplomatic else "reading"
    return "diplomatic"  # its own pick, or an alternative neither view picks


def _names(element: etree._Element) -> set[str]:
    return {etree.QName(a).localname for a in element.iterancestors()}


def _numbered(source: str) -> tuple[bytes, list[str]]:
    """The document with each text W replaced by a word of its own (x1x, x2x ...), and those
    words that some view must show: not those of the register's lists, nor those that only
    one view shows inside what only the other shows (an abbreviation inside an expansion)."""
    root = etree.fromstring(source.encode())
    words, shown_words = 0, []
    for element in root.iter(etree.Element):
        for attr in ("text", "tail"):
            value = getattr(element, attr)
            owner = element if attr == "text" else element.getparent()
            if not value or "W" not in value or owner is None:
                continue
            words += 1
            setattr(element, attr, value.replace("W", f"x{words}x"))
            chain = [owner, *owner.iterancestors()]
            sides = {_side(e) for e in chain} - {""}
            if "listPerson" not in {etree.QName(e).localname for e in chain} and len(sides) < 2:
                shown_words.append(f"x{words}x")
    return etree.tostring(root), shown_words


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_generated_documents_show_every_text_as_the_tei_says(source: str) -> None:
    data, words = _numbered(source)
    with tempfile.TemporaryDirectory() as tmp:
        letter = Path(tmp) / "generated.xml"
        letter.write_bytes(data)
        seen = _check(letter)
    everything = " ".join(" ".join([s.flow, *s.margin, *s.notes]) for s in seen.values())
    missing = [w for w in words if w not in everything]
    assert not missing, f"never shown: {missing} in {data.decode()}"


# ------------------------------------------------------------------ the PDF
def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]{2,}", text)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "letter",
    [
        SAMPLES / "schnitzler__L00553.xml",
        SAMPLES / "escher__K_2038_AE_an_Schenk_Karl_1863-10-04.xml",
        SAMPLES / "schnitzler__L04013.xml",
    ],
    ids=lambda p: p.stem,
)
def test_the_pdf_holds_the_reading_text_in_order_the_notes_and_the_margin(
    letter: Path, engine: str, tmp_path: Path
) -> None:
    """Typst (the default) and WeasyPrint typeset the same print page: both show it all."""
    pdf = tmp_path / "letter.pdf"
    page = transform(letter, XSLT / "letter-print.xsl")
    pdf.write_bytes(letter_pdf(letter, page, engine=engine)[0])
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = _words(text)
    want = expected(etree.parse(str(letter), safexml.parser()).getroot(), "reading")
    position = 0
    for word in _words(want.flow):
        position = found.index(word, position) + 1  # ValueError: missing or out of order
    for part in [*want.notes, *want.margin]:
        assert all(w in found for w in _words(part)), part


EVERY_FAMILY = (
    "<opener><seg type='letterhead'><seg rend='left'>Hofburgtheater</seg>"
    "<seg rend='right'>Wien</seg></seg><dateline>Wien, am Montag</dateline></opener>"
    "<p>unseres <choice><abbr>republ.</abbr><expan>republikanischen</expan></choice> "
    "Gemeinwesens, düster,<space unit='chars' quantity='1'/>so vergessen "
    "<subst><del>aß</del><add>hat</add></subst> er <restore><del>nie</del></restore>"
    "<pb/> weiter<pb n='2'/> <hi rend='italic'>schräg</hi> <hi rend='sup'>oben</hi> "
    "<hi style='font-weight: bold'>fett</hi> <hi rend='underline'>unterstrichen</hi>"
    "<note>Unklar, von <persName>Capus</persName>.</note> <choice><sic>Fehlr</sic>"
    "<corr>Fehler</corr></choice> <gap reason='illegible'/> <supplied>ergänzt</supplied> "
    "<unclear>unsicher</unclear> <foreign xml:lang='fr'>voilà</foreign>.</p>"
    "<lg><l>Erste Zeile</l><l>zweite Zeile</l></lg>"
    "<table><row><cell>eins</cell><cell>zwei</cell></row></table>"
    "<list><item>Apfel</item><item>Birne</item></list>"
    "<closer><salute>Ihr ergebener</salute><signed>Arthur</signed></closer>"
    "<postscript><p>Nachschrift hier</p></postscript>"
)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_pdf_of_every_element_family_shows_the_reading_text(
    engine: str, tmp_path: Path
) -> None:
    """Front and back, choices, space, subst, del and restore, pb with and without @n, hi,
    notes, gap, supplied, lines, a table and a list: each engine prints the reading text in
    order, words apart where the TEI has them apart, the note and the page number."""
    front = "<front><div><p>Verehrtester Herr!</p></div></front>"
    back = "<back><div><p>Beilage folgt.</p></div></back>"
    letter = tmp_path / "letter.xml"
    letter.write_text(_tei(EVERY_FAMILY, back, front), encoding="utf-8")
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(
        letter_pdf(letter, transform(letter, XSLT / "letter-print.xsl"), engine=engine)[0]
    )
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    want = expected(etree.parse(str(letter), safexml.parser()).getroot(), "reading")
    found, position = _words(text), 0
    for word in _words(want.flow):
        position = found.index(word, position) + 1  # ValueError: missing, joined or out of order
    assert "Unklar" in found and "[p. 2]" in text and "[p. ]" not in text
    assert not {"republ", "aß"} & set(found)  # the diplomatic side is not read
    assert "düster, so" in " ".join(text.split())

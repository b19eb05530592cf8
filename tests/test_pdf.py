"""PDF typeset by Typst from the print stylesheet's HTML: the print features of the
WeasyPrint rendition (running head, "N of M", footnotes, page numbers in the margin,
embedded fonts), the same text, deterministic bytes, and letters that cannot run code."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from teitools.render import render_paths
from teitools.render.pdf import page_data, parse_sheet

ENCODED = Path(__file__).resolve().parents[1] / "encoded"
LETTER = ENCODED / "003_e967189a251f37fb.1.xml"  # a gap with its footnote, two pages
TEI = "{http://www.tei-c.org/ns/1.0}"
MM = 72 / 25.4


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]


def title_of(letter: Path) -> str:
    return " ".join(etree.parse(str(letter)).findtext(f".//{TEI}titleStmt/{TEI}title").split())


def text_words(pdf: Path, title: str) -> Counter[str]:
    """The words of the PDF but for its running heads and page counts."""
    lines = [
        line
        for page in pdftotext(pdf).split("\f")
        for line in page.splitlines()[1:]  # the running head
        if not re.fullmatch(r"\s*\d+ of \d+\s*", line)
    ]
    return Counter(" ".join(lines).split())


@pytest.fixture(scope="module")
def typst_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("typst")
    assert not render_paths([LETTER], "pdf", out).errors
    return out / f"{LETTER.stem}.pdf"


def test_typst_prints_the_words_weasyprint_prints(typst_pdf: Path, tmp_path: Path) -> None:
    assert not render_paths([LETTER], "pdf", tmp_path, engine="weasyprint").errors
    weasy = tmp_path / typst_pdf.name
    info = subprocess.run(["pdfinfo", str(weasy)], capture_output=True, text=True).stdout
    assert "WeasyPrint" in info
    title = title_of(LETTER)
    assert text_words(typst_pdf, title) == text_words(weasy, title)


def test_the_print_features_are_kept(typst_pdf: Path) -> None:
    count = pages(typst_pdf)
    assert count >= 2
    title = title_of(LETTER)
    for number, page in enumerate(pdftotext(typst_pdf).split("\f")[:count], 1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert " ".join(lines[0].split()) == " ".join(title.split())[: len(lines[0])]  # head
        assert lines[-1].strip() == f"{number} of {count}"  # the foot
    text = " ".join(pdftotext(typst_pdf).split())
    note = "The text resumes in mid-sentence here"
    assert note in text and text.index(note) > text.index("[…]")  # a footnote, after its call
    boxes = etree.fromstring(pdftotext(typst_pdf, "-bbox").encode())
    marker = next(w for w in boxes.iter("{*}word") if w.text == "[p.")
    assert float(marker.get("xMax")) < 35 * MM  # in the left margin
    fonts = subprocess.run(["pdffonts", str(typst_pdf)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # every font embedded


def test_the_same_tei_gives_the_same_pdf_bytes(typst_pdf: Path, tmp_path: Path) -> None:
    render_paths([LETTER], "pdf", tmp_path)
    assert (tmp_path / typst_pdf.name).read_bytes() == typst_pdf.read_bytes()


def test_a_letter_cannot_run_typst_code(tmp_path: Path) -> None:
    tree = etree.parse(str(LETTER))
    paragraph = tree.find(f".//{TEI}body//{TEI}p")
    hostile = '#read("/etc/hostname") ]#panic("boom")[ $x^2$ \\ "q" <l> @l *b* _i_ = h //c'
    paragraph.text = hostile + " " + (paragraph.text or "")
    letter = tmp_path / "hostile.xml"
    tree.write(str(letter), encoding="UTF-8", xml_declaration=True)
    report = render_paths([letter], "pdf", tmp_path / "out")
    assert not report.errors
    text = " ".join(pdftotext(tmp_path / "out" / "hostile.pdf").split())
    assert hostile in text


def test_print_css_decides_what_typst_hides_notes_and_styles() -> None:
    sheet = parse_sheet(
        ".d { display: none } .footnote { float: footnote; font-size: 8pt }"
        " dl.meta dt { font-weight: bold } .pb { float: left; margin-left: -28mm }"
        " .x::after { content: 'no' } .add, .seg.hand { font-style: italic }"
    )
    page = (
        b"<html lang='de'><head><title> A  letter </title></head><body>"
        b"<p>a <span class='d'>hidden</span> <span class='footnote'>note</span>"
        b"<span class='pb'>[p. 2]</span>  b<br/> c <span class='seg hand'>d</span></p>"
        b"<dl class='meta'><dt>From</dt></dl><dl><dt>To</dt></dl></body></html>"
    )
    data = page_data(page, sheet)
    assert data["title"] == "A letter" and data["lang"] == "de"
    p, meta, plain = data["body"][2:]
    assert p[:4] == ["p", {}, "a ", ["footnote", {"size": 8.0}, "note"]]  # "hidden" left out
    assert p[4] == ["margin", {"margin-left": pytest.approx(-28 * MM)}, "[p. 2]"]
    assert p[5:8] == [" b", ["br", {}], "c "]  # white space collapsed, none after a break
    assert p[8] == ["span", {"italic": True}, "d"]
    assert meta[:2] == ["dl", {}] and meta[2] == ["div", {"bold": True}, "From"]
    assert plain[2] == ["div", {}, "To"]


def test_typst_reads_tei_css_margins_tables_and_the_letters_own_style() -> None:
    """print.css imports tei.css (how the parts of a letter look); its shorthand margins
    put page breaks and running heads into the margin (stacked, not printed over one
    another) and space the blocks; a table of rows of cells is a table, anything else
    in it keeps its text as blocks; a letter's own CSS (``style``) styles its text."""
    page = (
        b"<html><body><div class='p'><span class='hi rend-italic'>i</span>"
        b"<div class='pb'>[p. 2]</div> <div class='fw'>Kopf</div></div>"
        b"<div class='table'><div class='row'><div class='cell'>a</div>"
        b"<div class='cell'>b</div></div></div>"
        b"<div class='table'><div class='row'>loose<div class='cell'>c</div></div></div>"
        b"<span class='hi rend-block'>x</span><span style='font-style: italic'>y</span>"
        b"<span class='footnote'>n<div class='pb'>[p. 3]</div></span></body></html>"
    )
    paragraph, table, loose, block, styled, note = page_data(page)["body"][2:]
    assert paragraph[1]["above"] == (pytest.approx(2.5 * MM), "pt")
    assert paragraph[2] == ["span", {"italic": True}, "i"]
    margin = paragraph[3]
    assert margin[0] == "margin" and margin[1]["margin-left"] == pytest.approx(-28 * MM)
    assert margin[2:] == ["[p. 2]", ["br", {}], "Kopf"]
    assert table[0] == "table" and table[2] == ["tr", {}, ["td", {}, "a"], ["td", {}, "b"]]
    assert loose[0] == "div" and loose[2] == ["div", {}, "loose", ["div", {}, "c"]]
    assert block == ["div", {}, "x"] and styled == ["span", {"italic": True}, "y"]
    assert note[0] == "footnote" and note[3][0] == "span"  # a page break in a note: inline

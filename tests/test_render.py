"""Renderings: HTML pages through XSLT 1.0, and PDFs typeset by Typst and by WeasyPrint."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree, html

from teitools.render import RenderError, render_paths, transform
from teitools.render.pdf import ENGINES
from teitools.render.prepare import prepare
from teitools.resources import XSLT

from conftest import ENCODED, recording_server

LETTERS = sorted(ENCODED.glob("0*.xml"))
NS = {"t": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    report = render_paths([ENCODED], "html", out)
    assert not report.errors
    return out


@pytest.fixture(scope="module", params=ENGINES)
def pdfs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our letters as PDFs, typeset by each engine."""
    out = tmp_path_factory.mktemp("pdf")
    report = render_paths([ENCODED], "pdf", out, engine=request.param)
    assert not report.errors
    return out


def reading_paragraphs(letter: Path) -> list[str]:
    """Each TEI paragraph as a reader reads it: corrections and joined words applied."""
    root = etree.parse(str(letter)).getroot()
    paragraphs = []
    for p in root.xpath("//t:body//t:p", namespaces=NS):
        text = "".join(
            t
            for t in p.xpath(
                ".//text()[not(ancestor::t:sic or ancestor::t:orig or "
                "ancestor::t:note or ancestor::t:fw or "
                "ancestor::t:corr[preceding-sibling::t:corr])]",  # the first correction shows
                namespaces=NS,
            )
        )
        paragraphs.append(" ".join(text.split()))
    return paragraphs


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)  # letters only: footnote calls are digits


def test_every_letter_has_a_page_and_the_index_links_them(site: Path) -> None:
    index = html.parse(str(site / "index.html")).getroot()
    links = index.xpath("//ol[@class='letters']//a/@href")
    collations = sorted(ENCODED.glob("collations/*.xml"))  # the versions of a letter compared
    assert sorted(links) == sorted(f"{p.stem}.html" for p in LETTERS + collations)
    assert (site / "register.html").exists() and (site / "letter.css").exists()


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_every_paragraph_appears_in_the_reading_view(site: Path, letter: Path) -> None:
    page = html.parse(str(site / f"{letter.stem}.html")).getroot()
    for hidden in page.xpath(
        "//*[contains(concat(' ', @class, ' '), ' d ')] | //script | "
        "//*[contains(@class, 'fw')] | //*[contains(@class, 'pb')] | //sup"
    ):
        hidden.drop_tree()
    text = " ".join(" ".join(page.xpath("//div[@class='text']//text()")).split())
    for paragraph in reading_paragraphs(letter):
        assert " ".join(words(paragraph)) in " ".join(words(text))


def test_views_differ_where_the_source_and_the_reading_differ(site: Path) -> None:
    page = html.parse(str(site / "004_2a302f09f3bdef71.html")).getroot()
    assert "cn" in page.xpath("//span[contains(@class, 'd sic')]/text()")
    assert "on" in page.xpath("//span[contains(@class, 'r corr')]/text()")
    assert page.xpath("//body/@class") == ["view-reading"]  # readable without JavaScript
    pages = html.parse(str(site / "000_8dc45de45295dae5.html")).getroot()
    assert pages.xpath("//div[@class='pb']/@data-n") == ["1", "2", "3"]


def test_names_link_to_register_entries_that_exist(site: Path) -> None:
    register = html.parse(str(site / "register.html")).getroot()
    anchors = set(register.xpath("//li/@id"))
    page = html.parse(str(site / "000_8dc45de45295dae5.html")).getroot()
    targets = page.xpath("//a[contains(@class, 'name')]/@href")
    assert targets
    for target in targets:
        file, anchor = target.split("#")
        assert file == "register.html" and anchor in anchors


def test_markup_in_letter_text_is_escaped(tmp_path: Path) -> None:
    letter = etree.parse(str(LETTERS[0]))
    p = letter.getroot().find(
        ".//{http://www.tei-c.org/ns/1.0}body//{http://www.tei-c.org/ns/1.0}p"
    )
    p.text = "<script>alert(1)</script> " + (p.text or "")
    source = tmp_path / "evil.xml"
    letter.write(str(source), encoding="UTF-8")
    page = transform(source, XSLT / "letter-html.xsl").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_stylesheet_cannot_read_other_files(tmp_path: Path) -> None:
    sheet = tmp_path / "evil.xsl"
    sheet.write_text(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template match="/"><out><xsl:copy-of select="document(\'/etc/passwd\')"/></out>'
        "</xsl:template></xsl:stylesheet>"
    )
    with pytest.raises(RenderError, match="refused or failed"):
        transform(LETTERS[0], sheet)


def test_stylesheet_cannot_write_files(tmp_path: Path) -> None:
    sheet = tmp_path / "evil.xsl"
    target = tmp_path / "written.txt"
    sheet.write_text(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl">'
        f'<xsl:template match="/"><exsl:document href="{target}">x</exsl:document><out/>'
        "</xsl:template></xsl:stylesheet>"
    )
    with pytest.raises(RenderError):
        transform(LETTERS[0], sheet)
    assert not target.exists()


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_xsltproc_gives_the_same_html_as_lxml(letter: Path, tmp_path: Path) -> None:
    """The stylesheets are plain XSLT 1.0: xsltproc makes the same page of the prepared TEI."""
    xsltproc = shutil.which("xsltproc")
    assert xsltproc, "xsltproc is installed by scripts/test.sh"
    tree = etree.parse(str(letter))
    prepare(tree.getroot())
    prepared = tmp_path / letter.name
    tree.write(str(prepared), encoding="UTF-8")
    made = subprocess.run(
        [xsltproc, "--nonet", str(XSLT / "letter-html.xsl"), str(prepared)],
        capture_output=True,
        check=True,
    ).stdout
    assert made == transform(letter, XSLT / "letter-html.xsl")


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_pdf_holds_the_whole_reading_text_in_order(pdfs: Path, letter: Path) -> None:
    pdf = pdfs / f"{letter.stem}.pdf"
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = words(text)
    position = 0
    for paragraph in reading_paragraphs(letter):
        for word in words(paragraph):
            position = found.index(word, position) + 1  # ValueError: missing or out of order


@pytest.mark.parametrize("letter", LETTERS[:2], ids=lambda p: p.stem)
def test_pdf_embeds_its_fonts_and_renders(pdfs: Path, letter: Path, tmp_path: Path) -> None:
    pdf = pdfs / f"{letter.stem}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1)) >= 1
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # the "emb" column
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    assert list(tmp_path.glob("page*.png"))


def test_combined_volume_has_a_table_of_contents_and_every_letter(tmp_path: Path) -> None:
    report = render_paths([ENCODED], "pdf", tmp_path, combine=True)
    assert report.written == 1
    assert [p.name for p in tmp_path.iterdir()] == ["volume.pdf"]  # and nothing else
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "volume.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    contents = text.split("Contents", 1)[1]
    for letter in LETTERS:
        title = etree.parse(str(letter)).findtext(".//{http://www.tei-c.org/ns/1.0}title")
        assert " ".join(title.split()[:4]) in " ".join(contents.split())


def test_a_projects_xslt_2_stylesheet_runs_through_saxon(tmp_path: Path) -> None:
    pytest.importorskip("saxonche")
    sheet = tmp_path / "mine.xsl"
    sheet.write_text(
        '<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:tei="http://www.tei-c.org/ns/1.0"><xsl:output method="html"/>'
        '<xsl:template match="/"><html><body><p>'
        '<xsl:value-of select="upper-case(//tei:titleStmt/tei:title)"/>'  # XPath 2.0
        "</p></body></html></xsl:template></xsl:stylesheet>"
    )
    report = render_paths([LETTERS[0]], "html", tmp_path / "out", xslt=sheet)
    assert not report.errors
    page = (tmp_path / "out" / f"{LETTERS[0].stem}.html").read_text()
    assert "LETTER FROM MIKHAIL GORBACHEV" in page


def test_stylesheet_parameters_choose_the_first_view(tmp_path: Path) -> None:
    render_paths([LETTERS[0]], "html", tmp_path, params={"view": "diplomatic"})
    page = html.parse(str(tmp_path / f"{LETTERS[0].stem}.html")).getroot()
    assert page.xpath("//body/@class") == ["view-diplomatic"]


def test_saxon_fetches_no_dtd_a_letter_names(tmp_path: Path) -> None:
    """A DOCTYPE naming an external DTD (after a comment that mentions one) is never fetched."""
    pytest.importorskip("saxonche")
    with recording_server() as (address, asked):
        text = LETTERS[0].read_text(encoding="utf-8")
        declaration, rest = text.split("\n", 1)
        doctype = (
            f'<!-- not this one: <!DOCTYPE x SYSTEM "{address}/comment.dtd"> -->\n'
            f'<!DOCTYPE TEI SYSTEM "{address}/tei.dtd" [\n  <!-- ] > -->\n'
            '  <!ATTLIST TEI note CDATA "a > b ]">\n]>\n'
        )
        letter = tmp_path / "letter.xml"
        letter.write_text(f"{declaration}\n{doctype}{rest}", encoding="utf-8")
        sheet = tmp_path / "mine.xsl"
        sheet.write_text(
            '<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            '<xsl:template match="/"><p><xsl:value-of select="count(//*)"/></p></xsl:template>'
            "</xsl:stylesheet>"
        )
        command = [sys.executable, "-m", "teitools", "render", str(letter), "--xslt", str(sheet)]
        command += ["-o", str(tmp_path / "out")]
        # in a process of its own: a fetch that hangs fails the test instead of stalling it
        done = subprocess.run(command, capture_output=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        assert asked == []
    assert int(html.parse(str(tmp_path / "out" / "letter.html")).findtext(".//p")) > 100


FOOTNOTE_SHEET = """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"><xsl:output method="html"/>
  <xsl:template match="/"><html><head><style>@page { size: A6 } .n { float: footnote }</style>
  </head><body><p>Text <xsl:for-each select="//tei:note"><span class="n"><xsl:value-of
  select="."/></span></xsl:for-each> end.</p></body></html></xsl:template>
</xsl:stylesheet>"""


def test_a_pdf_the_typesetter_cannot_lay_out_fails_alone_in_one_line(tmp_path: Path) -> None:
    """WeasyPrint lays out footnotes without collapsing their whitespace, and a raw line
    break in one stops it ("Got ' \\n' between two lines"): as a stylesheet of one's own can
    make (ours collapses the whitespace of notes). That letter fails, the others are made."""
    folder = tmp_path / "letters"
    folder.mkdir()
    note = "<note>" + "Wort \n        " * 300 + "</note>"
    text = LETTERS[0].read_text(encoding="utf-8")
    (folder / "a_broken.xml").write_text(text.replace("</p>", note + "</p>", 1), encoding="utf-8")
    (folder / "b_fine.xml").write_text(text, encoding="utf-8")
    sheet = tmp_path / "footnotes.xsl"
    sheet.write_text(FOOTNOTE_SHEET, encoding="utf-8")
    command = [sys.executable, "-m", "teitools", "render", str(folder), "--to", "pdf"]
    command += ["--xslt", str(sheet), "-o", str(tmp_path / "pdf")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    problems = done.stderr.strip().splitlines()
    assert len(problems) == 1
    assert f"{folder / 'a_broken.xml'}: cannot typeset the PDF" in problems[0]
    assert "between two lines" in problems[0]
    assert (tmp_path / "pdf" / "b_fine.pdf").read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "pdf" / "a_broken.pdf").exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_our_print_stylesheet_lays_out_notes_with_raw_line_breaks(
    engine: str, tmp_path: Path
) -> None:
    note = "<note>" + "Wort \n        " * 300 + "</note>"
    text = LETTERS[0].read_text(encoding="utf-8").replace("</p>", note + "</p>", 1)
    (tmp_path / "letter.xml").write_text(text, encoding="utf-8")
    report = render_paths([tmp_path / "letter.xml"], "pdf", tmp_path / "pdf", engine=engine)
    assert not report.errors
    assert (tmp_path / "pdf" / "letter.pdf").read_bytes().startswith(b"%PDF")


def test_a_letter_of_many_notes_prints_them_as_endnotes(tmp_path: Path) -> None:
    """WeasyPrint checks every footnote still to place on every line: over 300 notes, print
    lists them at the end of the letter instead, each with its number."""
    notes = "".join(f"<p>Line {i}<note>Note {i}.</note></p>" for i in range(301))
    text = re.sub(
        r"<body>.*</body>", f"<body>{notes}</body>", LETTERS[0].read_text("utf-8"), flags=re.S
    )
    (tmp_path / "many.xml").write_text(text, encoding="utf-8")
    page = html.document_fromstring(transform(tmp_path / "many.xml", XSLT / "letter-print.xsl"))
    assert not page.find_class("footnote")
    assert page.xpath("//sup[@class='endnote-call']/text()") == [str(n) for n in range(1, 302)]
    items = page.xpath("//section[@class='endnotes']/ol/li")
    assert [i.text_content().split(" ↩")[0] for i in items][-1] == "Note 300."
    few = html.document_fromstring(transform(LETTERS[3], XSLT / "letter-print.xsl"))
    assert not few.find_class("endnotes")

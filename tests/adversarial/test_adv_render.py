"""Attacks on ``teitools render``, each once a broken promise (issue 11, items 4, 7, 14).

The HTML a stylesheet makes from TEI may name any URL; the PDF renderer loads only
teitools' own stylesheets and fonts (and files of those kinds beside a ``--xslt``
stylesheet), so nothing is fetched and no local file reaches the PDF. Links from the TEI
pass a scheme allow-list; a name that would replace the index is given another.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html

from teitools.safehtml import clean, safe_url

from adv_convert_support import WARNING, assert_promises
from adv_site_support import (
    HOSTILE,
    audit,
    child,
    element,
    inline_scripts,
    letter,
    register,
    run_here,
)
from conftest import ENCODED, recording_server

LETTERS = sorted(p for p in ENCODED.glob("*.xml") if p.name != "register.xml")

FETCHING_SHEET = """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:param name="server"/><xsl:param name="secret"/>
<xsl:template match="/"><html><head>
<link rel="stylesheet" href="{$server}/link.css"/>
<link rel="stylesheet" href="file://{$secret}/secret.css"/>
<link rel="stylesheet" href="own.css"/>
<link rel="stylesheet" href="{$sheets}/own.css"/>
<style>@import url("<xsl:value-of select="$server"/>/import.css");
p { background: url("<xsl:value-of select="$server"/>/background.png") }
@font-face { font-family: x; src: url("<xsl:value-of select="$server"/>/font.woff") }
@font-face { font-family: y; src: url("file://<xsl:value-of select="$secret"/>/font.ttf") }
</style></head>
<body><p style="font-family: x">Rendered.</p>
<img src="{$server}/image.png"/><img src="file://{$secret}/secret.txt"/>
<img src="file://{$secret}/../secrets/secret.txt"/>
<a rel="attachment" href="file://{$secret}/secret.txt">attached</a>
<object data="file://{$secret}/secret.txt" type="text/plain">object</object>
</body></html></xsl:template></xsl:stylesheet>
"""


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _attachments(pdf: Path) -> str:
    return subprocess.run(
        ["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    folder = tmp_path / "secrets"
    folder.mkdir()
    (folder / "secret.txt").write_text("TOPSECRET-TEXT", encoding="utf-8")
    (folder / "secret.css").write_text('body::before { content: "TOPSECRET-CSS" }', "utf-8")
    shutil.copy("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", folder / "font.ttf")
    return folder


def test_a_stylesheets_pdf_fetches_nothing_and_reads_no_local_file(
    tmp_path: Path, secrets: Path
) -> None:
    """Before: WeasyPrint fetched /link.css, /import.css, /font.woff, /image.png and
    /background.png from the server; secret.css's text was in the PDF and secret.txt
    was attached to it."""
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    sheet = sheets / "fetching.xsl"
    sheet.write_text(FETCHING_SHEET.replace("{$sheets}", f"file://{sheets}"), encoding="utf-8")
    (sheets / "own.css").write_text('body::after { content: "OWN-CSS" }', encoding="utf-8")
    source = tmp_path / "letter.xml"
    shutil.copy(LETTERS[0], source)
    out = tmp_path / "out"
    with recording_server() as (url, asked):
        run = run_here(
            "render", source, "--to", "pdf", "--xslt", sheet, "-o", out,
            "--param", f"server={url}", "--param", f"secret={secrets}",
        )  # fmt: skip
    assert asked == []
    assert_promises(run, [source, out], out)
    assert run.code == 0
    refused = [line for line in run.stderr.splitlines() if "refused to load" in line]
    assert all(line.startswith(f"{WARNING}{source}: ") for line in refused)
    assert len(refused) == 10  # five addresses, five local files, each named once
    text = _pdf_text(out / "letter.pdf")
    assert "Rendered." in text and "OWN-CSS" in text  # the stylesheet's own CSS is its own
    assert "TOPSECRET" not in text
    assert "0 embedded files" in _attachments(out / "letter.pdf")


def test_letters_with_addresses_in_every_field_fetch_nothing_as_pdf(tmp_path: Path) -> None:
    """Our stylesheets, the site's PDFs and ``--combine``: whatever the TEI names, the
    typesetter asks the recording server for nothing."""
    folder = tmp_path / "encoded"
    folder.mkdir()
    with recording_server() as (url, asked):
        fields = ["graphic", "facs", "target", "ptr", "style", "rend", "text", "note", "hi"]
        values = {name: f"{url}/{name}" for name in fields}
        values["style"] = f"background: url({url}/style.png)"
        (folder / "a.xml").write_bytes(letter(values))
        (folder / "b.xml").write_bytes(letter({"text": f'<img src="{url}/b.png">'}))
        single = run_here("render", folder, "--to", "pdf", "-o", tmp_path / "pdf")
        volume = run_here("render", folder, "--to", "pdf", "--combine", "-o", tmp_path / "vol")
        site = run_here("site", folder, "-o", tmp_path / "site")
    assert asked == []
    for run in (single, volume, site):
        assert run.code == 0, run
    assert (tmp_path / "site" / "pdf" / "a.pdf").exists()


def test_no_link_in_a_rendering_runs_script(tmp_path: Path) -> None:
    """Before: a letter named ``javascript:alert(1).xml`` was linked from index.html as
    ``href="javascript:alert(1).html"``. Every link our stylesheets write from the TEI
    (``ptr``, ``ref``, ``graphic``, ``@facs``, register ``idno``) passes the allow-list."""
    assert run_here("render", LETTERS[0], "-o", tmp_path / "ours").code == 0
    ours = inline_scripts(tmp_path / "ours")
    folder = tmp_path / "encoded"
    folder.mkdir()
    fields = ["target", "ptr", "graphic", "facs", "rend", "style", "named_ref", "text", "title"]
    for number, value in enumerate(HOSTILE):
        (folder / f"l{number:02}.xml").write_bytes(letter(dict.fromkeys(fields, value)))
    (folder / "javascript:alert(1).xml").write_bytes(letter({}))
    for value in ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x"]:
        (folder / "register.xml").write_bytes(
            register({"entry_ptr": value, "idno_url": f"http{value}"})
        )
        out = tmp_path / "html"
        run = run_here("render", folder, "-o", out)
        assert run.code == 0, run
        pages = sorted(out.glob("*.html"))
        assert len(pages) == len(HOSTILE) + 3
        assert [p for page in pages for p in audit(page, ours)] == []
        links = html.parse(str(out / "index.html")).xpath("//ol/li/a/@href")
        assert "javascript%3Aalert%281%29.html" in links


@pytest.mark.parametrize(
    "url, safe",
    [
        ("letters/a.html", True),
        ("#note-1", True),
        ("?q=x", True),
        ("https://viaf.org/viaf/1", True),
        ("mailto:editor@example.org", True),
        ("data:,", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("  javascript:alert(1)", False),
        ("java\tscr\nipt:alert(1)", False),
        ("\x00javascript:alert(1)", False),
        ("vbscript:x", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
    ],
)
def test_only_links_that_cannot_run_code_pass(url: str, safe: bool) -> None:
    assert (safe_url(url) is not None) == safe


def test_the_cleaning_pass_keeps_what_is_safe_and_drops_what_runs() -> None:
    page = html.fromstring(
        '<div><a href="a.html" class="x" onclick="y">a</a><img src="javascript:x" alt="t">'
        '<span style="color: red">s</span><span style="background:url(x)">u</span>'
        '<img srcset="a.png 1x, javascript:x 2x"></div>'
    )
    assert clean(page) == 4
    assert html.tostring(page, encoding="unicode") == (
        '<div><a href="a.html" class="x">a</a><img alt="t">'
        '<span style="color: red">s</span><span>u</span><img></div>'
    )


# ------------------------------------------------------------------ item 14 and batches


def test_a_stylesheet_that_is_not_xml_is_one_line(tmp_path: Path) -> None:
    """Before: an ``XMLSyntaxError`` traceback."""
    sheet = tmp_path / "sheet.xsl"
    sheet.write_text("this is not a stylesheet", encoding="utf-8")
    run = run_here("render", LETTERS[0], "--xslt", sheet, "-o", tmp_path / "out")
    assert run.code == 2 and len(run.stderr.splitlines()) == 1
    assert run.errors[0].startswith(f"teitools: error: {sheet}: ")


def test_a_letter_that_is_not_xml_is_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    """Held before for XSLT 1.0 and 2.0 stylesheets; kept."""
    bad, empty = tmp_path / "bad.xml", tmp_path / "empty.xml"
    bad.write_bytes(b"\xff\xfeplain text, not XML")
    empty.write_bytes(b"")
    sheet = tmp_path / "v2.xsl"
    sheet.write_text(
        '<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template match="/"><html><body><xsl:value-of select="."/></body></html>'
        "</xsl:template></xsl:stylesheet>",
        encoding="utf-8",
    )
    for xslt in ([], ["--xslt", str(sheet)]):
        out = tmp_path / f"out{len(xslt)}"
        run = run_here("render", bad, empty, LETTERS[0], *xslt, "-o", out)
        assert_promises(run, [bad, empty, LETTERS[0]], out)
        assert run.code == 1 and len(run.errors) == 2
        assert (out / f"{LETTERS[0].stem}.html").exists()


def test_a_register_that_is_not_xml_is_one_line_and_the_letters_are_indexed(
    tmp_path: Path,
) -> None:
    """Before (found by fuzzing): one line, exit 2, and no index page."""
    folder = tmp_path / "encoded"
    folder.mkdir()
    shutil.copy(LETTERS[0], folder)
    (folder / "register.xml").write_bytes(b"")
    out = tmp_path / "html"
    run = run_here("render", folder, "-o", out)
    assert_promises(run, [folder, out], out)
    assert run.code == 1 and len(run.errors) == 1 and "register.xml" in run.errors[0]
    links = html.parse(str(out / "index.html")).xpath("//a/@href")
    # the register page holds the entries made of the letter's own names (issue 14)
    assert [link for link in links if link != "register.html"] == [f"{LETTERS[0].stem}.html"]


def test_a_letter_named_index_does_not_replace_the_index_page(tmp_path: Path) -> None:
    """Before: index.xml's page was overwritten by the list of letters, silently."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    shutil.copy(LETTERS[0], first / "index.xml")
    shutil.copy(LETTERS[1], first / "same.xml")
    shutil.copy(LETTERS[2], second / "Same.xml")  # one name on a case-insensitive disk
    out = tmp_path / "html"
    run = run_here("render", first, second, "-o", out)
    assert run.code == 0
    warnings = [line for line in run.stderr.splitlines() if line.startswith(WARNING)]
    assert len(warnings) == 2 and "index-2.html" in warnings[0] and "Same-2.html" in warnings[1]
    index = html.parse(str(out / "index.html"))
    assert sorted(index.xpath("//ol/li/a/@href")) == ["Same-2.html", "index-2.html", "same.html"]
    assert "Reading view" in (out / "index-2.html").read_text(encoding="utf-8")


def test_a_link_in_the_output_folder_is_never_written_through(tmp_path: Path) -> None:
    """Before: letter.css was copied through a link to the file it points to."""
    out, target = tmp_path / "html", tmp_path / "dotfile"
    out.mkdir()
    target.write_text("the user's", encoding="utf-8")
    (out / "letter.css").symlink_to(target)
    assert run_here("render", LETTERS[0], "-o", out).code == 0
    assert target.read_text(encoding="utf-8") == "the user's"


def test_a_letter_the_typesetter_fails_on_is_one_line_and_the_others_are_made(
    tmp_path: Path,
) -> None:
    """Before: a traceback (WeasyPrint's ``AssertionError`` on a footnote with line
    breaks), and no PDF of the batch written."""
    folder = tmp_path / "encoded"
    folder.mkdir()
    note = element("note", "a foot\nnote with\n raw \n line breaks")
    paragraph = element("p", "Text")
    paragraph.append(note)
    child(paragraph, "hi", "more")
    (folder / "a.xml").write_bytes(letter({"note": "a foot\nnote\n with line\n breaks"}))
    (folder / "b.xml").write_bytes(letter({}, [paragraph]))
    shutil.copy(LETTERS[0], folder)
    out = tmp_path / "pdf"
    run = run_here("render", folder, "--to", "pdf", "-o", out)
    assert_promises(run, [folder, out], out)
    assert (out / f"{LETTERS[0].stem}.pdf").exists()
    for name in ("a", "b"):
        assert (out / f"{name}.pdf").exists() or any(f"{name}.xml" in e for e in run.errors)

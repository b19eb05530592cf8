"""The versions of a letter shown: the web page (side by side, apparatus), the print edition
(base text in numbered lines, apparatus keyed by line), and both in the site, in a real
browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree, html

from teitools.render import render_paths, transform
from teitools.render.prepare import prepare_collation
from teitools.resources import XSLT
from teitools.site import build_site
from teitools.site.config import load_config

from conftest import ENCODED, REPO, TEI_NS, serve

COLLATION = next(ENCODED.glob("collations/*.versions.xml"))
NAME = COLLATION.name[: -len(".xml")]
WITNESSES = etree.parse(str(COLLATION)).getroot().xpath(
    "//t:witness/t:bibl/t:idno/text()", namespaces=TEI_NS
)
ARTIFACTS = REPO / "test-artifacts" / "site"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    assert not render_paths([ENCODED], "html", out).errors
    return out


def test_the_versions_page_sets_the_witnesses_side_by_side(pages: Path) -> None:
    page = html.parse(str(pages / f"{NAME}.html")).getroot()
    heads = page.xpath("//table[@class='synopsis']/thead//th/text()")
    assert len(heads) == 1 + len(WITNESSES) == 4
    assert [h.split(" · ")[1] for h in heads[1:]] == ["sent copy", "transcription", "draft"]
    lines = etree.parse(str(COLLATION)).getroot().xpath(
        "//t:div[@type='collation']/t:p/t:lb/@n", namespaces=TEI_NS
    )
    rows = page.xpath("//table[@class='synopsis']/tbody/tr")
    assert [r.get("id") for r in rows] == [f"line-{n}" for n in lines]
    assert all(len(r.xpath("td")) == 3 for r in rows)
    for hidden in page.xpath("//*[@class='visually-hidden']"):  # words for screen readers
        hidden.drop_tree()
    row = page.xpath("//tr[.//a[contains(., 'cbstacle')]]")[0]
    cells = [" ".join(td.text_content().split()) for td in row.xpath("td")]
    assert "major obstacle to" in cells[0] and "major cbstacle" in cells[1]


def test_every_variant_is_in_the_apparatus_and_links_both_ways(pages: Path) -> None:
    page = html.parse(str(pages / f"{NAME}.html")).getroot()
    apps = etree.parse(str(COLLATION)).getroot().xpath("//t:app", namespaces=TEI_NS)
    entries = page.xpath("//ol[@class='apparatus-list']/li")
    assert len(entries) == len(apps)
    ids = set(page.xpath("//@id"))
    for link in page.xpath("//a/@href[starts-with(., '#')]"):
        assert link[1:] in ids, link
    entry = next(e for e in entries if "cbstacle" in e.text_content())
    text = " ".join(entry.text_content().split())
    assert re.fullmatch(r"\d+ obstacle\] cbstacle B \(OCR error\)", text), text
    moved = next(e for e in entries if "interfere" in e.text_content())
    assert "moved here from line" in moved.text_content()


def test_each_version_links_to_the_versions_page(pages: Path) -> None:
    for name in WITNESSES:
        page = html.parse(str(pages / f"{name}.html")).getroot()
        assert page.xpath("//a[@class='versions-link']/@href") == [f"{NAME}.html"], name
        others = page.xpath("//dd[@class='versions']/a[not(@class)]/@href")
        assert sorted(others) == sorted(f"{n}.html" for n in WITNESSES if n != name)


def test_xsltproc_gives_the_same_versions_page_as_lxml(tmp_path: Path) -> None:
    """Plain XSLT 1.0: xsltproc makes the same page of the prepared collation."""
    xsltproc = shutil.which("xsltproc")
    assert xsltproc, "xsltproc is installed by scripts/test.sh"
    tree = etree.parse(str(COLLATION))
    prepare_collation(tree.getroot())
    prepared = tmp_path / COLLATION.name
    tree.write(str(prepared), encoding="UTF-8")
    made = subprocess.run(
        [xsltproc, "--nonet", str(XSLT / "versions-html.xsl"), str(prepared)],
        capture_output=True,
        check=True,
    ).stdout
    assert made == transform(COLLATION, XSLT / "versions-html.xsl")


@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_the_print_edition_keys_the_apparatus_by_line(engine: str, tmp_path: Path) -> None:
    assert not render_paths([COLLATION], "pdf", tmp_path, engine=engine).errors
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / f"{NAME}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    body, apparatus = re.split(r"\n\s*Apparatus\n", text)
    root = etree.parse(str(COLLATION)).getroot()
    loc = root.xpath("//t:app[t:rdg='cbstacle']/@loc", namespaces=TEI_NS)[0]
    assert re.search(rf"^\s*{loc} .*obstacle\] cbstacle B \(OCR error\)", apparatus, re.M)
    numbered = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", body, re.M)]
    assert numbered[:3] == [5, 10, 15]  # every fifth line numbered in the margin
    lemma = " ".join(root.xpath("string(//t:div[@type='collation'])", namespaces=TEI_NS).split())
    assert "Ronald Reagan" in lemma and "Ronald Reagan" in body


# ------------------------------------------------------------------ in the browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    report = build_site(ENCODED, folder, load_config(REPO / "teitools.toml"), pdf=True)
    assert not report.errors
    return folder


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve(site) as address:
        yield address


def test_the_versions_page_in_the_site_is_reached_from_a_letter_and_used_by_keyboard(
    browser: object, server: str, site: Path
) -> None:
    from playwright.sync_api import expect

    assert (site / "pdf" / f"{NAME}.pdf").exists() and (site / "tei" / COLLATION.name).exists()
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server + f"letters/{WITNESSES[1]}.html")
    page.get_by_role("link", name="Compare the versions").click()
    page.wait_for_url(f"**/versions/{NAME}.html")
    expect(page.locator("table.synopsis tbody tr").first).to_be_visible()
    variant = page.locator("a.v.rdg", has_text="cbstacle")
    variant.focus()
    page.keyboard.press("Enter")
    target = page.evaluate("location.hash")
    entry = page.locator(f"li{target}")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("cbstacle")
    entry.locator("a.loc").focus()
    page.keyboard.press("Enter")
    expect(page.locator("tr:target")).to_contain_text("cbstacle")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "versions.png"))
    context.close()
    assert not problems, problems


def test_the_versions_page_works_without_javascript(browser: object, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server + f"versions/{NAME}.html")
    assert page.locator("table.synopsis thead th").count() == 4
    assert page.locator("ol.apparatus-list li").count() > 40
    page.locator("ol.apparatus-list li a.loc").first.click()
    assert page.evaluate("location.hash").startswith("#line-")
    context.close()

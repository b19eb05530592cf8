"""The edition's website in a real browser: Debian's Chromium driven by Playwright.

The site is built from encoded/ and served from 127.0.0.1; screenshots of the home, list,
a letter and a register page go to test-artifacts/site/ for people to look at.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from lxml import etree, html

from conftest import ENCODED, REPO

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, expect

ARTIFACTS = REPO / "test-artifacts" / "site"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}
LETTERS = sorted(p for p in ENCODED.glob("*.xml") if p.name != "register.xml")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    opened.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    opened.on(
        "response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    yield opened
    context.close()
    assert not problems, problems


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _senders(path: Path, role: str = "sent") -> list[str]:
    root = etree.parse(str(path)).getroot()
    return root.xpath(f"//t:correspAction[@type='{role}']/t:persName/@sameAs", namespaces=TEI)


def _is_draft(path: Path) -> bool:
    root = etree.parse(str(path)).getroot()
    return bool(
        root.xpath("//t:adminInfo//t:item[@n='status'][starts-with(., 'Draft')]", namespaces=TEI)
    )


@pytest.mark.parametrize(
    "name, address",
    [
        ("home", "index.html"),
        ("list", "letters.html"),
        ("timeline", "timeline.html"),
        ("letter", f"letters/{LETTERS[0].stem}.html"),
        ("persons", "persons.html"),
        ("register-entry", "register/gorbachev.html"),
    ],
)
def test_pages_load_without_errors(page: Page, site_address: str, name: str, address: str) -> None:
    page.goto(site_address + address)
    page.wait_for_load_state("networkidle")
    assert page.locator("nav.site-nav a").count() >= 5
    assert page.locator("h1").first.inner_text().strip()
    _shot(page, name)


def test_sorting_and_filtering_change_the_list(page: Page, site_address: str) -> None:
    page.goto(site_address + "letters.html")
    rows = page.locator("#letters tbody tr:not([hidden])")
    by_date = rows.locator("td:last-child").all_inner_texts()
    assert len(by_date) == len(LETTERS)
    page.get_by_role("button", name="From").click()
    by_sender = rows.locator("td:nth-child(2)").all_inner_texts()
    assert by_sender == sorted(by_sender, key=str.lower)
    assert rows.locator("td:last-child").all_inner_texts() != by_date
    page.get_by_role("button", name="From").click()
    assert (
        rows.locator("td:nth-child(2)").all_inner_texts() == sorted(by_sender, key=str.lower)[::-1]
    )
    page.locator("select[name=from]").select_option(label="Mikhail Gorbachev")
    gorbachev = [p for p in LETTERS if "register.xml#gorbachev" in _senders(p)]
    assert rows.count() == len(gorbachev) < len(LETTERS)
    assert f"{len(gorbachev)} of {len(LETTERS)} letters" in page.locator("#count").inner_text()
    page.locator("select[name=from]").select_option(label="Ronald Reagan")
    page.locator("select[name=status]").select_option("draft")
    drafts = [p for p in LETTERS if "register.xml#reagan" in _senders(p) and _is_draft(p)]
    expect(rows).to_have_count(len(drafts))
    assert drafts
    assert rows.locator("td:nth-child(5)").all_inner_texts() == ["draft"] * len(drafts)
    page.get_by_role("button", name="Show all").click()
    page.wait_for_function(
        f"document.querySelectorAll('#letters tbody tr:not([hidden])').length == {len(LETTERS)}"
    )
    page.locator("input[name=after]").fill("1985")
    page.locator("input[name=before]").fill("1985")
    shown = rows.locator("td:first-child").all_inner_texts()
    assert shown and all("1985" in date for date in shown), shown


def test_search_for_a_word_finds_the_letter_that_has_it(page: Page, site_address: str) -> None:
    page.goto(site_address + "search.html")
    page.locator("#search input").fill("Tbilisi")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15_000)
    holders = [p.stem for p in LETTERS if "Tbilisi" in p.read_text(encoding="utf-8")]
    links = page.locator(".pagefind-ui__result-link").evaluate_all("(as) => as.map(a => a.href)")
    assert holders and {Path(urlsplit(link).path).stem for link in links} == set(holders)
    _shot(page, "search")


def test_the_site_works_without_javascript_and_the_list_is_complete(
    browser: Browser, site_address: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_address + "letters.html")
    assert page.locator("#letters tbody tr").count() == len(LETTERS)
    assert page.locator("#filters").is_hidden()
    context.close()


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_every_internal_link_resolves(site_address: str) -> None:
    """A crawler from the home page: every link, stylesheet, script and fragment is there."""
    pending, seen, broken = [site_address + "index.html"], set(), []
    anchors: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body = _fetch(url)
        if status != 200:
            broken.append(url)
            continue
        if not url.endswith(".html"):
            continue
        tree = html.fromstring(body)
        anchors[url] = set(tree.xpath("//@id"))
        for element, _attribute, link, _pos in tree.iterlinks():
            target, fragment = urldefrag(urljoin(url, link))
            if not target.startswith(site_address) or element.tag == "form":
                continue
            if fragment and target.endswith(".html"):
                fragments.append((url, target, fragment))
            pending.append(target)
    assert not broken, broken
    missing = [
        (page, f"{target}#{frag}")
        for page, target, frag in fragments
        if frag not in anchors.get(target, set())
    ]
    assert not missing, missing
    pages = {u for u in seen if u.endswith(".html")}
    assert {site_address + f"letters/{p.stem}.html" for p in LETTERS} <= pages
    assert len(pages) > 50


def test_every_register_entry_links_to_the_letters_that_name_it(bundled_site: Path) -> None:
    register = etree.parse(str(ENCODED / "register.xml")).getroot()
    ids = register.xpath("//t:body//*[@xml:id]/@xml:id", namespaces=TEI)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in LETTERS}
    for ident in ids:
        page = html.parse(str(bundled_site / "register" / f"{ident}.html")).getroot()
        linked = {Path(h).stem for h in page.xpath("//main//a/@href") if "letters/" in h}
        naming = {
            stem
            for stem, text in texts.items()
            if re.search(rf'"register\.xml#{re.escape(ident)}"', text)
        }
        assert linked == naming, ident


def test_the_site_opens_from_the_file_system(page: Page, bundled_site: Path) -> None:
    page.goto((bundled_site / "index.html").as_uri())
    page.get_by_role("link", name="Letters", exact=True).click()
    page.get_by_role("button", name="To").click()
    expect(page.locator("#count")).to_contain_text(
        f"{len(LETTERS)} of {len(LETTERS)} letters, by to"
    )
    page.locator("#letters tbody a").first.click()
    page.wait_for_url("**/letters/*.html")
    page.locator("main a.name").first.click()
    page.wait_for_url((bundled_site / "register").as_uri() + "/*.html")
    expect(page.locator("main ol.letter-list a").first).to_be_visible()
    page.get_by_role("link", name="Search").click()
    expect(page.locator("#file-note")).to_be_visible()


def test_a_filtered_list_has_an_address_of_its_own(page: Page, site_address: str) -> None:
    page.goto(site_address + "register/brezhnev.html")
    page.get_by_role("link", name="These letters in the list").click()
    page.wait_for_url("**/letters.html?to=brezhnev")
    to_brezhnev = [p for p in LETTERS if "register.xml#brezhnev" in _senders(p, "received")]
    rows = page.locator("#letters tbody tr:not([hidden])")
    expect(rows).to_have_count(len(to_brezhnev))
    assert 0 < len(to_brezhnev) < len(LETTERS)
    assert page.locator("select[name=to]").input_value() == "brezhnev"
    page.locator("select[name=status]").select_option("draft")
    assert urlsplit(page.url).query == "to=brezhnev&status=draft"
    page.goto(site_address + "letters.html?on=1985-12")  # a letter dated within a range that has it
    assert [
        Path(h).stem
        for h in page.locator("#letters tbody tr:not([hidden]) a").evaluate_all(
            "(as) => as.map(a => a.getAttribute('href'))"
        )
    ] == [p.stem for p in LETTERS if p.name.startswith("002")]

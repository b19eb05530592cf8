"""The web pages in a real browser: Debian's Chromium driven by Playwright.

Pages are served from 127.0.0.1; screenshots go to test-artifacts/ for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from teitools import safexml
from teitools.render import render_paths
from teitools.render.expected_text import VIEWS, expected, squeeze

from conftest import ENCODED, REPO, SAMPLES, serve

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page

ARTIFACTS = REPO / "test-artifacts"
LETTERS = sorted(ENCODED.glob("0*.xml"))
SAMPLE_LETTERS = [p for p in sorted(SAMPLES.glob("*.xml")) if p.stat().st_size < 100_000]
# What the browser shows of a view: the running text (page breaks and furniture taken out of
# it in the reading view, where they stand in the margin), the margin, the notes.
SHOWN = """(view) => {
  show(view);
  const text = document.querySelector('div.text');
  const margin = [], hidden = [];
  if (view === 'reading') {
    for (const item of Array.from(text.querySelectorAll('.pb, .cb, .fw'))) {
      if (item.parentElement.closest('.pb, .cb, .fw')) continue;
      if (item.getClientRects().length) margin.push(item.innerText);
      item.style.display = 'none';
      hidden.push(item);
    }
  }
  document.querySelectorAll('.backref').forEach((link) => {
    link.style.display = 'none';
    hidden.push(link);
  });
  const notes = Array.from(document.querySelectorAll('section.notes ol > li'));
  const shown = {flow: text.innerText, margin: margin, notes: notes.map((li) => li.innerText)};
  hidden.forEach((item) => { item.style.display = ''; });
  return shown;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("site")
    assert not render_paths([ENCODED], "html", site).errors
    with serve(site) as address:
        yield address.rstrip("/")


@pytest.fixture(scope="module")
def samples_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Real letters of other editions, each rendered alone (a letter another one names by
    its id would be labelled with its title, which the TEI alone cannot tell)."""
    site = tmp_path_factory.mktemp("samples")
    for letter in SAMPLE_LETTERS:
        assert not render_paths([letter], "html", site).errors
    with serve(site) as address:
        yield address.rstrip("/")


def open_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed request {r.url}"))
    page.goto(url)
    return page, problems


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_letter_page_loads_cleanly_and_shows_every_paragraph(
    browser: Browser, server: str, letter: Path
) -> None:
    page, problems = open_page(browser, f"{server}/{letter.stem}.html")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{letter.stem}.png"), full_page=True)
    assert problems == []
    tei = etree.parse(str(letter)).getroot()
    paragraphs = tei.xpath("//t:body//t:p", namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    assert page.locator("div.text div.p").count() == len(paragraphs)
    page.close()


def test_view_switch_changes_what_is_shown_with_mouse_and_keyboard(
    browser: Browser, server: str
) -> None:
    page, problems = open_page(browser, f"{server}/004_2a302f09f3bdef71.html")
    sic = page.locator("span.sic", has_text="cn").first
    corr = page.locator("span.corr", has_text="on").first
    assert corr.is_visible() and not sic.is_visible()
    page.get_by_role("button", name="Diplomatic view").click()
    assert sic.is_visible() and not corr.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "004-diplomatic.png"))
    page.get_by_role("button", name="Reading view").focus()
    page.keyboard.press("Enter")
    assert corr.is_visible() and not sic.is_visible()
    assert page.get_by_role("button", name="Reading view").get_attribute("aria-pressed") == "true"
    assert problems == []


def test_page_numbers_show_in_both_views(browser: Browser, server: str) -> None:
    page, _ = open_page(browser, f"{server}/000_8dc45de45295dae5.html")
    assert page.locator("div.pb", has_text="[p. 3]").is_visible()
    page.get_by_role("button", name="Diplomatic view").click()
    assert page.locator("div.pb", has_text="[p. 3]").is_visible()


def test_register_links_resolve_in_the_browser(browser: Browser, server: str) -> None:
    page, problems = open_page(browser, f"{server}/000_8dc45de45295dae5.html")
    link = page.locator("a.name", has_text="Shevardnadze").first
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("register.html#shevardnadze")
    assert page.locator("#shevardnadze").is_visible()
    assert problems == []


def test_page_is_readable_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/004_2a302f09f3bdef71.html")
    assert page.locator("span.corr", has_text="on").first.is_visible()
    assert page.locator("div.p").first.is_visible()
    page.get_by_role("link", name="Diplomatic view").click()
    assert page.locator("span.sic", has_text="cn").first.is_visible()
    assert not page.locator("span.corr", has_text="on").first.is_visible()
    context.close()


@pytest.mark.parametrize("letter", SAMPLE_LETTERS, ids=lambda p: p.stem)
def test_the_browser_shows_each_view_as_the_tei_says(
    browser: Browser, samples_server: str, letter: Path
) -> None:
    root = etree.parse(str(letter), safexml.parser()).getroot()
    page, problems = open_page(browser, f"{samples_server}/{letter.stem}.html")
    for view in VIEWS:
        got = page.evaluate(SHOWN, view)
        want = expected(root, view)
        assert squeeze(got["flow"]) == want.flow, view
        assert tuple(m for m in map(squeeze, got["margin"]) if m) == want.margin, view
        assert tuple(map(squeeze, got["notes"])) == want.notes, view
    assert problems == []
    page.close()

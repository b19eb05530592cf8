"""Attacks on ``teitools site``, each once a broken promise (issue 11, items 2, 3, 4, 14).

A site folder may come from anywhere (a cloned publishing branch, a pull request), and
so may its letters: the manifest in it is data, the user's files in it are theirs, and
every value of the TEI is escaped or refused on its way into a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import html

from teitools.render.edition import Links
from teitools.site import MANIFEST, build_site
from teitools.site.config import ConfigError, load_config
from teitools.site.letterpage import PageJob, letter_page
from teitools.site.output import name_problem

from adv_convert_support import WARNING, assert_promises, snapshot
from adv_site_support import (
    HOSTILE,
    active_markup,
    audit,
    inline_scripts,
    letter,
    register,
    run_here,
)
from conftest import ENCODED, recording_server, serve

LETTERS = sorted(p for p in ENCODED.glob("*.xml") if p.name != "register.xml")


@pytest.fixture
def encoded(tmp_path: Path) -> Path:
    """Two of our letters and the register."""
    folder = tmp_path / "encoded"
    folder.mkdir()
    for source in [*LETTERS[:2], ENCODED / "register.xml"]:
        shutil.copy(source, folder)
    return folder


@pytest.fixture(scope="module")
def our_scripts(tmp_path_factory: pytest.TempPathFactory) -> frozenset[str]:
    """The inline scripts of a site of our own letters: the only ones a page may have."""
    site = tmp_path_factory.mktemp("ours") / "site"
    build_site(ENCODED, site, pdf=False)
    return inline_scripts(site)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(site: Path, files: dict[str, object]) -> None:
    site.mkdir(parents=True, exist_ok=True)
    data = {"teitools": "0.1.0", "format": 2, "files": files}
    (site / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


# ------------------------------------------------------------------ item 2: the manifest


def test_a_manifest_naming_files_outside_the_site_removes_nothing(
    encoded: Path, tmp_path: Path
) -> None:
    """Before: "3 removed", the files named ``../victim.txt`` and by absolute path gone."""
    site, victims = tmp_path / "site", tmp_path / "victims"
    victims.mkdir()
    outside = victims / "victim.txt"
    outside.write_text("the user's", encoding="utf-8")
    (victims / "page.html").write_text("<p>the user's page</p>", encoding="utf-8")
    (tmp_path / "site-link").symlink_to(victims)
    site.mkdir()
    (site / "letters").symlink_to(victims)  # a folder of the site that leads out of it
    record = {"sha256": _sha(outside.read_bytes())}
    _manifest(
        site,
        {
            "../victims/victim.txt": record,
            str(outside): record,
            "./index.html": record,
            "letters/../../victims/victim.txt": record,
            "letters/page.html": {"sha256": _sha((victims / "page.html").read_bytes())},
            "tei/a\\..\\..\\victim.txt": record,
            "notes.txt": record,
            MANIFEST: record,
        },
    )
    before = snapshot(victims)
    run = run_here("site", encoded, "-o", site, "--no-pdf")
    assert snapshot(victims) == before
    assert_promises(run, [encoded, site], site)
    ignored = [line for line in run.stderr.splitlines() if "ignored" in line]
    assert len(ignored) == 7 and all(line.startswith(WARNING) for line in ignored)
    assert run.code == 1  # the letter pages could not be written through the link
    assert any("letters/" in line and "leads out" in line for line in run.errors)


def test_a_file_the_manifest_lists_is_removed_only_if_it_still_holds_what_teitools_wrote(
    encoded: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run_here("site", encoded, "-o", site, "--no-pdf").code == 0
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    (site / "register" / "notes.html").write_text("mine", encoding="utf-8")
    (site / "register" / "old.html").write_text("teitools made this", encoding="utf-8")
    manifest["files"]["register/notes.html"] = {"sha256": _sha(b"what teitools once wrote")}
    manifest["files"]["register/old.html"] = {"sha256": _sha(b"teitools made this")}
    (site / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    run = run_here("site", encoded, "-o", site, "--no-pdf")
    assert run.code == 0, run
    assert (site / "register" / "notes.html").read_text(encoding="utf-8") == "mine"
    assert not (site / "register" / "old.html").exists()  # stale, and teitools' own
    written = json.loads((site / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert "register/notes.html" not in written and "register/old.html" not in written


@pytest.mark.parametrize(
    "name, ok",
    [
        ("index.html", True),
        ("letters/a b.html", True),
        ("pagefind/fragment/en_1.pf_fragment", True),
        ("../victim.txt", False),
        ("/etc/passwd", False),
        ("letters/../index.html", False),
        ("letters//x.html", False),
        ("./index.html", False),
        ("letters/x.txt", False),
        ("notes.txt", False),
        ("secret/x.html", False),
        ("letters/sub/x.html", False),
        (MANIFEST, False),
        ("", False),
        ("a\0.html", False),
        ("..\\x.html", False),
    ],
)
def test_only_names_the_site_makes_count_in_a_manifest(name: str, ok: bool) -> None:
    assert (name_problem(name) is None) == ok


def test_a_manifest_that_is_not_one_is_ignored_in_one_line(encoded: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for text in ["[" * 100_000, '{"files": 3}', "\x00\x01", '{"files": {"index.html": "x"}}']:
        (site / MANIFEST).write_text(text, encoding="utf-8")
        run = run_here("site", encoded, "-o", site, "--no-pdf")
        assert_promises(run, [encoded, site], site)
        assert len([line for line in run.stderr.splitlines() if MANIFEST in line]) == 1


# ------------------------------------------------------------------ item 3: the user's files


def test_the_users_files_in_the_output_folder_are_never_replaced_without_force(
    encoded: Path, tmp_path: Path
) -> None:
    """Before: pagefind/ deleted wholesale on every build, index.html and site.css
    overwritten, exit 0."""
    site = tmp_path / "site"
    mine = {
        "index.html": "<p>my home page</p>",
        "site.css": "body { color: red }",
        "pagefind/notes.txt": "my notes",
        "pagefind/pagefind-ui.css": "my search style",
        "letters/about.html": "<p>about</p>",
    }
    for name, text in mine.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    for _ in range(2):  # the first build, and the next
        run = run_here("site", encoded, "-o", site, "--no-pdf")
        assert run.code == 1
        assert_promises(run, [encoded, site], site)
        refused = sorted(line.split(": ")[2] for line in run.errors)
        names = ["index.html", "site.css", "pagefind/pagefind-ui.css"]
        assert refused == sorted(str(site / n) for n in names)
        assert all("--force" in line for line in run.errors)
        assert {n: (site / n).read_text(encoding="utf-8") for n in mine} == mine
        assert (site / "letters.html").exists() and (site / "pagefind" / "pagefind.js").exists()
    forced = run_here("site", encoded, "-o", site, "--no-pdf", "--force")
    assert forced.code == 0, forced
    assert "my home page" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "pagefind" / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (site / "letters" / "about.html").read_text(encoding="utf-8") == "<p>about</p>"
    again = run_here("site", encoded, "-o", site, "--no-pdf")  # teitools' own now
    assert again.code == 0 and (site / "pagefind" / "notes.txt").exists()


def test_a_page_a_person_edited_after_the_build_is_left_as_it_is(
    encoded: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run_here("site", encoded, "-o", site, "--no-pdf").code == 0
    page = site / "letters" / f"{LETTERS[0].stem}.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- my edit -->", encoding="utf-8")
    (encoded / LETTERS[1].name).unlink()  # its files become stale: teitools' own, removed
    run = run_here("site", encoded, "-o", site, "--no-pdf", "--incremental")
    assert run.code == 1 and len(run.errors) == 1 and str(page) in run.errors[0]
    assert "my edit" in page.read_text(encoding="utf-8")
    assert not (site / "letters" / f"{LETTERS[1].stem}.html").exists()


def test_a_link_in_the_site_is_never_written_through(encoded: Path, tmp_path: Path) -> None:
    site, target = tmp_path / "site", tmp_path / "dotfile"
    target.write_text("the user's", encoding="utf-8")
    site.mkdir()
    (site / "site.css").symlink_to(target)
    run = run_here("site", encoded, "-o", site, "--no-pdf")
    assert run.code == 1 and any("site.css" in line for line in run.errors)
    assert target.read_text(encoding="utf-8") == "the user's"
    assert run_here("site", encoded, "-o", site, "--no-pdf", "--force").code == 0
    assert target.read_text(encoding="utf-8") == "the user's"  # the link replaced, not followed
    assert not (site / "site.css").is_symlink()


# ------------------------------------------------------------------ item 4: escaping


def test_a_hostile_sort_key_is_an_attribute_value_not_markup() -> None:
    """Before: ``data-pagefind-sort="date:1985"><img src=x onerror=...>`` in the page (an
    f-string). The site no longer passes such a date on at all; the page escapes it anyway."""
    job = PageJob(
        source=LETTERS[0],
        title="A letter",
        links=Links(),
        site_nav="<nav></nav>",
        letter_nav="<nav></nav>",
        letter_nav_no_pdf="<nav></nav>",
        head="",
        sort_key=HOSTILE[0],
        cmif=None,
        pdf=False,
    )
    page = html.fromstring(letter_page(job, pdf=False))
    assert page.xpath("//img") == [] and page.xpath("//@onerror") == []
    assert page.xpath("//div[@class='search-meta']/@data-pagefind-sort") == [f"date:{HOSTILE[0]}"]


def test_a_hostile_date_is_left_out_and_no_page_carries_markup_from_it(
    tmp_path: Path, our_scripts: frozenset[str]
) -> None:
    folder = tmp_path / "encoded"
    folder.mkdir()
    (folder / "x.xml").write_bytes(letter({"when": HOSTILE[0]}))
    site = tmp_path / "site"
    run = run_here("site", folder, "-o", site, "--no-pdf")
    assert run.code == 0 and "is not a real date" in run.stderr
    assert [p for page in site.rglob("*.html") for p in audit(page, our_scripts)] == []


def test_file_names_that_look_like_addresses_are_links_to_files(
    tmp_path: Path, our_scripts: frozenset[str]
) -> None:
    """Before: ``href="javascript:alert(1).html"`` for the next letter in the correspondence."""
    folder = tmp_path / "encoded"
    folder.mkdir()
    names = ["javascript:alert(1)", "data:text", "a b#c?d", "%2e%2e", "x\"'<>"]
    for day, name in enumerate(names, 1):
        (folder / f"{name}.xml").write_bytes(letter({"when": f"1985-03-0{day}"}))
    site = tmp_path / "site"
    run = run_here("site", folder, "-o", site, "--no-pdf")
    assert run.code == 0, run
    pages = sorted(site.rglob("*.html"))
    assert [p for page in pages for p in audit(page, our_scripts)] == []
    listed = html.parse(str(site / "letters.html")).xpath("//tbody//a/@href")
    assert sorted((site / h).resolve() for h in map(_unquote, listed)) == sorted(
        (site / "letters" / f"{n}.html").resolve() for n in names
    )


def _unquote(href: str) -> str:
    from urllib.parse import unquote

    return unquote(href)


def test_tei_a_browser_would_run_is_not_offered_beside_the_pages(
    encoded: Path, tmp_path: Path
) -> None:
    """Before: tei/active.xml, served from the site's own address, ran its XHTML script
    and its SVG onload when opened (two dialogs in Chromium)."""
    (encoded / "active.xml").write_bytes(letter({}, active_markup()))
    site = tmp_path / "site"
    run = run_here("site", encoded, "-o", site, "--no-pdf")
    assert run.code == 0
    warnings = [line for line in run.stderr.splitlines() if "active.xml" in line]
    assert len(warnings) == 1 and "SVG and XHTML markup" in warnings[0]
    assert not (site / "tei" / "active.xml").exists()
    assert (site / "tei" / LETTERS[0].name).exists()
    with zipfile.ZipFile(site / "downloads" / "tei.zip") as archive:
        assert "tei/active.xml" in archive.namelist()


@pytest.mark.parametrize("url", ["javascript:alert(1)//", " JavaScript:x", "data:,x", "x.org"])
def test_an_edition_address_that_is_no_web_address_is_refused(tmp_path: Path, url: str) -> None:
    """Before: ``url = "javascript:alert(1)//"`` in a pyproject.toml (a pull request can
    change it) became the canonical link and the citation link of every letter page."""
    settings = tmp_path / "teitools.toml"
    settings.write_text(f"url = {json.dumps(url)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be an http:// or https:// address"):
        load_config(settings)


# ------------------------------------------------------------------ item 14: bad input


@pytest.mark.parametrize(
    "when, not_before", [("1985-13-01", ""), ("1985-02-30", ""), ("", "1985-00-10")]
)
def test_a_date_that_is_no_date_is_a_warning_and_the_site_completes(
    encoded: Path, tmp_path: Path, when: str, not_before: str
) -> None:
    """Before (month 13): ``ValueError`` in the timeline, no index, no manifest."""
    bad = encoded / "bad.xml"
    bad.write_bytes(letter({"when": when, "not_before": not_before, "title": "The bad one"}))
    site = tmp_path / "site"
    run = run_here("site", encoded, "-o", site, "--no-pdf")
    assert_promises(run, [encoded, site], site)
    assert run.code == 0
    warnings = [line for line in run.stderr.splitlines() if str(bad) in line]
    assert len(warnings) == 1 and warnings[0].startswith(WARNING)
    assert (site / "index.html").exists() and (site / MANIFEST).exists()
    row = html.parse(str(site / "letters.html")).xpath("//tr[contains(., 'The bad one')]")[0]
    assert row.xpath("string(td[1])") == "undated"


def test_letters_named_like_the_sites_pages_do_not_replace_them(
    encoded: Path, tmp_path: Path
) -> None:
    names = ["index", "letters", "timeline", "search", "persons", "site.css", "pagefind", "tei"]
    for day, name in enumerate(names, 1):
        (encoded / f"{name}.xml").write_bytes(letter({"when": f"1985-03-{day:02}"}))
    site = tmp_path / "site"
    run = run_here("site", encoded, "-o", site, "--no-pdf")
    assert run.code == 0, run
    home = html.parse(str(site / "index.html")).getroot()
    assert home.get("class") is None and "home" in home.body.get("class", "")
    assert "list-page" in html.parse(str(site / "letters.html")).getroot().body.get("class")
    for name in names:
        assert (site / "letters" / f"{name}.html").exists()
        assert (site / "tei" / f"{name}.xml").read_bytes() == (encoded / f"{name}.xml").read_bytes()


def test_a_letter_that_fails_leaves_a_site_with_its_manifest(encoded: Path, tmp_path: Path) -> None:
    """Before: an exception in one letter left a half-built site without manifest."""
    site = tmp_path / "site"
    (site / "letters" / f"{LETTERS[0].stem}.html").mkdir(parents=True)  # in the page's way
    footnote = letter({"note": "a foot\nnote with\n raw \n line breaks", "when": "1985-01-01"})
    (encoded / "footnote.xml").write_bytes(footnote)  # the typesetter may fail on it
    run = run_here("site", encoded, "-o", site)
    assert_promises(run, [encoded, site], site)
    assert run.code == 1
    blocked = str(site / "letters" / f"{LETTERS[0].stem}.html")
    assert len([line for line in run.errors if blocked in line]) == 1
    failed = [line for line in run.errors if "footnote.xml" in line]
    assert len(failed) <= 1
    files = json.loads((site / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert f"letters/{LETTERS[1].stem}.html" in files and "index.html" in files
    assert ("pdf/footnote.pdf" in files) != bool(failed)


# ------------------------------------------------------------------ escaping, as a property


HOSTILE_FIELDS = [
    "title", "sender", "sender_ref", "sender_same_as", "org", "org_ref", "place", "place_ref",
    "addressee", "addressee_ref", "reply_text", "reply_target", "reply_n", "inference",
    "repository", "repository_ref", "collection", "idno", "idno_type", "status", "status_n",
    "source_file", "from", "to", "cert", "date_cert", "lang", "pb", "facs", "fw", "fw_type",
    "dateline", "salute", "text", "named", "named_ref", "link_text", "target", "ptr",
    "graphic", "hi", "rend", "style", "foreign", "foreign_lang", "gap", "sic", "corr",
    "corr_cert", "note", "closer", "div_type", "publisher", "not_before", "not_after",
]  # fmt: skip
REGISTER_FIELDS = [
    "person_type", "forename", "surname", "birth", "death", "office_from", "office",
    "idno_url", "entry_ptr", "place_name", "org_name",
]  # fmt: skip


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of letters with hostile values in every field (field k of letter i holds
    value i + k, so every field meets every value), a register of hostile entries, a
    letter that answers another, and one with the recording server's address in every
    field. (PDFs of such letters: ``test_adv_render.py``.)"""
    folder = tmp_path_factory.mktemp("hostile") / "encoded"
    folder.mkdir()
    for number in range(len(HOSTILE)):
        values = {
            name: HOSTILE[(number + k) % len(HOSTILE)] for k, name in enumerate(HOSTILE_FIELDS)
        }
        values["when"] = f"1985-{number // 28 + 1:02}-{number % 28 + 1:02}"
        (folder / f"l{number:02}.xml").write_bytes(letter(values))
    values = {"when": "1985-04-01", "reply_target": "l01.xml", "sender_same_as": "register.xml#bob"}
    (folder / "reply.xml").write_bytes(letter(values))
    (folder / "active.xml").write_bytes(letter({"when": "1985-04-02"}, active_markup()))
    (folder / "register.xml").write_bytes(register(dict.fromkeys(REGISTER_FIELDS, HOSTILE[0])))
    site = folder.parent / "site"
    with recording_server() as (url, asked):
        addresses = {name: f"{url}/{name}" for name in HOSTILE_FIELDS}
        (folder / "fetch.xml").write_bytes(letter(addresses))
        run = run_here("site", folder, "-o", site, "--no-pdf")
    assert_promises(run, [folder, site], site)
    assert asked == []
    return site


def test_hostile_values_in_every_field_make_no_markup_script_or_link_that_runs(
    hostile_site: Path, our_scripts: frozenset[str]
) -> None:
    pages = sorted(p for p in hostile_site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > len(HOSTILE)
    assert [p for page in pages for p in audit(page, our_scripts)] == []
    text = " ".join(html.parse(str(p)).getroot().text_content() for p in pages)
    assert HOSTILE[2] in text  # shown as text, not dropped
    assert os.path.getsize(hostile_site / "sitemap.xml") > 0


def test_no_dialog_opens_on_any_page_of_a_hostile_site(hostile_site: Path, browser: object) -> None:
    """Chromium opens every kind of page (each letter's) and searches: no script of the
    letters' runs (an ``alert`` would open a dialog)."""
    names = ["index.html", "letters.html", "timeline.html", "persons.html", "register/ann.html"]
    names += [f"letters/l{n:02}.html" for n in range(0, len(HOSTILE), 3)]
    names += ["letters.html?from=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"]
    names += [f"tei/{p.name}" for p in sorted((hostile_site / "tei").iterdir())]
    with serve(hostile_site) as address:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for name in names:
            page.goto(address + name)
        page.goto(address + "search.html?q=alert")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
        page.wait_for_timeout(300)  # results and their excerpts drawn
        context.close()
    assert dialogs == []

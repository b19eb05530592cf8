"""The edition website, without a browser: what it links, what it rebuilds, what it writes."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from teitools.cmif import cmif_problems
from teitools.errors import TeitoolsError
from teitools.site import MANIFEST, build_site, search
from teitools.site.config import ConfigError, SiteConfig, load_config
from teitools.site.corpus import Letter, Party, read_corpus
from teitools.site.timeline import timeline_svg

from conftest import ENCODED, REPO, SAMPLES

LETTERS = sorted(p for p in ENCODED.glob("*.xml") if p.name != "register.xml")
TEI = {"t": "http://www.tei-c.org/ns/1.0"}
SVG = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture
def encoded(tmp_path: Path) -> Path:
    """A copy of encoded/ that a test may change."""
    folder = tmp_path / "encoded"
    shutil.copytree(ENCODED, folder)
    return folder


def _corpus(folder: Path = ENCODED):  # type: ignore[no-untyped-def]
    corpus, errors = read_corpus(
        sorted(p for p in folder.glob("*.xml") if p.name != "register.xml"),
        folder / "register.xml",
    )
    assert not errors
    return corpus


def _stem(prefix: str) -> str:
    return next(p.stem for p in LETTERS if p.name.startswith(prefix))


def test_letters_link_to_the_previous_and_next_between_the_same_two_people() -> None:
    corpus = _corpus()
    march_1985, undated_1985, sept_1988 = _stem("001"), _stem("002"), _stem("000")
    assert corpus.next(march_1985).stem == undated_1985  # placed by the start of its range
    assert corpus.next(undated_1985).stem == sept_1988
    assert corpus.previous(sept_1988).stem == undated_1985
    assert corpus.previous(march_1985) is None
    brezhnev = [x.stem for x in corpus.letters if x.stem.startswith(("003", "004"))]
    assert all(corpus.previous(s) or corpus.next(s) for s in brezhnev)
    assert not any(corpus.next(s).stem.startswith(("000", "001", "002")) for s in brezhnev[:-1])


def test_a_reply_links_to_the_letter_it_answers_when_the_edition_has_it(encoded: Path) -> None:
    corpus = _corpus(encoded)
    reply = _stem("004")
    assert corpus.replies_to(reply) == ["Your letter of October 15"]  # not in the edition
    # Add Brezhnev's letter of 15 October 1981: the reply now links to it, and back.
    text = (encoded / f"{reply}.xml").read_text(encoding="utf-8")
    sent = re.search(r'<correspAction type="sent">.*?</correspAction>', text, re.S)
    received = re.search(r'<correspAction type="received">.*?</correspAction>', text, re.S)
    assert sent and received
    swapped = (
        received.group(0)
        .replace('type="received"', 'type="sent"')
        .replace("</persName>", '</persName><date when="1981-10-15"/>', 1)
    )
    plain = re.sub(r"<date [^>]*/>", "", sent.group(0)).replace('type="sent"', 'type="received"')
    text = text.replace(sent.group(0), "\0").replace(received.group(0), plain)
    text = (
        text.replace("\0", swapped)
        .replace("<correspContext>", "<note>")
        .replace("</correspContext>", "</note>")
    )
    (encoded / "brezhnev-1981-10-15.xml").write_text(text, encoding="utf-8")
    corpus = _corpus(encoded)
    assert [x.stem for x in corpus.replies_to(reply)] == ["brezhnev-1981-10-15"]  # type: ignore[union-attr]
    assert reply in [x.stem for x in corpus.answered_by("brezhnev-1981-10-15")]


def test_the_list_places_undated_letters_by_their_range_and_dateless_ones_last(
    encoded: Path, tmp_path: Path
) -> None:
    dateless = encoded / "dateless.xml"
    text = (encoded / f"{_stem('001')}.xml").read_text(encoding="utf-8")
    dateless.write_text(re.sub(r"<date when=\"1985-03-24\"[^>]*/>", "", text), encoding="utf-8")
    build_site(encoded, tmp_path / "site", pdf=False)
    rows = html.parse(str(tmp_path / "site" / "letters.html")).xpath("//tbody/tr")
    order = [Path(r.xpath(".//a/@href")[0]).stem for r in rows]
    assert order.index(_stem("002")) == order.index(_stem("001")) + 1
    assert order.index(_stem("002")) < order.index(_stem("000"))
    assert order[-1] == "dateless"
    assert rows[-1].xpath("string(td[1])") == "undated"
    assert "between 21 November 1985" in rows[order.index(_stem("002"))].xpath("string(td[1])")


def test_the_timeline_links_every_dated_letter_in_date_order() -> None:
    corpus = _corpus()
    svg, left_off = timeline_svg(corpus.letters)
    root = etree.fromstring(svg)
    marks = root.xpath("//s:a", namespaces=SVG)
    assert left_off == 0 and len(marks) == len(LETTERS)
    lanes = root.xpath("//s:text[@class='lane']/text()", namespaces=SVG)
    assert "Ronald Reagan → Leonid Brezhnev" in lanes
    x = {Path(a.get("href")).stem: float(a[1].get("cx") or a[1].get("x")) for a in marks}
    assert x[_stem("003")] < x[_stem("001")] < x[_stem("002")] < x[_stem("000")]
    assert root.xpath("count(//s:a[contains(@class, 'draft')]/s:rect)", namespaces=SVG) == 1


def test_a_busy_month_is_one_numbered_mark_that_opens_the_list_of_its_letters() -> None:
    letter = next(x for x in _corpus().letters if x.stem == _stem("001"))
    busy = [dataclasses.replace(letter, stem=f"copy{n}") for n in range(5)]
    root = etree.fromstring(timeline_svg([*busy, *_corpus().letters])[0])
    clusters = root.xpath("//s:a[contains(@class, 'cluster')]", namespaces=SVG)
    assert len(clusters) == 1
    assert clusters[0].get("href") == "letters.html?from=gorbachev&to=reagan&on=1985-03"
    assert clusters[0].xpath("string(s:text)", namespaces=SVG) == "6"
    assert clusters[0].get("aria-label") == "6 letters, March 1985"
    singles = root.xpath("//s:a[not(contains(@class, 'cluster'))]/@href", namespaces=SVG)
    assert len(singles) == len(LETTERS) - 1


def test_beyond_eight_directions_the_smallest_share_a_lane_whose_busy_month_is_one_mark() -> None:
    letter = next(x for x in _corpus().letters if x.stem == _stem("001"))  # March 1985

    def sent_by(n: int, copies: int) -> list[Letter]:
        sender = (Party(f"p{n}", f"Person {n:02}"),)
        return [
            dataclasses.replace(letter, stem=f"p{n}-{k}", senders=sender) for k in range(copies)
        ]

    full = [x for n in range(7) for x in sent_by(n, 2)]  # seven lanes of two letters
    few = [x for n in range(7, 11) for x in sent_by(n, 1)]  # four lanes of one
    root = etree.fromstring(timeline_svg([*few, *full])[0])
    lanes = root.xpath("//s:text[@class='lane']/text()", namespaces=SVG)
    assert lanes == [f"Person {n:02} → Ronald Reagan" for n in range(7)] + ["Other correspondents"]
    marks = root.xpath("//s:a/@href", namespaces=SVG)
    assert marks.count("letters.html?on=1985-03") == 1  # the four others, as one mark
    assert sorted(m for m in marks if "?" not in m) == sorted(
        f"letters/{x.stem}.html" for x in full
    )


def test_the_site_has_every_page_and_download(tmp_path: Path) -> None:
    site = tmp_path / "site"
    config = SiteConfig(title="Test edition", url="https://example.org/letters", editors=("A. E.",))
    report = build_site(ENCODED, site, config, pdf=False)
    assert not report.errors and report.letters == len(LETTERS)
    for name in [
        "index.html",
        "letters.html",
        "timeline.html",
        "search.html",
        "persons.html",
        "places.html",
        "organisations.html",
        "sitemap.xml",
        "cmif.xml",
        "pagefind/pagefind-ui.js",
        "register/gorbachev.html",
        "letter.css",
    ]:
        assert (site / name).is_file(), name
    with zipfile.ZipFile(site / "downloads" / "tei.zip") as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(
            f"tei/{p.name}" for p in [*LETTERS, ENCODED / "register.xml"]
        )
        assert archive.read(f"tei/{LETTERS[0].name}") == LETTERS[0].read_bytes()
    locations = etree.parse(str(site / "sitemap.xml")).xpath("//*[local-name()='loc']/text()")
    pages = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("pagefind/")
    }
    assert {loc.removeprefix("https://example.org/letters/") for loc in locations} == pages
    whole = etree.parse(str(site / "cmif.xml")).getroot()
    assert not cmif_problems(whole)
    refs = whole.xpath("//t:correspDesc/@ref", namespaces=TEI)
    assert sorted(refs) == sorted(
        f"https://example.org/letters/letters/{p.stem}.html" for p in LETTERS
    )
    for letter in LETTERS:
        record = etree.parse(str(site / "cmif" / f"{letter.stem}.xml")).getroot()
        assert not cmif_problems(record)
        assert len(record.xpath("//t:correspDesc", namespaces=TEI)) == 1
        page = html.parse(str(site / "letters" / f"{letter.stem}.html")).getroot()
        hrefs = page.xpath("//nav[@class='correspondence']//a/@href")
        assert f"../tei/{letter.stem}.xml" in hrefs and f"../cmif/{letter.stem}.xml" in hrefs
        address = f"https://example.org/letters/letters/{letter.stem}.html"
        assert page.xpath("//head/link[@rel='canonical']/@href") == [address]
        assert address in page.xpath("string(//p[@class='cite'])")
        tei = etree.parse(str(letter)).getroot()
        sent = tei.xpath("//t:correspAction[@type='sent']/t:date", namespaces=TEI)[0]
        when = sent.get("when") or f"{sent.get('notBefore')}/{sent.get('notAfter')}"
        assert page.xpath("//head/meta[@name='DC.date']/@content") == [when]


def test_each_file_of_the_search_index_is_removed_once_read_the_rest_after(
    tmp_path: Path,
) -> None:
    """The temporary index is emptied as the site takes it, so that its cleanup, which
    lists a folder at once, never lists a file a letter."""
    site = tmp_path / "site"
    build_site(ENCODED, site, pdf=False)
    read: list[Path] = []
    with search.index(site) as bundle:
        for name, path in bundle:
            assert all(not earlier.exists() for earlier in read) and path.is_file()
            assert path.read_bytes() == (site / name).read_bytes()
            read.append(path)
            scratch = path.parents[len(Path(name).parts) - 1]  # the temporary folder
    assert len(read) == sum(1 for p in (site / "pagefind").rglob("*") if p.is_file())
    assert not read[-1].exists() and not scratch.exists()


def test_the_same_tei_gives_the_same_site_byte_for_byte(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build_site(ENCODED, first, pdf=False)
    build_site(ENCODED, second, pdf=False)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_incremental_rebuild_renders_only_the_letters_whose_tei_changed(
    encoded: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert build_site(encoded, site, pdf=False).rendered == len(LETTERS)
    search_entry = (site / "pagefind" / "pagefind.js").stat().st_mtime_ns
    again = build_site(encoded, site, pdf=False, incremental=True)
    assert again.rendered == 0 and again.written == 0
    assert (site / "pagefind" / "pagefind.js").stat().st_mtime_ns == search_entry
    changed = encoded / f"{_stem('000')}.xml"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Tbilisi</placeName>", "Tiflis</placeName>"),
        encoding="utf-8",
    )
    untouched = site / "letters" / f"{_stem('001')}.html"
    before = untouched.stat().st_mtime_ns
    report = build_site(encoded, site, pdf=False, incremental=True)
    assert report.rendered == 1
    assert "Tiflis" in (site / "letters" / f"{_stem('000')}.html").read_text(encoding="utf-8")
    assert "Tiflis" in (site / "tei" / changed.name).read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == before
    assert build_site(encoded, site, pdf=False).rendered == len(LETTERS)  # a full build


def test_a_deleted_letter_leaves_the_site_and_its_neighbours_are_rerendered(
    encoded: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build_site(encoded, site, pdf=False)
    (site / "notes.txt").write_text("a person's file", encoding="utf-8")
    (encoded / f"{_stem('002')}.xml").unlink()
    report = build_site(encoded, site, pdf=False, incremental=True)
    assert not (site / "letters" / f"{_stem('002')}.html").exists()
    assert not (site / "tei" / f"{_stem('002')}.xml").exists()
    assert report.removed >= 2  # its page and its TEI (no CMIF: the settings name no editor)
    assert report.rendered == 2  # the letters before and after it between Reagan and Gorbachev
    assert (site / "notes.txt").read_text(encoding="utf-8") == "a person's file"
    assert MANIFEST in os.listdir(site)
    index = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert index["languages"]["en"]["page_count"] == len(LETTERS) - 1


def test_an_incremental_build_after_an_edit_and_a_removal_is_a_full_build_byte_for_byte(
    encoded: Path, tmp_path: Path
) -> None:
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    config = SiteConfig(title="Test edition", url="https://example.org/letters", editors=("A. E.",))
    build_site(encoded, site, config, pdf=False)
    edited = encoded / f"{_stem('000')}.xml"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Tbilisi</placeName>", "Tiflis</placeName>"),
        encoding="utf-8",
    )
    (encoded / f"{_stem('002')}.xml").unlink()
    report = build_site(encoded, site, config, pdf=False, incremental=True)
    assert not report.errors and 0 < report.rendered < len(LETTERS) - 1
    build_site(encoded, fresh, config, pdf=False)
    files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert [f for f in files if (site / f).read_bytes() != (fresh / f).read_bytes()] == []


def test_a_broken_letter_is_reported_and_the_rest_is_built(encoded: Path, tmp_path: Path) -> None:
    (encoded / "broken.xml").write_text("<TEI><teiHeader>", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "teitools",
            "site",
            str(encoded),
            "-o",
            str(tmp_path / "site"),
            "--no-pdf",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"teitools: error: {encoded / 'broken.xml'}: ")
    assert (tmp_path / "site" / "letters" / f"{_stem('000')}.html").exists()
    assert "site of 6 letters" in done.stdout


def test_a_second_letter_of_one_name_is_a_one_line_error_and_the_first_has_the_page(
    encoded: Path, tmp_path: Path
) -> None:
    (encoded / "copies").mkdir()
    first = encoded / f"{_stem('001')}.xml"
    (encoded / "copies" / first.name).write_bytes(first.read_bytes().replace(b"1985", b"1986"))
    report = build_site(encoded, tmp_path / "site", pdf=False)
    assert [str(e) for e in report.errors] == [
        f"{encoded / 'copies' / first.name}: named like {first}: its output would replace "
        "that one's"
    ]
    assert report.letters == len(LETTERS)
    assert "1986" not in (tmp_path / "site" / "letters" / f"{first.stem}.html").read_text("utf-8")


def test_cmif_lists_the_letters_in_the_order_of_their_paths_subfolders_too(
    encoded: Path, tmp_path: Path
) -> None:
    for folder, prefix in (("a", "000"), ("a-b", "001"), ("a b", "002")):
        (encoded / folder).mkdir()
        (encoded / f"{_stem(prefix)}.xml").rename(encoded / folder / f"{_stem(prefix)}.xml")
    config = SiteConfig(title="Test edition", url="https://example.org/", editors=("A. E.",))
    build_site(encoded, tmp_path / "site", config, pdf=False)
    whole = etree.parse(str(tmp_path / "site" / "cmif.xml")).getroot()
    refs = whole.xpath("//t:correspDesc/@ref", namespaces=TEI)
    letters = sorted(p for p in encoded.rglob("*.xml") if p.parent.name != "collations")
    in_order = [p.stem for p in letters if p.name != "register.xml"]
    assert [Path(ref).stem for ref in refs] == in_order
    moved = [stem for stem in in_order if stem in {_stem("000"), _stem("001"), _stem("002")}]
    assert moved == [_stem("000"), _stem("002"), _stem("001")]  # a/, "a b"/, a-b/


def test_settings_come_from_teitools_toml_or_pyproject(tmp_path: Path) -> None:
    nested = tmp_path / "edition" / "encoded"
    nested.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.teitools]\ntitle = "From pyproject"\n', encoding="utf-8"
    )
    assert load_config(start=nested).title == "From pyproject"
    (tmp_path / "edition" / "teitools.toml").write_text('title = "Own file"\n', encoding="utf-8")
    assert load_config(start=nested).title == "Own file"
    assert load_config(REPO / "teitools.toml").title.startswith("US–Soviet")
    bad = tmp_path / "bad.toml"
    bad.write_text('titel = "typo"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'titel'") as caught:
        load_config(bad)
    assert str(bad) in str(caught.value)
    bad.write_text("title = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a string"):
        load_config(bad)


def test_a_folder_that_is_not_there_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(TeitoolsError, match="not a folder of TEI letters"):
        build_site(tmp_path / "missing", tmp_path / "site")


def test_the_site_is_never_built_into_the_folder_of_its_letters(encoded: Path) -> None:
    with pytest.raises(TeitoolsError, match="cannot be built into the folder of its letters"):
        build_site(encoded, encoded / ".", pdf=False)
    assert sorted(p.name for p in encoded.iterdir()) == sorted(p.name for p in ENCODED.iterdir())


def test_names_that_point_into_a_missing_register_still_get_pages(tmp_path: Path) -> None:
    folder = tmp_path / "encoded"
    folder.mkdir()
    for letter in LETTERS:
        (folder / letter.name).write_bytes(letter.read_bytes())
    report = build_site(folder, tmp_path / "site", pdf=False)
    assert not report.errors and report.letters == len(LETTERS)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "persons.html" in home
    entry = html.parse(str(tmp_path / "site" / "register" / "tbilisi.html")).getroot()
    assert entry.findtext(".//h1") == "Tbilisi"  # named as the letters name it
    assert f"../letters/{_stem('000')}.html" in entry.xpath("//main//a/@href")


def test_a_corpus_whose_names_point_nowhere_makes_a_site_without_a_register(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "encoded"
    folder.mkdir()
    for letter in LETTERS:
        text = re.sub(r' (ref|sameAs)="[^"]*"', "", letter.read_text(encoding="utf-8"))
        (folder / letter.name).write_text(text, encoding="utf-8")
    report = build_site(folder, tmp_path / "site", pdf=False)
    assert not report.errors and report.letters == len(LETTERS)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "persons.html" not in home and not (tmp_path / "site" / "register").exists()
    page = (tmp_path / "site" / "letters" / f"{_stem('000')}.html").read_text(encoding="utf-8")
    assert "Tbilisi" in page and "../register/" not in page and "register.html" not in page


def test_real_tei_letters_from_other_editions_make_a_site(tmp_path: Path) -> None:
    samples = tmp_path / "samples"  # the letters, not invalid/ (broken on purpose)
    samples.mkdir()
    for sample in SAMPLES.glob("*.xml"):
        shutil.copy(sample, samples)
    report = build_site(samples, tmp_path / "site", pdf=False)
    assert not report.errors and report.letters == len(list(samples.glob("*.xml")))
    rows = html.parse(str(tmp_path / "site" / "letters.html")).xpath("//tbody/tr")
    cortes = next(r for r in rows if "CORTÉS" in r.xpath("string(td[6])"))
    assert cortes.xpath("string(td[1])") == "1 August 1531"  # notBefore = notAfter: one day
    assert cortes.xpath("string(td[4])") == "México"


def test_a_letter_whose_pdf_fails_keeps_its_page_without_the_pdf_link(tmp_path: Path) -> None:
    """A PDF that cannot be made in its time (5,000 notes in 0.3 s of CPU time; Typst needs
    about 1.5 s, a letter of ours 0.02 s) is reported in one line; the letter's page is
    built without a link to it; the other PDFs are made."""
    encoded = tmp_path / "encoded"
    encoded.mkdir()
    for letter in LETTERS[:2]:
        (encoded / letter.name).write_bytes(letter.read_bytes())
    paragraphs = "".join(
        f"<p>Paragraph {i} of a long letter<note>Note {i} on it.</note> goes on.</p>"
        for i in range(5000)
    )
    text = LETTERS[0].read_text(encoding="utf-8")
    body = re.sub(r"<body>.*</body>", f"<body><div>{paragraphs}</div></body>", text, flags=re.S)
    (encoded / "long.xml").write_text(body, encoding="utf-8")
    site = tmp_path / "site"
    report = build_site(encoded, site, pdf=True, pdf_time_limit=0.3, jobs=1)
    assert [str(e).split(": ")[0] for e in report.errors] == [str(encoded / "long.xml")]
    assert "cannot typeset the PDF" in str(report.errors[0])
    assert "\n" not in str(report.errors[0])
    page = html.parse(str(site / "letters" / "long.html")).getroot()
    assert not page.xpath("//a[@type='application/pdf']") and page.xpath("//div[@class='p']")
    assert not (site / "pdf" / "long.pdf").exists()
    for letter in LETTERS[:2]:
        assert (site / "pdf" / f"{letter.stem}.pdf").read_bytes().startswith(b"%PDF")
        other = html.parse(str(site / "letters" / f"{letter.stem}.html")).getroot()
        assert other.xpath("//a[@type='application/pdf']/@href") == [f"../pdf/{letter.stem}.pdf"]

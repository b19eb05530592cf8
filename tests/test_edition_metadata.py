"""The edition's metadata, not ours: each letter's own title, correspondents who are persons
or organisations, pointers into any register scheme, the producer the header names, and a
CMIF header from the edition's settings, never invented."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree, html

from teitools.config import Paths
from teitools.render import render_paths, transform
from teitools.resources import XSLT
from teitools.site import build_site
from teitools.site.config import SiteConfig

from conftest import ENCODED, SAMPLES

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
BURCKHARD = SAMPLES / "schnitzler__L00553.xml"  # titles: series, iso-date, level a


def _letter(tmp: Path, name: str, header: str, body: str = "<p>Text.</p>") -> Path:
    path = tmp / f"{name}.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
        f"{header}</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p>"
        f"</sourceDesc></fileDesc>{_PROFILE.get(name, '')}</teiHeader><text><body>{body}"
        "</body></text></TEI>",
        encoding="utf-8",
    )
    return path


_PROFILE: dict[str, str] = {}


def _corresp(sender: str, addressee: str, when: str) -> str:
    return (
        "<profileDesc><correspDesc><correspAction type='sent'>"
        f"{sender}<date when='{when}'/></correspAction><correspAction type='received'>"
        f"{addressee}</correspAction></correspDesc></profileDesc>"
    )


def test_a_letter_is_titled_as_its_own_header_titles_it_everywhere(tmp_path: Path) -> None:
    own = "Max Burckhard an Arthur Schnitzler, 25. 6. 1896"
    page = html.document_fromstring(transform(BURCKHARD, XSLT / "letter-html.xsl"))
    assert page.findtext(".//title") == own and page.findtext(".//h1") == own
    printed = html.document_fromstring(transform(BURCKHARD, XSLT / "letter-print.xsl"))
    assert printed.xpath("string(//h1[@class='running-title'])") == own
    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copy(BURCKHARD, folder)
    build_site(folder, tmp_path / "site", pdf=False)
    row = html.parse(str(tmp_path / "site" / "letters.html")).xpath("//tbody/tr")[0]
    assert own in row.text_content()
    letter = (tmp_path / "site" / "letters" / f"{BURCKHARD.stem}.html").read_text("utf-8")
    assert f"Cite as: {own}." in letter
    assert "Arthur Schnitzler: Briefwechsel" in letter  # the series is the edition's title


def test_a_letter_without_a_title_of_its_own_is_titled_from_its_correspdesc(
    tmp_path: Path,
) -> None:
    for name in ("a", "b", "c"):
        _PROFILE[name] = _corresp(
            "<persName>Alfred Escher</persName>",
            f"<orgName>Regierungsrat {name}</orgName>",
            "1863-10-04",
        )
        # the one title all letters share is the series' (as some editions write it)
        _letter(tmp_path, name, "<title>Briefwechsel Alfred Escher</title>")
    _PROFILE["d"] = _PROFILE["a"]
    _letter(tmp_path, "d", "<title level='s'>Briefwechsel</title>")
    report = render_paths(sorted(tmp_path.glob("*.xml")), "html", tmp_path / "html")
    assert not report.errors
    page = html.parse(str(tmp_path / "html" / "a.html")).getroot()
    assert page.findtext(".//h1") == "Alfred Escher to Regierungsrat a, 4 October 1863"
    about = page.xpath("string(//dl[@class='metadata'])")
    assert "Regierungsrat a" in about  # an organisation as addressee
    single = html.parse(str(tmp_path / "html" / "d.html")).getroot()
    assert single.findtext(".//h1") == "Alfred Escher to Regierungsrat a, 4 October 1863"


def test_the_footer_names_the_producer_the_header_names_or_nothing() -> None:
    ours = html.document_fromstring(
        transform(sorted(ENCODED.glob("0*.xml"))[0], XSLT / "letter-html.xsl")
    )
    assert ours.xpath("string(//footer)").startswith("Encoded with teitools ")
    theirs = transform(BURCKHARD, XSLT / "letter-html.xsl").decode()
    assert "Encoded with" not in theirs


def _register(tmp: Path) -> Path:
    path = tmp / "listperson.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>P'
        "</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p>"
        "</sourceDesc></fileDesc></teiHeader><standOff><listPerson>"
        "<person xml:id='pmb2121'><persName><forename>Arthur</forename><surname>Schnitzler"
        "</surname></persName><idno type='gnd'>https://d-nb.info/gnd/118609807/</idno></person>"
        "<person xml:id='Zingg-Josef' n='Zingg Josef'><persName><forename>Josef</forename>"
        "<surname>Zingg</surname></persName><idno type='gnd'>1053580428</idno></person>"
        "</listPerson></standOff></TEI>",
        encoding="utf-8",
    )
    return path


def test_pointers_in_any_scheme_lead_to_the_same_register_page(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    prefix = (
        "<encodingDesc><listPrefixDef><prefixDef ident='pmb' matchPattern='(\\d+)' "
        "replacementPattern='listperson.xml#pmb$1'/></listPrefixDef></encodingDesc>"
    )
    bodies = {
        "by-id": "<p>An <persName ref='#pmb2121'>Schnitzler</persName>.</p>",
        "by-file": "<p>An <persName ref='../indices/listperson.xml#pmb2121'>A. S.</persName>.</p>",
        "by-gnd": "<p>An <persName ref='http://d-nb.info/gnd/118609807'>Dr. S.</persName>.</p>",
        "by-key": "<p>An <persName key='Zingg Josef'>Zingg</persName>.</p>",
        "by-prefix": "<p>An <rs type='person' ref='pmb:2121'>ihn</rs>.</p>",
        "unknown": "<p>An <placeName ref='#pmb50'>Wien</placeName> und Wien.</p>",
        "by-header": "<p>An <persName ref='#h1'>Frau B.</persName>.</p>",
    }
    _PROFILE["by-header"] = (
        "<profileDesc><particDesc><listPerson><person xml:id='h1'><persName>Bertha B."
        "</persName></person></listPerson></particDesc></profileDesc>"
    )
    for name, body in bodies.items():
        path = _letter(letters, name, f"<title>{name}</title>", body)
        if name == "by-prefix":
            path.write_text(
                path.read_text("utf-8").replace("</fileDesc>", "</fileDesc>" + prefix), "utf-8"
            )
    config = SiteConfig(paths=Paths(registers=(_register(tmp_path),)))
    report = build_site(letters, tmp_path / "site", config, pdf=False)
    assert not report.errors
    site = tmp_path / "site"

    def naming(entry: str) -> set[str]:
        page = html.parse(str(site / "register" / f"{entry}.html")).getroot()
        return {Path(h).stem for h in page.xpath("//main//a/@href") if "letters/" in h}

    assert naming("pmb2121") == {"by-id", "by-file", "by-gnd", "by-prefix"}
    assert naming("Zingg-Josef") == {"by-key"}
    assert naming("pmb50") == {"unknown"}  # no register has it: named as the letter names it
    assert naming("h1") == {"by-header"}  # a register in the letter's header
    header = html.parse(str(site / "register" / "h1.html")).getroot()
    assert header.findtext(".//h1") == "Bertha B."
    wien = html.parse(str(site / "register" / "pmb50.html")).getroot()
    assert wien.findtext(".//h1") == "Wien" and "places.html" in etree.tostring(wien).decode()
    page = html.parse(str(site / "letters" / "by-gnd.html")).getroot()
    assert page.xpath("//div[@class='text']//a[@class='name persName']/@href") == [
        "../register/pmb2121.html"
    ]
    entry = (site / "register" / "Zingg-Josef.html").read_text("utf-8")
    assert "https://d-nb.info/gnd/1053580428" in entry  # a bare GND number made an address


def test_the_registers_inside_real_letters_give_register_pages(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    for sample in sorted(SAMPLES.glob("schnitzler__*.xml"))[:4]:
        shutil.copy(sample, folder)
    build_site(folder, tmp_path / "site", pdf=False)
    vienna = html.parse(str(tmp_path / "site" / "register" / "pmb50.html")).getroot()
    assert vienna.findtext(".//h1") == "Wien"
    schnitzler = (tmp_path / "site" / "register" / "pmb2121.html").read_text("utf-8")
    assert "https://d-nb.info/gnd/118609807/" in schnitzler and "Letters received" in schnitzler


def _cmif(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / "letters"
    if not folder.exists():
        folder.mkdir()
        shutil.copy(BURCKHARD, folder)
        _PROFILE["theatre"] = _corresp(
            "<persName ref='#pmb2121'>Schnitzler, Arthur</persName>",
            "<orgName ref='https://d-nb.info/gnd/2022139-3'>Burgtheater</orgName>",
            "1896-07-01",
        )
        _letter(folder, "theatre", "<title>An das Burgtheater</title>")
    command = [sys.executable, "-m", "teitools", "cmif", str(folder), "-o", "cmif.xml"]
    return subprocess.run(
        [*command, *options], capture_output=True, text=True, check=False, cwd=tmp_path
    )


def test_cmif_names_what_the_edition_has_not_given_instead_of_inventing_it(
    tmp_path: Path,
) -> None:
    done = _cmif(tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "teitools: error: CMIF needs the edition's title, editor, url: set them in "
        "teitools.toml or [tool.teitools], or pass --title, --editor, --url"
    ]
    assert not (tmp_path / "cmif.xml").exists()


@pytest.mark.parametrize("where", ["options", "settings"])
def test_cmif_takes_the_editions_header_and_keeps_every_authority(
    tmp_path: Path, where: str
) -> None:
    values = {"title": "Schnitzler: Briefe", "editor": "M. Müller", "url": "https://b.at/"}
    if where == "settings":
        settings = "".join(f'{k} = "{v}"\n' for k, v in values.items())
        (tmp_path / "teitools.toml").write_text(settings, encoding="utf-8")
        done = _cmif(tmp_path)
    else:
        done = _cmif(tmp_path, *[f"--{k}={v}" for k, v in values.items()])
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "cmif.xml").read_text("utf-8")
    root = etree.fromstring(text.encode())
    assert root.xpath("string(//t:titleStmt/t:title)", namespaces=TEI) == "Schnitzler: Briefe"
    assert root.xpath("string(//t:publicationStmt/t:date/@when)", namespaces=TEI) == "2025-08-11"
    refs = root.xpath("//t:persName[.='Schnitzler, Arthur']/@ref", namespaces=TEI)
    # through the register inside one letter, for the other letter too
    assert refs == ["https://d-nb.info/gnd/118609807/"] * 2
    org = root.xpath("//t:correspAction[@type='received']/t:orgName", namespaces=TEI)
    assert [(o.text, o.get("ref")) for o in org] == [
        ("Burgtheater", "https://d-nb.info/gnd/2022139-3")
    ]
    for invented in ("example.org", "US–Soviet", "teitools developers", "1970-01-01"):
        assert invented not in text

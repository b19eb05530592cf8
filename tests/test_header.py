"""The teiHeader: correspondents, dates, archival source, registers, catalogue, CMIF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from header_eval import bundled_scores, generated_scores
from teitools.catalogue import CatalogueError, load_catalogue
from teitools.cmif import CmifHeader, cmif_problems, to_cmif
from teitools.convert import convert_batch, convert_file
from teitools.model import Name, Text
from teitools.reader.entities import finder_for, tag_names
from teitools.registers import load_registers
from teitools.render.edition import Links

from conftest import ENCODED, LETTERS, REGISTERS, TEI_NS, jing_errors


def xp(root: etree._Element, path: str) -> list:
    return root.xpath(path, namespaces=TEI_NS)


def test_bundled_letters_header_facts_match_the_gold_set() -> None:
    scores = bundled_scores(ENCODED)
    for field, score in scores.items():
        assert score.precision == 1.0 and score.recall == 1.0, (field, score.errors)


def test_generated_letters_are_never_wrong_and_rarely_silent() -> None:
    scores = generated_scores(count=120)
    for field, score in scores.items():
        assert score.precision == 1.0, (field, score.errors[:5])
        assert score.recall >= 0.9, (field, score.recall, score.errors[:5])


def test_every_inferred_value_says_how_it_was_found() -> None:
    for path in sorted(ENCODED.glob("L*.xml")) + sorted(ENCODED.glob("0*.xml")):
        root = etree.parse(str(path)).getroot()
        for element in xp(root, "//t:correspAction/*[not(@cert='unknown')]"):
            assert element.get("cert") in {"high", "medium", "low"}, path.name
            assert element.get("resp", "").startswith("#"), path.name
        note = xp(root, "//t:correspDesc/t:note[@type='inference']")
        assert note and "Sender:" in note[0].text, path.name


def test_salutation_resolves_through_the_register_by_date() -> None:
    # "Dear Mr. President" in an unofficial translation of 1988: Gorbachev to Reagan
    root = etree.parse(str(ENCODED / "000_8dc45de45295dae5.xml")).getroot()
    assert xp(root, "//t:titleStmt/t:title/text()") == [
        "Letter from Mikhail Gorbachev to Ronald Reagan, 20 September 1988"
    ]
    # "Dear President Brezhnev" and no signature: the US president of that date
    root = etree.parse(str(ENCODED / "004_2a302f09f3bdef71.xml")).getroot()
    sender = xp(root, "//t:correspAction[@type='sent']/t:persName")[0]
    assert sender.text == "Ronald Reagan" and sender.get("cert") == "medium"


def test_undated_draft_gets_the_range_its_text_fixes() -> None:
    root = etree.parse(str(ENCODED / "002_b3d1a49d071e0e44.xml")).getroot()
    date = xp(root, "//t:correspAction[@type='sent']/t:date")[0]
    assert (date.get("notBefore"), date.get("notAfter")) == ("1985-11-21", "1985-12-31")
    note = xp(root, "//t:correspDesc/t:note")[0].text
    assert "Now that we are both home" in note and "Geneva Summit" in note
    title = xp(root, "//t:titleStmt/t:title/text()")[0]
    assert title.endswith("(undated; between 21 November 1985 and 31 December 1985) (draft)")


def test_archival_source_and_marks_are_in_ms_desc() -> None:
    root = etree.parse(str(ENCODED / "001_57df18f4e6967031.xml")).getroot()
    ident = xp(root, "//t:msDesc/t:msIdentifier")[0]
    assert ident.findtext("t:repository", namespaces=TEI_NS) == "Ronald Reagan Presidential Library"
    assert (
        ident.findtext("t:collection", namespaces=TEI_NS)
        == "NSC: Head of State File, USSR: Gorbachev"
    )
    assert ident.findtext("t:idno[@type='box']", namespaces=TEI_NS) == "40"
    # OCR damage in the repository's name: "Reproduced at the Ronald Rangan Library"
    draft = etree.parse(str(ENCODED / "002_b3d1a49d071e0e44.xml")).getroot()
    assert "Rangan" in xp(draft, "//t:correspDesc/t:note")[0].text
    assert xp(draft, "//t:adminInfo//t:item[@n='classification']/text()") == ["Classified SECRET."]


def test_translation_states_the_language_of_the_original() -> None:
    root = etree.parse(str(ENCODED / "001_57df18f4e6967031.xml")).getroot()
    assert "ru" in xp(root, "//t:langUsage/t:language/@ident")
    assert xp(root, "//t:sourceDesc/t:bibl/t:idno[@type='sha256']")


def test_reply_is_recorded_in_corresp_context() -> None:
    root = etree.parse(str(ENCODED / "004_2a302f09f3bdef71.xml")).getroot()
    ref = xp(root, "//t:correspContext/t:ref")[0]
    assert ref.get("type") == "http://www.tei-c.org/cmif/ns#replyTo"
    assert ref.text == "Your letter of October 15" and ref.get("n") == "--10-15"


def test_every_register_reference_resolves() -> None:
    register = etree.parse(str(ENCODED / "register.xml")).getroot()
    ids = set(xp(register, "//@xml:id"))
    for path in sorted(ENCODED.glob("0*.xml")):
        root = etree.parse(str(path)).getroot()
        for value in xp(root, "//@ref | //@sameAs"):
            for target in value.split():
                if target.startswith("register.xml#"):
                    assert target.split("#")[1] in ids, (path.name, target)


def test_names_are_tagged_in_all_their_forms() -> None:
    root = etree.parse(str(ENCODED / "000_8dc45de45295dae5.xml")).getroot()
    people = xp(root, "//t:body//t:persName/@ref")
    assert "register.xml#shevardnadze" in people and "register.xml#shultz" in people
    assert xp(root, "//t:body//t:name[@type='treaty']/text()").count("ABM Treaty") == 3
    first = etree.parse(str(ENCODED / "001_57df18f4e6967031.xml")).getroot()
    assert "register.xml#chernenko" in xp(first, "//t:body//t:persName/@ref")


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        ("a visit to Washington in order to", True),
        ("In Washington we agreed", True),
        ("the legacy of George Washington is", False),
        ("as Mr. Washington said", False),
        ("the Washington Post reported", False),
    ],
)
def test_a_place_name_that_is_part_of_another_name_is_not_the_place(
    text: str, tagged: bool
) -> None:
    nodes = tag_names([Text(text)], finder_for(load_registers(REGISTERS)))
    places = [n for n in nodes if isinstance(n, Name) and n.kind == "place"]
    assert bool(places) == tagged


def test_catalogue_overrides_inference_and_is_recorded(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "file,letter,date,place_sent,status\n"
        "004_2a302f09f3bdef71.txt,,1981-11-18,Washington,sent\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    registers = load_registers(REGISTERS)
    convert_batch(
        [LETTERS / "004_2a302f09f3bdef71.txt"],
        out,
        catalogue=load_catalogue(catalogue),
        registers=registers,
    )
    root = etree.parse(str(out / "004_2a302f09f3bdef71.xml")).getroot()
    date = xp(root, "//t:correspAction[@type='sent']/t:date")[0]
    assert date.get("when") == "1981-11-18" and date.get("cert") == "high"
    place = xp(root, "//t:correspAction[@type='sent']/t:placeName")[0]
    assert place.get("sameAs") == "register.xml#washington-dc"
    assert "given by the catalogue (row 2)" in xp(root, "//t:correspDesc/t:note")[0].text


def test_yaml_catalogue_picks_one_letter_of_a_file(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(
        "- file: 003_e967189a251f37fb.txt\n  letter: 1\n  repository: reagan-library\n",
        encoding="utf-8",
    )
    rows = load_catalogue(catalogue)
    registers = load_registers(REGISTERS)
    result = convert_file(LETTERS / "003_e967189a251f37fb.txt", registers=registers, catalogue=rows)
    sent, draft = (etree.fromstring(d.xml) for d in result.documents)
    assert xp(sent, "//t:repository/text()") == ["Ronald Reagan Presidential Library"]
    assert xp(draft, "//t:repository[@cert='unknown']/text()") == ["unknown"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("c.csv", "file,sender,colour\nx.txt,reagan,red\n", "row 1: unknown column 'colour'"),
        ("c.csv", "file,date\nx.txt,17 Nov 1981\n", "row 2: date '17 Nov 1981' is not an ISO date"),
        ("c.csv", "file,status\nx.txt,lost\n", "row 2: status must be sent, draft or copy"),
        ("c.yaml", "- file: x.txt\n  shelf: 3\n", "entry 1: unknown field 'shelf'"),
        ("c.yaml", "file: x.txt\n", "a YAML catalogue must be a list of mappings"),
    ],
)
def test_malformed_catalogue_rows_are_named(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    try:  # the whole file is refused, or the row is kept with its error
        errors = [str(error) for error in load_catalogue(path).errors()]
    except CatalogueError as error:
        errors = [str(error)]
    assert len(errors) == 1 and message in errors[0] and str(path) in errors[0]


def test_catalogue_errors_reach_the_command_line_as_one_line(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("file,colour\nx.txt,red\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "teitools",
            "convert",
            str(LETTERS),
            "-o",
            str(tmp_path / "o"),
            "--catalogue",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"teitools: error: {path}:1: row 1: unknown column 'colour' "
        "(known: file, letter, sender, addressee, date, not_before, not_after, place_sent, "
        "place_received, repository, collection, box, idno, status, language, classification)"
    ]


def test_cmif_export_follows_the_cmif_rules_and_tei(tmp_path: Path) -> None:
    out = tmp_path / "cmif.xml"
    result = subprocess.run(
        [sys.executable, "-m", "teitools", "cmif", str(ENCODED), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    root = etree.parse(str(out)).getroot()
    assert cmif_problems(root) == []
    assert len(xp(root, "//t:correspDesc")) == 6
    assert jing_errors(out) == []
    refs = xp(root, "//t:correspAction/t:persName/@ref")
    assert refs and all("wikidata.org/entity/Q" in r or "viaf.org" in r for r in refs)


def test_cmif_rules_catch_a_broken_file() -> None:
    header = CmifHeader("T", "E", "https://e.org/cmif.xml", "https://e.org/", "2020", "P")
    letters = sorted(ENCODED.glob("0*.xml"))
    root = etree.fromstring(to_cmif([(p, Links()) for p in letters], header))
    action = xp(root, "//t:correspAction")[0]
    action.getparent().remove(action)
    xp(root, "//t:licence")[0].set("target", "https://example.org/")
    problems = cmif_problems(root)
    assert "missing the CC-BY 4.0 licence" in problems
    assert any("no correspAction[@type='sent']" in p for p in problems)


def test_every_form_of_a_name_points_to_one_register_entry() -> None:
    registers = load_registers(REGISTERS)
    letters = convert_file(LETTERS / "000_8dc45de45295dae5.txt", None, registers).documents
    root = etree.fromstring(letters[0].xml)
    names = xp(root, "//t:body//t:persName[@ref='register.xml#shevardnadze']")
    assert [n.text for n in names] == [
        "Minister of Foreign Affairs Eduard A. Shevardnadze",
        "Eduard Shevardnadze",
    ]

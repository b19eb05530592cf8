"""An edition of one's own: `teitools init`, one configuration read by every command, the
edition's own registers and catalogue, and the README's path from `teitools init` to a
published site, on letters that are not the bundled corpus (the four of issue 12)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from teitools.config import ConfigError, load_config
from teitools.convert import convert_batch
from teitools.edition import conversion
from teitools.errors import RulesError
from teitools.registers import load_registers
from teitools.template import init_edition

from conftest import REPO, SAMPLES, TEI_NS
from test_convert_archives import FAMILY, FOREIGN_OFFICE, GERMAN, WHITE_HOUSE

LETTERS_OF_ISSUE_12 = {
    "cadogan-1943.txt": FOREIGN_OFFICE,
    "kennedy-1962.txt": WHITE_HOUSE,
    "arthur-1893.txt": FAMILY,
    "andreas-1931.txt": GERMAN,
}
SCHNITZLER = SAMPLES / "schnitzler__L00553.xml"  # a real edition's letter with its lists


def teitools(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "teitools", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def ok(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = teitools(*args, cwd=cwd)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def xp(path: Path, query: str) -> list:
    return etree.parse(str(path)).getroot().xpath(query, namespaces=TEI_NS)


def canonical(element: etree._Element) -> bytes:
    """The element's canonical XML, indentation aside."""
    copy = etree.fromstring(etree.tostring(element, with_tail=False))
    for node in copy.iter():
        node.text = node.text if (node.text or "").strip() else None
        node.tail = node.tail if (node.tail or "").strip() else None
    return bytes(etree.tostring(copy, method="c14n"))


def new_edition(tmp_path: Path, letters: dict[str, str] = LETTERS_OF_ISSUE_12) -> Path:
    folder = tmp_path / "my-letters"
    ok("init", folder, cwd=tmp_path)
    for name, text in letters.items():
        (folder / "letters" / name).write_text(text, encoding="utf-8")
    return folder


# ----------------------------------------------------------------------------- init


def test_init_makes_an_edition_folder_whose_settings_every_command_reads(tmp_path: Path) -> None:
    done = ok("init", "my-letters", cwd=tmp_path)
    folder = tmp_path / "my-letters"
    made = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert made == [
        ".github/workflows/tei.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "catalogue.csv",
        "registers/organisations.yaml",
        "registers/persons.yaml",
        "registers/places.yaml",
        "teitools.toml",
    ]
    assert (folder / "letters").is_dir()
    assert "made 8 files in my-letters/" in done.stdout
    config = load_config(folder / "teitools.toml")
    assert config.title == "my-letters" and config.paths.catalogue is not None
    setup = conversion(config)  # the commented registers and the catalogue's header load
    assert setup.registers.entries == {} and setup.catalogue == {}
    assert "id: schiller" in (folder / "registers" / "persons.yaml").read_text()
    assert "teitools-validate" in (folder / ".pre-commit-config.yaml").read_text()


def test_init_never_overwrites_a_file_and_names_each_it_left(tmp_path: Path) -> None:
    folder = tmp_path / "ed"
    (folder / "registers").mkdir(parents=True)
    (folder / ".gitignore").write_text("mine\n")
    (folder / "registers" / "persons.yaml").write_text("- id: x\n  name: X\n")
    done = teitools("init", "ed", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "teitools: error: ed/registers/persons.yaml: exists: not overwritten",
        "teitools: error: ed/.gitignore: exists: not overwritten",
    ]
    assert (folder / ".gitignore").read_text() == "mine\n"
    assert (folder / "teitools.toml").exists() and (folder / "catalogue.csv").exists()


# ----------------------------------------------------------------------------- settings


def documented_toml() -> list[tuple[str, str]]:
    """Every TOML example in the README and docs/, with where it stands."""
    found = []
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for block in re.findall(r"```toml\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
            found.append((page.name, block))
    return found


def test_every_documented_settings_example_is_read_as_it_says(tmp_path: Path) -> None:
    examples = documented_toml()
    assert len(examples) >= 3  # README, docs/site.md, docs/edition.md
    for where, text in examples:
        (tmp_path / "teitools.toml").write_text(text, encoding="utf-8")
        config = load_config(start=tmp_path)
        assert config.source.endswith("teitools.toml"), where
        assert config.title, where
    init_edition(tmp_path / "new")  # the template, every setting documented in it
    made = load_config(tmp_path / "new" / "teitools.toml")
    assert made.licence.endswith("/by/4.0/") and made.paths.registers[0].name == "registers"


def test_the_documented_register_example_is_read_as_it_says(tmp_path: Path) -> None:
    page = (REPO / "docs" / "edition.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```csv\n(id,.*?)```", page, re.S)
    (tmp_path / "persons.csv").write_text(example, encoding="utf-8")
    andreas = load_registers(tmp_path).entries["andreas"]
    assert andreas.forms == ("Willy Andreas", "Andreas")
    assert andreas.urls() == ["https://d-nb.info/gnd/118502905"]


def test_a_tool_teitools_table_pasted_into_teitools_toml_works(tmp_path: Path) -> None:
    (tmp_path / "teitools.toml").write_text(
        '[tool.teitools]\ntitle = "Pasted"\neditor = "A. Editor"\n\n'
        '[tool.teitools.paths]\nencoded = "tei"\n',
        encoding="utf-8",
    )
    config = load_config(start=tmp_path)
    assert (config.title, config.editor, config.paths.encoded.name) == (
        "Pasted",
        "A. Editor",
        "tei",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('titel = "typo"\n', "teitools.toml:1: unknown setting 'titel' (known: availability, "),
        (
            'title = "x"\n\n[paths]\nletter = "l"\n',
            "teitools.toml:4: unknown setting 'paths.letter'",
        ),
        ("title = 3\n", "teitools.toml:1: setting 'title' must be a string"),
        (
            '[paths]\nrules = "r.yaml"\nregisters = 3\n',
            "teitools.toml:3: setting 'paths.registers'",
        ),
        ('title = "x"\n[tool.teitools]\nurl = "y"\n', "teitools.toml:2: unknown setting 'tool'"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_the_key_and_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "teitools.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(start=tmp_path)
    assert message in str(caught.value)
    for command in ("convert", "validate", "render", "site", "cmif", "build"):
        done = teitools(command, cwd=tmp_path)
        assert done.returncode == 2, command
        assert done.stderr.splitlines() == [f"teitools: error: {caught.value}"], command


def test_a_path_the_settings_name_that_is_missing_is_one_line(tmp_path: Path) -> None:
    folder = new_edition(tmp_path, {})
    (folder / "catalogue.csv").unlink()
    done = teitools("convert", cwd=folder)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "teitools: error: teitools.toml: paths.catalogue names catalogue.csv, which does not exist"
    ]


def test_every_command_reads_the_settings_and_its_options_override_them(tmp_path: Path) -> None:
    folder = new_edition(tmp_path, {"arthur-1893.txt": FAMILY})
    settings = folder / "teitools.toml"
    text = settings.read_text(encoding="utf-8").replace('encoded = "encoded"', 'encoded = "tei"')
    text = text.replace('build = "build"', 'build = "out"').replace(
        'url = ""', 'url = "https://ex.org/a"'
    )
    settings.write_text(text.replace('title = "my-letters"', 'title = "Arthur\'s letters"'))
    ok("convert", cwd=folder / "letters")  # from a folder below: paths are the file's
    assert (folder / "tei" / "arthur-1893.xml").exists()
    ok("convert", "-o", "elsewhere", cwd=folder)
    assert (folder / "elsewhere" / "arthur-1893.xml").exists()
    ok("validate", cwd=folder)
    ok("render", cwd=folder)
    assert (folder / "out" / "html" / "arthur-1893.html").exists()
    ok("cmif", cwd=folder)
    cmif = folder / "out" / "cmif.xml"
    assert xp(cmif, "//t:titleStmt/t:title/text()") == ["Arthur's letters"]
    assert xp(cmif, "//t:publicationStmt/t:idno/text()") == ["https://ex.org/a/cmif.xml"]
    ok("cmif", "--title", "Other", "-o", "c.xml", cwd=folder)
    assert xp(folder / "c.xml", "//t:titleStmt/t:title/text()") == ["Other"]
    ok("site", "--no-pdf", cwd=folder)
    assert "Arthur&#39;s letters" in (folder / "out" / "site" / "index.html").read_text()


def test_publication_facts_in_every_header_come_from_the_settings(tmp_path: Path) -> None:
    folder = new_edition(tmp_path, {"cadogan-1943.txt": FOREIGN_OFFICE})
    settings = folder / "teitools.toml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace('publisher = "The editors"', 'publisher = "Foreign Office Papers Project"')
    text = text.replace('availability = ""', 'availability = "Free to reuse, with attribution."')
    settings.write_text(text, encoding="utf-8")
    ok("convert", cwd=folder)
    letter = folder / "encoded" / "cadogan-1943.xml"
    stmt = "//t:publicationStmt"
    assert xp(letter, f"{stmt}/t:publisher/text()") == ["Foreign Office Papers Project"]
    assert xp(letter, f"{stmt}//t:licence/@target") == [
        "https://creativecommons.org/licenses/by/4.0/"
    ]
    assert xp(letter, f"{stmt}//t:licence/text()") == ["CC BY 4.0 (the encoding)"]
    assert xp(letter, f"{stmt}/t:availability/t:p/text()") == ["Free to reuse, with attribution."]


def test_the_edition_language_is_stated_only_where_the_text_does_not_tell(tmp_path: Path) -> None:
    short = "Lieber Hans,\n\ndanke.\n\nDein Fritz\n"
    folder = new_edition(tmp_path, {"kurz.txt": short, "andreas-1931.txt": GERMAN})
    settings = folder / "teitools.toml"
    settings.write_text(settings.read_text().replace('lang = "en"', 'lang = "de"'))
    ok("convert", cwd=folder)
    short_tei = folder / "encoded" / "kurz.xml"
    assert xp(short_tei, "//t:langUsage/t:language/@ident") == ["de"]
    assert "the edition's language" in xp(short_tei, "//t:note[@type='inference']/text()")[0]
    told = folder / "encoded" / "andreas-1931.xml"
    assert "told by" in xp(told, "//t:note[@type='inference']/text()")[0]


# ----------------------------------------------------------------------------- registers


def test_no_register_no_name_links_to_another_corpus(tmp_path: Path) -> None:
    """Before: "Moscow" in an 1893 letter linked to the Cold War register, and every new
    edition's home page counted its 23 persons."""
    travels = FAMILY.replace("Give my love", "Next we go on to Moscow and Geneva. Give my love")
    folder = new_edition(tmp_path, {"arthur-1893.txt": travels})
    ok("convert", cwd=folder)
    encoded = folder / "encoded"
    assert not (encoded / "register.xml").exists()
    assert xp(encoded / "arthur-1893.xml", "//@ref[starts-with(., 'register.xml')]") == []
    ok("site", "--no-pdf", cwd=folder)
    home = (folder / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Andropov" not in home and "23 persons" not in home
    assert not (folder / "build" / "site" / "persons.html").exists()


def test_a_register_of_yaml_and_csv_links_names_with_identifiers_and_coordinates(
    tmp_path: Path,
) -> None:
    folder = new_edition(tmp_path, {"arthur-1893.txt": FAMILY, "andreas-1931.txt": GERMAN})
    (folder / "registers" / "places.yaml").write_text(
        "- id: paris\n  name: Paris\n  kind: settlement\n  geonames: '2988507'\n"
        "  lat: 48.85341\n  lon: 2.3488\n  forms: [Paris]\n",
        encoding="utf-8",
    )
    (folder / "registers" / "persons.yaml").unlink()
    (folder / "registers" / "persons.csv").write_text(
        "id,name,forms,gnd,birth,death\n"
        "andreas,Willy Andreas,Willy Andreas;Andreas,118502905,1884-10-30,1967-07-10\n",
        encoding="utf-8",
    )
    ok("convert", cwd=folder)
    encoded = folder / "encoded"
    paris = "//t:place[@xml:id='paris']"
    assert xp(encoded / "register.xml", f"{paris}/t:location/t:geo/text()") == ["48.85341 2.3488"]
    assert xp(encoded / "register.xml", f"{paris}/t:idno/@type") == ["geonames"]
    assert xp(encoded / "register.xml", "//t:person[@xml:id='andreas']/t:idno/text()") == [
        "https://d-nb.info/gnd/118502905"
    ]
    sent = "//t:correspAction[@type='sent']"
    assert xp(encoded / "arthur-1893.xml", f"{sent}/t:placeName/@sameAs") == ["register.xml#paris"]
    assert xp(encoded / "andreas-1931.xml", f"{sent}/t:persName/@ref") == [
        "https://d-nb.info/gnd/118502905"
    ]
    assert ok("validate", "--across-files", cwd=folder).returncode == 0


def test_an_existing_editions_tei_register_is_imported_as_it_is(tmp_path: Path) -> None:
    """The lists of a Schnitzler-Briefe letter (persons with GND, places with decimal
    commas in their coordinates) become the register: each entry as that edition wrote it."""
    letter = (
        "Wien, 3. Mai 1896\n\nVerehrter Herr Doctor,\n\nich habe Capus gelesen und danke "
        "Ihnen herzlich für die Sendung.\n\nMit herzlichen Grüßen\n\nIhr\n\nArthur Schnitzler\n"
    )
    folder = new_edition(tmp_path, {"an-burckhard.txt": letter})
    shutil.copy(SCHNITZLER, folder / "registers" / "schnitzler.xml")
    settings = folder / "teitools.toml"
    text = settings.read_text().replace(
        'registers = ["registers"]', 'registers = ["registers", "registers/schnitzler.xml"]'
    )
    settings.write_text(text, encoding="utf-8")
    registers = load_registers([folder / "registers" / "schnitzler.xml"])
    assert registers.entries["pmb50"].geo == "48.208333 16.373056"
    assert registers.entries["pmb2121"].identifiers == (("gnd", "118609807"),)
    assert registers.entries["pmb2121"].birth == "1862-05-15"
    ok("convert", cwd=folder)
    encoded = folder / "encoded"
    original = etree.parse(str(SCHNITZLER)).getroot()
    for entry_id in ("pmb2121", "pmb50"):
        query = f"//*[@xml:id='{entry_id}']"
        (theirs,) = original.xpath(query, namespaces=TEI_NS)
        (ours,) = xp(encoded / "register.xml", query)
        assert canonical(ours) == canonical(theirs)
    tei = encoded / "an-burckhard.xml"
    assert xp(tei, "//t:body//t:persName[@ref='register.xml#pmb2408']/text()") == ["Capus"]
    assert xp(tei, "//t:correspAction[@type='sent']/t:persName/@ref") == [
        "https://d-nb.info/gnd/118609807"
    ]
    assert xp(tei, "//t:correspAction[@type='sent']/t:placeName/@ref") == ["register.xml#pmb50"]
    assert ok("validate", "--across-files", cwd=folder).returncode == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("persons.csv", "id,name,colour\nx,X,red\n", "persons.csv:1: unknown column 'colour'"),
        ("places.yaml", "- id: p\n  name: P\n  lat: 91\n  lon: 0\n", "are not coordinates"),
        ("persons.yaml", "- id: 1x\n  name: X\n", "id '1x' is not an XML name"),
        ("offices.csv", "id,name\n", "offices.csv: offices can only be YAML"),
    ],
)
def test_a_malformed_register_is_one_line_naming_the_file(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_registers(tmp_path)
    assert message in str(caught.value) and str(tmp_path) in str(caught.value)


# ----------------------------------------------------------------------------- catalogue


def test_catalogue_values_are_credited_to_the_catalogue_as_given(tmp_path: Path) -> None:
    folder = new_edition(tmp_path, {"arthur-1893.txt": FAMILY})
    (folder / "catalogue.csv").write_text(
        "file,sender,date,idno,language,repository\n"
        'arthur-1893.txt,Arthur Hallam,1893-03-03,"shelfmark: MS 12/3; urn:nbn:de:1-2",de,'
        "Family Archive\n",
        encoding="utf-8",
    )
    ok("convert", cwd=folder)  # no --catalogue: the configured one
    tei = folder / "encoded" / "arthur-1893.xml"
    (bibl,) = xp(tei, "//t:sourceDesc/t:bibl[@type='catalogue']")
    resp = "#" + bibl.get("{http://www.w3.org/XML/1998/namespace}id")
    assert bibl.findtext("t:title", namespaces=TEI_NS) == "catalogue.csv"
    assert bibl.findtext("t:citedRange", namespaces=TEI_NS) == "row 2"
    sender = xp(tei, "//t:correspAction[@type='sent']/t:persName")[0]
    assert (sender.text, sender.get("resp"), sender.get("cert")) == ("Arthur Hallam", resp, "high")
    date = xp(tei, "//t:correspAction[@type='sent']/t:date")[0]
    assert (date.get("when"), date.get("resp")) == ("1893-03-03", resp)
    assert xp(tei, "//t:msIdentifier/t:repository/@resp") == [resp]
    idnos = xp(tei, "//t:msIdentifier/t:idno")
    assert [(i.get("type"), i.text) for i in idnos] == [
        ("shelfmark", "MS 12/3"),
        (None, "urn:nbn:de:1-2"),
    ]
    assert xp(tei, "//t:langUsage/t:language/@ident") == ["de"]
    assert xp(tei, "/t:TEI/@xml:lang") == ["de"]
    assert not xp(tei, "//t:item[@n='declassification']")


def test_the_configured_catalogue_and_rules_are_applied_by_build_too(tmp_path: Path) -> None:
    folder = new_edition(tmp_path, {"cadogan-1943.txt": FOREIGN_OFFICE})
    (folder / "catalogue.csv").write_text(
        "file,addressee\ncadogan-1943.txt,W. Averell Harriman\n", encoding="utf-8"
    )
    (folder / "fo-rules.yaml").write_text(
        "furniture:\n  - type: registry\n    pattern: '^N \\d+/\\d+/\\d+$'\n", encoding="utf-8"
    )
    settings = folder / "teitools.toml"
    settings.write_text(settings.read_text().replace("rules = []", 'rules = ["fo-rules.yaml"]'))
    ok("build", "--no-pdf", cwd=folder)
    tei = folder / "encoded" / "cadogan-1943.xml"
    assert xp(tei, "//t:correspAction[@type='received']/t:persName/text()") == [
        "W. Averell Harriman"
    ]
    assert xp(tei, "//t:fw[@type='registry']/text()") == ["N 5127/412/38"]
    before = tei.read_bytes()
    ok("convert", cwd=folder)  # a re-run without options keeps the corrections
    assert tei.read_bytes() == before


# ----------------------------------------------------------------------------- the README


def test_from_init_to_a_published_site_in_five_commands(tmp_path: Path) -> None:
    """README, "Your own edition": init, copy the letters, build; then the edition's own
    register, catalogue and a correction by hand; build again. Nothing of it is lost."""
    scans = tmp_path / "scans"
    scans.mkdir()
    for name, text in LETTERS_OF_ISSUE_12.items():
        (scans / name).write_text(text, encoding="utf-8")
    ok("init", "my-letters", cwd=tmp_path)  # 1
    folder = tmp_path / "my-letters"
    for letter in scans.iterdir():  # 2
        shutil.copy(letter, folder / "letters")
    first = ok("build", "--no-pdf", cwd=folder)  # 3
    site = folder / "build" / "site"
    assert "4 written" in first.stdout
    assert {p.name for p in (site / "letters").glob("*.html")} == {
        f"{Path(n).stem}.html" for n in LETTERS_OF_ISSUE_12
    }
    assert not (folder / "encoded" / "register.xml").exists()

    # 4: the edition's settings, register and catalogue, and a correction by hand
    settings = folder / "teitools.toml"
    settings.write_text(
        settings.read_text().replace('title = "my-letters"', 'title = "Letters, 1893–1962"')
    )
    (folder / "registers" / "places.yaml").write_text(
        "- id: heidelberg\n  name: Heidelberg\n  geonames: '2907911'\n  forms: [Heidelberg]\n",
        encoding="utf-8",
    )
    (folder / "catalogue.csv").write_text(
        "file,addressee\nkennedy-1962.txt,Nikita Khrushchev\n", encoding="utf-8"
    )
    corrected = folder / "encoded" / "arthur-1893.xml"
    text = corrected.read_text(encoding="utf-8")
    note = '<note type="editorial">The coat was sent on 10 March.</note>'
    corrected.write_text(text.replace("</postscript>", f"</postscript>\n        {note}"))

    second = ok("build", "--no-pdf", cwd=folder)  # 5
    assert "encoded/arthur-1893.xml: kept (edited): nothing new" in second.stdout
    assert "The coat was sent on 10 March." in corrected.read_text(encoding="utf-8")
    encoded = folder / "encoded"
    assert xp(encoded / "andreas-1931.xml", "//t:placeName[@sameAs='register.xml#heidelberg']")
    assert xp(
        encoded / "kennedy-1962.xml", "//t:correspAction[@type='received']/t:persName/text()"
    ) == ["Nikita Khrushchev"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Letters, 1893–1962" in home
    assert (site / "register" / "heidelberg.html").exists()
    page = (site / "letters" / "arthur-1893.html").read_text(encoding="utf-8")
    assert "The coat was sent on 10 March." in page


def test_convert_batch_takes_an_editions_conversion_as_it_is(tmp_path: Path) -> None:
    folder = new_edition(tmp_path, {"arthur-1893.txt": FAMILY})
    (folder / "catalogue.csv").write_text("file,date\narthur-1893.txt,1893-03-04\n")
    setup = conversion(load_config(folder / "teitools.toml"))
    report = convert_batch([folder / "letters"], tmp_path / "out", jobs=1, **setup.options())
    assert not report.errors
    tei = tmp_path / "out" / "arthur-1893.xml"
    assert xp(tei, "//t:correspAction[@type='sent']/t:date/@when") == ["1893-03-04"]

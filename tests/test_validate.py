"""The validator: agreement with jing on real TEI, the profile's rules, report formats."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from teitools.safexml import saxon_text
from teitools.validate import (
    cache,
    expectations,
    grammar,
    letter_grammar,
    matcher,
    parallel,
    relaxng,
    saxon,
    schematron,
    validate_paths,
    xpaths,
)
from teitools.validate.findings import Finding
from teitools.validate.parsing import parse

from conftest import ENCODED, SAMPLES, recording_server, run_jing

REAL_TEI = sorted(SAMPLES.glob("*.xml")) + sorted((SAMPLES / "invalid").glob("*.xml"))
PROJECTS = SAMPLES / "projects"  # 250 files of three real projects, in their own layout
PROJECT_TEI = sorted(PROJECTS.glob("*/*/*.xml"))
GRAMMAR_LAYERS = {"wellformed", "relaxng"}
_JING_LINE = re.compile(r"^(.*?):(\d+):(\d+): (error|fatal): (.*)$")


def grammar_verdict(path: Path) -> bool:
    report = validate_paths([path])
    return not any(f.layer in GRAMMAR_LAYERS for f in report.findings)


def jing_said(files: list[Path]) -> dict[Path, list[tuple[int, str]]]:
    """jing's errors for each file, (line, message), all files in one JVM (jing stops at a
    file that is not XML: it is started again after it)."""
    said: dict[Path, list[tuple[int, str]]] = {path.resolve(): [] for path in files}
    todo = list(said)
    while todo:
        stopped = None
        for line in run_jing(*todo).stdout.splitlines():
            match = _JING_LINE.match(line)
            if match:
                path = Path(match[1]).resolve()
                said[path].append((int(match[2]), match[5]))
                stopped = path if match[4] == "fatal" else stopped
        todo = todo[todo.index(stopped) + 1 :] if stopped else []
    return said


def _mutations(folder: Path) -> list[Path]:
    return [
        mutate(letter, folder, f"{letter.stem}-{name}", change)
        for letter in sorted(ENCODED.glob("0*.xml"))
        for name, change in sorted(MUTATIONS.items())
    ]


@pytest.fixture(scope="module")
def jing(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, list[tuple[int, str]]]:
    """jing's verdicts on every real sample, the three projects and our mutated letters."""
    mutated = _mutations(tmp_path_factory.mktemp("mutated"))
    return jing_said([*REAL_TEI, *PROJECT_TEI, *mutated])


@pytest.mark.parametrize("sample", REAL_TEI, ids=lambda p: p.name)
def test_verdict_agrees_with_jing_on_real_tei(
    sample: Path, jing: dict[Path, list[tuple[int, str]]]
) -> None:
    assert grammar_verdict(sample) == (not jing[sample.resolve()])


@pytest.fixture(scope="module")
def projects_report() -> dict[Path, list[Finding]]:
    """teitools' findings on the three projects, by file."""
    report = validate_paths([PROJECTS], jobs=1, reuse=False)
    found: dict[Path, list[Finding]] = {path.resolve(): [] for path in PROJECT_TEI}
    for finding in report.findings:
        found[Path(finding.file).resolve()].append(finding)
    return found


def test_every_file_of_three_real_projects_gets_jings_grammar_verdict(
    jing: dict[Path, list[tuple[int, str]]], projects_report: dict[Path, list[Finding]]
) -> None:
    wrong = [
        path.relative_to(PROJECTS)
        for path, findings in projects_report.items()
        if any(f.layer in GRAMMAR_LAYERS for f in findings) != bool(jing[path])
    ]
    assert not wrong
    assert 90 < sum(1 for path in projects_report if jing[path]) < 250  # both verdicts occur


def test_files_jing_finds_valid_get_no_error_but_teis_own_constraints(
    jing: dict[Path, list[tuple[int, str]]], projects_report: dict[Path, list[Finding]]
) -> None:
    """No false errors: on a file jing accepts, only TEI's Schematron constraints may fail;
    the warnings say that a schema named by its address was not fetched."""
    valid = [path for path in projects_report if not jing[path]]
    findings = [f for path in valid for f in projects_report[path]]
    assert len(valid) > 150
    assert {f.layer for f in findings if f.severity == "error"} <= {"tei-schematron"}
    warnings = {f.message for f in findings if f.severity == "warning"}
    assert warnings == {
        "remote schema not fetched: https://dracor.org/schema.rng; checked against tei_all instead"
    }


GRAMMAR_FAULTS = [
    *sorted((SAMPLES / "invalid").glob("inv0[1-8]*.xml")),
    SAMPLES / "invalid" / "inv11_no_tei_namespace.xml",
]


@pytest.mark.parametrize("sample", GRAMMAR_FAULTS, ids=lambda p: p.name)
def test_grammar_messages_say_what_jing_says_where_jing_says_it(
    sample: Path, jing: dict[Path, list[tuple[int, str]]]
) -> None:
    """Each fault at jing's line, in jing's words (ours add the parent and the link)."""
    said = [(line, message.split(";")[0]) for line, message in jing[sample.resolve()]]
    ours = []
    for finding in validate_paths([sample], tei_rules=False).findings:
        core = re.sub(r' (in|of) "[^"]+"', "", finding.message.split(";")[0])
        ours.append((finding.line, core))
    assert said and ours == said


def test_the_matchers_quick_walk_finds_exactly_the_explaining_walks_faults() -> None:
    """The matcher passes over the elements it accepts and hands the others to the slower
    explaining walk: the same faults, in the same order, on every invalid real file."""
    walked = 0
    for path in [*REAL_TEI, *PROJECT_TEI]:
        tree, _ = parse(path)
        if tree is None or matcher.tei_all().valid(tree) is not False:
            continue
        slow = [(f.element, f.line, f.message) for f in matcher.tei_all().g.faults(tree)]
        assert [(f.element, f.line, f.message) for f in matcher.tei_all().faults(tree)] == slow
        walked += 1
    assert walked > 100


def test_finding_paths_are_lxmls_paths_for_every_element_of_the_samples() -> None:
    """Paths counts each parent's children once (getpath counts them on every call): the
    same path for every element, in default, prefixed and no namespace, with comments and
    processing instructions among the siblings."""
    crafted = etree.fromstring(
        '<r xmlns:x="u" xmlns:y="u"><a/><x:a/><y:a/><a xmlns="v"/><!--c--><a/><?p x?>'
        '<b xmlns="v"><c/><x:c/><c/></b><x:a/></r>'
    )
    trees = [etree.ElementTree(crafted)]
    trees += [tree for tree, _ in map(parse, [*REAL_TEI, *PROJECT_TEI[::10]]) if tree is not None]
    compared = 0
    for tree in trees:
        where = xpaths.Paths()
        for element in tree.iter("*"):
            assert where(element) == tree.getpath(element)
            compared += 1
    assert compared > 30_000


def test_grammar_messages_link_to_the_elements_page_in_the_guidelines() -> None:
    sample = SAMPLES / "invalid" / "inv03_missing_title_in_titleStmt.xml"
    (finding,) = validate_paths([sample], tei_rules=False).findings
    assert finding.url == "https://www.tei-c.org/release/doc/tei-p5-doc/en/html/ref-titleStmt.html"
    unknown = SAMPLES / "invalid" / "inv02_unknown_element.xml"
    assert [f.url for f in validate_paths([unknown], tei_rules=False).findings] == [""]


@pytest.mark.parametrize("sample", REAL_TEI, ids=lambda p: p.name)
def test_tei_all_pruned_to_a_documents_elements_gives_tei_alls_verdict(sample: Path) -> None:
    tree, _ = parse(sample)
    if tree is None:
        return  # not well-formed: no grammar verdict
    used = {etree.QName(e).localname for e in tree.iter("{http://www.tei-c.org/ns/1.0}*")}
    names = relaxng.TeiAll().names | used
    pruned = etree.RelaxNG(etree.fromstring(relaxng.pruned_text(names)))
    assert pruned.validate(tree) == relaxng.compiled().validate(tree)


def mutate(source: Path, tmp: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    tree = etree.parse(str(source))
    change(tree.getroot())
    target = tmp / f"{name}.xml"
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    return target


TEI = "{http://www.tei-c.org/ns/1.0}"


def _remove_title(root: etree._Element) -> None:
    title = root.find(f".//{TEI}titleStmt/{TEI}title")
    title.getparent().remove(title)


def _unknown_element(root: etree._Element) -> None:
    root.find(f".//{TEI}body/{TEI}div").insert(0, etree.Element(f"{TEI}letterhead"))


def _wrong_order(root: etree._Element) -> None:
    file_desc = root.find(f".//{TEI}fileDesc")
    file_desc.append(file_desc[0])


def _bad_attribute(root: etree._Element) -> None:
    root.find(f".//{TEI}correspAction/{TEI}persName").set("cert", "fairly")


def _broken_date(root: etree._Element) -> None:
    root.find(f".//{TEI}correspAction/{TEI}date").set("when", "1981-02-30x")


MUTATIONS = {
    "title-removed": _remove_title,
    "unknown-element": _unknown_element,
    "wrong-order": _wrong_order,
    "bad-attribute-value": _bad_attribute,
    "broken-iso-date": _broken_date,
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("letter", sorted(ENCODED.glob("0*.xml")), ids=lambda p: p.name)
def test_mutated_output_gets_the_same_verdict_as_jing(
    tmp_path: Path, letter: Path, name: str, jing: dict[Path, list[tuple[int, str]]]
) -> None:
    mutated = mutate(letter, tmp_path, f"{letter.stem}-{name}", MUTATIONS[name])
    (jing_saw,) = [path for path in jing if path.name == mutated.name]
    assert jing[jing_saw]  # each mutation makes the letter invalid
    assert grammar_verdict(mutated) is False


def test_encoded_letters_are_valid() -> None:
    report = validate_paths([ENCODED])
    assert report.ok, report.lines()


def test_dangling_reference_is_a_profile_error(tmp_path: Path) -> None:
    letter = sorted(ENCODED.glob("0*.xml"))[0]

    def dangle(root: etree._Element) -> None:
        root.find(f".//{TEI}change").set("who", "#nobody")

    (tmp_path / "register.xml").write_bytes((ENCODED / "register.xml").read_bytes())
    report = validate_paths([mutate(letter, tmp_path, "dangling", dangle)])
    rules = {f.rule for f in report.findings}
    assert "profile.pointer" in rules


def test_billion_laughs_fails_fast_with_a_clear_message(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    entities = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY l0 "lol">{entities}]><TEI>&l9;</TEI>'
    )
    report = validate_paths([bomb])
    assert not report.ok
    assert "an entity bomb is refused" in report.lines()[0]


def test_reports_for_ci_parse(tmp_path: Path) -> None:
    bad = mutate(sorted(ENCODED.glob("0*.xml"))[0], tmp_path, "bad", _unknown_element)
    junit = subprocess.run(
        [sys.executable, "-m", "teitools", "validate", str(bad), "--format", "junit"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert junit.returncode == 1
    suite = etree.fromstring(junit.stdout.encode())
    assert suite.tag == "testsuite" and suite.find("testcase/failure") is not None
    data = json.loads(validate_paths([bad], fmt="json").lines()[0])
    assert data["files"][0]["valid"] is False
    text = validate_paths([bad]).lines()
    assert text[0].startswith(f"{bad}:") and "error" in text[0]


def _drop(path: str):  # type: ignore[no-untyped-def]
    def change(root: etree._Element) -> None:
        for element in root.xpath(path, namespaces={"t": TEI[1:-1]}):
            element.getparent().remove(element)

    return change


def _set(path: str, attr: str, value: str):  # type: ignore[no-untyped-def]
    def change(root: etree._Element) -> None:
        root.xpath(path, namespaces={"t": TEI[1:-1]})[0].set(attr, value)

    return change


def _empty_p(root: etree._Element) -> None:
    root.find(f".//{TEI}body/{TEI}div").append(etree.Element(f"{TEI}p"))


PROFILE_BREAKS = {
    "profile.correspDesc": _drop("//t:correspDesc"),
    "profile.correspondents": _drop("//t:correspAction[@type='received']/t:persName"),
    "profile.date": _drop("//t:correspAction[@type='sent']/t:date"),
    "profile.pointer": _set("//t:change", "who", "#nobody"),
    "profile.register": _set("//t:body//t:persName", "ref", "register.xml#nobody"),
    "profile.pb-order": _set("(//t:text//t:pb)[2]", "n", "1"),
    "profile.empty-p": _empty_p,
    "profile.iso-date": _set("//t:correspAction/t:date", "when", "1981-02-30"),
}


@pytest.mark.parametrize("rule", sorted(PROFILE_BREAKS))
def test_each_profile_rule_catches_its_breach(tmp_path: Path, rule: str) -> None:
    (tmp_path / "register.xml").write_bytes((ENCODED / "register.xml").read_bytes())
    broken = mutate(ENCODED / "000_8dc45de45295dae5.xml", tmp_path, "broken", PROFILE_BREAKS[rule])
    report = validate_paths([broken], profile="letter", across_files=True)
    assert rule in {f.rule for f in report.findings}, report.lines()
    assert all(f.line >= 1 for f in report.findings)


def test_xml_ids_must_be_unique_across_the_corpus(tmp_path: Path) -> None:
    for name in ("a.xml", "b.xml"):
        (tmp_path / name).write_bytes((ENCODED / "004_2a302f09f3bdef71.xml").read_bytes())
    report = validate_paths([tmp_path], across_files=True)
    assert "profile.unique-id" in {f.rule for f in report.findings}
    assert "profile.unique-id" not in {f.rule for f in validate_paths([tmp_path]).findings}


def test_xml_model_names_a_schema_beside_the_file(tmp_path: Path) -> None:
    (tmp_path / "strict.sch").write_text(
        '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">'
        '<sch:ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/><sch:pattern>'
        '<sch:rule context="t:TEI"><sch:assert test="@n">[house.n] every TEI needs @n'
        "</sch:assert></sch:rule></sch:pattern></sch:schema>"
    )
    letter = (ENCODED / "004_2a302f09f3bdef71.xml").read_text(encoding="utf-8")
    model = '<?xml-model href="strict.sch" schematypens="http://purl.oclc.org/dsdl/schematron"?>'
    (tmp_path / "letter.xml").write_text(letter.replace("<TEI ", model + "\n<TEI ", 1))
    (tmp_path / "register.xml").write_bytes((ENCODED / "register.xml").read_bytes())
    report = validate_paths([tmp_path / "letter.xml"])
    assert [f.rule for f in report.findings] == ["house.n"]


def test_remote_schemas_are_never_fetched(tmp_path: Path) -> None:
    letter = (ENCODED / "004_2a302f09f3bdef71.xml").read_text(encoding="utf-8")
    model = '<?xml-model href="https://example.org/house.rng" type="application/xml"?>'
    (tmp_path / "letter.xml").write_text(letter.replace("<TEI ", model + "\n<TEI ", 1))
    report = validate_paths([tmp_path / "letter.xml"])
    assert report.ok
    assert any("remote schema not fetched" in f.message for f in report.findings)


def test_a_schema_given_on_the_command_line_replaces_tei_all(tmp_path: Path) -> None:
    rng = tmp_path / "only-tei.rng"
    rng.write_text(
        '<element name="TEI" ns="http://www.tei-c.org/ns/1.0" '
        'xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>'
    )
    report = validate_paths([ENCODED / "004_2a302f09f3bdef71.xml"], schemas=[rng])
    assert {f.rule for f in report.findings} == {"only-tei.rng"}  # named for its schema


def test_sarif_report_lists_each_finding(tmp_path: Path) -> None:
    bad = mutate(sorted(ENCODED.glob("0*.xml"))[0], tmp_path, "bad", _unknown_element)
    data = json.loads(validate_paths([bad], fmt="sarif").lines()[0])
    results = data["runs"][0]["results"]
    assert data["version"] == "2.1.0" and results
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_xsd_layer_finds_what_relax_ng_finds_on_an_unknown_element() -> None:
    sample = SAMPLES / "invalid" / "inv02_unknown_element.xml"
    report = validate_paths([sample], xsd=True)
    assert any(f.layer == "xsd" and "letterhead" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("sample", "words"),
    [
        ("inv12_sch_ptr_target_and_cRef.xml", "Only one of the attributes @target and @cRef"),
        ("inv13_sch_subtype_without_type.xml", "div element should not be categorized"),
    ],
)
def test_tei_schematron_rules_run_with_xpath_3(sample: str, words: str) -> None:
    path = SAMPLES / "invalid" / sample
    report = validate_paths([path])
    found = [f for f in report.findings if f.layer == "tei-schematron"]
    assert found and words in found[0].message and found[0].line > 1
    assert not validate_paths([path], tei_rules=False).findings or all(
        f.layer != "tei-schematron" for f in validate_paths([path], tei_rules=False).findings
    )


def test_tei_schematron_rules_run_in_schematron_order(tmp_path: Path) -> None:
    """First matching rule per pattern; lets, current(), sch:name and value-of in messages."""
    schema = tmp_path / "order.sch"
    schema.write_text(
        '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">'
        '<sch:ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>'
        '<sch:pattern id="first"><sch:rule context="t:p[@n]">'
        '<sch:let name="n" value="xs:integer(@n)"/>'
        '<sch:assert test="$n lt 2">first: <sch:name/> <sch:value-of select="$n, 1"/></sch:assert>'
        '</sch:rule><sch:rule context="t:p">'
        '<sch:report test="true()" role="warning">second: <sch:name/></sch:report>'
        "</sch:rule></sch:pattern>"
        '<sch:pattern id="other"><sch:rule context="t:p[not(@n)]">'
        '<sch:report test="count(//t:p[. is current()]) eq 1">other</sch:report>'
        "</sch:rule></sch:pattern></sch:schema>"
    )
    document = tmp_path / "doc.xml"
    document.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p n="1"/>\n<p n="7"/>\n<p/>\n<p n="x"/></TEI>'
    )
    tree, _ = parse(document)
    rules = schematron.rules(schema, "order.sch", "schematron")
    assert isinstance(rules, schematron.Rules)
    found = rules.check(saxon.parse(saxon_text(document.read_bytes(), tree)), document)
    assert [(f.line, f.severity, f.rule, f.message) for f in sorted(found)] == [
        (3, "error", "first", "first: p 7 1"),
        (4, "error", "other", "other"),
        (4, "warning", "first", "second: p"),
    ]  # p n="x": the let fails, so the first rule's assert reports nothing


def test_schematron_rules_on_text_nodes_and_on_attributes_both_run(tmp_path: Path) -> None:
    """A rule on text nodes makes every node visited; attributes only where a rule names them."""
    text_rule = '<sch:pattern id="text"><sch:rule context="text()[normalize-space() = \'x\']">'
    text_rule += '<sch:report test="true()">text x</sch:report></sch:rule></sch:pattern>'
    attribute_rule = '<sch:pattern id="attribute"><sch:rule context="t:p/@n">'
    attribute_rule += '<sch:report test=". = \'2\'">n 2</sch:report></sch:rule></sch:pattern>'
    document = tmp_path / "doc.xml"
    document.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p n="2">x</p>\n<p>y</p></TEI>')
    tree, _ = parse(document)
    for patterns, expected in (
        (text_rule, ["text x"]),
        (text_rule + attribute_rule, ["n 2", "text x"]),
    ):
        schema = tmp_path / f"{len(patterns)}.sch"
        schema.write_text(
            '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">'
            f'<sch:ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>{patterns}</sch:schema>'
        )
        rules = schematron.rules(schema, schema.name, "schematron")
        assert isinstance(rules, schematron.Rules)
        found = rules.check(saxon.parse(saxon_text(document.read_bytes(), tree)), document)
        assert sorted(f.message for f in found) == expected


def test_a_corrupt_cache_entry_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    built = relaxng.letter_grammar_text()
    entry = relaxng.pruned_entry(letter_grammar.LETTER_ELEMENTS)
    stored = entry.read_bytes()
    assert built in stored
    for corrupt in (stored[: len(stored) // 2], stored.replace(b"define", b"defin3", 1), b""):
        entry.write_bytes(corrupt)
        assert relaxng.letter_grammar_text() == built
        assert entry.read_bytes() == stored


def test_the_cache_builds_once_and_keys_by_the_source(tmp_path: Path) -> None:
    source = tmp_path / "schema.rng"
    source.write_text("one")
    calls = []

    def build() -> bytes:
        calls.append(source.read_text())
        return source.read_bytes().upper()

    assert cache.derived("test", source, "r1", build) == b"ONE"
    assert cache.derived("test", source, "r1", build) == b"ONE"
    source.write_text("two")
    assert cache.derived("test", source, "r1", build) == b"TWO"
    assert cache.derived("test", source, "r2", build) == b"TWO"
    assert calls == ["one", "two", "two"]


def test_cache_location_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TEITOOLS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.directory() == tmp_path / "teitools"


def _hi(root: etree._Element) -> None:
    root.find(f".//{TEI}body//{TEI}p").append(etree.Element(f"{TEI}hi"))


def test_a_letter_outside_the_letter_grammar_gets_tei_alls_verdict(tmp_path: Path) -> None:
    letter = ENCODED / "004_2a302f09f3bdef71.xml"
    valid = mutate(letter, tmp_path, "hi", _hi)  # <hi> is TEI, but not in the letter grammar

    def hi_and_bad_value(root: etree._Element) -> None:
        _hi(root)
        _bad_attribute(root)

    invalid = mutate(letter, tmp_path, "hi-bad", hi_and_bad_value)
    said = jing_said([valid, invalid])
    tree, _ = parse(valid)
    assert not relaxng.letters().validate(tree)
    assert said[valid.resolve()] == []
    assert relaxng.TeiAll().check(tree, valid) == []

    tree, _ = parse(invalid)
    assert not relaxng.compiled().validate(tree)
    found = relaxng.TeiAll().check(tree, invalid, invalid.read_bytes())
    (jing_error,) = said[invalid.resolve()]
    assert len(found) == 1
    assert found[0].message.startswith('value of attribute "cert" of "persName" is invalid')
    assert jing_error[1].startswith('value of attribute "cert" is invalid')


def test_the_letter_grammar_accepts_our_letters_and_rejects_their_mutations(
    tmp_path: Path,
) -> None:
    for letter in sorted(ENCODED.glob("*.xml")):
        tree, _ = parse(letter)
        assert relaxng.letters().validate(tree), letter
        if letter.name == "register.xml":
            continue
        for name, change in MUTATIONS.items():  # each invalid against tei_all (jing, above)
            tree, _ = parse(mutate(letter, tmp_path, name, change))
            assert not relaxng.letters().validate(tree), (letter, name)


def test_parallel_report_equals_the_serial_one(tmp_path: Path) -> None:
    letters = sorted(ENCODED.glob("0*.xml"))
    for copy in range(3):  # the same xml:ids in several files: the check across files
        for letter in letters:
            (tmp_path / f"{copy}-{letter.name}").write_bytes(letter.read_bytes())
    for name, change in MUTATIONS.items():
        mutate(letters[0], tmp_path, name, change)
    (tmp_path / "broken.xml").write_text("<TEI><teiHeader></TEI>")
    (tmp_path / "register.xml").write_bytes((ENCODED / "register.xml").read_bytes())
    assert len(list(tmp_path.glob("*.xml"))) >= parallel.SERIAL_BELOW
    serial = validate_paths([tmp_path], jobs=1, fmt="json", across_files=True)
    assert {f.rule for f in serial.findings} >= {"profile.unique-id", "tei_all", "xml"}
    for jobs in (2, 3):
        parallel_run = validate_paths([tmp_path], jobs=jobs, fmt="json", across_files=True)
        assert parallel_run.lines() == serial.lines()


def _copy_encoded(folder: Path) -> Path:
    folder.mkdir()
    for path in ENCODED.glob("*.xml"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    checked: list[Path] = []
    original = parallel.Checker.check

    def check(self, path):  # type: ignore[no-untyped-def]
        checked.append(path)
        return original(self, path)

    monkeypatch.setattr(parallel.Checker, "check", check)
    return checked


def test_unchanged_files_are_not_checked_again_and_get_the_same_report(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEITOOLS_CACHE_DIR", str(tmp_path / "cache"))
    folder = _copy_encoded(tmp_path / "letters")
    broken = folder / "004_2a302f09f3bdef71.xml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("<p>", "<p><bogus/>", 1))
    checked = _counting(monkeypatch)
    first = validate_paths([folder], jobs=1, across_files=True)
    assert len(checked) == 7 and not first.ok
    checked.clear()
    second = validate_paths([folder], jobs=1, across_files=True)
    assert checked == [] and second.findings == first.findings
    letter = folder / "000_8dc45de45295dae5.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("Tbilisi<", "Tiflis<"))
    validate_paths([folder], jobs=1, across_files=True)
    assert checked == [letter]
    checked.clear()
    register = folder / "register.xml"  # the profile checks pointers into it: all again
    register.write_text(
        register.read_text(encoding="utf-8").replace('xml:id="tbilisi"', 'xml:id="tb"')
    )
    third = validate_paths([folder], jobs=1, across_files=True)
    assert len(checked) == 7
    assert any("tbilisi" in f.message for f in third.findings if f.file == str(letter))
    checked.clear()
    validate_paths([folder], jobs=1, reuse=False, across_files=True)
    assert len(checked) == 7


def test_a_damaged_result_entry_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TEITOOLS_CACHE_DIR", str(tmp_path / "cache"))
    folder = _copy_encoded(tmp_path / "letters")
    first = validate_paths([folder], jobs=1)
    for entry in (tmp_path / "cache" / "results").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:-5])
    checked = _counting(monkeypatch)
    assert validate_paths([folder], jobs=1).findings == first.findings
    assert len(checked) == 7


def test_a_file_naming_its_schema_is_checked_again_when_the_schema_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEITOOLS_CACHE_DIR", str(tmp_path / "cache"))
    letter = tmp_path / "letter.xml"
    text = (ENCODED / "004_2a302f09f3bdef71.xml").read_text(encoding="utf-8")
    model = '<?xml-model href="own.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    letter.write_text(text.replace("<TEI ", model + "<TEI ", 1), encoding="utf-8")
    own = tmp_path / "own.rng"
    own.write_bytes((relaxng.SCHEMAS / "tei_all.rng").read_bytes())
    assert validate_paths([letter], jobs=1).ok
    checked = _counting(monkeypatch)
    assert validate_paths([letter], jobs=1).ok
    assert checked == []  # reused: nothing it depends on changed
    own.write_text(
        '<element name="TEI" ns="http://www.tei-c.org/ns/1.0" '
        'xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>'
    )
    assert not validate_paths([letter], jobs=1).ok
    assert checked == [letter]


@pytest.mark.parametrize(("declared", "codec"), [("UTF-8", "utf-8"), ("ISO-8859-1", "latin-1")])
def test_saxon_never_sees_a_doctype_and_reports_the_files_own_lines(
    tmp_path: Path, declared: str, codec: str
) -> None:
    sample = SAMPLES / "invalid" / "inv13_sch_subtype_without_type.xml"
    text = sample.read_text(encoding="utf-8")
    body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    shifted = tmp_path / "doctype.xml"
    command = [sys.executable, "-m", "teitools", "validate", "--format", "json", "--no-cache"]
    with recording_server() as (address, asked):
        prolog = f"<!-- {'long prolog ' * 600}-->\n"
        prolog += f'<!DOCTYPE TEI SYSTEM "{address}/tei.dtd" [\n  <!ELEMENT note ANY>\n]>\n'
        declaration = f'<?xml version="1.0" encoding="{declared}"?>\n'
        shifted.write_text(declaration + prolog + body.lstrip("\n"), encoding=codec)
        # in a process of its own: a fetch that hangs fails the test instead of stalling it
        done = subprocess.run(
            [*command, str(shifted)], capture_output=True, text=True, timeout=60, check=False
        )
    assert asked == []
    findings = json.loads(done.stdout)["files"][0]["findings"]
    found = [f for f in findings if f["layer"] == "tei-schematron"]
    plain = [f for f in validate_paths([sample]).findings if f.layer == "tei-schematron"]
    added = prolog.count("\n") + 1 - text.split("\n", 1)[0].startswith("<?xml")
    assert plain and [(f["line"], f["message"]) for f in found] == [
        (f.line + added, f.message) for f in plain
    ]


MATCHER_GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><element name="doc"><zeroOrMore><ref name="item"/></zeroOrMore></element></start>
  <define name="item">
    <element name="item">
      <optional><attribute name="id"><data type="ID"/></attribute></optional>
      <optional><attribute name="cert"><choice>
        <data type="double"><param name="minInclusive">0</param>
          <param name="maxInclusive">1</param></data>
        <value>high</value><value>low</value></choice></attribute></optional>
      <optional><attribute name="pair"><list><data type="token"/><data type="token"/>
        <zeroOrMore><data type="token"/></zeroOrMore></list></attribute></optional>
      <optional><attribute name="when"><data type="date"/></attribute></optional>
      <optional><attribute name="target"><data type="anyURI">
        <param name="pattern">\\S+</param></data></attribute></optional>
      <optional><attribute name="code"><data type="token"><param name="pattern">[A-Z]{2}\\d+</param>
        <param name="maxLength">4</param></data></attribute></optional>
      <optional><choice><attribute name="active"/><attribute name="mutual"/></choice></optional>
      <interleave>
        <optional><element name="a"><empty/></element></optional>
        <optional><element name="b"><text/></element></optional>
      </interleave>
      <optional><element name="n"><data type="integer"/></element></optional>
    </element>
  </define>
</grammar>
"""
# each document: its items, and whether the matcher decides it (else libxml2 does)
MATCHER_CASES = {
    "ok": ('<item id="x1" cert="0.5" pair="a b" when="1901-02-03" target="#a" code="AB1"/>', 1),
    "cert-word": ('<item cert="high"/>', 1),
    "cert-above-1": ('<item cert="1.5"/>', 1),
    "cert-nan": ('<item cert="NaN"/>', 1),
    "list-of-one": ('<item pair="a"/>', 1),
    "list-of-three": ('<item pair=" a  b c "/>', 1),
    "no-such-day": ('<item when="1901-02-30"/>', 1),
    "date-in-spaces": ('<item when=" 1901-02-03 "/>', 1),
    "two-fragments": ('<item target="a#b#c"/>', 0),
    "uri-with-space": ('<item target="a b"/>', 1),
    "too-long": ('<item code="AB123"/>', 1),
    "pattern-fails": ('<item code="ab1"/>', 1),
    "both-of-a-choice": ('<item active="x" mutual="y"/>', 1),
    "one-of-a-choice": ('<item mutual="y"/>', 1),
    "id-twice": ('<item id="x"/><item id="x"/>', 1),
    "id-not-a-name": ('<item id="1x"/>', 1),
    "interleaved": ("<item><b>t</b><a/></item>", 1),
    "interleaved-twice": ("<item><a/><b/><a/></item>", 1),
    "no-break-space": ("<item>\u00a0</item>", 1),
    "only-whitespace": ("<item> \n </item>", 1),
    "typed-content": ("<item><n> 12 </n></item>", 0),
    "typed-content-wrong": ("<item><n>x</n></item>", 0),
    "unknown-attribute": ('<item colour="red"/>', 1),
}


def test_the_matcher_gives_jings_verdict_on_datatypes_lists_choices_and_ids(
    tmp_path: Path,
) -> None:
    rng = tmp_path / "items.rng"
    rng.write_text(MATCHER_GRAMMAR, encoding="utf-8")
    documents = {}
    for name, (items, _) in MATCHER_CASES.items():
        documents[name] = tmp_path / f"{name}.xml"
        documents[name].write_text(f"<doc>{items}</doc>", encoding="utf-8")
    done = subprocess.run(
        ["jing", str(rng), *map(str, documents.values())], capture_output=True, text=True
    )
    rejected = {Path(line.split(":")[0]).name for line in done.stdout.splitlines()}
    loaded = grammar.grammar(rng.resolve(), tmp_path.resolve())
    assert not isinstance(loaded, Exception)
    for name, path in documents.items():
        tree, _ = parse(path)
        verdict = loaded.matcher().valid(tree)
        assert (verdict is not None) == bool(MATCHER_CASES[name][1]), name
        if verdict is not None:
            assert verdict == (path.name not in rejected), name
        report = validate_paths([path], schemas=[rng], tei_rules=False, reuse=False)
        assert report.ok == (path.name not in rejected), name
    assert 10 < len(rejected) < len(documents)


# values of XSD types at the edges of what a regular expression decides: real dates and
# impossible ones, years 0000 and of five digits, zones, names with Latin-1 letters and
# with others, numbers with exponents, underscores and inner spaces, no-break spaces
LEXICAL_EDGES = (
    "1899-03-04 1899-02-29 1900-02-29 2000-02-29 0800-02-29 0000-01-01 1899-13-01 1899-04-31 "
    "22022-11-28 -1899-03-04 1899-03-04Z 1899-03-04+14:00 1899-3-4 1899 0000 +1899 10000 "
    "1899-03 1899-00 --03 --03-- ---04 --12-31 --02-30 12:00:00 24:00:00 23:59:60 12:00:00.5 "
    "1899-03-04T12:00:00 1899-03-04T12:00 1899-03-04T25:00:00 1e5 1E-3 .5 1. +.5 -0 INF -INF "
    "+INF NaN nan 5_3 38_6 low high a _a a:b a-b.c 1a -a die_fürsten Ärger a×b a·b ĀB de-DE "
    "x-klingon toolongtag-x true false 1 0 TRUE #pmb123 http://x.org/a?b#c "
    "22022-02-29 20000-02-29 10100-02-29 22022-11-31 01000-01-01 100000-12-31 19120108 01234 "
    "12345-02 01234-02 12345-02-01T00:00:00 12345-02-30T00:00:00 1234567890-01-01 "
).split()
LEXICAL_EDGES += ["", " 1899 ", "38 6", "a b", "\u00a01899", "1899\u00a0", "\t0\n"]
# what real documents hold: decided without xmlschema (20-70 µs a value)
EVERYDAY = [("ID", "die_fürsten"), ("date", "1899-03-04"), ("date", "1899"), ("gYear", "1899")]
EVERYDAY += [("date", "22022-11-28"), ("gYear", "19120108")]
EVERYDAY += [("double", "low"), ("double", "0.5"), ("Name", "#pmb1"), ("language", "de-AT")]


def test_values_a_regular_expression_decides_are_judged_as_xmlschema_judges_them() -> None:
    random = __import__("random").Random(13)
    alphabet = "0123456789-+:.TZeE_ aüÀ×\u00a0"
    values = [*LEXICAL_EDGES, *("".join(random.choices(alphabet, k=n % 13)) for n in range(1500))]
    decided = 0
    for kind in sorted(set(expectations._SURE) | set(expectations._FORMS)):
        for value in values:
            sure = expectations._lexically_sure(kind, value)
            if sure is not None:
                decided += 1
                assert sure == expectations.xmlschema_valid(kind, value), (kind, value)
    assert decided > 15_000
    assert all(expectations._lexically_sure(kind, value) is not None for kind, value in EVERYDAY)


# an attribute chooses between two content models of "x": the explaining grammar, which does
# not read attributes to choose, may give an element's children other patterns than the matcher
CHOSEN_GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><element name="doc"><zeroOrMore><ref name="entry"/></zeroOrMore></element></start>
  <define name="entry">
    <element name="entry">
      <choice>
        <group><attribute name="type"><value>a</value></attribute>
          <element name="x"><element name="y"><empty/></element></element></group>
        <group><attribute name="type"><value>b</value></attribute>
          <element name="x"><element name="z"><empty/></element></element></group>
      </choice>
      <optional><element name="n"><data type="integer"/></element></optional>
    </element>
  </define>
</grammar>
"""
CHOSEN_CASES = {
    "valid": '<entry type="a"><x><y/></x></entry><entry type="b"><x><z/></x></entry>',
    "chosen-then-wrong": '<entry type="b"><x><z/></x><bad/></entry>',
    "chosen-then-incomplete": '<entry type="b"><x><z/></x><n>1</n><n>2</n></entry>',
    "wrong-value": '<entry type="c"><x><y/></x></entry><!-- c --><entry type="a"/>',
    "text-after-a-comment": '<entry type="a"><x><y/></x></entry><!-- c -->words',
    "unknown-inside": '<entry type="a"><x><y/><w><q/></w></x></entry>',
    "typed-content-then-wrong": '<entry type="a"><x><y/></x><n>1</n><bad/></entry>',
}


def test_faults_found_in_one_pass_are_those_found_element_by_element(tmp_path: Path) -> None:
    """The matcher walks the document once and hands only the elements it rejects to the
    explaining grammar; where that grammar gives their children other patterns than the
    matcher did, the faults are still those of checking each element on its own."""
    rng = tmp_path / "chosen.rng"
    rng.write_text(CHOSEN_GRAMMAR, encoding="utf-8")
    loaded = grammar.grammar(rng.resolve(), tmp_path.resolve())
    assert not isinstance(loaded, Exception)
    judge = loaded.matcher()
    documents = {}
    for name, items in CHOSEN_CASES.items():
        documents[name] = tmp_path / f"{name}.xml"
        documents[name].write_text(f"<doc>{items}</doc>", encoding="utf-8")
    done = subprocess.run(
        ["jing", str(rng), *map(str, documents.values())], capture_output=True, text=True
    )
    rejected = {Path(line.split(":")[0]).stem for line in done.stdout.splitlines()}
    assert rejected == set(CHOSEN_CASES) - {"valid"}
    for name, path in documents.items():
        tree, _ = parse(path)
        root = tree.getroot()
        (start,) = judge.g._candidates(judge.g.start, ("", "doc"))
        each = [(f.element, f.line, f.message) for f in judge._faults_by_element(root, start)]
        assert [(f.element, f.line, f.message) for f in judge.faults(tree)] == each, name
        assert bool(each) == (name in rejected), name


def test_a_division_of_twenty_thousand_paragraphs_is_decided_by_the_matcher() -> None:
    """libxml2 takes time quadratic in the paragraphs of one division (every TEI element has
    optional attributes, so it compiles no content model); the matcher decides alone."""
    head = (ENCODED / "000_8dc45de45295dae5.xml").read_text(encoding="utf-8")
    body = "<p>A line of the letter.</p>" * 20_000
    tree = etree.ElementTree(
        etree.fromstring(
            re.sub(r"<body>.*</body>", f"<body><div>{body}</div></body>", head, flags=re.S).encode()
        )
    )
    assert matcher.tei_all().valid(tree) is True
    tree.getroot().find(f".//{TEI}div")[-1].tail = "words outside a paragraph"
    assert matcher.tei_all().valid(tree) is False


def test_xsd_patterns_are_translated_once_then_read_from_the_cache_and_rebuilt_if_damaged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEITOOLS_CACHE_DIR", str(tmp_path / "cache"))
    patterns = [r"[^\p{C}\p{Z}]+", r"[\d]+(\.[\d]+){0,2}", r"[unclosed"]
    monkeypatch.setattr(expectations, "_TRANSLATED", {})
    expectations.warm_regexes(patterns)
    translated = dict(expectations._TRANSLATED)
    assert sorted(translated) == sorted(patterns[:2])  # the broken one is not kept
    assert re.fullmatch(translated[patterns[0]], "Wort") and not re.fullmatch(
        translated[patterns[0]], "zwei Wörter"
    )
    [entry] = (tmp_path / "cache").glob("xsd-regex-*")
    translate = expectations._translate

    def not_again(pattern: str) -> str | None:
        raise AssertionError(f"translated again: {pattern}")

    monkeypatch.setattr(expectations, "_translate", not_again)
    monkeypatch.setattr(expectations, "_TRANSLATED", {})
    expectations.warm_regexes(patterns)
    assert translated == expectations._TRANSLATED
    stored = entry.read_bytes()
    entry.write_bytes(stored.replace(b"0,2", b"0,9"))  # no longer authenticated
    monkeypatch.setattr(expectations, "_translate", translate)
    monkeypatch.setattr(expectations, "_TRANSLATED", {})
    expectations.warm_regexes(patterns)
    assert translated == expectations._TRANSLATED
    assert entry.read_bytes() == stored

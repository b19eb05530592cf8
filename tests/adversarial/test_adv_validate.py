"""Hostile and extreme input to `teitools validate`: each attack of issue 11 (items 5, 6, 10,
12, 13, 16) and issue 13 (xml-model, XInclude, entities) as a regression test, plus
property-based fuzzing of the promises: exit code 0, 1 or 2; one line per finding, naming
the file; no traceback; the rest of the batch checked; nothing fetched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from teitools.validate import cache, grammar, validate_paths
from teitools.validate.findings import Finding
from teitools.validate.report import FORMATS, render

from conftest import ENCODED, recording_server

LETTER = ENCODED / "004_2a302f09f3bdef71.xml"
TEI_NS = "http://www.tei-c.org/ns/1.0"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
MINIMAL = (
    f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
    "<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc>"
    "</teiHeader><text><body><p>{body}</p></body></text></TEI>"
)


def teitools(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "teitools", "validate", "--no-cache", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,
    )


def tei(body: str = "text", prolog: str = "") -> str:
    return prolog + MINIMAL.replace("{body}", body)


def model(href: str, ns: str = RNG_NS) -> str:
    return f'<?xml-model href="{href}" type="application/xml" schematypens="{ns}"?>\n'


def assert_promises(done: subprocess.CompletedProcess[str], files: list[Path]) -> None:
    """Exit 0/1/2, no traceback, one line per finding naming one of the files."""
    assert done.returncode in (0, 1, 2), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    *findings, summary = done.stdout.splitlines()
    assert summary.startswith(f"{len(files)} files checked")
    names = {str(f) for f in files}
    for line in findings:
        assert any(line.startswith(name + ":") for name in names), line


# issue 11.5: a forged cache entry


def test_forged_result_entries_do_not_make_a_broken_file_valid(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text(tei("<bogus/>"))
    first = validate_paths([broken])
    assert not first.ok
    forged = json.dumps({"findings": [], "ids": [], "depends": []}).encode()
    entries = [e for e in (cache.directory() / "results").rglob("*") if e.is_file()]
    assert entries
    import hashlib

    for entry in entries:  # the old format: a plain SHA-256 of the payload, then the payload
        entry.write_bytes(hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)
    assert not validate_paths([broken]).ok


def test_no_code_is_read_from_the_cache(tmp_path: Path) -> None:
    """A planted stylesheet (as the old cache stored TEI's rules) is never run."""
    target = tmp_path / "written-by-the-cache.txt"
    planted = (
        '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="3.0">'
        f'<xsl:template match="/"><xsl:result-document href="file://{target}">x'
        "</xsl:result-document></xsl:template></xsl:stylesheet>"
    ).encode()
    for name in ("tei-rules-0", "tei-rules-" + "f" * 32):
        (cache.directory() / name).write_bytes(planted)
    document = tmp_path / "doc.xml"
    document.write_text(tei())
    validate_paths([document])
    assert not target.exists()


def test_a_key_file_others_can_read_disables_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEITOOLS_CONFIG_DIR", str(tmp_path / "config"))
    cache.key.cache_clear()
    try:
        assert cache.key() is not None
        key_file = cache.key_path()
        assert (key_file.stat().st_mode & 0o777) == 0o600
        key_file.chmod(0o644)
        cache.key.cache_clear()
        assert cache.key() is None
        entry = tmp_path / "entry"
        cache.write_entry(entry, b"payload")
        assert not entry.exists()
    finally:
        cache.key.cache_clear()


# issue 11.6 and 11.13: report formats


def test_github_annotations_escape_file_names_and_messages(tmp_path: Path) -> None:
    sneaky = tmp_path / "a,b:c\n::warning file=x::pwned.xml"
    sneaky.write_text(tei("<bogus/>"))
    done = teitools("--format", "github", str(sneaky))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines and all(line.startswith("::error ") for line in lines)
    assert "%0A" in lines[0] and "a%2Cb%3Ac" in lines[0]
    assert not any(line.startswith("::warning") for line in lines)


def test_junit_holds_control_characters_in_file_names(tmp_path: Path) -> None:
    odd = tmp_path / "bell\x07escape\x1b.xml"
    odd.write_text(tei("<bogus/>"))
    done = teitools("--format", "junit", str(odd))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    suite = etree.fromstring(done.stdout.encode())
    assert "\\x07" in suite.find("testcase").get("name")


def test_a_message_holding_control_characters_is_one_line_in_every_format() -> None:
    finding = Finding("f.xml", 1, 1, "error", "schematron", "r", "a\x00b\nc\rd\u2028e")
    for fmt in FORMATS:
        lines = render(fmt, ["f.xml"], [finding])
        text = "\n".join(lines)
        assert "\x00" not in text and "\u2028" not in text
        if fmt in ("text", "github"):
            assert len(lines) == (2 if fmt == "text" else 1)
            assert "\n" not in lines[0] and "\r" not in lines[0]
        if fmt == "junit":
            etree.fromstring(text.encode())


# issue 11.10: size


def test_a_file_over_the_size_limit_is_refused_unread_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as out:  # sparse: 3 GB on paper, nothing on disk
        out.truncate(3 * 1024**3)
    good = tmp_path / "good.xml"
    good.write_text(tei())
    done = teitools("--max-size", "1", str(huge), str(good))
    assert_promises(done, [huge, good])
    assert done.returncode == 1
    assert "over the limit of 1.0 MB" in done.stdout
    assert not any(line.startswith(f"{good}:") for line in done.stdout.splitlines())


def test_a_device_is_refused(tmp_path: Path) -> None:
    done = teitools("/dev/zero")
    assert done.returncode == 1 and "a character device, not a file to read" in done.stdout


# issue 11.12: hostile xml-model targets


def test_hostile_schemas_are_one_line_warnings_and_the_batch_goes_on(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("TOP-SECRET")
    with recording_server() as (address, asked):
        (project / "garbage.rng").write_bytes(b"\x00\x01 not xml at all")
        (project / "external.rng").write_text(
            f'<grammar xmlns="{RNG_NS}"><start><externalRef href="{address}/x.rng"/></start>'
            "</grammar>"
        )
        (project / "include.rng").write_text(
            f'<grammar xmlns="{RNG_NS}"><include href="../secret.txt"/></grammar>'
        )
        (project / "reads.sch").write_text(
            f'<sch:schema xmlns:sch="{SCH_NS}" queryBinding="xslt2"><sch:pattern>'
            '<sch:rule context="/*"><sch:report test="true()">'
            f"<sch:value-of select=\"unparsed-text('file://{outside}')\"/> "
            f"<sch:value-of select=\"document('{address}/doc.xml')\"/></sch:report>"
            '</sch:rule></sch:pattern><sch:pattern><sch:rule context="/*">'
            '<sch:report test="true()">[house.seen] seen</sch:report>'
            "</sch:rule></sch:pattern></sch:schema>"
        )
        (project / "nonxml.sch").write_text("this is no schema")
        files = []
        for name in ("garbage.rng", "external.rng", "include.rng"):
            files.append(project / f"with-{name}.xml")
            files[-1].write_text(tei(prolog=model(name)))
        for name in ("reads.sch", "nonxml.sch"):
            files.append(project / f"with-{name}.xml")
            files[-1].write_text(tei(prolog=model(name, SCH_NS)))
        files.append(project / "null.xml")
        files[-1].write_text(tei(prolog=model("null")))
        files.append(project / "escape.xml")
        files[-1].write_text(tei(prolog=model("../secret.txt")))
        done = teitools(*map(str, files), cwd=project)
    assert asked == []
    assert_promises(done, files)
    assert "TOP-SECRET" not in done.stdout
    text = done.stdout
    assert "garbage.rng is not XML" in text
    assert "externalRef of http" in text and "not fetched" in text
    assert "outside the project" in text
    assert "unparsed-text() not run" in text or "uses unparsed-text()" in text
    assert "[house.seen]" in text or "seen [house.seen]" in text  # the harmless rule runs
    assert "names no schema" in text
    assert "checked against tei_all instead" in text


def test_an_xslt2_schematron_in_xml_model_works_in_a_parallel_batch(tmp_path: Path) -> None:
    (tmp_path / "house.sch").write_text(
        f'<sch:schema xmlns:sch="{SCH_NS}" queryBinding="xslt2">'
        f'<sch:ns prefix="t" uri="{TEI_NS}"/><sch:pattern id="house">'
        '<sch:rule context="t:p"><sch:assert test="matches(., \'^\\w+$\')">'
        "[house.word] one word</sch:assert></sch:rule></sch:pattern></sch:schema>"
    )
    for index in range(20):
        body = "word" if index % 2 else "two words"
        (tmp_path / f"d{index:02}.xml").write_text(tei(body, model("house.sch", SCH_NS)))
    report = validate_paths([tmp_path], jobs=2)
    failing = {Path(f.file).name for f in report.findings if f.rule == "house.word"}
    assert failing == {f"d{i:02}.xml" for i in range(0, 20, 2)}


def _pathological_rng(levels: int) -> str:
    """A grammar jing compiles at once and libxml2 takes hours to (each level doubles it)."""
    defines = ['<define name="d0"><text/></define>']
    for i in range(1, levels + 1):
        defines.append(
            f'<define name="d{i}"><choice><group><element name="a{i}"><empty/></element>'
            f'<ref name="d{i - 1}"/></group><oneOrMore><ref name="d{i - 1}"/></oneOrMore>'
            "</choice></define>"
        )
    return (
        f'<grammar xmlns="{RNG_NS}"><start><element name="root"><ref name="d{levels}"/>'
        f"</element></start>{''.join(defines)}</grammar>"
    )


def test_a_grammar_libxml2_cannot_compile_never_hangs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(grammar, "COMPILE_LIMIT", 2.0)
    grammar.grammar.cache_clear()
    (tmp_path / "odd.rng").write_text(_pathological_rng(12))
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(model("odd.rng") + "<root>text</root>")
    bad.write_text(model("odd.rng") + "<root><unknown/></root>")
    report = validate_paths([good, bad], tei_rules=False)
    by_file = {Path(f.file).name: f for f in report.findings}
    assert "good.xml" not in by_file
    assert "bad.xml" in by_file and by_file["bad.xml"].rule == "odd.rng"
    assert "unknown" in by_file["bad.xml"].message  # jing's message


# issue 11.16 and 13.5: entities


def test_internal_entities_are_expanded_within_limits(tmp_path: Path) -> None:
    ordinary = tmp_path / "ordinary.xml"
    ordinary.write_text(
        '<!DOCTYPE TEI [<!ENTITY nbsp "&#160;"><!ENTITY ed "the editor">]>\n'
        + tei("A&nbsp;text by &ed;.")
    )
    assert validate_paths([ordinary]).ok


@pytest.mark.parametrize("offset", [0, 70_000])
def test_entity_bombs_are_refused_wherever_they_are_declared(tmp_path: Path, offset: int) -> None:
    entities = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    bomb = tmp_path / "bomb.xml"
    padding = f"<!-- {'x' * offset} -->\n" if offset else ""
    bomb.write_text(f'{padding}<!DOCTYPE TEI [<!ENTITY l0 "lol">{entities}]>\n' + tei("&l9;"))
    report = validate_paths([bomb])
    assert [f.rule for f in report.findings] == ["xml.entities"]
    assert "entity bomb" in report.findings[0].message


def test_external_and_parameter_entities_are_refused_with_a_clear_message(
    tmp_path: Path,
) -> None:
    with recording_server() as (address, asked):
        external = tmp_path / "external.xml"
        external.write_text(f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{address}/x">]>\n' + tei("&x;"))
        parameter = tmp_path / "parameter.xml"
        parameter.write_text(
            f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{address}/p.dtd"> %p;]>\n' + tei()
        )
        report = validate_paths([external, parameter])
    assert asked == []
    messages = {Path(f.file).name: f.message for f in report.findings}
    assert "external entity 'x' refused" in messages["external.xml"]
    assert "parameter entity '%p' refused" in messages["parameter.xml"]


# issue 13.5: XInclude


def test_xinclude_is_expanded_from_inside_the_project_only(tmp_path: Path) -> None:
    project = tmp_path / "edition"
    (project / "parts").mkdir(parents=True)
    (project / "teitools.toml").write_text("")
    (tmp_path / "secret.xml").write_text("<secret>TOP-SECRET</secret>")
    header = (
        f'<teiHeader xmlns="{TEI_NS}"><fileDesc><titleStmt><title>T</title></titleStmt>'
        "<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc>"
        "</fileDesc></teiHeader>"
    )
    (project / "parts" / "header.xml").write_text(header)
    xi = 'xmlns:xi="http://www.w3.org/2001/XInclude"'
    body = "<text><body><p>x</p></body></text>"
    assembled = project / "assembled.xml"
    assembled.write_text(
        f'<TEI xmlns="{TEI_NS}" {xi}><xi:include href="parts/header.xml"/>{body}</TEI>'
    )
    with recording_server() as (address, asked):
        hostile = project / "hostile.xml"
        hostile.write_text(
            f'<TEI xmlns="{TEI_NS}" {xi}><xi:include href="../secret.xml"/>'
            f'<xi:include href="{address}/remote.xml"/><xi:include href="/etc/passwd"'
            f' parse="text"/><xi:include href="hostile.xml"/>{body}</TEI>'
        )
        report = validate_paths([assembled, hostile])
    assert asked == []
    assert not [f for f in report.findings if f.file == str(assembled)]
    mine = [f.message for f in report.findings if f.file == str(hostile)]
    assert any("outside the project" in m for m in mine)
    assert any("only files in the project" in m for m in mine)
    assert any("includes itself" in m for m in mine)
    assert not any("TOP-SECRET" in m or "root:" in m for m in mine)


# property-based fuzzing

NAMES = ["TEI", "teiHeader", "text", "body", "p", "div", "hi", "note", "pb", "persName", "x"]


@st.composite
def xml_trees(draw: st.DrawFn) -> bytes:
    """Arbitrary TEI-ish trees: known and unknown elements, attributes, text, PIs."""

    def element(depth: int) -> etree._Element:
        node = etree.Element(f"{{{TEI_NS}}}{draw(st.sampled_from(NAMES))}")
        for name in draw(
            st.lists(st.sampled_from(["n", "when", "xml:id", "rend", "ref"]), max_size=3)
        ):
            value = draw(
                st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8)
            )
            key = "{http://www.w3.org/XML/1998/namespace}id" if name == "xml:id" else name
            node.set(key, value)
        node.text = draw(
            st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=10)
        )
        if depth < 4:
            for _ in range(draw(st.integers(0, 3))):
                node.append(element(depth + 1))
        return node

    root = element(0)
    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data


def _check_batch(folder: Path, documents: list[bytes], address: str) -> None:
    files = []
    for index, data in enumerate(documents):
        files.append(folder / f"f{index}.xml")
        files[-1].write_bytes(data)
    good = folder / "zz-good.xml"
    good.write_text(tei())
    files.append(good)
    report = validate_paths(files, jobs=1, reuse=False)
    names = {str(f) for f in files}
    lines = report.lines()
    assert lines[-1].startswith(f"{len(files)} files checked")
    for finding in report.findings:
        assert finding.file in names
        assert finding.rule != "internal", finding.message
    for line in lines[:-1]:
        assert "\n" not in line and line.split(":", 1)[0] in names
    assert not [f for f in report.findings if f.file == str(good)]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.binary(max_size=300), min_size=1, max_size=4))
def test_fuzz_arbitrary_bytes(tmp_path: Path, documents: list[bytes]) -> None:
    with recording_server() as (address, asked):
        prefixed = [
            data if i % 2 else b"<?xml-model href='" + address.encode() + b"/s.rng'?>" + data
            for i, data in enumerate(documents)
        ]
        _check_batch(tmp_path, prefixed, address)
    assert asked == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(xml_trees(), min_size=1, max_size=4))
def test_fuzz_arbitrary_xml_trees(tmp_path: Path, documents: list[bytes]) -> None:
    with recording_server() as (address, asked):
        _check_batch(tmp_path, documents, address)
    assert asked == []


def test_fuzzed_files_through_the_cli(tmp_path: Path) -> None:
    """The same promises from the command line, in every format: exit code, no traceback."""
    files = []
    for index, data in enumerate([b"", b"\x00\xff", b"<TEI", b"<a>&undefined;</a>", b"<?xml?>"]):
        files.append(tmp_path / f"f{index}.xml")
        files[-1].write_bytes(data)
    done = teitools(*map(str, files))
    assert_promises(done, files)
    for fmt in ("json", "junit", "github", "sarif"):
        other = teitools("--format", fmt, *map(str, files))
        assert other.returncode == 1 and "Traceback" not in other.stderr

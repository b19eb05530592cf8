"""TEI's own Schematron constraints checked in Python (validate/tei_rules.py) find exactly what
Saxon finds with the whole of tei_all.sch: the same rule, message, severity, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from teitools.validate import saxon, schematron, tei_rules, validate_paths
from teitools.validate.checker import _text_for_engines
from teitools.validate.findings import Finding
from teitools.validate.parsing import parse_bytes

from conftest import SAMPLES

# Every pattern checked here fires at least once, next to near misses that must not fire;
# start tags over several lines, after an astral character, a CDATA section and a comment
# holding markup, carriage returns: the positions Saxon gives them.
FIRING = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:x="urn:other"><text><body><div>\r
 <seg generatedBy="human">a</seg><post><seg generatedBy="x">b</seg></post>
 <date when="2000" from="1999" notBefore="1999" notAfter="2001" to="2001">c</date>
 <date when="2000">d</date> 😀 <tei:classRef key="k" source="a  b"/><elementRef key="k"
   source=" a "/> <ref targetLang="en">e</ref><schemaSpec ident="s" targetLang="en"/>
 <rendition schemeVersion="1" scheme="free"/><rendition schemeVersion="1"/>
 <rendition schemeVersion="1" scheme="css"/><seg subtype="x">f</seg><seg type="t" subtype="x"/>
 <date calendar="#g"> <!-- x --> </date><date calendar="#g"><hi>g</hi></date>
 <p>h<p>i</p><note><p>j</p></note><x:p><p>k</p></x:p></p>
 <l>l<p>m</p><note><p>n</p></note><figure><p>o</p></figure></l>
 <desc type="deprecationInfo">p</desc><desc type="other">q</desc>
 <ptr target="#a" cRef="r"/><ref target="#a" cRef="s">t</ref><ref target="#a">u</ref>
 <list type="gloss"><item>v</item></list><list type="gloss"><label>w</label><item/></list>
 <relatedItem target="#a"><bibl/></relatedItem><relatedItem/><relatedItem target="#a"/>
 <l>y<l>z</l></l><l>aa<note><l>bb</l></note><l>bb</l></l>
 <lg><head>cc</head></lg><l><lg><l>dd</l></lg></l><lg><gap/></lg>
 <quotation/><quotation marks="none"/>
 <citeStructure match="x" use="@n"/><citeStructure match="/x" use="@n"><citeStructure
   match="/y" use="@n"/><citeStructure match="y" use="@n"/></citeStructure>
 <l><div/></l><p><div/></p><ab><floatingText><body><div/></body></floatingText></ab>
 <shift/><shift new="normal"/><s><s>ee</s></s>
 <span from="#a" target="#b" to="#c #d"/><span to="#a"/><span from="#a" to="#b"/>
 <msDesc><msIdentifier/><physDesc/><physDesc/><physDesc/><history/><tei:history/></msDesc>
 <msIdentifier><idno xmlns="">ff</idno></msIdentifier><msIdentifier><idno>gg</idno></msIdentifier>
 <catchwords/><secFol/><signatures/><msDesc><msIdentifier><repository>hh</repository>
 </msIdentifier><physDesc><objectDesc><supportDesc><collation><catchwords/><signatures/>
 </collation></supportDesc></objectDesc></physDesc></msDesc>
 <dimensions><width/><width/><height/><height/><depth/><depth/></dimensions><dimensions><width/></dimensions>
 <facsimile><surface><zone>ii</zone><zone><line> </line><!-- jj -->kk</zone></surface></facsimile>
 <zone>ll</zone>
 <addSpan/><addSpan spanTo="#a"/><damageSpan/><delSpan/>
 <subst><add>mm</add></subst><subst><add>nn</add><surplus>oo</surplus></subst>
 <rdgGrp><lem/><lem/></rdgGrp><rdgGrp><lem/></rdgGrp>
 <variantEncoding location="external" method="parallel-segmentation"/>
 <relation/><relation name="x" active="#a" mutual="#b"/><relation ref="#x" passive="#a"/>
 <link target="#a"/><link target="#a  #b"/><join target=" #a "/>
 <l><ab>pp</ab><note><ab>qq</ab></note></l>
 <![CDATA[ <relation/> ]]><!-- <relation/> --><relation a=">"

   /></div></body></text></TEI>
"""

# The patterns Saxon keeps, each made to fire: a document holding them goes to Saxon too.
REST = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div>
 <elementSpec ident="e" mode="delete"><desc/></elementSpec>
 <seg validUntil="2001-01-01" ident="v">a</seg><addSpan spanTo="#nowhere"/>
 <path points="1,1 2,2 1,1"/><ruby><rb>b</rb><rt from="#a">c</rt></ruby>
 <dataRef name="x" restriction="y"><dataFacet name="z" value="1"/></dataRef>
 <relation/>
</div></body></text></TEI>
"""


def _saxon(text: str, path: Path) -> list[Finding]:
    """What Saxon finds with the whole of tei_all.sch."""
    whole = schematron.rules(schematron.TEI_SCH, tei_rules.LABEL, tei_rules.LAYER)
    assert isinstance(whole, schematron.Rules)
    return sorted(whole.check(saxon.parse(text), path))


def _ours(data: bytes, path: Path) -> tuple[list[Finding], bool]:
    tree, problems = parse_bytes(path, data)
    assert tree is not None and not problems
    text = _text_for_engines(data, tree)
    found, rest = tei_rules.check(tree, path, lambda: text, schematron.TEI_SCH)
    if rest:
        found += schematron.tei_rest().check(saxon.parse(text), path)
    return sorted(found), rest


def test_every_tei_pattern_checked_in_python_finds_what_saxon_finds() -> None:
    path = Path("firing.xml")
    data = FIRING.encode()
    ours, _ = _ours(data, path)
    assert ours == _saxon(_text_for_engines(data, parse_bytes(path, data)[0]), path)
    assert set(tei_rules.TESTS) <= {f.rule for f in ours}


def test_a_document_that_the_patterns_left_to_saxon_match_is_checked_by_saxon_too() -> None:
    path = Path("rest.xml")
    ours, rest = _ours(REST.encode(), path)
    assert rest
    assert ours == _saxon(REST, path)
    assert {f.rule for f in ours} - set(tei_rules.TESTS)  # findings of Saxon's part


@pytest.mark.parametrize(
    "context, elements, attributes",
    [
        ("tei:rt/@target", {"rt"}, set()),
        ("tei:*[ @minOccurs and not( @maxOccurs ) ]", set(), {"minOccurs"}),
        ("(tei:a | tei:b)/tei:listRef/tei:ptr", {"listRef", "ptr"}, set()),
        ("(tei:constraintSpec|tei:constraintDecl)[ @scheme eq 'x']", {"constraintDecl"}, set()),
        ("/*[ count( //tei:constraintDecl ) gt 1 ]", {"constraintDecl"}, set()),
    ],
)
def test_saxon_runs_for_a_document_holding_what_a_context_needs(
    context: str, elements: set[str], attributes: set[str]
) -> None:
    (required,) = tei_rules._required(context)
    assert required.met(elements, attributes)
    assert not required.met({"p", "div", "ptr"}, {"scheme", "type"})


def test_tei_rules_give_the_same_findings_without_saxon_on_real_projects() -> None:
    files = sorted(SAMPLES.glob("**/*.xml"))
    assert len(files) > 250
    opened = 0
    for path in files:
        data = path.read_bytes()
        tree, _ = parse_bytes(path, data)
        if tree is None or b"XInclude" in data:
            continue
        ours, rest = _ours(data, path)
        opened += rest
        assert ours == _saxon(_text_for_engines(data, tree), path), path
    assert opened < len(files) // 10  # Saxon is spared for most documents


def test_an_element_of_another_namespace_is_no_tei_element(tmp_path: Path) -> None:
    tei = tmp_path / "other.xml"
    tei.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><x:relation xmlns:x="urn:x"/>'
        "<relation/></body></text></TEI>"
    )
    found = [f for f in validate_paths([tei], reuse=False).findings if f.layer == "tei-schematron"]
    assert [(f.line, f.column, f.rule[-7:]) for f in found] == [(1, 94, "rule-52")]


TEI_OPEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'


@pytest.mark.parametrize(
    "data",
    [
        ("\ufeff" + TEI_OPEN + "<relation/></body></text></TEI>").encode(),
        (
            '<?xml version="1.0" encoding="UTF-16"?>\n'
            + TEI_OPEN
            + "<relation/>😀<relation/></body></text></TEI>"
        ).encode("utf-16"),
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        + TEI_OPEN.encode()
        + b"\xe9<relation/></body></text></TEI>",
        b'<!DOCTYPE TEI [<!ENTITY x "<hi>a</hi>">]>\n'
        + TEI_OPEN.encode()
        + b"&x;<relation/></body></text></TEI>",
    ],
    ids=["bom", "utf-16", "latin-1", "entities"],
)
def test_positions_are_saxons_in_any_encoding_and_with_entities(data: bytes) -> None:
    path = Path("encoded.xml")
    ours, _ = _ours(data, path)
    tree, _ = parse_bytes(path, data)
    assert tree is not None
    assert ours == _saxon(_text_for_engines(data, tree), path)
    assert [f.rule[-7:] for f in ours][:1] == ["rule-52"]


def test_a_file_with_a_byte_order_mark_is_read_by_saxon_too(tmp_path: Path) -> None:
    letter = tmp_path / "bom.xml"
    letter.write_bytes(("\ufeff" + TEI_OPEN + "<p/></body></text></TEI>").encode())
    found = validate_paths([letter], reuse=False, profile="letter").findings
    assert [f.rule for f in found if f.layer == "profile"] == ["profile.empty-p"]
    assert not [f for f in found if f.rule == "saxon"]

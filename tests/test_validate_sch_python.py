"""A project's XPath 2 Schematron checked in Python (validate/sch_python.py, xpath_compile.py)
finds exactly what Saxon finds with the stylesheet sch_xslt makes of it: the same node, line,
column, message, severity, rule id and order; expressions evaluate as elementpath's own
XPath 2 does; what the compiler cannot do exactly stays with Saxon."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import elementpath
import pytest
from elementpath.datatypes import AbstractDateTime
from lxml import etree

from teitools.validate import saxon, sch_python, sch_xslt, schematron
from teitools.validate.checker import _text_for_engines
from teitools.validate.findings import Finding
from teitools.validate.parsing import parse_bytes
from teitools.validate.xpath_compile import CODEPOINTS, Compiler, Env, State, Unsupported, risky
from teitools.validate.xpath_nodes import Attr, Doc, Text, XPathError

from conftest import REPO, SAMPLES

SCHNITZLER = SAMPLES / "projects" / "schnitzler"
SCHNITZLER_SCH = SCHNITZLER / "meta" / "schnitzler-briefe-schematron.sch"
TEI = "http://www.tei-c.org/ns/1.0"

# A schema using every kind of thing the compiler supports: lets at three levels, abstract
# rules and patterns, several rules to a pattern (the first that matches wins), positional
# and rooted patterns, text() contexts, messages with sch:name and sch:value-of of every type,
# rule ids in brackets, warnings, and tests that raise dynamic errors (which report nothing).
SCHEMA = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
<sch:ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>
<sch:let name="items" value="count(//t:item)"/>
<sch:pattern id="abstract" abstract="true">
  <sch:rule context="$element">
    <sch:assert test="$test">abstract: <sch:name/></sch:assert>
  </sch:rule>
</sch:pattern>
<sch:pattern is-a="abstract" id="from-abstract">
  <sch:param name="element" value="t:list"/><sch:param name="test" value="t:item[2]"/>
</sch:pattern>
<sch:pattern id="first-match">
  <sch:let name="limit" value="2"/>
  <sch:rule context="t:item[1]">
    <sch:let name="n" value="xs:integer(@n)"/>
    <sch:let name="twice" value="$n * 2"/>
    <sch:assert test="$twice lt $limit">first item
      <sch:value-of select="$n, $twice, $items"/></sch:assert>
    <sch:report test="true()" role="warning">[own.rule] first, of
      <sch:value-of select="count(..)"/></sch:report>
  </sch:rule>
  <sch:rule context="t:list/t:item[last()]">
    <sch:let name="unused" value="xs:integer(concat('z', @n))"/>
    <sch:report test="@n = 1">last item n=1 (a failed cast reports nothing)</sch:report>
    <sch:report test="1 = 1">last item</sch:report>
  </sch:rule>
  <sch:rule context="t:item[position() gt 1]">
    <sch:extends rule="named"/>
  </sch:rule>
  <sch:rule abstract="true" id="named">
    <sch:report test="following-sibling::t:item">middle <sch:name path=".."/></sch:report>
  </sch:rule>
</sch:pattern>
<sch:pattern id="paths">
  <sch:rule context="/t:TEI/t:text | t:div//t:p[@rend]">
    <sch:report test="self::t:text">rooted text</sch:report>
    <sch:report test="self::t:p">p under a div
      <sch:value-of select="@rend, count(ancestor::*)"/></sch:report>
  </sch:rule>
  <sch:rule context="*:note | t:*[@type = 'odd']">
    <sch:report test="true()"><sch:name/>
      <sch:value-of select="local-name(), name(..)"/></sch:report>
  </sch:rule>
</sch:pattern>
<sch:pattern id="texts">
  <sch:rule context="text()[ancestor::t:body and not(parent::t:note)]">
    <sch:assert test="not(matches(., '[%~]'))">percent or tilde</sch:assert>
    <sch:report test="matches(., '\\s$') and not(matches(., '^\\s+$'))">ends with a space
    </sch:report>
  </sch:rule>
  <sch:rule context="text()[normalize-space(.) = 'x']">
    <sch:report test="true()">just x <sch:value-of select="string-length(.)"/></sch:report>
  </sch:rule>
</sch:pattern>
<sch:pattern id="broken-let">
  <sch:rule context="t:values">
    <sch:let name="broken" value="xs:integer(t:v[1]/@d)"/>
    <sch:let name="fine" value="1"/>
    <sch:report test="$fine = 1">a let of one item that fails: the whole rule nothing</sch:report>
    <sch:report test="$broken = 1">nothing</sch:report>
  </sch:rule>
</sch:pattern>
<sch:pattern id="values">
  <sch:rule context="t:values">
    <sch:report test="true()">numbers <sch:value-of select="1 div 3, -2 div 3, 3 div 524288,
      1.25 div 0.5, 1e7, 0.5e0, -0.0e0, 1 idiv 2,
      7 mod 3, -7 mod 3, 2.50, 1e-7, 123456.7e0, xs:double('INF'), number('x'), sum((1, 2.5)),
      xs:decimal('1.50'), 1 + 1.5e0"/></sch:report>
    <sch:report test="true()">strings <sch:value-of select="concat('a', 1, true()),
      string-join(tokenize('a,b,,c', ','), '|'), replace('abc', 'b', '[$0]'),
      replace('aXbx', 'x', '-', 'i'), translate('abc', 'ab', 'A'), upper-case('straße'),
      lower-case('ÄB'), substring('12345', 1.5, 2.6), substring-before('a=b', '='),
      substring-after('a=b', '='), normalize-space('  a  b '), xs:date(' 2000-01-02 '),
      distinct-values(('a', 'b', 'a', 1, 1.0)), for $k in 1 to 3 return $k * 2,
      if (starts-with('abc', 'a') and ends-with('abc', 'c') and contains('abc', 'b'))
      then 'y' else 'n'"/></sch:report>
    <sch:report test="exists(t:v) and empty(t:none) and boolean(t:v) and not(false())">nodes
      <sch:value-of select="(t:v[2] | t:v[1])/@n, (t:v[1] &lt;&lt; t:v[2]), (t:v[2] >> t:v[1]),
        (t:v[1] is t:v[1]), count(distinct-values(t:v/@n)), sum(t:v/@n),
        some $v in t:v satisfies $v/@n = 3,
        every $v in t:v satisfies $v/@n > 0, t:v[@n = '2']/following-sibling::*[1]/@n,
        t:v[3]/preceding-sibling::t:v[1]/@n, string(t:v[1]), number(t:v[1]/@n) + 1"/></sch:report>
    <sch:report test="contains(t:v, '1')">two v where one is wanted: nothing</sch:report>
    <sch:report test="t:v/@n = 2 and t:v/@n eq '1'">value comparison of two: nothing</sch:report>
    <sch:report test="xs:date('2000-01-01') lt xs:date(t:v[1]/@d)">after 2000</sch:report>
    <sch:report test="t:v[1]/@d + 1 = 1">arithmetic on a date: nothing</sch:report>
    <sch:report test="true()">message that fails
      <sch:value-of select="xs:integer(t:v[1]/@d)"/></sch:report>
  </sch:rule>
</sch:pattern>
</sch:schema>
"""

DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<!-- before -->
<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:o="urn:other"><text><front> x </front><body>\r
<list><item n="5">a</item><item n="2">b</item><item n="1">c</item></list>
<list><item n="0">only</item></list>
<list><item n="x">d</item><item n="x">e</item></list>
<div><ab><p rend="r">f 100% </p></ab><p>g~<note type="x">h % </note> </p>😀 <p rend="s"
   >x</p> <o:note>i</o:note><hi type="odd">j\u00a0</hi><![CDATA[ k ]]><!-- c -->l<?pi m?> </div>
<values><v n="1" d="2001-02-03">1</v><v n="2">2</v><v n="3"/></values>
</body></text></TEI>
"""


def _engines(schema: Path) -> tuple[sch_python.PythonRules, schematron.Rules]:
    python = schematron.rules(schema, schema.name, "schematron", python=True)
    saxon_rules = schematron.rules(schema, schema.name, "schematron")
    assert isinstance(python, sch_python.PythonRules), python
    assert isinstance(saxon_rules, schematron.Rules)
    return python, saxon_rules


def _both(
    python: sch_python.PythonRules, saxon_rules: schematron.Rules, data: bytes, path: Path
) -> tuple[list[Finding], list[Finding]]:
    tree, problems = parse_bytes(path, data)
    assert tree is not None and not problems
    text = _text_for_engines(data, tree)
    return python.check(tree, path, lambda: text), saxon_rules.check(saxon.parse(text), path)


def test_every_check_kind_finds_what_saxon_finds(tmp_path: Path) -> None:
    schema = tmp_path / "every.sch"
    schema.write_text(SCHEMA)
    ours, theirs = _both(*_engines(schema), DOCUMENT.encode(), tmp_path / "doc.xml")
    assert ours == theirs  # in order, not only as sets
    messages = {f.message.split(" ")[0] for f in ours}
    assert {"abstract:", "first", "last", "middle", "rooted", "p", "note", "hi", "percent"} <= (
        messages
    )
    assert {"ends", "just", "numbers", "strings", "nodes", "after"} <= messages
    assert not {"two", "a", "nothing", "value", "arithmetic", "message"} & messages  # errors
    assert any(f.rule == "own.rule" and f.severity == "warning" for f in ours)


def _mutate(tree: etree._ElementTree, rng: random.Random) -> None:
    """One random change of the kind an editor makes: an attribute dropped or changed, text
    with a space, a percent sign or a no-break space at its end, an element dropped (its
    content kept) or doubled (without its ids)."""
    elements = [e for e in tree.getroot().iter() if isinstance(e.tag, str)]
    element = rng.choice(elements[1:])
    choice = rng.randrange(6)
    if choice == 0 and element.attrib:
        del element.attrib[rng.choice(list(element.attrib))]
    elif choice == 1 and element.attrib:
        name = rng.choice(list(element.attrib))
        element.set(
            name, rng.choice(["", "1", "2", "x", "#pmb", "#pmb12 #pmb3", "1862-05-14", "  7 "])
        )
    elif choice == 2:
        element.text = (element.text or "") + rng.choice([" ", "%", "\u00a0", "\n  \n  ", "~x"])
    elif choice == 3:
        element.tail = rng.choice([" ", "", "a ", None])
    elif choice == 4 and element.getparent() is not None:
        parent, index = element.getparent(), element.getparent().index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + 1 + offset, child)
        parent.remove(element)
    elif element.getparent() is not None:
        twin = etree.fromstring(etree.tostring(element, with_tail=False))
        for node in twin.iter():
            node.attrib.pop("{http://www.w3.org/XML/1998/namespace}id", None)
        element.addnext(twin)


def test_random_changes_to_real_letters_find_what_saxon_finds() -> None:
    python, saxon_rules = _engines(SCHNITZLER_SCH)
    rng = random.Random(23)
    letters = sorted((SCHNITZLER / "editions").glob("*.xml"))[::15]
    compared = fired = 0
    for letter in letters:
        original = letter.read_bytes()
        for _ in range(8):
            tree = etree.fromstring(original).getroottree()
            for _ in range(rng.randrange(1, 6)):
                _mutate(tree, rng)
            data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
            ours, theirs = _both(python, saxon_rules, data, letter)
            assert ours == theirs, letter
            compared += 1
            fired += len(ours)
    assert compared >= 40 and fired > compared  # the changes make the rules fire


def test_the_real_letters_find_what_saxon_finds() -> None:
    python, saxon_rules = _engines(SCHNITZLER_SCH)
    for letter in sorted((SCHNITZLER / "editions").glob("*.xml")):
        ours, theirs = _both(python, saxon_rules, letter.read_bytes(), letter)
        assert ours == theirs, letter


def _ours(expression: str, tree: etree._ElementTree, item: Any) -> list[Any]:
    compiled = Compiler({"t": TEI}).compile(expression)
    return compiled(item, 1, 1, Env({}, State(tree.getroot())))


def _normal(items: list[Any]) -> list[Any]:
    """Results as comparable values: nodes by identity or string value, dates as text."""
    found = []
    for item in items:
        if isinstance(item, Attr | Text):
            found.append(item.value)
        elif isinstance(item, etree._Element):
            found.append(("element", id(item)))
        elif isinstance(item, AbstractDateTime):
            found.append(str(item))
        elif isinstance(item, float) and item != item:
            found.append("NaN")
        elif isinstance(item, str):
            found.append(str(item))
        else:
            found.append(item)
    return found


CONSTRUCTS = """\
t:p | child::t:p | descendant::t:hi | descendant-or-self::t:list | self::t:div | t:p/parent::*
t:p/t:hi/ancestor::* | t:p/t:hi/ancestor-or-self::t:hi | t:p[1]/following-sibling::t:p
t:p[last()]/preceding-sibling::* | @n | @*:n | t:*[@n] | *:p | text() | node() | t:p/text()[1]
t:p[2] | t:p[position() > 1] | t:p[@n = '2'][1] | (t:p)[last()] | t:p[last() - 1] | .//t:hi[1]
(.//t:hi)[1] | (.//text()[normalize-space()])[1] | //t:item[@n > 1] | /t:TEI//t:list/t:item
t:p/@n = 1 | t:p/@n != 1 | t:p/@n > '1' | t:p[1]/@n eq '1' | t:p[1]/@n lt t:p[2]/@n
'a' < 'b' | 1 = 1.0 | 0.1 = 0.1e0 | xs:date('2000-01-01') ge xs:date('1999-12-31')
t:p and t:none | t:none or t:p | if (t:p) then 1 else 2 | every $p in t:p satisfies $p/@n
some $p in t:p satisfies $p/@n = 3 | 1 to 4 | (t:p[1] << t:p[2], t:p[2] >> t:p[1], t:p[1] is t:p[1])
1 + 2 * 3 - 4 | 7 div 2 | 7 idiv 2 | -7 mod 3 | 1.5 + 1 | 2e0 * 3 | -t:p[1]/@n | t:p[1]/@n + 1
for $i in (1, 2) return $i * 10 | not(t:p) | count(t:p) | exists(t:none) | empty(t:none)
string(t:p[1]) | normalize-space(t:p[2]) | string-length(t:p[1]) | contains(t:p[1], 'o')
starts-with(t:p[1], 'O') | ends-with('abc', 'bc') | substring-before('a-b', '-')
substring-after('a-b', '-') | matches(t:p[1], '^o', 'i') | replace('a.b.c', '\\.', '/')
tokenize(' a  b ', '\\s+') | distinct-values(t:p/@n) | string-join(t:p/@n, ',') | name(t:p[1])
local-name(t:p[1]) | number(t:p[1]/@n) | number('x') | position() | last() | true() | false()
boolean(t:p) | sum(t:p/@n) | lower-case('ABC') | upper-case('abc') | concat('a', 'b', 1)
translate('abc', 'abc', 'AB') | xs:integer(' 12 ') | xs:date('2000-01-01') | xs:string(1.0)
string(-0.5) | substring('abcde', 2, 2) | t:p[1]/text()[1]/following-sibling::node()
t:p[1]/text()[2]/preceding-sibling::node() | t:p[1]/t:hi[2]/preceding-sibling::text()""".split("\n")

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><list><item n="1"/><item n="3"/></list>
<div><p n="1">One <hi>h1</hi> x<hi>h2</hi></p><p n="2"> two </p><p n="3">three</p></div></TEI>"""


@pytest.mark.parametrize(
    "expression", [e.strip() for line in CONSTRUCTS for e in line.split(" | ")]
)
def test_each_construct_evaluates_as_elementpath_does(expression: str) -> None:
    tree = etree.fromstring(DOC).getroottree()
    div = tree.getroot()[1]
    ours = _ours(expression, tree, div)
    parser = elementpath.XPath2Parser(namespaces={"t": TEI}, default_collation=CODEPOINTS)
    context = elementpath.XPathContext(tree, item=div)
    theirs = parser.parse(expression).get_results(context)
    theirs = theirs if isinstance(theirs, list) else [theirs]
    assert _normal(ours) == _normal(theirs)


# effective boolean values with shortcuts: one node by position, tested without a list
BOOLEANS = """node()[1][self::text()] | node()[last()][self::text()] | node()[2][self::*]
node()[last()][self::*] | matches(node()[1], '^\\s') | matches(node()[last()], '\\s$')
not(node()[1][matches(., '^\\s+$')] and node()[2][self::*]) | matches(t:hi[2], '2$')
matches(*[1], 'h') | t:hi[1][@n] | *[3][self::t:hi] | text()[2] | ancestor::t:div[1]
matches(node()[3], '^$') | t:p[1][@n = '1'] | node()[last()][matches(., '^\\s+$')]
ancestor::t:p or ancestor::t:hi | ancestor::t:x or ancestor::t:div or ancestor::t:TEI""".split("\n")
WS_DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><div><p> <hi>a</hi> </p><p> b <hi n="1"/></p>
<p>c</p><p><hi>x</hi>y<hi>h2</hi><hi/></p><p/><p>  </p></div></TEI>"""


@pytest.mark.parametrize("expression", [e.strip() for line in BOOLEANS for e in line.split(" | ")])
def test_a_boolean_shortcut_is_the_effective_boolean_value_elementpath_gives(
    expression: str,
) -> None:
    tree = etree.fromstring(WS_DOC).getroottree()
    compiler = Compiler({"t": TEI})
    test = compiler.boolean(compiler.parse(expression), frozenset())
    parser = elementpath.XPath2Parser(namespaces={"t": TEI}, default_collation=CODEPOINTS)
    token = parser.parse(f"boolean({expression})")
    env = Env({}, State(tree.getroot()))
    for element in [*tree.getroot().iter()] * 3:  # the document asked often: ancestors kept
        ours = test(element, 1, 1, env)
        theirs = token.get_results(elementpath.XPathContext(tree, item=element))
        assert ours == theirs, element


@pytest.mark.parametrize(
    "expression",
    [
        "string(1e7)",
        "string(1e6)",
        "string(999999.5e0)",
        "string(0.000001e0)",
        "string(-1.5e-7)",
        "string(123456789e0)",
        "string(1.0e0 div 3)",
        "string(1 div 3)",
        "string(-2 div 3)",
        "string(3 div 524288)",
        "string(-0.0e0)",
        "string(number('x'))",
    ],
)
def test_a_number_is_written_as_saxon_writes_it(expression: str) -> None:
    """Where elementpath writes numbers otherwise (1E+07 for 1.0E7, 28 places of a decimal
    division for Saxon's 18), Saxon is the oracle."""
    tree = etree.fromstring(DOC).getroottree()
    (ours,) = _ours(expression, tree, tree.getroot())
    theirs = saxon.processor().new_xpath_processor().evaluate(expression)
    assert ours == str(theirs)


@pytest.mark.parametrize(
    "expression",
    [
        "contains(t:p, 'o')",  # three items where one is wanted
        "xs:integer(concat(t:p[1]/@n, '.5'))",  # a cast that fails
        "t:p/@n = 'a' or t:p[1]/@n + t:p[1]",  # 'One h1 xh2' is no number
        "t:p[1]/@n = xs:date('2000-01-01')",  # '1' is no date
        "t:p[1]/@n eq t:p/@n",
        "t:p[1] << t:p",
        "xs:date(concat('2000-13-0', t:p[1]/@n))",
        "string(t:p)",
        "1 idiv (count(t:p) - 3)",
    ],
)
def test_a_dynamic_error_is_raised_as_elementpath_raises_it(expression: str) -> None:
    tree = etree.fromstring(DOC).getroottree()
    div = tree.getroot()[1]
    with pytest.raises(XPathError):
        _ours(expression, tree, div)
    parser = elementpath.XPath2Parser(namespaces={"t": TEI}, default_collation=CODEPOINTS)
    with pytest.raises(elementpath.ElementPathError):
        parser.parse(expression).get_results(elementpath.XPathContext(tree, item=div))


@pytest.mark.parametrize(
    "expression",
    [
        "current()",
        "key('k', 'v')",
        "t:p intersect t:p",
        "t:p instance of element()",
        "matches(., $pattern)",
        "doc('x.xml')",
        "preceding::t:p",
        "following::t:p",
    ],
)
def test_what_the_compiler_does_not_support_is_refused(expression: str) -> None:
    with pytest.raises(Unsupported):
        Compiler({"t": TEI}).compile(expression, ["pattern"])


def test_a_pattern_with_a_rule_the_compiler_refuses_stays_with_saxon(tmp_path: Path) -> None:
    schema = tmp_path / "rest.sch"
    schema.write_text(
        '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<sch:pattern><sch:rule context="p"><sch:assert test="matches(., \'(a+)+$\')">x'
        "</sch:assert></sch:rule></sch:pattern></sch:schema>"
    )
    assert isinstance(schematron.rules(schema, "rest", "schematron", python=True), schematron.Rules)


@pytest.mark.parametrize(
    "pattern, backtracks",
    [
        (r"(a+)+$", True),
        (r"(a|aa)*b", True),
        (r"^(\w+\s?)*$", True),
        (r"(\d\d+)*", True),
        (r"(a*)*", True),
        (r"(x)\1", True),
        (r"^#pmb\d+( #pmb\d+)*$", False),
        (r"^((K_)(L\d{5}-\d+))$", False),
        (r"(\.\d+)+", False),
        (r"[%~]", False),
    ],
)
def test_a_regular_expression_that_could_backtrack_exponentially_is_left_to_saxon(
    pattern: str, backtracks: bool
) -> None:
    assert risky(pattern) is backtracks


def test_the_projects_regular_expressions_stay_fast_on_hostile_text() -> None:
    """Those the compiler takes are at worst polynomial: 200,000 characters made to make
    each backtrack take well under a second."""
    root = sch_xslt.parse_schema(SCHNITZLER_SCH)
    patterns = {
        node.get("test", "") for node in root.iter() if "matches(" in (node.get("test") or "")
    }
    compiler = Compiler({"tei": TEI})
    hostile = ["a" * 200_000, " " * 200_000, "\n " * 100_000, "#pmb1 " * 30_000, "1" * 200_000]
    for text in hostile:
        tree = etree.fromstring("<TEI xmlns='http://www.tei-c.org/ns/1.0'><p/></TEI>").getroottree()
        tree.getroot()[0].text = text
        for test in patterns:
            expression = compiler.compile(test, ["own-type", "anchortype", "anchorxmlid"])
            start = time.process_time()
            with contextlib.suppress(XPathError):  # errors do not matter here, time does
                expression(Text(tree.getroot()[0], False), 1, 1, Env({}, State(tree.getroot())))
            assert time.process_time() - start < 1.0, (test, text[:10])


def test_a_project_schematron_runs_without_starting_saxon(tmp_path: Path) -> None:
    """The whole check of a Schnitzler letter, declaring the project's Schematron, in a fresh
    process: the same findings as with Saxon (from the Rules), and Saxon never started."""
    letter = sorted((SCHNITZLER / "editions").glob("*.xml"))[0]
    script = (
        "import sys; from pathlib import Path\n"
        "from teitools.validate import saxon\n"
        "from teitools.validate.checker import Checker, Options\n"
        f"options = Options(project=Path({str(SCHNITZLER)!r}), schematron_engine='python')\n"
        f"found = Checker(options).check(Path({str(letter)!r}))\n"
        "print(sum(f.layer == 'schematron' for f in found.findings), saxon.started())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    assert out[1] == "False"
    python, saxon_rules = _engines(SCHNITZLER_SCH)
    _, theirs = _both(python, saxon_rules, letter.read_bytes(), letter)
    assert int(out[0]) == len(theirs)


def test_document_order_of_every_kind_of_node() -> None:
    tree = etree.fromstring('<a x="1" y="2">t0<b>t1<c/>t2</b>t3<!--c-->t4<d/></a>').getroottree()
    root = tree.getroot()
    ordered = _ours("(/, //node(), //@*)", tree, root)
    shuffled = ordered[:]
    random.Random(1).shuffle(shuffled)
    order = State(root).order
    assert order.sort(shuffled) == [
        ordered[0],
        root,
        Attr(root, "x"),
        Attr(root, "y"),
        *ordered[2:-2],
    ]
    assert isinstance(ordered[0], Doc)


def test_validate_reports_the_same_with_either_engine_from_the_cli(tmp_path: Path) -> None:
    letters = [str(p) for p in sorted((SCHNITZLER / "editions").glob("*.xml"))[::9]]
    reports = []
    for engine in ("saxon", "python"):
        command = [sys.executable, "-m", "teitools", "validate", "--format", "json"]
        command += ["--no-cache", "--jobs", "1", "--schematron-engine", engine, *letters]
        done = subprocess.run(command, capture_output=True, cwd=tmp_path, check=False)
        assert done.returncode == 1, done.stderr  # the letters have faults
        reports.append(done.stdout)
    assert reports[0] == reports[1]
    assert b'"layer": "schematron"' in reports[0]

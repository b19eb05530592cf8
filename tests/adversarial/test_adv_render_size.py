"""A letter of many notes renders in linear time (issue 11, item 10).

Before, the stylesheets numbered each note with ``xsl:number level="any"``, which walks back
over the document for every note: a letter of 10,000 notes took 95 s to HTML and 414 s (1.1
GB) to PDF. Notes are now numbered once, in Python (``teitools.render.prepare``), and no
pattern makes libxslt look at an element's siblings (``tei:*[@tt:entry]`` did). Speed is
measured in ``bench/render_linear.py``; these tests check the stylesheets hold no such
construct, and that a letter of 20,000 notes (the old stylesheets: about 100 s of CPU time)
renders in a child limited to 20 s of CPU time, each note numbered in order.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from lxml import etree, html

from teitools.resources import XSLT

XSL = "{http://www.w3.org/1999/XSL/Transform}"


def test_the_stylesheets_hold_no_construct_that_walks_the_document_per_node() -> None:
    for sheet in sorted(XSLT.glob("*.xsl")):
        root = etree.parse(str(sheet)).getroot()
        assert not root.xpath("//xsl:number[@level='any']", namespaces={"xsl": XSL[1:-1]}), sheet
        for element in root.iter(etree.Element):
            for name in ("select", "test", "match", "use"):
                value = element.get(name) or ""
                assert not re.search(r"\b(preceding|following)(-sibling)?::", value), (sheet, value)
            match = element.get("match") or ""
            # a wildcard step with a predicate: libxslt tests it against every sibling
            assert not re.search(r"(^|[|/]\s*)(\w+:)?\*\[", match), (sheet, match)


CHILD = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
from teitools.render import transform
from teitools.resources import XSLT
sys.stdout.buffer.write(transform(Path(sys.argv[1]), XSLT / "letter-html.xsl"))
"""


def test_a_letter_of_twenty_thousand_notes_renders_within_a_bound(tmp_path: Path) -> None:
    paragraphs = "".join(
        f"<p>Paragraph <hi>{i}</hi> on <persName>X</persName> in <placeName>Y</placeName>"
        f"<note>Note {i}.</note> goes on.</p>"
        for i in range(20_000)
    )
    letter = tmp_path / "notes.xml"
    letter.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t'
        "</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/>"
        f"</sourceDesc></fileDesc></teiHeader><text><body><div>{paragraphs}</div></body>"
        "</text></TEI>",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(letter)], capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-500:]  # SIGXCPU: over the bound
    page = html.document_fromstring(done.stdout)
    marks = page.xpath("//a[@class='noteref']/sup/text()")
    assert marks == [str(n) for n in range(1, 20_001)]
    items = page.xpath("//section[@class='notes']/ol/li")
    assert len(items) == 20_000 and items[-1].text_content().startswith("Note 19999.")

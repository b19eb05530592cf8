"""The CMIF file written a record at a time, and checked as it is read back."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import sys
from pathlib import Path

from lxml import etree

from teitools.cmif import CmifHeader, cmif_file_problems, cmif_problems, to_cmif, write_cmif
from teitools.render.edition import Links

from conftest import ENCODED, TEI_NS

HEADER = CmifHeader("T", "E", "https://e.org/cmif.xml", "https://e.org/letters/", "2020", "P")
GEONAMES = ("https://www.geonames.org/2950159/",)


def _letters(tmp_path: Path) -> list[Path]:
    """The bundled letters, some in subfolders whose names order unlike their paths' text
    ('a b' before 'a-b' before 'a')."""
    letters = []
    for number, path in enumerate(sorted(ENCODED.glob("0*.xml"))):
        folder = tmp_path / ("a", "a-b", "a b", "")[number % 4]
        folder.mkdir(parents=True, exist_ok=True)
        letters.append(Path(shutil.copy(path, folder / path.name)))
    return letters


def test_the_file_is_to_cmifs_document_for_the_letters_in_any_order(tmp_path: Path) -> None:
    letters = [(p, Links(authorities={"x": GEONAMES})) for p in _letters(tmp_path / "in")]
    letters += letters[:2]  # a letter given twice is written twice, as before
    shuffled = random.Random(7).sample(letters, len(letters))
    out = tmp_path / "cmif.xml"
    problems, count = write_cmif(out, iter(shuffled), HEADER)
    assert out.read_bytes() == to_cmif(letters, HEADER)
    refs = etree.parse(str(out)).getroot().xpath("//t:correspDesc/@ref", namespaces=TEI_NS)
    assert [Path(ref).stem for ref in refs] == [p.stem for p, _ in sorted(letters)]
    assert (problems, count) == ([], len(letters))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmif.xml", "in"]  # no scratch left


def test_no_letters_make_a_file_with_the_header_alone(tmp_path: Path) -> None:
    out = tmp_path / "cmif.xml"
    assert write_cmif(out, iter([]), HEADER) == ([], 0)
    assert out.read_bytes() == to_cmif([], HEADER)


def _broken() -> etree._Element:
    letters = sorted(ENCODED.glob("0*.xml"))
    root = etree.fromstring(to_cmif([(p, Links()) for p in letters], HEADER))
    records = root.xpath("//t:correspDesc", namespaces=TEI_NS)
    action = records[0].find("t:correspAction", TEI_NS)
    records[0].remove(action)
    records[1].set("source", "#nowhere")
    records[2].set("source", "#later")
    etree.SubElement(records[3].find("t:correspAction", TEI_NS), f"{{{TEI_NS['t']}}}note")
    root.find(".//t:licence", TEI_NS).set("target", "https://example.org/")
    return root


def test_the_check_as_read_back_finds_what_the_whole_trees_check_finds() -> None:
    root = _broken()
    late = etree.SubElement(root.find(".//t:body", TEI_NS), f"{{{TEI_NS['t']}}}sourceDesc")
    bibl = etree.SubElement(late, f"{{{TEI_NS['t']}}}bibl", type="print")
    bibl.set("{http://www.w3.org/XML/1998/namespace}id", "later")  # after the records
    problems = cmif_problems(root)
    assert "missing the CC-BY 4.0 licence" in problems
    assert "correspDesc 2: @source does not point to a bibl" in problems
    assert not any(p.startswith("correspDesc 3: @source") for p in problems)
    assert "correspDesc 4: note is not CMIF" in problems
    assert cmif_file_problems(io.BytesIO(etree.tostring(root))) == (problems, 6)


def test_teitools_cmif_writes_the_letters_in_the_order_of_their_paths(tmp_path: Path) -> None:
    letters = _letters(tmp_path / "in")
    out = tmp_path / "cmif.xml"
    header = ["--title", "T", "--editor", "E", "--url", "https://e.org/", "--date", "2020"]
    result = subprocess.run(
        [sys.executable, "-m", "teitools", "cmif", str(tmp_path / "in"), "-o", str(out), *header],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {len(letters)} letters to {out}"
    refs = etree.parse(str(out)).getroot().xpath("//t:correspDesc/@ref", namespaces=TEI_NS)
    assert [Path(ref).stem for ref in refs] == [p.stem for p in sorted(letters)]
    assert sorted(letters) != sorted(letters, key=str)  # the folders order unlike their text


def test_teitools_cmif_in_the_letters_folder_does_not_read_its_own_file_again(
    tmp_path: Path,
) -> None:
    edition = Path(shutil.copytree(ENCODED, tmp_path / "encoded"))
    out = edition / "cmif.xml"
    header = ["--title", "T", "--editor", "E", "--url", "https://e.org/", "--date", "2020"]
    command = [sys.executable, "-m", "teitools", "cmif", str(edition), "-o", str(out), *header]
    first = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp_path)
    written = out.read_bytes()
    again = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    letters = [p for p in ENCODED.glob("*.xml") if p.name != "register.xml"]
    assert first.stdout == again.stdout == f"wrote {len(letters)} letters to {out}\n"
    assert out.read_bytes() == written

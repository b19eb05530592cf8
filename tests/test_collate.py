"""Versions of a letter collated (issue 16): found, typed, aligned, encoded, and corrected
from one another, on the bundled letters, on letters of other editions and on generated
version pairs."""

from __future__ import annotations

import dataclasses
import random
import shutil
from pathlib import Path

import pytest
from lxml import etree

from teitools.cli import main
from teitools.collate import collate_paths
from teitools.collate.annotate import strip
from teitools.collate.apparatus import collate
from teitools.collate.settings import default_settings
from teitools.collate.versions import find_groups
from teitools.collate.witness import GAP_KEY, Facts, Profile, Token, key_of, read_witness
from teitools.collate.words import Words
from teitools.convert import convert_batch
from teitools.execution import LocalExecutor

from collation_eval import evaluate
from conftest import ENCODED, LETTERS, SAMPLES, TEI_NS, bundled_edition, jing_errors
from lossless import source_reading
from versiongen import tei, version_pair

SENT, DRAFT, COPY = "003_e967189a251f37fb.1", "003_e967189a251f37fb.2", "004_2a302f09f3bdef71"
COLLATION = f"collations/{SENT}.versions.xml"


def _copy(folder: Path, names: list[str] | None = None) -> Path:
    for path in ENCODED.glob("*.xml"):
        if names is None or path.stem in names or path.name == "register.xml":
            shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def collated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _copy(tmp_path_factory.mktemp("encoded"))
    report = collate_paths([folder])
    assert not report.errors
    return folder


def xp(path: Path, query: str) -> list:
    return etree.parse(str(path)).getroot().xpath(query, namespaces=TEI_NS)


def reconstructed(collation: Path) -> dict[str, list[str]]:
    """Each witness's words read back from a collation: the common text while it is
    present, and its own reading of every variant (a moved passage once, where it stands)."""
    root = etree.parse(str(collation)).getroot()
    sigla = {
        "#" + w.get("{http://www.w3.org/XML/1998/namespace}id"): w.get("n")
        for w in root.iterfind(".//t:listWit/t:witness", TEI_NS)
    }
    starts = {r.get("wit") for r in root.iterfind(".//t:rdg[t:witStart]", TEI_NS)}
    present = {ident: ident not in starts for ident in sigla}
    words: dict[str, list[str]] = {ident: [] for ident in sigla}

    def add(ident: str, text: str) -> None:
        words[ident].extend(k for k in map(key_of, text.split()) if k)

    def walk(element: etree._Element) -> None:
        for child in element:
            if child.tag == f"{{{TEI_NS['t']}}}app":
                for reading in child:
                    if reading.get("copyOf"):
                        continue
                    for ident in reading.get("wit", "").split():
                        if reading.find("t:witStart", TEI_NS) is not None:
                            present[ident] = True
                        for node in reading.iter():
                            if node.tag == f"{{{TEI_NS['t']}}}gap":
                                words[ident].append(GAP_KEY)
                            if node is not reading and node.tail:
                                add(ident, node.tail)
                            elif node is reading and node.text:
                                add(ident, node.text)
                            if node is not reading and node.text:
                                add(ident, node.text)
                        if reading.find("t:witEnd", TEI_NS) is not None:
                            present[ident] = False
            else:
                walk(child)
            for ident, here in present.items():
                if here and child.tail:
                    add(ident, child.tail)

    for paragraph in root.iterfind(".//t:div[@type='collation']/t:p", TEI_NS):
        for ident, here in present.items():
            if here and paragraph.text:
                add(ident, paragraph.text)
        walk(paragraph)
    return {sigla[ident]: found for ident, found in words.items()}


# ------------------------------------------------------------------ the bundled letter


def test_the_three_versions_of_the_17_november_1981_letter_are_found_and_typed(
    collated: Path,
) -> None:
    kinds = dict(
        zip(
            xp(collated / COLLATION, "//t:witness/t:bibl/t:idno/text()"),
            xp(collated / COLLATION, "//t:witness/t:bibl/@type"),
            strict=True,
        )
    )
    assert kinds == {SENT: "sent", COPY: "transcription", DRAFT: "draft"}
    for name in (SENT, DRAFT, COPY):
        path = collated / f"{name}.xml"
        named = {
            (item.get("target"), item.get("subtype"))
            for item in xp(path, "//t:notesStmt/t:relatedItem[@type='version']")
        }
        others = {(f"{n}.xml", kinds[n]) for n in kinds if n != name}
        assert named == others, name
        assert xp(path, "//t:relatedItem[@type='collation']/@target") == [COLLATION]
    letters_alone = list(collated.glob("00[012]_*.xml"))
    assert letters_alone and all(not xp(p, "//t:relatedItem") for p in letters_alone)


def test_the_collation_and_the_versions_are_valid_tei(collated: Path) -> None:
    assert jing_errors(collated / COLLATION, *sorted(collated.glob("*.xml"))) == []
    assert main_exit(["validate", "--across-files", str(collated)]) == 0


def main_exit(args: list[str]) -> int:
    with pytest.raises(SystemExit) as stop:
        main(args)
    return int(stop.value.code or 0)


def test_the_collation_gives_back_every_version_word_for_word(collated: Path) -> None:
    read = reconstructed(collated / COLLATION)
    sigla = xp(collated / COLLATION, "//t:witness/@n")
    files = xp(collated / COLLATION, "//t:witness/t:bibl/t:idno/text()")
    for siglum, name in zip(sigla, files, strict=True):
        witness = read_witness(collated / f"{name}.xml", prepare=strip)
        assert read[siglum] == [t.key for t in witness.tokens], name


def test_the_apparatus_matches_the_gold_alignment(collated: Path) -> None:
    """tests/gold/collation-1981-11-17.tsv: 003.1 against 004 and 003.2, every word."""
    for name, (variants, corrections) in evaluate().items():
        assert variants.recall >= 0.95 and variants.precision >= 0.9, name
        assert variants.typed >= 0.9 * variants.matched, name
        assert corrections.recall >= 0.9 and corrections.precision >= 0.95, name


def test_cbstacle_is_corrected_from_the_sent_copy(collated: Path) -> None:
    copy = collated / f"{COPY}.xml"
    marker = f"#L{COPY}.collate"
    choice = xp(copy, "//t:choice[t:sic='cbstacle']")[0]
    corr = choice.find("t:corr", TEI_NS)
    assert (corr.text, corr.get("resp"), corr.get("cert")) == ("obstacle", marker, "high")
    assert corr.get("source") == f"{SENT}.xml"
    imbassador = xp(copy, f"//t:choice[t:sic='imbassador']/t:corr[@resp='{marker}']/text()")
    assert imbassador == ["Ambassador"]  # a word the converter had left alone


def test_words_that_differ_in_wording_are_never_corrected(collated: Path) -> None:
    draft = collated / f"{DRAFT}.xml"
    marker = f"#L{DRAFT}.collate"
    corrected = set(xp(draft, f"//t:choice[t:corr/@resp='{marker}']/t:sic/text()"))
    assert {"peapite", "Eath", "meed", "newelution", "towever,"} <= corrected
    assert not corrected & {"secure", "contraction", "requires", "into", "the", "Manager"}


def test_the_source_reading_stays_in_sic(collated: Path) -> None:
    for name in (SENT, DRAFT, COPY):
        annotated = etree.parse(str(collated / f"{name}.xml")).getroot()
        pristine = read_witness(collated / f"{name}.xml", prepare=strip).tree.getroot()
        assert source_reading(annotated) == source_reading(pristine), name


def test_collating_again_changes_nothing(collated: Path, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    shutil.copytree(collated / "collations", folder / "collations")
    for path in collated.glob("*.xml"):
        shutil.copyfile(path, folder / path.name)
    before = {p.name: p.read_bytes() for p in folder.rglob("*.xml")}
    report = collate_paths([folder])
    assert not report.written and not report.errors
    assert {p.name: p.read_bytes() for p in folder.rglob("*.xml")} == before


def test_a_letter_no_longer_in_versions_loses_what_collation_wrote(
    collated: Path, tmp_path: Path
) -> None:
    shutil.copytree(collated, tmp_path / "e")
    folder = tmp_path / "e"
    (folder / f"{DRAFT}.xml").unlink()
    (folder / f"{COPY}.xml").unlink()
    report = collate_paths([folder])
    assert report.groups == 0 and not (folder / COLLATION).exists()
    assert folder / COLLATION in report.removed
    sent = folder / f"{SENT}.xml"
    assert not xp(sent, "//t:relatedItem | //t:application[@ident='teitools-collate']")
    assert not xp(sent, "//t:corr[@resp]/@source")


def test_converting_again_leaves_the_collated_letters_as_they_are(
    collated: Path, tmp_path: Path
) -> None:
    """`teitools build` converts, then collates: a second build rewrites nothing."""
    shutil.copytree(collated, tmp_path / "e")
    folder = tmp_path / "e"
    before = {p.name: p.read_bytes() for p in folder.glob("*.xml")}
    edition = bundled_edition()
    report = convert_batch([LETTERS], folder, jobs=1, encoding_date="2030-01-01", **edition)
    assert not report.errors and not report.written and not report.edited
    assert {p.name: p.read_bytes() for p in folder.glob("*.xml")} == before
    assert not collate_paths([folder]).written


def test_an_edited_letter_without_a_record_is_kept_not_overwritten(tmp_path: Path) -> None:
    folder = _copy(tmp_path, [SENT, DRAFT, COPY])
    edited = {}
    for path in folder.glob("00*.xml"):  # as convert writes them: no collation yet
        tree = read_witness(path, prepare=strip).tree
        data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
        edited[path] = data.replace(b"Dear President", b"Dear  President", 1)
        path.write_bytes(edited[path])
    report = collate_paths([folder])
    assert not report.errors and [o.status for o in report.edited] == ["kept"] * 3
    assert all("no record of what teitools wrote" in o.line() for o in report.edited)
    assert all(path.read_bytes() == data for path, data in edited.items())
    assert (folder / COLLATION).exists()  # the collation is written all the same
    assert not collate_paths([folder], force=True).errors
    assert xp(folder / f"{SENT}.xml", "//t:relatedItem")


def test_an_edit_to_a_collated_letter_survives_convert_and_collate(tmp_path: Path) -> None:
    """`teitools build` after an editor's change to a collated letter: convert finds
    nothing new in it (what collate wrote is not taken for an edit), collate neither, and
    the editor's file stays byte for byte."""
    edition = bundled_edition()
    assert not convert_batch([LETTERS], tmp_path, jobs=1, **edition).errors
    assert not collate_paths([tmp_path]).errors
    copy = tmp_path / f"{COPY}.xml"
    edited = copy.read_bytes().replace(b"We do not seek", b"We do not wish", 1)
    assert edited != copy.read_bytes()
    copy.write_bytes(edited)
    converted = convert_batch([LETTERS], tmp_path, jobs=1, **edition)
    assert [(o.path, o.status, o.detail) for o in converted.edited] == [
        (copy, "kept", "nothing new from the conversion")
    ]
    collated = collate_paths([tmp_path])  # it would write into it what it holds already
    assert copy in collated.unchanged and not collated.edited
    assert not converted.errors and not collated.errors and copy.read_bytes() == edited


def test_what_the_collation_writes_anew_is_merged_into_an_edited_letter(tmp_path: Path) -> None:
    """The editor corrects the sent copy by hand; then the draft leaves the folder. The
    sent copy's header must now name one other version: that is merged into the editor's
    file, and the editor's correction stays."""
    folder = _copy(tmp_path, [SENT, DRAFT, COPY])
    assert not collate_paths([folder]).errors  # records what it wrote (.teitools/)
    sent = folder / f"{SENT}.xml"
    text = sent.read_bytes()
    assert b"Dear President Brezhnev" in text
    sent.write_bytes(text.replace(b"Dear President Brezhnev", b"Dear Mr. President Brezhnev"))
    (folder / f"{DRAFT}.xml").unlink()
    report = collate_paths([folder])
    assert not report.errors
    assert [(o.path.name, o.status) for o in report.edited] == [(sent.name, "merged")]
    assert b"Dear Mr. President Brezhnev" in sent.read_bytes()
    assert xp(sent, "//t:relatedItem[@type='version']/@target") == [f"{COPY}.xml"]


def test_the_output_folder_takes_the_letters_and_leaves_the_input_alone(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    source = _copy(tmp_path / "in")
    before = {p.name: p.read_bytes() for p in source.glob("*.xml")}
    report = collate_paths([source], tmp_path / "out")
    assert not report.errors
    assert {p.name: p.read_bytes() for p in source.glob("*.xml")} == before
    assert (tmp_path / "out" / COLLATION).exists()
    assert {p.name for p in (tmp_path / "out").glob("*.xml")} == set(before)


def test_the_cli_reports_a_file_it_cannot_read_and_collates_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(tmp_path, [SENT, DRAFT, COPY])
    (folder / "broken.xml").write_text("<TEI><text>", encoding="utf-8")
    assert main_exit(["collate", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "broken.xml" in err and "Traceback" not in err
    assert "1 letter in more than one version" in out
    assert (folder / COLLATION).exists()


# ------------------------------------------------------------------ words compared


@pytest.mark.parametrize(
    "language, read, meant, kind",
    [
        ("en", "cbstacle", "obstacle", "ocr"),
        ("en", "S5-20", "SS-20", "ocr"),
        ("en", "meed", "need", "ocr"),
        ("en", "Eath", "both", "ocr"),  # "eath" is in wordfreq's list, one word in 25 million
        ("en", "secure", "independent", "wording"),
        ("en", "1981", "1982", "wording"),
        ("en", "colour", "color", "spelling"),
        ("de", "Thür", "Tür", "spelling"),
        ("de", "seyn", "sein", "spelling"),
        ("fr", "avoit", "avait", "spelling"),
        ("en", "Sukharov", "Sakharov", "spelling"),
    ],
)
def test_a_difference_between_two_readings_is_typed(
    language: str, read: str, meant: str, kind: str
) -> None:
    words = Words(language, default_settings())
    assert words.kind(Token(read, key_of(read)), Token(meant, key_of(meant))) == kind


# ------------------------------------------------------------------ other letters


def _witness_file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / f"{name}.xml"
    path.write_bytes(data)
    return path


def test_rewrapped_and_hyphenated_copies_differ_in_nothing(tmp_path: Path) -> None:
    pair = version_pair(random.Random(7))
    words = Words(pair.language, default_settings())
    one = read_witness(_witness_file(tmp_path, "a", tei(pair.base)))
    two = read_witness(_witness_file(tmp_path, "b", tei(pair.base, 30, hyphenate=True)))
    assert b'break="no"' in (tmp_path / "b.xml").read_bytes()
    collation = collate([one, two], words)
    assert not [s for s in collation.segments if s.variant]


def test_generated_versions_are_collated_and_given_back(tmp_path: Path) -> None:
    """Twelve generated letters (English, German, French) and a second version of each,
    retyped with OCR damage, words changed, added, left out and a phrase moved: each
    collation is valid and gives back both versions word for word."""
    collations = []
    for seed in range(12):
        rng = random.Random(seed)
        pair = version_pair(rng)
        folder = tmp_path / str(seed)
        folder.mkdir()
        _witness_file(folder, "sent", tei(pair.base))
        _witness_file(folder, "copy", tei(pair.version, rng.choice([40, 60]), hyphenate=True))
        report = collate_paths([folder], force=True)
        assert not report.errors and report.groups == 1, seed
        collation = next((folder / "collations").glob("*.xml"))
        read = reconstructed(collation)
        files = xp(collation, "//t:witness/t:bibl/t:idno/text()")
        for siglum, name in zip(xp(collation, "//t:witness/@n"), files, strict=True):
            witness = read_witness(folder / f"{name}.xml", prepare=strip)
            assert read[siglum] == [t.key for t in witness.tokens], (seed, name)
        if any(e.type == "transposition" for e in pair.edits):
            assert xp(collation, "//t:app[@type='transposition']"), seed
        collations.append(collation)
    assert jing_errors(*collations) == []


def version_pairs(folder: Path, count: int) -> Path:
    """``count`` generated letters, each in a sent copy and a retyped, changed version."""
    folder.mkdir()
    for seed in range(count):
        rng = random.Random(seed)
        pair = version_pair(rng)
        _witness_file(folder, f"sent{seed:02d}", tei(pair.base))
        _witness_file(folder, f"copy{seed:02d}", tei(pair.version, 60, hyphenate=True))
    return folder


def test_collating_in_worker_processes_gives_what_one_process_gives(tmp_path: Path) -> None:
    """Twenty documents, more than one process is given: read and collated in two worker
    processes, the letters and collations are those of a run in this process, byte for
    byte."""
    made = {}
    for jobs in (1, 2):
        folder = version_pairs(tmp_path / str(jobs), 10)
        report = collate_paths([folder], force=True, executor=LocalExecutor(jobs))
        assert not report.errors and len(report.collations) == report.groups > 1
        files = sorted(p for p in folder.rglob("*.xml"))
        made[jobs] = {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}
    assert len(made[1]) > 21 and made[2] == made[1]


def test_each_letter_of_a_corpus_in_two_versions_is_found_as_one(tmp_path: Path) -> None:
    """Twenty generated letters of three languages, in a sent copy and a changed, retyped
    version each, with their correspondents and date: their phrases recur from letter to
    letter, many in more documents than say anything (more than four here, as in a large
    corpus), yet each pair is found as one letter of two versions, and another letter dated
    the same day between the same people is not taken for a version of it."""
    rng = random.Random(5)
    pairs = [version_pair(rng) for _ in range(20)]
    for k, pair in enumerate(pairs):
        _witness_file(tmp_path, f"{k:02d}.sent", tei(pair.base, facts=pair.facts))
        copy = tei(pair.version, 60, hyphenate=True, facts=pair.facts)
        _witness_file(tmp_path, f"{k:02d}.copy", copy)
    other = next(p for p in pairs[1:] if p.language == pairs[0].language)
    _witness_file(tmp_path, "other", tei(other.base[:2], facts=pairs[0].facts))
    settings = dataclasses.replace(default_settings(), common_triple_documents=4)
    report = collate_paths([tmp_path], force=True, settings=settings)
    assert not report.errors and report.groups == 20
    for collation in sorted((tmp_path / "collations").glob("*.xml")):
        names = xp(collation, "//t:witness/t:bibl/t:idno/text()")
        assert len(names) == 2 and names[0].split(".")[0] == names[1].split(".")[0], names


def test_a_form_letter_in_two_versions_is_found_by_its_correspondents_and_date() -> None:
    """A circular sent to 24 people word for word: every phrase is in more documents than
    say anything. The one to p0 is kept in two copies, the second without its last words:
    one letter, found by its correspondents and day; the copies sent to the others are not
    versions of it, nor is a note to p0 of the same day in other words."""
    form = "We have the honour to inform you that the annual meeting of the society will be "
    form += "held on the first of May at the town hall and we hope to see you there"
    text = tuple(key_of(w) for w in form.split())
    note = tuple(key_of(w) for w in "Please send the books back when you can".split())

    def sent(to: str, keys: tuple[str, ...]) -> Profile:
        return Profile(Facts(senders=("a",), addressees=(to,), when="1900-01-02"), keys)

    profiles = [sent(f"p{k}", text) for k in range(24)]
    profiles += [sent("p0", text[:-4]), sent("p0", note)]
    assert find_groups(profiles, default_settings()) == [[0, 24]]


def test_letters_in_subfolders_are_collated_where_they_are(tmp_path: Path) -> None:
    """In place, a letter in a subfolder stays there; the collation names it by its path."""
    _copy(tmp_path, [SENT])
    (tmp_path / "copies").mkdir()
    shutil.copyfile(ENCODED / f"{COPY}.xml", tmp_path / "copies" / f"{COPY}.xml")
    report = collate_paths([tmp_path])
    assert not report.errors and len(report.collations) == 1
    assert not (tmp_path / f"{COPY}.xml").exists()
    targets = xp(tmp_path / COLLATION, "//t:witness/t:bibl/t:ref/@target")
    assert targets == [f"../{SENT}.xml", f"../copies/{COPY}.xml"]
    assert xp(tmp_path / "copies" / f"{COPY}.xml", "//t:relatedItem[@type='collation']/@target")


def test_letters_of_another_edition_are_collated_without_touching_them(tmp_path: Path) -> None:
    """A Schnitzler letter (tests/samples) and a retyped copy with OCR damage and a changed
    word: the copy's damage is corrected from the letter, the changed word is not; neither
    file, which teitools did not write, is rewritten unless forced."""
    sample = SAMPLES / "schnitzler__L02209.xml"
    original = sample.read_bytes()
    first = _witness_file(tmp_path, "letter", original)
    root = etree.fromstring(original)
    body = root.find(".//t:text", TEI_NS)
    changed = {"damaged": "", "reworded": ""}
    german = Words("de", default_settings())
    for node in body.iter():
        for attr in ("text", "tail"):
            text = getattr(node, attr)
            if not text:
                continue
            words = text.split(" ")
            for k, word in enumerate(words):
                fit = len(word) > 6 and word.isalpha() and "e" in word[1:] and word.islower()
                if not changed["damaged"] and fit and german.is_word(key_of(word)):
                    words[k] = word[0] + word[1:].replace("e", "c", 1)
                    changed["damaged"] = word
                elif changed["damaged"] and not changed["reworded"] and word == "und":
                    words[k] = "oder"
                    changed["reworded"] = word
            setattr(node, attr, " ".join(words))
    assert all(changed.values())
    second = _witness_file(tmp_path, "copy", etree.tostring(root, encoding="UTF-8"))
    report = collate_paths([tmp_path])
    assert report.groups == 1 and not report.errors  # both kept: not teitools'
    assert [o.status for o in report.edited] == ["kept", "kept"]
    assert first.read_bytes() == original
    assert not collate_paths([tmp_path], force=True).errors
    fixed = xp(second, "//t:choice/t:corr[@source='letter.xml']/text()")
    assert fixed == [changed["damaged"]]
    assert not xp(second, "//t:choice[t:sic='oder']")
    assert jing_errors(*(tmp_path / "collations").glob("*.versions.xml")) == []


def test_a_letter_and_its_translation_name_each_other_but_are_not_collated(
    tmp_path: Path,
) -> None:
    def letter(language: str, text: str) -> bytes:
        return (
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="{language}"><teiHeader>'
            "<fileDesc><titleStmt><title>Letter</title></titleStmt><publicationStmt><p>x</p>"
            "</publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc><profileDesc>"
            '<correspDesc><correspAction type="sent"><persName ref="#a">A</persName>'
            '<date when="1900-05-01"/></correspAction><correspAction type="received">'
            '<persName ref="#b">B</persName></correspAction></correspDesc></profileDesc>'
            f"</teiHeader><text><body><p>{text}</p></body></text></TEI>"
        ).encode()

    _witness_file(tmp_path, "en", letter("en", "Thank you for your kind letter of May."))
    _witness_file(tmp_path, "de", letter("de", "Haben Sie Dank für Ihren freundlichen Brief."))
    other = letter("en", "The weather here is fine and warm.").replace(b"1900-05-01", b"1900-06-01")
    _witness_file(tmp_path, "other", other)
    report = collate_paths([tmp_path], force=True)
    assert report.groups == 1 and not report.collations
    kinds = xp(tmp_path / "en.xml", "//t:relatedItem/@subtype")
    assert kinds == ["translation"]
    assert xp(tmp_path / "de.xml", "//t:relatedItem/@target") == ["en.xml"]
    assert not xp(tmp_path / "other.xml", "//t:relatedItem")

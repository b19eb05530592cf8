"""The edition the renditions link within (titles, letters that name one another, the
register), kept on disk in the output folder while a command runs and removed after it."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from teitools.errors import OutputError
from teitools.render import render_paths
from teitools.render.edition import Edition, read_register_file

TEI = "http://www.tei-c.org/ns/1.0"


def letter(
    folder: Path,
    name: str,
    sender: str,
    addressee: str,
    when: str,
    *,
    title: str = "",
    text: str = "",
    addressee_ref: str = "",
) -> Path:
    """A TEI letter: its title, correspDesc, and ``text`` (markup) in its one paragraph."""
    titled = f"<title>{title}</title>" if title else ""
    ref = f' ref="{addressee_ref}"' if addressee_ref else ""
    path = folder / f"{name}.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<TEI xmlns="{TEI}" xml:id="L-{name.replace("/", "-")}"><teiHeader><fileDesc>'
        f"<titleStmt>{titled}</titleStmt><publicationStmt><p/></publicationStmt>"
        "<seriesStmt><title>Letters of a Family</title></seriesStmt>"
        "<sourceDesc><p/></sourceDesc></fileDesc><profileDesc><correspDesc>"
        f'<correspAction type="sent"><persName>{sender}</persName>'
        f'<date when="{when}"/></correspAction>'
        f'<correspAction type="received"><persName{ref}>{addressee}</persName>'
        "</correspAction></correspDesc></profileDesc></teiHeader>"
        f"<text><body><p>{text}</p></body></text></TEI>",
        encoding="utf-8",
    )
    return path


def family(folder: Path) -> list[Path]:
    """Four letters: two share the series title as their own, one names the others (by
    file name and by xml:id) and a person of the register and one by an authority file
    only; a letter of the same name in a subfolder; and the register."""
    folder.mkdir(parents=True)
    (folder / "register.xml").write_text(
        f'<TEI xmlns="{TEI}"><teiHeader/><text><body><listPerson>'
        '<person xml:id="anna"><persName>Anna Meyer</persName>'
        '<idno type="gnd">118</idno></person></listPerson></body></text></TEI>',
        encoding="utf-8",
    )
    return [
        letter(folder, "a", "Anna", "Bruno", "1900-01-02", title="Letters of a Family"),
        letter(folder, "b", "Bruno", "Anna", "1900-02-03", title="Letters of a Family"),
        letter(
            folder,
            "c",
            "Carl",
            "Anna",
            "1900-03-04",
            title="Carl thanks Anna",
            addressee_ref="#anna",
            text='See <ref target="a.xml">her letter</ref> and <ptr target="#L-b"/>; '
            '<persName ref="https://d-nb.info/gnd/999/">Dora</persName> sends greetings.',
        ),
        letter(folder, "sub/a", "Anna", "Carl", "1900-04-05", title="Anna's second letter"),
    ]


def test_an_edition_on_disk_gives_titles_links_and_entries_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    letters = family(tmp_path / "tei")
    work = tmp_path / "work"
    work.mkdir()
    with Edition(work) as edition:
        errors = edition.read(letters, [read_register_file(tmp_path / "tei" / "register.xml")])
        assert errors == [] and len(edition) == 4
        assert len(list(work.iterdir())) == 1  # the edition's file, while it is open
        # a title the whole series shares is no letter's title: the correspDesc makes one
        assert edition.title("b") == "Bruno to Anna, 3 February 1900"
        assert edition.title("c") == "Carl thanks Anna"
        # of two letters named a, a link by name leads to the last one read
        assert edition.title("a") == "Anna's second letter"
        c = next(s for s in edition.sources() if s.stem == "c")
        links = edition.links(c, lambda stem: f"{stem}.html")
        assert links.letters == {
            "a.xml": ("a.html", "Anna's second letter"),
            "#L-b": ("b.html", "Bruno to Anna, 3 February 1900"),
        }
        # Dora is in no register: an entry is made for her, named as the letter names her
        dora = links.entries["uri:http://d-nb.info/gnd/999"]
        assert links.entries == {"id:anna": "anna", "uri:http://d-nb.info/gnd/999": dora}
        assert links.authorities["id:anna"] == ("https://d-nb.info/gnd/118",)
        assert [(e.id, e.name) for e in edition.register.entries()] == [
            ("anna", "Anna Meyer"),
            (dora, "Dora"),
        ]
    assert list(work.iterdir()) == []  # the edition's file is gone


def test_render_links_letters_and_lists_them_and_leaves_only_its_pages(tmp_path: Path) -> None:
    family(tmp_path / "tei")
    (tmp_path / "tei" / "broken.xml").write_text("<TEI><teiHeader>", encoding="utf-8")
    out = tmp_path / "html"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    report = render_paths([tmp_path / "tei"], "html", out)
    assert [(e.path, e.message.split(":")[0]) for e in report.errors] == [
        (str(tmp_path / "tei" / "broken.xml"), "not well-formed")
    ]
    pages = ["a.html", "a-2.html", "b.html", "c.html"]
    made = ["index.html", "register.html", "letter.css", "tei.css", "versions.css"]
    assert sorted(p.name for p in out.iterdir()) == sorted([*pages, *made, "notes.txt"])
    assert report.written == len(pages) + 2  # the pages, index and register (css aside)
    index = html.parse(str(out / "index.html"))
    listed = [(a.get("href"), a.text) for a in index.iterfind(".//ol/li/a")]
    assert listed == [  # in the order of the files: sub/a after the folder's own letters
        ("a.html", "Anna's second letter"),
        ("b.html", "Bruno to Anna, 3 February 1900"),
        ("c.html", "Carl thanks Anna"),
        ("a-2.html", "Anna's second letter"),
    ]
    page = html.parse(str(out / "c.html"))
    hrefs = {a.get("href") for a in page.iterfind(".//a")}
    assert {"a.html", "b.html", "register.html#anna"} <= hrefs
    register = html.parse(str(out / "register.html"))
    assert [li.get("id") for li in register.iterfind(".//li")] == ["anna", "gnd-999"]


def test_a_render_that_fails_leaves_no_file_of_its_own_behind(tmp_path: Path) -> None:
    family(tmp_path / "tei")
    out = tmp_path / "pdf"
    report = render_paths([tmp_path / "tei"], "pdf", out, engine="typst", combine=True)
    assert report.written == 1 and [p.name for p in out.iterdir()] == ["volume.pdf"]
    blocked = tmp_path / "html"
    (blocked / "index.html").mkdir(parents=True)  # the index cannot be written
    with pytest.raises(OutputError):
        render_paths([tmp_path / "tei"], "html", blocked)
    assert not [p for p in blocked.iterdir() if p.name.startswith(".")]
    assert (blocked / "c.html").exists()  # the pages before it were written

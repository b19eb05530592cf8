"""Property-based fuzzing of ``teitools site`` and ``teitools render``: whatever the TEI,
the promises hold.

Each example is a batch: generated documents (TEI-shaped letters with hostile or arbitrary
values in their fields and an arbitrary tree as their text, arbitrary XML trees, registers,
bytes that are not XML) under arbitrary file names, beside one of our letters. Promises:
exit code 0, 1 or 2; no traceback (an uncaught exception fails the test); every message one
line naming a file; our letter made; nothing outside the output folder touched; nothing
fetched (a recording server, and every proxy pointed at it); no element, event handler,
script or link that runs code in any page that our templates did not write.
Budgets are small (a few seconds a property); ``TEITOOLS_FUZZ_EXAMPLES=2000`` hunts further.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from adv_convert_support import assert_promises, snapshot
from adv_site_support import (
    HOSTILE,
    TEI_NS,
    XML_NS,
    audit,
    inline_scripts,
    letter,
    register,
    run_here,
)
from conftest import ENCODED

EXAMPLES = int(os.environ.get("TEITOOLS_FUZZ_EXAMPLES", "40"))  # raise it to hunt further


def budget(share: int) -> settings:
    """Hypothesis settings for a property that costs ``share`` times a rendering."""
    return settings(
        max_examples=max(2, EXAMPLES // share),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


GOOD = sorted(p for p in ENCODED.glob("*.xml") if p.name != "register.xml")[0]
XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))
    + "\ufffe\uffff",
)
TEXT = st.text(XML_CHARS, max_size=30)
FIELDS = [
    "title", "sender", "sender_ref", "sender_same_as", "org", "place", "place_ref",
    "addressee", "addressee_ref", "reply_text", "reply_target", "reply_n", "repository",
    "repository_ref", "idno", "status", "status_n", "from", "to", "cert", "lang", "pb",
    "facs", "fw", "fw_type", "text", "named", "named_ref", "target", "ptr", "graphic", "hi",
    "rend", "style", "foreign_lang", "gap", "sic", "corr", "note", "div_type", "when",
    "not_before", "not_after",
]  # fmt: skip
TAGS = [
    "p", "lb", "pb", "cb", "fw", "gap", "choice", "sic", "corr", "orig", "reg", "abbr",
    "expan", "note", "foreign", "date", "persName", "placeName", "orgName", "name", "ref",
    "ptr", "graphic", "figure", "hi", "del", "add", "subst", "space", "unclear", "supplied",
    "l", "lg", "table", "row", "cell", "list", "item", "head", "div", "opener", "closer",
    "salute", "signed", "postscript", "dateline", "address", "addrLine", "seg", "q", "quote",
    "front", "back", "handShift", "ab", "script", "img", "a", "style",
]  # fmt: skip
ATTRIBUTES = [
    "target", "url", "facs", "ref", "sameAs", "when", "notBefore", "n", "type", "rend",
    "style", "cert", "reason", "place", "href", "src", "onclick", f"{{{XML_NS}}}lang",
]  # fmt: skip


@cache
def values(url: str) -> st.SearchStrategy[str]:
    """A value for any field: hostile, an address of the recording server, a date of any
    shape, or any text."""
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from([f"{url}/a.png", f"url({url}/b.css)", f"{url}/c.xml", f"file://{url}"]),
        st.from_regex(r"-?\d{1,5}(-\d{1,2}){0,2}(T\d\d:\d\d)?", fullmatch=True),
        TEXT,
    )


@st.composite
def tree(draw: st.DrawFn, url: str, depth: int = 0) -> etree._Element:
    """An element of the TEI (or of no namespace, or named anything) with hostile
    attributes, text and children."""
    if draw(st.integers(0, 9)) == 0:
        name = draw(st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True))
    else:
        name = draw(st.sampled_from(TAGS))
    namespace = TEI_NS if draw(st.integers(0, 7)) else "http://example.org/other"
    element = etree.Element(f"{{{namespace}}}{name}")
    for attribute in draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3, unique=True)):
        element.set(attribute, draw(values(url)))
    element.text = draw(st.one_of(st.none(), values(url)))
    if depth < 3:
        for _ in range(draw(st.integers(0, 3 - depth))):
            kid = draw(tree(url, depth + 1))
            kid.tail = draw(st.one_of(st.none(), TEXT))
            element.append(kid)
    return element


@st.composite
def document(draw: st.DrawFn, url: str) -> bytes:
    """A TEI letter with generated fields and body, a register, an arbitrary XML tree, or
    bytes that may not be XML at all."""
    kind = draw(st.integers(0, 9))
    if kind <= 5:
        fields = draw(st.dictionaries(st.sampled_from(FIELDS), values(url), max_size=12))
        body = draw(st.lists(tree(url), max_size=2))
        return letter(fields, body)
    if kind == 6:
        fields = ["forename", "surname", "birth", "office", "idno_url", "entry_ptr", "org_name"]
        return register(draw(st.dictionaries(st.sampled_from(fields), values(url), max_size=5)))
    if kind <= 8:
        return etree.tostring(draw(tree(url)), xml_declaration=True, encoding="UTF-8")
    return draw(st.binary(max_size=200))


NAMES = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0"),
    min_size=1,
    max_size=20,
).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@st.composite
def batch(draw: st.DrawFn, url: str) -> dict[str, bytes]:
    """Generated documents under generated names (``register.xml`` among them, sometimes)."""
    names = draw(st.lists(NAMES, min_size=1, max_size=3, unique_by=str.casefold))
    files = {f"{name}.xml": draw(document(url)) for name in names}
    if draw(st.booleans()):
        files["register.xml"] = draw(document(url))
    files.pop(GOOD.name, None)
    return files


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> frozenset[str]:
    """The inline scripts our templates write (a site and a rendering of our letters)."""
    folder = tmp_path_factory.mktemp("ours")
    assert run_here("site", ENCODED, "-o", folder / "site", "--no-pdf").code == 0
    assert run_here("render", GOOD, "-o", folder / "html").code == 0
    return inline_scripts(folder)


def _folder(root: Path, files: dict[str, bytes]) -> Path:
    folder = root / "encoded"
    folder.mkdir()
    shutil.copy(GOOD, folder)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# what runs, its share of the budget (in renderings of a batch), and what it must make
COMMANDS = {
    "site": (["site", "--no-pdf"], 6, ["letters/{good}.html", ".teitools-site.json", "index.html"]),
    "html": (["render"], 2, ["{good}.html", "index.html"]),
    "pdf": (["render", "--to", "pdf"], 20, ["{good}.pdf"]),
}


@pytest.mark.parametrize("kind", COMMANDS)
def test_any_letters_keep_the_promises(
    kind: str, recording_proxy: tuple[str, list[str]], scripts: frozenset[str]
) -> None:
    (command, *options), share, made = COMMANDS[kind]
    url, asked = recording_proxy

    @budget(share)
    @given(files=batch(url))
    def promises_kept(files: dict[str, bytes]) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            folder = _folder(root, files)
            out = root / "out"
            before = snapshot(root, skip=out)
            run = run_here(command, folder, "-o", out, *options)
            assert_promises(run, [folder, out], out)
            assert snapshot(root, skip=out) == before
            assert all((out / name.format(good=GOOD.stem)).is_file() for name in made)
            pages = [p for p in out.rglob("*.html") if "pagefind" not in p.relative_to(out).parts]
            assert [problem for page in pages for problem in audit(page, scripts)] == []

    promises_kept()
    assert asked == []

"""Property-based fuzzing of ``teitools convert``: whatever the input, the promises hold.

Each example is a batch: a generated file (arbitrary bytes, or text shaped like a letter
with hostile parts: markup, addresses of a recording HTTP server, control characters, odd
encodings and names) beside a good letter. Promises: exit code 0, 1 or 2; no traceback
(an uncaught exception fails the test); every message one line naming a file; the good
letter converted; nothing outside the output folder touched; nothing fetched.
Budgets are small (a few seconds a property); ``TEITOOLS_FUZZ_EXAMPLES=2000`` hunts further.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from teitools.errors import one_line
from teitools.safexml import parser

from adv_convert_support import GOOD_LETTER, assert_promises, convert_here, snapshot

EXAMPLES = int(os.environ.get("TEITOOLS_FUZZ_EXAMPLES", "40"))  # raise it to hunt further
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def hostile_parts(url: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            f'<!DOCTYPE TEI SYSTEM "{url}/letter.dtd">',
            f'<?xml-model href="{url}/schema.rng"?>',
            f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/x.xml"/>',
            f'<!ENTITY e SYSTEM "{url}/e">&e;',
            f"See {url}/archive/letter.pdf for the scan.",
            "]]> <![CDATA[ & &amp; &#0; &#xD800; <p>",
            "\x0c",
            "\r\n",
            "\r",
            "\u2028",
            "\ufeff",
            "\ufffe",
            "\x00",
            "\x1b[31m",
        ]
    )


WORD = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"),
    min_size=1,
    max_size=12,
)
FORMULA = st.sampled_from(
    [
        "Dear Mr. President:",
        "Lieber Freund,",
        "Cher Monsieur,",
        "Уважаемый Михаил Сергеевич!",
        "Sincerely,",
        "Mit freundlichen Grüßen",
        "Moscow, March 24, 1985",
        "Zürich, 4. März 1877",
        "le 3 janvier 1799",
        "SECRET",
        "- 2 -",
        "## DRAFT",
        "*NSC: Head of State File, Box. 40*",
        "P.S. And one more thing.",
        "/s/",
        "RR",
    ]
)


@st.composite
def letter_like(draw: st.DrawFn, url: str) -> str:
    """Text with the shape of a letter (formulas, paragraphs, hyphenated line ends, page
    breaks, furniture) and anything at all in between."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.integers(0, 9))
        if kind <= 3:
            words = draw(st.lists(WORD, min_size=1, max_size=15))
            line = " ".join(words)
            if draw(st.booleans()):
                line += draw(st.sampled_from(["-", "—", ".", ",", ":", ""]))
            lines.append(line)
        elif kind <= 5:
            lines.append(draw(FORMULA))
        elif kind == 6:
            lines.extend([""] * draw(st.integers(1, 4)))
        elif kind == 7:
            lines.append(draw(hostile_parts(url)))
        elif kind == 8:
            lines.append(draw(WORD) * draw(st.integers(1, 300)))  # a long line of one thing
        else:
            lines.append(draw(st.text(max_size=80)))
    return draw(st.sampled_from(["\n", "\r\n", "\n\n"])).join(lines)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"]


@st.composite
def encoded(draw: st.DrawFn, url: str) -> bytes:
    text = draw(letter_like(url))
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


FILE_NAME = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")
    | st.sampled_from(["\udcff", "\udc80"]),  # bytes that are not UTF-8, as Python names them
    min_size=1,
    max_size=30,
).map(lambda name: f"f{name}.txt")


def run_batch(content: bytes, name: str, *extra: str | Path) -> None:
    """Convert ``content`` (as ``name``) and a good letter in one batch; check the promises."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = root / "in"
        inputs.mkdir()
        generated = inputs / name
        try:
            generated.write_bytes(content)
        except OSError:  # a name the file system refuses (too long in bytes, say)
            generated = inputs / "fallback.txt"
            generated.write_bytes(content)
        good = inputs / "zz-good.txt"
        good.write_text(GOOD_LETTER)
        out = root / "out"
        before = snapshot(root, skip=out)
        run = convert_here(generated, good, "-o", out, *extra)
        assert_promises(run, [generated, good, *map(Path, extra)], out)
        assert "ran out of memory" not in run.stderr  # a few kilobytes: that would be a bug
        if run.code != 2:  # usage errors (a bad rules file) stop before any letter
            assert etree.parse(str(out / "zz-good.xml"), parser()).getroot() is not None
            assert all(one_line(str(generated)) in error for error in run.errors)
        assert snapshot(root, skip=out) == before


@FUZZ
@given(content=st.binary(max_size=4096), name=FILE_NAME, bom=st.sampled_from(["", "8", "16", "32"]))
def test_arbitrary_bytes_keep_the_promises(
    recording_proxy: tuple[str, list[str]], content: bytes, name: str, bom: str
) -> None:
    marks = {"": b"", "8": codecs.BOM_UTF8, "16": codecs.BOM_UTF16_LE, "32": codecs.BOM_UTF32_LE}
    run_batch(marks[bom] + content, name)
    assert recording_proxy[1] == []


@FUZZ
@given(data=st.data(), name=FILE_NAME)
def test_letter_like_text_keeps_the_promises(
    recording_proxy: tuple[str, list[str]], data: st.DataObject, name: str
) -> None:
    url, asked = recording_proxy
    run_batch(data.draw(encoded(url)), name)
    assert asked == []


PLAIN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.sampled_from(["^(a|a)*$", "(unclosed", r"^\d+$", "{month}", "[", "(?P<x>a)(?P<x>b)"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["type", "pattern", "ocr", "terms", "x"]), children)
    ),
    max_leaves=12,
)
RULE_KEYS = st.sampled_from(
    ["furniture", "salutations", "closings", "marks", "ocr", "dates", "date_clues", "box", "x"]
)


@settings(FUZZ, max_examples=max(1, EXAMPLES * 2 // 3))
@given(rules=st.dictionaries(RULE_KEYS, PLAIN, max_size=3) | PLAIN)
def test_arbitrary_rules_files_keep_the_promises(
    recording_proxy: tuple[str, list[str]], rules: object
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "rules.yaml")
        path.write_text(yaml.safe_dump(rules, allow_unicode=True))
        run_batch(GOOD_LETTER.encode(), "fletter.txt", "--rules", str(path))
    assert recording_proxy[1] == []


def test_a_file_named_with_a_line_break_is_still_named_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "two\nlines.txt"
    bad.write_bytes(b"")
    run = convert_here(bad, "-o", tmp_path / "out")
    assert run.stderr.splitlines() == [
        f"teitools: error: {tmp_path}/two\\nlines.txt: empty file: no text to convert"
    ]
    assert os.path.exists(bad)

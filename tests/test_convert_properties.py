"""Invariants on generated input (hypothesis): lossless, valid, deterministic.

Generated letters mix what archives produce: furniture and damaged marks, datelines in
many styles, hard wrapping with line-end hyphens, page breaks inside paragraphs, OCR
confusions, Cyrillic, Markdown artifacts and XML-special characters. A second test feeds
arbitrary text: whatever the reader makes of it, nothing may be lost.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from teitools.convert import convert_text
from teitools.fsio import add_checksum
from teitools.tei.writer import to_tei

from conftest import SCHEMAS, jing_errors
from lossless import dropped_artifacts, expected_reading, source_reading, squeeze

WORDS = (
    "the of and to a in that is was he for it with as his on be at by had not are but from "
    "or have an they which one you were her all she there would their we him been has when "
    "who will more no if out so said what up its about into than them can only other new "
    "some could time these two may then do first any my now such like our over man me even "
    "most made after also did many before must through back years where much your way well "
    "down should because each just those people how too little state good very make world "
    "cn guestion cbstacle S5-20 55-5 vorld non-aligned self-defense ground-launched "
    'Gorbachev Shevardnadze Tbilisi Moscow Washington Geneva A&B <tag> x>y "quoted" it\'s'
).split()
HYPHENABLE = "beclouding substantially negotiations understanding international".split()
FURNITURE = [
    "SECRET",
    "SEGRET",
    "+SECRET",
    "CONFIDENTIAL",
    "DRAFT",
    "DEAFT",
    "DECLASSIFIED/Released",
    "NLS MR 2000-004 #5",
    "Reproduced at the Ronald Reagan Library",
    "3.",
    "- 4 -",
    "*NSC: Head of State File, Box. 40*",
    "## SECRET",
    "Unofficial translation",
    "СЕРТИФИКАТ",
]
DATES = [
    "March 24, 1985",
    "17th November 1981",
    "Nov. 17, 1981",
    "17.11.1981",
    "1988-09-20",
    "Moscow, 2 March 1986",
    "November 17 10:30 a.m.",
]
SALUTES = ["Dear Mr. President:", "Dear President Brezhnev:", "Dear Sir,", "My dear friend,"]
CLOSINGS = ["Sincerely,", "Sincerely yours,", "Respectfully,", "With best regards,"]
SIGNATURES = ["M. GORBACHEV", "RR", "/s/", "Ronald Reagan", "J. Smith"]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS + HYPHENABLE), min_size=3, max_size=18))
    words[0] = words[0].capitalize()
    if draw(st.booleans()):
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(["Привет", "мир"])))
    return " ".join(words) + draw(st.sampled_from([".", ".", "?", ";", ","]))


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    text = " ".join(draw(st.lists(sentences(), min_size=1, max_size=5)))
    width = draw(st.sampled_from([0, 35, 50, 65]))
    if not width:
        return text
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if draw(st.booleans()) and len(lines) > 1:  # hyphenate the first word of a line
        k = draw(st.integers(1, len(lines) - 1))
        head, _, rest = lines[k].partition(" ")
        if len(head) > 5 and head.isalpha():
            lines[k - 1] += f" {head[:3]}-"
            lines[k] = head[3:] + (f" {rest}" if rest else "")
    return "\n".join(lines)


@st.composite
def letters(draw: st.DrawFn) -> str:
    parts: list[str] = draw(st.lists(st.sampled_from(FURNITURE), max_size=2))
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(DATES)))
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(SALUTES)))
    for paragraph in draw(st.lists(paragraphs(), min_size=1, max_size=5)):
        parts.append(paragraph)
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(st.sampled_from(FURNITURE)))
        if draw(st.integers(0, 5)) == 0:
            parts.append("\n\n")  # a page break: three blank lines
    if draw(st.booleans()):
        parts += [draw(st.sampled_from(CLOSINGS)), draw(st.sampled_from(SIGNATURES))]
    return "\n\n".join(parts) + draw(st.sampled_from(["", "\n", "\n\n\n"]))


@pytest.fixture(scope="module")
def relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "tei_all.simplified.rng.gz")))


def documents(text: str) -> list[bytes]:
    return [add_checksum(to_tei(letter)) for letter in convert_text(text, "generated.txt")]


def assert_lossless(text: str, docs: list[bytes]) -> None:
    reading, artifacts = "", []
    for doc in docs:
        root = etree.fromstring(doc)
        reading += source_reading(root)
        artifacts += dropped_artifacts(root)
    assert squeeze(reading) == expected_reading(text, artifacts)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(letters())
def test_generated_letters_are_lossless_valid_and_deterministic(
    relaxng: etree.RelaxNG, text: str
) -> None:
    docs = documents(text)
    assert_lossless(text, docs)
    for doc in docs:
        assert relaxng.validate(etree.fromstring(doc)), relaxng.error_log.last_error
    assert documents(text) == docs


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\n  -#*"), min_size=1
    )
)
def test_arbitrary_text_loses_nothing(text: str) -> None:
    if not text.strip():
        return
    assert_lossless(text, documents(text))


def test_a_sample_of_generated_letters_is_valid_according_to_jing(tmp_path: Path) -> None:
    examples: list[str] = []

    @settings(max_examples=25, deadline=None, database=None)
    @given(letters())
    def collect(text: str) -> None:
        examples.append(text)

    collect()
    files = []
    for i, text in enumerate(examples):
        for j, doc in enumerate(documents(text)):
            path = tmp_path / f"g{i}-{j}.xml"
            path.write_bytes(doc)
            files.append(path)
    assert jing_errors(*files) == []

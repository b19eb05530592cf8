"""Versions of one letter in one file (a sent copy and its draft): what one shows of another.

A paragraph that begins in mid-sentence after a finished one may follow a lost page, or the
writer may simply begin a paragraph in lower case ("ad 3.)", "herzlich Ihr"). The text
alone cannot tell; another version of the letter in the same file can: where it has words
between the end of the paragraph before and the start of this one, they are missing from
this copy, and a ``gap`` says so, naming that version as its evidence.
"""

from __future__ import annotations

import re

from teitools.model import Gap, Letter
from teitools.reader.metadata import body_text, plain
from teitools.reader.segment import Resumes

ENDS = 4  # words on either side of the break that must recur in the other version
LONGEST = 2000  # words a lost passage may have (more: the match is chance, not the letter)
TRIED = 64  # times a run of words may recur in a version (one that recurs more shows nothing)
SHARED = 0.5  # of the word triples of the shorter version the longer one has too
LOST = (
    "The text resumes in mid-sentence here: letter {index} in the same file, a version of "
    "this one, has {count} words here (\u201c{start} \u2026\u201d) that this copy lacks."
)
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _triples(words: list[str]) -> set[tuple[str, ...]]:
    lowered = [w.lower() for w in words]
    return set(zip(lowered, lowered[1:], lowered[2:], strict=False))


def _at(text: str, phrase: str) -> list[int]:
    """Where ``phrase`` (words between spaces) stands in ``text``, at most TRIED + 1 times."""
    found: list[int] = []
    at = text.find(phrase)
    while at >= 0 and len(found) <= TRIED:
        found.append(at)
        at = text.find(phrase, at + 1)
    return found


def lost_passages(letters: list[Letter], resumes: list[list[Resumes]]) -> None:
    """Put a ``gap`` before each paragraph of ``letters[i]`` in ``resumes[i]`` where another
    version of the letter in the file (one that shares half the word triples of the shorter
    of the two) has words between the paragraph before and this one."""
    if len(letters) < 2 or not any(resumes):
        return
    texts = [_words(body_text(letter)) for letter in letters]
    joined = [f" {' '.join(words).lower()} " for words in texts]
    triples: dict[int, set[tuple[str, ...]]] = {}
    for i, letter in enumerate(letters):
        for resume in resumes[i]:
            before = " ".join(_words(plain(resume.before.content))[-ENDS:]).lower()
            after = " ".join(_words(plain(resume.paragraph.content))[:ENDS]).lower()
            for j, text in enumerate(joined):
                if j == i:
                    continue
                heads, tails = _at(text, f" {before} "), _at(text, f" {after} ")
                if not heads or not tails or len(heads) > TRIED or len(tails) > TRIED:
                    continue  # not there, or words that recur so often show nothing
                stretch = min(
                    ((h + len(before) + 1, t) for h in heads for t in tails if t > h + len(before)),
                    key=lambda pair: pair[1] - pair[0],
                    default=None,
                )
                if stretch is None:
                    continue
                start = text[: stretch[0]].count(" ")  # in words
                count = text[stretch[0] : stretch[1] + 1].count(" ") - 1
                if not 0 < count <= LONGEST:
                    continue
                for k in (i, j):  # each letter's triples made once
                    if k not in triples:
                        triples[k] = _triples(texts[k])
                own, theirs = triples[i], triples[j]
                if len(own & theirs) < SHARED * min(len(own), len(theirs)):
                    continue
                note = LOST.format(
                    index=letters[j].source.index,
                    count=count,
                    start=" ".join(texts[j][start : start + min(6, count)]),
                )
                where = next(n for n, b in enumerate(letter.body) if b is resume.paragraph)
                letter.body.insert(where, Gap("lost", None, note))
                break

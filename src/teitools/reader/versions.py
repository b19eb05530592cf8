"""Versions of one letter in one file (a sent copy and its draft): what one shows of another.

A paragraph that begins in mid-sentence after a finished one may follow a lost page, or the
writer may simply begin a paragraph in lower case ("ad 3.)", "herzlich Ihr"). The text
alone cannot tell; another version of the letter in the same file can: where it has words
between the end of the paragraph before and the start of this one, they are missing from
this copy, and a ``gap`` says so, naming that version as its evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from teitools.model import Gap, Letter
from teitools.reader.metadata import body_text, plain
from teitools.reader.segment import Resumes

ENDS = 4  # words on either side of the break that must recur in the other version
LONGEST = 2000  # words a lost passage may have (more: the match is chance, not the letter)
TRIED = 64  # times a run of words may recur in the file (one that recurs more shows nothing)
SHARED = 0.5  # of the word triples of the shorter version the longer one has too
LOST = (
    "The text resumes in mid-sentence here: letter {index} in the same file, a version of "
    "this one, has {count} words here (\u201c{start} \u2026\u201d) that this copy lacks."
)
_WORD = re.compile(r"\w+")

Run = tuple[str, ...]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _index(texts: list[list[str]]) -> dict[Run, list[tuple[int, int]]]:
    """Every run of ``ENDS`` words (lower-cased) → the letters and positions it starts at."""
    found: dict[Run, list[tuple[int, int]]] = {}
    for j, words in enumerate(texts):
        lowered = [w.lower() for w in words]
        for k in range(len(lowered) - ENDS + 1):
            found.setdefault(tuple(lowered[k : k + ENDS]), []).append((j, k))
    return found


def _triples(words: list[str]) -> set[Run]:
    lowered = [w.lower() for w in words]
    return {tuple(lowered[k : k + 3]) for k in range(len(lowered) - 2)}


def lost_passages(letters: list[Letter], resumes: list[list[Resumes]]) -> None:
    """Put a ``gap`` before each paragraph of ``letters[i]`` in ``resumes[i]`` where another
    version of the letter in the file (one that shares half the word triples of the shorter
    of the two) has words between the paragraph before and this one."""
    if len(letters) < 2 or not any(resumes):
        return
    texts = [_words(body_text(letter)) for letter in letters]
    runs = _index(texts)
    triples: dict[int, set[Run]] = {}
    for i, letter in enumerate(letters):
        for resume in resumes[i]:
            before = tuple(w.lower() for w in _words(plain(resume.before.content))[-ENDS:])
            after = tuple(w.lower() for w in _words(plain(resume.paragraph.content))[:ENDS])
            heads, tails = runs.get(before, []), runs.get(after, [])
            if len(heads) > TRIED or len(tails) > TRIED:
                continue  # words that recur so often show nothing
            ends: dict[int, list[int]] = {}
            for j, k in tails:
                ends.setdefault(j, []).append(k)
            found: dict[int, tuple[int, int]] = {}  # letter → the shortest stretch between
            for j, k in heads:
                head, mine = k + ENDS, ends.get(j, [])
                at = bisect_right(mine, head)
                if j == i or at == len(mine) or mine[at] - head > LONGEST:
                    continue
                if j not in found or mine[at] - head < found[j][1] - found[j][0]:
                    found[j] = (head, mine[at])
            for j, (start, end) in sorted(found.items()):
                own = triples.setdefault(i, _triples(texts[i]))
                theirs = triples.setdefault(j, _triples(texts[j]))
                if len(own & theirs) < SHARED * min(len(own), len(theirs)):
                    continue
                note = LOST.format(
                    index=letters[j].source.index,
                    count=end - start,
                    start=" ".join(texts[j][start : min(start + 6, end)]),
                )
                where = next(n for n, b in enumerate(letter.body) if b is resume.paragraph)
                letter.body.insert(where, Gap("lost", None, note))
                break

"""Word-by-word alignment of two witnesses, robust to what OCR and re-typing do to a text.

Words are compared by their keys (:func:`~teitools.collate.witness.key_of`), so case,
punctuation, line breaks and line-end hyphens never make a difference. The alignment is
built in passes:

1. **anchors**: words found exactly once in both stretches of text (where the text repeats
   itself: runs of two or three words), kept where they stand in the same order in both
   (the longest increasing run, as patience diff does), and the stretches between them
   aligned the same way, down to stretches with no such word;
2. **gaps**: a short stretch is aligned by dynamic programming over word similarity
   (:meth:`~teitools.collate.words.Words.similarity`, an edit distance in which OCR's
   confusions cost half a letter): "cbstacle" pairs with "obstacle", "S5-20" with "SS-20";
3. **islands**: a word or two paired inside a passage that was rewritten ("the", "to",
   "interests in") are unpaired again, so that the rewritten passage is one variant;
4. **moved passages**: a run of unpaired words in one witness that matches a run of unpaired
   words elsewhere in the other is paired with it as a transposition. OCR puts a
   handwritten insertion before or after the typed line it belongs to: such a run is
   looked for even when it is short.

Time is close to linear in the length of similar texts; dissimilar stretches are aligned
by dynamic programming only up to :data:`MAX_CELLS` cells at a time, and an alignment
spends a bounded number of cells in all (:data:`BUDGET_BASE`, :data:`BUDGET_PER_WORD`).
"""

from __future__ import annotations

import difflib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from teitools.collate.witness import Token
from teitools.collate.words import Words

MAX_CELLS = 40_000  # the largest stretch (words × words) aligned by dynamic programming
FUNCTION_WEIGHT = 0.3  # what pairing a function word is worth against a content word
LOOSE = 0.75  # a single word paired with less likeness than this needs paired neighbours
MOVED_MIN = 3  # words a moved passage has at least (a handwritten one: 2)
# Dynamic programming for one alignment, in cells: versions of a letter use one or two per
# word (a heavily worked draft: under one; generated pairs: five at most); two long texts
# that differ everywhere get no more than this (20,000 words against 20,000: ~11 s of CPU)
BUDGET_BASE, BUDGET_PER_WORD = 100_000, 20
MAX_MOVED_RUNS = 400  # unpaired runs looked at for moved passages, the longest first
ISLAND_PASSES = 8


class _Budget:
    def __init__(self, words: int):
        self.cells = BUDGET_BASE + BUDGET_PER_WORD * words

    def take(self, cells: int) -> bool:
        """Whether ``cells`` more may be spent (they are, if so)."""
        if cells > self.cells:
            return False
        self.cells -= cells
        return True


@dataclass(frozen=True)
class Alignment:
    """Pairs ``(i, j)`` of a word of ``a`` and a word of ``b``, in the order of ``a``; the
    ``moved`` words of ``b`` stand elsewhere in ``b`` than their partners in ``a``."""

    pairs: tuple[tuple[int, int], ...]
    moved: frozenset[int] = frozenset()


def align(a: Sequence[Token], b: Sequence[Token], words: Words) -> Alignment:
    """Align the words of ``b`` to those of ``a`` (see the module's description)."""
    ka = [t.key for t in a]
    kb = [t.key for t in b]
    budget = _Budget(len(a) + len(b))
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        stack.extend(_split(a, b, ka, kb, *stack.pop(), pairs, words, budget))
    pairs.sort()
    pairs = _dissolve_islands(pairs, a, b, words)
    return _find_moved(pairs, a, b, words, budget)


Stretch = tuple[int, int, int, int]


def _split(
    a: Sequence[Token],
    b: Sequence[Token],
    ka: list[str],
    kb: list[str],
    lo_a: int,
    hi_a: int,
    lo_b: int,
    hi_b: int,
    pairs: list[tuple[int, int]],
    words: Words,
    budget: _Budget,
) -> list[Stretch]:
    """Pair what is sure in one stretch; return the smaller stretches still to align."""
    while lo_a < hi_a and lo_b < hi_b and ka[lo_a] == kb[lo_b] and not a[lo_a].gap:
        pairs.append((lo_a, lo_b))
        lo_a, lo_b = lo_a + 1, lo_b + 1
    while lo_a < hi_a and lo_b < hi_b and ka[hi_a - 1] == kb[hi_b - 1] and not a[hi_a - 1].gap:
        pairs.append((hi_a - 1, hi_b - 1))
        hi_a, hi_b = hi_a - 1, hi_b - 1
    if lo_a == hi_a or lo_b == hi_b:
        return []
    anchors = _unique_anchors(ka, kb, lo_a, hi_a, lo_b, hi_b)
    cells = (hi_a - lo_a) * (hi_b - lo_b)
    if not anchors and cells > MAX_CELLS and budget.take(cells // 10):
        anchors = _common_blocks(ka, kb, lo_a, hi_a, lo_b, hi_b)
    if not anchors:
        if cells <= MAX_CELLS and budget.take(cells):
            pairs.extend(_dynamic(a, b, lo_a, hi_a, lo_b, hi_b, words))
        return []
    stretches = []
    previous_a, previous_b = lo_a, lo_b
    for i, j in anchors:
        pairs.append((i, j))
        stretches.append((previous_a, i, previous_b, j))
        previous_a, previous_b = i + 1, j + 1
    stretches.append((previous_a, hi_a, previous_b, hi_b))
    return [s for s in stretches if s[0] < s[1] and s[2] < s[3]]


def _unique_anchors(
    ka: list[str], kb: list[str], lo_a: int, hi_a: int, lo_b: int, hi_b: int
) -> list[tuple[int, int]]:
    """Words found once in each stretch, in the longest run of the same order in both; where
    no word is found once (a text that repeats itself), runs of two or three words."""
    for size in (1, 2, 3):
        grams_a = _grams(ka, lo_a, hi_a, size)
        grams_b = _grams(kb, lo_b, hi_b, size)
        count_a = Counter(grams_a)
        count_b = Counter(grams_b)
        where_b = {g: lo_b + k for k, g in enumerate(grams_b) if count_b[g] == 1}
        candidates = [
            (lo_a + k, where_b[g])
            for k, g in enumerate(grams_a)
            if count_a[g] == 1 and g in where_b and "\x00" not in g
        ]
        run = _increasing(candidates)
        if run:
            if size == 1:
                return run
            found: list[tuple[int, int]] = []
            for i, j in run:  # each run of words, once, in order
                for step in range(size):
                    pair = (i + step, j + step)
                    if not found or (pair[0] > found[-1][0] and pair[1] > found[-1][1]):
                        found.append(pair)
            return found
    return []


def _grams(keys: list[str], lo: int, hi: int, size: int) -> list[str]:
    if size == 1:
        return keys[lo:hi]
    return [" ".join(keys[k : k + size]) for k in range(lo, hi - size + 1)]


def _increasing(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``candidates`` (sorted by i) increasing in j."""
    if not candidates:
        return []
    tails: list[int] = []  # tails[k]: j at the end of the best run of length k + 1
    ends: list[int] = []  # ... and its index in candidates
    back = [-1] * len(candidates)
    for index, (_, j) in enumerate(candidates):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            ends.append(index)
        else:
            tails[k] = j
            ends[k] = index
        back[index] = ends[k - 1] if k else -1
    run = []
    index = ends[-1]
    while index >= 0:
        run.append(candidates[index])
        index = back[index]
    return run[::-1]


def _common_blocks(
    ka: list[str], kb: list[str], lo_a: int, hi_a: int, lo_b: int, hi_b: int
) -> list[tuple[int, int]]:
    """For a long stretch with no word found once in both: the matching blocks of
    difflib's longest-common-substring split, word by word."""
    matcher = difflib.SequenceMatcher(None, ka[lo_a:hi_a], kb[lo_b:hi_b], autojunk=False)
    found: list[tuple[int, int]] = []
    for i, j, size in matcher.get_matching_blocks():
        if size >= 2:
            found.extend((lo_a + i + k, lo_b + j + k) for k in range(size))
    return found


def _dynamic(
    a: Sequence[Token],
    b: Sequence[Token],
    lo_a: int,
    hi_a: int,
    lo_b: int,
    hi_b: int,
    words: Words,
) -> list[tuple[int, int]]:
    """The pairs of similar words, in order, worth the most (a weighted common
    subsequence: a function word counts for less than a word of substance)."""
    rows, cols = hi_a - lo_a, hi_b - lo_b
    weight = []
    for i in range(rows):
        x = a[lo_a + i]
        factor = FUNCTION_WEIGHT if words.function(x.key) else 1.0
        weight.append([words.pairable(x, b[lo_b + j]) * factor for j in range(cols)])
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        here, below = score[i], score[i + 1]
        row_weight = weight[i]
        for j in range(cols - 1, -1, -1):
            best = below[j] if below[j] >= here[j + 1] else here[j + 1]
            w = row_weight[j]
            if w and below[j + 1] + w > best:
                best = below[j + 1] + w
            here[j] = best
    found = []
    i = j = 0
    while i < rows and j < cols:
        w = weight[i][j]
        if w and score[i][j] == score[i + 1][j + 1] + w:
            found.append((lo_a + i, lo_b + j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return found


def _dissolve_islands(
    pairs: list[tuple[int, int]],
    a: Sequence[Token],
    b: Sequence[Token],
    words: Words,
) -> list[tuple[int, int]]:
    """Unpair short runs of paired words standing inside a rewritten passage.

    Unpaired words on both sides of a run of one or two words, in both witnesses, make it an
    island: it goes if the unpaired words around it are three times as many (and one more)
    in both witnesses. One pair of two words that are only loosely alike ("these" and
    "theater") goes if on either side both witnesses have unpaired words. A run of at most
    three function words goes when, between the nearest runs that hold a word of substance,
    both witnesses have three unpaired words or more.
    """
    changed, passes = True, 0
    while changed and pairs and passes < ISLAND_PASSES:
        changed, passes = False, passes + 1
        runs = _runs(pairs)
        keep: list[bool] = [True] * len(runs)
        for index, (start, end) in enumerate(runs):
            size = end - start
            if size > 3:
                continue
            left = _gap_before(pairs, runs, index)
            right = _gap_after(pairs, runs, index, len(a), len(b))
            around = min(left[0] + right[0], left[1] + right[1])
            if size <= 2 and min(left) and min(right) and around >= 3 * size + 1:
                keep[index] = False
                continue
            if size == 1 and (min(left) or min(right)):
                i, j = pairs[start]
                both_words = words.is_word(a[i].key) and words.is_word(b[j].key)
                if both_words and words.token_similarity(a[i], b[j]) < LOOSE:
                    keep[index] = False
                    continue
            function_only = all(words.function(a[pairs[k][0]].key) for k in range(start, end))
            if function_only and _rewritten(pairs, runs, index, a, len(a), len(b), words):
                keep[index] = False
        if not all(keep):
            pairs = [p for index, (s, e) in enumerate(runs) if keep[index] for p in pairs[s:e]]
            changed = True
    return pairs


def _runs(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Maximal runs of pairs consecutive in both witnesses, as index ranges of ``pairs``."""
    runs = []
    start = 0
    for k in range(1, len(pairs) + 1):
        if k == len(pairs) or pairs[k] != (pairs[k - 1][0] + 1, pairs[k - 1][1] + 1):
            runs.append((start, k))
            start = k
    return runs


def _gap_before(
    pairs: list[tuple[int, int]], runs: list[tuple[int, int]], index: int
) -> tuple[int, int]:
    i, j = pairs[runs[index][0]]
    if index == 0:
        return i, j
    pi, pj = pairs[runs[index - 1][1] - 1]
    return i - pi - 1, j - pj - 1


def _gap_after(
    pairs: list[tuple[int, int]], runs: list[tuple[int, int]], index: int, na: int, nb: int
) -> tuple[int, int]:
    i, j = pairs[runs[index][1] - 1]
    if index == len(runs) - 1:
        return na - i - 1, nb - j - 1
    ni, nj = pairs[runs[index + 1][0]]
    return ni - i - 1, nj - j - 1


def _rewritten(
    pairs: list[tuple[int, int]],
    runs: list[tuple[int, int]],
    index: int,
    a: Sequence[Token],
    na: int,
    nb: int,
    words: Words,
) -> bool:
    """Whether both witnesses have three or more unpaired words between the runs of
    substance on either side of run ``index``."""

    def solid(k: int) -> bool:
        start, end = runs[k]
        return end - start > 3 or any(
            not words.function(a[pairs[m][0]].key) for m in range(start, end)
        )

    left = index - 1
    while left >= 0 and not solid(left):
        left -= 1
    right = index + 1
    while right < len(runs) and not solid(right):
        right += 1
    first_a, first_b = pairs[runs[left][1] - 1] if left >= 0 else (-1, -1)
    last_a, last_b = pairs[runs[right][0]] if right < len(runs) else (na, nb)
    paired = sum(runs[k][1] - runs[k][0] for k in range(left + 1, right))
    return min(last_a - first_a - 1, last_b - first_b - 1) - paired >= 3


def _find_moved(
    pairs: list[tuple[int, int]],
    a: Sequence[Token],
    b: Sequence[Token],
    words: Words,
    budget: _Budget,
) -> Alignment:
    """Pair runs of unpaired words of ``b`` with a like run of ``a`` in another place."""
    paired_a = {i for i, _ in pairs}
    paired_b = {j for _, j in pairs}
    runs_a = [r for r in _unpaired_runs(len(a), paired_a, a) if r[1] - r[0] >= 2]
    runs_b = _unpaired_runs(len(b), paired_b, b)
    if not runs_a or not runs_b:
        return Alignment(tuple(pairs))
    keys_a = [{a[i].key for i in range(*run)} for run in runs_a]
    content_a = [{k for k in keys if not words.function(k)} for keys in keys_a]
    holding: dict[str, list[int]] = {}  # word → the runs of a that hold it
    for index, keys in enumerate(keys_a):
        for key in keys:
            holding.setdefault(key, []).append(index)
    order = sorted(pairs)
    places = ([i for i, _ in order], [j for _, j in order])
    moved: set[int] = set()
    extra: list[tuple[int, int]] = []
    used: set[int] = set()
    longest = sorted(runs_b, key=lambda r: (r[0] - r[1], r[0]))[:MAX_MOVED_RUNS]
    for start_b, end_b in longest:
        hand = all(b[j].hand for j in range(start_b, end_b))
        least = 2 if hand else MOVED_MIN
        if end_b - start_b < least:
            continue
        here = _place(places, start_b)
        keys_b = {b[j].key for j in range(start_b, end_b)}
        best: tuple[float, int, list[tuple[int, int]]] | None = None
        candidates = sorted({index for key in keys_b for index in holding.get(key, ())})
        for index in candidates:
            start_a, end_a = runs_a[index]
            # words in common: two at least; of substance, unless the run is handwritten
            shared = keys_a[index] if hand else content_a[index]
            if index in used or len(shared & keys_b) < 2:
                continue
            if here[0] < start_a and end_a <= here[1]:
                continue  # the same place in both: a rewritten passage, not a moved one
            cells = (end_a - start_a) * (end_b - start_b)
            if cells > MAX_CELLS or not budget.take(cells):
                continue
            found = _dynamic(a, b, start_a, end_a, start_b, end_b, words)
            if not _moved_passage(found, a, b, hand, least, words):
                continue
            score = sum(words.token_similarity(a[i], b[j]) for i, j in found)
            if best is None or score > best[0]:
                best = (score, index, found)
        if best is None:
            continue
        _, index, found = best
        used.add(index)
        extra.extend(found)
        moved.update(range(found[0][1], found[-1][1] + 1))
    return Alignment(tuple(sorted(pairs + extra)), frozenset(moved))


def _moved_passage(
    found: list[tuple[int, int]],
    a: Sequence[Token],
    b: Sequence[Token],
    hand: bool,
    least: int,
    words: Words,
) -> bool:
    """Whether pairs found between two runs make one passage: enough of them, close
    together in both witnesses, alike; words of substance among them."""
    if len(found) < least:
        return False
    span_a = found[-1][0] - found[0][0] + 1
    span_b = found[-1][1] - found[0][1] + 1
    if max(span_a, span_b) > 1.5 * len(found) + 2:
        return False
    values = [words.token_similarity(a[i], b[j]) for i, j in found]
    if sum(values) < 0.7 * len(values):
        return False
    pairs = zip(values, found, strict=True)
    strong = sum(v >= 0.8 and not words.function(a[i].key) for v, (i, _) in pairs)
    return hand or strong >= 2


def _unpaired_runs(n: int, paired: set[int], tokens: Sequence[Token]) -> list[tuple[int, int]]:
    runs = []
    start = None
    for k in range(n + 1):
        free = k < n and k not in paired and not tokens[k].gap
        if free and start is None:
            start = k
        elif not free and start is not None:
            runs.append((start, k))
            start = None
    return runs


def _place(places: tuple[list[int], list[int]], j: int) -> tuple[int, int]:
    """The stretch of ``a`` between the partners of the paired words around ``b``'s ``j``
    (``places``: the pairs' words of ``a`` and of ``b``, both in order)."""
    in_a, in_b = places
    before = bisect_left(in_b, j) - 1
    after = bisect_right(in_b, j)
    return (in_a[before] if before >= 0 else -1), (in_a[after] if after < len(in_a) else 10**12)

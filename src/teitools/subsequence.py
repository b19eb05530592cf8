"""The heaviest common subsequence: the pairs, in order in both sequences, worth the most.

One dynamic programme for every alignment that weighs its pairs: the words of two versions
of a letter (:mod:`teitools.collate.align`), the children of an element in a three-way
merge (:mod:`teitools.tei.merge`).
"""

from __future__ import annotations

from collections.abc import Sequence


def heaviest_pairs(weight: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """The pairs ``(i, j)``, increasing in both, whose ``weight[i][j]`` sum most; a weight
    of 0 is a pair that may not be made. Where choices tie, a pair is taken first, then the
    first sequence's item is left out: the same input gives the same pairs."""
    rows = len(weight)
    cols = len(weight[0]) if rows else 0
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
            found.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return found

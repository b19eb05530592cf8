"""Three-way merge of XML documents, element by element.

``base`` is what teitools wrote last, ``mine`` the editor's file made from it, ``theirs`` a
new conversion. Where the editor left an element as it was, the new conversion's version
is taken; where the new conversion left it, the editor's stays; where both changed the same
thing differently (an attribute, a text, a run of children), that is a conflict and nothing
is merged.

Children are matched between versions in two passes: first children that are equal (same
element, attributes, text and descendants), then, between those, children of the same name
in the same order, or whose words are most alike (an edited paragraph is still that
paragraph). A node is taken from the new conversion only where the editor's is equal to
what teitools wrote: an editorial change is never lost, and a wrong pairing can only make
a conflict. Whitespace counts as one space, and whitespace alone as none: re-indenting a
file changes nothing.

The result keeps the editor's prolog (XML declaration, processing instructions, comments)
byte for byte, and what follows the root element. Work is bounded: equal children are
paired as patience diff pairs lines (:func:`equal_pairs`, O(n log n)), alike ones by
likeness in runs of at most :data:`MAX_PAIRS` pairs; beyond, children are paired in order.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lxml import etree

from teitools import safexml
from teitools.namespaces import XML_ID
from teitools.subsequence import heaviest_pairs

LIKE = 0.5  # words in common (Jaccard) for two children of the same name to be one
MAX_PAIRS = 40_000  # a run of unmatched children larger than this is paired in order
SMALL_GAP = 10_000  # a gap of unequal children compared pairwise, at most (pairs)
_SPACE = re.compile(r"\s+")
_MISC = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


class MergeError(ValueError):
    """A document cannot be merged (not well-formed, or with a DOCTYPE)."""


@dataclass
class Merged:
    """The merged document's bytes (``None`` if there were conflicts), the changes taken
    from the new conversion, and each conflict as "where: what"."""

    data: bytes | None
    taken: int = 0
    conflicts: list[str] = field(default_factory=list)


class _Conflict(Exception):
    pass


def _norm(text: str | None) -> str:
    squeezed = _SPACE.sub(" ", text or "")
    return "" if squeezed == " " else squeezed


def _name(node: etree._Element) -> str:
    if node.tag is etree.Comment:
        return "comment()"
    if node.tag is etree.ProcessingInstruction:
        return "processing-instruction()"
    return str(etree.QName(node).localname)


class _Merge:
    def __init__(self) -> None:
        # keyed by id(); each value holds its node, so that no id is reused while in use
        self.keys: dict[int, tuple[etree._Element, tuple[object, ...]]] = {}
        self.words: dict[int, tuple[etree._Element, Counter[str]]] = {}
        self.taken = 0
        self.conflicts: list[str] = []

    # ----------------------------------------------------------------- equality
    def key(self, node: etree._Element) -> tuple[object, ...]:
        """What two nodes must share to be equal (tails are the parent's business)."""
        found = self.keys.get(id(node))
        if found is None:
            children = tuple((self.key(c), _norm(c.tail)) for c in node)
            attrs = tuple(sorted(node.attrib.items())) if isinstance(node.tag, str) else ()
            found = (node, (str(node.tag), attrs, _norm(node.text), children))
            self.keys[id(node)] = found
        return found[1]

    def same(self, a: etree._Element, b: etree._Element) -> bool:
        return a is b or self.key(a) == self.key(b)

    def equal_runs(self, xs: Sequence[etree._Element], ys: Sequence[etree._Element]) -> bool:
        return len(xs) == len(ys) and all(
            self.same(x, y) and _norm(x.tail) == _norm(y.tail) for x, y in zip(xs, ys, strict=True)
        )

    def bag(self, node: etree._Element) -> Counter[str]:
        found = self.words.get(id(node))
        if found is None:
            element = isinstance(node.tag, str)
            text = " ".join(node.itertext()) if element else node.text or ""
            attrs = " ".join(v for _, v in sorted(node.attrib.items())) if element else ""
            found = (node, Counter(f"{text} {attrs}".split()))
            self.words[id(node)] = found
        return found[1]

    def likeness(self, a: etree._Element, b: etree._Element) -> float:
        """1 for the same ``xml:id``; else the words two nodes of one name share (Jaccard)."""
        if a.tag != b.tag or a.get(XML_ID) != b.get(XML_ID):
            return 0.0
        if a.get(XML_ID) is not None:
            return 1.0
        wa, wb = self.bag(a), self.bag(b)
        union = sum((wa | wb).values())
        return 1.0 if not union else sum((wa & wb).values()) / union

    # ----------------------------------------------------------------- matching
    def match(self, xs: Sequence[etree._Element], ys: Sequence[etree._Element]) -> dict[int, int]:
        """i → j for children that are one and the same, increasing in both: equal ones
        (:func:`equal_pairs`), then, between those, alike ones."""
        numbers: dict[tuple[object, ...], int] = {}  # each distinct child a small number
        keys_x = [numbers.setdefault((self.key(x), _norm(x.tail)), len(numbers)) for x in xs]
        keys_y = [numbers.setdefault((self.key(y), _norm(y.tail)), len(numbers)) for y in ys]
        pairs: dict[int, int] = {}
        i0 = j0 = 0
        for i, j in [*equal_pairs(keys_x, keys_y), (len(xs), len(ys))]:
            pairs.update(self.pair_alike(xs, ys, range(i0, i), range(j0, j)))
            pairs[i] = j
            i0, j0 = i + 1, j + 1
        del pairs[len(xs)]
        return pairs

    def pair_alike(
        self, xs: Sequence[etree._Element], ys: Sequence[etree._Element], ri: range, rj: range
    ) -> list[tuple[int, int]]:
        """The most pairs of alike children, in order (a longest common subsequence); as
        many children of the same names in the same order: each is the one it stands for."""
        if not ri or not rj:
            return []
        if len(ri) == len(rj) and all(
            xs[i].tag == ys[j].tag and xs[i].get(XML_ID) == ys[j].get(XML_ID)
            for i, j in zip(ri, rj, strict=True)
        ):
            return list(zip(ri, rj, strict=True))
        if len(ri) * len(rj) > MAX_PAIRS:
            return [(i, j) for i, j in zip(ri, rj, strict=False) if xs[i].tag == ys[j].tag]
        weight = [[self.weight(xs[i], ys[j]) for j in rj] for i in ri]
        return [(ri[a], rj[b]) for a, b in heaviest_pairs(weight)]

    def weight(self, x: etree._Element, y: etree._Element) -> float:
        """What pairing ``x`` with ``y`` is worth: one and their likeness, or nothing (0)
        where they are not alike enough to be one child."""
        like = self.likeness(x, y)
        return 1 + like if like >= LIKE else 0.0

    # ----------------------------------------------------------------- merging
    def conflict(
        self, where: _Path, what: str = "changed by the editor and by the new conversion"
    ) -> _Conflict:
        self.conflicts.append(f"{where}: {what}")
        return _Conflict()

    def value(
        self, where: _Path, base: str | None, mine: str | None, theirs: str | None
    ) -> str | None:
        """One text or attribute value, three ways."""
        if _norm(theirs) == _norm(base) or _norm(mine) == _norm(theirs):
            return mine
        if _norm(mine) == _norm(base):
            self.taken += 1
            return theirs
        raise self.conflict(where)

    def node(
        self, base: etree._Element, mine: etree._Element, theirs: etree._Element, where: _Path
    ) -> etree._Element:
        """One node, three ways: a new node (without tail)."""
        if self.same(theirs, base) or self.same(mine, theirs):
            return _copy(mine)
        if self.same(mine, base):
            self.taken += 1
            return _copy(theirs)
        if mine.tag != theirs.tag or not isinstance(mine.tag, str):
            raise self.conflict(where)
        merged = etree.Element(mine.tag, nsmap=mine.nsmap)
        for name in sorted({*base.attrib, *mine.attrib, *theirs.attrib}):
            label = _Path(where, f"@{etree.QName(name).localname}")
            chosen = self.value(label, base.get(name), mine.get(name), theirs.get(name))
            if chosen is not None:
                merged.set(name, chosen)
        merged.text = self.value(_Path(where, "text()"), base.text, mine.text, theirs.text)
        merged.extend(self.children(list(base), list(mine), list(theirs), where))
        return merged

    def children(
        self,
        base: list[etree._Element],
        mine: list[etree._Element],
        theirs: list[etree._Element],
        where: _Path,
    ) -> list[etree._Element]:
        """The merged children, with their tails: diff3 over the matched sequences."""
        to_mine, to_theirs = self.match(base, mine), self.match(base, theirs)
        anchors = [
            (i, to_mine[i], to_theirs[i])
            for i in range(len(base))
            if i in to_mine and i in to_theirs
        ]
        result: list[etree._Element] = []
        before = (-1, -1, -1)
        for anchor in [*anchors, (len(base), len(mine), len(theirs))]:
            i, j, k = (b + 1 for b in before)
            chunk = base[i : anchor[0]], mine[j : anchor[1]], theirs[k : anchor[2]]
            at = _Path(where, mine, j) if chunk[1] else _Path(where, base, i)
            result += self.chunk(*chunk, where=at)
            if anchor[0] < len(base):
                i, j, k = anchor
                step = _Path(where, mine, j)
                merged = self.node(base[i], mine[j], theirs[k], step)
                merged.tail = self.value(
                    _Path(step, "following-sibling::text()[1]"),
                    base[i].tail,
                    mine[j].tail,
                    theirs[k].tail,
                )
                result.append(merged)
            before = anchor
        return result

    def chunk(
        self,
        base: list[etree._Element],
        mine: list[etree._Element],
        theirs: list[etree._Element],
        where: _Path,
    ) -> list[etree._Element]:
        """A run of children not matched in all three: taken whole from one side."""
        if self.equal_runs(theirs, base) or self.equal_runs(mine, theirs):
            return [_copy(node, tail=True) for node in mine]
        if self.equal_runs(mine, base):
            self.taken += 1
            return [_copy(node, tail=True) for node in theirs]
        if not mine:
            raise self.conflict(where, "deleted by the editor and changed by the new conversion")
        raise self.conflict(where)


def equal_pairs(xs: Sequence[int], ys: Sequence[int]) -> list[tuple[int, int]]:
    """Pairs (i, j) with ``xs[i] == ys[j]``, increasing in both: a common subsequence, the
    longest where the two differ in few places. As patience diff does: the equal ones at
    the start and the end; between them, the items that occur once in each, in the longest
    order both agree on (:func:`_agreeing`); then the same within each gap, and a gap of
    at most :data:`SMALL_GAP` pairs compared item by item. O(n log n) on children that
    differ, as paragraphs do; a large gap with no item once in each is left unpaired here
    (:meth:`_Merge.pair_alike` pairs it in order)."""
    pairs: list[tuple[int, int]] = []
    todo = [(0, len(xs), 0, len(ys))]
    while todo:
        ax, bx, ay, by = todo.pop()
        while ax < bx and ay < by and xs[ax] == ys[ay]:
            pairs.append((ax, ay))
            ax, ay = ax + 1, ay + 1
        while ax < bx and ay < by and xs[bx - 1] == ys[by - 1]:
            bx, by = bx - 1, by - 1
            pairs.append((bx, by))
        if ax == bx or ay == by:
            continue
        if (bx - ax) * (by - ay) <= SMALL_GAP:
            blocks = SequenceMatcher(None, xs[ax:bx], ys[ay:by], autojunk=False)
            for block in blocks.get_matching_blocks():
                pairs += [(ax + block.a + n, ay + block.b + n) for n in range(block.size)]
            continue
        anchors = _agreeing(xs, ys, ax, bx, ay, by)
        if not anchors:
            continue
        pairs += anchors
        edges = [(ax - 1, ay - 1), *anchors, (bx, by)]
        todo += [(i + 1, k, j + 1, m) for (i, j), (k, m) in itertools.pairwise(edges)]
    return sorted(pairs)


def _agreeing(
    xs: Sequence[int], ys: Sequence[int], ax: int, bx: int, ay: int, by: int
) -> list[tuple[int, int]]:
    """The items found once in ``xs[ax:bx]`` and once in ``ys[ay:by]``: the longest run of
    them in the same order in both (patience sorting)."""
    once_x = Counter(xs[ax:bx])
    once_y = Counter(ys[ay:by])
    where_y = {item: j for j, item in enumerate(ys[ay:by], ay) if once_y[item] == 1}
    unique = [
        (i, where_y[x]) for i, x in enumerate(xs[ax:bx], ax) if once_x[x] == 1 and x in where_y
    ]
    tops: list[int] = []  # the smallest j ending a run of each length
    ends: list[int] = []  # its index in unique
    before = [-1] * len(unique)
    for n, (_, j) in enumerate(unique):
        length = bisect.bisect_left(tops, j)
        if length == len(tops):
            tops.append(j)
            ends.append(n)
        else:
            tops[length], ends[length] = j, n
        before[n] = ends[length - 1] if length else -1
    run, n = [], ends[-1] if ends else -1
    while n >= 0:
        run.append(unique[n])
        n = before[n]
    return run[::-1]


class _Path:
    """Where a node is (``/TEI/text[1]/body[1]/p[3]``), spelled out only for a message."""

    def __init__(self, parent: _Path | None, step: str | Sequence[etree._Element], index: int = 0):
        self.parent, self.step, self.index = parent, step, index

    def __str__(self) -> str:
        step = self.step if isinstance(self.step, str) else _step(self.step, self.index)
        return f"{self.parent or ''}/{step}"


def _step(siblings: Sequence[etree._Element], index: int) -> str:
    """``p[3]``: a node's name and its position among the siblings of that name."""
    if not siblings:
        return "node()[1]"
    node = siblings[min(index, len(siblings) - 1)]
    same = [s for s in siblings[: index + 1] if s.tag == node.tag]
    return f"{_name(node)}[{max(1, len(same))}]"


def _copy(node: etree._Element, *, tail: bool = False) -> etree._Element:
    made = copy.deepcopy(node)
    if not tail:
        made.tail = None
    return made


def _root_start(data: bytes) -> int:
    """Where the root element starts: after the XML declaration, PIs, comments."""
    position = 0
    while (found := _MISC.match(data, position)) and found.end() > position:
        position = found.end()
    if data.startswith(b"<!DOCTYPE", position):
        raise MergeError("it has a DOCTYPE declaration")
    return position


def _parse(data: bytes, what: str) -> etree._Element:
    try:
        return etree.fromstring(data, safexml.parser())
    except etree.XMLSyntaxError as error:
        raise MergeError(f"{what} is not well-formed XML: {error}") from None


def merge_documents(
    base: bytes,
    mine: bytes,
    theirs: bytes,
    *,
    check: Callable[[etree._Element], bool] | None = None,
) -> Merged:
    """Merge ``mine`` and ``theirs``, both made from ``base``; see the module's docstring.

    ``check`` (a validity test) must hold for the result if it holds for ``mine``; if it
    does not, the merge is reported as a conflict. Raises :class:`MergeError` if a document
    cannot be read.
    """
    start = _root_start(mine)
    old, ours, new = (
        _parse(base, "what teitools wrote last"),
        _parse(mine, "the file"),
        _parse(theirs, "the new conversion"),
    )
    work = _Merge()
    try:
        root = work.node(old, ours, new, _Path(None, _name(ours)))
    except _Conflict:
        return Merged(None, work.taken, work.conflicts)
    etree.cleanup_namespaces(root, keep_ns_prefixes=[p for p in ours.nsmap if p])
    if check is not None and check(ours) and not check(root):
        return Merged(None, work.taken, ["the merged document would not be valid TEI"])
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return Merged(mine[:start] + body + _epilogue(ours, mine), work.taken)


def _epilogue(root: etree._Element, data: bytes) -> bytes:
    """What follows the root element in ``data``: comments and processing instructions, and
    the whitespace at the end of the file, as they are."""
    after = [etree.tostring(node, encoding="UTF-8") for node in root.itersiblings()]
    return b"".join(b"\n" + node for node in after) + data[len(data.rstrip()) :]

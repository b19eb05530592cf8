"""The witnesses of one letter merged into one apparatus, in the order of the base witness.

Every other witness is aligned to the base (:func:`~teitools.collate.align.align`). The
text then falls into *segments*: runs where every witness present reads as the base does
(common text), and variants (``app``), each with its readings and the witnesses of each;
the first reading is the base's, the lemma. A witness is *present* from its first aligned
word to its last: before and after, a copy that lacks many words has lost them (a lacuna),
and is left out of the variants there.

A moved passage of a witness gives two variants: one where the witness has it, and one
where the base has it, whose reading for that witness is a copy of the first.

Each reading is typed by how it differs from the lemma: ``ocr``, ``spelling``, ``wording``,
``addition``, ``omission``, ``transposition`` or ``lacuna``; a variant takes the weightiest
type of its readings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from teitools.collate.align import Alignment, align
from teitools.collate.witness import Token, Witness
from teitools.collate.words import Words

# a variant's type is its readings' weightiest
PRECEDENCE = ("transposition", "wording", "addition", "omission", "lacuna", "spelling", "ocr")


@dataclass
class Reading:
    witnesses: list[int]  # indices into the collation's witnesses
    tokens: tuple[Token, ...]  # as the first of them has it
    type: str = ""  # how it differs from the lemma ("" for the lemma)
    copy_of: tuple[int, int] | None = None  # a moved passage: (segment, reading) it repeats
    mark: str = ""  # "start" or "end": the witness's text begins or ends here (no words)


@dataclass
class Segment:
    """Common text (``readings`` empty) or a variant (``readings[0]`` is the lemma)."""

    tokens: tuple[Token, ...] = ()  # common text: the base's words
    readings: list[Reading] = field(default_factory=list)
    type: str = ""
    block: int = 0  # the base's paragraph it stands in
    link: int = -1  # a moved passage: the variant at its other place

    @property
    def variant(self) -> bool:
        return bool(self.readings)

    @property
    def lemma(self) -> tuple[Token, ...]:
        return self.readings[0].tokens if self.readings else self.tokens


@dataclass
class Collation:
    witnesses: list[Witness]  # the base first
    alignments: list[Alignment]  # of each witness to the base (the base's own: empty)
    segments: list[Segment]


@dataclass
class _Layout:
    """Where one witness's words fall among the base's words."""

    partner: dict[int, int]  # base word → the witness's word aligned to it (not moved)
    inserted: dict[int, list[int]]  # slot (before base word i) → the witness's other words
    moved: list[tuple[int, int, int, int]]  # (base first, base last, own first, own last)
    origins: dict[int, list[int]]  # slot → moved passages standing there (indices of moved)
    start: int  # the first and last base word the witness is present at
    end: int


def _layout(n: int, tokens: Sequence[Token], alignment: Alignment, lacuna: int) -> _Layout:
    moved_words = alignment.moved
    partner = {i: j for i, j in alignment.pairs if j not in moved_words}
    owner = {j: i for i, j in alignment.pairs if j not in moved_words}
    blocks: list[tuple[int, int, int, int]] = []
    for i, j in sorted(((i, j) for i, j in alignment.pairs if j in moved_words), key=_second):
        if blocks and all(k in moved_words for k in range(blocks[-1][3] + 1, j)):
            first, last, own_first, own_last = blocks[-1]
            blocks[-1] = (min(first, i), max(last, i), own_first, max(own_last, j))
        else:
            blocks.append((i, i, j, j))
    # every other word of the witness stands before the next aligned word's partner
    slot_of = [n] * len(tokens)
    following = n
    for j in range(len(tokens) - 1, -1, -1):
        slot_of[j] = following
        if j in owner:
            following = owner[j]
    inserted: dict[int, list[int]] = {}
    for j in range(len(tokens)):
        if j not in owner and j not in moved_words:
            inserted.setdefault(slot_of[j], []).append(j)
    origins: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        origins.setdefault(slot_of[block[2]], []).append(index)
    aligned = sorted(partner)
    start, end = (aligned[0], aligned[-1]) if aligned else (0, n - 1)
    start = 0 if start < lacuna else start
    end = n - 1 if n - 1 - end < lacuna else end
    return _Layout(partner, inserted, blocks, origins, start, end)


def _second(pair: tuple[int, int]) -> int:
    return pair[1]


Aligner = Callable[[Sequence[Token], Sequence[Token], Words], Alignment]


def collate(
    witnesses: list[Witness], words: Words, lacuna: int = 12, aligner: Aligner = align
) -> Collation:
    """The apparatus of ``witnesses`` (the first is the base); ``aligner`` aligns each of
    the others to it (another aligner can be tried in its place: ``bench/``)."""
    base = witnesses[0].tokens
    alignments = [Alignment(())] + [aligner(base, w.tokens, words) for w in witnesses[1:]]
    layouts = [_Layout({i: i for i in range(len(base))}, {}, [], {}, 0, len(base) - 1)]
    for witness, alignment in zip(witnesses[1:], alignments[1:], strict=True):
        layouts.append(_layout(len(base), witness.tokens, alignment, lacuna))
    return Collation(witnesses, alignments, _Merger(witnesses, layouts, words).segments())


Cell = tuple[str, int]  # ("slot", i): before base word i; ("word", i): base word i


class _Merger:
    """Walks the base's words and the slots between them, making segments."""

    def __init__(self, witnesses: list[Witness], layouts: list[_Layout], words: Words):
        self.witnesses = witnesses
        self.layouts = layouts
        self.words = words
        self.base = witnesses[0].tokens
        self.out: list[Segment] = []
        self.origin: dict[tuple[int, int], tuple[int, int]] = {}  # moved → (segment, reading)
        n = len(self.base)
        self.marks: dict[tuple[str, int], list[int]] = {}  # where witnesses begin and end
        for k, layout in enumerate(layouts[1:], start=1):
            if layout.start > 0:
                self.marks.setdefault(("start", layout.start), []).append(k)
            if layout.end + 1 < n:
                self.marks.setdefault(("end", layout.end + 1), []).append(k)

    def present(self, k: int, cell: Cell) -> bool:
        layout = self.layouts[k]
        kind, i = cell
        return layout.start <= i <= layout.end + (1 if kind == "slot" else 0)

    def agrees(self, i: int) -> bool:
        """Every witness present at base word ``i`` reads it as the base does."""
        if self.base[i].gap:
            return False
        for k in range(1, len(self.witnesses)):
            if not self.present(k, ("word", i)):
                continue
            j = self.layouts[k].partner.get(i)
            if j is None or self.witnesses[k].tokens[j].key != self.base[i].key:
                return False
        return True

    def segments(self) -> list[Segment]:
        n = len(self.base)
        moved_at: dict[int, list[tuple[int, int]]] = {}  # base word → (witness, passage)
        for k, layout in enumerate(self.layouts):
            for index, block in enumerate(layout.moved):
                moved_at.setdefault(block[0], []).append((k, index))
        inserted = {slot for layout in self.layouts[1:] for slot in layout.inserted}
        origins = {slot for layout in self.layouts for slot in layout.origins}
        marked = {i for _, i in self.marks}
        pending: list[Cell] = []
        i = 0
        while True:
            if i in marked:
                self._mark(i, "start", pending)
            if i in inserted:
                pending.append(("slot", i))
            if i in marked:
                self._mark(i, "end", pending)
            if i in origins:
                self._flush(pending)
                self._origins(i)
            if i >= n:
                break
            if i in moved_at:
                self._flush(pending)
                movers = dict(moved_at[i])
                last = max(self.layouts[k].moved[index][1] for k, index in moved_at[i])
                inner = i + 1
                while inner <= last:  # passages of other witnesses moved to within these
                    for k, index in moved_at.get(inner, []):
                        movers.setdefault(k, index)
                        last = max(last, self.layouts[k].moved[index][1])
                    inner += 1
                for skipped in range(i + 1, last + 1):  # passages moved from in between
                    if skipped in origins:
                        self._origins(skipped)
                self._moved(i, last, movers)
                i = last + 1
                continue
            if self.agrees(i):
                self._flush(pending)
                self._common(self.base[i])
            else:
                pending.append(("word", i))
            i += 1
        self._flush(pending)
        for number, segment in enumerate(self.out):
            for reading in segment.readings:
                if reading.copy_of is not None:
                    origin = self.origin[reading.copy_of]
                    reading.copy_of = origin
                    segment.link = origin[0]
                    self.out[origin[0]].link = number
        return self.out

    def _mark(self, i: int, mark: str, pending: list[Cell]) -> None:
        """Where a witness that lacks the base's beginning (or end) begins (or ends)."""
        for k in self.marks.get((mark, i), []):
            self._flush(pending)
            others = [o for o in range(len(self.witnesses)) if o != k]
            others = [o for o in others if o == 0 or self.present(o, ("slot", i))]
            segment = Segment(
                readings=[Reading(others, ()), Reading([k], (), "lacuna", mark=mark)],
                type="lacuna",
                block=self._block(i),
            )
            self.out.append(segment)

    def _block(self, i: int) -> int:
        if not self.base:
            return 0
        return self.base[min(i, len(self.base) - 1)].block

    def _common(self, token: Token) -> None:
        last = self.out[-1] if self.out else None
        if last is not None and not last.variant and last.block == token.block:
            last.tokens += (token,)
        else:
            self.out.append(Segment(tokens=(token,), block=token.block))

    def _reading_of(self, k: int, cells: list[Cell]) -> tuple[Token, ...]:
        tokens = self.witnesses[k].tokens
        layout = self.layouts[k]
        found: list[Token] = []
        for kind, i in cells:
            if kind == "slot":
                found.extend(tokens[j] for j in layout.inserted.get(i, []))
            elif i in layout.partner:
                found.append(tokens[layout.partner[i]])
        return tuple(found)

    def _flush(self, pending: list[Cell]) -> None:
        """The open variant, as one ``app``, or several where a word that every witness
        has in a like form (OCR damage, spelling) stands among other differences."""
        if not pending:
            return
        cells = list(pending)
        pending.clear()
        part: list[Cell] = []
        for cell in cells:
            if cell[0] == "word" and self._like_everywhere(cell[1]):
                self._variant_of(part)
                self._variant_of([cell])
                part = []
            else:
                part.append(cell)
        self._variant_of(part)

    def _like_everywhere(self, i: int) -> bool:
        for k in range(1, len(self.witnesses)):
            if not self.present(k, ("word", i)):
                continue
            j = self.layouts[k].partner.get(i)
            if j is None:
                return False
            kind = self.words.kind(self.base[i], self.witnesses[k].tokens[j])
            if kind not in {"same", "ocr", "spelling"}:
                return False
        return True

    def _variant_of(self, cells: list[Cell]) -> None:
        if not cells:
            return
        readings = [
            (k, self._reading_of(k, cells))
            for k in range(len(self.witnesses))
            if k == 0 or any(self.present(k, cell) for cell in cells)
        ]
        words = [i for kind, i in cells if kind == "word"]
        self._variant(readings, self._block(words[0]) if words else self._slot_block(cells))

    def _slot_block(self, cells: list[Cell]) -> int:
        """The base paragraph words added before base word ``i`` stand in: the one before,
        if ``i`` begins a paragraph and the words go on the witness's paragraph before."""
        i = cells[0][1]
        if 0 < i < len(self.base) and self.base[i].block != self.base[i - 1].block:
            for k in range(1, len(self.witnesses)):
                added = self.layouts[k].inserted.get(i)
                tokens = self.witnesses[k].tokens
                if added and added[0] and tokens[added[0]].block == tokens[added[0] - 1].block:
                    return self.base[i - 1].block
        return self._block(i)

    def _group(
        self, readings: list[tuple[int, tuple[Token, ...]]], alone: frozenset[int]
    ) -> list[Reading]:
        """Witnesses with the same words share a reading; those in ``alone`` never do."""
        grouped: list[Reading] = []
        by_keys: dict[tuple[str, ...], Reading] = {}
        for k, tokens in readings:
            keys = tuple(t.key for t in tokens)
            same = by_keys.get(keys) if k not in alone else None
            if same is not None:
                same.witnesses.append(k)
                continue
            reading = Reading([k], tokens)
            grouped.append(reading)
            if k not in alone:
                by_keys[keys] = reading
        return grouped

    def _variant(
        self,
        readings: list[tuple[int, tuple[Token, ...]]],
        block: int,
        alone: frozenset[int] = frozenset(),
    ) -> Segment | None:
        grouped = self._group(readings, alone)
        if len(grouped) < 2:  # every witness present reads as the base: common text
            for token in grouped[0].tokens if grouped else ():
                self._common(token)
            return None
        lemma = grouped[0]
        for reading in grouped[1:]:
            reading.type = reading_type(lemma.tokens, reading.tokens, self.words)
        segment = Segment(readings=grouped, block=block)
        segment.type = _weightiest([r.type for r in grouped[1:]])
        self.out.append(segment)
        return segment

    def _origins(self, slot: int) -> None:
        """The moved passages standing before base word ``slot`` in their witness."""
        for k, layout in enumerate(self.layouts):
            for index in layout.origins.get(slot, []):
                _, _, own_first, own_last = layout.moved[index]
                tokens = tuple(self.witnesses[k].tokens[own_first : own_last + 1])
                readings: list[tuple[int, tuple[Token, ...]]] = [
                    (other, ())
                    for other in range(len(self.witnesses))
                    if other != k and (other == 0 or self.present(other, ("slot", slot)))
                ]
                readings.insert(0 if k == 0 else len(readings), (k, tokens))
                segment = self._variant(readings, self._block(slot), alone=frozenset({k}))
                assert segment is not None
                segment.type = "transposition"
                for position, reading in enumerate(segment.readings):
                    if k in reading.witnesses:
                        reading.type = "transposition"
                        self.origin[(k, index)] = (len(self.out) - 1, position)

    def _moved(self, first: int, last: int, movers: dict[int, int]) -> None:
        """Base words ``first`` to ``last``, where moved passages of witnesses align."""
        cells: list[Cell] = []
        for i in range(first, last + 1):
            if i > first:
                cells.append(("slot", i))
            cells.append(("word", i))
        readings: list[tuple[int, tuple[Token, ...]]] = []
        for k in range(len(self.witnesses)):
            if k in movers:
                _, _, own_first, own_last = self.layouts[k].moved[movers[k]]
                readings.append((k, tuple(self.witnesses[k].tokens[own_first : own_last + 1])))
            elif k == 0 or any(self.present(k, cell) for cell in cells):
                readings.append((k, self._reading_of(k, cells)))
        grouped = self._group(readings, frozenset(movers))
        lemma = grouped[0]
        for reading in grouped[1:]:
            reading.type = reading_type(lemma.tokens, reading.tokens, self.words)
            k = reading.witnesses[0]
            if k in movers:
                reading.type = "transposition"
                reading.copy_of = (k, movers[k])  # resolved once the origins are laid out
        self.out.append(Segment(readings=grouped, block=self._block(first), type="transposition"))


def _weightiest(types: Sequence[str]) -> str:
    return next((t for t in PRECEDENCE if t in types), "")


def reading_type(lemma: Sequence[Token], reading: Sequence[Token], words: Words) -> str:
    """How ``reading`` differs from ``lemma`` (see the module's description); "" if its
    words are the lemma's."""
    if any(t.gap for t in lemma) or any(t.gap for t in reading):
        return "lacuna"
    if not lemma:
        return "addition"
    if not reading:
        return "omission"
    if len(lemma) != len(reading):
        return "wording"
    return _weightiest([words.kind(x, y) for x, y in zip(lemma, reading, strict=True)])

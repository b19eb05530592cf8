"""Two readings of a word compared: how alike they are once OCR is allowed for, whether each
is a word of the language, and what kind of difference lies between them.

- :meth:`Words.similarity`: one less the edit distance per letter of the longer, where an
  OCR confusion (``c``/``o``, ``rn``/``m``, ``5``/``S``; settings ``confusions`` and the
  converter's ``ocr.confusions``) costs half a letter;
- :meth:`Words.kind`: ``same``, ``ocr`` (one reading is OCR damage of the other: a non-word
  beside a word, a rare word beside a common one a confusion away, a word the large word
  lists hold but hardly ever see beside a common one), ``spelling`` (one word
  spelled two ways: the settings' ``spelling`` replacements, diacritics, doubled letters; or
  two non-words, names most often, no confusion explains) or ``wording``;
- :meth:`Words.damaged`: of an ``ocr`` pair, which reading is the damaged one.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import cached_property

from teitools.collate.settings import Settings
from teitools.collate.witness import Token, key_of
from teitools.reader.language import is_function_word
from teitools.reader.lexicon import LEXICONS, Lexicon, lexicon_for

CONFUSION_COST = 0.5  # an OCR confusion costs half a letter
MIN_SIMILARITY = 0.5  # words of four letters or more pair from here
MIN_SIMILARITY_SHORT = 0.7  # shorter words need more ("cn"/"on" pair, "be"/"do" do not)
RARER = 100  # a word this many times rarer than a like word beside it may be OCR damage
OCR_LIKE = 0.75  # ... if it is at least this like it
RARE_NAME = 1e-6  # capitalised words rarer than this are names, spelled as they come
# rarer than one word in ten million: what the large word lists took in from OCR'd books and
# the web ("eath", "tlie", "bave") as often as real words; beside a like word a hundred times
# more frequent, OCR damage even where it is less like it than OCR_LIKE ("Eath"/"both")
RARE_WORD = 1e-7


class Words:
    """The words of one language, for comparing readings (one per collation)."""

    def __init__(self, language: str, settings: Settings):
        self.language = language
        self.settings = settings
        self.terms = frozenset(key_of(t) for t in settings.terms)
        pairs = {(a.casefold(), b.casefold()) for a, b in settings.confusions}
        pairs |= {(b, a) for a, b in pairs}
        self.single = frozenset((a, b) for a, b in pairs if len(a) == len(b) == 1)
        self.multi = tuple(sorted((a, b) for a, b in pairs if len(a) + len(b) > 2))
        self.spellings = settings.spellings(language)
        self._similar: dict[tuple[str, str], float] = {}
        self._plain: dict[tuple[str, str], float] = {}
        self._counts: dict[str, dict[str, int]] = {}

    @cached_property
    def lexicon(self) -> Lexicon:
        return lexicon_for(self.language if self.language in LEXICONS else "en", frozenset())

    # ------------------------------------------------------------------ likeness

    def similarity(self, x: str, y: str) -> float:
        """How alike two keys are, from 0 to 1 (OCR confusions cost half a letter)."""
        if x == y:
            return 1.0
        found = self._similar.get((x, y))
        if found is None:
            found = self._similar[(x, y)] = self._likeness(x, y, CONFUSION_COST)
        return found

    def plain_similarity(self, x: str, y: str) -> float:
        """As :meth:`similarity`, with every edit costing a whole letter."""
        if x == y:
            return 1.0
        found = self._plain.get((x, y))
        if found is None:
            found = self._plain[(x, y)] = self._likeness(x, y, 1.0, floor=0.0)
        return found

    def _likeness(
        self, x: str, y: str, confusion: float, floor: float = MIN_SIMILARITY
    ) -> float:
        """One less the edit distance per letter; 0 if it is surely below ``floor``."""
        longer = max(len(x), len(y))
        if not longer or (floor and abs(len(x) - len(y)) * 2 > longer):
            return 0.0
        multi = [(w, r) for w, r in self.multi if w in x and r in y] if confusion < 1 else []
        if 1.0 - self._least_distance(x, y, bool(multi), confusion) / longer < floor:
            return 0.0
        single = self.single
        previous = [float(k) for k in range(len(y) + 1)]
        rows = [previous]
        for i in range(1, len(x) + 1):
            a = x[i - 1]
            row = [float(i)] + [0.0] * len(y)
            for j in range(1, len(y) + 1):
                b = y[j - 1]
                cost = 0.0 if a == b else confusion if (a, b) in single else 1.0
                best = previous[j - 1] + cost
                if previous[j] + 1 < best:
                    best = previous[j] + 1
                if row[j - 1] + 1 < best:
                    best = row[j - 1] + 1
                for wrong, right in multi:
                    if x.endswith(wrong, 0, i) and y.endswith(right, 0, j):
                        best = min(best, rows[i - len(wrong)][j - len(right)] + confusion)
                row[j] = best
            rows.append(row)
            previous = row
        return max(0.0, 1.0 - previous[-1] / longer)

    def _least_distance(self, x: str, y: str, multi: bool, confusion: float) -> float:
        """A lower bound of the distance from the letters alone: each letter one word has
        more of than the other costs a letter, or ``confusion`` if it is an OCR confusion of
        a letter the other has more of (less where several letters make one: "rn"/"m")."""
        cx, cy = self._letters(x), self._letters(y)
        more = {c: n - cy.get(c, 0) for c, n in cx.items() if n > cy.get(c, 0)}
        fewer = {c: n - cx.get(c, 0) for c, n in cy.items() if n > cx.get(c, 0)}
        surplus, lack = sum(more.values()), sum(fewer.values())
        if multi:
            return max(surplus, lack) * confusion / 2
        confusable = 0
        if confusion < 1:
            for c, n in more.items():
                confusable += min(n, sum(m for d, m in fewer.items() if (c, d) in self.single))
        return max(surplus, lack) - (1 - confusion) * min(confusable, surplus, lack)

    def _letters(self, key: str) -> dict[str, int]:
        found = self._counts.get(key)
        if found is None:
            found = self._counts[key] = dict(Counter(key))
        return found

    def token_similarity(self, x: Token, y: Token) -> float:
        """The similarity of two words by their keys (a document's own correction counts)."""
        if x.gap or y.gap:
            return 0.0
        if x.key == y.key:
            return 1.0
        return max(self.similarity(p, q) for p in x.forms() for q in y.forms())

    def pairable(self, x: Token, y: Token) -> float:
        """The similarity of two words if it is enough to pair them, else 0."""
        value = self.token_similarity(x, y)
        short = min(len(x.key), len(y.key)) < 4
        return value if value >= (MIN_SIMILARITY_SHORT if short else MIN_SIMILARITY) else 0.0

    def function(self, key: str) -> bool:
        """A function word ("the", "und", "de"), or a word of one or two letters."""
        return len(key) <= 2 or is_function_word(key)

    # ------------------------------------------------------------------ words

    def is_word(self, key: str) -> bool:
        """A word of the language (or a term of the domain) and not OCR damage."""
        if key in self.terms or key.isdigit():
            return True
        stem = key[:-2] if key.endswith("'s") else key
        return self.lexicon.is_word(stem) or self.lexicon.is_word(stem.replace("'", ""))

    def frequency(self, key: str) -> float:
        stem = key[:-2] if key.endswith("'s") else key
        return self.lexicon.frequency(stem)

    def spelled_alike(self, x: str, y: str) -> bool:
        """One word spelled two ways: equal once diacritics, doubled letters and the
        language's spelling replacements are set aside."""
        return self._spelling_form(x) == self._spelling_form(y)

    def _spelling_form(self, key: str) -> str:
        for old, new in self.spellings:
            key = key.replace(old, new)
        bare = "".join(c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c))
        return "".join(c for k, c in enumerate(bare) if k == 0 or c != bare[k - 1])

    # ------------------------------------------------------------------ kinds

    def kind(self, x: Token, y: Token) -> str:
        """``same``, ``ocr``, ``spelling`` or ``wording`` (see the module's description)."""
        if x.key == y.key:
            return "same"
        if x.gap or y.gap:
            return "wording"
        if (x.alt and x.alt == y.key) or (y.alt and y.alt == x.key):
            return "ocr"  # the document's own correction reads as the other does
        if self.spelled_alike(x.key, y.key):
            return "spelling"
        value = self.pairable(x, y)
        if not value:
            return "wording"
        word_x, word_y = self.is_word(x.key), self.is_word(y.key)
        only_confusions = self._only_confusions(x.key, y.key)
        if any(c.isdigit() for c in x.key + y.key):  # numbers: OCR only by its confusions
            return "ocr" if only_confusions else "wording"
        if not only_confusions and self._names(x, y):
            return "spelling"  # a name spelled two ways: "Sukharov", "Sakharov"
        if word_x != word_y:
            return "ocr"
        if not word_x:  # two non-words: OCR damage if confusions alone make one the other
            return "ocr" if only_confusions else "spelling"
        rare = min(self.frequency(x.key), self.frequency(y.key)) < RARE_WORD
        if (value >= OCR_LIKE or rare) and self._much_rarer(x.key, y.key):
            return "ocr"
        return "wording"

    def _only_confusions(self, x: str, y: str) -> bool:
        """Whether every edit between the two is an OCR confusion."""
        confused = 1.0 - self.similarity(x, y)
        plain = 1.0 - self.plain_similarity(x, y)
        return confused > 0 and abs(confused - plain * CONFUSION_COST) < 1e-9

    def _much_rarer(self, x: str, y: str) -> bool:
        fx, fy = self.frequency(x), self.frequency(y)
        return max(fx, fy) > 0 and min(fx, fy) * RARER <= max(fx, fy)

    def _names(self, x: Token, y: Token) -> bool:
        """Both capitalised (not in capitals throughout, as OCR'd handwriting often is), and
        neither a common word: two spellings of a name."""
        capitals = all(t.text[:1].isupper() and t.text[1:2].islower() for t in (x, y))
        return capitals and max(self.frequency(x.key), self.frequency(y.key)) < RARE_NAME

    def damaged(self, x: Token, y: Token) -> Token | None:
        """Of two readings whose :meth:`kind` is ``ocr``, the one OCR damaged: the non-word
        beside a word, or the much rarer word; None if that cannot be told."""
        if x.alt and x.alt == y.key:
            return x  # the document's own correction says so
        if y.alt and y.alt == x.key:
            return y
        word_x, word_y = self.is_word(x.key), self.is_word(y.key)
        if word_x != word_y:
            return y if word_x else x
        if word_x and self._much_rarer(x.key, y.key):
            return x if self.frequency(x.key) < self.frequency(y.key) else y
        return None

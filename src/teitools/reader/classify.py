"""Classify blocks: furniture, dateline, salutation, closing, address, stray hand, text.

Each block gets a ``kind`` (and a ``subtype`` where one applies). Lines inside a text
block that are letter formulas on their own (a salutation, a closing) are split out
first, so "Dear Mr. President:" typed right above the first paragraph is still found.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from operator import itemgetter

from teitools.patterns import Screen
from teitools.reader.blocks import Block, Line
from teitools.reader.dates import find_date
from teitools.reader.language import is_function_word
from teitools.rules import Rules

# Furniture types whose text may also be a date ("17.11.1981" is a docket number's shape).
DATE_SHAPED = frozenset({"docket", "pageNum"})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_DOCKET = re.compile(r"^[\d/.\-#]+$")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_FIRST = itemgetter(0)  # a word's first character


def script_of(text: str) -> str:
    """The script most letters of ``text`` are written in ("Latin", "Cyrillic", ...)."""
    if text.isascii():
        return "Latin"
    counts: dict[str, int] = {}
    for char in set(text):  # each character once, with its count
        if char.isalpha():
            script = _script(char)
            counts[script] = counts.get(script, 0) + text.count(char)
    if not counts:
        return "Latin"
    return max(sorted(counts), key=lambda s: counts[s]).capitalize()


@lru_cache(maxsize=4096)  # a letter's characters recur in every block
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def upper_ratio(text: str) -> float:
    letters = upper = 0
    for char in set(text):  # each character once, with its count
        if char.isalpha():
            count = text.count(char)
            letters += count
            upper += count if char.isupper() else 0
    return upper / letters if letters else 0.0


def match_mark(text: str, rules: Rules) -> str | None:
    """The mark type (classification, draftMark) of a block like "SEGRET" or "10/22/99. SECRET"."""
    found = closest_mark(text, rules)
    return found[0] if found else None


@lru_cache(maxsize=4096)  # the same stamps and marks recur on every page of a corpus
def closest_mark(text: str, rules: Rules) -> tuple[str, str] | None:
    """The mark type and the mark a damaged block stands for: "SEGRET" → classification, SECRET."""
    if len(text) > 60:  # marks are a word or two, with a docket number at most
        return None
    tokens = [t.strip("+*#.,:;!|()[]") for t in text.split()]
    tokens = [t for t in tokens if t and not _DOCKET.match(t)]
    if not tokens or not all(t.isupper() for t in tokens) or len(tokens) > 3:
        return None
    phrase = " ".join(tokens)
    best, best_kind, best_mark = 0.0, "", ""
    for kind, marks in sorted(rules.marks.items()):
        for mark in marks:
            if 2 * min(len(phrase), len(mark)) < rules.mark_similarity * (len(phrase) + len(mark)):
                continue  # too different in length to reach the threshold
            ratio = difflib.SequenceMatcher(None, phrase, mark).ratio()
            if ratio > best:
                best, best_kind, best_mark = ratio, kind, mark
    return (best_kind, best_mark) if best >= rules.mark_similarity else None


def furniture_type(text: str, rules: Rules) -> str | None:
    if _screens(rules).furniture.search(text):
        for rule in rules.furniture:
            if rule.pattern.search(text):
                return rule.kind
    return match_mark(text, rules)


class _Screens:
    """Each list of patterns the classifier tries on every block and line, as one
    :class:`~teitools.patterns.Screen` that rules most of them out at once."""

    def __init__(self, rules: Rules):
        self.furniture = Screen(rule.pattern for rule in rules.furniture)
        self.salutations = Screen(rules.salutations)
        self.address_openers = Screen(rules.address_openers)


@cache
def _screens(rules: Rules) -> _Screens:
    return _Screens(rules)


def is_salutation(line: str, rules: Rules) -> bool:
    """A salutation standing alone: "Dear Mr. President:", not "Lieber Richard, ich hab …"."""
    text = line.strip()
    after = re.split(r"[,:;!–—]", text, maxsplit=1)[1:]
    if after and len(words(after[0])) > 2:
        return False  # a sentence of the letter follows the salutation on its line
    return _screens(rules).salutations.match(text) and any(
        p.match(text) for p in rules.salutations
    )


@lru_cache(maxsize=65536)  # the passes ask again of the same lines
def is_closing(line: str, rules: Rules) -> bool:
    return any(p.match(line.strip()) for p in rules.closings)


@lru_cache(maxsize=65536)
def is_closing_like(line: str, rules: Rules) -> bool:
    """A short line made of closing words ("Your ever loving son,", "Herzlich der Ihre")."""
    text = line.strip()
    if is_closing(text, rules):
        return True
    found = words(text)
    if not 1 <= len(found) <= 8:
        return False
    if _SENTENCE_END.search(text) and not text.endswith(","):  # a sentence, unless every
        return all(_closing_word(w.lower(), rules) for w in found)  # word is a closing's
    if found[0].lower() in rules.closing_starts and len(found) <= 6:
        return True  # "Ihr hoch- u rad-fahrender", "Your affectionate nephew"
    if any(w.lower() in rules.closing_keys for w in found) and len(found) <= 6:
        return True  # "Mit vorzüglichster Hochschätzung", "Votre dévoué"
    known = sum(_closing_word(w.lower(), rules) for w in found)
    return known >= max(2, len(found) - 1) if len(found) > 1 else known == 1


@lru_cache(maxsize=65536)  # the same words recur in every letter's last lines
def _closing_word(word: str, rules: Rules) -> bool:
    """A closing word, an inflected form of one ("getreuen", "hochachtungsvollen") or a
    contraction of a long one ("Affcly", "Affly": its letters in order, its first two and
    its last alike, not its beginning)."""
    if word in rules.closing_words:
        return True
    stems = _closing_stems(rules)
    if word.startswith(stems.shorter(len(word))):
        return True
    if len(word) < ABBREVIATED:
        return False
    alike = stems.alike.get((word[:2], word[-1]), ())
    return any(_contraction(word, stem) for stem in alike if len(stem) >= len(word))


class _Stems:
    """The rules' closing stems indexed for :func:`_closing_word`: those shorter than a
    word (one of them may begin it), and by their first two letters and last (a
    contraction shares them)."""

    def __init__(self, stems: Iterable[str]):
        self.stems = tuple(sorted(stems))
        self.longest = max(map(len, self.stems), default=0)
        self._shorter = [tuple(s for s in self.stems if len(s) < n) for n in range(self.longest)]
        self.alike: dict[tuple[str, str], list[str]] = {}
        for stem in self.stems:
            self.alike.setdefault((stem[:2], stem[-1:]), []).append(stem)

    def shorter(self, length: int) -> tuple[str, ...]:
        return self._shorter[length] if length < self.longest else self.stems


@cache
def _closing_stems(rules: Rules) -> _Stems:
    return _Stems(rules.closing_stems)


def _contraction(word: str, of: str) -> bool:
    return (
        len(word) >= ABBREVIATED
        and word[:2] == of[:2]
        and word[-1] == of[-1]
        and not of.startswith(word)
        and subsequence(word, of)
    )


def subsequence(short: str, long: str) -> bool:
    """The letters of ``short`` stand in ``long`` in order ("Dinstg" in "Dienstag")."""
    letters = iter(long)
    return all(c in letters for c in short)


def unaccented(word: str) -> str:
    """``word`` without its accents and umlauts ("devouement" for "dévouement")."""
    folded = unicodedata.normalize("NFKD", word)
    return "".join(c for c in folded if not unicodedata.combining(c))


def _formula_word(word: str, rules: Rules) -> bool:
    """A word a closing formula may begin with ("Agréez", "Mit", "Yours", "Hochachtungsvoll")."""
    return word in rules.closing_keys or word in rules.closing_starts or _closing_word(word, rules)


def address_line(text: str) -> bool:
    """A line as addresses have them: short, with no lower-case words but "of", "the", "de"
    ("The President of the United States of America,"), unlike a line of prose."""
    found = words(text)
    content = [w for w in found if w[0].islower() and not is_function_word(w)]
    return len(found) <= 10 and len(content) <= 1


def furniture_line(text: str, rules: Rules) -> str | None:
    """The furniture type of one line standing alone (a page number, a stamp, a mark)."""
    text = text.strip()
    if not text or len(text) > rules.max_furniture_length:
        return None
    if sum(map(str.islower, map(_FIRST, text.split()))) > 2:  # (asked of every line)
        return None  # a line of prose: furniture has few lower-case words
    kind = furniture_type(text, rules)
    if kind == "docket" or (kind == "pageNum" and re.fullmatch(r"\d+\.?", text)):
        return None  # "1985." or "3." alone on a line may end a wrapped sentence
    return kind


def is_dateline(text: str, rules: Rules, lines: int = 1) -> bool:
    """A short block that is mostly a date ("September 20 , 1988", "Moscow, March 24, 1985");
    stacked over three or four ``lines``, with the writer's address above the date ("328
    Mickle Street / Camden New Jersey / April 18 '87")."""
    text = text.strip()
    longest = 70 if lines <= 2 else 100
    if len(text) > longest or (_SENTENCE_END.search(text) and not text.endswith(".")):
        return False
    found = find_date(text, rules, slips=True)
    if found is None:
        return False
    start, end = found[1]
    rest = [w for w in words(text[:start] + " " + text[end:]) if w not in rules.dateline_words]
    allowed = (4, 8)[lines - 1] if lines <= 2 else 10  # the place or address on its own line
    return len(rest) <= allowed and not any(
        w.lower() in _PROSE and not _in_name(rest, k) for k, w in enumerate(rest)
    )


def _in_name(found: list[str], k: int) -> bool:
    """``found[k]`` stands between capitalised words: part of a place's name ("Isle of
    Wight", "City of London"), not of a sentence."""
    return 0 < k < len(found) - 1 and found[k - 1][:1].isupper() and found[k + 1][:1].isupper()


_PROSE = frozenset(
    [
        "of",
        "the",
        "your",
        "my",
        "our",
        "his",
        "her",
        "their",
        "letter",
        "since",
        "on",
        "in",
        "at",
        "from",
        "to",
    ]
)


def _split_formula_lines(block: Block, rules: Rules, head: bool = True) -> list[Block]:
    """Split out lines that stand on their own in a block of other text: a salutation or a
    closing typed right above or below a paragraph, a page number, stamp or classification
    mark typed in the middle of one (where a page ended)."""
    if len(block.lines) < 2 or (len(block.lines) == 2 and _regex_furniture(block.text, rules)):
        return [block]  # one line, or furniture as a whole ("NSC: Head of State File, / Box 40")
    end = block.lines[-1].text  # the formula's end ("distinguée.", "Votre dévoué"), not a name
    if (
        len(block.lines) <= CLOSING_LINES
        and _formula_word((words(block.text) or [""])[0].lower(), rules)
        and ((words(end) or [""])[-1].islower() or is_closing_like(end, rules))
        and is_closing(block.text, rules)
    ):
        block.kind = "closing"  # "Agréez, / Monsieur, les salutations cordiales / de / Votre …"
        return [block]
    pieces: list[Block] = []
    current: list[Line] = []
    kind = "text"  # the current piece's: a closing sentence over its lines is "closing"
    last = len(block.lines) - 1
    starts, closings = _run_on_parts(block, rules, head)
    for k, line in enumerate(block.lines):
        text = line.text.strip()
        if k in starts and current:
            pieces.append(Block(current, kind=kind))
            current, kind = [], "text"
        formula = (
            len(words(text)) <= 10
            and text[-1:] in ",:;!"
            and ((k == 0 and is_salutation(text, rules)) or (k == last and is_closing(text, rules)))
        )
        furniture = None if formula else furniture_line(text, rules)
        if formula or furniture:
            if current:
                pieces.append(Block(current, kind=kind))
            piece = Block([line])
            if furniture:
                piece.kind, piece.subtype = "furniture", furniture
            pieces.append(piece)
            current, kind = [], "text"
        else:
            kind = "closing" if k in closings and not current else kind
            current.append(line)
    if current:
        pieces.append(Block(current, kind=kind))
    pieces[0].gap, pieces[0].form_feed = block.gap, block.form_feed
    return pieces


CLOSING_LINES = 4  # lines a closing formula may run over
ABBREVIATED = 5  # letters a contracted closing word has at least ("Affly")
CLOSING_SENTENCE = 60  # words a closing sentence may have ("Genehmigen Sie … Hochachtung.")
HEAD = 8  # lines at the top of a block where a dateline and a salutation may run on
FOOT = 6  # lines at the end of a block where a closing and a signature may run on
SHORT = 8  # words of a line above the salutation (a letterhead, an address, a dateline)


def _run_on_parts(block: Block, rules: Rules, head: bool) -> tuple[set[int], set[int]]:
    """Where letter parts begin in a block typed with no blank line around them (as OCR often
    gives a letter): at its top, the salutation, and above it the lines before (a dateline
    with the writer's address stacked over it, a letterhead) and below the date an inside
    address; at its end, a closing (over several lines, or ending the block) and the
    signature under it, and a dateline under that (an address under the signature stays
    together); a dateline at the top of a block; a postscript's first line. The line
    numbers at which a new block starts, and those where a closing sentence starts (that
    part is a closing)."""
    lines = [line.text.strip() for line in block.lines]
    counts = [len(words(text)) for text in lines]
    starts: set[int] = set()
    head_lines = 0  # the lines above the salutation, or above the text where none stands
    salute = None
    for k, text in enumerate(lines[:HEAD] if head else []):
        ends = text[-1:] in ",:;!" or (  # or the text follows (in the next block: indented)
            counts[k + 1] >= max(5, counts[k]) if k + 1 < len(lines) else k > 0
        )
        if counts[k] <= 10 and ends and is_salutation(text, rules):
            starts.update((k, k + 1))
            head_lines = salute = k
            break
        if counts[k] > SHORT or (_prose_words(text) and _SENTENCE_END.search(text)):
            break  # the letter's text has begun: no salutation stands above it
        head_lines = k + 1
    dated = [  # above the salutation, or in a block of short lines (a stamp's date is not
        d  # the letter's)
        for d in range(min(head_lines, HEAD))
        if any(c.isdigit() for c in lines[d])
        and find_date(lines[d], rules, slips=True)
        and not furniture_line(lines[d], rules)
    ]
    # Under the date (its year may run on): with no salutation, the writer's lines down to
    # the first line of prose, where the text begins; else an inside address.
    prose: int | None = None
    if dated:
        year = dated[0] + (not _date_complete(lines, dated[0], rules))
        after = lines[year + 1] if year + 1 < len(lines) else ""
        if salute is None:
            top = dated[0] - 2 if dated[0] > 2 else 0  # where the dateline's lines begin
            prose = _text_start(lines, top, year + 1, rules)
        if prose is not None:
            starts.add(prose)
        elif salute is not None or not _street_under(after):  # (a street number under the
            starts.add(year + 1)  # date is the writer's: "431 Stevens street")
    if dated and dated[0] > 2:  # a long head: the date with two lines above it
        starts.add(dated[0] - 2)
    if dated and dated[0] and _headed(lines[dated[0] - 1], lines[dated[0]], rules):
        starts.add(dated[0])  # a letterhead over a dateline that names its own place
    if salute is None and not dated and head:
        starts.update(_noted_head(lines, counts, rules))
    postscripts = [k for k, text in enumerate(lines) if k and rules.postscript.match(text)]
    starts.update(postscripts)
    end = postscripts[0] if postscripts else len(lines)  # the letter's last line above them
    closings = _foot_parts(lines, counts, block.gap, end, rules, starts)
    own_lines = dated[:1] == [0] and prose is not None and prose > 1  # the writer's, under it
    if (  # a dateline above what follows it (a postscript, the text), but for the writer's
        not own_lines  # lines under it ("10/VIII. 14 / Weissenbach am Attersee.")
        and counts[0] <= SHORT
        and _dated(lines[0], rules)
        and _date_complete(lines, 0, rules)
    ):
        starts.add(1)
    starts.discard(0)
    return starts, closings


def _foot_parts(
    lines: list[str], counts: list[int], gap: int, end: int, rules: Rules, starts: set[int]
) -> set[int]:
    """At the end of a block (above ``end``, where a postscript begins): the closing, each of
    its lines ("With love to you always / I remain / Yours …") a part, the signature under it
    and a dateline under that (an address under the signature stays together). A closing
    that ends the block is signed in the next; where the sentence above goes on into it
    ("Indem ich … bitte, zeichne ich in aller / Hochachtung und Ergebenheit") the closing is
    that sentence, one part. Adds to ``starts``; the lines where a closing sentence starts."""
    top = 0 if gap == 0 else 1  # a block after a blank line is a part of its own
    envelope = next(  # an envelope's lines at the end ("Herrn / Dr. Arthur Schnitzler /
        (k for k in range(max(top, end - 2 * FOOT), end) if addressing(lines[k], rules)),
        end,  # Wien / XVIII. Spöttelgasse 7."): the closing stands above them
    )
    tail = max(top, envelope - FOOT)
    known: dict[int, bool] = {}

    def closing_at(k: int) -> bool:
        if k not in known:
            text = lines[k]
            known[k] = counts[k] <= SHORT and is_closing_like(text, rules)
        return known[k]

    for k in range(tail, end):
        if counts[k] > SHORT or (k + 1 < end and counts[k + 1] > SHORT) or not closing_at(k):
            continue  # (a closing's next line is short: its own next line, or the signature)
        last = k  # the closing's last line
        while last + 1 < end and closing_at(last + 1):
            last += 1
        whole = False  # the closing one sentence over short lines ("Agréez, … / de toute ma /
        if not _SENTENCE_END.search(lines[last]):  # considération."), one part
            for j in range(last + 1, min(end - 1, last + 4)):
                if counts[j] > SHORT or lines[j][:1].isupper():
                    break
                if _SENTENCE_END.search(lines[j]):
                    last, whole = j, True
                    break
        under = last + 1  # the signature's line
        if under < end:
            name = _first_letter(rules.signature_prefix.sub("", lines[under]))  # "/s/ Mary …"
            if not (1 <= counts[under] <= 6 and name.isupper()):
                continue
        elif not (
            (_SENTENCE_END.search(lines[k - 1]) if k else gap == 0)
            or (words(lines[last]) or [""])[0].lower() in rules.closing_starts
            or any(is_closing(line, rules) for line in lines[k : last + 1])
        ):
            first = _sentence_start(lines, k)
            sentence = " ".join(lines[first : last + 1])
            found = words(sentence)
            if (
                re.search(r"[.!?]\s", sentence)  # it began in the middle of a line
                or len(found) > CLOSING_SENTENCE
                or not any(w.lower() in rules.closing_keys for w in found)
            ):
                return set()
            starts.update((first, last + 1))
            return {first}
        starts.update((k, last + 1, last + 2) if whole else range(k, last + 3))
        for j in range(last + 2, end):  # under the signature, a dateline ends a part
            date_line = counts[j] <= SHORT and _dated(lines[j], rules)
            if date_line and _date_complete(lines, j, rules):
                starts.add(j + 1)
        break
    return set()


def addressing(line: str, rules: Rules) -> bool:
    """A line that begins an address: forms of address only ("Herrn", "Monsieur", "Herrn
    Dr"), or an address's opening ("To Mr. Bennerman", "His Excellency", not "His
    Excellency consulted me about …")."""
    found = words(line)
    if found and all(w in rules.titles for w in found) and len(found) <= 3:
        return True
    return bool(_address_opener(line.strip(), rules)) and not _prose_words(line)


def _dated(line: str, rules: Rules) -> bool:
    """A line that is a dateline (every date pattern has a digit: the cheap test first)."""
    return any(c.isdigit() for c in line) and is_dateline(line, rules)


def _headed(above: str, dateline: str, rules: Rules) -> bool:
    """A line in capitals ("THE WHITE HOUSE") above a dateline that names its place
    ("Chicago, 14 February 1870"): a letterhead, not the dateline's first line."""
    found = find_date(dateline, rules, slips=True)
    if found is None or upper_ratio(above) < 0.9 or upper_ratio(dateline) > 0.5:
        return False
    return len(words(above)) >= 2 and bool(words(dateline[: found[1][0]]))


def _noted_head(lines: list[str], counts: list[int], rules: Rules) -> set[int]:
    """Where a note of a few lines stands above the dateline (written in the top margin and
    transcribed first: "Please do not trouble yourself to answer this. … / 57 Sloane St. /
    23d May / 1857 / Sir George Back"): the dateline, the lines of the writer's place right
    above it, and the salutation at most two lines under it start parts. Nothing where no
    salutation follows the date (a date in the text is no dateline)."""
    for k in range(1, min(HEAD, len(lines) - 1)):
        if counts[k] > SHORT or not _dated(lines[k], rules):
            continue
        year = k + (not _date_complete(lines, k, rules))
        salute = next(
            (
                j
                for j in range(year + 1, min(year + 3, len(lines)))
                if counts[j] <= 10 and is_salutation(lines[j], rules)
            ),
            None,
        )
        if salute is None:
            return set()
        top = k
        while (
            top > max(0, k - 2)
            and not _prose_words(lines[top - 1])
            and counts[top - 1] <= 5
            and not lines[top - 1][:1].islower()  # (a sentence's end: "board.")
        ):
            top -= 1  # the writer's place above the date ("Kongone Harbour / 30th July 1859")
        return {top, year + 1, salute, salute + 1} if top else set()
    return set()


def _text_start(lines: list[str], top: int, under: int, rules: Rules) -> int | None:
    """The first line of prose at or below ``under`` (the line under a date), where only the
    writer's own lines stand above it, at most two and the dateline from ``top`` at most
    four lines ("Wien, XVIII. Spoettelgasse 7.",
    "Weissenbach am Attersee."): short, with no form of address nor a salutation's words or
    ending ("My Lord Ebury", "Honoré Monsieur,", "To Mr. Bennerman:" address the reader)."""
    for j in range(under, min(under + 3, len(lines))):
        if _prose_words(lines[j]):
            return j
        found = words(lines[j])
        if (
            len(found) > 6
            or j - top > 3
            or lines[j].rstrip()[-1:] in ",:;!"
            or any(w.lower() in _PROSE and not _in_name(found, k) for k, w in enumerate(found))
            or any(w.lower() in rules.salutation_words or w in rules.titles for w in found)
            or found[:1] == ["To"]
        ):
            return None
    return None


def _street_under(line: str) -> bool:
    """A line under a date that may be the writer's street ("431 Stevens street"): it has a
    number and is no prose ("Y'rs of 14th rec'd this mn'g. I continue" begins the text)."""
    return any(c.isdigit() for c in line) and not _prose_words(line)


def _prose_words(line: str) -> bool:
    """Two lower-case words of three letters or more: a line of prose, not a heading's."""
    return sum(w.islower() and len(w) >= 3 for w in words(line)) >= 2


def _sentence_start(lines: list[str], k: int) -> int:
    """The line where the sentence that goes on at ``lines[k]`` begins."""
    while k > 0 and not _SENTENCE_END.search(lines[k - 1]):
        k -= 1
    return k


def _first_letter(text: str) -> str:
    found = re.search(r"[^\W\d_]", text)
    return found.group() if found else ""


def _date_complete(lines: list[str], k: int, rules: Rules) -> bool:
    """The date on ``lines[k]`` is complete: the next line does not go on with it (the
    year under "Lugano, 15 février")."""
    if k + 1 >= len(lines):
        return False
    alone = find_date(lines[k], rules, slips=True)
    both = find_date(f"{lines[k]} {lines[k + 1]}", rules, slips=True)
    return alone is not None and both is not None and both[0] == alone[0]


def classify(blocks: list[Block], rules: Rules) -> list[Block]:
    """Return the blocks (some split) with ``kind`` and ``subtype`` set."""
    result: list[Block] = []
    begun = False  # the letter's text has begun: no salutation heads a block after it
    for original in blocks:
        for block in _split_formula_lines(original, rules, head=not begun):
            if block.kind == "text":
                _classify_one(block, rules)
            begun = begun or (block.kind == "text" and len(block.lines) >= 3)
            result.append(block)
    _mark_stray_lines(result)
    return result


def _regex_furniture(text: str, rules: Rules) -> str | None:
    if len(text) > rules.max_furniture_length or not _screens(rules).furniture.search(text):
        return None
    return next((rule.kind for rule in rules.furniture if rule.pattern.search(text)), None)


def _classify_one(block: Block, rules: Rules) -> None:
    text = block.text
    script = script_of(text)
    if script != "Latin" and script in rules.scripts:
        block.subtype = rules.scripts[script]
        single_caps = len(text.split()) == 1 and text.isupper()
        block.kind = "foreign-stamp" if single_caps else "foreign"
        return
    if len(block.lines) == 1 and is_salutation(text, rules):
        block.kind = "salute"
    elif len(block.lines) == 1 and is_closing(text, rules):
        block.kind = "closing"
    elif _address_opener(block.lines[0].text.strip(), rules) and all(
        address_line(line.text) for line in block.lines
    ):
        block.kind = "address"
    elif (kind := _regex_furniture(text, rules)) and kind not in DATE_SHAPED:
        block.kind, block.subtype = "furniture", kind
    elif _dateline_lines(block) and is_dateline(text, rules, len(block.lines)):
        block.kind = "dateline"
    elif len(text) <= rules.max_furniture_length and (kind := furniture_type(text, rules)):
        block.kind, block.subtype = "furniture", kind
    elif len(text) < 12 and sum(c.isalnum() for c in text) < 2:
        block.kind = "noise"
    elif len(block.lines) == 1 and re.match(r"^[-–]\s*[a-z]+(?:\s+[a-z]+){0,2}$", text):
        block.kind = "addition"
    elif (
        len(block.lines) <= 2
        and len(text) < 120
        and len(words(text)) <= 10
        and upper_ratio(text) >= 0.6
    ):
        block.kind = "handwriting"


def _address_opener(text: str, rules: Rules) -> bool:
    return _screens(rules).address_openers.match(text) and any(
        p.match(text) for p in rules.address_openers
    )


def _dateline_lines(block: Block) -> bool:
    """Lines a dateline may stand on: one or two, or up to four short ones stacked as
    handwritten datelines are ("Luzern / d. / 13 März 1864.", "Feb. / 25th 1881. / Rome")."""
    if len(block.lines) <= 2:
        return True
    return len(block.lines) <= 4 and all(len(words(line.text)) <= SHORT for line in block.lines)


def _mark_stray_lines(blocks: list[Block]) -> None:
    """A short unpunctuated line standing among furniture is OCR'd handwriting, not text."""
    for i, block in enumerate(blocks):
        if block.kind != "text" or len(block.lines) != 1:
            continue
        text = block.text
        if len(words(text)) > 8 or _SENTENCE_END.search(text) or text[-1:] in ",;:":
            continue
        before = blocks[i - 1].kind if i else None
        after = blocks[i + 1].kind if i + 1 < len(blocks) else None
        if before == "furniture" and after == "furniture":
            block.kind = "handwriting"

"""Classified blocks to letters: split a file into letters, place page breaks, build parts.

The passes, in order:

1. :func:`mark_signatures` – the short blocks right after a closing are its signature.
2. :func:`split_letters` – a salutation after a finished letter starts the next one
   (a sent copy followed by its draft); furniture and dateline above it go with it.
3. :func:`mark_page_breaks` – a page ends where two or more blank lines (or a form feed)
   stand, where a page number heads a page, and after a cluster of stamps and marks
   that interrupts the body (archives stamp the foot or head of each page).
4. :func:`build_letter` – opener, body (paragraphs rejoined across page breaks, with
   the furniture at the exact point of the break), closer, postscript; gaps where the
   text resumes mid-sentence or ends without a closing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teitools.model import (
    Address,
    Block,
    Dateline,
    Foreign,
    Furniture,
    Gap,
    Inline,
    Letter,
    LineBreak,
    Marginal,
    PageBreak,
    Paragraph,
    Postscript,
    Salute,
    Signed,
    Source,
    Text,
)
from teitools.reader.blocks import Block as RawBlock
from teitools.reader.blocks import Line
from teitools.reader.classify import (
    _SENTENCE_END,
    CLOSING_SENTENCE,
    address_line,
    addressing,
    is_closing_like,
    is_dateline,
    words,
)
from teitools.reader.dates import find_date
from teitools.reader.language import is_function_word
from teitools.reader.lexicon import Lexicon
from teitools.reader.names import firm_signer, formula_only
from teitools.rules import Rules

# Furniture types that mark the head or foot of a page when they interrupt the body.
PAGE_MARKS = frozenset({"stamp", "archival", "header", "classification", "draftMark", "docket"})
FLOATING = frozenset(
    {"furniture", "handwriting", "addition", "noise", "foreign-stamp", "pb", "gap-pages"}
)
OPENER_KINDS = frozenset({"dateline", "salute", "address", "letterhead"})
SENTENCE_WORDS = 5  # lower-case words of a sentence (a letterhead's line has fewer)
PROSE_WORDS = 25  # words of a block of three lines or more that is a paragraph
TAIL = 8  # text blocks at the end of a letter where its closing may stand
# Lower-case words a signature may hold ("Friedrich von Mülinen", "H. Escher, der Zeit Rektor").
PARTICLES = frozenset("von van de der den du da di le la zu zum zur und y e d v".split())
# Stamps an archive puts on every page (with an inside address: the foot of a first page).
PAGE_STAMPS = frozenset({"stamp", "archival"})
# Furniture that shows where a page begins or ends (a page number, a running head).
PAGE_FURNITURE = frozenset({"pageNum", "runningHead"})

TRUNCATED = (
    "The copy ends here in mid-sentence, without a closing or signature: "
    "the rest of the letter is missing."
)
UNCLOSED = (
    "The copy ends without a closing or signature; whether anything followed cannot be "
    "told from the text."
)
PAGE_MISSING = "The page numbers jump from {before} to {after}: {count} missing from this copy."
POSTSCRIPT_LINES = 3  # lines of prose under a name that signs the letter (no "P.S.")
SIGNED_FOOT = 8  # lines under a name signed under a closing (a dateline, an address)
SHORT_LINE = 0.6  # of the letter's longest line: shorter, a line ends where the writer broke it
UNPUNCTUATED = 60  # words per sentence end below which a writer does not punctuate
LOST = 10  # pages a jump may skip (a larger one is a number that is no page's: "acct 479")


def _short(block: RawBlock, max_words: int = 8) -> bool:
    return len(block.lines) <= 2 and all(len(words(line.text)) <= max_words for line in block.lines)


def _signature_like(block: RawBlock, rules: Rules) -> bool:
    text = block.text
    if any(p.match(text) for p in rules.signatures) or rules.signature_prefix.match(text):
        return True
    if not _short(block, rules.max_signature_words) or len(block.lines) > 2:
        return False
    named = words(text)
    capitalised = (
        bool(named)
        and len(named) <= 5
        and all(w[0].isupper() or w in PARTICLES for w in named)
        and not any(c.isdigit() for c in text)
    )
    return (
        not _SENTENCE_END.search(text)
        or bool(re.search(r"\b[^\W\d_]{1,3}\.$", text))
        or capitalised
    )


def mark_closings(blocks: list[RawBlock], rules: Rules) -> None:
    """Closing formulas no pattern lists: short lines of closing words after the last
    paragraph ("Your ever loving son,", "Ihr sehr ergebener"), and a typed signature
    ("/s/ John F. Kennedy", "gez. Willy Andreas") that follows the body with no closing."""
    text_at = [i for i, b in enumerate(blocks) if b.kind == "text"]
    for i in text_at[-TAIL:]:  # a closing stands among the last blocks of a letter
        block = blocks[i]
        last_word = (words(block.lines[-1].text) or [""])[-1].lower()
        above_name = (
            last_word in rules.closing_ends
            and len(words(block.text)) <= 12
            and i + 1 < len(blocks)
            and blocks[i + 1].kind in {"text", "handwriting"}
            and _signature_like(blocks[i + 1], rules)
        )
        closing_lines = _short(block) and all(
            is_closing_like(line.text, rules) for line in block.lines
        )
        if not (closing_lines or above_name):
            continue
        rest = [b for b in blocks[i + 1 :] if b.kind in {"text", "handwriting", "closing"}]
        rest = [b for b in rest if not rules.postscript.match(b.text)]
        if len(rest) <= 3 and all(_short(b) for b in rest) and i != text_at[0]:
            block.kind = "closing"
    if not any(b.kind == "closing" for b in blocks):
        _split_last_name(blocks, text_at, rules)  # (the name under a closing sentence)
        text_at = [i for i, b in enumerate(blocks) if b.kind == "text"]
        _mark_closing_sentence(blocks, text_at, rules)
    if any(b.kind == "closing" for b in blocks):
        _split_closing_dateline(blocks, rules)
        return
    for i in text_at[1:]:
        block = blocks[i]
        if rules.signature_prefix.match(block.text) and _short(block):
            block.kind = "signed"
    if any(b.kind == "signed" for b in blocks) or len(text_at) < 2:
        return
    for last in reversed(text_at[1:][-3:]):  # a name alone after the last paragraph (or
        if rules.postscript.match(blocks[last].text):  # before a postscript): the signature
            continue
        named = words(blocks[last].text)
        if (
            _signature_like(blocks[last], rules)
            and _name_words(named)
            and len(blocks[last].lines) == 1
        ):
            blocks[last].kind = "signed"
            return


def _split_closing_dateline(blocks: list[RawBlock], rules: Rules) -> None:
    """A dateline typed on the closing's last lines, above the name ("Your Affectionate
    Brother / Ongar, Essex, Octr 3 1858 / David Livingston", "Herzlich Dein / Wien, 3. Mai
    1905 / Hans Müller"): a block of its own, so the date is read and the name signs."""
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if block.kind != "closing" or len(block.lines) < 2:
            continue
        for start in range(1, len(block.lines)):
            pieces = _end_matter(block.lines[start:], rules)
            if len(pieces) == 1 and pieces[0].kind == "dateline":
                blocks.insert(i + 1, pieces[0])
                block.lines = block.lines[:start]
                break


def _mark_closing_sentence(blocks: list[RawBlock], text_at: list[int], rules: Rules) -> None:
    """The last sentence of the text right above the signature, when it holds a word only
    closings use ("… die Versicherung meiner vollkommenen Hochachtung", "Veuillez agréer …
    l'assurance de ma considération distinguée"): its lines are the closing (split from the
    paragraph they end, where they start on a line of their own)."""
    if len(text_at) < 2:
        return
    for i in reversed(text_at[1:][-TAIL:]):
        block = blocks[i]
        follower = next(
            (b for b in blocks[i + 1 :] if b.kind not in {"furniture", "pb", "noise"}), None
        )
        if follower is None or follower.kind not in {"text", "handwriting"}:
            continue
        firm = _firm(follower, rules)  # (a firm's block: "Namens der Direction / … / Name")
        if not firm and not (
            _short(follower, rules.max_signature_words) and _signature_like(follower, rules)
        ):
            continue
        rest = [b for b in blocks[i + 1 :] if b.kind in {"text", "handwriting"}]
        rest = [b for b in rest if not rules.postscript.match(b.text)]
        if len(rest) > 3 or not all(_short(b) or b is follower for b in rest):
            return
        start = len(block.lines) - 1
        while start > 0 and not _ends_sentence(block.lines[start - 1].text):
            start -= 1
        tail = " ".join(line.text for line in block.lines[start:])
        keys = [w for w in words(tail.lower()) if w in rules.closing_keys]
        if not keys and _short(block, rules.max_signature_words):
            continue  # a signature, or a note under it: the closing stands above
        if not keys or len(words(tail)) > CLOSING_SENTENCE:
            return
        if start:
            closing = RawBlock(block.lines[start:])
            block.lines = block.lines[:start]
            blocks.insert(i + 1, closing)
            closing.kind = "closing"
        else:
            block.kind = "closing"
        return


def _split_last_name(blocks: list[RawBlock], text_at: list[int], rules: Rules) -> None:
    """A name on the last line of the last paragraph, or above up to three last lines of
    their own (a postscript with no mark), after a finished sentence or a line the writer
    broke off short, stands apart from it ("… bei Sacher. / Bahr", "… is graphic— /
    Charlie", "Gilchrist is here— / Walt Whitman / Y'r letter came—", "Write whenever you
    can / Walt Whitman"): it becomes a block of its own."""
    if not text_at:
        return
    i = text_at[-1]
    block = blocks[i]
    if _firm(block, rules):
        return  # (a firm's block, signed as a whole: "Namens der Direction / … / Name")
    if _split_signed_off(blocks, i, rules) or _split_envelope(blocks, i, rules):
        return
    width = max(len(line.text.rstrip()) for line in block.lines)
    n = len(block.lines)
    for at in range(n - 1, max(0, n - 1 - POSTSCRIPT_LINES), -1):
        under = block.lines[at + 1 :]
        dated = bool(under) and is_dateline(  # ("… devouement. / L. Blanchenay / Berne le
            " ".join(line.text.strip() for line in under), rules, len(under)  # 21 Juillet
        )  # 1856."): the dateline after the signature
        if not dated and not all(_prose_line(line.text) for line in under):
            break  # under the name, only lines of prose: not an address, not a place
        above = block.lines[at - 1].text.rstrip() if at >= 1 else ""
        ended = _ends_sentence(above) or above[-1:] in "—–"
        short = n >= 4 and len(above) < SHORT_LINE * width and _prose_line(above)
        last = (  # the text's last line, under prose that does not run on into it
            at == n - 1
            and _prose_line(above)
            and not set(words(above)[-2:]) & rules.titles  # ("… to Mr. Edmund / Routledge")
            and not is_function_word(words(above)[-1])  # ("… Zu / Propaganda-Zwecken!")
            and not re.search(r"[,()!?]", block.lines[at].text)
        )
        if not above or not (ended or short or last):
            continue  # (a line of prose far shorter than the letter's: the writer broke it)
        if any(addressing(line.text, rules) for line in block.lines[max(0, at - 4) : at]):
            return  # the last line of an envelope ("Herrn / … / Wien / Autriche.")
        tail = RawBlock([block.lines[at]])
        named = words(rules.signature_prefix.sub("", tail.text))  # ("(signé) Paul Girard")
        if (
            _name_words(named)
            and _signature_like(tail, rules)
            and (ended or short or _full_name(named, blocks, rules))
        ):
            rest = block.lines[at + 1 :]
            block.lines = block.lines[:at]
            kind = "dateline" if dated else "text"
            blocks[i + 1 : i + 1] = [tail, *([RawBlock(rest, kind=kind)] if rest else [])]
            return


def _split_envelope(blocks: list[RawBlock], i: int, rules: Rules) -> bool:
    """In a letter typed with no blank lines, an envelope's address typed under the name
    that ends the last paragraph ("… the London Missionary Society / David Livingston /
    Revd Dr Phillip / Cape Town", "… telephonisch N. 229. / Hugo. / Herrn Dr Arthur
    Schnitzler / Wien", "… ma considération distinguée / G. Scanzi / À Monsieur le Docteur
    Escher / Conseiller National – Zurich"): the address's lines begin with a form of address
    and are an address's to the end, the name is alone on its line under a line of prose
    and signs (:func:`_signs_above_address`). The name and the address become blocks of
    their own; under a closing sentence with no name (a copy kept by the writer: "Agréez,
    Monsieur, mes civilités empressées. / Monsieur Baranowski / 36. r. des Batignolles /
    Paris"), the address alone. True when the block was split so."""
    block = blocks[i]
    lines = [line.text.strip() for line in block.lines]
    n = len(lines)
    for at in range(max(2, n - ENVELOPE_LINES), n):
        if not _envelope_opens(lines[at], rules):
            continue
        if not all(address_line(text) for text in lines[at:]):  # ("36. rue des Batignolles")
            return False
        name, above = lines[at - 1], lines[at - 2]
        if _closing_sentence_ends(name, rules) and n - at >= 2:  # (no name: a copy's)
            blocks.insert(i + 1, RawBlock(block.lines[at:], kind="address"))
            block.lines = block.lines[:at]
            return True
        if not _signed_name(name, rules) or words(name)[0] in rules.titles:
            return False
        if not (_prose_line(above) or is_closing_like(above, rules)):
            return False  # (an office, or a name and an office, above the lines)
        if not _signs_above_address(lines, at - 1, blocks, rules):
            return False  # (a place: "… wait for an answer. / Cape Town / Revd John …")
        blocks[i + 1 : i + 1] = [
            RawBlock([block.lines[at - 1]]),
            RawBlock(block.lines[at:], kind="address"),
        ]
        block.lines = block.lines[: at - 1]
        return True
    return False


def _signs_above_address(lines: list[str], at: int, blocks: list[RawBlock], rules: Rules) -> bool:
    """Line ``at``, above an envelope's address, signs the letter: under a line with a
    closing's word ("Yours in the bonds of the gospel / David Livingstone"), a name with an
    initial ("L. Demiéville"), or one word that is not the dateline's place (a forename:
    "Hugo."); a place may stand there too ("… wait for an answer. / Cape Town": the writer's
    address for the answer)."""
    named = words(rules.signature_prefix.sub("", lines[at]))
    initial = any(len(w) == 1 and w.isupper() for w in named)
    dated = {w for b in blocks if b.kind == "dateline" for w in words(b.text)}
    alone = len(named) == 1 and named[0] not in dated
    above = lines[at - 1]
    closed = is_closing_like(above, rules) or any(
        w.lower() in rules.closing_keys for w in words(above)
    )
    return initial or alone or closed


def _closing_sentence_ends(text: str, rules: Rules) -> bool:
    """A line that ends a closing sentence ("Agréez, Monsieur, mes civilités empressées.")."""
    return _ends_sentence(text) and (
        is_closing_like(text, rules) or any(w.lower() in rules.closing_keys for w in words(text))
    )


def _envelope_opens(text: str, rules: Rules) -> bool:
    """The first line of an envelope's address: a form of address, alone or before a name
    ("Herrn", "Revd Dr Phillip", "À Monsieur le Docteur Escher"; "M." is an initial as often,
    so "Monsieur" it must be), or a name with a suffix only a person's has ("Benjamin Pyne
    Esqe"); an address's "To" or "An" on a line of its own."""
    found = words(text)
    if found[:1] and found[0] in _ADDRESS_WORDS:
        found = found[1:]
        if not found:
            return True  # ("An / Herrn Dr Arthur Schnitzler")
    return bool(found) and (
        (found[0] in rules.titles and len(found[0]) > 1)
        or bool(set(found[:5]) & rules.name_suffixes)
    )


_ADDRESS_WORDS = frozenset({"To", "An", "À", "A"})  # before a form of address: "A Monsieur"
ENVELOPE_LINES = 7  # lines an envelope's address may have at the end of a letter
_ADDRESS_OPENS = re.compile(r"(?:To|An|À|A|For)\s")  # ("A la Banque Nationale", not "A. Escher")


def _split_signed_off(blocks: list[RawBlock], i: int, rules: Rules) -> bool:
    """In a letter typed with no blank lines, a name on its own line right under the
    closing that ends the last paragraph signs it, whatever stands under it (a dateline,
    an office, an envelope's address, a postscript): "… Hochachtung und Ergebenheit: /
    J. P. Aebli, Pfr. / Wiesendangen den 26. Mai 1854.", "Mit vorzüglichster Hochschätzung
    / v Schulthess Rechberg", "Very truly yours, / Percy W. Thompson, Lieut. U.S.R.N.",
    "Herzlichst grüßend / Ihr / Gustav. / Herrn Dr Arthur / Schnitzler / Wien". The closing
    (its lines, where it begins a line), the name and what follows become blocks of their
    own; True when the block was split so."""
    block = blocks[i]
    lines = [line.text.strip() for line in block.lines]
    n = len(lines)
    for at in range(max(1, n - 1 - SIGNED_FOOT), n):  # the first name under a closing
        if not _signed_name(lines[at], rules):
            continue
        closing = _closing_above(lines, at, rules)
        under = block.lines[at + 1 :]
        if closing is None or (under and _addressee(lines[at], under, rules)):
            continue
        start, whole = closing
        name = RawBlock([block.lines[at]], kind="signed")
        pieces = [name, *_end_matter(under, rules)]
        if whole and start > 0:  # the closing begins a line of its own
            pieces.insert(0, RawBlock(block.lines[start:at], kind="closing"))
            block.lines = block.lines[:start]
        elif whole:  # the block is the closing (a page's first lines: "Hochachtungsvoll /
            block.lines = block.lines[:at]  # gez. Ernst Kessler")
            block.kind = "closing"
        else:
            block.lines = block.lines[:at]
        blocks[i + 1 : i + 1] = pieces
        return True
    return False


def _addressee(text: str, under: list[Line], rules: Rules) -> bool:
    """A name after a form of address with no dateline under it is an address's ("Monsieur
    Baranoswki / 36. r. des Batignolles / Paris"), not a signature ("Mrs. George W. Briggs,
    / April 21.")."""
    return words(text)[0] in rules.titles and _end_matter(under, rules)[0].kind != "dateline"


def _closing_above(lines: list[str], at: int, rules: Rules) -> tuple[int, bool] | None:
    """Where the closing above line ``at`` begins, and whether it begins that line: short
    closing lines ("Herzlichst grüßend / Ihr"), or the last sentence, ending on a word only
    closings use ("Verzeihen Sie … die erneuerte Versicherung unserer aufrichtigen /
    Hochachtung & Freundschaft."); None where no closing stands right above."""
    start = at
    while start > 0 and _closing_line(lines[start - 1], rules):
        start -= 1
    if start < at:
        return start, True
    above = lines[at - 1]
    keys = [w.lower() in rules.closing_keys for w in words(above)]
    if not any(keys) or not (_ends_sentence(above) or above[-1:] == "," or keys[-1]):
        return None  # (the sentence runs on into the name: "… salutations à / Mrs Gonzenbach")
    if above[-1:] == "," and not keys[-1] and words(above)[-1][:1].isupper():
        return None  # signed on the closing's line ("… your soldier boy Isaac Livensparger,")
    first = at - 1
    while first > 0 and not _ends_sentence(lines[first - 1]):
        first -= 1
    sentence = " ".join(lines[first:at])
    last = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", sentence)[-1]  # (it may begin mid-line)
    if len(words(last)) > CLOSING_SENTENCE:
        return None
    return first, last == sentence


def _closing_line(text: str, rules: Rules) -> bool:
    return len(words(text)) <= 6 and is_closing_like(text, rules)


def _signed_name(text: str, rules: Rules) -> bool:
    """A name as a writer signs under a closing: up to three words besides initials and
    particles, the first a capital or a particle ("v Schulthess Rechberg"), an office after
    a comma ("J. P. Aebli, Pfr."); no form of address ("Herrn Dr Arthur")."""
    bare = rules.signature_prefix.sub("", text).split(",")[0]
    named = words(bare)
    if not named or any(c.isdigit() for c in bare):
        return False
    if addressing(text, rules) or _ADDRESS_OPENS.match(text) or is_closing_like(text, rules):
        return False  # (an address: "A la Banque Nationale"; a closing's word: "Ergebenheit")
    full = [w for w in named if len(w) > 1 and w not in PARTICLES]
    return (
        1 <= len(full) <= 3
        and len(named) <= 6
        and all(w[0].isupper() or w in PARTICLES for w in named)
        and not _prose_line(bare)
    )


def _end_matter(lines: list[Line], rules: Rules) -> list[RawBlock]:
    """What stands under a signature in a block: a dateline over its first lines (the
    fewest that are one, "Bern, / 26 März 1866", with a year on a line of its own) is a
    dateline; the rest, text (an address, an office, a postscript)."""
    texts = [line.text.strip() for line in lines]
    for size in range(1, min(3, len(lines)) + 1):
        text = " ".join(texts[:size])
        if any(c.isdigit() for c in text) and is_dateline(text, rules, size):
            if size < len(texts) and re.fullmatch(r"\d{2,4}\.?", texts[size]):
                size += 1  # ("Bonstätten den 27tn Augst / 1847")
            rest = [RawBlock(lines[size:])] if lines[size:] else []
            return [RawBlock(lines[:size], kind="dateline"), *rest]
    return [RawBlock(lines)] if lines else []


def _name_words(named: list[str]) -> bool:
    """Words a name alone on its line may have: up to three, capitalised, with particles
    ("Wilhelm von Graffenried", "A R v Planta")."""
    return (
        bool(named)
        and len(named) <= 3 + sum(w in PARTICLES for w in named)
        and named[0][0].isupper()
        and all(w[0].isupper() or w in PARTICLES for w in named)
    )


def _full_name(named: list[str], blocks: list[RawBlock], rules: Rules) -> bool:
    """A name that ends a writer's unpunctuated text as a signature does ("… absent in
    Scotland / D Livingstone"): a surname with a forename or initial, no title before it
    (an address: "Mrs Sewell"), none of its words the dateline's (the place of writing)."""
    dated = {w for b in blocks if b.kind == "dateline" for w in words(b.text)}
    return (
        len(named) >= 2
        and len(named[-1]) >= 3
        and named[0] not in rules.titles
        and not dated.intersection(named)
    )


def _prose_line(text: str) -> bool:
    """A line of prose: two lower-case words or more ("Y'r letter came", "Write whenever
    you can"); an address, a place or a name has fewer."""
    return sum(w.islower() and len(w) >= 3 for w in words(text)) >= 2


def _firm(block: RawBlock, rules: Rules) -> bool:
    """A firm's or an office's signature block ("Per la Società Generale / … / G Servadio")."""
    return firm_signer([line.text for line in block.lines], rules) is not None


def _undersigned(block: RawBlock, rules: Rules) -> bool:
    """Right under a closing, a short block that starts with a capital is its signature,
    with a place or title after the name ("Sulzer z Stbrg.", "Ecklin stud. medicinae");
    initials and particles make no name longer ("F. J. Pictet de la Rive")."""
    text = block.text.strip()
    return (
        len(block.lines) <= 2
        and all(
            sum(len(w) > 1 and w not in PARTICLES for w in words(line.text))
            <= rules.max_signature_words
            for line in block.lines
        )
        and text[:1].isupper()
        and not any(c.isdigit() for c in text)
        and not rules.postscript.match(text)
    )


def mark_signatures(blocks: list[RawBlock], rules: Rules) -> None:
    """After each closing, the short block that follows is the signature; a second one only
    under a bare mark ("/s/", "(Sgd.)", initials), under a line of a formula's words only (the
    writer's office, "Le Directeur,", or the closing's last words, "v. Deinem") or with a
    prefix of its own."""
    for i, block in enumerate(blocks):
        if block.kind != "closing":
            continue
        taken: list[RawBlock] = []
        weak = formula = False
        followers = [b for b in blocks[i + 1 :] if b.kind not in {"furniture", "pb"}]
        if (  # a dateline between closing and name ("Herzlich Dein / Wien, 3. Mai 1905 /
            len(followers) >= 2  # Hans Müller")
            and followers[0].kind == "dateline"
            and len(followers[1].lines) == 1
            and _signed_name(followers[1].text, rules)
        ):
            followers.pop(0)
        for follower in followers[:4]:  # (a page's foot between closing and name is not one)
            if follower.kind == "closing" and not taken:
                break  # the next line of the same closing formula: its own turn comes
            signature = follower.kind in {"text", "handwriting", "noise"} and (
                _signature_like(follower, rules)
                or ((not taken or formula) and _undersigned(follower, rules))
                or (not taken and _firm(follower, rules))
            )
            if not signature or rules.postscript.match(follower.text):
                break
            if taken and (
                not (weak or formula or rules.signature_prefix.match(follower.text))
                or _ADDRESSED_TO.match(follower.text)  # ("M.R.M." / "To / Miss Webb")
            ):
                break  # an address, a place or a title under the signature
            follower.kind = "signed"
            taken.append(follower)
            bare = rules.signature_prefix.sub("", follower.text)
            weak = not re.search(r"[^\W\d_]{2,}", bare) or bool(re.fullmatch(r"[A-Z]{1,3}", bare))
            formula = len(taken) == 1 and not weak and (  # a closing's last words, an office
                formula_only(bare, rules) or is_closing_like(bare, rules)  # above the name
            )  # ("v. Deinem / Furrer", "Le Directeur, / Ch Evrard")
            if len(taken) >= 2:
                break


def mark_opener(blocks: list[RawBlock], rules: Rules) -> None:
    """Short blocks above the salutation: a letterhead above the dateline, an inside address
    between dateline and salutation (or one that starts with a form of address)."""
    salute = next((i for i, b in enumerate(blocks) if b.kind == "salute"), None)
    if salute is None:  # no salutation: a dateline among the first blocks heads the letter
        salute = next((i for i, b in enumerate(blocks[:4]) if b.kind == "dateline"), None)
    if salute is None:
        return
    dateline = next((i for i in range(salute) if blocks[i].kind == "dateline"), None)
    prose = next((i for i in range(salute) if _prose(blocks[i])), salute)
    if dateline is None:
        dateline = _split_dated_head(blocks, min(salute, prose), rules)
        salute, prose = salute + (dateline is not None), prose + (dateline is not None)
    for i in range(min(salute, prose)):  # a salutation after the text heads nothing above it
        block = blocks[i]
        if block.kind not in {"text", "handwriting"} or len(block.lines) > 6:
            continue
        if any(len(words(line.text)) > 10 for line in block.lines):
            continue
        if _addressed(block, rules) or (dateline is not None and i > dateline):
            block.kind = "address"
        else:
            block.kind = "letterhead"


def _split_dated_head(blocks: list[RawBlock], end: int, rules: Rules) -> int | None:
    """Where no dateline heads the letter, a block of short lines above the salutation whose
    last line is a date is a letterhead or the writer's place over its dateline ("Legazione
    d'Italia / in Svizzera. / Berne le 5 Août 1871", "Tette or Nyungwé on the River Zambesi,
    Africa - / 2d March 1856"): the date's line becomes a dateline of its own; its index, or
    None."""
    for i in range(end):
        block = blocks[i]
        if block.kind not in {"text", "handwriting"} or not 2 <= len(block.lines) <= 6:
            continue
        last = block.lines[-1].text.strip()
        if any(len(words(line.text)) > 10 for line in block.lines):
            continue
        if not any(c.isdigit() for c in last) or not is_dateline(last, rules):
            continue
        if any(find_date(line.text, rules) for line in block.lines[:-1]):
            return None  # (two dates: "River Zambesi 15th Decr / R. 22 July 1862", received)
        blocks.insert(i + 1, RawBlock([block.lines[-1]], kind="dateline"))
        block.lines = block.lines[:-1]
        return i + 1
    return None


def _prose(block: RawBlock) -> bool:
    """A paragraph of the letter's text: three lines or more, one of them a long one or
    many words in all (a letterhead or an address has few); or a sentence ("Ich beehre
    mich, Ihnen … mitzuteilen.": a letterhead has no verbs, an address no full stop after
    lower-case words)."""
    if block.kind != "text":
        return False
    found = words(block.text)
    lower = sum(w.islower() and len(w) >= 3 for w in found)
    return (
        len(block.lines) >= 3
        and (any(len(words(line.text)) > 10 for line in block.lines) or len(found) >= PROSE_WORDS)
    ) or (lower >= SENTENCE_WORDS and bool(_SENTENCE_END.search(block.text)))


def split_letters(blocks: list[RawBlock]) -> list[list[RawBlock]]:
    """Split at each salutation that follows a closing and heads a text of its own (a
    salutation under the closing, the dateline and the address, as some letters place it,
    starts none); leading furniture goes with it."""
    starts = [0]
    closed = False
    for i, block in enumerate(blocks):
        if block.kind == "closing":
            closed = True
        elif block.kind == "salute" and closed and _text_follows(blocks, i):
            start = i
            while start - 1 > starts[-1] and blocks[start - 1].kind in {"furniture", "dateline"}:
                start -= 1
            starts.append(start)
            closed = False
    return [blocks[a:b] for a, b in zip(starts, [*starts[1:], len(blocks)], strict=True)]


def _text_follows(blocks: list[RawBlock], i: int) -> bool:
    """The text of a letter follows ``blocks[i]``, and then a closing of its own."""
    text = False
    for block in blocks[i + 1 :]:
        if block.kind == "closing":
            return text
        text = text or block.kind == "text"
    return False


def _pb(number_hint: RawBlock | None = None) -> RawBlock:
    marker = RawBlock([Line(number_hint.first_line if number_hint else 0, "")])
    marker.kind = "pb"
    return marker


def mark_page_breaks(blocks: list[RawBlock]) -> list[RawBlock]:
    """Insert ``pb`` pseudo-blocks where the text shows a page ends: a form feed, a page
    number or running head, or stamps and marks (or blank lines) across which a sentence
    runs on. Where page numbers jump, a ``gap`` pseudo-block says how many pages are lost."""
    text_positions = [i for i, b in enumerate(blocks) if b.kind == "text"]
    body_start = text_positions[0] if text_positions else len(blocks)
    # an address is a page's foot only in the body: one above the salutation is the letter's
    salute = next((i for i, b in enumerate(blocks) if b.kind == "salute"), -1)
    body_end = text_positions[-1] if text_positions else -1
    breaks: set[int] = set()  # a page starts before blocks[i]
    for i, block in enumerate(blocks):
        runs_on_over_space = (
            block.gap >= 3
            and block.kind == blocks[i - 1].kind == "text"
            and continues(_typed(blocks[i - 1]), block.text)
        )
        if i and (block.form_feed or runs_on_over_space):
            breaks.add(i)
        if i and block.subtype in PAGE_FURNITURE and (i > body_start or block.form_feed):
            run_start = i
            while (
                run_start - 1 > 0
                and blocks[run_start - 1].kind == "furniture"
                and (blocks[run_start - 1].subtype not in PAGE_MARKS)
            ):
                run_start -= 1
            if not any(k in breaks for k in range(run_start, i + 1)):
                breaks.add(i)
    i = body_start
    while i <= body_end:
        if blocks[i].kind == "text":
            i += 1
            continue
        j = i
        while j <= body_end and blocks[j].kind != "text":
            j += 1
        run = range(i, j)
        marks = [
            k
            for k in run
            if blocks[k].subtype in PAGE_MARKS or (blocks[k].kind == "address" and k > salute)
        ]
        spaced = any(blocks[k].gap >= 3 for k in range(i, j + 1))
        already = any(k in breaks for k in range(i, j + 1))
        runs_on = i > 0 and j < len(blocks) and continues(_typed(blocks[i - 1]), blocks[j].text)
        stamped = [
            k for k in marks if blocks[k].subtype in PAGE_STAMPS or blocks[k].kind == "address"
        ]  # (addresses above the salutation are not among the marks)
        if (stamped or (runs_on and (marks or spaced))) and not already:
            breaks.add(j if not marks else marks[-1] + 1)
        i = j
    result: list[RawBlock] = [_pb()]
    page, last_shown = 1, ""  # the page number, and how that page showed it ("- # -")
    for i, block in enumerate(blocks):
        if i in breaks:
            shown = _page_number(blocks, i)
            shape = _page_shape(blocks, i) if shown is not None else ""
            if shown is not None and shape == last_shown and page + 1 < shown <= page + LOST:
                result.append(_gap_pages(block, page, shown))
            page = shown if shown is not None and shown > page else page + 1
            last_shown = shape
            result.append(_pb(block))
        result.append(block)
    return result


def _page_shape(blocks: list[RawBlock], i: int) -> str:
    """How a page that starts at ``blocks[i]`` shows its number ("- # -", "Seite #"): pages
    are lost only where numbers of one shape jump ("S.7" after "- 2 -" is another series)."""
    found = next((b for b in blocks[i : i + 2] if b.subtype in PAGE_FURNITURE), None)
    return re.sub(r"\d+", "#", found.text) if found else ""


def _page_number(blocks: list[RawBlock], i: int) -> int | None:
    """The number a page that starts at ``blocks[i]`` shows in its page number or head."""
    for block in blocks[i : i + 2]:
        if block.subtype in PAGE_FURNITURE:
            digits = re.search(r"(?<![\d/])(\d{1,3})(?![\d/])", block.text)
            if digits:
                return int(digits.group(1))
    return None


def _gap_pages(block: RawBlock, before: int, after: int) -> RawBlock:
    marker = RawBlock([Line(block.first_line, "")])
    marker.kind, marker.subtype = "gap-pages", f"{before} {after}"
    return marker


def _number_pages(blocks: list[RawBlock]) -> dict[int, int]:
    """Page numbers for each pb pseudo-block (by id), taken from a page number block if any."""
    numbers: dict[int, int] = {}
    page = 0
    for i, block in enumerate(blocks):
        if block.kind != "pb":
            continue
        page += 1
        shown = _page_number(blocks, i + 1)
        if shown is not None and shown >= page:
            page = shown
        numbers[id(block)] = page
    return numbers


def line_inlines(lines: list[Line], script_lang: str | None = None) -> list[Inline]:
    """The lines of a block as inline content: text with line breaks between."""
    content: list[Inline] = []
    for k, line in enumerate(lines):
        if k:
            content.append(LineBreak())
        text = line.text.strip()
        content.append(Foreign(text, script_lang) if script_lang else Text(text))
    return content


def float_node(block: RawBlock, page_numbers: dict[int, int]) -> Inline:
    """A block that floats between paragraphs (or inside one, at a page break)."""
    if block.kind == "pb":
        return PageBreak(page_numbers[id(block)])
    if block.kind == "gap-pages":
        before, after = (int(n) for n in block.subtype.split())
        count = after - before - 1
        pages = f"{count} page" + ("s" if count > 1 else "")
        return Gap("lost", "page", PAGE_MISSING.format(before=before, after=after, count=pages))
    if block.kind == "foreign-stamp":
        return Furniture("stamp", tuple(line_inlines(block.lines, block.subtype)))
    if block.kind in {"furniture", "letterhead"}:
        kind = "letterhead" if block.kind == "letterhead" else block.subtype
        return Furniture(kind, tuple(line_inlines(block.lines)), rend_of(block))
    kind = {"addition": "addition", "noise": "noise"}.get(block.kind, "handwriting")
    return Marginal(kind, tuple(line_inlines(block.lines)))


def rend_of(block: RawBlock) -> str:
    """The layout of a block's lines as typed: centred, right-aligned or indented."""
    indents = [len(line.text) - len(line.text.lstrip()) for line in block.lines]
    if not indents or min(indents) == 0:
        return ""
    if min(indents) >= 20:
        return "align(right)"
    if min(indents) >= 8:
        return "align(center)"
    return "indent"


def _typed(block: RawBlock) -> str:
    """A block's text with its line breaks (``continues`` looks at its last line)."""
    return "\n".join(line.text for line in block.lines)


def continues(previous: str, following: str) -> bool:
    """Does ``following`` continue the sentence ``previous`` broke off?"""
    prev, nxt = previous.rstrip(), following.lstrip()
    if not prev or not nxt or _SENTENCE_END.search(prev):
        return False
    if nxt[0].islower() or prev[-1] in ",;-–—(":
        return True
    last_line = prev.rsplit("\n", 1)[-1]
    return prev[-1].isalnum() and len(words(last_line)) >= 6


@dataclass(frozen=True, slots=True)
class Resumes:
    """A paragraph that begins in mid-sentence after one that ended: text may be lost before
    it. Only a version of the letter in the same file that has text between the two shows
    that it is (:func:`teitools.reader.versions.lost_passages`)."""

    paragraph: Paragraph
    before: Paragraph  # the paragraph before it


def _starts_mid_sentence(text: str, lexicon: Lexicon) -> bool:
    first = words(text[:40])
    return bool(first) and text.lstrip()[:1].islower() and lexicon.is_word(first[0])


class _Body:
    """Accumulates paragraphs and the floats between them."""

    def __init__(self, lexicon: Lexicon, rules: Rules):
        self.rules = rules
        self.blocks: list[Block] = []
        self.pending: list[RawBlock] = []
        self.resumes: list[Resumes] = []
        self.last_text = ""
        self.lexicon = lexicon

    def add_text(self, block: RawBlock, page_numbers: dict[int, int]) -> None:
        current = self.blocks[-1] if self.blocks else None
        joinable = all(b.kind != "address" for b in self.pending)
        page_break = any(b.kind == "pb" for b in self.pending)
        wrapped_line = "\n" not in self.last_text and len(self.last_text) <= 80
        if (
            isinstance(current, Paragraph)
            and joinable
            and (
                continues(self.last_text, block.text)
                or (
                    wrapped_line
                    and not page_break
                    and block.text[:1].islower()
                    and (not self.pending or not _ends_sentence(self.last_text))
                )
            )
        ):
            for floating in self.pending:
                current.content.append(float_node(floating, page_numbers))
            current.content.append(LineBreak())
            current.content.extend(line_inlines(block.lines))
        else:
            self.flush(page_numbers)
            previous_ended = self.last_text and _SENTENCE_END.search(self.last_text.rstrip())
            salutation = block.text[:1].upper() + block.text[1:80]
            addressed = any(p.match(salutation) for p in self.rules.salutations)
            paragraph = Paragraph(line_inlines(block.lines))
            before = next((b for b in reversed(self.blocks) if isinstance(b, Paragraph)), None)
            resumes = previous_ended and _starts_mid_sentence(block.text, self.lexicon)
            if before is not None and resumes and not addressed:
                # a paragraph may begin in lower case ("ad 3.)", "herzlich Ihr"): a lost
                # passage needs more evidence than that
                self.resumes.append(Resumes(paragraph, before))
            self.blocks.append(paragraph)
        self.pending = []
        self.last_text = "\n".join(line.text for line in block.lines)

    def flush(self, page_numbers: dict[int, int]) -> None:
        for floating in self.pending:
            self.blocks.append(_block_of(floating, page_numbers))
        self.pending = []


def _block_of(block: RawBlock, page_numbers: dict[int, int], rules: Rules | None = None) -> Block:
    if block.kind == "address":
        return Address([line_inlines([line]) for line in block.lines])
    if block.kind == "foreign":
        return Paragraph(line_inlines(block.lines, block.subtype))
    if block.kind == "dateline":
        return _dateline(block, rules) if rules else Paragraph(line_inlines(block.lines))
    node = float_node(block, page_numbers)
    assert isinstance(node, PageBreak | Furniture | Marginal | Gap)
    return node


def _dateline(block: RawBlock, rules: Rules) -> Dateline:
    text = " ".join(line.text.strip() for line in block.lines)
    found = find_date(text, rules, slips=True)
    return Dateline(
        line_inlines(block.lines),
        found[0] if found else None,
        found[1] if found and len(block.lines) == 1 else None,
        rend_of(block),
    )


def build_letter(
    blocks: list[RawBlock], source: Source, rules: Rules, lexicon: Lexicon
) -> tuple[Letter, list[Resumes]]:
    """Assemble one letter's blocks (with pb pseudo-blocks) into the letter model; with the
    paragraphs that begin in mid-sentence after a finished one."""
    letter = Letter(source=source)
    numbers = _number_pages(blocks)
    kinds = [b.kind for b in blocks]
    first_text = kinds.index("text") if "text" in kinds else len(blocks)
    opener_end = 0
    for i in range(first_text):
        if kinds[i] in OPENER_KINDS:
            opener_end = i + 1
    ends = [i for i, kind in enumerate(kinds) if kind in {"closing", "signed"} and i >= opener_end]
    closing = ends[0] if ends else None
    if closing is None and opener_end == 0 and first_text == len(blocks):
        opener_end = len(blocks)
    envelope = _envelope(blocks, max(opener_end, first_text + 1), rules) if not ends else None
    end = closing if closing is not None else envelope

    for block in blocks[:opener_end]:
        letter.opener.append(_opener_block(block, numbers, rules))

    body = _Body(lexicon, rules)
    for block in blocks[opener_end : end if end is not None else len(blocks)]:
        if block.kind == "text":
            body.add_text(block, numbers)
        elif block.kind in FLOATING or block.kind == "address":
            body.pending.append(block)
        else:  # a stray formula (a second dateline, a salutation) inside the body
            body.flush(numbers)
            body.blocks.append(_opener_block(block, numbers, rules))
    if closing is None and body.last_text and _broken_off(body.last_text, blocks, rules):
        trailing = body.pending
        body.pending = []
        body.blocks.append(Gap("lost", None, TRUNCATED))
        body.pending = trailing
    elif closing is None and body.last_text:
        letter.notes.append(UNCLOSED)
    body.flush(numbers)
    letter.body = body.blocks

    if end is not None:
        _build_closer(letter, blocks[end:], numbers, rules)
    return letter, body.resumes


def _envelope(blocks: list[RawBlock], start: int, rules: Rules) -> int | None:
    """Where a letter with no closing ends on an address of two lines or more that begins
    with a form of address, after its text (a postcard's: "… hätte. / Herrn Doctor /
    Richard Beer-Hofmann / Ischl / Schulgasse 8"): that address's block, which the closer
    takes; else None."""
    last = next(
        (k for k in range(len(blocks) - 1, start - 1, -1) if blocks[k].kind not in FLOATING),
        None,
    )
    if last is None or blocks[last].kind not in {"text", "address"}:
        return None
    block = blocks[last]
    if len(block.lines) >= 2 and _address_like(block) and _addressed(block, rules):
        return last
    return None


def _broken_off(text: str, blocks: list[RawBlock], rules: Rules) -> bool:
    """A text that stops in mid-sentence at the end of a full line, on a comma or a word
    like "the", "und", "de" (not a short last line, which may be a signature or a closing
    no rule knows, nor a name, nor a dash: the writer's own stop, "Love to you all—"); a
    last sentence that is a closing formula ("… les salutations sincères et cordiales de")
    lacks only its signature; and a writer who does not punctuate (fewer sentence ends in
    the letter's text than one in :data:`UNPUNCTUATED` words) shows nothing by a missing
    one."""
    text = text.rstrip()
    if re.search(r"(\s-+|[–—]|--)$", text):
        return False
    last_line = text.rsplit("\n", 1)[-1]
    found = words(last_line)
    if _ends_sentence(text) or len(found) < 6:
        return False
    sentence = re.split(r"[.!?]\s", text)[-1]
    if any(w.lower() in rules.closing_keys for w in words(sentence)):
        return False
    prose = " ".join(b.text for b in blocks if b.kind == "text")
    count, ends = len(words(prose)), len(re.findall(r"\w[.!?]", prose))
    if count >= UNPUNCTUATED and ends * UNPUNCTUATED < count:
        return False
    return text[-1] in ",;-(" or (is_function_word(found[-1]) and found[-1].islower())


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()) or text.rstrip()[-1:] in ":;!?")


def _opener_block(block: RawBlock, numbers: dict[int, int], rules: Rules) -> Block:
    if block.kind == "dateline":
        return _dateline(block, rules)
    if block.kind == "salute":
        return Salute(line_inlines(block.lines), rend_of(block))
    if block.kind in {"text", "closing", "signed"}:
        return Paragraph(line_inlines(block.lines))
    return _block_of(block, numbers)


def _build_closer(
    letter: Letter, blocks: list[RawBlock], numbers: dict[int, int], rules: Rules
) -> None:
    postscript: list[Paragraph] = []
    after: list[Block] = []  # a dateline or signature after the postscript
    signed = False
    for block in blocks:
        open_address = letter.closer[-1] if letter.closer else None
        addressing = isinstance(open_address, Address) and block.gap == 0  # its next lines
        if postscript and block.kind in {"dateline", "signed"}:
            after.append(
                _dateline(block, rules)
                if block.kind == "dateline"
                else Signed(line_inlines(block.lines), rend_of(block))
            )
        elif after:  # nothing of the postscript follows its closing: keep the order
            after.append(
                _block_of(block, numbers)
                if block.kind not in {"text", "salute"}
                else Signed(line_inlines(block.lines))
            )
        elif postscript or (block.kind == "text" and rules.postscript.match(block.text)):
            if block.kind == "text" or not postscript:
                postscript.append(Paragraph(line_inlines(block.lines)))
            else:
                postscript[-1].content.append(float_node(block, numbers))
        elif block.kind == "closing":
            letter.closer.append(Salute(line_inlines(block.lines), rend_of(block)))
        elif block.kind == "signed":
            letter.closer.append(Signed(line_inlines(block.lines), rend_of(block)))
            signed = True
        elif block.kind == "dateline":
            letter.closer.append(_dateline(block, rules))
        elif block.kind == "foreign":
            letter.closer.append(
                Marginal("foreign", tuple(line_inlines(block.lines, block.subtype)))
            )
        elif block.kind in {"address", "text", "letterhead", "salute"} and (
            block.kind == "address"
            or (_address_like(block) and (signed or addressing or _addressed(block, rules)))
        ):  # an address under the closing ("Monsieur le Capt Hugo Forbes / … / à Paris")
            lines = [line_inlines([line]) for line in block.lines]
            if addressing and isinstance(open_address, Address):
                open_address.lines.extend(lines)
            else:
                letter.closer.append(Address(lines))
        elif block.kind in {"text", "salute"}:  # prose after the closing: a postscript
            postscript.append(Paragraph(line_inlines(block.lines)))
        else:
            letter.closer.append(_block_of(block, numbers))
    if postscript:
        letter.postscript.append(Postscript(postscript, after))


_ADDRESSED_TO = re.compile(r"^(?:To|An|À|For)\b")  # an address's first word, not a name's


def _addressed(block: RawBlock, rules: Rules) -> bool:
    """A block that begins with a form of address ("Monsieur C. Maraini, Ingénieur")."""
    first = words(block.lines[0].text)
    return bool(first) and first[0] in rules.titles | {"To", "An", "À", "A"}


def _address_like(block: RawBlock) -> bool:
    """Lines as an address has them: a few, short, none a sentence of prose."""
    return len(block.lines) <= 6 and all(address_line(line.text) for line in block.lines)


__all__ = [
    "build_letter",
    "mark_closings",
    "mark_opener",
    "mark_page_breaks",
    "mark_signatures",
    "split_letters",
]

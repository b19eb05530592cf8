"""What the letter says about itself, and what the register adds: the header's facts.

Runs after the body is built. Every value carries :class:`~teitools.model.Evidence`;
a field nothing supports is left empty and listed in ``Metadata.missing``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from heapq import merge
from itertools import groupby

from teitools.model import (
    Address,
    Correction,
    Dateline,
    DateValue,
    Evidence,
    Foreign,
    Furniture,
    Hyphenation,
    Inline,
    Letter,
    LineBreak,
    Metadata,
    Name,
    Paragraph,
    Postscript,
    Salute,
    Signed,
    Text,
    furniture_of,
)
from teitools.reader.archive import archive_facts
from teitools.reader.correspondents import Side, counterpart, country_of, gather, resolve_side
from teitools.reader.dates import find_date
from teitools.reader.dating import (
    Constraint,
    date_evidence,
    meeting_constraints,
    office_constraint,
    titled_mentions,
)
from teitools.reader.entities import NameFinder
from teitools.reader.names import (
    address_name,
    addressed_name,
    dateline_place,
    firm_signer,
    full_name,
    initials_name,
    letterhead_place,
    salutation_in_text,
    signature_name,
    signed_in_text,
)
from teitools.registers import Registers
from teitools.rules import Rules

LANGUAGE_OF_COUNTRY = {"SU": "ru", "US": "en"}


def plain(nodes: Iterable[Inline]) -> str:
    """The reading text of inline content (corrections and joined words applied)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, _TEXTUAL):
            parts.append(node.text)
        elif isinstance(node, Correction):
            parts.append(node.corr)
        elif isinstance(node, Hyphenation):
            parts.append(node.before + ("" if node.joined else "-") + node.after)
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return _SPACES.sub(" ", "".join(parts)).strip()


_TEXTUAL = (Text, Foreign, Name)
_SPACES = re.compile(r"\s+")


def lines_of(nodes: Iterable[Inline]) -> list[list[Inline]]:
    """Inline content cut at its line breaks."""
    lines: list[list[Inline]] = [[]]
    for node in nodes:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return lines


def body_text(letter: Letter) -> str:
    paragraphs: list[str] = []
    for block in letter.body:
        if isinstance(block, Paragraph):
            paragraphs.append(plain(block.content))
    for block in letter.postscript:
        if isinstance(block, Postscript):
            paragraphs.extend(plain(p.content) for p in block.paragraphs)
    return "\n".join(paragraphs)


def infer_metadata(
    letter: Letter, registers: Registers, rules: Rules, finder: NameFinder
) -> Metadata:
    meta = Metadata()
    furniture = furniture_of(letter)
    _marks(meta, furniture, registers, rules)

    dateline = next(
        (
            b
            for part in (letter.opener, letter.closer, letter.body)
            for b in part
            if isinstance(b, Dateline) and b.date is not None
        ),
        None,
    ) or next((b for b in letter.opener if isinstance(b, Dateline)), None)
    salute = next((b for b in letter.opener if isinstance(b, Salute)), None) or next(
        (  # (or under a dateline among the body's first blocks, a note written above it)
            b
            for k, b in enumerate(letter.body[:6])
            if isinstance(b, Salute)
            and any(isinstance(a, Dateline) for a in letter.body[max(0, k - 2) : k])
        ),
        None,
    )
    signed = [plain(b.content) for b in letter.closer if isinstance(b, Signed)]
    signature = " ".join(signed)
    addresses = [
        " / ".join(plain(line) for line in b.lines)
        for b in letter.blocks()
        if isinstance(b, Address)
    ]
    captions = [text for kind, text in furniture if kind == "caption"]
    text = body_text(letter)
    if dateline is not None:
        meta.date_text = plain(dateline.content)

    sender_side, addressee_side = gather(
        signature, addresses, captions, plain(salute.content) if salute else "", registers, finder
    )
    dateline_date = dateline.date if dateline else None
    exact = dateline_date.when if dateline_date and dateline_date.when else None
    span = None
    if exact and re.fullmatch(r"\d{4}-\d{2}-\d{2}", exact):
        day = date.fromisoformat(exact)
        span = (day, day)
    constraints: list[Constraint] = []
    for _ in range(2):  # persons fix dates, dates fix offices: two rounds settle it
        exclude = "SU" if meta.translation else None  # a translated letter came from Moscow
        meta.addressee = meta.addressee or resolve_side(addressee_side, registers, span, exclude)
        other = _country(meta.addressee, registers)
        meta.sender = meta.sender or resolve_side(sender_side, registers, span, other)
        if span is not None:
            if meta.sender and not meta.addressee:
                meta.addressee = counterpart(meta.sender, registers, span)
            if meta.addressee and not meta.sender:
                meta.sender = counterpart(meta.addressee, registers, span)
        if span is not None and span[0] == span[1]:
            break
        constraints = _constraints(
            meta, (sender_side, addressee_side), text, registers, rules, finder
        )
        value, _ = date_evidence(dateline_date, constraints)
        span = _span(value)
    meta.date, meta.date_evidence = date_evidence(dateline_date, constraints)
    if dateline is not None and dateline.note and meta.date_evidence is not None:
        evidence = meta.date_evidence
        cert = "low" if "configured" in dateline.note else "medium"
        meta.date_evidence = Evidence(
            evidence.value,
            evidence.label,
            evidence.source,
            cert,
            f"{evidence.note}; {dateline.note}",
        )
    signers = [_signer(b, rules) for b in letter.closer if isinstance(b, Signed)]
    _names_of_letter(meta, signers, letter, salute, rules)

    letterheads = [
        [plain(line) for line in lines_of(node.content)]
        for block in letter.opener
        for node in ([block] if isinstance(block, Furniture) else [])
        if node.kind == "letterhead"
    ]
    letterheads += [  # the writer's own address at the top, no person's ("Wien, XVIII.
        lines  # Spoettelgasse 7." under the date), as a letterhead gives it
        for block in letter.opener
        if isinstance(block, Address)
        for lines in [[plain(line) for line in block.lines]]
        if address_name(lines, rules) is None
    ]
    _places(meta, dateline, addresses, letterheads, registers, rules, finder)
    _replies(meta, letter, rules)
    if meta.translation and meta.sender:
        country = _country(meta.sender, registers)
        meta.original_language = LANGUAGE_OF_COUNTRY.get(country or "")
    for name in ("sender", "addressee", "date", "repository"):
        if getattr(meta, name) is None:
            meta.missing.append(name)
    _absence(meta, letter, salute, signed, dateline, rules)
    return meta


def _signer(block: Signed, rules: Rules) -> str:
    """A signed block's text; of a firm's or an office's block ("Per la Società Generale /
    … / Il Presidente / G Servadio"), the last line, the signer's name."""
    lines = [plain(line) for line in lines_of(block.content)]
    return firm_signer(lines, rules) or plain(block.content)


WEAK = frozenset({"register", "salutation", "caption"})  # a guess a signature overrides


def _names_of_letter(
    meta: Metadata, signed: list[str], letter: Letter, salute: Salute | None, rules: Rules
) -> None:
    """Names the letter itself gives, where the register gave none (or only a guess)."""
    found = signature_name(signed, rules) if signed else None
    if found is not None and len(found.name.split()) == 1:  # "Arthur": the letterhead or
        heads = [text for kind, text in furniture_of(letter) if kind == "letterhead"]  # the
        heads += [  # writer's address may give the whole name ("Dr. Arthur Schnitzler")
            " ".join(plain(line) for line in b.lines)
            for b in letter.blocks()
            if isinstance(b, Address)
        ]
        found = full_name(found, heads) or found
    if found is not None and found.cert == "low":  # initials ("A."): the name printed at the
        heads = [  # head, a line of a letterhead or of the writer's address above the date
            "\n".join(plain(line) for line in lines)
            for b in letter.opener
            for lines in (
                [lines_of(b.content)]
                if isinstance(b, Furniture) and b.kind == "letterhead"
                else [b.lines]
                if isinstance(b, Address)
                else []
            )
        ]
        found = initials_name(found, heads, rules) or found
    if found is not None and (meta.sender is None or meta.sender.source in WEAK):
        known = meta.sender is not None and _same_person(meta.sender.label, found.name, rules)
        if not known:
            meta.sender = Evidence(found.name, found.name, "signature", found.cert, found.note)
    if meta.addressee is None or meta.addressee.source == "register":
        signed_at = next((k for k, b in enumerate(letter.closer) if isinstance(b, Signed)), None)
        feet = set()  # the addresses under a signature that gave a name (under one that gave
        if signed_at is not None and found is not None:  # none, "Votre très dévoué Serv.",
            feet = {id(b) for b in letter.closer[signed_at:]}  # the name is the writer's)
        greeted = plain(salute.content) if salute else _greeting_in_text(letter, rules)
        for block in letter.blocks():
            if isinstance(block, Address):
                lines = [plain(line) for line in block.lines]
                named = address_name(lines, rules, foot=id(block) in feet, greeted=greeted)
                writer = meta.sender.label if meta.sender else ""
                if named is not None and writer and _same_person(writer, named.name, rules):
                    continue  # the writer's own address, as a postcard has it
                if named is not None:
                    meta.addressee = Evidence(
                        named.name, named.name, "inside address", named.cert, named.note
                    )
                    return
    if (meta.addressee is None or meta.addressee.source == "register") and salute is not None:
        named, _ = addressed_name(plain(salute.content), rules)
        if named is not None:
            meta.addressee = Evidence(named.name, named.name, "salutation", named.cert, named.note)
    _names_in_text(meta, signed, letter, salute, rules)


def _greeting_in_text(letter: Letter, rules: Rules) -> str:
    """The salutation that opens the text's first line ("Lieber Richard, ich habe …"), or
    ""."""
    first = next((b for b in letter.body if isinstance(b, Paragraph)), None)
    named = salutation_in_text(plain(first.content), rules) if first is not None else None
    return named.written if named is not None else ""


def _names_in_text(
    meta: Metadata, signed: list[str], letter: Letter, salute: Salute | None, rules: Rules
) -> None:
    """Where no salutation or signature stands apart, the one that opens the text's first
    line or the name after a closing word that ends it (letters typed line by line)."""
    paragraphs = [b for b in letter.body if isinstance(b, Paragraph)]
    if not paragraphs:
        return
    if meta.addressee is None and salute is None:  # (or the second: under a caption,
        for paragraph in paragraphs[:2]:  # "Ricordo di Roma", or a place in parentheses)
            named = salutation_in_text(plain(paragraph.content), rules)
            if named is not None:
                meta.addressee = Evidence(
                    named.name, named.name, "salutation", named.cert, named.note
                )
                break
    closing = [b for b in letter.closer if isinstance(b, Salute)]
    unsigned = all(isinstance(b, Address) for b in letter.closer)  # (a postcard's address)
    if meta.sender is None and not signed and (closing or unsigned):
        found = signed_in_text(plain((closing or paragraphs)[-1].content), rules)
        if found is not None:
            meta.sender = Evidence(found.name, found.name, "signature", found.cert, found.note)


def _same_person(label: str, name: str, rules: Rules) -> bool:
    """The same surname, and no other forename: "To Janet Livingston" in a letter signed
    "David Livingston" is his sister's address, not his own."""
    surname = name.split()[-1].lower().strip(".")
    if surname not in label.lower():
        return False
    forenames = [_forename(text, rules) for text in (label, name)]
    return None in forenames or forenames[0] == forenames[1]


def _forename(name: str, rules: Rules) -> str | None:
    """The first letter of a name's forename written out ("Janet Livingston": "j"), None
    where it begins with an initial, a title or is one word ("Dr Livingstone", "D.
    Livingston")."""
    found = name.split()
    first = found[0]
    if len(found) < 2 or len(first) < 3 or not first.isalpha() or not first[0].isupper():
        return None
    return None if first.rstrip(".") in rules.titles else first[0].lower()


def _absence(
    meta: Metadata,
    letter: Letter,
    salute: Salute | None,
    signed: list[str],
    dateline: Dateline | None,
    rules: Rules,
) -> None:
    """For each fact not found, the evidence of its absence."""
    closing = any(isinstance(b, Salute) for b in letter.closer)
    if meta.sender is None:
        if signed:
            meta.absence["sender"] = f"the signature {' / '.join(signed)!r} gives no name"
        elif closing:
            meta.absence["sender"] = "the closing is followed by no signature"
        else:
            meta.absence["sender"] = "no closing or signature was recognised"
    if meta.addressee is None:
        if salute is not None:
            meta.absence["addressee"] = addressed_name(plain(salute.content), rules)[1]
        else:
            meta.absence["addressee"] = "no salutation or inside address was recognised"
    if meta.date is None:
        meta.absence["date"] = (
            f"the dateline {plain(dateline.content)!r} holds no date that could be read"
            if dateline is not None
            else "no dateline was recognised, and nothing in the text fixes a date"
        )
    if meta.place_sent is None:
        meta.absence["place"] = (
            f"the dateline {plain(dateline.content)!r} names no place"
            if dateline is not None
            else "no dateline was recognised"
        )


def _marks(
    meta: Metadata, furniture: list[tuple[str, str]], registers: Registers, rules: Rules
) -> None:
    for kind, text in furniture:
        if kind == "translation":
            meta.translation = True
        elif kind == "draftMark" or (kind == "caption" and "DRAFT" in text.upper()):
            meta.draft = True
            meta.draft_evidence = meta.draft_evidence or text
        if kind == "archival" and text not in meta.identifiers:
            meta.identifiers.append(text)
        elif kind == "header" and text not in meta.archival:
            meta.archival.append(text)
        elif kind == "classification" and text not in meta.marks:
            meta.marks.append(text)
    facts = archive_facts(furniture, registers, rules)
    meta.repository, meta.collection, meta.box = facts.repository, facts.collection, facts.box
    meta.classification = facts.classification


def _country(party: Evidence | None, registers: Registers) -> str | None:
    person = registers.entries.get(party.value) if party else None
    return country_of(person, registers) if person else None


def _span(value: DateValue | None) -> tuple[date, date] | None:
    if value is None:
        return None
    if value.when and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.when):
        day = date.fromisoformat(value.when)
        return day, day
    if value.not_before or value.not_after:
        return (
            date.fromisoformat(value.not_before) if value.not_before else date.min,
            date.fromisoformat(value.not_after) if value.not_after else date.max,
        )
    return None


def _constraints(
    meta: Metadata,
    sides: tuple[Side, Side],
    text: str,
    registers: Registers,
    rules: Rules,
    finder: NameFinder,
) -> list[Constraint]:
    """Date constraints from the correspondents' offices, titled mentions and meetings."""
    found: list[Constraint] = []
    parties = []
    for party, side, role in (
        (meta.sender, sides[0], "sender"),
        (meta.addressee, sides[1], "addressee"),
    ):
        person = registers.entries.get(party.value) if party else None
        if person is None:
            continue
        parties.append(person)
        offices = side.offices()
        if offices:
            constraint = office_constraint(
                person, offices, f"the {role} is addressed or named by office"
            )
            if constraint is not None:
                found.append(constraint)
    found += titled_mentions(text, registers)
    found += meeting_constraints(text, parties, registers, rules, finder)
    return found


def _places(
    meta: Metadata,
    dateline: Dateline | None,
    addresses: list[str],
    letterheads: list[list[str]],
    registers: Registers,
    rules: Rules,
    finder: NameFinder,
) -> None:
    if dateline is not None:
        text = plain(dateline.content)
        found = find_date(text, rules, slips=True)
        rest = text[: found[1][0]] + text[found[1][1] :] if found else text
        places = [m.entry for m in finder.find(rest) if m.entry.kind == "place"]
        stacked = "\n".join(plain(line) for line in lines_of(dateline.content))
        found_line = find_date(stacked, rules, slips=True)
        named = dateline_place(stacked, found_line[1] if found_line else None, rules)
        if places and (named is None or named.name in places[0].forms):
            meta.place_sent = Evidence(
                places[0].id, places[0].name, "dateline", "high", f"named in the dateline {text!r}"
            )
        elif named is not None:
            meta.place_sent = Evidence(named.name, named.name, "dateline", named.cert, named.note)
    if meta.place_sent is None:  # the writer's address in the dateline, or a letterhead
        own = _undated_lines(dateline, rules) if dateline else []
        heads = [("letterhead", lines) for lines in letterheads]
        for source, lines in [("dateline", own), *heads] if own else heads:
            named = letterhead_place(lines, rules, source)
            if named is not None:
                meta.place_sent = Evidence(named.name, named.name, source, named.cert, named.note)
                break
    for address in addresses:
        places = [m.entry for m in finder.find(address) if m.entry.kind == "place"]
        if places:
            last = places[-1]
            note = f"the last place in the inside address {address!r}"
            meta.place_received = Evidence(last.id, last.name, "inside address", "high", note)


def _undated_lines(dateline: Dateline, rules: Rules) -> list[str]:
    """A dateline's lines that hold no part of its date (the writer's address)."""
    lines = [plain(line) for line in lines_of(dateline.content)]
    found = find_date("\n".join(lines), rules, slips=True)
    if found is None:
        return lines
    kept, at = [], 0
    for line in lines:
        if at + len(line) <= found[1][0] or at >= found[1][1]:
            kept.append(line)
        at += len(line) + 1
    return kept


def _replies(meta: Metadata, letter: Letter, rules: Rules) -> None:
    first = next((b for b in letter.body if isinstance(b, Paragraph)), None)
    if first is None:
        return
    text = plain(first.content)
    for pattern in rules.replies:
        match = pattern.match(text)
        if match is None:
            continue
        found = find_date(text[match.end() : match.end() + 40], rules)
        if found is not None and not text[match.end() : match.end() + found[1][0]].strip():
            reference = text[: match.end() + found[1][1]]
            meta.replies_to.append((reference, found[0]))


def share_dates(letters: list[Letter]) -> None:
    """Versions of one letter in one file (a sent copy and its draft) share a date.

    An undated version takes the exact date of another version whose text it largely
    repeats, if that date falls within its own range; the evidence says so.
    """
    if len(letters) < 2:
        return
    shingles = [_shingles(body_text(letter)) for letter in letters]
    # Comparing every pair was quadratic in the letters of a file: each letter is compared
    # only with the dated letters that can share half the triples of the smaller of the two.
    # Such a pair shares one of the rarer half (and one more) of the smaller one's triples,
    # so the dated letters are indexed by all their triples and by that rarer part.
    counts = Counter(shingle for group in shingles for shingle in group)
    rarest = [sorted(group, key=lambda s: (counts[s], s)) for group in shingles]
    # triple → dated letters, in file order: by all their triples, by their rarer part;
    # those dated from the start, and those dated here (each list only ever grows at its end)
    indexes: list[dict[tuple[str, ...], list[int]]] = [{}, {}, {}, {}]

    def index(j: int, dated_here: bool) -> None:
        holding, starting = indexes[2:] if dated_here else indexes[:2]
        for shingle in shingles[j]:
            holding.setdefault(shingle, []).append(j)
        for shingle in rarest[j][: len(rarest[j]) // 2 + 1]:
            starting.setdefault(shingle, []).append(j)

    for j, letter in enumerate(letters):
        if letter.metadata.date is not None and _exact(letter.metadata.date):
            index(j, dated_here=False)
    for i, letter in enumerate(letters):
        meta = letter.metadata
        if meta.date is not None and meta.date.when and not meta.date.when.startswith("--"):
            continue
        span = _span(meta.date) or (date.min, date.max)
        half = rarest[i][: len(rarest[i]) // 2 + 1]
        holding, starting, holding_here, starting_here = indexes
        lists = [found[s] for found in (holding, holding_here) for s in half if s in found]
        mine = shingles[i]
        lists += [found[s] for found in (starting, starting_here) for s in mine if s in found]
        for j, _ in groupby(merge(*lists)):  # in file order: the first that qualifies wins
            other = letters[j]
            value = other.metadata.date
            assert value is not None
            day = date.fromisoformat(value.when or "")
            shared = len(shingles[i] & shingles[j])
            similarity = shared / max(1, min(len(shingles[i]), len(shingles[j])))
            if similarity < 0.5 or not span[0] <= day <= span[1]:
                continue
            meta.date = DateValue(when=value.when)
            label = meta.date.label() or day.isoformat()
            note = (
                f"no date in this copy; letter {other.source.index} in the same file is a "
                f"version of it ({similarity:.0%} of its word triples recur) and is dated {label}"
            )
            meta.date_evidence = Evidence(day.isoformat(), label, "other version", "medium", note)
            if "date" in meta.missing:
                meta.missing.remove("date")
            index(i, dated_here=True)
            break


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The word triples of a text: two versions of one letter share most of them."""
    words = text.lower().split()
    return set(zip(words, words[1:], words[2:], strict=False))


def _exact(value: DateValue) -> bool:
    return bool(value.when and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.when))


def warnings_for(letter: Letter) -> list[str]:
    """What a reviewer should know: each fact not found (and why), each assumption made."""
    meta = letter.metadata
    found: list[str] = []
    for field_name, label in (("sender", "sender"), ("addressee", "addressee"), ("date", "date")):
        if getattr(meta, field_name) is None:
            reason = meta.absence.get(field_name, "nothing in the text supports one")
            found.append(f"no {label}: {reason}")
    if meta.date_evidence is not None and "two-digit year" in meta.date_evidence.note:
        found.append(f"date {meta.date_evidence.label}: {meta.date_evidence.note.split('; ')[-1]}")
    if meta.language is None:
        found.append(f"language not determined ({meta.language_evidence})")
    return found

"""Names the letter itself gives: who signed it, whom it addresses, where it was written.

No register is needed: a signature ("(Sgd.) ALEXANDER CADOGAN", "/s/ John F. Kennedy",
"gez. Willy Andreas", initials, a typed name under a signature), a salutation ("Dear Mr.
Harriman", "Sehr geehrter Herr Professor Brenner"), the first line of an inside address and
the place before or after the date in a dateline each give a name as written, with its
certainty and the reason. The register, where it knows the person, links and
disambiguates (see :mod:`~teitools.reader.correspondents`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from teitools.reader.classify import subsequence, unaccented
from teitools.rules import Rules

_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÞĀ-Ž][\w'’-]*\.?|[A-ZÀ-Þ]\.|(?:von|v\.|van|de|der|du|da|di|le|la|zu|d['’]\w+))$"
)
PARTICLES = frozenset("von v. van de der du da di le la zu et und and".split())
OFFICE_SUFFIX = 6  # letters of a compound that may end in an office ("Nationalrath")
_INITIALS = re.compile(r"^(?:[A-ZÀ-Þ]\.?\s?){1,3}$")
_ADDRESS_HEAD = re.compile(  # "To the Hon.", "For", "The Rev.", "His Excellency" ("Your
    r"^(?:(?:To|An|À|A|Herrn|For)\s+(?:the\s+)?"  # most faithful Servant", "The Irish
    r"|The\s+(?=(?:Honou?rable|Hon|Rev|Revd|Very|Right|Misses|Messrs|Sir|Lady|Lord|Dr|Mrs?|Miss)\b)"
    r"|(?:His|Her|Their|Your)\s+(?:Excellency|Majesty|Royal\s+Highness|Highness|Holiness"
    r"|Lordship|Grace|Eminence|Honou?r)\s*)(?:Honou?rable\s+|Hon\.?\s+)?",  # National Aid"
)  # (an association) are none
_DIRECTED = re.compile(r"^(?:To|An|À|For|Herrn)[.:]?$")  # a line of its own: "To / Miss Webb"
# Initials written run together with the name: "W.D.O'Connor", "J.M.Scovel".
_RUN_INITIALS = re.compile(r"(?<!\w)([A-ZÀ-Þ])\.(?=[A-ZÀ-Þ])")
_HYPHENS = re.compile(r"[-‐‑]")


@dataclass(frozen=True)
class Found:
    name: str  # as it should be printed: "Alexander Cadogan", "Mr. Harriman"
    written: str  # as the letter has it
    cert: str  # high | medium | low
    note: str


def _clean(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).strip(" ,;:.!-–—")


_RUN_TOGETHER = re.compile(r"(?<=[a-zà-ÿ]{3})(?<![A-Z][a-z]{2})(?=[A-ZÀ-Þ][a-zà-ÿ])")


def _display(name: str) -> str:
    """ALEXANDER CADOGAN → Alexander Cadogan; a name written run together is parted
    (HermBahr → Herm Bahr, but McCarthy, DeWitt, MacDonald stay); other names as written."""
    name = _RUN_TOGETHER.sub(" ", name)
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return " ".join(
            w if _INITIALS.match(w) else "-".join(p.capitalize() for p in w.split("-"))
            for w in name.split()
        )
    return name


def _name_words(text: str, rules: Rules) -> list[str]:
    words = text.replace(",", " ").split()
    return [w for w in words if _NAME_WORD.match(w) and w.rstrip(".").lower() not in rules.weekdays]


def signature_name(lines: list[str], rules: Rules) -> Found | None:
    """The name a signature gives. ``lines`` are the signature's blocks, in order."""
    best: Found | None = None
    for raw in lines:
        prefix = rules.signature_prefix.match(raw.strip())
        text = _clean(raw.strip()[prefix.end() :] if prefix else raw)
        text = _RUN_INITIALS.sub(r"\1. ", text)
        if not text or not any(c.isalpha() for c in text) or any(c.isdigit() for c in text):
            continue
        if _INITIALS.match(text) or re.fullmatch(r"[A-Z]{1,3}", text):
            found = Found(text, raw.strip(), "low", f"the signature gives initials only ({raw!r})")
        else:
            text = _without_office(text, rules)
            words = text.split()
            named = _name_words(text, rules)
            if len(named) < max(1, len(words) - 1) or len(words) > 6:
                continue  # a title or a line of prose, not a name
            if all(_formulaic(w, rules) for w in named):
                continue  # a closing's words ("Deinem", "Votre Devoué", "Le Président")
            how = f"the signature {raw.strip()!r}" + (
                f" (after {prefix.group().strip()!r}, a typed signature)" if prefix else ""
            )
            found = Found(_display(text), raw.strip(), "high" if len(named) > 1 else "medium", how)
        if best is None or best.cert == "low" or (found.cert != "low" and prefix is not None):
            best = found
    return best


def firm_signer(lines: list[str], rules: Rules) -> str | None:
    """The signer's line of a firm's or an office's signature block, None where the lines
    are no such block. The block: a first line that begins with one of the rules'
    `firm_prefixes` ("Per la Società Generale", "Für die Direction") or a last line with a
    signature prefix ("Gebrüder Sulzer / i. A. Karl Meier"), short lines with no digit and
    no sentence, and a name on the last line. The signer: the name right under the first
    office written with a colon ("Der Präsident: / Dr A Escher / Der erste Sekretär: /
    Schweizer"), else the last line ("Il Presidente / G Servadio")."""
    lines = [line.strip() for line in lines if line.strip()]
    if not 2 <= len(lines) <= 6:
        return None
    if not (rules.firm_prefix.match(lines[0]) or rules.signature_prefix.match(lines[-1])):
        return None
    if all(_plain(w) in _closing_words(rules) for w in lines[0].split()):
        return None  # a closing above the name, no firm ("Hochachtungsvoll / gez. E. Kessler")
    if any(len(line.split()) > 8 or any(c.isdigit() for c in line) for line in lines):
        return None
    if any(line.rstrip(".").count(".") > 3 or line.endswith(("?", "!", ";")) for line in lines):
        return None
    if not _signs(lines[-1], rules):  # (initials may end a postscript)
        return None
    under_office = (
        line
        for above, line in pairwise(lines[1:])
        if above.endswith(":") and formula_only(above, rules) and _signs(line, rules)
    )
    return next(under_office, lines[-1])


def _signs(line: str, rules: Rules) -> bool:
    found = signature_name([line], rules)
    return found is not None and found.cert != "low"


def _without_office(text: str, rules: Rules) -> str:
    """A signature's name without the office or standing written after it ("N. Glasson
    député aux Etats", "Ch Bontems Deputé au Conseil National", "Ecklin stud. medicinae")
    or before it and a comma ("Le Secrétaire du Département politique, Ed. Secretan"): the
    name's words up to an office (the rules' `unnamed_addressees`, also abbreviated) or a
    word in lower case with a full stop ("stud.", "cand."); the text as it is where no such
    word follows a name."""
    head, comma, tail = text.rpartition(",")
    if comma and any(_unnamed(w, rules) for w in head.split()) and any(
        _NAME_WORD.match(w) and not _INITIALS.match(w) and not _unnamed(w, rules)
        for w in tail.split()
    ):
        text = tail.strip()  # (the office first: "Le Directeur, Ed. Secretan")
    words = text.split()
    for k, word in enumerate(words[1:], start=1):
        named_after = k + 1 < len(words) and _NAME_WORD.match(words[k + 1])
        office = _unnamed(word, rules) and not (  # (a rank inside a name: "Hugo Graf
            word.strip(".,") in rules.titles and named_after  # Lerchenfeld")
        )
        abbreviated = word[:1].islower() and word.endswith(".") and len(word) > 3
        if office or abbreviated:
            before = words[:k]
            if any(_NAME_WORD.match(w) and not _INITIALS.match(w) for w in before) and all(
                _NAME_WORD.match(w) for w in before
            ):
                return " ".join(before)
            break
        if not _NAME_WORD.match(word):
            break
    return text


@lru_cache(maxsize=8)
def _closing_words(rules: Rules) -> frozenset[str]:
    """The closing words of every language, without accents ("devoue" for "dévoué")."""
    return frozenset(_plain(w) for w in rules.closing_words | rules.closing_keys)


@lru_cache(maxsize=8)
def _closing_ends(rules: Rules) -> frozenset[str]:
    """The words a closing ends on, right above the name, without accents ("devoue")."""
    return frozenset(_plain(w) for w in rules.closing_ends)


def _plain(word: str) -> str:
    return unaccented(word.strip(".,;:!?").lower())


def _formulaic(word: str, rules: Rules) -> bool:
    """A word of a formula, not of a name: a closing's, a title, an office, a particle;
    words joined by hyphens where each is one ("Votre-très-obeissant", "Yours-truly")."""
    parts = [p for p in _HYPHENS.split(word) if p]
    if len(parts) > 1:
        return all(_formulaic(p, rules) for p in parts)
    return (
        _plain(word) in _closing_words(rules)
        or _unnamed(word, rules)
        or word.lower() in PARTICLES
    )


def formula_only(text: str, rules: Rules) -> bool:
    """A line of a formula's words only, no name's: "v. Deinem", "Le Directeur,", "Der
    Präsident:" (a signature's office or a closing's last words above the name)."""
    found = [w for w in text.split() if any(c.isalpha() for c in w)]
    return bool(found) and all(_formulaic(w, rules) for w in found)


def full_name(found: Found, texts: list[str]) -> Found | None:
    """A signature's forename ("Arthur") with the surname a letterhead or the writer's
    address gives after it ("Dr. Arthur Schnitzler, Wien"), where one text gives it."""
    forename = re.escape(found.name)
    names = {
        m.group(1)
        for text in texts
        for m in re.finditer(rf"\b{forename}\s+([A-ZÀ-Þ][\w'’-]+)", text)
    }
    if len(names) != 1:
        return None
    surname = names.pop().strip()
    note = f"{found.note}; the surname from the letterhead or address ({surname!r})"
    return Found(f"{found.name} {surname}", found.written, "high", note)


def initials_name(found: Found, texts: list[str], rules: Rules) -> Found | None:
    """A signature of initials ("A.", "A. S.") with the name at the letter's head whose
    words begin with them ("Dr. Arthur Schnitzler" printed above the date): the first
    initial the forename's, the last the surname's; where one name there fits."""
    initials = re.findall(r"[A-ZÀ-Þ]", found.name)
    names = set()
    for text in texts:
        for line in text.split("\n"):
            words = [w.strip(".,") for w in _clean(line).split()]
            words = [w for w in words if w not in rules.titles and w.lower() not in PARTICLES]
            if not 2 <= len(words) <= 4 or not all(
                _NAME_WORD.match(w) and w[1:].islower() and not _unnamed(w, rules)
                for w in words
            ):
                continue
            if words[0][0] == initials[0] and (len(initials) == 1 or words[-1][0] == initials[-1]):
                names.add(" ".join(words))
    if len(names) != 1:
        return None
    name = names.pop()
    note = f"{found.note}; the name they begin at the head of the letter ({name!r})"
    return Found(name, found.written, "medium", note)


def _strip_head(text: str, rules: Rules) -> str:
    words = _clean(text).split()
    while words and words[0].lower().rstrip(",") in rules.salutation_words:
        words.pop(0)
    return " ".join(words)


@lru_cache(maxsize=8)
def _offices(rules: Rules) -> frozenset[str]:
    """Titles and offices in lower case, of five letters or more (what is abbreviated)."""
    found = {w.lower() for w in rules.titles} | set(rules.unnamed_addressees)
    return frozenset(w for w in found if len(w) >= 5)


@lru_cache(maxsize=8)
def _unaccented_offices(rules: Rules) -> frozenset[str]:
    """The rules' offices and kinships without accents ("depute" for "député")."""
    return frozenset(unaccented(w) for w in rules.unnamed_addressees)


def _unnamed(word: str, rules: Rules) -> bool:
    """A word that addresses without naming: a title ("Herr", "Monsieur"), a kinship or an
    office ("Mother", "Président"), also in a compound ("Regierungspräsident",
    "Nationalrath", "Ministerialdirector")."""
    bare = word.strip(".,;:!?").lower()
    if word.strip(".,;:!?") in rules.titles or bare in rules.unnamed_addressees:
        return True
    if unaccented(bare) in _unaccented_offices(rules):
        return True  # an accent written otherwise ("Deputè", "President", "Secretaire")
    dotted = word.rstrip(",;:").endswith(".")
    short = bare.isalpha() and (3 <= len(bare) <= 4 or (dotted and len(bare) >= 3))
    if short and any(office.startswith(bare) for office in _offices(rules)):
        return True  # an office abbreviated ("Sec." for Secretary, "Pres", "Lieut.")
    return len(bare) > OFFICE_SUFFIX and any(
        bare.endswith(office) for office in rules.unnamed_addressees if len(office) > 3
    )


def addressed_name(salutation: str, rules: Rules) -> tuple[Found | None, str]:
    """The person a salutation names, or None and why not ("a title only"). The name
    follows the last form of address ("Sehr geehrter Herr Professor Brenner", "Lieber
    Freund Richard"); the words before it qualify it ("Hochgeachteter Herr", "Werthester
    Freund", "Monsieur le Président")."""
    rest = _strip_head(re.split(r"\s[–—-]\s|[,:;!?(]", salutation, maxsplit=1)[0], rules)
    if not rest:
        return None, f"the salutation {salutation!r} names nobody"
    words = rest.split()
    for k, word in enumerate(words):  # the name ends where the prose begins
        if not _NAME_WORD.match(word) and not _unnamed(word, rules):
            words = words[:k]
            break
    forms = [k for k, w in enumerate(words) if _unnamed(w, rules)]
    named: list[str] = []
    start = 0
    for f, end in reversed(list(zip([-1, *forms], [*forms, len(words)], strict=True))):
        between = words[f + 1 : end]  # the words after a form of address, up to the next
        office = f >= 0 and words[f].strip(".,") not in rules.titles
        if between and between[0].lower() in PARTICLES and office:
            continue  # an office's own words ("Président de la Direction"; "Herr von Salten")
        own = [w for w in between if w.lower() not in PARTICLES]
        if len(own) == 1 and end == len(words) - 1 and words[end].strip(".,") not in (
            rules.titles
        ):
            continue  # the first part of an office written apart ("Herr Regierungs
            # Präsident", "Monsieur le Vice Président")
        named = [w for w in between if _NAME_WORD.match(w) and w.lower() not in PARTICLES]
        if named and (f >= 0 or not forms):  # (words before the first form qualify it)
            start = f + 1
            break
        named = []
    if not named:
        return None, f"the salutation {salutation!r} addresses the recipient by title only"
    end = next((k for k in forms if k > start), len(words))
    while start and words[start - 1].strip(".,") in rules.titles:
        start -= 1  # the name, with the titles right before it
    rest = " ".join(words[start:end])
    cert = "medium" if len(named) == 1 else "high"
    note = f"named in the salutation {salutation!r}"
    return Found(_display(rest), salutation, cert, note), note


def salutation_in_text(text: str, rules: Rules) -> Found | None:
    """The person a salutation names where it opens the text's first line and the text runs
    on after its comma or exclamation mark ("Lieber Richard, morgen Ostermontag …", "Cher
    ami, je …", "Dear Jack—I have …"), as letters typed line by line have it."""
    match = _OPENING_SALUTE.match(text.strip())
    if match is None:
        return None
    head = match.group(1).strip()
    if len(head.split()) > 6 or not any(p.match(head + ",") for p in rules.salutations):
        return None
    found, note = addressed_name(head, rules)
    if found is None:
        return None
    note = f"named in the salutation {head!r} that opens the text"
    return Found(found.name, head, found.cert, note)


_OPENING_SALUTE = re.compile(r"^([^,!:;\n—–]{3,60})(?:[,!:;]|\s?[—–])\s*\S")


def signed_in_text(text: str, rules: Rules) -> Found | None:
    """The name that ends the text after a closing, where no signature stands apart ("…
    seien Sie herzlich gegrüsst wie die Ihrigen alle Ihr Arthur.", "Herzlichen Gruß. Dein
    Arthur Schnitzler", "Your loving son Jack", "Yours sincerely, Mary Maguire", "I am yours
    faithfully Patrick Doyle Secretary", "Ihr bereitwilligster J. R. Steiger"): up to five
    words of a name, after a closing's words, one of which ends a closing ("Ihr", "Yours",
    "votre"); an office after the name is left out."""
    words = [w for w in text.split()[-14:] if any(c.isalnum() for c in w)]  # (no "–")
    while words and _unnamed(words[-1], rules):
        words.pop()  # "Secretary", "Hon. Sec."
    name: list[str] = []
    while words and len(name) < 5:
        word = words[-1].strip(",;:—–-")
        initial = bool(re.fullmatch(r"(?:[A-ZÀ-Þ]\.?){1,3}", word))  # ("Dr A Escher", "B.O.")
        particle = bool(name) and word.rstrip(".").lower() in {*PARTICLES, "v", "d"}
        titled = bool(name) and word.rstrip(".") in rules.titles  # ("D. Dr. Tillich")
        if not (initial or particle or titled) and (
            not _NAME_WORD.match(word) or _formulaic(word, rules)
        ):
            break
        name.insert(0, words.pop())
    while name and name[0].rstrip(".").lower() in {*PARTICLES, "v", "d"}:
        words.append(name.pop(0))  # ("… ergebenster v Schulthess Rechberg")
    closing: list[str] = []
    while words and len(closing) < 6:
        word = words[-1]
        prefix = rules.signature_prefix.match(word)  # ("Ihr ergebenster gez. Anna Brenner")
        if not (_formulaic(word, rules) or word[:1].islower() or prefix):
            break  # (a closing's adjective no list has: "bereitwilligster", "steter")
        closing.insert(0, words.pop())
    if not name or not any(_plain(w) in _closing_ends(rules) for w in closing):
        return None
    found = signature_name([" ".join(name)], rules)
    if found is None or found.cert == "low":
        return None
    note = f"the name after the closing {' '.join(closing)!r} that ends the text"
    return Found(found.name, found.written, "medium", note)


def address_name(
    lines: list[str], rules: Rules, foot: bool = False, greeted: str = ""
) -> Found | None:
    """The addressee an inside address names on its first lines: after a form of address,
    the words of a name, up to an office, a comma or the end of the line ("Monsieur le Dr
    Alfred Escher Président de la Direction" → Monsieur le Dr Alfred Escher; "Walt Whitman
    Esq."); a forename abbreviated at the end of the line goes on in the next ("Herrn Dr.
    Rich. / Beer-Hofmann"), and so does a name under a line of forms of address only
    ("Herrn Dr / Arthur Schnitzler", "Monsieur / Alfred Escher"). An address at the
    ``foot`` of the letter, under the signature, names its addressee with no form of address
    too where the name is a person's beyond doubt (see :func:`_foot_name`; ``greeted``: the
    salutation)."""
    directed = False  # a line of its own above: "To / Miss Webb"
    for n, raw in enumerate(lines[:3]):
        head = raw.strip().split(",")[0]
        if _DIRECTED.match(head):
            directed = True
            continue
        text = _clean(_ADDRESS_HEAD.sub("", head))
        if not text or any(c.isdigit() for c in text) or n >= 2 + directed:
            continue
        tail = raw.split(",", 1)[1].split() if "," in raw else []  # "…, Esq."
        titled = (
            directed
            or _ADDRESS_HEAD.match(raw.strip())
            or (tail and tail[0].strip(".,") in rules.titles)
        )
        taken: list[str] = []
        named: list[str] = []
        office = False  # the word before was an office ("Président")
        for word in text.split():
            if not taken and word.lower() in rules.salutation_words:
                continue  # "Mon cher Monsieur Escher"
            if office and word.lower() in PARTICLES:
                break  # the office's own ("Président de la Direction")
            office = _unnamed(word, rules) and word.strip(".,") not in rules.titles
            if office and named:
                break  # an office after the name ("Président du Comité"), not before it
            if not _NAME_WORD.match(word) or word.rstrip(".").lower() in rules.weekdays:
                break
            taken.append(word)
            if not _unnamed(word, rules) and word.lower() not in PARTICLES:
                named.append(word)
            if word.strip(".,") in rules.name_suffixes:
                break  # the name ends here ("William Cotton Oswel, Esquire Burlington Hotel")
        own = [w for w in named if w.strip(".,") not in rules.name_suffixes]
        if len([w for w in own if w.lower() not in PARTICLES]) > NAME_WORDS:
            taken, named = _initialled(taken, named)  # the line runs on into the address
        alone = len(taken) == len(text.split()) and all(  # the line is forms of address
            w.strip(".,") in rules.titles or w.lower() in PARTICLES  # only (not "Hon. Sec.",
            for w in taken  # an office; "A Monsieur le Dr / Alfred Escher")
        )
        last = n  # the line the name ends on
        vocative = head.strip() != raw.strip()  # "I am, / Sir, / …": a closing's, no address
        if alone and not named and not vocative and n + 1 < len(lines):  # "Herrn Dr /
            after = _clean(lines[n + 1].split(",")[0]).split()  # Arthur Schnitzler"
            if 1 <= len(after) <= 4 and all(  # (a name: not "Sir / Your Obedient Servant",
                _NAME_WORD.match(w) and not _formulaic(w, rules) for w in after  # "I Remain")
            ):
                taken += after
                named = [w for w in after if not _unnamed(w, rules) and w not in PARTICLES]
                last = n + 1
        surname = []
        if len(named) == 1 and taken[-1] == named[-1]:
            surname = _surname_under(named[0], lines[last + 1 :], greeted, rules)
            taken, named = taken + surname, named + surname
        if not any(len(w.strip(".,")) >= 2 for w in named):
            continue  # ("I am, Sir")
        while taken[-1] not in named:  # "Walt Whitman Esq." (an office after it, "Patrick
            suffix = taken.pop().strip(".,")  # Doyle Secretary", is the writer's)
            titled = titled or suffix in rules.name_suffixes
        lead = next(w for w in taken if w.lower() not in PARTICLES)  # ("le Docteur Escher")
        personal = _foot_name(named, greeted, rules) if foot else None
        if not (titled or lead.strip(".,") in rules.titles or personal):
            continue  # a letterhead, a firm, a hotel: no form of address leads to a person
        if personal and not (titled or lead.strip(".,") in rules.titles):
            taken = taken[: taken.index(personal) + 1]
        abbreviated = re.search(r"\b[A-ZÀ-Þ][a-zà-ÿ]{1,4}\.$", head.strip())
        if abbreviated and taken[-1] == named[-1] and n + 1 < len(lines) and not surname:
            after = _clean(lines[n + 1]).split()  # "Herrn Dr. Rich. / Beer-Hofmann"
            if 1 <= len(after) <= 2 and all(_NAME_WORD.match(w) for w in after):
                taken += after
        name = _display(_clean(" ".join(taken)))
        written = " / ".join(line.strip() for line in lines[n : last + 1 + bool(surname)])
        return Found(name, written, "high", f"the inside address {written!r}")
    return None


NAME_WORDS = 4  # words of a person's name at most; more on an address's line run on


def _initialled(taken: list[str], named: list[str]) -> tuple[list[str], list[str]]:
    """A name written with initials, cut after the word that follows them, where the line
    runs on into the address ("Revd C A Alington Swinhope House Great Grimsby"); nothing
    where no initials lead the name (no word tells where it ends)."""
    if not _INITIALS.match(named[0]):
        return [], []
    surname = next(
        (w for w in named if not _INITIALS.match(w) and w.lower() not in PARTICLES), None
    )
    if surname is None:
        return [], []
    return taken[: taken.index(surname) + 1], named[: named.index(surname) + 1]


def _surname_under(forename: str, under: list[str], greeted: str, rules: Rules) -> list[str]:
    """The surname on the line under an address's one name ("Hrn Dr Richard / Beer-Hofmann /
    Wien / I Wollzeile 15."), where that name is the forename the salutation calls the
    addressee by ("Lieber Gustav" … "Herrn Gustav / Schwarzkopf"), or where a city and a
    street follow the line under it (a name, a city, a street: "Herrn / Dr Arthur /
    Schnitzler / Wien / XVIII Spöttelgasse 7."; not "Herrn Schnitzler / Wien / IX
    Frankgasse 1", whose line under the name is the city over the street)."""
    if not under:
        return []
    after = _clean(under[0].split(",")[0]).split()
    if not 1 <= len(after) <= 2 or not all(
        _NAME_WORD.match(w) and not _unnamed(w, rules) and w.lower() not in PARTICLES
        for w in after
    ) or _street(under[0], rules):
        return []
    called = {w.strip(".,;:!—–-").lower() for w in greeted.split()}
    city = len(under) >= 3 and not _street(under[1], rules) and _street(under[2], rules)
    return after if forename.strip(".,").lower() in called or city else []


def _foot_name(named: list[str], greeted: str, rules: Rules) -> str | None:
    """A name under the signature with no form of address that is a person's, not the
    writer's place ("Jamaica Plain", "New Orleans" stand there as often): initials before a
    surname ("W. S. Kennedy"), or a name the salutation calls the addressee by ("Dear Walt"
    … "Walt Whitman, / Camden"); none of its words a street's, a weekday's or a possessive
    ("Edr Harper's Maga", the writer's office). The word the name ends with (a place may
    follow it on the line: "Revd C A Alington Swinhope House"; after the forename the
    salutation calls, the surname), or None."""
    bare = [w.strip(".,").lower() for w in named]
    if len(named) < 2 or any(
        w in rules.street_words or _weekday(w, rules) or re.search(r"['’]s$", w) for w in bare
    ):
        return None
    if _INITIALS.match(named[0]):
        return next((w for w in named if not _INITIALS.match(w)), None)
    called = {w.strip(".,;:!—–-").lower() for w in greeted.split()}
    at = next((k for k, b in enumerate(bare) if len(b) >= 3 and b in called), None)
    return None if at is None else named[1 if at == 0 else at]  # (a forename: its surname)


def _weekday(word: str, rules: Rules) -> bool:
    """A weekday or a time of day, also abbreviated ("Tues", "Dinstg", "Nachmitg", "PM")."""
    lower = word.lower()
    if lower in rules.weekdays:
        return True
    return len(lower) >= 4 and any(
        day.startswith(lower[:2]) and subsequence(lower, day) and len(day) > len(lower)
        for day in rules.weekdays
    )


def dateline_place(text: str, span: tuple[int, int] | None, rules: Rules) -> Found | None:
    """The place a dateline names before its date ("Heidelberg, den …") or after it ("… Wien.");
    in a dateline stacked over lines, the nearest line that is a place's name ("328 Mickle
    Street / Camden New Jersey / April 18 '87": Camden New Jersey; a street is no place)."""
    if span is None:
        return None
    before, after = text[: span[0]], text[span[1] :]
    head, _, same_before = before.rpartition("\n")
    same_after, _, tail = after.partition("\n")
    parts = [same_before, same_after, *reversed(head.split("\n")), *tail.split("\n")]
    stacked = "\n" in text
    shown = " ".join(text.split())
    for part in parts:
        bare = re.sub(r"\([^()]*\)", " ", part)  # "Seis am Schlern (Südtirol)"
        place = _clean(" ".join(_trimmed(_clean(bare).split(), rules)))
        if not place or any(c.isdigit() for c in place):
            continue
        titled = place.split()[0].rstrip(".") in rules.titles  # a person ("Dr. Max Burckhard")
        if len(place.split()) > (6 if stacked else 4) or titled:
            continue  # (or a line of prose)
        first = place.split(",")[0].strip()
        if (
            first
            and first[0].isupper()
            and all(_NAME_WORD.match(w) or (w.islower() and len(w) <= 3) for w in first.split())
            and any(len(w.strip(".")) >= 3 for w in first.split())  # not "P M", "S. E"
        ):
            return Found(first, shown, "high", f"named in the dateline {shown!r}")
    return None


def _trimmed(words: list[str], rules: Rules) -> list[str]:
    """A dateline's words without the words of a date ("den", "le") and the weekdays and
    times of day at their ends ("Sunday Evn'g"), not inside a name ("Weissenbach am
    Attersee")."""

    def dating(word: str) -> bool:
        return word.lower() in rules.dateline_words or _weekday(word.rstrip(".,:"), rules)

    start, end = 0, len(words)
    while start < end and dating(words[start]):
        start += 1
    while end > start and dating(words[end - 1]):
        end -= 1
    return words[start:end]


_DISTRICT = re.compile(r"^(?:[IVX]{1,5}\.?|\d+\.?)$")  # "I.", "XVIII.", "7." after a city
_ROMAN = re.compile(r"^[IVX]{1,5}\.?$")  # a district in Roman numerals: "XVIII."
_POSTAL = re.compile(r"^(?:[A-Z]{1,2}|[A-Z]\.[A-Z]\.?)$")  # a postal district: "W", "NW", "N.W."


def _street(text: str, rules: Rules) -> bool:
    """A street or a house number: a digit, or a word ending as streets do ("Arch Street",
    "Rothenturmstrasse", "rue de la Paix")."""
    return any(c.isdigit() for c in text) or _street_word(text, rules)


def _street_word(text: str, rules: Rules) -> bool:
    found = [w.strip(".,;:").lower() for w in text.split()]
    return any(
        w.endswith(street) and (w == street or len(street) >= 4 or street == "str")
        for w in found
        for street in rules.street_words
    )


def _street_line(text: str, rules: Rules) -> bool:
    """A line of a street address: a house number before the street's name ("206
    BROADWAY", "No. 112 Arch Street") or a street's word ("Kärntnerring 12")."""
    number = re.match(r"^(?:No\.?\s*)?\d+[a-z]?,?\s+(?![IVX]+\b)[A-ZÀ-Þ]", text.strip())
    numbers = len(re.findall(r"\d+", text))  # (one: a house number; more: a date)
    return (number is not None and numbers == 1) or _street_word(text, rules)


def letterhead_place(lines: list[str], rules: Rules, where: str = "letterhead") -> Found | None:
    """The place of sending a letterhead (or the writer's address in a dateline: ``where``)
    gives: the city before a district or house number after its comma ("Wien, I.,
    Rothenturmstrasse", "Lyon, 14, rue de la République") or before a district ("Wien
    XVIII. Spoettelgasse 7."), or the line under the street and house number ("JEROME BUCK,
    / 206 BROADWAY, / NEW YORK," → New York). A street, a district, a person with a title
    or a firm is no place."""
    for k, raw in enumerate(lines):
        first, _, rest = raw.partition(",")
        words = _clean(first).split()
        district = next((i for i, w in enumerate(words[1:-1], 1) if _ROMAN.match(w)), None)
        if not rest and district is not None:  # "Wien XVIII. Spoettelgasse 7."
            words, rest = words[:district], " ".join(words[district:])
        numbered = False
        while len(words) > 1 and (
            _DISTRICT.match(words[-1]) or (numbered and _POSTAL.match(words[-1]))
        ):
            popped = words.pop()  # "Wien I", "BERLIN W 62"
            numbered = numbered or popped[:1].isdigit()
        place = " ".join(words)
        if not words or len(words) > 4 or _street(place, rules):
            continue
        if words[0].rstrip(".") in rules.titles or not words[0][:1].isupper():
            continue
        if not all(_NAME_WORD.match(w) or (w.islower() and len(w) <= 3) for w in words):
            continue  # ("Frankfurt a. M.", "Frankfurt am Main")
        if not any(len(w) >= 3 and not _DISTRICT.match(w) for w in words):
            continue  # a district ("II"), initials
        if any(_weekday(w.rstrip(".,:"), rules) for w in words):
            continue
        after = [w.strip(".,;:") for w in rest.split()]
        district = bool(after) and (_DISTRICT.match(after[0] + ".") is not None)
        street = _street_word(rest, rules) and any(c.isdigit() for c in rest)
        under = k >= 1 and _street_line(lines[k - 1], rules) and not rest.strip(" ,.")
        if district or street or under:  # ("Marburg a. L., Wilhelmstr. 12")
            shown = " / ".join(line.strip() for line in lines)
            note = f"named in the {where} {shown!r}"
            shown_place = place.title() if place.isupper() else place  # NEW YORK → New York
            return Found(shown_place, raw.strip(), "medium", note)
    return None

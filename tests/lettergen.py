"""Letters as archives and editions have them, generated with their facts known, and degraded.

Two halves, both deterministic for a given ``random.Random``:

- :func:`generated_letter` writes a letter in English, German or French (letterhead,
  reference number, dateline at the top, right-aligned or after the signature, inside
  address above the salutation or below the signature, salutation, paragraphs, closing
  formula over one or more lines, signature with "(Sgd.)", "/s/", "gez." or initials,
  postscript) and returns it as a :class:`Typed` letter with its gold facts.
- :func:`degrade` types a :class:`Typed` letter out as OCR'd plain text: hard wrapping,
  line-end hyphenation, pages with page numbers and running heads, archive and registry
  stamps, classification marks in the middle of a paragraph, OCR confusions.

The tests use both (property tests in three languages); ``bench/letter_eval.py`` uses
:func:`degrade` on letters typed out of real TEI editions too.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# ----------------------------------------------------------------- the typed letter


@dataclass
class Typed:
    """A letter as plain lines by part, and the facts a reader should find in it."""

    language: str
    top: list[str] = field(default_factory=list)  # letterhead, reference, stamps above
    dateline: list[str] = field(default_factory=list)
    dateline_at_end: bool = False  # after the signature, as German letters often have it
    address: list[str] = field(default_factory=list)  # inside address above the salutation
    salute: str = ""
    paragraphs: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)  # "Yours very truly," over its lines
    signature: list[str] = field(default_factory=list)
    foot: list[str] = field(default_factory=list)  # an address or stamp after the closing
    postscript: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # sender, addressee, date, place
    right_aligned: bool = False
    # A diplomatic transcription (lines as on the page, its parts not marked): typed as is,
    # with only the facts and the reading text known.
    lines: list[str] = field(default_factory=list)

    def reading(self) -> str:
        """The letter's prose as a reader reads it (no letterhead, dateline, stamps or
        addresses), transcribers' marks resolved: "[…]" is nothing, "[word]" the word."""
        if self.lines:
            text = " ".join(self.lines)
        else:
            parts = [self.salute, *self.paragraphs, *self.closing, *self.signature]
            text = " ".join([*parts, *self.postscript])
        text = re.sub(r"\[(?:\.\.\.|…|\?)\]", " ", text)
        return re.sub(r"\[([^\[\]]*?)\??\]", r"\1", text)

    def gold(self) -> dict[str, Any]:
        head, tail = (self.lines[:6], self.lines[-8:]) if self.lines else ([], [])
        return {
            **self.facts,
            "language": self.language,
            "structured": not self.lines,
            "salute": self.salute,
            "dateline": " ".join(self.dateline or [*head, *tail]),
            "top": " ".join([*self.top, *self.address, *self.foot, *head, *tail]),
            "letterhead": " ".join([*self.top, *head, *tail]),
            "address": " ".join([*self.address, *head, *tail]),
            "foot": " ".join(self.foot),
            "closer": " ".join(self.closing),
            "signature": " ".join([*self.signature, *tail]),
            "postscript": " ".join(self.postscript),
            "paragraphs": list(self.paragraphs),
            "reading": " ".join(self.reading().split()),
        }


# ----------------------------------------------------------------- generated letters

FIRST = {
    "en": "John Mary William Elizabeth Henry Margaret Charles Alice George Edith Arthur".split(),
    "de": "Wilhelm Anna Friedrich Marie Karl Emma Heinrich Luise Otto Bertha Ernst Clara".split(),
    "fr": "Jean Marie Louis Jeanne Pierre Marguerite Henri Louise Paul Berthe Émile Jules".split(),
}
LAST = {
    "en": "Harriman Cody Whitfield Armstrong Pemberton Hastings Ashworth Bradley Fairfax Lowell "
    "Thornton Kendall".split(),
    "de": "Andreas Brenner Hofmann Lichtenberg Wagner Kessler Steinbach Hartmann Vogel Ebner "
    "Reichardt Zimmermann".split(),
    "fr": "Dubois Lefèvre Moreau Girard Lambert Rousseau Fontaine Chevalier Mercier Bonnard "
    "Delacroix Marchand".split(),
}
PLACES = {
    "en": ["London", "Burlington, Iowa", "New York", "Boston", "Edinburgh", "Chicago"],
    "de": ["Heidelberg", "Wien", "Berlin", "München", "Leipzig", "Zürich"],
    "fr": ["Paris", "Lyon", "Bordeaux", "Genève", "Marseille", "Rouen"],
}
MONTHS = {
    "en": "January February March April May June July August September October November "
    "December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November "
    "Dezember".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
    "décembre".split(),
}
OLD_EN = "Jany. Feby. March April May June July Aug. Septr. Octr. Novr. Decr.".split()
ROMAN = "I II III IV V VI VII VIII IX X XI XII".split()
SENTENCES = {
    "en": [
        "I have received your letter of the fourth and thank you for the trouble you have taken.",
        "The matter of the shipment has been settled to the satisfaction of all concerned.",
        "We shall be glad to receive your proposals at the earliest opportunity.",
        "It is my understanding that the committee will meet again in the autumn.",
        "I regret that circumstances prevent me from accepting your kind invitation.",
        "The weather here has been remarkably fine, and the children are all well.",
        "Your account of the journey gave us all a great deal of pleasure.",
        "Should you require any further information, I shall be happy to supply it.",
        "The arrangements for the exhibition are now nearly complete.",
        "I enclose the documents you asked for, together with a copy of the agreement.",
        "Nothing has yet been decided about the new building, but we hope for the best.",
        "Please remember me kindly to your brother when you next see him.",
    ],
    "de": [
        "Für Ihren freundlichen Brief vom vierten danke ich Ihnen herzlich.",
        "Die Angelegenheit ist inzwischen zur Zufriedenheit aller Beteiligten erledigt worden.",
        "Ich würde mich sehr freuen, wenn Sie uns im Sommer besuchen könnten.",
        "Der Beitrag für die Zeitschrift wird Ihnen in den nächsten Tagen zugehen.",
        "Leider ist es mir nicht möglich, an der Sitzung im Oktober teilzunehmen.",
        "Das Wetter ist hier seit Wochen ausgezeichnet, und die Kinder sind wohlauf.",
        "Ihre Schilderung der Reise hat uns allen große Freude bereitet.",
        "Sollten Sie weitere Auskünfte benötigen, stehe ich Ihnen gerne zur Verfügung.",
        "Die Vorbereitungen für die Ausstellung sind nun beinahe abgeschlossen.",
        "Ich lege die gewünschten Unterlagen sowie eine Abschrift des Vertrages bei.",
        "Über den Neubau ist noch nichts entschieden, doch wir hoffen das Beste.",
        "Bitte grüßen Sie Ihren Bruder herzlich von mir, wenn Sie ihn wiedersehen.",
    ],
    "fr": [
        "J'ai bien reçu votre lettre du quatre et je vous remercie de la peine prise.",
        "L'affaire est maintenant réglée à la satisfaction de tous les intéressés.",
        "Nous serons heureux de recevoir vos propositions dès que possible.",
        "Il me semble que le comité se réunira de nouveau à l'automne.",
        "Je regrette que les circonstances m'empêchent d'accepter votre aimable invitation.",
        "Le temps est ici remarquablement beau, et les enfants se portent tous bien.",
        "Le récit de votre voyage nous a fait à tous un très grand plaisir.",
        "Si vous désirez d'autres renseignements, je serai heureux de vous les fournir.",
        "Les préparatifs de l'exposition sont maintenant presque terminés.",
        "Je joins les documents que vous m'avez demandés, avec une copie du contrat.",
        "Rien n'est encore décidé au sujet du nouveau bâtiment, mais nous espérons le mieux.",
        "Veuillez me rappeler au bon souvenir de votre frère quand vous le reverrez.",
    ],
}
TITLES = {
    "en": ["Mr.", "Mrs.", "Dr.", "Professor", "Miss"],
    "de": ["Herr", "Frau", "Herr Professor", "Herr Doktor"],
    "fr": ["Monsieur", "Madame", "Monsieur le Professeur"],
}
LETTERHEADS = {
    "en": ["FOREIGN OFFICE, S.W.1.", "THE WHITE HOUSE", "UNION PACIFIC RAILROAD COMPANY"],
    "de": ["UNIVERSITÄT HEIDELBERG", "VERLAG S. FISCHER", "K. K. HOFBURGTHEATER"],
    "fr": ["MINISTÈRE DES AFFAIRES ÉTRANGÈRES", "LIBRAIRIE HACHETTE ET Cie"],
}
REFERENCES = {
    "en": ["N 5127/412/38", "Ref. No. 1148/28", "Our ref. A/231"],
    "de": ["Tgb.-Nr. 412/31", "Az. III 2041"],
    "fr": ["N° 3417", "Réf. 83/12"],
}


def _date_text(day: date, language: str, rng: random.Random) -> str:
    month = MONTHS[language][day.month - 1]
    yy = f"{day.year % 100:02d}"
    if language == "en":
        forms = [
            f"{month} {day.day}, {day.year}",
            f"{day.day} {month} {day.year}",
            f"{_ordinal(day.day)} {month}, {day.year}.",
            f"{OLD_EN[day.month - 1]} {day.day}. {day.year}",
            f"{month[:3]}. {day.day}, {day.year}",
        ]
    elif language == "de":
        forms = [
            f"den {day.day}. {month} {day.year}",
            f"{day.day}. {month} {day.year}",
            f"{day.day}. {ROMAN[day.month - 1]}. {yy}.",
            f"{day.day}/{ROMAN[day.month - 1]} {yy}",
            f"{day.day}.{day.month}.{day.year}",
        ]
    else:
        first = "1er" if day.day == 1 else str(day.day)
        forms = [f"le {first} {month} {day.year}", f"{first} {month} {day.year}"]
    return rng.choice(forms)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _person(language: str, rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST[language]), rng.choice(LAST[language])


def generated_letter(rng: random.Random, language: str | None = None) -> Typed:
    """A letter in ``language`` (en, de, fr; chosen at random if None) with its facts."""
    lang = language or rng.choice(["en", "de", "fr"])
    letter = Typed(lang)
    first, last = _person(lang, rng)
    to_first, to_last = _person(lang, rng)
    while to_last == last:
        to_first, to_last = _person(lang, rng)
    day = date(1860, 1, 1) + timedelta(days=rng.randrange(365 * 85))
    place = rng.choice(PLACES[lang])
    title = rng.choice(TITLES[lang])
    facts: dict[str, Any] = {"date": day.isoformat(), "place": place.split(",")[0]}

    if rng.random() < 0.35:
        letter.top.append(rng.choice(LETTERHEADS[lang]))
    if rng.random() < 0.25:
        letter.top.append(rng.choice(REFERENCES[lang]))
    if lang == "en" and rng.random() < 0.15:
        letter.top.append(rng.choice(["SECRET", "CONFIDENTIAL", "PRIVATE"]))
    date_text = _date_text(day, lang, rng)
    dateline = f"{place}, {date_text}"
    if "." in date_text[-4:] and lang == "de" and rng.random() < 0.3:
        dateline = f"{date_text} {place}."
    letter.dateline = [dateline]
    letter.dateline_at_end = lang == "de" and rng.random() < 0.25
    letter.right_aligned = rng.random() < 0.4
    if not re.search(r"\d{4}", date_text):  # a two-digit year: the century comes from context
        received = day + timedelta(days=3)
        letter.top.append(
            f"Eingegangen {received.day}. {MONTHS['de'][received.month - 1][:3]}. {received.year}"
        )

    salute_name = f"{title} {to_last}"
    with_name = rng.random() < 0.75
    if lang == "en":
        salute = rng.choice(["Dear", "My dear"]) + (f" {salute_name}" if with_name else " Sir")
        salute += rng.choice([",", ":"])
    elif lang == "de":
        salute = ("Sehr geehrter " if not title.startswith("Frau") else "Sehr geehrte ") + (
            f"{salute_name}" if with_name else title
        )
        salute += rng.choice([",", "!"])
    else:
        salute = ("Cher " if with_name else "") + (salute_name if with_name else "Monsieur")
        salute += ","
    letter.salute = salute
    if rng.random() < 0.4:
        address = [f"{title} {to_first[0]}. {to_last}", rng.choice(PLACES[lang])]
        if rng.random() < 0.5 and lang == "en":
            letter.foot = address
        else:
            letter.address = address
        with_name = True
    facts["addressee"] = f"{to_first} {to_last}" if with_name else None

    sentences = SENTENCES[lang][:]
    rng.shuffle(sentences)
    count = rng.randint(2, 5)
    for k in range(count):
        part = sentences[k * 2 : k * 2 + rng.randint(1, 3)] or sentences[:1]
        letter.paragraphs.append(" ".join(part))

    closings = {
        "en": [
            ["Yours very truly,"],
            ["Your ever loving son,"],
            ["I remain,", "Yours faithfully,"],
            ["Sincerely yours,"],
            ["With kind regards,", "Yours sincerely,"],
        ],
        "de": [
            ["Mit freundlichen Grüßen"],
            ["Ihr sehr ergebener"],
            ["Herzlich der Ihre"],
            ["Mit vorzüglicher Hochachtung", "Ihr ergebenster"],
            ["Hochachtungsvoll"],
        ],
        "fr": [
            ["Veuillez agréer, Monsieur, l'expression de mes sentiments distingués."],
            ["Bien à vous,"],
            ["Votre tout dévoué,"],
            ["Je vous prie de croire à mes sentiments les meilleurs."],
        ],
    }
    letter.closing = rng.choice(closings[lang])
    style = rng.random()
    if style < 0.25:
        prefix = {"en": rng.choice(["(Sgd.) ", "/s/ "]), "de": "gez. ", "fr": "(signé) "}[lang]
        letter.signature = [
            prefix + f"{first} {last}".upper()
            if lang == "en" and rng.random() < 0.5
            else prefix + f"{first} {last}"
        ]
    elif style < 0.35:
        letter.signature = [f"{first[0]}. {last}"]
    else:
        letter.signature = [f"{first} {last}"]
    facts["sender"] = f"{first} {last}"
    if rng.random() < 0.25:
        marker = {"en": "P.S.", "de": "P.S.", "fr": "P.-S."}[lang]
        letter.postscript = [f"{marker} " + rng.choice(SENTENCES[lang])]
    letter.facts = facts
    return letter


# ----------------------------------------------------------------- typing out and degrading

CONFUSIONS = [("e", "c"), ("o", "c"), ("m", "rn"), ("l", "1"), ("h", "b"), ("u", "ii")]
# Accents and umlauts an OCR engine misses or misreads (taken only where the word has them).
ACCENTS = [("é", "e"), ("è", "e"), ("à", "a"), ("ê", "e"), ("ü", "ii"), ("ö", "o"), ("ä", "a")]
STAMPS = [
    "RECEIVED SEP -2 1913",
    "Registry No. 1148/28",
    "Archives nationales, 83 AP 340",
    "Eingegangen 14. MRZ 1921",
]


@dataclass
class Degraded:
    text: str
    furniture: list[str]  # the page furniture put in (must stay out of the paragraphs)
    pages: int  # pages the text is laid out on
    clean: str  # the reading text: paragraphs as typed, before damage


def _wrap(text: str, width: int, rng: random.Random, hyphenate: bool) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            room = width - len(line) - 2
            dash = word.find("-", 2)  # a compound's own hyphen: broken after it, kept
            if hyphenate and 2 <= dash <= room and dash < len(word) - 2 and rng.random() < 0.6:
                lines.append(f"{line} {word[: dash + 1]}")
                line = word[dash + 1 :]
                continue
            core = re.match(r"[^\W\d_]+", word)
            if hyphenate and core and len(core.group()) >= 8 and room >= 3 and rng.random() < 0.6:
                cut = min(room, len(core.group()) - 3)
                if cut >= 3:
                    lines.append(f"{line} {word[:cut]}-")
                    line = word[cut:]
                    continue
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def _ocr(line: str, rng: random.Random, rate: float) -> str:
    def damage(match: re.Match[str]) -> str:
        word = match.group()
        if word[0].isupper() or rng.random() >= rate:
            return word
        accents = [pair for pair in ACCENTS if pair[0] in word]
        wrong, right = rng.choice(accents if accents and rng.random() < 0.5 else CONFUSIONS)
        if wrong in word:
            k = word.index(wrong)
            return word[:k] + right + word[k + len(wrong) :]
        return word

    return re.sub(r"[^\W\d_]{4,}", damage, line)


def degrade(letter: Typed, rng: random.Random, *, ocr_rate: float = 0.02) -> Degraded:
    """Type ``letter`` out as OCR'd plain text (see the module docstring)."""
    width = rng.choice([56, 64, 72])
    hyphenate = rng.random() < 0.8
    furniture: list[str] = []
    out: list[str] = []
    page_lines = rng.choice([18, 24, 30])
    state = {"page": 1, "on_page": 0}
    indent = " " * (width - 24) if letter.right_aligned else ""
    # OCR output often loses the blank lines: parts follow each other line by line, and
    # only a paragraph's indented first line shows where it starts.
    dense = rng.random() < 0.2

    def new_page() -> None:
        state["page"] += 1
        state["on_page"] = 0
        out.append("")
        if rng.random() < 0.3:
            out.append("\f")
        head = f"- {state['page']} -"
        out.append(head)
        furniture.append(head)
        out.append("")

    def block(lines: list[str], *, text: bool = False) -> None:
        for k, line in enumerate(lines):
            if text and state["on_page"] >= page_lines and k:
                if rng.random() < 0.3:
                    mark = rng.choice(["CONFIDENTIAL", rng.choice(STAMPS)])
                    out.append(mark)
                    furniture.append(mark)
                new_page()
            out.append(line)
            state["on_page"] += 1
        if not dense:
            out.append("")

    if letter.lines:  # a diplomatic transcription: its lines as they stand, paged
        block([_ocr(line, rng, ocr_rate) for line in letter.lines], text=True)
        reading = " ".join(letter.lines)
        return Degraded("\n".join(out).rstrip() + "\n", furniture, state["page"], reading)
    for line in letter.top:
        out.append(line)
        if not dense:
            out.append("")
    if letter.top and rng.random() < 0.5:
        stamp = rng.choice(STAMPS)
        block([stamp])
        furniture.append(stamp)
    if not letter.dateline_at_end:
        block([indent + line for line in letter.dateline])
    if letter.address:
        block(letter.address)
    block([letter.salute])
    for paragraph in letter.paragraphs:
        lines = _wrap(paragraph, width - 5 if dense else width, rng, hyphenate)
        lines = [("     " if dense and k == 0 else "") + line for k, line in enumerate(lines)]
        block([_ocr(line, rng, ocr_rate) for line in lines], text=True)
    block([indent + line for line in letter.closing])
    block([indent + line for line in letter.signature])
    if letter.dateline_at_end:
        block(letter.dateline)
    if letter.foot:
        block(letter.foot)
    if letter.postscript:
        block(_wrap(" ".join(letter.postscript), width, rng, False))
    clean = "\n".join(letter.paragraphs)
    return Degraded("\n".join(out).rstrip() + "\n", furniture, state["page"], clean)

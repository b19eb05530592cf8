"""Build a development corpus: real TEI letters typed out as OCR'd plain text, with gold facts.

    python bench/letter_corpus.py OUT TEI_DIR_OR_FILE... [--limit N] [--seed S]
        [--language xx] [--only en,de,fr]
    python bench/letter_corpus.py OUT --generated N [--seed S]

Each TEI letter is typed out as a typist would type the original: what the page says
(``orig``, ``sic``, ``abbr`` over ``reg``, ``corr``, ``expan``; no notes, deletions or
editorial pointers), part by part where it stands — letterhead and other lines above the
dateline, the dateline at the top or after the signature, an inside address, the salutation,
the paragraphs, the closing, the signature, an address below it, the postscript. Editions
that transcribe line by line without marking the parts (``ab`` with ``lb``) are typed line
by line. ``tests/lettergen.py`` then degrades the text: wrapping, line-end hyphenation (a
compound's own hyphen too), pages with page numbers, stamps and classification marks inside
paragraphs, OCR confusions (letters, accents and umlauts).

For each letter it writes ``OUT/NAME.txt`` and ``OUT/NAME.gold.json``: the facts of the
source's header (``correspDesc``, else ``particDesc``; the date and place the dateline tags
where the header has none), the parts as typed, the reading text, and the page furniture put
in. The gold language is the one the text declares (``text/@xml:lang`` and below), else the
header's, unless the letter's function words clearly say otherwise (an edition may declare
one language for all its letters). ``--generated N`` writes N generated letters in English,
German and French instead. The corpus folder is what ``bench/letter_eval.py`` measures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from lettergen import Typed, _wrap, degrade, generated_letter

T = "{http://www.tei-c.org/ns/1.0}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What a typist of the original leaves out: editorial matter and the editor's readings.
SKIP = {
    f"{T}{name}"
    for name in ("note", "del", "fw", "figure", "reg", "corr", "expan", "bibl", "ptr", "head")
}
ROLES = frozenset({"closer", "signature", "dateline", "salute", "opener", "postscript", "address"})
LANGS = {"de": "de", "ger": "de", "deu": "de", "en": "en", "eng": "en", "fr": "fr", "fre": "fr"}
LANGS |= {"fra": "fr", "frz": "fr"}
# Function words, to check a declared language (the converter's own lists are not used).
FUNCTION_WORDS = {
    "en": set("the and of to is that it for you was with have this my your be not".split()),
    "de": set("der die das und ist ich nicht sie zu den mit ein eine auf für dem des sich".split()),
    "fr": set("le la les de des et est que qui pour vous je une dans pas mon votre avec".split()),
    # languages a letter of these editions may be in besides (left out of the corpus)
    "it": set("il di che e per non un una sono del della lo gli le si mi ti".split()),
    "la": set("et in est non ad cum quod ut sed nec tibi mihi te me enim autem".split()),
}
NOBODY = {"unknown", "unbekannt", "anonym", "inconnu", "n.n."}
CONTAINERS = {f"{T}{name}" for name in ("text", "front", "body", "back", "div", "group")}


def text_of(element: etree._Element) -> str:
    """The text of an element as typed: lb as a line break, editorial matter left out."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIP:
            parts.append(node.tail or "")
            return
        if node.tag == f"{T}lb":
            parts.append("" if node.get("break") == "no" else "\n")
        elif node.tag == f"{T}space":
            parts.append(" ")
        elif node.tag == f"{T}gap":
            parts.append("[...]")
        else:
            line = _own_line(node)
            parts.append("\n" if line else "")
            parts.append(node.text or "")
            for child in node:
                walk(child)
            parts.append("\n" if line else "")
        parts.append(node.tail or "")

    parts.append(element.text or "")
    for child in element:
        walk(child)
    return re.sub(r"[ \t\r]+", " ", "".join(parts).replace("\n ", "\n")).strip()


def _own_line(node: etree._Element) -> bool:
    """An element typed on a line of its own: an address or verse line, a typed segment,
    one of several names a dateline stacks (a printed letterhead's lines)."""
    if node.tag in {f"{T}addrLine", f"{T}l"}:
        return True
    if node.tag == f"{T}seg":
        return bool(node.get("rend") or node.get("type"))
    parent = node.getparent()
    return (
        node.tag == f"{T}name"
        and parent is not None
        and parent.tag == f"{T}dateline"
        and len(parent.findall(f"{T}name")) > 1
    )


def lines_of(element: etree._Element) -> list[str]:
    return [" ".join(line.split()) for line in text_of(element).split("\n") if line.strip()]


def flat(element: etree._Element) -> str:
    return " ".join(text_of(element).split())


def _name(element: etree._Element | None, person: bool = True) -> str | None:
    if element is None:
        return None
    parts = [element.find(f"{T}forename"), element.find(f"{T}surname")]
    if all(p is not None for p in parts):
        text = " ".join(" ".join("".join(p.itertext()).split()) for p in parts if p is not None)
    else:
        text = " ".join("".join(element.itertext()).split())
    text = text.split(" : ")[0].strip(" ,;")
    text = re.sub(r",?\s*\(?\d{3,4}\??\s*-\s*\d{0,4}\??\)?$", "", text)  # life dates
    if not text or text.lower() in NOBODY:
        return None
    if person and "," in text:  # "Schnitzler, Arthur" → "Arthur Schnitzler"
        last, _, first = text.partition(",")
        text = f"{first.strip()} {last.strip()}".strip()
    return text


def _vote(text: str) -> tuple[str | None, float]:
    """The language whose function words the text has most of, and by how much."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    counts = sorted(
        ((sum(w in FUNCTION_WORDS[k] for w in words), k) for k in FUNCTION_WORDS), reverse=True
    )
    (best, language), (second, _) = counts[0], counts[1]
    return (language, best / max(1, second)) if best >= 5 else (None, 0.0)


def _declared(root: etree._Element) -> str | None:
    for element in root.iter(f"{T}text", f"{T}body", f"{T}div"):
        if element.get(XML_LANG):
            return element.get(XML_LANG)
    if root.get(XML_LANG):
        return root.get(XML_LANG)
    idents = root.xpath(".//t:langUsage/t:language/@ident", namespaces={"t": T[1:-1]})
    return str(idents[0]) if len(idents) == 1 else None


def language_of(root: etree._Element, text: str, default: str) -> str:
    declared = _declared(root)
    code = LANGS.get((declared or "").lower().split("-")[0], declared)
    voted, lead = _vote(text)
    if voted and (code is None or (code != voted and lead >= 3)):
        return voted
    return code or default


PARTS = {f"{T}{name}" for name in ("signed", "dateline", "date", "address", "postscript")}
PARTS |= {f"{T}{name}" for name in ("salute", "p", "seg", "ab", "list")}


def mixed(element: etree._Element, text: Callable[[list[str]], None]) -> Iterator[Any]:
    """The parts of an opener or closer (signed, dateline, address, salute, p, seg …), in
    order; the text between them, with its inline elements ("Herzlich<c>s</c>t Ihr",
    "Gru<c>s</c>s<lb/>dein"), is typed as lines by ``text`` before the part that follows it."""
    run = [element.text or ""]

    def flush() -> None:
        typed = re.sub(r"[ \t\r]+", " ", "".join(run))
        run.clear()
        lines = [" ".join(line.split()) for line in typed.split("\n") if line.strip()]
        if lines:
            text(lines)

    for child in element:
        if not isinstance(child.tag, str) or child.tag in SKIP or child.tag == f"{T}pb":
            pass
        elif child.tag in PARTS:
            flush()
            yield child
        elif child.tag == f"{T}lb":
            run.append("" if child.get("break") == "no" else "\n")
        else:
            run.append(text_of(child))
        run.append(child.tail or "")
    flush()


def typed_parts(root: etree._Element, letter: Typed) -> None:
    """Type the letter part by part, in the order its parts stand."""
    state = {"dated": False, "closed": False}

    def closing(element: etree._Element) -> None:
        signed = False  # text after the signature belongs to it ("… m. p.")

        def text(lines: list[str]) -> None:
            (letter.signature if signed else letter.closing).extend(lines)

        for child in mixed(element, text):
            if child.tag == f"{T}signed":
                letter.signature += lines_of(child)
                signed = True
            elif child.tag == f"{T}dateline":
                letter.dateline += lines_of(child)
                letter.dateline_at_end = not state["dated"]
            elif child.tag == f"{T}address":
                letter.foot += lines_of(child)
            elif child.tag == f"{T}postscript":
                letter.postscript.append(flat(child))
            else:  # salute, p or seg: the closing formula
                letter.closing += lines_of(child)
        state["closed"] = True

    def opening(element: etree._Element) -> None:
        for child in mixed(element, letter.top.extend):
            if child.tag == f"{T}salute":
                letter.salute = flat(child)
            elif child.tag in {f"{T}dateline", f"{T}date"}:
                letter.dateline += lines_of(child)
                state["dated"] = True
            elif child.tag == f"{T}address":
                letter.address += lines_of(child)
            else:
                letter.top += lines_of(child)

    def role(element: etree._Element, kind: str) -> None:
        lines = lines_of(element)
        if kind == "closer":
            letter.closing += lines
            state["closed"] = True
        elif kind == "signature":
            letter.signature += lines
            state["closed"] = True
        elif kind == "dateline":
            letter.dateline += lines
            state["dated"] = state["dated"] or not letter.paragraphs
            letter.dateline_at_end = bool(letter.paragraphs)
        elif kind == "salute" or (kind == "opener" and not letter.paragraphs):
            letter.salute = " ".join(lines)
        elif kind == "postscript":
            letter.postscript.append(" ".join(lines))
        else:  # an address, or an "opener" after the text: the address below the signature
            letter.foot += lines

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP:
                continue
            kind = child.get("type") if tag == f"{T}div" else None
            if kind in ROLES:
                role(child, str(kind))
            elif tag in CONTAINERS:
                walk(child)
            elif tag == f"{T}opener":
                opening(child)
            elif tag == f"{T}closer":
                closing(child)
            elif tag == f"{T}postscript":
                for part in child.iter(f"{T}dateline", f"{T}address", f"{T}signed"):
                    (letter.dateline if part.tag == f"{T}dateline" else letter.foot).extend(
                        lines_of(part)
                    )
                    part.getparent().remove(part)
                if flat(child):
                    letter.postscript.append(flat(child))
            elif tag == f"{T}salute":
                letter.salute = flat(child)
            elif tag == f"{T}dateline":
                role(child, "dateline")
            elif tag == f"{T}signed":
                role(child, "signature")
            elif tag == f"{T}address":
                (letter.foot if letter.paragraphs else letter.address).extend(lines_of(child))
            elif tag in {f"{T}p", f"{T}ab", f"{T}lg", f"{T}list", f"{T}quote"}:
                text = flat(child)
                if not text:
                    continue
                if element.tag == f"{T}front" and not letter.paragraphs:
                    letter.top += lines_of(child)  # a letterhead the edition puts in front
                elif state["closed"]:  # prose after the signature
                    letter.postscript.append(text)
                else:
                    letter.paragraphs.append(text)

    text = root.find(f"{T}text")
    if text is not None:
        walk(text)


def typed_lines(body: etree._Element, letter: Typed) -> None:
    """Type a diplomatic transcription line by line (runs of spaces are line breaks too)."""
    for line in re.split(r"\n| {3,}", text_of(body)):
        if line.strip():
            letter.lines.append(" ".join(line.split()))


def _diplomatic(body: etree._Element) -> bool:
    structural = body.xpath(
        ".//t:opener|.//t:closer|.//t:salute|.//t:signed|.//t:dateline",
        namespaces={"t": T[1:-1]},
    )
    lines = body.xpath(".//t:ab//t:lb", namespaces={"t": T[1:-1]})
    return not structural and len(lines) >= 3


def header_facts(root: etree._Element, by_title: bool = False) -> dict[str, Any]:
    """The letter's facts as its header records them (``by_title``: an edition with no
    correspDesc, whose titles name the correspondents, see :func:`titled`)."""
    ns = {"t": T[1:-1]}
    sent = root.find(f".//{T}correspDesc/{T}correspAction[@type='sent']")
    received = root.find(f".//{T}correspDesc/{T}correspAction[@type='received']")

    def person(action: etree._Element | None, role: str) -> etree._Element | None:
        actions = [a for a in (sent, received) if a is not None]
        names = [p for a in actions for p in a.findall(f"{T}persName")]
        if len(names) == 2 and all(p.getparent() is sent for p in names):
            return names[0 if role == "sender" else 1]  # both in the sent action: in order
        if action is not None and action.find(f"{T}persName") is not None:
            return action.find(f"{T}persName")
        found = root.xpath(  # particDesc: person[@role='sender' or 'recipient']
            f".//t:particDesc//t:person[@role='{'sender' if role == 'sender' else 'recipient'}']"
            "/t:persName",
            namespaces=ns,
        )
        return found[0] if found else None

    when = sent.find(f"{T}date") if sent is not None else None
    day = (when.get("when") or (when.text or "").strip()) if when is not None else None
    if not day:  # the date the dateline tags
        found = root.xpath(".//t:text//t:dateline//t:date/@when", namespaces=ns)
        day = str(found[0]) if found else None
    places = [_name(sent.find(f"{T}placeName"), False)] if sent is not None else []
    places += [  # the place the dateline tags, as the letter spells it (a letterhead's
        _name(p, False)  # lines come first)
        for p in root.xpath(
            ".//t:text//*[self::t:dateline or self::t:div[@type='dateline']]"
            "//*[self::t:placeName or self::t:settlement or "
            "((self::t:name or self::t:rs) and @type='place')]",
            namespaces=ns,
        )[-1:]
    ]
    places = [p.strip(" .,") for p in places if p]
    sender, addressee = _name(person(sent, "sender")), _name(person(received, "addressee"))
    if by_title and sender is None and addressee is None:
        sender, addressee = titled(root)
        found = root.xpath(".//t:sourceDesc//t:date/@when", namespaces=ns)
        day = day or (str(found[0]) if found else None)
    return {
        "sender": sender,
        "addressee": addressee,
        "date": day if day and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None,
        "place": places[0] if places else None,
        "places": list(dict.fromkeys(places)),
    }


# "Letter to George Back", "Letter from Mary Russell Mitford to Sir William Elford, April 25":
# an edition with no correspDesc names the correspondents in its title (the writer is the
# author where the title names only the addressee).
TITLED = re.compile(
    r"(?:letter|brief|lettre)\s+(?:from\s+(?P<sender>.+?)\s+)?to\s+(?P<addressee>[^,\[(;]+)",
    re.IGNORECASE,
)


def titled(root: etree._Element) -> tuple[str | None, str | None]:
    """Sender and addressee as an edition's title names them (one addressee: the first)."""
    title = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    found = TITLED.match(" ".join("".join(title.itertext()).split())) if title is not None else None
    if found is None:
        return None, None
    addressee = re.split(r"\s+and\s+|\s*&\s*", found["addressee"].strip())[0].strip(" .")
    author = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}author")
    sender = found["sender"] or (_name(author) if author is not None else None)
    words = addressee.split()
    if len(words) > 5 or sum(w[:1].islower() for w in words) > 1 or addressee.lower() in NOBODY:
        addressee = ""  # "Everybody in the House", "Unknown": no one's name
    return sender or None, addressee or None


def typed_from_tei(
    root: etree._Element, default_language: str = "?", by_title: bool = False
) -> Typed | None:
    """The letter of a TEI document as typed parts, or None if it has no letter text."""
    body = root.find(f"{T}text/{T}body")
    if body is None:
        return None
    letter = Typed(default_language)
    if _diplomatic(body):
        typed_lines(body, letter)
        if len(letter.lines) < 3:
            return None
    else:
        typed_parts(root, letter)
        if not letter.paragraphs:
            return None
    letter.language = language_of(root, letter.reading(), default_language)
    letter.facts = header_facts(root, by_title)
    return letter


def as_lines(letter: Typed, rng: random.Random) -> Typed:
    """The letter typed line by line as a diplomatic edition has it (parts not marked, no
    blank lines, no indentation): the shape of the held-out line-by-line edition, built
    from letters typed by parts so that it can be tuned on without looking at that one."""
    if letter.lines:
        return letter
    width = rng.choice([48, 56, 64])
    lines = [*letter.top, *([] if letter.dateline_at_end else letter.dateline), *letter.address]
    lines += [letter.salute] if letter.salute else []
    for paragraph in letter.paragraphs:
        lines += _wrap(paragraph, width, rng, False)
    lines += [*letter.closing, *letter.signature]
    lines += [*(letter.dateline if letter.dateline_at_end else []), *letter.foot]
    for postscript in letter.postscript:
        lines += _wrap(postscript, width, rng, False)
    typed = Typed(letter.language, lines=[line for line in lines if line.strip()])
    typed.facts = letter.facts
    return typed


def tei_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.xml")) if path.is_dir() else [path]
    return files


def write(out: Path, name: str, letter: Typed, rng: random.Random) -> None:
    degraded = degrade(letter, rng)
    gold = {
        **letter.gold(),
        "furniture": degraded.furniture,
        "pages": degraded.pages,
        "clean": degraded.clean,
    }
    (out / f"{name}.txt").write_text(degraded.text, encoding="utf-8")
    (out / f"{name}.gold.json").write_text(
        json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def build(
    out: Path,
    sources: list[Path],
    *,
    limit: int = 0,
    generated: int = 0,
    seed: int = 12,
    language: str = "?",
    only: str = "en,de,fr",
    name: str | None = None,
    lines: bool = False,
    by_title: bool = False,
) -> int:
    """Write the corpus into ``out``; the number of letters written (``lines``: each typed
    line by line, see :func:`as_lines`; ``by_title``: correspondents from the titles of an
    edition with no correspDesc, see :func:`titled`)."""
    keep = set(only.split(","))
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    made = 0
    shape = (lambda typed: as_lines(typed, rng)) if lines else (lambda typed: typed)
    for k in range(generated):
        write(out, f"gen{k:05d}", shape(generated_letter(rng)), rng)
        made += 1
    for source in sources:
        files = tei_files([source])
        rng.shuffle(files)
        taken = 0
        for path in files:
            if limit and taken >= limit:
                break
            try:
                root = etree.parse(
                    str(path), etree.XMLParser(resolve_entities=False, no_network=True)
                ).getroot()
            except etree.XMLSyntaxError:
                continue
            documents = [root] if root.tag == f"{T}TEI" else list(root.iter(f"{T}TEI"))
            for index, document in enumerate(documents):
                letter = typed_from_tei(document, language, by_title)
                if letter is None or letter.language not in keep:
                    continue
                stem = re.sub(r"[^\w.-]", "_", f"{name or source.name}__{path.stem}")
                write(out, f"{stem}.{index}" if len(documents) > 1 else stem, shape(letter), rng)
                taken += 1
                made += 1
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("sources", type=Path, nargs="*")
    parser.add_argument("--limit", type=int, default=0, help="at most N letters per source")
    parser.add_argument("--generated", type=int, default=0)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--language", default="?", help="for TEI that does not declare one")
    parser.add_argument("--only", default="en,de,fr", help="the languages to keep")
    parser.add_argument("--name", help="the edition's name in the file names (else the folder's)")
    args = parser.parse_args()
    made = build(
        args.out,
        args.sources,
        limit=args.limit,
        generated=args.generated,
        seed=args.seed,
        language=args.language,
        only=args.only,
        name=args.name,
    )
    print(f"{made} letters in {args.out}")


if __name__ == "__main__":
    main()

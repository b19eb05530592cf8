"""Build a development corpus: real TEI letters typed out as OCR'd plain text, with gold facts.

    python bench/letter_corpus.py OUT TEI_DIR_OR_FILE... [--limit N] [--seed S]
    python bench/letter_corpus.py OUT --generated N [--seed S]

For each TEI letter it writes ``OUT/NAME.txt`` (the letter typed out from its
opener/dateline/salute/p/closer/signed/postscript and degraded by ``tests/lettergen.py``:
wrapping, hyphenation, pages with page numbers, stamps, classification marks, OCR
confusions) and ``OUT/NAME.gold.json`` (the facts of the source's ``correspDesc``: sender,
addressee, date, place; and the salutation, closing, signature, postscript and paragraphs
as typed). ``--generated N`` writes N generated letters in English, German and French
instead. The corpus folder is what ``bench/letter_eval.py`` measures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from lettergen import Typed, degrade, generated_letter

T = "{http://www.tei-c.org/ns/1.0}"
SKIP = {f"{T}{name}" for name in ("note", "del", "fw", "figure", "orig", "sic", "abbr", "bibl")}
ROLES = frozenset({"closer", "signature", "dateline", "salute", "opener", "postscript", "address"})
LANGS = {"de": "de", "ger": "de", "deu": "de", "en": "en", "eng": "en", "fr": "fr", "fre": "fr"}


def text_of(element: etree._Element) -> str:
    """The reading text of an element: lb as a line break, notes and deletions left out."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag in SKIP:
            parts.append(node.tail or "")
            return
        if node.tag == f"{T}lb":
            parts.append("" if node.get("break") == "no" else "\n")
        elif node.tag == f"{T}space":
            parts.append(" ")
        elif node.tag == f"{T}gap":
            parts.append(" […] ")
        else:
            line = node.tag in {f"{T}seg", f"{T}addrLine"} and bool(
                node.get("rend") or node.get("type")
            )
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


def lines_of(element: etree._Element) -> list[str]:
    return [" ".join(line.split()) for line in text_of(element).split("\n") if line.strip()]


def _name(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    if not text or text.lower() in {"unknown", "unbekannt", "anonym", "inconnu"}:
        return None
    if "," in text:  # "Schnitzler, Arthur" → "Arthur Schnitzler"
        last, _, first = text.partition(",")
        text = f"{first.strip()} {last.strip()}".strip()
    return text


def typed_from_tei(root: etree._Element, default_language: str = "?") -> Typed | None:
    """The letter of a TEI document as typed parts, or None if it has no letter text."""
    body = root.find(f"{T}text")
    if body is None:
        return None
    lang = (root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").lower()[:3]
    ident = root.xpath("string(.//t:langUsage/t:language[1]/@ident)", namespaces={"t": T[1:-1]})
    letter = Typed(
        LANGS.get(lang, LANGS.get(str(ident).lower()[:3], str(ident)[:2] or default_language))
    )
    opener_dated = False
    parts = {f"{T}opener", f"{T}closer", f"{T}postscript", f"{T}note"}
    for element in body.iter(f"{T}opener", f"{T}p", f"{T}closer", f"{T}postscript", f"{T}ab"):
        if any(a.tag in parts for a in element.iterancestors()):
            continue
        role = next(  # editions that type their parts as divisions: div[@type='closer']
            (a.get("type") for a in element.iterancestors(f"{T}div") if a.get("type") in ROLES),
            None,
        )
        if role is not None:
            lines = lines_of(element)
            if role == "closer":
                letter.closing += lines
            elif role == "signature":
                letter.signature += lines
            elif role == "dateline":
                letter.dateline += lines
                letter.dateline_at_end = letter.dateline_at_end or not opener_dated
            elif role in {"salute", "opener"}:
                letter.salute = " ".join(lines)
            elif role == "postscript":
                letter.postscript.append(" ".join(lines))
            elif role == "address":
                letter.foot += lines
            continue
        if element.tag == f"{T}opener":
            for child in element:
                if child.tag == f"{T}salute":
                    letter.salute = " ".join(lines_of(child))
                elif child.tag in {f"{T}dateline", f"{T}date"}:
                    letter.dateline += lines_of(child)
                    opener_dated = True
                elif child.tag in SKIP or child.tag == f"{T}pb":
                    continue
                else:
                    letter.top += lines_of(child)
        elif element.tag == f"{T}closer":
            for child in element:
                if child.tag == f"{T}signed":
                    letter.signature += lines_of(child)
                elif child.tag == f"{T}dateline":
                    letter.dateline += lines_of(child)
                    letter.dateline_at_end = letter.dateline_at_end or not opener_dated
                elif child.tag == f"{T}salute":
                    letter.closing += lines_of(child)
                elif child.tag in {f"{T}address"}:
                    letter.foot += lines_of(child)
            rest = etree.fromstring(etree.tostring(element))
            for child in list(rest):
                if child.tag in {f"{T}signed", f"{T}dateline", f"{T}salute", f"{T}address"}:
                    tail = child.tail or ""
                    previous = child.getprevious()
                    if previous is not None:
                        previous.tail = (previous.tail or "") + tail
                    else:
                        rest.text = (rest.text or "") + tail
                    rest.remove(child)
            loose = lines_of(rest)
            if loose:
                letter.closing = [*loose, *letter.closing]
        elif element.tag == f"{T}postscript":
            for child in element.iter(f"{T}dateline", f"{T}address"):
                target = letter.dateline if child.tag == f"{T}dateline" else letter.foot
                target += lines_of(child)
                child.getparent().remove(child)
            text = " ".join(text_of(element).split())
            if text:
                letter.postscript.append(text)
        else:
            text = " ".join(text_of(element).split())
            if text:
                letter.paragraphs.append(text)
    if not letter.paragraphs:
        return None
    sent = root.find(f".//{T}correspDesc/{T}correspAction[@type='sent']")
    received = root.find(f".//{T}correspDesc/{T}correspAction[@type='received']")
    when = sent.find(f"{T}date") if sent is not None else None
    day = when.get("when") if when is not None else None

    def person(action: etree._Element | None, role: str) -> etree._Element | None:
        """The persName of one side (some editions type both in the sent action)."""
        actions = [a for a in (sent, received) if a is not None]
        names = [p for a in actions for p in a.findall(f"{T}persName")]
        if len(names) == 2 and all(p.getparent() is sent for p in names):
            return names[0 if role == "sender" else 1]  # both in the sent action: in order
        return action.find(f"{T}persName") if action is not None else None

    letter.facts = {
        "sender": _name(person(sent, "sender")),
        "addressee": _name(person(received, "addressee")),
        "date": day if day and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None,
        "place": _name(sent.find(f"{T}placeName") if sent is not None else None),
    }
    return letter


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("sources", type=Path, nargs="*")
    parser.add_argument("--limit", type=int, default=0, help="at most N letters per source")
    parser.add_argument("--generated", type=int, default=0)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--language", default="?", help="for TEI that does not declare one")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    made = 0
    for k in range(args.generated):
        write(args.out, f"gen{k:05d}", generated_letter(rng), rng)
        made += 1
    for source in args.sources:
        files = tei_files([source])
        rng.shuffle(files)
        taken = 0
        for path in files:
            if args.limit and taken >= args.limit:
                break
            try:
                root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
            except etree.XMLSyntaxError:
                continue
            documents = [root] if root.tag == f"{T}TEI" else list(root.iter(f"{T}TEI"))
            for index, document in enumerate(documents):
                letter = typed_from_tei(document, args.language)
                if letter is None or letter.language not in {"en", "de", "fr"}:
                    continue
                stem = re.sub(r"[^\w.-]", "_", f"{source.name}__{path.stem}")
                write(args.out, f"{stem}.{index}" if len(documents) > 1 else stem, letter, rng)
                taken += 1
                made += 1
    print(f"{made} letters in {args.out}")


if __name__ == "__main__":
    main()

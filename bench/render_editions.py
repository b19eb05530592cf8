"""Measure render and site on a real TEI letter edition: text shown, elements, crashes, time.

    python bench/render_editions.py FOLDER [--letters 300] [--pdf 300] [--register FILE]...

Takes ``--letters`` letters spread evenly over FOLDER (sorted by name) and reports:

- the share of the TEI's text nodes that reach the page: each text node of ``text`` is
  replaced by a marker, the letter rendered to HTML, and the markers counted in what the
  reading view, the diplomatic view, the margin and the notes show (``shown`` in
  ``teitools.render.expected_text``); text nodes of register lists inside letters
  (``listPerson`` ...) are counted apart: they are the register's, shown on its pages;
- whether each view equals the reference (``expected``) for every letter;
- every element of the letters' ``text`` with its count, and how the renditions show it;
- ``render --to html``, ``--to pdf`` on each PDF engine (the first ``--pdf`` letters) and
  ``site --no-pdf``: seconds per letter and the letters that failed (crashes); for each
  PDF, the words of its reading text, notes and margin (``expected``) it does not hold
  (``pdftotext``, white space and dashes removed: a word broken over two lines at a dash
  still counts; case ignored: WeasyPrint draws small capitals as small letters).

Figures for the editions we measured are in docs/rendering.md.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.config import Paths
from teitools.render import render_paths, transform
from teitools.render.entities import LISTS
from teitools.render.expected_text import VIEWS, expected, shown
from teitools.render.pdf import ENGINES
from teitools.resources import XSLT
from teitools.site import build_site
from teitools.site.config import SiteConfig

TEI_NS = "http://www.tei-c.org/ns/1.0"
MARKER = re.compile(r"q(\d+)q")
_SQUASH = re.compile(r"[\s\-\u2010-\u2015\u00ad]")  # pdftotext joins a word broken at a dash
# How the renditions show each element (the rules of teitools.render.expected_text)
SHOWN_AS = {
    "abbr": "in a choice: diplomatic view; alone: its text",
    "expan": "in a choice: reading view; alone: its text",
    "sic": "in a choice: diplomatic view (highlighted)",
    "corr": "in a choice: reading view; a numbered note says what was corrected",
    "orig": "in a choice: diplomatic view; alone: its text",
    "reg": "in a choice: reading view; alone: its text",
    "choice": "reading view: corr/reg/expan; diplomatic view: sic/orig/abbr, other alternatives",
    "del": "diplomatic view, struck through; not in the reading view (unless in restore)",
    "add": "its text, raised in the diplomatic view (@place above/below)",
    "subst": "its del and add, as they are shown",
    "restore": "its text; deletions inside it are read",
    "space": "a space (unit line: an empty line)",
    "gap": "[…], with reason and extent as a tooltip",
    "unclear": "its text, underlined dashed",
    "supplied": "its text in brackets [ ]",
    "damage": "its text, shaded",
    "hi": "its text, styled by @rend (italic, bold, underline, sup, sub, spaced, small caps, "
    "strike ...) and @style/@rendition CSS",
    "c": "its text (@rendition as a class)",
    "lg": "a block of lines",
    "l": "a line of its own",
    "table": "a table (rows and cells)",
    "row": "a table row",
    "cell": "a table cell",
    "list": "a list",
    "item": "a list item",
    "figure": "a block; figDesc and head shown",
    "graphic": "[image]",
    "quote": "its text",
    "q": "its text",
    "foreign": "its text, with its language",
    "seg": "its text; a block when @rend is left, right or center (letterheads)",
    "note": "its number where it stands; its text in the notes (footnotes in print)",
    "ref": "its text, a link to a letter of the edition or an http(s) address; with no text: "
    "the title of the letter it names, else its @target",
    "ptr": "the title of the letter it names, else its @target",
    "pb": "[p. N] in the margin (reading) or on a line (diplomatic); without @n: a rule",
    "cb": "[col. N], as pb",
    "lb": "a space (none with @break='no'); a line break in the diplomatic view",
    "fw": "in the margin (reading), on a line (diplomatic)",
    "handShift": "no text of its own; a mark in the diplomatic view",
    "anchor": "no text of its own (text an edition puts inside it is shown)",
    "milestone": "no text of its own",
    "postscript": "a block",
    "closer": "a block",
    "opener": "a block",
    "signed": "a line of its own",
    "salute": "a line of its own",
    "dateline": "a line of its own",
    "address": "a block of address lines",
    "addrLine": "a line of its own",
    "p": "a paragraph",
    "ab": "a block",
    "div": "a block",
    "head": "a heading",
    "front": "before the body",
    "back": "after the body",
    "body": "the letter",
    "text": "the letter",
    "persName": "a link to its register page",
    "placeName": "a link to its register page",
    "orgName": "a link to its register page",
    "rs": "a link to its register page (by @type)",
    "name": "a link to its register page",
    "title": "a link to its register page (works)",
    "date": "its text, with @when as a machine-readable date",
}


def _marked(root: etree._Element) -> tuple[etree._Element, int, int]:
    """A copy of the letter whose text nodes are markers q1q, q2q ...; how many there are,
    and how many of them stand in register lists."""
    root = copy.deepcopy(root)
    count, listed = 0, 0
    for text in root.iterfind(f"{{{TEI_NS}}}text"):
        for element in text.iter(etree.Element):
            for attr in ("text", "tail"):
                value = getattr(element, attr)
                owner = element if attr == "text" else element.getparent()
                if not value or not value.strip() or (element is text and attr == "tail"):
                    continue
                count += 1
                chain = [owner, *owner.iterancestors()] if owner is not None else []
                listed += any(etree.QName(a).localname in LISTS for a in chain)
                lead = value[: len(value) - len(value.lstrip())]
                trail = value[len(value.rstrip()) :]
                setattr(element, attr, f"{lead}q{count}q{trail}")
    return root, count, listed


def _census(root: etree._Element, counts: Counter[str]) -> None:
    stack = list(root.iterfind(f"{{{TEI_NS}}}text"))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element)
        if name.localname in LISTS:
            continue
        counts[name.localname if name.namespace == TEI_NS else f"{{{name.namespace}}}"] += 1
        stack.extend(element)


def _compare_html(letters: list[Path], revision: str, folder: Path) -> None:
    """CPU time per letter of the web page, ours against ``revision``'s stylesheets (which
    read the TEI as it is), one process, one letter after the other."""
    folder.mkdir()
    repo = Path(__file__).resolve().parents[1]
    for name in ("letter-html.xsl", "tei-common.xsl"):
        show = ["git", "-C", str(repo), "show", f"{revision}:xslt/{name}"]
        (folder / name).write_bytes(subprocess.run(show, capture_output=True, check=True).stdout)
    old = etree.XSLT(etree.parse(str(folder / "letter-html.xsl")))
    ours = old_cpu = 0.0
    for path in letters:
        started = time.process_time()
        transform(path, XSLT / "letter-html.xsl")
        ours += time.process_time() - started
        started = time.process_time()
        old(etree.parse(str(path), safexml.parser()))
        old_cpu += time.process_time() - started
    print(
        f"HTML, CPU per letter: ours {ours * 1000 / len(letters):.1f} ms, {revision}'s "
        f"{old_cpu * 1000 / len(letters):.1f} ms (ratio {ours / max(old_cpu, 1e-9):.2f})"
    )


def _pdf_words(letters: list[Path], folder: Path) -> None:
    """How many words of each letter's reading text, notes and margin its PDF lacks."""
    words = missing = 0
    short: Counter[str] = Counter()
    for path in letters:
        pdf = folder / f"{path.stem}.pdf"
        if not pdf.exists():
            continue
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True
        ).stdout
        squashed = _SQUASH.sub("", text).casefold()
        want = expected(etree.parse(str(path), safexml.parser()).getroot(), "reading")
        for part in (want.flow, *want.notes, *want.margin):
            for word in part.split():
                words += 1
                if _SQUASH.sub("", word).casefold() not in squashed:
                    missing += 1
                    short[path.name] += 1
    print(f"    words of the reading text, notes and margin not in the PDFs: {missing} of {words}")
    if short:
        print("    letters lacking words:", short.most_common(5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--pdf", type=int, default=300)
    parser.add_argument("--register", action="append", type=Path, default=[])
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--old", default="", help="a git revision whose HTML to time too")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.xml"))
    step = max(1, len(files) // args.letters)
    chosen = files[::step][: args.letters]
    print(
        f"{args.folder}: {len(chosen)} of {len(files)} letters; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    nodes = listed = reached = views_equal = 0
    elements: Counter[str] = Counter()
    unreached: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        marked_file = Path(tmp) / "marked.xml"
        for path in chosen:
            root = etree.parse(str(path), safexml.parser()).getroot()
            _census(root, elements)
            page = transform(path, XSLT / "letter-html.xsl")
            views_equal += all(expected(root, v) == shown(page, v) for v in VIEWS)
            marked, count, in_lists = _marked(root)
            etree.ElementTree(marked).write(str(marked_file), encoding="UTF-8")
            marked_page = transform(marked_file, XSLT / "letter-html.xsl")
            seen: set[int] = set()
            for view in VIEWS:
                parts = shown(marked_page, view)
                text = " ".join([parts.flow, *parts.margin, *parts.notes])
                seen |= {int(n) for n in MARKER.findall(text)}
            nodes, listed, reached = nodes + count, listed + in_lists, reached + len(seen)
            if count - in_lists > len(seen):
                unreached[path.name] = count - in_lists - len(seen)

        shown_share = reached / max(1, nodes - listed)
        print(f"text nodes: {nodes:,}; in register lists {listed:,} (shown on register pages)")
        print(f"reach the page: {reached:,} of {nodes - listed:,} = {shown_share:.4%}")
        print(f"letters whose both views equal the reference: {views_equal} of {len(chosen)}")
        if unreached:
            print("letters with text not shown:", unreached.most_common(5))

        if args.old:
            _compare_html(chosen, args.old, Path(tmp) / "old")
        runs = [("html", "typst", len(chosen))] + [("pdf", e, args.pdf) for e in ENGINES]
        for target, engine, limit in runs:
            batch = chosen[:limit]
            started = time.perf_counter()
            out = Path(tmp) / f"{target}-{engine}"
            report = render_paths(
                batch, target, out, jobs=args.jobs, registers=args.register, engine=engine
            )
            seconds = time.perf_counter() - started
            label = target if target == "html" else f"{target} ({engine})"
            print(
                f"render --to {label}: {len(batch)} letters in {seconds:.1f} s "
                f"({seconds / max(1, len(batch)):.3f} s per letter), {len(report.errors)} failed"
            )
            for error in report.errors[:5]:
                print("   ", str(error)[:200])
            if target == "pdf":
                _pdf_words(batch, out)
        letters = Path(tmp) / "letters"
        letters.mkdir()
        for path in chosen:
            shutil.copy(path, letters)
        started = time.perf_counter()
        site = build_site(
            letters,
            Path(tmp) / "site",
            SiteConfig(paths=Paths(registers=tuple(args.register))),
            jobs=args.jobs,
            pdf=False,
        )
        seconds = time.perf_counter() - started
        pages = sum(1 for _ in (Path(tmp) / "site" / "register").glob("*.html"))
        print(
            f"site --no-pdf: {site.letters} letters, {pages} register pages in {seconds:.1f} s "
            f"({seconds / max(1, site.letters):.3f} s per letter), {len(site.errors)} failed"
        )

    print("\n| element | count | shown as |\n|---|---:|---|")
    for name, count in elements.most_common():
        print(f"| `{name}` | {count:,} | {SHOWN_AS.get(name, 'its text, where it stands')} |")


if __name__ == "__main__":
    main()

"""Generate a large corpus of raw letters from the bundled ones, for the benchmarks.

Each generated letter is a bundled letter re-wrapped at another width and re-paged:
page breaks (three blank lines), stamps and page numbers are put between paragraphs.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

from teitools.convert import convert_batch

LETTERS = Path(__file__).resolve().parents[1] / "letters"
FURNITURE = [
    "DECLASSIFIED/Released",
    "NLS MR 2000-004 #5",
    "SECRET",
    "DRAFT",
    "Reproduced at the Ronald Reagan Library",
]


def variant(text: str, rng: random.Random) -> str:
    width = rng.choice([0, 48, 60, 72])
    pieces = []
    for block in text.split("\n\n"):
        flat = " ".join(block.split())
        if width and len(flat) > width and rng.random() < 0.8:
            flat = "\n".join(textwrap.wrap(flat, width, break_on_hyphens=False))
        pieces.append(flat)
        roll = rng.random()
        if roll < 0.05:
            pieces.append("\n")  # page break
        elif roll < 0.08:
            pieces.append(rng.choice(FURNITURE))
        elif roll < 0.10:
            pieces.append(f"{rng.randint(2, 9)}.")
    return "\n\n".join(pieces) + "\n"


def generate(target: Path, count: int, seed: int = 1981) -> list[Path]:
    """Write ``count`` letters into ``target``; return their paths."""
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted(LETTERS.glob("*.txt"))]
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = target / f"gen{i:05d}.txt"
        path.write_text(variant(sources[i % len(sources)], rng), encoding="utf-8")
        paths.append(path)
    return paths


def encoded(folder: Path, count: int, jobs: int) -> tuple[Path, list[Path]]:
    """Generate ``count`` raw letters under ``folder`` and convert them to TEI (not timed):
    the TEI folder and its letters (a raw file with a draft gives two)."""
    tei = folder / "tei"
    generate(folder / "raw", count)
    convert_batch([folder / "raw"], tei, jobs=jobs)
    return tei, sorted(p for p in tei.glob("*.xml") if p.name != "register.xml")

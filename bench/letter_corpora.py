"""Build the development corpus of issue 12 from fetched letter editions: a tuning part and
a held-out part (editions never looked at while tuning the reader).

    python bench/letter_corpora.py REAL OUT

REAL is a folder holding clones of the editions below (``git clone`` of each repository,
folder named as in :data:`PLAN`); OUT receives ``OUT/dev`` and ``OUT/heldout``. Measure each
with ``bench/letter_eval.py OUT/dev`` and ``bench/letter_eval.py OUT/heldout``. The fetched
editions are not part of the repository (their licences differ; see docs/reading-letters.md);
a small sample of what may be redistributed is in ``bench/letters/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from letter_corpus import build

# (split, edition, folder or file under REAL, languages kept, at most N letters)
PLAN = [
    ("dev", "whitman", "whitman-correspondence/source/tei", "en", 400),
    ("dev", "schnitzler", "schnitzler-briefe-data/data/editions", "de,en", 400),
    ("dev", "schnitzler", "schnitzler-briefe-data/data/editions", "fr", 0),
    ("dev", "escher", "briefedition-escher/data/briefe", "de,en", 300),
    ("dev", "escher", "briefedition-escher/data/briefe", "fr", 400),
    ("heldout", "l1916", "letters1916-data/data/editions", "en", 0),
    ("heldout", "tillich", "tillich-briefe-data/data/editions", "de", 400),
    ("heldout", "tillich", "tillich-briefe-data/data/editions", "en,fr", 0),
    ("heldout", "soldaten", "soldatenbriefe/data", "de", 0),
    ("heldout", "guizot", "editions_numeriques/correspondance_guizot_lieven/documents_tei/"
     "letters.xml", "fr", 0),
    ("heldout", "giry", "EncodingGiry/LettersEncoding", "fr", 0),
    ("heldout", "crequis", "Crequis_mission_tei/Encoded_Letters", "fr", 0),
]


# A tuning part of letters typed line by line (the shape of the line-by-line held-out
# edition, from tuning editions): (edition, folder, languages, at most N letters). Livingstone
# Online transcribes each line as a paragraph with no parts marked, and names the
# correspondents only in its titles ("Letter to George Back"): typed line by line only.
LINES = [
    ("whitman", "whitman-correspondence/source/tei", "en", 200),
    ("schnitzler", "schnitzler-briefe-data/data/editions", "de", 100),
    ("escher", "briefedition-escher/data/briefe", "fr", 100),
    ("livingstone", "livingstone-leap-tei/Legacy3-TEI-putOnline-publish", "en", 200),
]

BY_TITLE = {"livingstone"}  # editions whose correspondents only their titles name


def missing(where: Path, edition: str) -> bool:
    """Whether an edition's clone is absent (said on stderr): the corpus is built without it,
    and each other edition keeps its seed, so its letters are the same."""
    if where.exists():
        return False
    print(f"skipped {edition}: {where} does not exist", file=sys.stderr)
    return True


def main() -> None:
    real, out = Path(sys.argv[1]), Path(sys.argv[2])
    made = build(out / "dev", [], generated=300, seed=12)
    print(f"dev: {made} generated letters")
    made = build(out / "dev-lines", [], generated=100, seed=40, lines=True)
    for seed, (edition, where, only, limit) in enumerate(LINES, start=41):
        if missing(real / where, edition):
            continue
        made += build(
            out / "dev-lines", [real / where], limit=limit, seed=seed, only=only, name=edition,
            lines=True, by_title=edition in BY_TITLE,
        )
    print(f"dev-lines: {made} letters typed line by line")
    for seed, (split, edition, where, only, limit) in enumerate(PLAN, start=13):
        if missing(real / where, edition):
            continue
        made = build(out / split, [real / where], limit=limit, seed=seed, only=only, name=edition)
        print(f"{split}: {made} letters of {edition} ({only})")


if __name__ == "__main__":
    main()

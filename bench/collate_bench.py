"""Speed and quality of the collation on generated version pairs, beside its peers.

    .venv/bin/python bench/collate_bench.py [--pairs 1000] [--seed 1] [--collatex N]

0. The gold alignment of the 17 November 1981 letter (``tests/collation_eval.py``), with
   each aligner.
1. ``--pairs`` version pairs (``tests/versiongen.py``: a generated letter in English,
   German or French, and a second version of it with OCR damage, words replaced, added,
   left out and a phrase moved, hard-wrapped and hyphenated): the time to read both as TEI
   and to collate them (align and merge), and the precision and recall of the variants
   found and of the corrections proposed, against the edits made (measures as in
   ``tests/collation_eval.py``).
2. Two witnesses of about 10 KB each (letters' paragraphs run together): the time to
   collate them, with the word lists loaded but every likeness computed afresh ("cold"),
   and again ("warm"); the median of five runs each.
3. The command on a corpus: ``--pairs`` version pairs as ``2 × --pairs`` TEI files in one
   folder, each with its letter's correspondents and date, collated by ``collate_paths``
   (finding the versions among all of them, collating, writing each letter and collation)
   in one process and in two worker processes: the time, and how many pairs were found as
   exactly one letter of two versions (precision and recall of finding versions).
4. The peers, in the same run: ``difflib.SequenceMatcher`` on the same words (exact words
   only: a floor), and CollateX (``pip install collatex python-Levenshtein``; with
   near matching, on the same words and keys) on the 10 KB pair and on ``--collatex``
   pairs, speed and quality, when it is installed.
"""

from __future__ import annotations

import argparse
import difflib
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
NS = {"t": "http://www.tei-c.org/ns/1.0"}
sys.path.insert(0, str(HERE.parent / "tests"))

from teitools.collate import collate_paths  # noqa: E402
from teitools.collate.align import Alignment  # noqa: E402
from teitools.collate.apparatus import Aligner, collate  # noqa: E402
from teitools.collate.crosscorrect import propose  # noqa: E402
from teitools.collate.settings import default_settings  # noqa: E402
from teitools.collate.witness import Token, Witness, key_of, read_witness  # noqa: E402
from teitools.collate.words import Words  # noqa: E402
from teitools.execution import LocalExecutor  # noqa: E402

from collation_eval import Score, Unit, evaluate, found_units, score_units, table  # noqa: E402
from versiongen import VersionPair, tei, version_pair  # noqa: E402


def witness(data: bytes, name: str) -> Witness:
    tree = etree.ElementTree(etree.fromstring(data))
    return read_witness(Path(f"{name}.xml"), tree)


def witnesses(pair: VersionPair, rng: random.Random) -> tuple[Witness, Witness]:
    width = rng.choice([40, 56, 64, 72])
    return (
        witness(tei(pair.base), "base"),
        witness(tei(pair.version, width, hyphenate=rng.random() < 0.8), "version"),
    )


def difflib_aligner(a: Sequence[Token], b: Sequence[Token], words: Words) -> Alignment:
    matcher = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], False)
    pairs = [
        (i + k, j + k) for i, j, size in matcher.get_matching_blocks() for k in range(size)
    ]
    return Alignment(tuple(pairs))


def collatex_aligner() -> Aligner | None:
    try:
        from collatex import Collation
        from collatex import collate as collatex_collate
    except ImportError:
        return None

    def aligner(a: Sequence[Token], b: Sequence[Token], words: Words) -> Alignment:
        data = {
            "witnesses": [
                {"id": sigil, "tokens": [_token(t, k) for k, t in enumerate(w)]}
                for sigil, w in (("A", a), ("B", b))
            ]
        }
        import json

        table = json.loads(
            collatex_collate(
                Collation.create_from_dict(data),
                output="json",
                segmentation=False,
                near_match=True,
            )
        )["table"]
        pairs = [
            (x[0]["i"], y[0]["i"]) for x, y in zip(table[0], table[1], strict=True) if x and y
        ]
        return Alignment(tuple(sorted(pairs)))

    return aligner


def _token(token: Token, index: int) -> dict[str, object]:
    return {"t": token.text, "n": token.key, "i": index}


def score_pair(
    pair: VersionPair, base: Witness, version: Witness, words: Words, aligner: Aligner | None
) -> tuple[Score, Score, float] | None:
    words_base = [w for p in pair.base for w in p]
    words_version = [w for p in pair.version for w in p]
    if len(base.tokens) != len(words_base) or len(version.tokens) != len(words_version):
        return None  # a word the tokenizer reads differently: not comparable
    options = {"aligner": aligner} if aligner is not None else {}
    started = time.perf_counter()
    collation = collate([base, version], words, **options)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    gold = [Unit(e.base, e.version, e.type) for e in pair.edits]
    units = score_units(found_units(collation), gold)
    found = {(c.token, key_of(c.text)) for c in propose(collation, words) if c.witness == 1}
    expected = {(k, key_of(w)) for k, w in pair.corrections}
    matched = len(found & expected)
    fixes = Score(len(found), len(expected), matched, matched, matched)
    return units, fixes, elapsed


def add(total: Score, score: Score) -> None:
    total.found += score.found
    total.gold += score.gold
    total.matched += score.matched
    total.exact += score.exact
    total.typed += score.typed


def corpus(count: int, seed: int, aligner: Aligner | None, label: str) -> None:
    rng = random.Random(seed)
    settings = default_settings()
    languages: dict[str, Words] = {}
    units, fixes = Score(), Score()
    times: list[float] = []
    reading = 0.0
    skipped = 0
    for _ in range(count):
        pair = version_pair(rng)
        started = time.perf_counter()
        base, version = witnesses(pair, rng)
        reading += time.perf_counter() - started
        if pair.language not in languages:  # its word list loaded before any time is taken
            languages[pair.language] = Words(pair.language, settings)
            languages[pair.language].is_word("a")
        words = languages[pair.language]
        result = score_pair(pair, base, version, words, aligner)
        if result is None:
            skipped += 1
            continue
        add(units, result[0])
        add(fixes, result[1])
        times.append(result[2])
    done = len(times)
    print(
        f"{label:<10} {done} pairs ({skipped} skipped): collate {sum(times):.2f} s "
        f"(mean {1000 * statistics.mean(times):.2f} ms, max {1000 * max(times):.1f} ms); "
        f"reading the TEI {reading:.2f} s"
    )
    print(
        f"{'':<10} variants P {units.precision:.3f} R {units.recall:.3f} "
        f"(gold {units.gold}, found {units.found}, exact {units.exact}, typed {units.typed}); "
        f"corrections P {fixes.precision:.3f} R {fixes.recall:.3f} (gold {fixes.gold})"
    )


def command(count: int, seed: int) -> None:
    """The whole command on ``count`` pairs in one folder, in one process and in two."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as temporary:
        source = Path(temporary) / "source"
        source.mkdir()
        for k in range(count):
            pair = version_pair(rng)
            width = rng.choice([40, 56, 64, 72])
            (source / f"{k:04d}.sent.xml").write_bytes(tei(pair.base, facts=pair.facts))
            copy = tei(pair.version, width, hyphenate=rng.random() < 0.8, facts=pair.facts)
            (source / f"{k:04d}.copy.xml").write_bytes(copy)
        size = sum(p.stat().st_size for p in source.iterdir())
        print(f"collate_paths on {2 * count:,} files ({size / 1e6:.1f} MB), {count:,} letters:")
        for jobs in (1, 2):
            folder = Path(temporary) / f"jobs{jobs}"
            shutil.copytree(source, folder)
            started = time.perf_counter()
            report = collate_paths([folder], force=True, executor=LocalExecutor(jobs))
            took = time.perf_counter() - started
            pairs = _pairs_found(folder)
            print(
                f"  --jobs {jobs}: {took:.2f} s ({1000 * took / count:.2f} ms a letter); "
                f"{report.groups} letters found, {pairs} of them exactly one pair "
                f"(P {pairs / max(1, report.groups):.3f}, R {pairs / count:.3f}); "
                f"{len(report.written)} files written, {len(report.errors)} errors"
            )


def _pairs_found(folder: Path) -> int:
    """Collations whose witnesses are the two versions of one generated letter."""
    found = 0
    for path in folder.glob("collations/*.versions.xml"):
        root = etree.parse(str(path)).getroot()
        names = root.xpath("//t:witness/t:bibl/t:idno/text()", namespaces=NS)
        letters = {str(name).split(".")[0] for name in names}
        found += len(names) == 2 and len(letters) == 1
    return found


def big_pair(seed: int) -> tuple[Witness, Witness, str]:
    rng = random.Random(seed)
    paragraphs: list[str] = []
    language = "en"
    from lettergen import generated_letter

    while sum(len(p) + 1 for p in paragraphs) < 10_000:
        letter = generated_letter(rng, language)
        paragraphs.extend(letter.paragraphs)
    pair = version_pair(random.Random(seed), paragraphs)
    base, version = witnesses(pair, rng)
    return base, version, pair.language


def real_pair(seed: int) -> tuple[Witness, Witness, str]:
    """The first 10 KB of a real letter (Jinks edition, French, tests/samples) and a version
    of it made by the generator's edits."""
    sample = HERE.parent / "tests" / "samples" / "jinks__let695.xml"
    words = [t.text for t in read_witness(sample).tokens if not t.gap]
    paragraphs, size = [], 0
    for start in range(0, len(words), 60):  # paragraphs of sixty words
        chunk = words[start : start + 60]
        paragraphs.append(" ".join(chunk))
        size += len(paragraphs[-1]) + 1
        if size >= 10_000:
            break
    rng = random.Random(seed)
    pair = version_pair(rng, paragraphs)
    pair.language = "fr"
    base, version = witnesses(pair, rng)
    return base, version, "fr"


def ten_kb(seed: int, peers: dict[str, Aligner]) -> None:
    for label, (base, version, language) in (
        ("generated (repetitive)", big_pair(seed)),
        ("real letter (French)", real_pair(seed)),
    ):
        size = sum(len(t.text) + 1 for t in base.tokens)
        other = sum(len(t.text) + 1 for t in version.tokens)
        print(f"10 KB pair, {label}: {size:,} and {other:,} characters")
        _time_pair(base, version, language, peers)


def _time_pair(base: Witness, version: Witness, language: str, peers: dict[str, Aligner]) -> None:
    settings = default_settings()
    Words(language, settings).is_word("a")  # load the word list once
    for label, aligner in [("teitools", None), *peers.items()]:
        options = {"aligner": aligner} if aligner is not None else {}
        cold, warm = [], []
        runs = 5 if label != "collatex" else 1  # CollateX takes a minute or two
        for _ in range(runs):
            words = Words(language, settings)
            started = time.perf_counter()
            collate([base, version], words, **options)  # type: ignore[arg-type]
            cold.append(time.perf_counter() - started)
            if label == "collatex":
                continue
            started = time.perf_counter()
            collate([base, version], words, **options)  # type: ignore[arg-type]
            warm.append(time.perf_counter() - started)
        again = f", warm {1000 * statistics.median(warm):8.1f} ms" if warm else ""
        print(f"  {label:<10} cold {1000 * statistics.median(cold):8.1f} ms{again}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--collatex", type=int, default=20, help="pairs for CollateX (slow)")
    options = parser.parse_args()
    peers: dict[str, Aligner] = {"difflib": difflib_aligner}
    collatex = collatex_aligner()
    if collatex is not None:
        peers["collatex"] = collatex
    else:
        print("CollateX is not installed: pip install collatex python-Levenshtein to compare")
    for label, aligner in [("teitools", None), *peers.items()]:
        print(f"gold alignment of the 17 November 1981 letter, {label}:")
        print("\n".join("  " + line for line in table(evaluate(aligner=aligner))))
    ten_kb(options.seed, peers)
    corpus(options.pairs, options.seed, None, "teitools")
    corpus(options.pairs, options.seed, difflib_aligner, "difflib")
    command(options.pairs, options.seed)
    if collatex is not None and options.collatex:
        corpus(options.collatex, options.seed, None, "teitools")
        corpus(options.collatex, options.seed, collatex, "collatex")


if __name__ == "__main__":
    main()

"""Language detectors compared on the letters of a development corpus (accuracy and speed).

    python bench/language_bench.py CORPUS [CORPUS ...] [--words N]

CORPUS folders are made by ``bench/letter_corpus.py`` (``NAME.txt`` and ``NAME.gold.json``
with the gold language). Each letter's typed text (or its first N words, to see how short
text fares) is given to teitools' common-words classifier and, where installed, to
``langdetect`` (seeded) and ``lingua-language-detector`` (restricted to en/de/fr and to all
its languages). Prints accuracy, undetermined share, load time and time per letter.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from teitools.reader.language import detect


def ours() -> Callable[[str], str | None]:
    return lambda text: detect(text).language


def langdetect_detector() -> Callable[[str], str | None] | None:
    try:
        from langdetect import DetectorFactory, detect_langs
    except ImportError:
        return None
    DetectorFactory.seed = 0

    def run(text: str) -> str | None:
        try:
            return str(detect_langs(text)[0].lang)
        except Exception:  # langdetect raises on text without features
            return None

    return run


def lingua_detector(all_languages: bool) -> Callable[[str], str | None] | None:
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    builder = (
        LanguageDetectorBuilder.from_all_languages()
        if all_languages
        else LanguageDetectorBuilder.from_languages(
            Language.ENGLISH, Language.GERMAN, Language.FRENCH
        )
    )
    detector = builder.build()

    def run(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, nargs="+")
    parser.add_argument("--words", type=int, default=0, help="only the first N words")
    args = parser.parse_args()
    samples = []
    for corpus in args.corpora:
        for gold in sorted(corpus.glob("*.gold.json")):
            language = json.loads(gold.read_text(encoding="utf-8"))["language"]
            text = gold.with_name(gold.name.replace(".gold.json", ".txt")).read_text("utf-8")
            if args.words:
                text = " ".join(text.split()[: args.words])
            samples.append((text, language))
    makers: list[tuple[str, Callable[[], Callable[[str], str | None] | None]]] = [
        ("teitools common words", ours),
        ("langdetect (seeded)", langdetect_detector),
        ("lingua en/de/fr", lambda: lingua_detector(False)),
        ("lingua all languages", lambda: lingua_detector(True)),
    ]
    print(f"{len(samples)} letters" + (f", first {args.words} words" if args.words else ""))
    print(f"{'detector':<24}{'right':>8}{'wrong':>8}{'undet.':>8}{'load s':>8}{'ms/letter':>10}")
    for name, make in makers:
        start = time.perf_counter()
        run = make()
        if run is None:
            print(f"{name:<24} not installed")
            continue
        run("warm up the model with a sentence of text")
        loaded = time.perf_counter() - start
        right = wrong = undetermined = 0
        start = time.perf_counter()
        for text, language in samples:
            found = run(text)
            if found is None:
                undetermined += 1
            elif found == language:
                right += 1
            else:
                wrong += 1
        per = (time.perf_counter() - start) / max(1, len(samples)) * 1000
        n = max(1, len(samples))
        print(
            f"{name:<24}{right / n:>8.1%}{wrong / n:>8.1%}{undetermined / n:>8.1%}"
            f"{loaded:>8.2f}{per:>10.2f}"
        )


if __name__ == "__main__":
    main()

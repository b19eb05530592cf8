"""Write src/teitools/data/common-words.yaml: the most frequent words of each language.

    .venv/bin/python scripts/common_words.py [N]

The reader tells a letter's language (and a passage in another language) by these words;
they come from the same pyspellchecker frequency lists the reader corrects and
dehyphenates with, so the file is reproducible from the installed package.
"""

from __future__ import annotations

import sys
from pathlib import Path

from spellchecker import SpellChecker

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")
TARGET = Path(__file__).resolve().parents[1] / "src" / "teitools" / "data" / "common-words.yaml"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    lines = [
        "# The most frequent words of each language, with their relative frequency, from",
        "# pyspellchecker's word lists (scripts/common_words.py writes this file).",
        "# The reader tells a letter's language by them (teitools/reader/language.py).",
    ]
    for language in LANGUAGES:
        frequency = SpellChecker(language=language, distance=1).word_frequency
        total = frequency.total_words
        ranked = sorted(frequency.dictionary.items(), key=lambda kv: (-kv[1], kv[0]))
        words = [(w, n / total) for w, n in ranked if w.isalpha() or "'" in w][:count]
        lines.append(f"{language}:")
        lines += [f"  {word!r}: {share:.6f}" for word, share in words]
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()

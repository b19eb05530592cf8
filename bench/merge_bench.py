"""Benchmark: the three-way merge of an edited letter, beside the conversion it merges.

    python bench/merge_bench.py [--sizes 50k,200k,1m,5m]

For each size, a generated letter of many paragraphs (every fifth names Geneva) is
converted with no register (what teitools wrote), edited as an editor does (a note added,
a paragraph deleted, a word corrected, the date changed) and converted again with a
register that knows Geneva (the new conversion: a placeName in every fifth paragraph). The
table gives the CPU time of the second conversion and of the merge, and their ratio: the
merge should cost a fraction of the conversion at every size, and grow as it does.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from teitools.convert import convert_file
from teitools.fsio import add_checksum
from teitools.registers import load_registers
from teitools.tei.merge import merge_documents

HEAD = "Geneva, November 21, 1985\n\nDear Mr. President:\n\n"
TAIL = "\n\nSincerely,\n\nRonald Reagan\n"
GENEVA = "- id: geneva\n  name: Geneva\n  geonames: '2660646'\n  forms: [Geneva]\n"


def paragraph(i: int) -> str:
    place = " We met in Geneva." if i % 5 == 0 else ""
    return f"The talks on question {i} went on for a long time and were useful.{place}\n\n"


def letter(size: int) -> str:
    parts, total, i = [HEAD], len(HEAD), 0
    while total < size:
        parts.append(paragraph(i))
        total += len(parts[-1])
        i += 1
    return "".join(parts) + TAIL


def edit(data: bytes) -> bytes:
    text = data.decode("utf-8")
    text = text.replace("question 11 went", "question eleven went", 1)  # a word corrected
    text = re.sub(r"\s*<p>The talks on question 21 went[^<]*</p>", "", text, count=1)  # deleted
    text = text.replace(  # a note added
        "question 31 went on for a long time and were useful.</p>",
        'question 31 went on for a long time and were useful.</p>\n'
        '        <note type="editorial">Minutes in the Geneva file.</note>',
        1,
    )
    date = r'(<date when=")1985-11-21(" cert)'
    return re.sub(date, r"\g<1>1985-11-22\2", text, count=1).encode()


def parse_size(text: str) -> int:
    unit = {"k": 1_000, "m": 1_000_000}.get(text[-1].lower(), 1)
    return int(float(text[:-1] if unit > 1 else text) * unit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50k,200k,1m,5m")
    args = parser.parse_args()
    print(f"{'size':>8} {'paragraphs':>10} {'convert s':>10} {'merge s':>9} {'ratio':>6} taken")
    with tempfile.TemporaryDirectory() as folder:
        registers = Path(folder, "registers")
        registers.mkdir()
        (registers / "places.yaml").write_text(GENEVA, encoding="utf-8")
        with_geneva = load_registers(registers)
        for size in map(parse_size, args.sizes.split(",")):
            source = Path(folder, f"letter-{size}.txt")
            source.write_text(letter(size), encoding="utf-8")
            (base,) = convert_file(source).documents
            started = time.process_time()
            (theirs,) = convert_file(source, registers=with_geneva).documents
            converting = time.process_time() - started
            old, new = add_checksum(base.xml), add_checksum(theirs.xml)
            mine = edit(old)
            started = time.process_time()
            merged = merge_documents(old, mine, new)
            merging = time.process_time() - started
            if merged.data is None:
                sys.exit(f"{size}: conflicts: {merged.conflicts[:3]}")
            assert b"Minutes in the Geneva file." in merged.data
            paragraphs = mine.count(b"<p>")
            print(
                f"{size:>8,} {paragraphs:>10,} {converting:>10.2f} {merging:>9.2f} "
                f"{merging / converting:>6.2f} {merged.taken}"
            )


if __name__ == "__main__":
    main()

"""The review report of a conversion at scale: each letter's row goes to disk as it arrives
(a scratch SQLite database that SQLite removes as soon as it makes it) and the report file
is written from it row by row, in the order of the files, as the letters read one by one
give them; nothing is left behind, and a file that fails fails alone."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from teitools.convert import convert_file
from teitools.review import HEADER, write_report

from lettergen import degrade, generated_letter


def letters(folder: Path, count: int) -> list[Path]:
    """``count`` generated letters in two folders, one of them not text at all."""
    rng = random.Random(5)
    made = []
    for n in range(count):
        path = folder / f"box{n % 2}" / f"{(n * 7) % count:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(degrade(generated_letter(rng), rng).text, encoding="utf-8")
        made.append(path)
    (folder / "box0" / "050.txt").write_text("")  # no text: it fails alone
    return sorted(made)


def test_the_review_report_has_each_letters_row_in_order_and_nothing_is_left(
    tmp_path: Path,
) -> None:
    paths = letters(tmp_path / "raw", 20)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "SQLITE_TMPDIR": str(scratch)}
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    output = ["-o", str(tmp_path / "tei"), "--report", str(tmp_path / "tei" / "review.csv")]
    done = subprocess.run(
        [sys.executable, "-m", "teitools", "convert", "-j", "2", *output, str(tmp_path / "raw")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # no edition's settings: the letters as convert_file reads them
        timeout=300,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("050.txt") == 1  # the file that is no text, and no other
    assert "converted 20 of 21 files" in done.stdout + done.stderr
    expected = []
    for path in paths:
        expected.extend(convert_file(path, encoding_date="2023-11-14").rows)
    with (tmp_path / "tei" / "review.csv").open(encoding="utf-8", newline="") as file:
        assert list(csv.DictReader(file)) == expected and len(expected) >= 20
    assert list(scratch.iterdir()) == []
    left = [p.name for p in (tmp_path / "tei").iterdir() if p.name.startswith(".")]
    assert left == [".teitools"]  # the records of what was written, and nothing else


def test_the_review_report_is_written_row_by_row_as_a_whole_would_be(tmp_path: Path) -> None:
    rng = random.Random(9)
    for count in (0, 1, 3):
        rows = [{column: "" for column in HEADER} for _ in range(count)]
        for row in rows:
            row.update(sender=rng.choice(["Anna", 'Ö "quoted",\nnew line', "\u4e2d"]))
        whole = (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode()
        assert b"".join(write_report(iter(rows), tmp_path / "review.json")) == whole
        streamed = b"".join(write_report(iter(rows), tmp_path / "review.csv")).decode()
        assert list(csv.DictReader(io.StringIO(streamed, newline=""))) == rows
        assert streamed.splitlines()[0] == ",".join(HEADER)

"""The site's folder as a build writes it: pages in pieces, the manifest from its rows."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from teitools import __version__
from teitools.fsio import write_atomic
from teitools.site import output
from teitools.site.output import (
    FORMAT,
    MANIFEST,
    Previous,
    Record,
    SiteOutput,
    _manifest_lines,
    manifest_text,
    read_manifest,
)


class _Report:
    def __init__(self) -> None:
        self.written = self.removed = 0
        self.errors: list[object] = []


def test_a_write_its_check_declines_leaves_the_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"before")
    seen: list[str] = []
    assert not write_atomic(path, iter([b"af", b"ter"]), check=lambda d: bool(seen.append(d)))
    assert path.read_bytes() == b"before" and list(tmp_path.iterdir()) == [path]
    assert seen == [hashlib.sha256(b"after").hexdigest()]
    assert write_atomic(path, lambda handle: handle.write(b"after"), check=seen.__contains__)
    assert path.read_bytes() == b"after"  # a function's file is hashed as it was written


def test_a_page_in_pieces_is_written_once_and_never_over_a_file_of_yours(tmp_path: Path) -> None:
    report = _Report()
    out = SiteOutput(tmp_path, Previous(), report)
    out.put("letters.html", iter([b"<p>", b"one</p>"]))
    out.put("letters.html", iter([b"<p>one", b"</p>"]))  # the same bytes: not written again
    (tmp_path / "index.html").write_bytes(b"yours")
    out.put("index.html", iter([b"ours"]))
    assert report.written == 1 and len(report.errors) == 1
    assert (tmp_path / "index.html").read_bytes() == b"yours"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "letters.html"]
    assert [name for name, _ in out.made()] == ["letters.html"]


def test_the_manifest_written_row_by_row_is_json_dumps_of_the_whole(tmp_path: Path) -> None:
    rnd = random.Random(7)
    for _ in range(300):
        files = {
            "".join(rnd.choice('ab/é"\\\u2028x\U0001f600.') for _ in range(rnd.randrange(1, 9))): (
                Record(f"{rnd.getrandbits(256):064x}", rnd.choice(["", "k" * 64, 'é"']))
            )
            for _ in range(rnd.randrange(0, 5))
        }
        whole = {
            name: {"sha256": record.sha256, **({"key": record.key} if record.key else {})}
            for name, record in sorted(files.items())
        }
        manifest = {"teitools": __version__, "format": FORMAT, "files": whole}
        expected = json.dumps(manifest, indent=1).encode() + b"\n"
        assert b"".join(manifest_text(sorted(files.items()))) == expected


def _read(folder: Path, text: bytes) -> tuple[list[tuple[str, Record]], list[str]]:
    folder.mkdir()
    (folder / MANIFEST).write_bytes(text)
    previous, ignored = read_manifest(folder)
    found = [(name, previous.get(name)) for name in previous.names()]
    return found, [warning.replace(str(folder), "") for warning in ignored]  # type: ignore[return-value]


@pytest.mark.parametrize("chunk", [5, 64, 1 << 20])  # bytes read at a time
def test_a_manifest_read_line_by_line_gives_what_json_gives_of_it(
    chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "CHUNK", chunk)
    rnd = random.Random(11)
    names = ["letters/a.html", "tei/a.xml", "../x.html", "pagefind/f/é.pf", "pdf/a.txt", 'a"b.html']
    for trial in range(60):
        files = sorted(
            (rnd.choice(names) + str(rnd.randrange(3)) * rnd.randrange(2), rnd.random())
            for _ in range(rnd.randrange(0, 14))
        )
        records = [
            (name, Record(f"{rnd.getrandbits(256):064x}", "" if luck < 0.5 else "k" * 64))
            for name, luck in dict(files).items()
        ]
        text = b"".join(manifest_text(records))
        if trial % 3 == 1 and records:  # a record's line changed by hand, or one given twice
            lines = text.splitlines(keepends=True)
            end = next(n for n, line in enumerate(lines) if line.startswith(b"  }"))
            entry = [*lines[4:end], b"  },\n"] if trial % 2 else [b'  "tei/b.xml": [1],\n']
            text = b"".join(lines[:4] + entry + lines[4:])
        (tmp_path / f"{trial}.json").write_bytes(text)
        by_lines = _manifest_lines(tmp_path / f"{trial}.json", lambda name, value: True)
        assert by_lines or trial % 3 == 1  # ours are read line by line
        whole = json.loads(text)  # no layout of lines: read by json
        compact = json.dumps(whole, separators=(",", ":")).encode()
        assert _read(tmp_path / f"{trial}a", text) == _read(tmp_path / f"{trial}b", compact)

"""The site's folder as a build writes it: pages in pieces, the manifest from its rows."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from teitools import __version__
from teitools.fsio import write_atomic
from teitools.site.output import FORMAT, Record, SiteOutput, manifest_text


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
    out = SiteOutput(tmp_path, {}, report)
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

"""downloads/tei.zip, written a letter at a time with its members' entries on disk."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

from teitools.site.archive import ZIP_TIME, tei_zip

from conftest import ENCODED, SAMPLES


def _whole(files: list[Path]) -> bytes:
    """The zip as zipfile makes it with every member's entry in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"tei/{path.name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _written(files: list[Path]) -> bytes:
    buffer = io.BytesIO()
    tei_zip(files)(buffer)
    return buffer.getvalue()


def test_the_zip_written_a_letter_at_a_time_is_zipfiles_own_byte_for_byte(
    tmp_path: Path,
) -> None:
    odd = tmp_path / "ünïcode letter.xml"  # a name zipfile marks as UTF-8
    odd.write_bytes(b"<TEI/>")
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    files = sorted(
        [*ENCODED.glob("*.xml"), *SAMPLES.glob("*.xml"), odd, empty], key=lambda p: p.name
    )
    assert _written(files) == _whole(files)
    assert _written([]) == _whole([])
    with zipfile.ZipFile(io.BytesIO(_written(files))) as archive:
        assert archive.testzip() is None and len(archive.namelist()) == len(files)


def test_the_zip_of_many_letters_keeps_no_entry_per_letter_in_memory(tmp_path: Path) -> None:
    peaks = []
    for count in (500, 5000):
        files = [tmp_path / f"l{n:06}.xml" for n in range(count)]
        for path in files:
            path.write_bytes(b"<TEI/>")
        with (tmp_path / "tei.zip").open("w+b") as handle:
            tracemalloc.start()
            tei_zip(files)(handle)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    assert peaks[1] < peaks[0] + 200_000  # zipfile's entries alone: some 350 bytes a letter

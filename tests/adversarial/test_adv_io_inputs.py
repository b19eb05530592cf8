"""Hostile folders of input (issue 11, item 12): one way of collecting files for every
command (``teitools.inputs.collect``). A folder named like an input, a link to nothing, a
loop of links, an unreadable file or folder, a pipe or socket: each is one line naming its
path, the other files are processed, the exit code is 1. A link leading outside the folder
given is followed with a warning naming where it leads; nothing is written outside the
output folder.

Unreadable files: the tests run as root, who reads any file whatever its mode. The command
runs under ``setpriv`` without the two capabilities that let root pass file permissions
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so ``chmod 000`` holds for it as for any user and
``open`` fails with EACCES, as it would for an editor's account. Run as another user, the
tests need no ``setpriv``.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from teitools.inputs import LEFT_OUT, FileTable, collect
from teitools.scratch import scratch

from adv_convert_support import GOOD_LETTER, snapshot
from conftest import ENCODED

LETTER_TEI = ENCODED / "004_2a302f09f3bdef71.xml"
UNPRIVILEGED = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]


def teitools(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``teitools ARGS`` in a child that file permissions hold for, root or not."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv cannot be denied a file")
        prefix = UNPRIVILEGED
    argv = [*prefix, sys.executable, "-m", "teitools", *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, cwd=cwd)


def make_hostile(folder: Path, suffix: str, outside: Path) -> dict[str, str]:
    """``folder`` with good inputs among every hostile entry; what each must say."""
    good = LETTER_TEI.read_bytes() if suffix == "xml" else GOOD_LETTER.encode()
    folder.mkdir()
    (folder / f"good.{suffix}").write_bytes(good)
    (folder / f"named-like-a-file.{suffix}").mkdir()  # before: read as a file, or passed over
    (folder / f"named-like-a-file.{suffix}" / f"inner.{suffix}").write_bytes(good)
    (folder / "a" / "b").mkdir(parents=True)
    (folder / "a" / "b" / f"deep.{suffix}").write_bytes(good)  # render did not look here
    (folder / f"dangling.{suffix}").symlink_to(f"nowhere.{suffix}")
    (folder / "loop").symlink_to(".")
    (folder / f"ring1.{suffix}").symlink_to(f"ring2.{suffix}")
    (folder / f"ring2.{suffix}").symlink_to(f"ring1.{suffix}")
    os.mkfifo(folder / f"pipe.{suffix}")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / f"socket.{suffix}"))
    (folder / f"locked.{suffix}").write_bytes(good)
    (folder / f"locked.{suffix}").chmod(0)
    (folder / "closed").mkdir()
    (folder / "closed" / f"hidden-inside.{suffix}").write_bytes(good)
    (folder / "closed").chmod(0)
    (folder / f".#good.{suffix}").symlink_to("editor@host.1234")  # an editor's lock: passed over
    outside.mkdir()
    (outside / f"elsewhere.{suffix}").write_bytes(good)
    (folder / f"linked.{suffix}").symlink_to(outside / f"elsewhere.{suffix}")
    (folder / os.fsdecode(b"caf\xe9." + suffix.encode())).write_bytes(good)  # a Latin-1 name
    return {
        f"dangling.{suffix}": f"a link to nowhere.{suffix}, which does not exist",
        "loop": f"a link back to {folder.resolve()}, a folder that holds it: a loop",
        f"ring1.{suffix}": "a loop of links",
        f"ring2.{suffix}": "a loop of links",
        f"pipe.{suffix}": "a pipe, not a file to read",
        f"socket.{suffix}": "a socket, not a file to read",
        f"locked.{suffix}": "cannot read: Permission denied",
        "closed": "cannot read folder: Permission denied",
        f"caf\\udce9.{suffix}": "its name is not UTF-8: rename it to read it",  # as printed
    }


@pytest.fixture
def unlock(tmp_path: Path) -> Iterator[None]:
    yield
    for path in tmp_path.rglob("*"):  # let pytest remove what the test locked
        if not path.is_symlink():
            path.chmod(0o755)


COMMANDS = {  # command → its arguments, the outputs of the good files, where problems go
    "convert": (["-o", "out"], ["out/good.xml", "out/inner.xml", "out/deep.xml"], "stderr"),
    "validate": (["--no-tei-rules", "-j", "1"], [], "stdout"),
    "render": (["-o", "out"], ["out/good.html", "out/inner.html", "out/deep.html"], "stderr"),
    "site": (
        ["-o", "out", "--no-pdf", "-j", "1"],
        ["out/letters/good.html", "out/letters/inner.html", "out/letters/deep.html"],
        "stderr",
    ),
    "cmif": (  # CMIF names the edition it indexes (issue 14): its title, editor and address
        ["-o", "out/cmif.xml", "--title", "T", "--editor", "E", "--url", "https://example.org/"],
        ["out/cmif.xml"],
        "stderr",
    ),
}


@pytest.mark.usefixtures("unlock")
@pytest.mark.parametrize("command", COMMANDS)
def test_every_hostile_entry_is_one_line_and_the_rest_is_processed(
    tmp_path: Path, command: str
) -> None:
    """Before (convert, validate, render, site, cmif): a pipe hung validate, render and
    site; convert passed over links to nothing, pipes and sockets without a word; every
    command passed over unreadable folders and loops of links without a word; cmif stopped
    at an unreadable file with exit 2; render did not look into subfolders; convert
    converted the link to a file elsewhere without comment; a Latin-1 file name crashed
    every command but convert with a traceback."""
    suffix = "txt" if command == "convert" else "xml"
    folder, outside = tmp_path / "in", tmp_path / "elsewhere"
    expected = make_hostile(folder, suffix, outside)
    before = snapshot(outside)
    args, outputs, channel = COMMANDS[command]
    done = teitools(command, "in", *args, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = getattr(done, channel).splitlines()
    for name, message in expected.items():
        said = [line for line in lines if f"in/{name}:" in line]
        assert len(said) == 1 and message in said[0], (name, lines)
    target = f"a link to {outside.resolve() / f'elsewhere.{suffix}'}, outside"
    everything = set(done.stderr.splitlines() + lines)
    # (what convert says of the letter's content, "no addressee" say, is not about the link)
    warned = [line for line in everything if f"in/linked.{suffix}:" in line and "a link to" in line]
    assert len(warned) == 1 and "warning" in warned[0] and target in warned[0], warned
    assert not any(".#good" in line for line in everything)
    for output in outputs:
        assert (tmp_path / output).exists(), (output, done.stderr)
    if command == "validate":
        assert done.stdout.splitlines()[-1].startswith("13 files checked: 4 valid, 9 invalid")
    if command == "cmif":
        assert (tmp_path / "out" / "cmif.xml").read_text().count("<correspDesc ") == 4
    assert snapshot(outside) == before


def test_files_are_collected_in_the_order_of_their_names(tmp_path: Path) -> None:
    """The order depends on nothing but the names: the order of sorted paths."""
    for name in ("b.txt", "a/z.txt", "a/B.TXT", "a.txt", "a0/x.txt", "A/y.txt", "c/d/e/f.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "notes.md").write_text("not a letter")
    found = collect([tmp_path], ".txt")
    assert found.files == sorted(p for p in tmp_path.rglob("*") if p.suffix.lower() == ".txt")
    assert found.problems == found.warnings == []


def test_a_large_folder_of_any_names_is_collected_in_the_order_of_its_names(
    tmp_path: Path,
) -> None:
    """A folder is read back from the walk's scratch database a few hundred names at a
    time: a folder of more names than that, accented and in other scripts,
    is collected in the order of its names all the same, and a subfolder where it sorts."""
    names = [f"{stem}{n:03d}.txt" for n in range(300) for stem in ("b", "\u00e9", "\u4e2d")]
    names += ["Z.txt", "\U0001f600.txt"]
    for name in names:
        (tmp_path / name).write_text("x")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "in.txt").write_text("x")
    found = collect([tmp_path], ".txt")
    expected = sorted([tmp_path / name for name in names] + [tmp_path / "c" / "in.txt"])
    assert found.files == expected
    assert found.problems == found.warnings == []


def test_a_name_that_is_not_utf8_is_a_problem_of_its_own_and_the_rest_is_collected(
    tmp_path: Path,
) -> None:
    """A Latin-1 name (a file, or a folder of files) cannot be written into a page, a report
    or a database: it is named as a problem, and the files around it are still collected."""
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("x")
    (tmp_path / os.fsdecode(b"r\xe9ponses")).mkdir()
    (tmp_path / os.fsdecode(b"r\xe9ponses") / "in.txt").write_text("x")
    (tmp_path / "z.txt").write_text("x")
    found = collect([tmp_path], ".txt")
    assert found.files == [tmp_path / "z.txt"]
    assert [(Path(str(p.path)).name, p.message) for p in found.problems] == [
        (os.fsdecode(b"caf\xe9.txt"), "its name is not UTF-8: rename it to read it"),
        (os.fsdecode(b"r\xe9ponses"), "its name is not UTF-8: rename it to read it"),
    ]


def test_a_file_reached_twice_is_collected_once_under_its_own_name(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "one.txt").write_text("x")
    (tmp_path / "00-latest.txt").symlink_to("letters/one.txt")  # sorts before letters/
    (tmp_path / "also").symlink_to("letters")
    found = collect([tmp_path, tmp_path / "letters" / "one.txt"], ".txt")
    assert found.files == [tmp_path / "letters" / "one.txt"]
    assert found.problems == found.warnings == []


def test_hidden_entries_and_the_output_folder_are_not_searched(tmp_path: Path) -> None:
    for name in ("a.xml", ".git/x.xml", ".venv/lib/y.xml", "site/tei/a.xml", "sub/.draft.xml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<x/>")
    found = collect([tmp_path], ".xml", skip=tmp_path / "site")
    assert found.files == [tmp_path / "a.xml"]
    assert collect([tmp_path / ".git"], ".xml").files == [tmp_path / ".git" / "x.xml"]  # named


def test_a_link_to_nothing_not_named_like_an_input_is_none_of_ours(tmp_path: Path) -> None:
    (tmp_path / "README").symlink_to("gone")
    (tmp_path / "x.txt").symlink_to("gone.txt")
    assert [str(p) for p in collect([tmp_path], ".xml").problems] == []
    assert [p.path for p in collect([tmp_path], ".txt").problems] == [str(tmp_path / "x.txt")]


def test_a_loop_outside_the_folder_is_found_too(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.xml").write_text("<x/>")
    (outside / "again").symlink_to(outside)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "out").symlink_to(outside)
    found = collect([tmp_path / "in"], ".xml")
    assert found.files == [tmp_path / "in" / "out" / "a.xml"]
    assert [str(w) for w in found.warnings] == [
        f"{tmp_path / 'in' / 'out'}: a link to {outside}, outside {tmp_path / 'in'}: "
        "read all the same"
    ]
    assert [str(p) for p in found.problems] == [
        f"{tmp_path / 'in' / 'out' / 'again'}: a link back to {outside}, a folder that holds "
        "it: a loop"
    ]


def test_the_walk_takes_no_stack_frame_per_level(tmp_path: Path) -> None:
    """Folders nested deeper than Python recurses: with the recursion limit at 100 frames
    above the test's own (the default is 1,000), a tree 400 deep is searched."""
    deep = tmp_path.joinpath(*["d"] * 400)
    os.makedirs(deep)
    (deep / "bottom.txt").write_text("x")
    depth = len(inspect.stack(0))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 100)
    try:
        found = collect([tmp_path], ".txt")
    finally:
        sys.setrecursionlimit(limit)
    assert found.files == [deep / "bottom.txt"]


def test_two_files_named_alike_in_two_folders_cannot_both_give_a_page(tmp_path: Path) -> None:
    for name in ("1981/letter.xml", "1985/letter.xml", "1985/other.xml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("<x/>")
    found = collect([tmp_path], ".xml")
    found.one_per_name()
    assert found.files == [tmp_path / "1981" / "letter.xml", tmp_path / "1985" / "other.xml"]
    assert [str(p) for p in found.problems] == [
        f"{tmp_path / '1985' / 'letter.xml'}: named like {tmp_path / '1981' / 'letter.xml'}: "
        "its output would replace that one's"
    ]


def test_a_listing_on_disk_keeps_the_first_of_two_files_named_alike_too(tmp_path: Path) -> None:
    for name in ("1981/letter.xml", "1985/letter.xml", "1985/other.xml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("<x/>")
    table = FileTable(scratch())
    collect([tmp_path], ".xml", into=table)
    problems = table.one_per_name()
    assert list(table.paths()) == [
        tmp_path / "1981" / "letter.xml",
        tmp_path / "1985" / "other.xml",
    ]
    assert list(table.paths(LEFT_OUT)) == [tmp_path / "1985" / "letter.xml"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / '1985' / 'letter.xml'}: named like {tmp_path / '1981' / 'letter.xml'}: "
        "its output would replace that one's"
    ]


def test_render_is_recursive_and_names_a_clash_of_names(tmp_path: Path) -> None:
    """Before: render did not look into subfolders. A second letter of the same name is
    written beside the first under another name, and the warning says so."""
    for name in ("1981/a.xml", "1985/a.xml", "1985/b.xml"):
        (tmp_path / "tei" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LETTER_TEI, tmp_path / "tei" / name)
    done = teitools("render", "tei", "-o", "html", "-j", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if "tei/1985/a.xml" in line] == [
        "teitools: warning: tei/1985/a.xml: written as a-2.html (a.html is another page's name)"
    ]
    assert sorted(p.name for p in (tmp_path / "html").glob("*.html")) == [
        "a-2.html",
        "a.html",
        "b.html",
        "index.html",
        "register.html",  # the entries the letters' names make (issue 14)
    ]


def test_a_latin1_name_is_reported_in_sarif_by_its_bytes(tmp_path: Path) -> None:
    """SARIF's URI of a file whose name is not UTF-8 is its bytes, escaped: before, the
    report crashed on it with a traceback."""
    (tmp_path / os.fsdecode(b"caf\xe9.xml")).write_bytes(LETTER_TEI.read_bytes())
    done = teitools("validate", ".", "--format", "sarif", "-j", "1", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    (result,) = json.loads(done.stdout)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.xml"

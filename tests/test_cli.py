"""The command line: subcommands, exit codes, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import teitools

from conftest import LETTERS, REPO


def teitools_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "teitools", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_help_lists_the_four_pipeline_commands() -> None:
    result = teitools_cli("--help")
    assert result.returncode == 0
    commands = result.stdout.split("Commands:")[1].split()
    for name in ("convert", "validate", "render", "build"):
        assert name in commands


def test_each_command_explains_itself_with_an_example() -> None:
    for name in ("convert", "validate", "render", "build"):
        result = teitools_cli(name, "--help")
        assert result.returncode == 0
        assert "Example:" in result.stdout and f"teitools {name}" in result.stdout


def test_version_is_printed() -> None:
    result = teitools_cli("--version")
    assert result.returncode == 0 and teitools.__version__ in result.stdout


def test_missing_input_path_is_a_one_line_error_naming_it(tmp_path: Path) -> None:
    result = teitools_cli("convert", "no-such-letters/", "-o", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "teitools: error: no-such-letters: no such file or directory"
    ]
    assert "Traceback" not in result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    result = teitools_cli("convert", "--no-such-option")
    assert result.returncode == 2


def test_convert_exits_zero_and_writes_one_file_per_letter(tmp_path: Path) -> None:
    result = teitools_cli("convert", str(LETTERS), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(list(tmp_path.glob("*.xml"))) == 7  # six letters and the register
    assert (tmp_path / "register.xml").exists()
    assert "6 written" in result.stdout


def test_convert_with_no_path_uses_the_bundled_letters(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    source = LETTERS / "004_2a302f09f3bdef71.txt"
    (tmp_path / "letters" / source.name).write_bytes(source.read_bytes())
    result = teitools_cli("convert", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "encoded" / "004_2a302f09f3bdef71.xml").exists()


def test_a_failed_letter_gives_exit_one_and_the_batch_goes_on(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a-empty.txt").write_text("   \n\n")
    good = "Dear Sir,\n\nThank you for your letter.\n\nYours,\n\nJ. Smith\n"
    (inputs / "b-good.txt").write_text(good)
    result = teitools_cli("convert", str(inputs), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    empty = inputs / "a-empty.txt"
    assert problems == [f"teitools: error: {empty}: empty file: no text to convert"]
    assert (tmp_path / "out" / "b-good.xml").exists()


def test_verbose_errors_show_the_traceback_only_for_unexpected_failures(tmp_path: Path) -> None:
    result = teitools_cli("-v", "convert", "missing.txt", "-o", str(tmp_path))
    assert result.returncode == 2
    assert "missing.txt" in result.stderr


def test_bad_rules_file_is_a_one_line_usage_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("furniture: [{type: stamp, pattern: '(unclosed'}]\n")
    result = teitools_cli("convert", str(LETTERS), "-o", str(tmp_path), "--rules", str(rules))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert str(rules) in result.stderr and "bad pattern" in result.stderr


def test_output_does_not_depend_on_the_process(tmp_path: Path) -> None:
    """Byte-identical TEI from two processes with different hash seeds."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
        subprocess.run(
            [sys.executable, "-m", "teitools", "convert", str(LETTERS), "-o", str(out)],
            check=True,
            capture_output=True,
            env=env,
        )
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]

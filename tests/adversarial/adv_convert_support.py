"""What the adversarial tests of ``convert`` share: running the command (in this process or
in a child under a memory limit), the promises every run must keep, and letters to mix in.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from teitools.cli import main
from teitools.errors import one_line

GOOD_LETTER = (
    "Washington, November 17, 1981\n\nDear Mr. President:\n\n"
    "Thank you for your letter of October 20. I have read it with care.\n\n"
    "Sincerely,\n\nRonald Reagan\n"
)
ERROR, WARNING = "teitools: error: ", "teitools: warning: "


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(ERROR)]


def write_letters(folder: Path, *names: str) -> list[Path]:
    """A good letter as ``folder/NAME.txt`` for each name."""
    paths = [folder / f"{name}.txt" for name in names]
    for path in paths:
        path.write_text(GOOD_LETTER)
    return paths


def convert_here(*args: str | Path) -> Run:
    """``teitools convert ARGS`` in this process: an uncaught exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["convert", *map(str, args), "--jobs", "1"])
        except SystemExit as stop:
            code = stop.code
    assert isinstance(code, int), code
    return Run(code, out.getvalue(), err.getvalue())


def convert_in_child(
    *args: str | Path, memory_mb: int | None = None, margin_mb: int | None = None
) -> Run:
    """``teitools convert ARGS`` in a child process, under a memory limit if asked.

    ``memory_mb`` limits the child's address space outright; ``margin_mb`` limits it to
    what the child uses once teitools is loaded and warm (it converts a letter first and
    loads the letter grammar), plus that margin.
    """
    script = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from teitools.cli import main
        from teitools.convert import convert_text
        from teitools.validate import relaxng
        convert_text({GOOD_LETTER!r})
        relaxng.letters()  # the check before writing: derived here if no cache holds it
        limit = {memory_mb!r} and {memory_mb!r} << 20
        if {margin_mb!r}:
            status = Path("/proc/self/status").read_text()
            size = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("VmSize"))
            limit = (size << 10) + ({margin_mb!r} << 20)
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        main(sys.argv[1:])
        """
    )
    argv = [sys.executable, "-c", script, "convert", *map(str, args), "--jobs", "1"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    return Run(done.returncode, done.stdout, done.stderr)


def assert_promises(run: Run, inputs: Iterable[Path], outdir: Path) -> None:
    """Exit 0, 1 or 2; no traceback; every message one line that names a file."""
    assert run.code in (0, 1, 2), run
    assert "Traceback" not in run.stderr, run.stderr
    names = [one_line(str(path)) for path in [*inputs, outdir]]  # as messages write them
    for line in run.stderr.splitlines():
        assert line.startswith((ERROR, WARNING)), line
        assert any(name in line for name in names), f"names no file: {line!r}"
    assert bool(run.errors) == (run.code != 0), run  # a failure says why; success, nothing


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, tuple[int, float, bytes]]:
    """Every file under ``folder`` (but ``skip``): its mode, modification time and bytes."""
    found = {}
    for root, dirs, files in os.walk(folder):
        if skip is not None and Path(root) == skip.parent:
            dirs[:] = [d for d in dirs if Path(root, d) != skip]
        for name in [*files, *dirs]:
            path = Path(root, name)
            info = path.lstat()
            data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
            found[str(path)] = (info.st_mode, info.st_mtime, data)
    return found

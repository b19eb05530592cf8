"""Where CI users meet teitools: the GitHub Actions workflow and the pre-commit hook, each
tried for real in a throwaway edition repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from teitools.resources import DATA

from conftest import ENCODED, REPO, run_ok

pytestmark = pytest.mark.slow

WORKFLOW = DATA / "ci" / "github-workflow.yml"


def _edition(root: Path) -> tuple[Path, Path]:
    """A git repository with one valid letter and one with an unknown element."""
    (root / "encoded").mkdir(parents=True)
    good = sorted(ENCODED.glob("*.xml"))[0]
    for path in (good, ENCODED / "register.xml"):
        shutil.copyfile(path, root / "encoded" / path.name)
    text = good.read_text(encoding="utf-8")
    bad = root / "encoded" / "broken.xml"
    bad.write_text(text.replace("<body>", "<body><letterhead>Foreign Office</letterhead>", 1))
    run_ok("git", "init", "-q", cwd=root)
    run_ok("git", "add", ".", cwd=root)
    identity = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.net"}
    identity |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.net"}
    run_ok("git", "commit", "-qm", "letters", cwd=root, **identity)
    return root / "encoded" / good.name, bad


def test_the_workflow_installs_the_wheel_validates_and_annotates(
    dist: Path, tmp_path: Path
) -> None:
    """The workflow's own shell steps, run in order as a runner would (the `uses:` steps
    stand for what the runner provides: the checkout, a Python, the cache)."""
    repo = tmp_path / "edition"
    _, bad = _edition(repo)
    job = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["validate"]
    python = tmp_path / "python"  # setup-python: a fresh Python first on PATH
    run_ok("python3", "-m", "venv", python, cwd=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env |= {k: str(v) for k, v in job["env"].items()}
    env |= {"TEITOOLS": str(next(dist.glob("teitools-*.whl"))), "GITHUB_ACTIONS": "true"}
    env["PATH"] = f"{python / 'bin'}:{env['PATH']}"
    outcomes = {}
    for step in job["steps"]:
        if "run" not in step:
            continue
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        outcomes[step["name"]] = result
    assert outcomes["Install teitools"].returncode == 0, outcomes["Install teitools"].stderr
    validate = outcomes["Validate"]
    assert validate.returncode == 1  # the invalid letter fails the job
    annotations = [line for line in validate.stdout.splitlines() if line.startswith("::")]
    assert annotations
    assert all(a.startswith("::error file=encoded/broken.xml,") for a in annotations)
    assert re.search(r",line=\d+", annotations[0]) and "letterhead" in validate.stdout
    assert bad.name in (repo / "validation.xml").read_text(encoding="utf-8")


def test_the_pre_commit_hook_fails_a_commit_with_invalid_tei(tmp_path: Path) -> None:
    """pre-commit installs the hook from this repository (its working tree) and runs it."""
    repo = tmp_path / "edition"
    good, bad = _edition(repo)
    home = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = [str(Path(sys.executable).with_name("pre-commit")), "try-repo", str(REPO)]
    hook = [*pre_commit, "teitools-validate", "--files"]
    run_ok(*hook, good.relative_to(repo).as_posix(), cwd=repo, **home)
    environ = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    failed = subprocess.run(
        [*hook, bad.relative_to(repo).as_posix()],
        cwd=repo,
        env=environ | home,
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1 and "broken.xml" in failed.stdout
    assert "letterhead" in failed.stdout and "Failed" in failed.stdout

"""Shared paths and oracles for the tests."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
LETTERS = REPO / "letters"
ENCODED = REPO / "encoded"
SCHEMAS = REPO / "schemas"
SAMPLES = REPO / "tests" / "samples"  # real TEI of other projects, with SOURCES.tsv
REGISTERS = REPO / "registers"  # the bundled example edition's own register (Cold War)
TEI_NS = {"t": "http://www.tei-c.org/ns/1.0"}


@functools.cache
def bundled_edition() -> dict[str, Any]:
    """What the bundled example edition converts with (its teitools.toml): its register,
    catalogue and facts of publication, as keyword arguments of ``convert_batch``."""
    from teitools.config import load_config
    from teitools.edition import conversion

    return conversion(load_config(REPO / "teitools.toml")).options()


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Derived schemas go to a temporary cache, never to the user's (subprocesses too); the
    key that authenticates its entries to a temporary config folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEITOOLS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setenv("TEITOOLS_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
        yield


def run_jing(*files: Path) -> subprocess.CompletedProcess[str]:
    """Validate ``files`` with jing (the independent RELAX NG oracle) against tei_all."""
    jing = shutil.which("jing")
    if jing is None:
        pytest.fail("jing is not installed: scripts/test.sh installs it (Debian package jing)")
    return subprocess.run(
        [jing, str(SCHEMAS / "tei_all.rng"), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def jing_errors(*files: Path) -> list[str]:
    result = run_jing(*files)
    return [line for line in result.stdout.splitlines() if line.strip()]


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 while in the block; yields its address, ending in /."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 404 to everything, and notes what was asked for."""

    asked: list[str]

    def do_GET(self) -> None:
        self.asked.append(self.path)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that fetches would reach: (its address, the paths asked)."""
    asked: list[str] = []
    handler = type("Recorder", (_Recorder,), {"asked": asked})
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    finally:
        httpd.shutdown()


@pytest.fixture
def recording_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """The recording server, and every proxy setting pointed at it: a fetch is recorded."""
    with recording_server() as (url, asked):
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            monkeypatch.setenv(name, url)
        yield url, asked


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled edition's site, PDFs included, built once a session: read it, never
    change it."""
    from teitools.site import build_site
    from teitools.site.config import load_config

    folder = tmp_path_factory.mktemp("site")
    report = build_site(ENCODED, folder, load_config(REPO / "teitools.toml"), pdf=True)
    assert not report.errors
    return folder


@pytest.fixture(scope="session")
def site_address(bundled_site: Path) -> Iterator[str]:
    """The address the bundled edition's site is served from."""
    with serve(bundled_site) as address:
        yield address


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: scripts/test.sh installs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def run_ok(*command: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` outside this virtual environment; fail the test with its output unless
    it exits 0."""
    environ = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    environ.update(env)
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=environ, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An sdist, and a wheel built from that sdist (so the sdist is proven complete), made
    with the standard build front end."""
    out = tmp_path_factory.mktemp("dist")
    run_ok(sys.executable, "-m", "build", "--outdir", out, REPO, cwd=out)
    return out


@pytest.fixture(scope="session")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with the wheel installed in it."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    wheel = next(dist.glob("teitools-*.whl"))
    run_ok(env_dir / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=env_dir)
    return env_dir / "bin"

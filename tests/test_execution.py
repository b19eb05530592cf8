"""The execution layer: the same work in this process, in local worker processes and on a
Dask cluster (a real one of two worker processes on this machine), with the same results,
streamed in bounded batches; a worker killed mid-run costs nothing."""

from __future__ import annotations

import json
import operator
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from teitools.collate import collate_paths
from teitools.convert import convert_batch
from teitools.execution import AHEAD, BATCH, DASK_BATCH, DaskExecutor, LocalExecutor
from teitools.render import render_paths
from teitools.timelimit import TimeLimitExceeded, time_limit
from teitools.validate import validate_paths

from conftest import ENCODED
from lettergen import degrade, generated_letter
from versiongen import tei, version_pair

distributed = pytest.importorskip("distributed")

DAY = "2024-01-01"


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def dask(cluster: object) -> Iterator[DaskExecutor]:
    executor = DaskExecutor(cluster.scheduler_address)  # type: ignore[attr-defined]
    yield executor
    executor.close()


def letters(folder: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir()
    for i in range(count):
        text = degrade(generated_letter(rng), rng).text
        (folder / f"letter{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_convert_validate_and_html_on_dask_equal_the_local_run_byte_for_byte(
    tmp_path: Path, dask: DaskExecutor
) -> None:
    raw = letters(tmp_path / "raw", 20)
    runs = {}
    for name, executor in (("local", LocalExecutor(2)), ("dask", dask)):
        tei, html = tmp_path / name / "tei", tmp_path / name / "html"
        converted = convert_batch([raw], tei, encoding_date=DAY, executor=executor)
        checked = validate_paths([tei], reuse=False, tei_rules=False, executor=executor, fmt="json")
        rendered = render_paths([tei], "html", html, executor=executor)
        here = str(tmp_path / name)
        summary = converted.summary().replace(here, "")
        report = [line.replace(here, "") for line in checked.lines()]
        runs[name] = (contents(tei), contents(html), summary, report, rendered.errors)
    local, remote = runs["local"], runs["dask"]
    assert len(local[0]) >= 20 and len(local[1]) >= 21  # the letters (no register given), index
    assert remote[0] == local[0] and remote[1] == local[1]
    assert remote[2] == local[2] and remote[3] == local[3]
    assert remote[4] == local[4] == []


def test_collations_on_dask_equal_the_local_run_byte_for_byte(
    tmp_path: Path, dask: DaskExecutor
) -> None:
    """Both passes of collate (reading every document, collating every letter) on Dask."""
    runs = {}
    for name, executor in (("local", LocalExecutor(1)), ("dask", dask)):
        folder = tmp_path / name
        folder.mkdir()
        for seed in range(3):
            pair = version_pair(random.Random(seed))
            (folder / f"sent{seed}.xml").write_bytes(tei(pair.base))
            (folder / f"copy{seed}.xml").write_bytes(tei(pair.version, 60, hyphenate=True))
        report = collate_paths([folder], force=True, executor=executor)
        assert not report.errors and report.collations
        runs[name] = {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*.xml"))}
    assert runs["dask"] == runs["local"]


def test_a_worker_killed_mid_run_leaves_every_file_written_whole_and_identical(
    tmp_path: Path, cluster: object, dask: DaskExecutor
) -> None:
    raw = letters(tmp_path / "raw", 6 * BATCH, seed=11)
    expected = convert_batch([raw], tmp_path / "local", encoding_date=DAY, jobs=1)
    out = tmp_path / "dask"
    client = dask.client()
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        started = time.monotonic()
        while time.monotonic() - started < 120:  # until a worker is running a batch
            busy = [
                address
                for address, keys in client.processing().items()
                if any("run_batch" in str(key) for key in keys)
            ]
            if busy:
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    report = convert_batch([raw], out, encoding_date=DAY, executor=dask)
    killer.join()
    assert killed, "a worker was killed while it ran a batch"
    assert report.errors == [] and report.failed == 0
    assert contents(out) == contents(tmp_path / "local")
    assert report.summary().replace("dask", "local") == expected.summary()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # no temporary file left
    client.wait_for_workers(2, timeout=60)  # the nanny has started a new one


@pytest.mark.parametrize("where", ["local", "dask"])
def test_items_are_read_as_the_work_goes_on_and_come_back_in_order(
    where: str, dask: DaskExecutor
) -> None:
    executor = dask if where == "dask" else LocalExecutor(2)
    pulled = []

    def items() -> Iterator[int]:
        for i in range(5000):
            pulled.append(i)
            yield i

    results = executor.map_files(operator.add, items(), 1000, failed=lambda i, e: -1)
    first = next(results)
    batch = DASK_BATCH if where == "dask" else BATCH
    bound = 4 * AHEAD * 2 * batch + batch  # the batches a run holds at once, at most
    assert first == (0, 1000) and len(pulled) <= bound
    assert list(results) == [(i, i + 1000) for i in range(1, 5000)]


def test_a_long_run_of_known_results_is_not_read_all_at_once() -> None:
    """Results known beforehand (the validator's memo) come back in runs of a batch: a
    corpus whose every file is known is not read whole before its first result."""
    pulled = []

    def items() -> Iterator[int]:
        for i in range(5000):
            pulled.append(i)
            yield i

    def known(i: int) -> int | None:
        return -i if i % 2500 else None

    results = LocalExecutor(2).map_files(
        operator.add, items(), 1000, failed=lambda i, e: -1, known=known
    )
    first = next(results)
    assert first == (0, 1000) and len(pulled) <= 4 * AHEAD * 2 * BATCH + BATCH
    assert list(results) == [(i, known(i) or i + 1000) for i in range(1, 5000)]
    # a corpus that starts with known results still has its work done by the workers
    mixed = LocalExecutor(2).map_files(
        worker_pid,
        range(400),
        None,
        failed=lambda i, e: -1,
        known=lambda i: -1 if i < 300 else None,
    )
    pids = [pid for i, pid in mixed if i >= 300]
    assert len(pids) == 100 and os.getpid() not in pids


def worker_pid(context: None, item: int) -> int:
    return os.getpid()


@pytest.mark.parametrize("where", ["local", "dask"])
def test_a_batch_that_fails_gives_each_of_its_items_a_failure_and_the_run_goes_on(
    where: str, dask: DaskExecutor
) -> None:
    executor = dask if where == "dask" else LocalExecutor(2)
    items: list[object] = list(range(100))
    items[50] = "fifty"  # 1 + "fifty" raises in the worker

    def failed(item: object, error: BaseException) -> object:
        return ("failed", item, type(error).__name__)

    results = dict(executor.map_files(operator.add, iter(items), 1, failed=failed))
    broken = {i for i, result in results.items() if isinstance(result, tuple)}
    size = DASK_BATCH if where == "dask" else BATCH
    batch = range(50 // size * size, min(50 // size * size + size, 100))  # the one "fifty" is in
    assert broken == {items[i] for i in batch}
    assert results["fifty"] == ("failed", "fifty", "TypeError")
    assert all(results[i] == i + 1 for i in range(100) if i not in batch)


def test_the_command_line_runs_on_a_scheduler_with_the_local_summary(
    tmp_path: Path, cluster: object
) -> None:
    raw = letters(tmp_path / "raw", 6, seed=3)
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    outputs = []
    for name, extra in (("local", []), ("dask", ["--scheduler", address])):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "teitools",
                "convert",
                str(raw),
                "-o",
                str(tmp_path / name),
                *extra,
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        outputs.append((run.returncode, run.stdout.replace(str(tmp_path / name), "OUT")))
    assert outputs[0] == outputs[1] and outputs[0][0] == 0
    assert contents(tmp_path / "local") == contents(tmp_path / "dask")


def test_a_scheduler_that_is_not_there_is_a_one_line_error(tmp_path: Path) -> None:
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    encoded = str(Path(__file__).parents[1] / "encoded")
    run = subprocess.run(
        [sys.executable, "-m", "teitools", "validate", "--scheduler", "tcp://127.0.0.1:9", encoded],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("teitools: error: cannot reach the Dask scheduler at tcp://")
    assert len(run.stderr.strip().splitlines()) == 1


def test_the_time_limit_holds_in_a_thread_as_dask_workers_run_tasks() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with time_limit(0.3):
                while True:
                    sum(range(1000))
        except TimeLimitExceeded as error:
            outcome.append(str(error))
        started = time.thread_time()
        while time.thread_time() - started < 0.6:  # the limit ended with its block
            sum(range(1000))
        outcome.append("went on")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(30)
    assert outcome == ["took more than 0.3 s of CPU time", "went on"]


@pytest.mark.parametrize("where", ["local", "dask"])
def test_letters_are_read_for_rendering_by_the_workers_and_one_unreadable_fails_alone(
    where: str, tmp_path: Path, dask: DaskExecutor
) -> None:
    executor = dask if where == "dask" else LocalExecutor(2)
    tei = tmp_path / "tei"
    tei.mkdir()
    for letter in sorted(ENCODED.glob("*.xml")):
        if letter.name != "register.xml":
            for copy in range(5):  # enough letters that workers read them
                (tei / f"{letter.stem}-{copy}.xml").write_bytes(letter.read_bytes())
    (tei / "broken.xml").write_text("<TEI><teiHeader></TEI>", encoding="utf-8")
    report = render_paths([tei], "html", tmp_path / "html", executor=executor)
    assert [(error.path, error.message.split(":")[0]) for error in report.errors] == [
        (str(tei / "broken.xml"), "not well-formed")
    ]
    pages = {p.name for p in (tmp_path / "html").glob("*.html")}
    letters = {f"{p.stem}.html" for p in tei.glob("*.xml") if p.name != "broken.xml"}
    assert letters <= pages and "broken.html" not in pages


PREPARED = """
import json, os
from teitools.execution import LocalExecutor

loaded = []

def seen(context, item):
    return os.getpid(), list(loaded)

def prepare(context):
    loaded.append(f"{context} {os.getpid()}")

def run(count):
    executor = LocalExecutor(2)
    return [r for _, r in executor.map_files(seen, iter(range(count)), "rules", failed=repr,
                                              prepare=prepare)]

many, few = run(40), run(3)
print(json.dumps({"parent": os.getpid(), "many": many, "few": few}))
"""


def test_workers_forked_from_a_prepared_process_start_with_what_it_loaded() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PREPARED], capture_output=True, text=True, check=True
    )
    ran = json.loads(done.stdout)
    parent = ran["parent"]
    assert {pid for pid, _ in ran["many"]} - {parent}  # in workers
    assert all(loaded == [f"rules {parent}"] for _, loaded in ran["many"])  # prepared once, here
    # too few items for workers: run here, nothing prepared for them (and nothing again)
    assert ran["few"] == [[parent, [f"rules {parent}"]]] * 3


def test_a_linked_edition_renders_on_dask_as_locally_leaving_only_its_pages(
    tmp_path: Path, dask: DaskExecutor
) -> None:
    """Links between letters and to the register, resolved from the edition's file on disk
    as each job is made, are the same whoever renders the pages."""
    from test_render_edition import family, letter

    tei = tmp_path / "tei"
    family(tei)
    for i in range(20):  # enough letters that workers render them
        link = f'<ref target="c.xml">c</ref> <persName ref="#anna">A.</persName> {i}'
        letter(tei, f"n{i:02d}", "Dora", "Anna", f"1901-01-{i + 1:02d}", text=link)
    runs = {}
    for name, executor in (("local", LocalExecutor(2)), ("dask", dask)):
        out = tmp_path / name
        report = render_paths([tei], "html", out, executor=executor)
        assert report.errors == [] and report.written == 26  # 24 letters, index, register
        runs[name] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert runs["dask"] == runs["local"]
    assert b'href="c.html"' in runs["local"]["n00.html"]
    assert len(runs["local"]) == 29  # the pages, index, register and three stylesheets

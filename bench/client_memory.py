"""Where a stage's client keeps its memory: RSS, glibc's heap (in use and free), SQLite's
own memory and Python's heap, sampled as the stage runs, with the part of teitools the
client was in at each sample.

    python bench/client_memory.py STAGE FOLDER OUT [--every S] [--tracemalloc SNAPSHOT]

STAGE is convert (FOLDER of .txt), html or site (FOLDER of TEI), run as
``bench/scale_bench.py --clients`` runs it (two local workers). Each line: seconds, RSS,
glibc's arenas (``mallinfo2``: bytes from the system, in use, free), its mmapped chunks,
``sqlite3_memory_used``, Python's traced heap (with ``--tracemalloc``) and the functions
of teitools the main thread was in. Linux with glibc only. ``--tracemalloc`` slows the run
some tenfold; it dumps the snapshot at the end, to compare two sizes with
``tracemalloc.Snapshot.load(...).compare_to(...)``.
"""

from __future__ import annotations

import argparse
import ctypes
import resource
import sys
import threading
import time
import traceback
import tracemalloc
from pathlib import Path


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
        ).split()
    ]


LIBC = ctypes.CDLL("libc.so.6")
LIBC.mallinfo2.restype = _MallInfo2
SQLITE = ctypes.CDLL("libsqlite3.so.0")
SQLITE.sqlite3_memory_used.restype = ctypes.c_int64
SQLITE.sqlite3_memory_highwater.restype = ctypes.c_int64
MB = 2**20


def rss() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def sample(main: int, started: float) -> str:
    info = LIBC.mallinfo2()
    traced = tracemalloc.get_traced_memory()[0] / MB if tracemalloc.is_tracing() else 0.0
    frame = sys._current_frames().get(main)
    where = [f.name for f in traceback.extract_stack(frame) if "teitools" in f.filename]
    return (
        f"{time.perf_counter() - started:7.1f} s  rss {rss():6.1f}  heap {info.arena / MB:5.1f}"
        f" (in use {info.uordblks / MB:5.1f}, free {info.fordblks / MB:5.1f})"
        f"  mmapped {info.hblkhd / MB:4.1f}  sqlite {SQLITE.sqlite3_memory_used() / MB:4.1f}"
        f"  python {traced:5.1f}  {'/'.join(where[:3])}"
    )


def run(stage: str, folder: Path, out: Path) -> None:
    from teitools.execution import LocalExecutor

    executor = LocalExecutor(2)
    if stage == "convert":
        from teitools.convert import convert_batch

        convert_batch([folder], out / "tei", executor=executor, encoding_date="2024-01-01")
    elif stage == "html":
        from teitools.render import render_paths

        render_paths([folder], "html", out / "html", executor=executor)
    else:
        from teitools.site import build_site

        build_site(folder, out / "site", pdf=False, executor=executor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=("convert", "html", "site"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--tracemalloc", type=Path, metavar="SNAPSHOT", default=None)
    args = parser.parse_args()
    if args.tracemalloc:
        tracemalloc.start(10)
    import teitools.render
    import teitools.site  # noqa: F401  (their imports are not the run's)

    main_thread, started, done = threading.get_ident(), time.perf_counter(), threading.Event()

    def sampler() -> None:
        while not done.wait(args.every):
            print(sample(main_thread, started), flush=True)

    print(sample(main_thread, started), flush=True)
    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    run(args.stage, args.folder, args.out)
    done.set()
    thread.join()
    print(sample(main_thread, started))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"peak RSS {usage.ru_maxrss / 1024:.1f} MB, CPU {usage.ru_utime + usage.ru_stime:.1f} s,"
        f" SQLite's high-water {SQLITE.sqlite3_memory_highwater(0) / MB:.1f} MB"
    )
    if args.tracemalloc:
        tracemalloc.take_snapshot().dump(args.tracemalloc)


if __name__ == "__main__":
    main()

"""A run's scratch database: SQLite, where a command keeps what grows with the corpus (a
folder's names, each file's findings) instead of in memory.

It lives in the system's temporary folder, in SQLite's own temporary file, which SQLite
removes from the folder as soon as it is made: nothing is left behind, even by a run that
is killed, and nothing is written beside the user's files. Its pages stay in memory up to
a small page cache (:data:`CACHE_KIB`), then go to the disk (the system's file cache), so
its memory does not grow with it.
"""

from __future__ import annotations

import sqlite3

# each database's page cache (SQLite's default: 2,000 KiB). A command has several scratch
# databases (the site seven), each of whose caches filled as its tables outgrew it: the
# site's client gained 3 MB from 6,000 to 20,000 letters at the default, 1.5 MB at this
CACHE_KIB = 256


def scratch() -> sqlite3.Connection:
    """A new, empty scratch database (closed with the connection, or when it is dropped)."""
    db = sqlite3.connect("")  # "": a private temporary database on disk
    db.execute("PRAGMA journal_mode = OFF")
    db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return db


def key(text: str) -> bytes:
    """``text`` as bytes that SQLite orders as Python orders the strings (by code point,
    file names that are not UTF-8 among them) and that :func:`text` turns back: UTF-8,
    whose bytes order as its code points do, lone surrogates (``surrogatepass``) included,
    and which is a quarter of UTF-32's size for Latin text."""
    return text.encode("utf-8", "surrogatepass")


def text(data: bytes) -> str:
    """The string :func:`key` was made of."""
    return data.decode("utf-8", "surrogatepass")

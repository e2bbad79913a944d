"""What ``pull`` remembers between runs, in the inbox itself, and the lock that makes it cron-safe.

``.pull-state.sqlite`` (a hidden file: ``article_files`` never lists it) holds each feed's last
``ETag``/``Last-Modified`` and each item pulled: its key (GUID, link or content hash), version,
content hash and file. ``.pull.lock`` is held with ``flock`` for a whole run, so a second run at
the same time (cron overlapping itself, or the desk's background pull) waits for it and then
finds the items already there; the lock dies with its process, so a crash leaves none behind.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import WireError

__all__ = ["LOCK_FILE", "STATE_FILE", "PullState", "Seen", "inbox_lock"]

STATE_FILE = ".pull-state.sqlite"
LOCK_FILE = ".pull.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, modified TEXT);
CREATE TABLE IF NOT EXISTS items (
    feed TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL,
    file TEXT NOT NULL, pulled TEXT NOT NULL, PRIMARY KEY (feed, key, version)
);
"""


@dataclass(frozen=True)
class Seen:
    version: int
    hash: str


class PullState:
    def __init__(self, inbox: Path) -> None:
        self._db = sqlite3.connect(inbox / STATE_FILE)
        # WAL with synchronous=NORMAL: a commit per item without an fsync per item (17 ms each
        # here, benchmarks/pull.py); a power cut may lose the last records, and then the files
        # they name are written again under the same names, not duplicated.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self._db.execute("SELECT etag, modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def remember_validators(self, url: str, etag: str | None, modified: str | None) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)", (url, etag, modified))

    def latest(self, feed: str, key: str) -> Seen | None:
        row = self._db.execute(
            "SELECT version, hash FROM items WHERE feed = ? AND key = ? ORDER BY version DESC LIMIT 1", (feed, key)
        ).fetchone()
        return Seen(row[0], row[1]) if row else None

    def known_hash(self, feed: str, key: str, digest: str) -> bool:
        """True when some version of the item already had this content (a feed flipping back)."""
        row = self._db.execute(
            "SELECT 1 FROM items WHERE feed = ? AND key = ? AND hash = ?", (feed, key, digest)
        ).fetchone()
        return row is not None

    def record(self, feed: str, key: str, version: int, digest: str, file: str, pulled: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?)",
                             (feed, key, version, digest, file, pulled))  # fmt: skip


@contextmanager
def inbox_lock(inbox: Path, *, wait: float, poll: float = 0.2) -> Iterator[None]:
    """Hold the inbox's pull lock; wait up to ``wait`` seconds for another run to finish, then give up."""
    fd = os.open(inbox / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WireError(f"another pull into {inbox} is still running after {wait:g} s; not starting a second") from None
                time.sleep(poll)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

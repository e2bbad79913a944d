"""The job ledger: what a batch has done, so that a batch killed with SIGKILL does only what is left.

One SQLite file in the output folder (``DIR/ledger.sqlite``), WAL, with a row per job (outlet,
article, task). A job is ``running`` while its requests are out, then ``done`` or ``failed``;
no row means it never started. A row also keeps what the report needs (tokens, checks, output
file), so a resumed batch reports the jobs an earlier run finished without redoing them.

Durability: ``synchronous=NORMAL`` in WAL mode survives the process being killed at any point
(the write-ahead log is in the OS's hands once a transaction commits); only a power cut can lose
the last few commits, and then the job is redone from the response cache at no cost. A lock file
stops two batches writing into one folder at once (the kernel drops it when a process dies).

The ``openai_batches`` table remembers Batch API submissions (``--openai-batch``), so a rerun
collects a batch that is already paid for instead of submitting it again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import UsageError

__all__ = ["LEDGER_NAME", "Ledger", "LedgerRow"]

LEDGER_NAME = "ledger.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id          TEXT PRIMARY KEY,
    input       TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    error       TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL DEFAULT '{}',
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS openai_batches (
    id          TEXT PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('submitted', 'collected')),
    requests    INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class LedgerRow:
    id: str
    input: str
    fingerprint: str
    status: str
    error: str
    result: dict[str, Any]


class Ledger:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LEDGER_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._lock = _exclusive_lock(folder / ".ledger.lock")
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"cannot open the job ledger in {folder}: {exc}") from None

    def close(self) -> None:
        self._db.close()
        self._lock.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rows(self) -> Iterator[LedgerRow]:
        for row in self._db.execute("SELECT id, input, fingerprint, status, error, result FROM jobs ORDER BY id"):
            yield LedgerRow(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))

    def get(self, job_id: str) -> LedgerRow | None:
        row = self._db.execute(
            "SELECT id, input, fingerprint, status, error, result FROM jobs WHERE id = ?", (job_id,)
        ).fetchone()
        return LedgerRow(row[0], row[1], row[2], row[3], row[4], json.loads(row[5])) if row else None

    def done(self) -> dict[str, str]:
        """job id -> fingerprint of every done job: one query up front instead of one per job."""
        return dict(self._db.execute("SELECT id, fingerprint FROM jobs WHERE status = 'done'").fetchall())

    def counts(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetchall())

    def start(self, job_id: str, *, input: str, fingerprint: str) -> None:
        self._put(job_id, input, fingerprint, "running", "", {})

    def finish(
        self, job_id: str, *, input: str, fingerprint: str, error: str = "", result: dict[str, Any] | None = None
    ) -> None:
        self._put(job_id, input, fingerprint, "failed" if error else "done", error, result or {})

    def _put(self, job_id: str, input: str, fingerprint: str, status: str, error: str, result: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO jobs VALUES (?, ?, ?, ?, ?, ?, ?)",
            (job_id, input, fingerprint, status, error, json.dumps(result, ensure_ascii=False), _now()),
        )

    # -- Batch API submissions ---------------------------------------------------------------

    def submitted(self, batch_id: str, *, requests: int) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO openai_batches VALUES (?, 'submitted', ?, ?)", (batch_id, requests, _now())
        )

    def collected(self, batch_id: str) -> None:
        self._db.execute(
            "UPDATE openai_batches SET state = 'collected', updated_at = ? WHERE id = ?", (_now(), batch_id)
        )

    def open_batches(self) -> list[str]:
        rows = self._db.execute("SELECT id FROM openai_batches WHERE state = 'submitted' ORDER BY updated_at")
        return [row[0] for row in rows]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Lock:
    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def close(self) -> None:
        self._handle.close()  # closing the file releases the lock


def _exclusive_lock(path: Path) -> _Lock:
    handle = open(path, "a+")  # noqa: SIM115 - held open for the ledger's lifetime
    try:
        import fcntl
    except ImportError:  # Windows: no flock; two batches in one folder are then the user's to avoid
        return _Lock(handle)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise UsageError(
            f"another batch is already writing into {path.parent}; wait for it or pick another --out"
        ) from None
    return _Lock(handle)

"""The response cache: SQLite, one row per model answer, keyed by a hash of the request.

The key is ``v1:`` + SHA-256 of the canonical JSON of everything that changes the answer:
backend, endpoint, model, messages, sampling parameters and the response schema. Only that
request document is stored beside the answer; the API key and HTTP headers never reach it,
because they are not part of the document in the first place.

Every row records its provenance (``recorded`` from a model, or ``hand-written`` as a test
fixture), the model and backend, the time, and token usage. Rows can be exported to and
imported from JSON Lines, which is how the fixture cache under ``tests/fixtures`` is kept
reviewable in git.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ..errors import SummarizerError, UsageError

__all__ = ["Cache", "CacheEntry", "CacheStats", "KEY_VERSION", "cache_key", "canonical_json"]

KEY_VERSION = "v1"
PROVENANCES = ("recorded", "hand-written")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key         TEXT PRIMARY KEY,
    task        TEXT NOT NULL,
    backend     TEXT NOT NULL,
    model       TEXT NOT NULL,
    request     TEXT NOT NULL,
    response    TEXT NOT NULL,
    provenance  TEXT NOT NULL CHECK (provenance IN ('recorded', 'hand-written')),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
-- Token counts by a model's own tokenizer (key: the tokenizer's name and a hash of the text), so
-- that planning a request the cache answers does not load the model to count its article.
CREATE TABLE IF NOT EXISTS token_counts (
    key         TEXT PRIMARY KEY,
    tokens      INTEGER NOT NULL
)
"""


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cache_key(request: Mapping[str, Any]) -> str:
    return _key(canonical_json(request))


def _key(canonical: str) -> str:
    return f"{KEY_VERSION}:{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


@dataclass(frozen=True)
class CacheEntry:
    key: str
    task: str
    backend: str
    model: str
    request: dict[str, Any]
    response: dict[str, Any]
    provenance: str
    created_at: str
    note: str = ""


@dataclass(frozen=True)
class CacheStats:
    path: Path
    entries: int
    bytes: int
    by_provenance: dict[str, int]
    by_model: dict[str, int]
    prompt_tokens: int
    completion_tokens: int


class Cache:
    """A thread-safe handle on one cache file. Opening creates the file and its folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30.0, check_same_thread=False, isolation_level=None)
            # WAL lets a reader and a writer (two jobs sharing one cache) proceed together.
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed; only a power cut can
            # lose the last few (then they are asked again). FULL's fsync per answer stalled batches.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise SummarizerError(
                f"cannot open the cache at {path}: {exc}; set SUMMARIZER_CACHE_DIR or use --cache-mode off"
            ) from None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def token_count(self, key: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT tokens FROM token_counts WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else None

    def put_token_count(self, key: str, tokens: int) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO token_counts (key, tokens) VALUES (?, ?)", (key, tokens))

    def get(self, key: str) -> CacheEntry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT key, task, backend, model, request, response, provenance, created_at, note"
                " FROM responses WHERE key = ?",
                (key,),
            ).fetchone()
        return _entry(row) if row else None

    def put(
        self,
        *,
        task: str,
        request: Mapping[str, Any],
        response: Mapping[str, Any],
        provenance: str = "recorded",
        note: str = "",
        created_at: str | None = None,
    ) -> str:
        if provenance not in PROVENANCES:
            raise ValueError(f"provenance must be one of {PROVENANCES}")
        stored = canonical_json(request)  # once: it holds the whole article, and is hashed and kept
        key = _key(stored)
        when = created_at or datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    task,
                    str(request.get("backend", "")),
                    str(request.get("model", "")),
                    stored,
                    canonical_json(response),
                    provenance,
                    note,
                    when,
                ),
            )
        return key

    def entries(self) -> Iterator[CacheEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key, task, backend, model, request, response, provenance, created_at, note"
                " FROM responses ORDER BY created_at, key"
            ).fetchall()
        return (_entry(row) for row in rows)

    def stats(self) -> CacheStats:
        entries = list(self.entries())
        by_prov: dict[str, int] = {}
        by_model: dict[str, int] = {}
        prompt = completion = 0
        for e in entries:
            by_prov[e.provenance] = by_prov.get(e.provenance, 0) + 1
            by_model[e.model] = by_model.get(e.model, 0) + 1
            usage = e.response.get("usage") or {}
            prompt += int(usage.get("prompt_tokens") or 0)
            completion += int(usage.get("completion_tokens") or 0)
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return CacheStats(self.path, len(entries), size, by_prov, by_model, prompt, completion)

    def clear(self) -> int:
        with self._lock:
            count = self._db.execute("DELETE FROM responses").rowcount
            self._db.execute("VACUUM")
        return int(count)

    def export_jsonl(self, out: IO[str]) -> int:
        count = 0
        for e in self.entries():
            record = {
                "key": e.key,
                "task": e.task,
                "provenance": e.provenance,
                "note": e.note,
                "created_at": e.created_at,
                "request": e.request,
                "response": e.response,
            }
            out.write(canonical_json(record) + "\n")
            count += 1
        return count

    def import_jsonl(self, lines: IO[str], *, source: str = "fixture") -> int:
        """Load exported rows. A row whose key no longer matches its request is refused:
        the prompt or parameters changed since it was recorded, so it would never be hit."""
        count = 0
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                request, response = record["request"], record["response"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise UsageError(f"{source}:{number}: not a cache record ({exc})") from None
            if record.get("key") and record["key"] != cache_key(request):
                raise UsageError(
                    f"{source}:{number}: stale record for task {record.get('task')!r}: its key no "
                    "longer matches its request (a prompt or parameter changed); re-record it"
                )
            self.put(
                task=record.get("task", "?"),
                request=request,
                response=response,
                provenance=record.get("provenance", "recorded"),
                note=record.get("note", ""),
                created_at=record.get("created_at"),
            )
            count += 1
        return count


def _entry(row: tuple[Any, ...]) -> CacheEntry:
    key, task, backend, model, request, response, provenance, created_at, note = row
    return CacheEntry(
        key, task, backend, model, json.loads(request), json.loads(response), provenance, created_at, note
    )

"""The desk's memory: every document an editor works on, its draft, and what was approved.

One SQLite file next to the response cache (``Settings.cache_dir / "desk.sqlite"``, WAL), so
that nothing typed is lost on a reload or a server restart: the page saves the draft here on
every edit, and an approval is a row that says who approved which text, and when.

A *document* is one task run on one article: a summary, a translation, a facts list, a digest,
or a batch job opened from a report. ``result`` is the task's JSON exactly as the API answers
it; ``draft`` is the editor's current text and ``draft_checks`` the checks last run on it.

Approvals are a document's version history: each row says who approved which text, when, with
which checks failing, and which version the editor's page was showing (``base``). ``decide`` is the
which version the editor's page was showing (``base``), and whether it was approved or only kept
from a conflict; ``approval.decide`` holds the rules that say which.

``security.py`` keeps three things here too: the key its CSRF tokens are made with (kept, so a
page left open across a restart still posts), the sessions signed in (for their idle timeout) and
the ids of sessions signed out before they expired.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["Approval", "Doc", "Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    result TEXT,
    draft TEXT,
    draft_checks TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS approvals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc TEXT NOT NULL REFERENCES docs(id),
    text TEXT NOT NULL,
    editor TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    checks TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS approvals_doc ON approvals(doc);
CREATE TABLE IF NOT EXISTS secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS revoked_sessions (
    id TEXT PRIMARY KEY,
    until INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    seen INTEGER NOT NULL,
    until INTEGER NOT NULL
);
"""
# Columns added to approvals since the first desks: (name, declaration), added when missing.
_APPROVAL_COLUMNS = (
    ("reviewed", "TEXT"),  # the text as the editor reviewed it (Kazakh Latin is approved from Cyrillic)
    ("base", "INTEGER NOT NULL DEFAULT 0"),  # the approved version the editor's page showed (0: none)
    ("state", "TEXT NOT NULL DEFAULT 'approved'"),  # approved | conflict (kept, not approved)
    ("reason", "TEXT NOT NULL DEFAULT ''"),  # why it went out with failing checks
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Doc:
    id: str
    kind: str  # summary | translation | facts | digest
    title: str
    source: str  # the article's text as the task saw it (facts' offsets point into it)
    params: dict[str, Any]
    status: str  # waiting | running | done | failed
    error: str
    result: dict[str, Any] | None
    draft: str | None
    draft_checks: list[dict[str, Any]] | None
    created: str
    updated: str

    @property
    def output(self) -> str:
        """The text under review: the editor's draft, else what the model wrote. Kazakh in Latin script
        is reviewed in the Cyrillic the checks judge; the Latin is transliterated from it on approval."""
        if self.draft is not None:
            return self.draft
        result = self.result or {}
        return str(result.get("cyrillic") or result.get("translation") or result.get("summary") or "")

    @property
    def checks(self) -> list[dict[str, Any]]:
        """The checks of the text under review (the draft's, once the editor re-checked it)."""
        if self.draft_checks is not None:
            return self.draft_checks
        return list((self.result or {}).get("checks", []))


@dataclass(frozen=True)
class Approval:
    """One version in a document's history: approved, or kept from a conflict without approval."""

    id: int
    doc: str
    text: str
    editor: str
    approved_at: str
    checks: list[dict[str, Any]]
    reviewed: str = ""
    base: int = 0
    state: str = "approved"
    reason: str = ""

    @property
    def failed(self) -> list[str]:
        """The checks that failed (with an error) on the text when it was approved."""
        return [str(c.get("name")) for c in self.checks if not c.get("passed", True)]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "text": self.text,
            "editor": self.editor,
            "approved_at": self.approved_at,
            "checks": self.checks,
            "state": self.state,
            "base": self.base,
            "reason": self.reason,
            "failed_checks": self.failed,
        }


class Store:
    """Thread-safe: the event loop and the digest's worker thread may both write."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._secrets: dict[str, bytes] = {}
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        have = {r["name"] for r in self._db.execute("PRAGMA table_info(approvals)")}
        for name, declaration in _APPROVAL_COLUMNS:
            if name not in have:  # a desk.sqlite from before versions: its approvals are approved versions
                self._db.execute(f"ALTER TABLE approvals ADD COLUMN {name} {declaration}")
        # A task that was running when the server stopped will never finish: say so, once.
        self._db.execute(
            "UPDATE docs SET status='failed', error='interrupted by a server restart; run it again'"
            " WHERE status IN ('waiting', 'running')"
        )

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def create(self, *, kind: str, title: str, source: str, params: dict[str, Any], doc_id: str | None = None) -> str:
        doc_id = doc_id or uuid.uuid4().hex[:16]
        stamp = now()
        with self._tx() as db:
            db.execute(
                "INSERT INTO docs (id, kind, title, source, params, status, created, updated)"
                " VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?)",
                (doc_id, kind, title, source, json.dumps(params, ensure_ascii=False), stamp, stamp),
            )
        return doc_id

    def get(self, doc_id: str) -> Doc | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM docs WHERE id = ?", (doc_id,)).fetchone()
        return _doc(row) if row is not None else None

    def recent(self, limit: int = 50) -> list[Doc]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM docs ORDER BY updated DESC LIMIT ?", (limit,)).fetchall()
        return [_doc(r) for r in rows]

    def set_status(self, doc_id: str, status: str, *, error: str = "") -> None:
        with self._tx() as db:
            db.execute("UPDATE docs SET status=?, error=?, updated=? WHERE id=?", (status, error, now(), doc_id))

    def finish(self, doc_id: str, result: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE docs SET status='done', error='', result=?, updated=? WHERE id=?",
                (json.dumps(result, ensure_ascii=False), now(), doc_id),
            )

    def save_draft(self, doc_id: str, text: str, checks: list[dict[str, Any]] | None = None) -> None:
        """Keep what the editor typed; ``checks`` (when given) are the verdicts on exactly this text.
        A draft saved without checks keeps none, so a page never shows verdicts on older text."""
        with self._tx() as db:
            db.execute(
                "UPDATE docs SET draft=?, draft_checks=?, updated=? WHERE id=?",
                (text, json.dumps(checks, ensure_ascii=False) if checks is not None else None, now(), doc_id),
            )

    def add_version(
        self,
        doc_id: str,
        *,
        text: str,
        editor: str,
        checks: list[dict[str, Any]],
        reviewed: str | None = None,
        base: int = 0,
        state: str = "approved",
        reason: str = "",
    ) -> Approval:
        """One more row in the history; ``decide`` says whether it is an approval."""
        stamp, reviewed = now(), text if reviewed is None else reviewed
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO approvals (doc, text, editor, approved_at, checks, reviewed, base, state, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, text, editor, stamp, json.dumps(checks, ensure_ascii=False), reviewed, base, state, reason),
            )
            db.execute("UPDATE docs SET updated=? WHERE id=?", (stamp, doc_id))
        return Approval(int(cursor.lastrowid or 0), doc_id, text, editor, stamp, checks, reviewed, base, state, reason)

    def approve(self, doc_id: str, *, text: str, editor: str, checks: list[dict[str, Any]]) -> Approval:
        """An approval without the rules (imports, tests); editors' approvals go through ``decide``."""
        return self.add_version(doc_id, text=text, editor=editor, checks=checks)

    def approvals(self, doc_id: str | None = None) -> list[Approval]:
        """The approved versions, newest first (a conflict's kept text is not one)."""
        return [a for a in self.history(doc_id) if a.state == "approved"]

    def history(self, doc_id: str | None = None) -> list[Approval]:
        """Every version, approved or kept from a conflict, newest first."""
        query = "SELECT * FROM approvals" + (" WHERE doc = ?" if doc_id else "") + " ORDER BY id DESC"
        with self._lock:
            rows = self._db.execute(query, (doc_id,) if doc_id else ()).fetchall()
        return [_approval(r) for r in rows]

    def latest(self, doc_id: str) -> Approval | None:
        approved = self.approvals(doc_id)
        return approved[0] if approved else None

    def latest_of(self, doc_ids: list[str]) -> dict[str, Approval]:
        """The latest approval of each document that has one (the start page's and batch list's states)."""
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM approvals WHERE state = 'approved' AND doc IN ({marks}) ORDER BY id", doc_ids
            ).fetchall()
        return {r["doc"]: _approval(r) for r in rows}  # later rows win: the latest

    # -- what security.py keeps here: its keys, and the sessions signed out before they expired --

    def secret(self, name: str) -> bytes:
        """A random key made on first use and kept: forms a page carried across a restart still post."""
        if name not in self._secrets:
            with self._tx() as db:
                db.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)", (name, secrets.token_bytes(32)))
                row = db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
            self._secrets[name] = bytes(row["value"])
        return self._secrets[name]

    def revoke_session(self, session_id: str, *, until: int) -> None:
        """Refuse the session from now on; the row is dropped once the session would have expired anyway."""
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO revoked_sessions (id, until) VALUES (?, ?)", (session_id, until))
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            db.execute("DELETE FROM revoked_sessions WHERE until < ?", (int(time.time()),))

    def open_session(self, session_id: str, *, until: int) -> None:
        stamp = int(time.time())
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO sessions (id, seen, until) VALUES (?, ?, ?)", (session_id, stamp, until))
            db.execute("DELETE FROM sessions WHERE until < ?", (stamp,))

    def touch_session(self, session_id: str, *, idle: int, now: int | None = None) -> bool:
        """Whether the session is signed in and was used within ``idle`` seconds; if so, it is used now.
        (Written at most once a minute: a page's requests do not each cost a write.)"""
        stamp = int(time.time()) if now is None else now
        with self._lock:
            row = self._db.execute("SELECT seen, until FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or row["until"] <= stamp or row["seen"] + idle <= stamp:
            return False
        if stamp - row["seen"] >= 60:
            with self._tx() as db:
                db.execute("UPDATE sessions SET seen = ? WHERE id = ?", (stamp, session_id))
        return True

    def session_revoked(self, session_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM revoked_sessions WHERE id = ?", (session_id,)).fetchone()
        return row is not None


def _approval(r: sqlite3.Row) -> Approval:
    reviewed = r["reviewed"] if r["reviewed"] is not None else r["text"]  # approved before versions were kept
    return Approval(r["id"], r["doc"], r["text"], r["editor"], r["approved_at"], json.loads(r["checks"]), reviewed,
                    r["base"], r["state"], r["reason"])  # fmt: skip


def _doc(row: sqlite3.Row) -> Doc:
    return Doc(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        source=row["source"],
        params=json.loads(row["params"]),
        status=row["status"],
        error=row["error"],
        result=json.loads(row["result"]) if row["result"] else None,
        draft=row["draft"],
        draft_checks=json.loads(row["draft_checks"]) if row["draft_checks"] else None,
        created=row["created"],
        updated=row["updated"],
    )

"""The house memory: one SQLite file of approved units, glossary proposals and dismissals.

Where ``Settings.memory_path`` says (``SUMMARIZER_MEMORY``, else ``memory.sqlite`` beside the
cache). WAL, so that a translate run reads while the desk writes; every write is one
``BEGIN IMMEDIATE`` transaction with a long busy timeout, so two editors approving at once both
land (the second waits for the first, it never overwrites it). Units are scoped by language
pair and outlet: ``""`` is the whole house, seen by every outlet; an outlet's own unit wins
over the house's for the same paragraph.

The memory stays on this machine: nothing here is sent anywhere but into the prompts of this
house's own translations.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from ..errors import StoreUnreadable, UsageError
from .align import align, key

__all__ = ["ORIGINS", "HouseMemory", "Unit", "now", "open_memory"]

ORIGINS = ("desk", "cli", "api", "tmx")
T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, outlet TEXT NOT NULL DEFAULT '',
    key TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    approver TEXT NOT NULL DEFAULT '', approved_at TEXT NOT NULL, origin TEXT NOT NULL,
    UNIQUE (source_lang, target_lang, outlet, key)
);
CREATE TABLE IF NOT EXISTS proposals (
    id INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source_form TEXT NOT NULL, target_form TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'proposed', seen INTEGER NOT NULL DEFAULT 1,
    proposed_at TEXT NOT NULL, decided_by TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL DEFAULT '',
    UNIQUE (source_lang, target_lang, source_form, target_form)
);
CREATE TABLE IF NOT EXISTS dismissals (
    id INTEGER PRIMARY KEY,
    check_name TEXT NOT NULL, kind TEXT NOT NULL, expected TEXT NOT NULL DEFAULT '', found TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL, document TEXT NOT NULL DEFAULT '', source_lang TEXT NOT NULL DEFAULT '',
    target_lang TEXT NOT NULL DEFAULT '', outlet TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL, revoked_at TEXT NOT NULL DEFAULT ''
);
"""


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Unit:
    """One approved paragraph and its translation, with who approved it, when, and from where."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    outlet: str = ""  # "": the whole house
    approver: str = ""
    approved_at: str = ""
    origin: str = "cli"

    @classmethod
    def of(cls, row: sqlite3.Row) -> Unit:
        return cls(*(row[name] for name in ("source", "target", "source_lang", "target_lang", "outlet",
                                             "approver", "approved_at", "origin")))  # fmt: skip


class HouseMemory:
    """The store. Thread-safe (the desk's event loop and its worker threads share one)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._views: dict[Any, Any] = {}  # built from the units; dropped when anyone writes
        self._version = -1
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise unreadable(path, exc) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> HouseMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as exc:
                raise unreadable(self.path, exc) from None
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self._views.clear()

    def rows(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(args)).fetchall()
            except sqlite3.DatabaseError as exc:
                raise unreadable(self.path, exc) from None

    # -- units ------------------------------------------------------------------------------

    def add_pair(
        self,
        source: str,
        translation: str,
        *,
        source_lang: str,
        target_lang: str,
        outlet: str = "",
        approver: str = "",
        origin: str = "cli",
        approved_at: str | None = None,
    ) -> list[Unit]:
        """Align an approved pair and store its units (``Misaligned``, and nothing stored, when
        the paragraphs do not pair one to one). A paragraph approved again takes the new translation."""
        if source_lang == target_lang:
            raise UsageError(f"the source is already in {target_lang}: a unit pairs two languages")
        stamp = approved_at or now()
        units = [Unit(p.source, p.target, source_lang, target_lang, outlet, approver, stamp, origin)
                 for p in align(source, translation)]  # fmt: skip
        self.add_units(units)
        return units

    def add_units(self, units: Iterable[Unit]) -> int:
        """Store units in one transaction (an import is all or nothing); returns how many."""
        units = list(units)
        with self.tx() as db:
            db.executemany(
                "INSERT INTO units (source_lang, target_lang, outlet, key, source, target, approver, approved_at,"
                " origin) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (source_lang, target_lang, outlet, key) DO UPDATE"
                " SET source=excluded.source, target=excluded.target, approver=excluded.approver,"
                " approved_at=excluded.approved_at, origin=excluded.origin",
                [(u.source_lang, u.target_lang, u.outlet, key(u.source), u.source, u.target, u.approver,
                  u.approved_at, u.origin) for u in units],  # fmt: skip
            )
        return len(units)

    def units(self, *, source_lang: str | None = None, target_lang: str | None = None) -> list[Unit]:
        where, args = _where(source_lang=source_lang, target_lang=target_lang)
        return [Unit.of(r) for r in self.rows(f"SELECT * FROM units{where} ORDER BY id", args)]

    def scope(self, source_lang: str, target_lang: str, outlet: str = "") -> list[Unit]:
        """The units a translation for ``outlet`` may reuse: the house's, then the outlet's own
        (so that, keyed by paragraph, the outlet's wins)."""
        rows = self.rows(
            "SELECT * FROM units WHERE source_lang=? AND target_lang=? AND outlet IN ('', ?) ORDER BY outlet != '', id",
            (source_lang, target_lang, outlet),
        )
        return [Unit.of(r) for r in rows]

    def view(self, key: Any, build: Callable[[], T]) -> T:
        """``build()``'s value, kept while nobody writes: a batch reads the same scope per job. SQLite's
        ``data_version`` tells this connection when another one (a CLI ``memory add`` beside a
        running desk) has committed."""
        (version,) = self.rows("PRAGMA data_version")[0]
        if version != self._version:
            self._views.clear()
            self._version = version
        if key not in self._views:
            self._views[key] = build()
        value: T = self._views[key]
        return value

    def stats(self) -> dict[str, Any]:
        """What the memory holds, for ``memory stats``."""
        pairs = self.rows(
            "SELECT source_lang, target_lang, outlet, COUNT(*) AS n, MAX(approved_at) AS last FROM units"
            " GROUP BY source_lang, target_lang, outlet ORDER BY source_lang, target_lang, outlet"
        )
        proposals = dict(self.rows("SELECT status, COUNT(*) FROM proposals GROUP BY status"))  # type: ignore[arg-type]
        (dismissed,) = self.rows("SELECT COUNT(*) FROM dismissals WHERE revoked_at = ''")[0]
        return {
            "path": str(self.path),
            "units": sum(r["n"] for r in pairs),
            "pairs": [{"source_lang": r["source_lang"], "target_lang": r["target_lang"], "outlet": r["outlet"],
                       "units": r["n"], "last_approved": r["last"]} for r in pairs],  # fmt: skip
            "glossary": {status: proposals.get(status, 0) for status in ("proposed", "accepted", "rejected")},
            "dismissals": dismissed,
        }


def _where(**wanted: str | None) -> tuple[str, list[str]]:
    given = {k: v for k, v in wanted.items() if v}
    if not given:
        return "", []
    return " WHERE " + " AND ".join(f"{k}=?" for k in given), list(given.values())


def unreadable(path: Path, exc: Exception) -> StoreUnreadable:
    return StoreUnreadable(
        f"house memory {path} cannot be read ({exc}); move it aside or point SUMMARIZER_MEMORY at another file"
    )


def open_memory(path: Path, *, create: bool = True) -> HouseMemory | None:
    """The memory at ``path``; None when it does not exist and ``create`` is false (a translate
    run in a house that has approved nothing yet creates no file)."""
    if not create and not path.exists():
        return None
    if path.is_dir():
        raise StoreUnreadable(f"house memory {path} is a directory; point SUMMARIZER_MEMORY at a file")
    return HouseMemory(path)

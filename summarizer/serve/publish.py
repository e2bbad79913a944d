"""Publish on approval: the approved item to the CMS as ninjs, signed per Standard Webhooks.

    POST /api/approve {doc, editor, text?}   approve through the API, with the page's rules
    GET  /api/outbox, GET /outbox            what was sent, what waits, and why

``SUMMARIZER_PUBLISH_URL`` (or ``serve --publish-url``) and ``SUMMARIZER_PUBLISH_SECRET`` (the
Standard Webhooks ``whsec_`` base64 form) turn it on. An approval becomes one row of a durable
outbox (``outbox.sqlite`` beside the desk's store) before anything is sent; a background task
POSTs each due row with ``webhook-id`` (the row's id, one per approval: the receiver's key to
deduplicate), ``webhook-timestamp`` (the attempt's time) and ``webhook-signature`` (``v1,`` and
the HMAC-SHA256 of ``id.timestamp.body``, by ``standardwebhooks``), until the CMS answers 2xx.
Failures wait 2, 4, 8 ... seconds (at most an hour) and are kept across restarts; a row is marked
sent only after a 2xx, so a crash between the answer and the mark sends it once more with the
same id, which the receiver drops. The secret is never logged, stored or shown.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import json
import sqlite3
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import UsageError
from ..output.ninjs import Output, item_of
from ..output.tasks import CHECK_KINDS
from ..text.articles import Article, article_files, load_article, parse_article
from ..text.provenance import parse_provenance, without_header
from ..text.translit import to_latin
from .api import read_json
from .desk import Desk, DeskError
from .store import Approval, Doc, Store

__all__ = ["Outbox", "PublishTarget", "approved", "publishing", "routes"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY, doc TEXT NOT NULL, approval INTEGER NOT NULL, body TEXT NOT NULL,
    created REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL,
    sent_at REAL, status INTEGER, error TEXT NOT NULL DEFAULT ''
);
"""


@dataclass(frozen=True)
class PublishTarget:
    url: str
    secret: str = field(repr=False)
    backoff: float = 2.0  # seconds before the second attempt; doubles after each failure
    max_wait: float = 3600.0
    timeout: float = 10.0

    def __post_init__(self) -> None:
        if urlsplit(self.url).scheme not in ("http", "https") or not urlsplit(self.url).hostname:
            raise UsageError(f"the publish URL must be http(s)://host/...; got {self.url!r}")
        if not self.secret.startswith("whsec_"):
            raise UsageError("SUMMARIZER_PUBLISH_SECRET must be a Standard Webhooks secret: whsec_ then base64")
        try:
            base64.b64decode(self.secret.removeprefix("whsec_"), validate=True)
        except binascii.Error:
            raise UsageError("SUMMARIZER_PUBLISH_SECRET is not valid base64 after whsec_") from None


class Outbox:
    """The durable queue: a row per approval, kept until the CMS took it (and after, as a record)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def add(self, message_id: str, *, doc: str, approval: int, body: str) -> bool:
        """Queue ``body`` once: an id already queued is not queued again (False)."""
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO outbox (id, doc, approval, body, created, next_at) VALUES (?, ?, ?, ?, ?, ?)",
                (message_id, doc, approval, body, time.time(), time.time()),
            )
        return cursor.rowcount == 1

    def due(self, now: float) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(
                "SELECT * FROM outbox WHERE sent_at IS NULL AND next_at <= ? ORDER BY created", (now,)
            ).fetchall()

    def next_due(self) -> float | None:
        with self._lock:
            row = self._db.execute("SELECT MIN(next_at) FROM outbox WHERE sent_at IS NULL").fetchone()
        return row[0]

    def mark(self, message_id: str, *, status: int | None, error: str, next_at: float | None) -> None:
        """One attempt's outcome: sent (``next_at`` None), or when to try again."""
        with self._lock, self._db:
            if next_at is None:
                self._db.execute("UPDATE outbox SET attempts = attempts + 1, sent_at = ?, status = ?, error = '' "
                                 "WHERE id = ?", (time.time(), status, message_id))  # fmt: skip
            else:
                self._db.execute("UPDATE outbox SET attempts = attempts + 1, next_at = ?, status = ?, error = ? "
                                 "WHERE id = ?", (next_at, status, error, message_id))  # fmt: skip

    def rows(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._lock:
            found = self._db.execute("SELECT * FROM outbox ORDER BY created DESC LIMIT ?", (limit,)).fetchall()
        return [
            {
                "id": r["id"],
                "doc": r["doc"],
                "approval": r["approval"],
                "state": "sent" if r["sent_at"] else "waiting",
                "attempts": r["attempts"],
                "status": r["status"],
                "error": r["error"],
                "created": _iso(r["created"]),
                "sent_at": _iso(r["sent_at"]) if r["sent_at"] else None,
                "next_attempt": None if r["sent_at"] else _iso(r["next_at"]),
            }
            for r in found
        ]


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


@dataclass
class Publisher:
    target: PublishTarget
    outbox: Outbox
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    stopping: bool = False

    async def run(self) -> None:
        while not self.stopping:
            for row in self.outbox.due(time.time()):
                if self.stopping:
                    return
                await asyncio.to_thread(self._attempt, row)
            upcoming = self.outbox.next_due()
            pause = 5.0 if upcoming is None else min(5.0, max(0.0, upcoming - time.time()))
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=pause or 0.01)

    def _attempt(self, row: sqlite3.Row) -> None:
        from standardwebhooks import Webhook

        moment = datetime.now(UTC)
        signature = Webhook(self.target.secret).sign(row["id"], moment, row["body"])
        request = urllib.request.Request(self.target.url, data=row["body"].encode("utf-8"), method="POST", headers={
            "Content-Type": "application/json",
            "User-Agent": "summarizer-desk",
            "webhook-id": row["id"],
            "webhook-timestamp": str(int(moment.timestamp())),
            "webhook-signature": signature,
        })  # fmt: skip
        status: int | None = None
        try:
            with urllib.request.urlopen(request, timeout=self.target.timeout) as answer:
                status = answer.status
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            error = str(getattr(exc, "reason", exc)) or type(exc).__name__
        if status is not None and 200 <= status < 300:
            self.outbox.mark(row["id"], status=status, error="", next_at=None)
            return
        wait = min(self.target.max_wait, self.target.backoff * 2 ** row["attempts"])
        self.outbox.mark(row["id"], status=status, error=error, next_at=time.time() + wait)


@contextlib.asynccontextmanager
async def publishing(app: Any, target: PublishTarget | None, folder: Path) -> AsyncIterator[None]:
    """While the desk runs: the outbox open and its sender working (nothing when ``target`` is None)."""
    if target is None:
        app.state.publisher = None
        yield
        return
    publisher = Publisher(target, Outbox(folder / "outbox.sqlite"))
    app.state.publisher = publisher
    sender = asyncio.create_task(publisher.run())
    try:
        yield
    finally:
        # Let an attempt under way finish and record its answer (a POST cut off midway could have
        # been taken by the CMS); only one that outlives its own timeout is cancelled.
        publisher.stopping = True
        publisher.wake.set()
        try:
            await asyncio.wait_for(sender, timeout=target.timeout + 1)
        except (TimeoutError, asyncio.CancelledError):
            pass
        publisher.outbox.close()


def approved(request: Request, doc: Doc, approval: Approval) -> bool:
    """The page's and the API's one hook: queue the approved item for the CMS, if publishing is on."""
    publisher: Publisher | None = getattr(request.app.state, "publisher", None)
    if publisher is None or doc.kind not in CHECK_KINDS:
        return False
    desk: Desk = request.app.state.desk
    body = json.dumps(_item(doc, approval, desk), ensure_ascii=False)
    key = hashlib.sha256(f"{doc.id}\0{approval.id}\0{approval.approved_at}".encode()).hexdigest()[:24]
    queued = publisher.outbox.add(f"msg_{key}", doc=doc.id, approval=approval.id, body=body)
    publisher.wake.set()
    return queued


def _pulled_source(desk: Desk, source: str) -> Article | None:
    """The inbox's pulled item a translation was made from: a translation document keeps its
    source without the wire header (links and GUIDs are not copy), and the CMS needs its GUID."""
    if desk.inbox is None or not desk.inbox.is_dir():
        return None
    for path in article_files(desk.inbox):
        try:
            text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8").replace("\r\n", "\n")).strip()
        except (OSError, UnicodeDecodeError):
            continue
        if parse_provenance(text)[0] is not None and without_header(text).strip() == source.strip():
            return load_article(path, agencies=desk.settings.agencies)
    return None


def _item(doc: Doc, approval: Approval, desk: Desk) -> dict[str, Any]:
    article = (_pulled_source(desk, doc.source) if doc.kind == "translation" else None) or parse_article(
        doc.source.encode("utf-8"), name=doc.id, agencies=desk.settings.agencies
    )
    result, params = doc.result or {}, doc.params
    checks = tuple((str(c.get("name")), bool(c.get("passed")),
                    any(f.get("severity") == "warning" for f in c.get("findings") or ())) for c in approval.checks)  # fmt: skip
    out = Output(
        task=str(params.get("task") or ("translate" if doc.kind == "translation" else "summary")),
        kind=doc.kind,
        article=article,
        text=approval.text,
        lang=str(params.get("lang") or params.get("to") or "en"),
        model=str(result.get("model") or "unknown"),
        backend=str(result.get("backend") or "unknown"),
        checks=checks,
        script=str(params.get("script") or "cyrl"),
        approved=f"by {approval.editor} at {approval.approved_at}",
    )
    return item_of(out)


async def api_approve(request: Request) -> Response:
    """``{doc, editor, text?, base?, reason?}``: the page's approval for a CMS script, by the same
    rules (``approval.decide``): the same checks, the same conflicts, the same publishing and house
    memory. ``text`` defaults to the document's current draft; ``base`` is the id of the approved
    version the script last saw (0 or absent: none), so approving over a newer approval is a 409
    that keeps both texts; failing checks need a ``reason`` (409 until one is given)."""
    from . import house
    from .approval import Conflict, NeedsReason, Refused, decide

    data = await read_json(request)
    store: Store = request.app.state.store
    desk: Desk = request.app.state.desk
    doc = store.get(str(data.get("doc") or ""))
    if doc is None:
        raise DeskError(404, "no such document on this desk")
    if doc.kind not in CHECK_KINDS or doc.status != "done":
        raise DeskError(400, f"a {doc.kind} that is {doc.status} cannot be approved")
    for name in ("text", "editor", "reason"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise DeskError(400, f"{name} must be a string")
    base = data.get("base", 0)
    if isinstance(base, bool) or not isinstance(base, int) or base < 0:
        raise DeskError(400, '"base" is the id of the approved version you last saw, or 0 for none')
    text = (data["text"] if isinstance(data.get("text"), str) else doc.output)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    checks = await desk.recheck(doc, text)
    store.save_draft(doc.id, text, checks)
    published = to_latin(text) if doc.params.get("script") == "latn" else text
    decision = decide(store, doc, text=text, published=published, editor=str(data.get("editor") or ""),
                      checks=checks, base=base, reason=str(data.get("reason") or ""))  # fmt: skip
    if isinstance(decision, Refused):
        raise DeskError(400, decision.message)
    if isinstance(decision, Conflict):
        return JSONResponse({"error": "another text was approved since your base version; both are kept",
                             "theirs": decision.theirs.to_json(), "mine": decision.mine.to_json()},
                            status_code=409)  # fmt: skip
    if isinstance(decision, NeedsReason):
        return JSONResponse({"error": "checks fail with errors: approve again with a \"reason\"",
                             "failed": decision.failed}, status_code=409)  # fmt: skip
    queued = approved(request, doc, decision.approval)
    house.approved(desk, doc, text, decision.approval.editor)  # the house memory learns it, as from the page
    return JSONResponse({"approval": decision.approval.to_json(), "published": "queued" if queued else "off"})


async def api_outbox(request: Request) -> Response:
    publisher: Publisher | None = getattr(request.app.state, "publisher", None)
    return JSONResponse({"publishing": publisher is not None, "items": publisher.outbox.rows() if publisher else []})


routes = [
    Route("/api/approve", api_approve, methods=["POST"]),
    Route("/api/outbox", api_outbox, methods=["GET"]),
]

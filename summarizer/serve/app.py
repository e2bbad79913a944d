"""The desk as an ASGI application (Starlette), and ``run`` to serve it with uvicorn.

``create_app`` wires the pieces: the JSON API (``api.py``), the editors' pages (``pages.py``,
``boards.py``), the static files, and ``GuardMiddleware`` (``security.py``: Host, origin, sign-in)
in front of them all.
The model client is opened when the server starts and closed when it stops (the lifespan), so a
test client and uvicorn run the same life cycle. Nothing here is imported unless ``summarizer
serve`` runs: the web stack is the ``[serve]`` extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import Settings
from ..errors import SummarizerError
from ..redact import redact
from ..render import html_env
from ..wire.pull import FeedConfig
from . import api, boards, judge, live, memory_pages, pages, publish
from . import inbox as wire_inbox
from .desk import DEFAULT_QUEUE, Desk, DeskError, one_line, status_for
from .security import Guard, GuardMiddleware, desk_hosts, error_response
from .store import Store

__all__ = ["create_app", "run"]

HERE = Path(__file__).parent
log = logging.getLogger("summarizer.serve")
access = logging.getLogger("summarizer.serve.access")


def templates() -> jinja2.Environment:
    env = html_env(HERE / "templates")  # the desk's own folder, under the one HTML rule
    env.filters["when"] = pages.when
    return env


def create_app(
    settings: Settings,
    *,
    token: str | None = None,
    inbox: Path | None = None,
    reports: Path | None = None,
    glossary_csv: str = "",
    queue: int = DEFAULT_QUEUE,
    host: str = "127.0.0.1",
    hosts: frozenset[str] = frozenset(),
    publish_to: publish.PublishTarget | None = None,
    feeds: Sequence[FeedConfig] = (),
    pull_every: float = 600.0,
) -> Starlette:
    """``host`` is the address the desk listens on; ``hosts`` the names it answers to behind a
    reverse proxy (``SUMMARIZER_SERVE_HOSTS``): every other ``Host`` header is refused."""
    desk = Desk(settings, inbox=inbox, reports=reports, glossary_csv=glossary_csv, queue=queue)
    guard = Guard(token=token, secret=settings.api_key, hosts=desk_hosts(host), proxied=hosts)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.store = Store(settings.cache_dir / "desk.sqlite")
        desk.open()
        try:
            async with publish.publishing(app, publish_to, settings.cache_dir):  # the CMS's outbox
                async with wire_inbox.pulling(app, feeds, pull_every, inbox):  # --feeds into --inbox
                    yield
        finally:
            # Runs still waiting on the model when the server stops are cancelled and awaited
            # here, before the model client closes under them; the store marks them interrupted
            # at the next start, so an editor sees "run it again", not a page stuck on "running".
            pending = [task for task in app.state.tasks if not task.done()]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            await desk.close()
            app.state.store.close()

    async def failure(request: Request, exc: Exception) -> Response:
        line = one_line(exc, settings.api_key)
        log.warning("%s %s: %s", request.method, request.url.path, line)
        response = error_response(request.url.path, status_for(exc), line)
        if getattr(exc, "retry_after", None):  # a full queue says when to come back (desk.py)
            response.headers["Retry-After"] = str(exc.retry_after)  # type: ignore[attr-defined]
        return response

    async def not_routed(request: Request, exc: Exception) -> Response:
        """Starlette's own 404 and 405, in the desk's shapes: JSON under /api, a page elsewhere."""
        assert isinstance(exc, HTTPException)
        line = {404: "no such page on this desk", 405: f"{request.method} is not allowed here"}.get(
            exc.status_code, str(exc.detail)
        )
        response = error_response(request.url.path, exc.status_code, line)
        response.headers.update(exc.headers or {})  # 405 keeps its Allow
        return response

    app = Starlette(
        routes=[
            *api.routes,
            *pages.routes,
            *boards.routes,
            *judge.routes,
            *publish.routes,
            *memory_pages.routes,
            *live.routes,
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[Middleware(AccessLog), Middleware(GuardMiddleware, guard=guard)],
        exception_handlers={DeskError: failure, SummarizerError: failure, HTTPException: not_routed},
        lifespan=lifespan,
    )
    app.state.desk = desk
    app.state.guard = guard
    app.state.templates = templates()
    app.state.tasks = set()  # background runs started by the pages; kept so they are not collected
    return app


class AccessLog:
    """One line per request, the desk's own: method, path (never the query string, where a token
    or an article's words may ride), status and time taken. Uvicorn's access log is off."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def watch(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            took = (time.perf_counter() - started) * 1000
            access.info("%s %s %d %.0f ms", scope.get("method", "?"), scope.get("path", "?"), status, took)


class _Redacting(logging.Filter):
    """Belt and braces: no log line of the server carries the key or the desk's token, whoever wrote it."""

    def __init__(self, *secrets: str | None) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = redact(text, secret)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            # Each argument redacted in place, not the line formatted here: a formatter may take
            # its arguments apart, and an empty tuple broke every access line once.
            record.msg = self._redact(str(record.msg))
            record.args = tuple(self._clean(a) for a in record.args)
        else:
            record.msg = self._redact(record.getMessage())
            record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            # A traceback's text is formatted later, from the exception: redact its message now.
            record.exc_text = self._redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True

    def _clean(self, arg: object) -> object:
        return arg if isinstance(arg, int | float | None) else self._redact(str(arg))


def run(
    app: Starlette, *, host: str, port: int, secret: str | None, token: str | None = None, debug: bool = False
) -> None:
    import uvicorn

    config: dict[str, Any] = {"host": host, "port": port, "log_level": "debug" if debug else "info",
                              "access_log": False}  # fmt: skip
    server = uvicorn.Server(uvicorn.Config(app, **config))
    lines = logging.StreamHandler(sys.stdout)
    lines.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    access.addHandler(lines)
    access.setLevel(logging.INFO)
    access.propagate = False
    # On every handler a line can leave by (uvicorn's own, the CLI's on the root, the access log's):
    # a logger's filter would miss the records its children pass up.
    redacting = _Redacting(secret, token)
    loggers = [logging.getLogger(n) for n in ("", "uvicorn", "uvicorn.error", "uvicorn.access", "summarizer.serve")]
    for handler in {h for logger in loggers for h in logger.handlers} | {lines}:
        handler.addFilter(redacting)
    server.run()

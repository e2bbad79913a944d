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
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..config import Settings
from ..errors import SummarizerError
from ..redact import redact
from ..render import html_env
from . import api, boards, judge, live, pages
from .desk import Desk, DeskError, one_line, status_for
from .security import Guard, GuardMiddleware, desk_hosts, error_response
from .store import Store

__all__ = ["create_app", "run"]

HERE = Path(__file__).parent
log = logging.getLogger("summarizer.serve")


def templates() -> jinja2.Environment:
    return html_env(HERE / "templates")  # the desk's own folder, under the one HTML rule


def create_app(
    settings: Settings,
    *,
    token: str | None = None,
    inbox: Path | None = None,
    reports: Path | None = None,
    glossary_csv: str = "",
    host: str = "127.0.0.1",
    hosts: frozenset[str] = frozenset(),
) -> Starlette:
    """``host`` is the address the desk listens on; ``hosts`` the names it answers to behind a
    reverse proxy (``SUMMARIZER_SERVE_HOSTS``): every other ``Host`` header is refused."""
    desk = Desk(settings, inbox=inbox, reports=reports, glossary_csv=glossary_csv)
    guard = Guard(token=token, secret=settings.api_key, hosts=desk_hosts(host), proxied=hosts)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.store = Store(settings.cache_dir / "desk.sqlite")
        desk.open()
        try:
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
        return error_response(request.url.path, status_for(exc), line)

    app = Starlette(
        routes=[
            *api.routes,
            *pages.routes,
            *boards.routes,
            *judge.routes,
            *live.routes,
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[Middleware(GuardMiddleware, guard=guard)],
        exception_handlers={DeskError: failure, SummarizerError: failure},
        lifespan=lifespan,
    )
    app.state.desk = desk
    app.state.guard = guard
    app.state.templates = templates()
    app.state.tasks = set()  # background runs started by the pages; kept so they are not collected
    return app


class _Redacting(logging.Filter):
    """Belt and braces: no log line of the server carries the key, whoever wrote it."""

    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            # Each argument redacted in place, not the line formatted here: uvicorn's access
            # formatter takes its five arguments apart, and an empty tuple broke every access line.
            record.msg = redact(str(record.msg), self.secret)
            record.args = tuple(self._clean(a) for a in record.args)
        else:
            record.msg = redact(record.getMessage(), self.secret)
            record.args = ()
        return True

    def _clean(self, arg: object) -> object:
        return arg if isinstance(arg, int | float | None) else redact(str(arg), self.secret)


def run(app: Starlette, *, host: str, port: int, secret: str | None, debug: bool = False) -> None:
    import uvicorn

    config: dict[str, Any] = {"host": host, "port": port, "log_level": "debug" if debug else "info"}
    server = uvicorn.Server(uvicorn.Config(app, **config))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "summarizer.serve"):
        logging.getLogger(name).addFilter(_Redacting(secret))
    server.run()

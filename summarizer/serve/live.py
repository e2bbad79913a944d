"""Runs as they happen: the waiting page's progress and text, Cancel, and the API's streamed answers.

    GET  /doc/{id}/events      server-sent events: {elapsed, doing, tokens, text, status} as the
                               model writes, then ``event: end`` once the run is over
    POST /doc/{id}/cancel      stop the run: the model request is closed, the document marked
                               cancelled (the form carries the CSRF token like every other)
    POST /api/<task> {"stream": true, ...}
                               OpenAI-style chunks (``data: {"object": "chat.completion.chunk",
                               ...}``) as the model writes, then ``data: {"object":
                               "summarizer.result", "result": {...}}`` with the whole result and its
                               checks (or ``{"error": ...}``), then ``data: [DONE]``

A ``Run`` is the step driver's listener (``llm.chat.Listener``) for one document: the parts of a
long summary show as what the model is doing, the text that will be the result as it comes (a
re-asked translation part starts again). The page without JavaScript reloads itself and shows the
same ``Run`` rendered by the server; ``static/desk.js`` follows the events instead.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from .desk import Desk, DeskError, one_line, status_for
from .security import check_csrf
from .store import Store

if TYPE_CHECKING:
    from ..llm.chat import ChatRequest
    from ..output.tasks import TaskParams, TaskSpec
    from ..text.articles import Article

__all__ = ["Run", "Runs", "attach", "routes", "runs_of", "snapshot", "stream_answer", "wants_stream"]

_PART = re.compile(r"part (\d+)")
_TICK = 1.0  # seconds between two events when the model is quiet: the elapsed time moves on


@dataclass
class Run:
    """One document's run while it lasts: what the model is doing, and the text so far."""

    doc: str
    started: float = field(default_factory=time.monotonic)
    task: str = ""
    tokens: int = 0
    parts: list[str] = field(default_factory=list)  # the visible text, per answer
    doing: str = "waiting for the model"
    over: bool = False
    handle: asyncio.Task[Any] | None = None
    version: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def on_text(self, request: ChatRequest, delta: str) -> None:
        if request.task != self.task:
            self._begin(request.task)
        self.tokens += 1
        if _visible(request.task):
            self.parts[-1] += delta
        self._touch()

    def _begin(self, task: str) -> None:
        retry = task.endswith(" retry")
        part = _PART.search(task)
        where = f"part {part.group(1)} of the article" if part else "the article"
        if task.startswith("summarise combine"):
            self.doing = "combining the parts' summaries"
        elif task.startswith("summarise part"):
            self.doing = f"summarising {where}"
        elif retry:
            self.doing = f"{where}: the checks failed, asking the model again"
        else:
            self.doing = f"writing {where}" if part else "writing"
        if _visible(task):
            if retry and self.parts:
                self.parts[-1] = ""  # the new attempt replaces the one that failed
            else:
                self.parts.append("")
        self.task = task

    def _touch(self) -> None:
        self.version += 1
        self._changed.set()

    def end(self) -> None:
        self.over = True
        self._touch()

    @property
    def text(self) -> str:
        return "\n\n".join(p.strip() for p in self.parts if p.strip())

    def snapshot(self, waiting: int = 0) -> dict[str, Any]:
        doing = self.doing
        if not self.tokens and waiting:
            doing = f"waiting for the embedded model: {waiting} request(s) in the queue; it answers one at a time"
        return {"elapsed": round(time.monotonic() - self.started, 1), "doing": doing, "tokens": self.tokens,
                "text": self.text, "over": self.over}  # fmt: skip

    async def changes(self) -> AsyncIterator[None]:
        """Yields on every change, and every ``_TICK`` seconds without one, until the run is over."""
        while True:
            self._changed.clear()
            yield
            if self.over:
                return
            try:
                await asyncio.wait_for(self._changed.wait(), _TICK)
            except TimeoutError:
                pass


def _visible(task: str) -> bool:
    # The parts of a long summary are the model's notes; its combine step is the summary.
    return not task.startswith("summarise part") and not task.startswith("summarise combine level")


class Runs:
    """The runs in progress, by document (kept a while after they end, for a late event stream)."""

    def __init__(self) -> None:
        self._runs: dict[str, Run] = {}

    def begin(self, doc: str) -> Run:
        self._runs = {k: r for k, r in self._runs.items() if not r.over or time.monotonic() - r.started < 3600}
        run = self._runs[doc] = Run(doc)
        return run

    def get(self, doc: str) -> Run | None:
        return self._runs.get(doc)


def runs_of(request: Request) -> Runs:
    runs: Runs | None = getattr(request.app.state, "runs", None)
    if runs is None:
        runs = request.app.state.runs = Runs()
    return runs


# -- the waiting page's routes ---------------------------------------------------------------------


async def events(request: Request) -> Response:
    run = runs_of(request).get(request.path_params["doc"])
    desk: Desk = request.app.state.desk

    async def stream() -> AsyncIterator[bytes]:
        if run is None:  # over before this server started, or never ran here: the page reloads
            yield b"event: end\ndata: {}\n\n"
            return
        async for _ in run.changes():
            yield b"data: " + json.dumps(run.snapshot(desk.waiting), ensure_ascii=False).encode() + b"\n\n"
        yield b"event: end\ndata: {}\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


async def cancel(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=4)
    check_csrf(request, form.get("csrf"))  # as on every form
    doc = request.path_params["doc"]
    run = runs_of(request).get(doc)
    if run is not None and not run.over and run.handle is not None:
        seconds = time.monotonic() - run.started
        store: Store = request.app.state.store
        store.set_status(doc, "cancelled", error=f"stopped by the editor after {seconds:.0f} s")
        run.handle.cancel()  # closes the model's request: the embedded model stops generating
        run.end()
    return RedirectResponse(f"/doc/{doc}", status_code=303)


def attach(request: Request, doc: str, run: Run, handle: asyncio.Task[Any]) -> None:
    """The background task of ``run`` (pages.start), so that Cancel can stop it."""
    run.handle = handle
    handle.add_done_callback(lambda _: run.end())


# -- the API's streamed answers ------------------------------------------------------------------------


def stream_answer(desk: Desk, spec: TaskSpec, article: Article, params: TaskParams) -> Response:
    """``"stream": true`` on a task's API route: the text as OpenAI-style chunks, then the result."""
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()
    model = desk.llm.model if desk.llm is not None else ""
    created = int(time.time())

    class Chunks:
        def on_text(self, request: ChatRequest, delta: str) -> None:
            chunk = {"id": f"summarizer-{created}", "object": "chat.completion.chunk", "created": created,
                     "model": model, "choices": [{"index": 0, "delta": {"content": delta}, "finish_reason": None}],
                     "summarizer": {"request": request.task}}  # fmt: skip
            queue.put_nowait(_event(chunk))

    async def work() -> None:
        try:
            out = await desk.run(spec, article, params, listener=Chunks())
            queue.put_nowait(_event({"object": "summarizer.result", "result": out.model_dump(mode="json")}))
        except Exception as exc:  # noqa: BLE001 - the stream's last event says what failed, in one line
            error = {"message": one_line(exc, desk.settings.api_key), "status": status_for(exc)}
            queue.put_nowait(_event({"error": error}))
        finally:
            queue.put_nowait(None)

    async def body() -> AsyncIterator[bytes]:
        task = asyncio.create_task(work())
        try:
            while (item := await queue.get()) is not None:
                yield item
            yield b"data: [DONE]\n\n"
        finally:
            if not task.done():  # the client went away: stop the model
                task.cancel()

    return StreamingResponse(body(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def _event(data: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n"


def wants_stream(data: dict[str, Any]) -> bool:
    stream = data.get("stream", False)
    if not isinstance(stream, bool):
        raise DeskError(400, '"stream" is true or false')
    if stream and data.get("review"):
        raise DeskError(400, '"review" is not streamed: ask without "stream", or without "review"')
    return stream


def snapshot(request: Request, doc: str) -> dict[str, Any] | None:
    """What the waiting page shows without JavaScript (it reloads itself), as the events say it."""
    run = runs_of(request).get(doc)
    return run.snapshot(request.app.state.desk.waiting) if run is not None else None


routes = [
    Route("/doc/{doc}/events", events, methods=["GET"]),
    Route("/doc/{doc}/cancel", cancel, methods=["POST"]),
]

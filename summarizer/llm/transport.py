"""The embedded model behind an OpenAI-shaped HTTP transport: the SDK talks to it as to a server.

No port and no subprocess: the SDK's ``http_client`` gets a transport whose requests are answered
by ``LocalModel.chat`` in this process, so retries, the cache, error messages and parsing are the
very code that serves OpenAI.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx2

from ..errors import LocalModelUnavailable
from .stream import Pieces

if TYPE_CHECKING:
    from .local import LocalModel

__all__ = ["AsyncLlamaTransport", "LlamaTransport"]


class LlamaTransport(httpx2.BaseTransport):
    """Serves the OpenAI chat API from a ``LocalModel``, in-process."""

    def __init__(self, model: LocalModel) -> None:
        self.model = model

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.rstrip("/")
        if request.method == "GET" and path.endswith("/models"):
            return httpx2.Response(200, json={"object": "list", "data": [{"id": self.model.name, "object": "model"}]})
        if request.method != "POST" or not path.endswith("/chat/completions"):
            return _error(404, f"the embedded model does not serve {request.method} {path}")
        try:
            body = json.loads(request.read())
        except json.JSONDecodeError as exc:
            return _error(400, f"request body is not JSON: {exc}")
        if body.get("stream"):
            # Errors before the first token (no model file, a prompt over the context) are raised
            # by llama.cpp on the first piece: take it here, so they still become a 404 or a 400.
            pieces = Pieces(self.model.chat_stream(body))
            try:
                first = pieces.next_or_none()
            except LocalModelUnavailable as exc:
                return _error(404, str(exc))
            except ValueError as exc:
                return _error(400, str(exc))
            return httpx2.Response(200, headers=_SSE, stream=_Events(first, pieces))
        try:
            return httpx2.Response(200, json=self.model.chat(body))
        except LocalModelUnavailable as exc:
            # 404 maps to "model not found" in the client; the message says what to install.
            return _error(404, str(exc))
        except ValueError as exc:
            # llama.cpp raises ValueError for a prompt longer than the context window.
            return _error(400, str(exc))


_SSE = {"content-type": "text/event-stream"}


class _Events(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """The embedded model's answer as it is generated; closing it stops the model.

    Under the async client each piece is made in a worker thread, so the event loop stays free
    while the model thinks; a cancelled run's ``aclose`` waits for the token being made, then stops.
    """

    def __init__(self, first: bytes | None, pieces: Pieces) -> None:
        self._first = first
        self._pieces = pieces

    def __iter__(self) -> Iterator[bytes]:
        if self._first is not None:
            yield self._first
        yield from self._pieces

    def close(self) -> None:
        self._pieces.close()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._first is not None:
            yield self._first
        while (piece := await asyncio.to_thread(self._pieces.next_or_none)) is not None:
            yield piece

    async def aclose(self) -> None:
        await asyncio.shield(asyncio.to_thread(self._pieces.close))


def _error(status: int, message: str) -> httpx2.Response:
    return httpx2.Response(status, json={"error": {"message": message, "type": "embedded_model_error"}})


class AsyncLlamaTransport(httpx2.AsyncBaseTransport):
    """The same, for the SDK's async client: generation runs in a worker thread so the event
    loop stays free (requests still take turns on the one llama context)."""

    def __init__(self, model: LocalModel) -> None:
        self._sync = LlamaTransport(model)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        answer = asyncio.ensure_future(asyncio.to_thread(self._sync.handle_request, request))
        try:
            return await asyncio.shield(answer)
        except asyncio.CancelledError:
            # Cancelled while the model read the prompt (a run stopped from the desk): the thread
            # cannot be stopped, but the stream it returns is closed at once, freeing the model.
            answer.add_done_callback(_close_unclaimed)
            raise


def _close_unclaimed(answer: asyncio.Future[httpx2.Response]) -> None:
    if not answer.cancelled() and answer.exception() is None:
        answer.result().close()

"""Drive the desk in-process: an ASGI client (httpx2's ASGITransport) on an event loop of its own.

The loop runs in a thread for the whole test, as uvicorn's would: the desk's lifespan (the model
client, the store) and the background runs its pages start live on it between requests. Also
``served``: the same app under a real uvicorn on a loopback port, for the browser.

The client talks to the desk as a browser on the desk's own page would: ``Host: 127.0.0.1:8000``,
and on a POST ``Origin`` and ``Sec-Fetch-Site: same-origin``; ``browser=False`` is a script (a
CMS), which sends neither.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2

BASE_URL = "http://127.0.0.1:8000"
_BROWSER_POST = {"Origin": BASE_URL, "Sec-Fetch-Site": "same-origin"}


class DeskClient:
    def __init__(
        self, app: Any, *, headers: dict[str, str] | None = None, client: tuple[str, int] = ("127.0.0.1", 123)
    ) -> None:
        self.app = app
        self.peer = client  # the address the desk sees the request come from
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.headers = headers or {}

    def _call(self, coro: Any, timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __enter__(self) -> DeskClient:
        self.thread.start()
        self._lifespan = self.app.router.lifespan_context(self.app)
        self._call(self._lifespan.__aenter__())

        async def make() -> httpx2.AsyncClient:
            return httpx2.AsyncClient(
                transport=httpx2.ASGITransport(app=self.app, client=self.peer), base_url=BASE_URL, headers=self.headers
            )

        self.client = self._call(make())
        return self

    def __exit__(self, *exc: object) -> None:
        self._call(self.client.aclose())
        self._call(self._lifespan.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def request(self, method: str, url: str, *, browser: bool = True, **kwargs: Any) -> httpx2.Response:
        if browser and method not in ("GET", "HEAD"):
            kwargs["headers"] = {**_BROWSER_POST, **(kwargs.get("headers") or {})}
        return self._call(self.client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.request("POST", url, **kwargs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1 in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)

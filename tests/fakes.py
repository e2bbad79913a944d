"""Test doubles for the model: a loopback OpenAI-compatible server and a mock transport.

``FakeOpenAI`` is a real HTTP server on 127.0.0.1 (random port), so tests drive the real SDK,
the real retries and the real CLI in a subprocess. Each request takes the next scripted
``Reply``; when the script runs out it answers with ``default``. Every request is recorded
(path, headers, JSON body) so a test can count calls and inspect what was sent.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2


@dataclass
class Reply:
    content: str = "A summary."
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    delay: float = 0.0
    body: bytes | None = None  # raw body overrides the chat completion JSON
    reset: bool = False  # close the connection without answering
    truncate: bool = False  # promise the whole body, send half of it, hang up

    def payload(self, model: str) -> bytes:
        if self.body is not None:
            return self.body
        if self.status != 200:
            return json.dumps({"error": {"message": self.content, "type": "fake_error"}}).encode()
        return json.dumps(completion(self.content, model=model, finish_reason=self.finish_reason)).encode()


def completion(content: str, *, model: str = "fake-model", finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is part of the test, not news on stderr.
        pass


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeOpenAI:
    def __init__(self, default: Reply | Callable[[dict[str, Any]], Reply] | None = None) -> None:
        self.script: list[Reply] = []
        self.default = default or Reply()
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests.append(Seen(self.path, dict(self.headers), body))
                    reply = fake.script.pop(0) if fake.script else fake.default
                if callable(reply):
                    reply = reply(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.reset:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = reply.payload(body.get("model", "fake-model"))
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.truncate:
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(data)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def mock_client(replies: list[httpx2.Response | Exception], seen: list[httpx2.Request]) -> httpx2.Client:
    """An SDK ``http_client`` whose transport plays back ``replies`` in order."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        reply = replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    return httpx2.Client(transport=httpx2.MockTransport(handler))

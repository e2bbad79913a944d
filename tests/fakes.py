"""Test doubles for the model: a loopback OpenAI-compatible server and a mock transport.

``FakeOpenAI`` is a real HTTP server on 127.0.0.1 (random port), so tests drive the real SDK,
the real retries and the real CLI in a subprocess. Each request takes the next scripted
``Reply``; when the script runs out it answers with ``default``. Every request is recorded
(path, headers, JSON body) so a test can count calls and inspect what was sent.

It also plays OpenAI's Batch API: ``POST /v1/files`` (multipart upload), ``POST /v1/batches``,
``GET /v1/batches/{id}`` and ``GET /v1/files/{id}/content``. A batch's lines are answered with
the same script/``default`` as chat requests; ``polls_before_done`` looks say ``in_progress``.
"""

from __future__ import annotations

import email.parser
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
    pause: float = 0.0  # a streamed answer (``FakeOpenAI.streams``): seconds between its words

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
        self.batch_lines: list[dict[str, Any]] = []  # every request that arrived inside a batch file
        self.polls_before_done = 1
        self.batch_status = "completed"  # what a batch ends as ("expired", "failed" to test those)
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.streams = False  # answer a ``stream: true`` request with SSE chunks, a word each
        self.hung_up = 0  # streamed answers the client closed before their end
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def send_json(self, status: int, data: Any) -> None:
                raw = data if isinstance(data, bytes) else json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def send_stream(self, reply: Reply, model: str) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                words = reply.content.split(" ")
                pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
                chunks = [{"choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]} for p in pieces]
                chunks.append({"choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]})
                chunks.append({"choices": [], "usage": {"prompt_tokens": 100, "completion_tokens": len(pieces)}})
                try:
                    for chunk in chunks:
                        event = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model, **chunk}
                        self.wfile.write(b"data: " + json.dumps(event).encode() + b"\n\n")
                        self.wfile.flush()
                        time.sleep(reply.pause)
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    with fake._lock:
                        fake.hung_up += 1

            def do_GET(self) -> None:
                with fake._lock:
                    fake.requests.append(Seen(self.path, dict(self.headers), {}))
                    answer = fake._get(self.path)
                self.send_json(*answer)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length)
                if self.path.endswith(("/files", "/batches")):
                    with fake._lock:
                        fake.requests.append(Seen(self.path, dict(self.headers), {}))
                        answer = fake._post(self.path, raw, self.headers.get("content-type", ""))
                    return self.send_json(*answer)
                body = json.loads(raw or b"{}")
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
                if fake.streams and body.get("stream") and reply.status == 200 and reply.body is None:
                    return self.send_stream(reply, body.get("model", "fake-model"))
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

    # -- the Batch API -----------------------------------------------------------------------

    def _post(self, path: str, raw: bytes, content_type: str) -> tuple[int, Any]:
        if path.endswith("/files"):
            message = email.parser.BytesParser().parsebytes(f"content-type: {content_type}\r\n\r\n".encode() + raw)
            (upload,) = [
                p for p in message.get_payload() if p.get_param("name", header="content-disposition") == "file"
            ]
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = upload.get_payload(decode=True)
            return 200, {
                "id": file_id,
                "object": "file",
                "bytes": len(self.files[file_id]),
                "created_at": 1,
                "filename": "requests.jsonl",
                "purpose": "batch",
                "status": "processed",
            }
        request = json.loads(raw)
        batch_id = f"batch-{len(self.batches) + 1}"
        out = []
        for line in self.files[request["input_file_id"]].decode().splitlines():
            item = json.loads(line)
            self.batch_lines.append(item)
            reply = self.script.pop(0) if self.script else self.default
            reply = reply(item["body"]) if callable(reply) else reply
            body = json.loads(reply.payload(item["body"].get("model", "fake-model")))
            out.append(
                {
                    "id": f"req-{len(out)}",
                    "custom_id": item["custom_id"],
                    "error": None,
                    "response": {"status_code": reply.status, "request_id": "r", "body": body},
                }
            )
        self.files[f"{batch_id}-out"] = "".join(json.dumps(o) + "\n" for o in out).encode()
        self.batches[batch_id] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": request["endpoint"],
            "input_file_id": request["input_file_id"],
            "completion_window": "24h",
            "created_at": 1,
            "polls": 0,
        }
        return 200, self._batch(batch_id, peek=True)

    def _batch(self, batch_id: str, *, peek: bool = False) -> dict[str, Any]:
        batch = dict(self.batches[batch_id])
        if not peek:
            self.batches[batch_id]["polls"] += 1
        done = batch.pop("polls") >= self.polls_before_done
        status = self.batch_status if done else "in_progress"
        return {**batch, "status": status, "output_file_id": f"{batch_id}-out" if done else None}

    def _get(self, path: str) -> tuple[int, Any]:
        parts = path.strip("/").split("/")  # v1 batches ID | v1 files ID content
        if parts[1] == "batches" and parts[2] in self.batches:
            return 200, self._batch(parts[2])
        if parts[1] == "files" and parts[2] in self.files:
            return 200, self.files[parts[2]]
        return 404, {"error": {"message": f"no {path}"}}

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


def scripted(
    answer: Callable[[str], tuple[str, str]], *, model: str, context: int | None = None
) -> tuple[Any, list[dict[str, Any]]]:
    """An ``LLM`` whose every answer is ``answer(last user message) -> (text, finish_reason)``,
    through the SDK's http_client seam (no socket); also the request bodies it was sent."""
    from summarizer.config import Backend, CacheMode, Settings
    from summarizer.llm.client import LLM

    bodies: list[dict[str, Any]] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.read())
        bodies.append(body)
        text, finish = answer(body["messages"][-1]["content"])
        return httpx2.Response(200, json=completion(text, finish_reason=finish))

    settings = Settings(
        backend=Backend.OPENAI,
        model=model,
        base_url="http://127.0.0.1:9/v1",
        cache_mode=CacheMode.OFF,
        context_tokens=context,
    )
    return LLM(settings, http_client=httpx2.Client(transport=httpx2.MockTransport(handler))), bodies

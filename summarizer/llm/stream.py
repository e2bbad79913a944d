"""An answer that arrives in pieces: OpenAI-style stream chunks -> the one plain dict the cache stores.

Both sides of a stream live here. ``Gather`` reads the chunks the SDK's own stream parser hands
over (``sdk.SDK.stream``: an endpoint's ``stream=True``, or the embedded model's SSE from
``transport.py``) into the very dict ``chat.parse_completion`` makes of a whole completion, so
the cache, ``ChatResult`` and everything above cannot tell a streamed answer from another.
``sse`` and ``Pieces`` are the serving side: chunks as ``text/event-stream`` bytes, and an
iterator of them that can be stopped from another thread (the embedded model generates in a
worker thread under the async client).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import OutputInvalid
from .chat import STOPPED

__all__ = ["DONE", "Gather", "Pieces", "is_event_stream", "sse"]

DONE = b"data: [DONE]\n\n"


def sse(chunk: dict[str, Any]) -> bytes:
    """One chunk as a server-sent event, as OpenAI sends it."""
    return b"data: " + json.dumps(chunk, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n\n"


def is_event_stream(content_type: str | None) -> bool:
    # A server (or a test's fake) that ignores ``stream`` answers the whole completion as JSON.
    return (content_type or "").split(";")[0].strip().lower() == "text/event-stream"


@dataclass
class Gather:
    """The chunks of one answer, gathered; ``add`` returns True once ``on_delta`` asks to stop."""

    on_delta: Callable[[str], bool]
    model: str
    endpoint: str
    parts: list[str] = field(default_factory=list)
    finish_reason: str = ""
    usage: dict[str, int] | None = None
    cut: bool = False

    def add(self, chunk: Any) -> bool:
        if not isinstance(chunk, dict):
            raise OutputInvalid(f"{self.endpoint} streamed something that is not a chat chunk: {str(chunk)[:120]!r}")
        self.model = str(chunk.get("model") or self.model)
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            self.usage = {
                "prompt_tokens": int(usage.get("prompt_tokens") or 0),
                "completion_tokens": int(usage.get("completion_tokens") or 0),
            }
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta") or {}
            text = delta.get("content") if isinstance(delta, dict) else None
            if choice.get("finish_reason"):
                self.finish_reason = str(choice["finish_reason"])
            if isinstance(text, str) and text:
                self.parts.append(text)
                if self.on_delta(text):
                    self.cut = True
                    return True
        return False

    def result(self) -> dict[str, Any]:
        """The answer as ``parse_completion`` would have made it; ``usage`` is None when the
        stream never said (a cut answer, a server without ``include_usage``): ``LLM`` counts it."""
        return {
            "text": "".join(self.parts),
            "finish_reason": STOPPED if self.cut else (self.finish_reason or "stop"),
            "model": self.model,
            "usage": self.usage,
        }


class Pieces:
    """An iterator of byte pieces that another thread may stop: ``close`` waits for the piece being
    made (one token), then closes the generator, so whatever it holds (the model's lock) is let go."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._busy = threading.Lock()
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        with self._busy:
            if self._closed:
                raise StopIteration
            return next(self._pieces)

    def next_or_none(self) -> bytes | None:
        try:
            return next(self)
        except StopIteration:
            return None

    def close(self) -> None:
        with self._busy:
            if not self._closed:
                self._closed = True
                close = getattr(self._pieces, "close", None)
                if close is not None:
                    close()

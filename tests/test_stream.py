"""Streaming through the seam: SSE chunks through the SDK's own parser, retries only before the
first chunk, the cache storing the whole answer, and a loop cut as it starts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from fakes import completion, mock_client

from summarizer.checks.summary import CUT_AT_LOOP, check_summary, complete_check, looping
from summarizer.config import Backend, CacheMode, Settings
from summarizer.errors import EndpointUnreachable
from summarizer.llm.cache import Cache
from summarizer.llm.chat import STOPPED, ChatRequest, ChatResult, Usage
from summarizer.llm.client import LLM
from summarizer.llm.steps import arun, run
from summarizer.llm.stream import Gather, sse

URL = "http://127.0.0.1:9/v1"
REQUEST = ChatRequest(task="summarise", messages=({"role": "user", "content": "hi"},), max_tokens=200, article="seed")
# Fictional, written for the tests: an answer that falls into the loop a 135M model falls into.
LOOP = "The talks covered trade. " + "The two countries agreed to expand trade and cooperation. " * 30


class Heard:
    """A listener that writes down what it was told."""

    def __init__(self) -> None:
        self.deltas: list[tuple[str, str]] = []

    def on_text(self, request: ChatRequest, delta: str) -> None:
        self.deltas.append((request.task, delta))

    @property
    def text(self) -> str:
        return "".join(d for _, d in self.deltas)


def chunks(text: str, *, size: int = 7, finish: str = "stop", usage: bool = True) -> list[dict[str, Any]]:
    pieces = [text[i : i + size] for i in range(0, len(text), size)]
    out: list[dict[str, Any]] = [
        {"id": "c1", "object": "chat.completion.chunk", "model": "fake-model",
         "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]}
        for p in pieces
    ]  # fmt: skip
    out.append({"id": "c1", "model": "fake-model", "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    if usage:
        out.append({"id": "c1", "model": "fake-model", "choices": [],
                    "usage": {"prompt_tokens": 31, "completion_tokens": len(pieces)}})  # fmt: skip
    return out


class Events(httpx2.SyncByteStream):
    """An SSE body that notes whether the client closed it, and may fail after some events."""

    def __init__(self, events: list[dict[str, Any]], *, fail_after: int | None = None) -> None:
        self.events = events
        self.fail_after = fail_after
        self.sent = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for event in self.events:
            if self.fail_after is not None and self.sent >= self.fail_after:
                raise httpx2.ReadError("connection dropped")
            self.sent += 1
            yield sse(event)
        yield b"data: [DONE]\n\n"

    def close(self) -> None:
        self.closed = True


def streamed(events: Events) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=events)


def make(replies: list[Any], *, cache: Cache | None = None) -> tuple[LLM, list[httpx2.Request], list[float]]:
    seen: list[httpx2.Request] = []
    sleeps: list[float] = []
    mode = CacheMode.READWRITE if cache is not None else CacheMode.OFF
    settings = Settings(backend=Backend.OPENAI, model="gpt-4o-mini", base_url=URL, api_key="k", cache_mode=mode)
    return LLM(settings, cache=cache, http_client=mock_client(replies, seen), sleep=sleeps.append), seen, sleeps


def test_a_streamed_answer_is_told_piece_by_piece_and_stored_whole(tmp_path: Any) -> None:
    text = "Kazakhstan and Belarus agreed to build joint plants in Mogilev."
    cache = Cache(tmp_path / "c.sqlite")
    llm, seen, _ = make([streamed(Events(chunks(text)))], cache=cache)
    heard = Heard()
    result = llm.stream(REQUEST, heard)
    assert len(heard.deltas) > 5 and heard.text == text
    assert (result.text, result.finish_reason, result.usage.prompt_tokens, result.cached) == (text, "stop", 31, False)
    body = json.loads(seen[0].read())
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    # The cache holds the complete answer; a hit tells the listener the whole text at once.
    again = Heard()
    hit = llm.stream(REQUEST, again)
    assert hit.cached and hit.text == text and again.deltas == [("summarise", text)]
    assert len(seen) == 1
    assert llm.complete(REQUEST).text == text  # the same entry serves an unstreamed call


def test_a_server_that_ignores_stream_is_read_whole() -> None:
    llm, _, _ = make([httpx2.Response(200, json=completion("all at once"))])
    heard = Heard()
    result = llm.stream(REQUEST, heard)
    assert result.text == "all at once" and heard.deltas == [("summarise", "all at once")]
    assert result.usage.prompt_tokens == 100


def test_a_failure_before_the_first_chunk_is_retried() -> None:
    error = httpx2.Response(503, json={"error": {"message": "busy"}})
    llm, seen, sleeps = make([error, streamed(Events(chunks("fine now")))])
    heard = Heard()
    assert llm.stream(REQUEST, heard).text == "fine now"
    assert len(seen) == 2 and len(sleeps) == 1 and heard.text == "fine now"


def test_a_stream_that_breaks_after_text_is_not_asked_again() -> None:
    # Asking again would tell the listener the beginning twice: the error is the user's to see.
    events = Events(chunks("the start of an answer that breaks off"), fail_after=2)
    llm, seen, _ = make([streamed(events), streamed(Events(chunks("never asked")))])
    heard = Heard()
    with pytest.raises(EndpointUnreachable):
        llm.stream(REQUEST, heard)
    assert len(seen) == 1 and heard.text == "the start of an answer that breaks off"[:14]


def test_a_loop_is_cut_as_it_starts_and_fails_the_same_checks(tmp_path: Any) -> None:
    events = Events(chunks(LOOP, size=5))
    llm, _, _ = make([streamed(events)], cache=Cache(tmp_path / "c.sqlite"))
    watched = ChatRequest(task="summarise", messages=REQUEST.messages, max_tokens=400, watch=looping)
    result = llm.stream(watched, Heard())
    assert result.finish_reason == STOPPED == CUT_AT_LOOP
    assert events.closed and events.sent < len(events.events) / 3  # the request was closed early
    assert len(result.text) < len(LOOP) / 3 and LOOP.startswith(result.text)
    assert result.usage.completion_tokens > 0  # counted, since the server never said
    cut = {c.name: c.passed for c in check_summary(result.text, lang="en", finish_reason=result.finish_reason)}
    whole = {c.name: c.passed for c in check_summary(LOOP, lang="en", finish_reason="length")}
    assert cut["no_repetition"] is whole["no_repetition"] is False
    assert cut["complete"] is whole["complete"] is False
    assert llm.complete(watched).finish_reason == STOPPED  # stored as it was cut: honest on replay


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("The ambassador met the minister in Minsk and they discussed trade, education and industry.", False),
        ("бір екі үш төрт бес алты " + "болып жатыр " * 3 + "бол", True),  # the back-to-back rule
        (LOOP[:400], True),  # the 4-gram share, at twice the check's limit
        ("word " * 11, False),  # too short to judge, as the check says
        ("Trade " * 14 + "Tra", True),
    ],
)
def test_the_watch_applies_the_repetition_rule_to_whole_words(text: str, fires: bool) -> None:
    assert looping(text) is fires


def test_complete_fails_an_answer_cut_at_a_loop() -> None:
    check = complete_check(CUT_AT_LOOP)
    assert not check.passed and "loop" in check.findings[0].message


def test_a_watch_only_on_streamed_answers_leaves_an_endpoint_unstreamed() -> None:
    # An endpoint is streamed only when someone listens: batches keep the plain call's cost.
    llm, seen, _ = make([httpx2.Response(200, json=completion(LOOP, finish_reason="length"))])
    watched = ChatRequest(task="summarise", messages=REQUEST.messages, max_tokens=400, watch=looping)
    assert llm.complete(watched).finish_reason == "length"
    assert "stream" not in json.loads(seen[0].read())


class NoStream:
    """A test's scripted model: ``complete`` only, as the fakes have always been."""

    model, backend = "fake", Backend.OPENAI

    def complete(self, request: ChatRequest) -> ChatResult:
        return ChatResult(f"answer to {request.task}", "stop", "fake", Usage(), False, "", "")


def test_the_step_driver_passes_the_listener_through_and_fakes_still_answer() -> None:
    def steps():  # type: ignore[no-untyped-def]
        first = yield [ChatRequest(task="part 1", messages=REQUEST.messages, max_tokens=5)]
        second = yield [ChatRequest(task="combine", messages=REQUEST.messages, max_tokens=5)]
        return first[0].text + " | " + second[0].text

    heard = Heard()
    assert run(steps(), NoStream(), listener=heard) == "answer to part 1 | answer to combine"  # type: ignore[arg-type]
    assert heard.deltas == []  # a fake without streaming is simply not heard
    llm, _, _ = make([streamed(Events(chunks("one"))), streamed(Events(chunks("two")))])
    assert run(steps(), llm, listener=heard) == "one | two"
    assert [task for task, _ in heard.deltas] == ["part 1", "combine"]


class AsyncEvents(httpx2.AsyncByteStream):
    def __init__(self, events: list[dict[str, Any]], *, pause: float = 0.0) -> None:
        self.events, self.pause, self.closed, self.sent = events, pause, False, 0

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for event in self.events:
            await asyncio.sleep(self.pause)
            self.sent += 1
            yield sse(event)
        yield b"data: [DONE]\n\n"

    async def aclose(self) -> None:
        self.closed = True


def async_llm(stream: AsyncEvents) -> LLM:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=stream)

    settings = Settings(backend=Backend.OPENAI, model="gpt-4o-mini", base_url=URL, api_key="k", cache_mode=CacheMode.OFF)
    return LLM(settings, async_http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)))


def test_the_async_stream_tells_the_listener_and_cancelling_closes_the_request() -> None:
    async def go() -> None:
        llm = async_llm(AsyncEvents(chunks("streamed on the event loop")))
        heard = Heard()
        result = await arun(iter_one(), llm, listener=heard)
        assert result.text == heard.text == "streamed on the event loop"
        slow = AsyncEvents(chunks("x" * 400, size=4), pause=0.01)
        task = asyncio.create_task(async_llm(slow).astream(REQUEST, Heard()))
        await asyncio.sleep(0.15)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert slow.closed and slow.sent < len(slow.events)

    asyncio.run(go())


def iter_one():  # type: ignore[no-untyped-def]
    (result,) = yield [REQUEST]
    return result


def test_gather_reads_only_the_first_choice_and_keeps_the_server_finish_reason() -> None:
    gather = Gather(lambda delta: False, "m", "endpoint")
    gather.add({"choices": [{"index": 1, "delta": {"content": "other"}}]})
    gather.add({"choices": [{"index": 0, "delta": {"content": "mine"}, "finish_reason": "length"}]})
    assert gather.result() == {"text": "mine", "finish_reason": "length", "model": "m", "usage": None}


def test_the_async_stream_retries_before_the_first_chunk_and_reads_a_whole_answer() -> None:
    replies = [
        httpx2.Response(503, json={"error": {"message": "busy"}}),
        httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=AsyncEvents(chunks("second try"))),
        httpx2.Response(200, json=completion("whole at once")),
    ]
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return replies.pop(0)

    settings = Settings(backend=Backend.OPENAI, model="gpt-4o-mini", base_url=URL, api_key="k",
                        cache_mode=CacheMode.OFF, max_retry_seconds=5)  # fmt: skip
    llm = LLM(settings, async_http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)))

    async def go() -> tuple[ChatResult, ChatResult, Heard]:
        heard = Heard()
        first = await llm.astream(REQUEST, heard)
        second = await llm.astream(REQUEST, heard)
        await llm.aclose()
        return first, second, heard

    first, second, heard = asyncio.run(go())
    assert (first.text, second.text, len(seen)) == ("second try", "whole at once", 3)
    assert heard.text == "second trywhole at once"

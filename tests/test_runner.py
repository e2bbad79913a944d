"""One task description, two drivers: the async path gives what the sync path gives."""

from __future__ import annotations

import asyncio
import json

import httpx2
import pytest
from conftest import ROOT, SEED
from fakes import completion

from summarizer.config import Backend, CacheMode, Settings
from summarizer.llm.chat import ChatRequest, ChatResult, Usage
from summarizer.llm.client import LLM
from summarizer.llm.ratelimit import RateLimiter
from summarizer.llm.steps import Steps, arun, gather_steps, run
from summarizer.tasks.summarise import summarise, summarise_steps
from summarizer.text.articles import load_article

LONG = ROOT / "seeds" / "001_long_energy_forum.txt"


def answer(body: dict) -> str:  # type: ignore[type-arg]
    user = body["messages"][-1]["content"]
    return "Combined." if "Combine these" in user else f"Part summary of {len(user)} characters."


def settings() -> Settings:
    return Settings(
        backend=Backend.OPENAI,
        model="gpt-4",
        base_url="http://127.0.0.1:9/v1",
        cache_mode=CacheMode.OFF,
        context_tokens=2000,
    )


def test_async_map_reduce_matches_sync_and_runs_parts_concurrently() -> None:
    article = load_article(LONG)

    def sync_handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=completion(answer(json.loads(request.read()))))

    sync_llm = LLM(settings(), http_client=httpx2.Client(transport=httpx2.MockTransport(sync_handler)))
    expected = summarise(article, sync_llm)

    in_flight = peak = 0

    async def async_handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx2.Response(200, json=completion(answer(json.loads(await request.aread()))))

    async_llm = LLM(settings(), async_http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(async_handler)))

    async def go():  # type: ignore[no-untyped-def]
        semaphore = asyncio.Semaphore(4)
        result = await arun(summarise_steps(article, async_llm), async_llm, semaphore=semaphore, throttle=RateLimiter())
        await async_llm.aclose()
        return result

    got = asyncio.run(go())
    assert (got.text, got.calls, got.chunks, got.usage) == (
        expected.text,
        expected.calls,
        expected.chunks,
        expected.usage,
    )
    assert 1 < peak <= 4  # the parts ran together, within the semaphore


def test_async_429_pauses_the_throttle() -> None:
    replies = [
        httpx2.Response(429, headers={"retry-after": "0.01"}, json={"error": {"message": "slow down"}}),
        httpx2.Response(200, json=completion("ok")),
    ]

    async def handler(request: httpx2.Request) -> httpx2.Response:
        return replies.pop(0)

    llm = LLM(settings(), async_http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)))
    paused: list[float] = []

    class Spy(RateLimiter):
        def pause(self, seconds: float) -> None:
            paused.append(seconds)
            super().pause(seconds)

    summary = asyncio.run(arun(summarise_steps(load_article(SEED), llm), llm, throttle=Spy()))
    assert summary.text == "ok"
    assert paused == [0.01]


# -- gather_steps: several tasks' requests, one round at a time -------------------------------


def _ask(name: str, rounds: int) -> Steps[str]:
    """A task that asks ``rounds`` times, each question built from the previous answer."""
    said = name
    for n in range(rounds):
        (answer,) = yield [ChatRequest(task=f"{name}{n}", messages=({"role": "user", "content": said},), max_tokens=5)]
        said = answer.text
    return said


def _echo(request: ChatRequest) -> ChatResult:
    return ChatResult(request.messages[0]["content"] + "+", "stop", "m", Usage(), False, "test", request.task)


def test_gather_steps_asks_every_task_together_each_round_and_keeps_order() -> None:
    steps = gather_steps([_ask("a", 2), _ask("b", 1), _ask("c", 3)])
    rounds = []
    requests = next(steps)
    try:
        while True:
            rounds.append([r.task for r in requests])
            requests = steps.send([_echo(r) for r in requests])
    except StopIteration as done:
        result = done.value
    assert rounds == [["a0", "b0", "c0"], ["a1", "c1"], ["c2"]]
    assert result == ["a++", "b+", "c+++"]


def test_gather_steps_runs_the_same_under_run_and_arun() -> None:
    class Echo:
        def complete(self, request: ChatRequest) -> ChatResult:
            return _echo(request)

        async def acomplete(self, request: ChatRequest, **_: object) -> ChatResult:
            await asyncio.sleep(0)
            return _echo(request)

    tasks = lambda: [_ask("x", 1), _ask("y", 2)]  # noqa: E731
    assert run(gather_steps(tasks()), Echo()) == ["x+", "y++"]  # type: ignore[arg-type]
    assert asyncio.run(arun(gather_steps(tasks()), Echo())) == ["x+", "y++"]  # type: ignore[arg-type]


def test_gather_steps_lets_a_failing_task_fail_the_whole() -> None:
    def broken() -> Steps[str]:
        yield [ChatRequest(task="z", messages=({"role": "user", "content": "z"},), max_tokens=5)]
        raise ValueError("bad answer")

    class Echo:
        def complete(self, request: ChatRequest) -> ChatResult:
            return _echo(request)

    with pytest.raises(ValueError, match="bad answer"):
        run(gather_steps([_ask("a", 1), broken()]), Echo())  # type: ignore[arg-type]

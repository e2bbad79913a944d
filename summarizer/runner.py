"""Drive a task with the sync client or the async one, from one description of the task.

A task (summarise, translate, facts) is written once, as a generator that yields the model
requests it needs (a list: those may run at the same time) and receives their results::

    def summarise_steps(article, llm, ...) -> Steps[Summary]:
        results = yield [request_a, request_b]   # e.g. the chunks of a long article
        final = (yield [combine(results)])[0]
        return Summary(...)

``run`` sends the requests one by one through ``LLM.complete`` (the CLI); ``arun`` sends each
list concurrently through ``LLM.acomplete`` (batches), under a shared semaphore and throttle.
So the CLI and a batch of ten thousand articles execute the very same task logic.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator, Sequence
from typing import Any, TypeVar

from .chat import ChatRequest, ChatResult
from .client import LLM
from .ratelimit import Throttle

__all__ = ["Steps", "arun", "gather_steps", "run"]

T = TypeVar("T")
Steps = Generator[list[ChatRequest], list[ChatResult], T]


def run(steps: Steps[T], llm: LLM) -> T:
    try:
        requests = next(steps)
        while True:
            requests = steps.send([llm.complete(r) for r in requests])
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def arun(
    steps: Steps[T],
    llm: LLM,
    *,
    throttle: Throttle | None = None,
    semaphore: asyncio.Semaphore | None = None,
) -> T:
    async def one(request: ChatRequest) -> ChatResult:
        async with semaphore if semaphore is not None else contextlib.nullcontext():
            return await llm.acomplete(request, throttle=throttle)

    try:
        requests = next(steps)
        while True:
            requests = steps.send(list(await asyncio.gather(*(one(r) for r in requests))))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def gather_steps(tasks: Sequence[Steps[Any]]) -> Steps[list[Any]]:
    """Several tasks' steps as one: each round asks every unfinished task's next requests together.

    So the parts of a long article (each asked, checked and maybe re-asked on its own) go out at
    the same time under ``arun``, and one after another under ``run``; results come back in order.
    """
    results: list[Any] = [None] * len(tasks)
    pending: dict[int, list[ChatRequest]] = {}

    def advance(index: int, answers: list[ChatResult] | None) -> None:
        try:
            pending[index] = next(tasks[index]) if answers is None else tasks[index].send(answers)
        except StopIteration as done:
            results[index] = done.value

    for index in range(len(tasks)):
        advance(index, None)
    while pending:
        asked = list(pending.items())
        pending = {}
        answers = yield [request for _, requests in asked for request in requests]
        start = 0
        for index, requests in asked:
            advance(index, answers[start : start + len(requests)])
            start += len(requests)
    return results

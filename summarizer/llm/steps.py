"""Drive a task with the sync client or the async one, from one description of the task.

A task (summarise, translate, facts) is written once, as a generator that yields the model
requests it needs (a list: those may run at the same time) and receives their results::

    def summarise_steps(article, llm, ...) -> Steps[Summary]:
        results = yield [request_a, request_b]   # e.g. the chunks of a long article
        final = (yield [combine(results)])[0]
        return Summary(...)

``Driven`` is the one step driver: it holds a task's pending requests and feeds it their answers.
``run`` sends the requests one by one through ``Completer.complete`` (the CLI, and the dry run's
stand-in); with a ``Listener``, through ``Streamer.stream``, which tells it the text as it is
generated (the tasks never know); ``arun`` sends each list concurrently through ``AsyncCompleter.acomplete`` (batches),
under a shared semaphore and throttle; the Batch API driver (``batch/openai_batch.py``) feeds
answers that arrive hours later. So the CLI, a dry run and a batch of ten thousand articles
execute the very same task logic.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .chat import AsyncCompleter, ChatRequest, ChatResult, Completer, Listener

if TYPE_CHECKING:
    import asyncio

    from .ratelimit import Throttle

__all__ = ["Driven", "Steps", "arun", "gather_steps", "run"]

T = TypeVar("T")
Steps = Generator[list[ChatRequest], list[ChatResult], T]


@dataclass
class Driven(Generic[T]):
    """One task's steps in flight: the requests it waits on, or, once ``done``, its value."""

    steps: Steps[T]
    requests: list[ChatRequest] = field(default_factory=list)
    done: bool = False
    value: T | None = None

    def __post_init__(self) -> None:
        self._advance(None)

    def send(self, results: list[ChatResult]) -> bool:
        """Give the task the answers to ``requests``; True while it asks for more."""
        self._advance(results)
        return not self.done

    def _advance(self, results: list[ChatResult] | None) -> None:
        try:
            self.requests = next(self.steps) if results is None else self.steps.send(results)
        except StopIteration as finished:
            self.requests, self.done, self.value = [], True, finished.value


def run(steps: Steps[T], llm: Completer, *, listener: Listener | None = None) -> T:
    """``listener`` is told every answer's text as it comes, when ``llm`` streams (``Streamer``);
    a model that does not (a test's fake, the dry run's stand-in) answers as usual, unheard."""
    ask = _asker(llm, listener)
    driven = Driven(steps)
    while not driven.done:
        driven.send([ask(r) for r in driven.requests])
    return driven.value  # type: ignore[return-value]


def _asker(llm: Completer, listener: Listener | None) -> Callable[[ChatRequest], ChatResult]:
    stream = getattr(llm, "stream", None) if listener is not None else None
    if stream is None:
        return llm.complete
    return lambda request: stream(request, listener)  # type: ignore[no-any-return]


async def arun(
    steps: Steps[T],
    llm: AsyncCompleter,
    *,
    throttle: Throttle | None = None,
    semaphore: asyncio.Semaphore | None = None,
    listener: Listener | None = None,
    offload: bool = False,
) -> T:
    """``offload``: the task's own steps (planning, the checks: lingua and the dictionaries take a
    second of CPU) run in a worker thread, so that a server's event loop answers other pages
    meanwhile (the desk); a batch keeps them on the loop, where they cost no thread hop."""
    import asyncio  # here, not at the top: the CLI's sync path never needs an event loop

    astream = getattr(llm, "astream", None) if listener is not None else None

    async def one(request: ChatRequest) -> ChatResult:
        async with semaphore if semaphore is not None else contextlib.nullcontext():
            if astream is not None:
                result: ChatResult = await astream(request, listener, throttle=throttle)
                return result
            return await llm.acomplete(request, throttle=throttle)

    driven = await asyncio.to_thread(Driven, steps) if offload else Driven(steps)
    while not driven.done:
        answers = list(await asyncio.gather(*(one(r) for r in driven.requests)))
        await asyncio.to_thread(driven.send, answers) if offload else driven.send(answers)
    return driven.value  # type: ignore[return-value]


def gather_steps(tasks: Sequence[Steps[Any]]) -> Steps[list[Any]]:
    """Several tasks' steps as one: each round asks every unfinished task's next requests together.

    So the parts of a long article (each asked, checked and maybe re-asked on its own) go out at
    the same time under ``arun``, and one after another under ``run``; results come back in order.
    """
    driven = [Driven(task) for task in tasks]
    while live := [d for d in driven if not d.done]:
        answers = yield [request for d in live for request in d.requests]
        start = 0
        for d in live:
            count = len(d.requests)
            d.send(answers[start : start + count])
            start += count
    return [d.value for d in driven]

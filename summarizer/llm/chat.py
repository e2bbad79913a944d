"""The value types of one model call, and the Protocols tasks are typed against.

Tasks (``tasks/``, ``facts/``) never see the concrete ``LLM``: to plan their requests they ask a
``ModelInfo`` (which model, which backend, its tokenizer and context), and the step driver
(``steps.py``) hands those requests to a ``Completer``. So a dry run, a test's scripted model
and the real client are interchangeable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..config import Backend
from ..errors import OutputInvalid

if TYPE_CHECKING:
    from .ratelimit import Throttle
    from .tokens import TokenCounter

__all__ = [
    "AsyncCompleter",
    "Capabilities",
    "EMBEDDED",
    "capabilities_of",
    "ChatRequest",
    "ChatResult",
    "Completer",
    "Listener",
    "Made",
    "MadeBy",
    "ModelInfo",
    "STOPPED",
    "Streamer",
    "AsyncStreamer",
    "Tally",
    "Usage",
    "parse_completion",
]

OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
# The finish_reason of an answer cut short because its request's ``watch`` saw it loop: not
# "stop" (the model did not finish) and not "length"; ``checks.summary.complete_check`` fails it.
STOPPED = "repetition"


@dataclass(frozen=True)
class Capabilities:
    """What a model can do, as the code above the seam needs to know it.

    The batch, the desk, the digest and facts ask these questions instead of asking which backend
    they talk to: so a second embedded engine, or a small model on a server, is one more value here
    and not a new branch in every caller.
    """

    # One request at a time (one llama.cpp context): callers queue instead of sending in parallel.
    serial: bool = False
    # The server constrains decoding to the response's JSON schema (OpenAI, vLLM, llama.cpp).
    structured_output: bool = True
    # The response schema is sent beside the prompt and counted against the context by the server
    # (OpenAI's structured outputs); a grammar-constrained local model does not read it as tokens.
    schema_in_prompt: bool = True
    # A model too small for the harder tasks to be worth asking by default (facts in a digest), and
    # whose Russian and Kazakh are expected to fail their checks: the CLI says so.
    tiny: bool = False
    # Answers cost money per token (the batch's price estimate); the embedded model costs nothing.
    priced: bool = True
    # Takes OpenAI's Batch API (``--openai-batch``): an endpoint may (a server without it says so
    # with a 404); a model in this process has no files to upload to.
    batch_api: bool = True
    # Where answers come from, for people: "embedded", or the endpoint's public URL.
    where: str = ""
    # Every watched request is streamed, so that a loop is cut as it starts, even when nobody reads
    # the text as it comes: a small model loops often enough that this saves most of its time on
    # Russian and Kazakh. An endpoint is watched only when its answer is streamed anyway.
    watch_always: bool = False


EMBEDDED = Capabilities(
    serial=True, schema_in_prompt=False, tiny=True, priced=False, batch_api=False, where="embedded",
    watch_always=True,
)  # fmt: skip


def capabilities_of(backend: Backend, endpoint: str) -> Capabilities:
    """The one place that turns which backend into what it can do (``route.route`` and
    ``plan.planning_model`` build their values with it)."""
    return EMBEDDED if backend is Backend.LOCAL else Capabilities(where=endpoint)


class ModelInfo(Protocol):
    """What a task asks of a model while planning its requests; it never calls it."""

    @property
    def model(self) -> str: ...

    @property
    def backend(self) -> Backend: ...

    @property
    def capabilities(self) -> Capabilities: ...

    def counter(self) -> TokenCounter: ...

    def context_tokens(self) -> int: ...


class Completer(ModelInfo, Protocol):
    """Answers one request (the CLI's path; the dry run's stand-in; a test's scripted model)."""

    def complete(self, request: ChatRequest) -> ChatResult: ...


class AsyncCompleter(ModelInfo, Protocol):
    """Answers one request on the async client (batches)."""

    async def acomplete(self, request: ChatRequest, *, throttle: Throttle | None = None) -> ChatResult: ...


class Listener(Protocol):
    """Told the text of an answer as it is generated (the CLI on a terminal, the desk's waiting page).

    ``delta`` is the new text of ``request``'s answer; an answer from the cache comes as one
    delta, the whole text. A request asked again after a failure starts from nothing: the
    listener sees a new ``request`` (its ``task`` names the part and the retry).
    """

    def on_text(self, request: ChatRequest, delta: str) -> None: ...


class Streamer(Completer, Protocol):
    """A ``Completer`` that can also tell a ``Listener`` the text as it comes (``LLM``); the step
    driver uses it when it has a listener, and plain ``complete`` otherwise (a test's fake)."""

    def stream(self, request: ChatRequest, listener: Listener | None) -> ChatResult: ...


class AsyncStreamer(AsyncCompleter, Protocol):
    async def astream(
        self, request: ChatRequest, listener: Listener | None, *, throttle: Throttle | None = None
    ) -> ChatResult: ...


@dataclass(frozen=True)
class ChatRequest:
    task: str
    messages: tuple[dict[str, str], ...]
    max_tokens: int
    article: str = ""  # the article's id, for messages such as a replay-mode miss
    response_schema: dict[str, Any] | None = None
    schema_name: str = "output"
    # Told the answer so far as it streams; True cuts it there (finish_reason ``STOPPED``). The
    # tasks pass the repetition rule of their checks (``checks.summary.looping``), so a loop is
    # cut as soon as the check would see it. Not part of the cache key: a cut answer is stored as
    # the answer, its finish_reason saying so, and fails the very checks the whole loop would.
    watch: Callable[[str], bool] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclass(frozen=True)
class ChatResult:
    text: str
    finish_reason: str
    model: str
    usage: Usage
    cached: bool
    provenance: str
    key: str

    @classmethod
    def of(cls, response: dict[str, Any], *, cached: bool, provenance: str, key: str) -> ChatResult:
        """From the plain dict that the client produces and the cache stores."""
        usage = response.get("usage") or {}
        return cls(
            text=str(response.get("text", "")),
            finish_reason=str(response.get("finish_reason", "stop")),
            model=str(response.get("model", "")),
            usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
            cached=cached,
            provenance=provenance,
            key=key,
        )


@dataclass(frozen=True)
class Made:
    """How a result was made: the one record every result carries (summary, translation, facts,
    a batch job) and every output shape prints, instead of six loose fields copied around."""

    model: str
    backend: str
    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    cached: bool = False  # every call was answered by the cache
    parts: int = 1  # the article was sent in this many parts (map-reduce, long translations)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "backend": self.backend,
            "prompt_tokens": self.usage.prompt_tokens,
            "completion_tokens": self.usage.completion_tokens,
            "calls": self.calls,
            "cached": self.cached,
            "parts": self.parts,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Made:
        return cls(
            model=str(data.get("model", "")),
            backend=str(data.get("backend", "")),
            usage=Usage(int(data.get("prompt_tokens", 0)), int(data.get("completion_tokens", 0))),
            calls=int(data.get("calls", 0)),
            cached=bool(data.get("cached", False)),
            parts=int(data.get("parts", 1)),
        )


class MadeBy:
    """A result that carries its ``made`` record, read through the names its readers know."""

    made: Made

    @property
    def model(self) -> str:
        return self.made.model

    @property
    def backend(self) -> str:
        return self.made.backend

    @property
    def usage(self) -> Usage:
        return self.made.usage

    @property
    def calls(self) -> int:
        return self.made.calls

    @property
    def cached(self) -> bool:
        return self.made.cached

    @property
    def chunks(self) -> int:
        return self.made.parts


@dataclass
class Tally:
    """What a task's calls add up to: tokens, how many, how many the cache answered."""

    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    cached: int = 0

    def add(self, results: list[ChatResult]) -> list[ChatResult]:
        for result in results:
            self.usage = self.usage + result.usage
            self.calls += 1
            self.cached += result.cached
        return results

    @property
    def all_cached(self) -> bool:
        return self.cached == self.calls

    def made(self, llm: ModelInfo, *, parts: int = 1) -> Made:
        """The record of a task whose calls this tally added up, on ``llm``."""
        return Made(llm.model, str(llm.backend), self.usage, self.calls, self.all_cached, parts)


def parse_completion(body: Any, *, model: str, endpoint: str) -> dict[str, Any]:
    """A chat completion as the server sent it (decoded JSON) -> the plain dict we cache.

    Read from the JSON itself, not from the SDK's ``ChatCompletion``: building that pydantic
    model cost 0.4 ms of client CPU per request, a tenth of a whole call (``docs/BENCHMARKS.md``).
    """
    try:
        choices = body.get("choices") or []
        choice = choices[0] if choices else None
        text = (choice["message"].get("content") or "") if choice else ""
        usage = body.get("usage") or {}
        if not isinstance(text, str):
            raise TypeError("content is not text")
        return {
            "text": text,
            "finish_reason": str((choice.get("finish_reason") or "stop") if choice else "empty"),
            "model": str(body.get("model") or model),
            "usage": {
                "prompt_tokens": int(usage.get("prompt_tokens") or 0),
                "completion_tokens": int(usage.get("completion_tokens") or 0),
            },
        }
    except (AttributeError, TypeError, IndexError, KeyError, ValueError):
        # A proxy's HTML error page, or JSON that is not a chat completion, served with 200.
        raise OutputInvalid(
            f"{endpoint} answered with something that is not a chat completion: {str(body)[:120]!r}", raw=str(body)
        ) from None

"""Stage 5: every model call goes through ``LLM.complete``: the cache, then the SDK (``sdk.py``).

Both backends are the same code path. ``openai`` talks to OpenAI or any compatible server by
``base_url``; ``local`` gives the very same SDK client an ``http_client`` whose transport answers
``/v1/chat/completions`` in-process with llama.cpp (``local.py``). So retries, the cache, error
messages and response parsing are shared, and a test that drives one drives both.

What differs between the backends is one value, the ``Route`` (``route.py``), chosen once from
the settings: ``LLM`` is the cache in front of it and never asks which backend it is.

A cache hit needs neither the SDK nor the model: ``sdk.py`` (which imports ``openai``) is
imported on the first miss, and the embedded model's weights are loaded on its first request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..config import Backend, CacheMode, Settings
from ..errors import CacheMiss
from ..redact import redact
from .cache import Cache, cache_key
from .chat import Capabilities, ChatRequest, ChatResult, Listener, Usage
from .route import Route, route
from .tokens import TokenCounter

if TYPE_CHECKING:
    import httpx2

    from .ratelimit import Throttle
    from .sdk import SDK

__all__ = ["ChatRequest", "ChatResult", "LLM", "Usage", "open_llm", "redact"]


_WATCH_EVERY = 40  # characters of new text between two looks of a request's watch


class LLM:
    """A model behind the OpenAI API, with the cache in front of it."""

    def __init__(
        self,
        settings: Settings,
        *,
        cache: Cache | None = None,
        http_client: httpx2.Client | None = None,
        async_http_client: httpx2.AsyncClient | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self._http_client = http_client
        self._async_http_client = async_http_client
        self._sleep = sleep  # tests pass a no-op to run retry schedules instantly
        self._sdk: SDK | None = None
        self.route: Route = route(settings)

    @property
    def backend(self) -> Backend:
        return self.route.backend

    @property
    def model(self) -> str:
        return self.route.model

    @property
    def endpoint(self) -> str:
        return self.route.endpoint

    @property
    def capabilities(self) -> Capabilities:
        return self.route.capabilities

    def counter(self) -> TokenCounter:
        counter = self.route.counter()
        if not self.route.keep_counts or self.cache is None or self.settings.cache_mode is CacheMode.OFF:
            return counter
        return replace(counter, store=self.cache, remember=self.settings.cache_mode is not CacheMode.REPLAY)

    def context_tokens(self) -> int:
        return self.route.context

    def close(self) -> None:
        if self._sdk is not None:
            self._sdk.close()
        if self.cache is not None:
            self.cache.close()

    async def aclose(self) -> None:
        """Close the async client (batches); ``close`` still closes the cache and sync client."""
        if self._sdk is not None:
            await self._sdk.aclose()

    def __enter__(self) -> LLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one call ------------------------------------------------------------------------

    def complete(self, request: ChatRequest) -> ChatResult:
        if request.watch is not None and self.capabilities.watch_always:
            return self.stream(request, None)  # a model that loops: cut it as it starts
        document, key, hit = self._lookup(request)
        if hit is not None:
            return hit
        self._prepare(document)
        return self._store(request, document, key, self._remote().call(document))

    def stream(self, request: ChatRequest, listener: Listener | None) -> ChatResult:
        """``complete``, telling ``listener`` the text as it is generated (the SDK's ``stream=True``;
        the embedded model's own streaming behind its transport). A cache hit is one delta, the
        whole text; a miss is stored once the stream has ended, whole, like any other answer.
        The request's ``watch`` may cut the answer short (finish_reason ``STOPPED``)."""
        document, key, hit = self._lookup(request)
        if hit is not None:
            if listener is not None and hit.text:
                listener.on_text(request, hit.text)
            return hit
        self._prepare(document)
        response = self._remote().stream(document, self._on_delta(request, listener))
        return self._store(request, document, key, self._counted(request, response))

    async def acomplete(self, request: ChatRequest, *, throttle: Throttle | None = None) -> ChatResult:
        """``complete`` on the SDK's async client, for batches; the same cache, retries, errors.

        ``throttle`` (see ``ratelimit.py``) is awaited before every attempt that reaches the
        endpoint (cache hits cost nothing), and told when a 429 asks the whole batch to wait.
        """
        if request.watch is not None and self.capabilities.watch_always:
            return await self.astream(request, None, throttle=throttle)
        document, key, hit = self._lookup(request)
        if hit is not None:
            return hit
        response = await self._remote().acall(document, estimate=self._estimate(request, throttle), throttle=throttle)
        return self._store(request, document, key, response)

    async def astream(
        self, request: ChatRequest, listener: Listener | None, *, throttle: Throttle | None = None
    ) -> ChatResult:
        """``stream`` on the async client (the desk's waiting page); cancelling the task that awaits
        it closes the request, which stops the model."""
        document, key, hit = self._lookup(request)
        if hit is not None:
            if listener is not None and hit.text:
                listener.on_text(request, hit.text)
            return hit
        response = await self._remote().astream(
            document, self._on_delta(request, listener), estimate=self._estimate(request, throttle), throttle=throttle
        )
        return self._store(request, document, key, self._counted(request, response))

    def _prepare(self, document: dict[str, Any]) -> None:
        # The first miss imports the SDK; an in-process model can read the prompt meanwhile.
        engine = self.route.engine
        if self._sdk is None and engine is not None:
            engine.prepare({"model": document["model"], "messages": document["messages"], **document["params"]})

    def _estimate(self, request: ChatRequest, throttle: Throttle | None) -> int:
        # Tokenizing costs client CPU: only a limiter with a TPM budget needs the estimate.
        if throttle is None or not getattr(throttle, "needs_tokens", True):
            return 0
        return self.counter().count_messages(self._document(request)["messages"]) + request.max_tokens

    @staticmethod
    def _on_delta(request: ChatRequest, listener: Listener | None) -> Callable[[str], bool]:
        parts: list[str] = []
        watched = 0  # how much of the text the watch has seen

        def on_delta(delta: str) -> bool:
            nonlocal watched
            parts.append(delta)
            if listener is not None:
                listener.on_text(request, delta)
            if request.watch is None:
                return False
            # The watch reads the whole text: asked every few words, it costs nothing beside the
            # model, and a loop is cut within a line of where the check would see it.
            size = sum(map(len, parts))
            if size - watched < _WATCH_EVERY:
                return False
            watched = size
            return request.watch("".join(parts))

        return on_delta

    def _counted(self, request: ChatRequest, response: dict[str, Any]) -> dict[str, Any]:
        """A streamed answer whose usage the server never sent (cut short, or no ``include_usage``):
        counted with the model's tokenizer, so tallies and costs stay whole."""
        if response.get("usage") is not None:
            return response
        counter = self.counter()
        usage = {
            "prompt_tokens": counter.count_messages(self._document(request)["messages"]),
            "completion_tokens": counter.count(str(response.get("text", ""))),
        }
        return {**response, "usage": usage}

    def _lookup(self, request: ChatRequest) -> tuple[dict[str, Any], str, ChatResult | None]:
        document = self._document(request)
        key = cache_key(document)
        mode = self.settings.cache_mode
        if self.cache is not None and mode in (CacheMode.READWRITE, CacheMode.REPLAY):
            hit = self.cache.get(key)
            if hit is not None:
                return document, key, ChatResult.of(hit.response, cached=True, provenance=hit.provenance, key=key)
        if mode is CacheMode.REPLAY:
            where = self.cache.path if self.cache is not None else "(no cache)"
            raise CacheMiss(
                f"replay mode: no cached answer in {where} for task '{request.task}'"
                f"{f' on {request.article}' if request.article else ''} ({self.backend}:{self.model});"
                " run without --cache-mode replay to record it"
            )
        return document, key, None

    def _store(self, request: ChatRequest, document: dict[str, Any], key: str, response: dict[str, Any]) -> ChatResult:
        if self.cache is not None and self.settings.cache_mode in (CacheMode.READWRITE, CacheMode.REFRESH):
            self.cache.put(task=request.task, request=document, response=response)
        return ChatResult.of(response, cached=False, provenance="recorded", key=key)

    def is_cached(self, request: ChatRequest) -> bool:  # --dry-run asks: would the cache answer it?
        if self.cache is None or self.settings.cache_mode not in (CacheMode.READWRITE, CacheMode.REPLAY):
            return False
        return self.cache.get(cache_key(self._document(request))) is not None

    def _document(self, request: ChatRequest) -> dict[str, Any]:
        """Everything that changes the answer, and nothing secret: this is hashed and stored."""
        params: dict[str, Any] = {
            "max_tokens": request.max_tokens,
            "temperature": self.settings.temperature,
            "seed": self.settings.seed,
        }
        if request.response_schema is None:
            # The route's extra sampling (the embedded model's penalties) is for free text only. A
            # structured answer must repeat the article's words verbatim (names, evidence, quotes)
            # and its own keys, which penalties would punish; the schema bounds its shape instead.
            params.update(self.route.sampling)
        if request.response_schema is not None:
            params["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": request.schema_name, "schema": request.response_schema, "strict": True},
            }
        return {
            "backend": self.backend,
            "endpoint": self.endpoint,
            "model": self.model,
            "messages": [dict(m) for m in request.messages],
            "params": params,
        }

    def sdk_call(self, call: Callable[[Any], Any], *, retry: bool = True) -> Any:
        """One call of the sync SDK client (the Batch API's files and batches), with the usual
        retries and error messages; ``retry=False`` for a call that must not be made twice."""
        return self._remote().sdk_call(call, model=self.model, retry=retry)

    def _remote(self) -> SDK:
        if self._sdk is None:
            from .sdk import SDK  # the first miss pays for importing openai, a hit never does

            self._sdk = SDK(
                self.settings,
                route=self.route,
                http_client=self._http_client,
                async_http_client=self._async_http_client,
                sleep=self._sleep,
            )
        return self._sdk

    def document(self, request: ChatRequest) -> dict[str, Any]:
        """What is hashed into the cache key and stored with the answer (see ``_document``)."""
        return self._document(request)

    def store(self, request: ChatRequest, response: dict[str, Any]) -> ChatResult:
        """An answer that arrived another way (a Batch API output line, already parsed) -> the cache."""
        document = self._document(request)
        return self._store(request, document, cache_key(document), response)


def open_llm(settings: Settings, *, http_client: httpx2.Client | None = None) -> LLM:
    """The usual way in: an ``LLM`` with the cache the settings ask for (none when ``off``)."""
    cache = None if settings.cache_mode is CacheMode.OFF else Cache(settings.cache_path)
    return LLM(settings, cache=cache, http_client=http_client)

"""Stage 5: the one module that imports ``openai``; every model call goes through ``LLM.complete``.

Both backends are the same code path. ``openai`` talks to OpenAI or any compatible server by
``base_url``; ``local`` gives the very same SDK client an ``http_client`` whose transport answers
``/v1/chat/completions`` in-process with llama.cpp (``local.py``). So retries, the cache, error
messages and response parsing are shared, and a test that drives one drives both.

The SDK's own retries are off (``max_retries=0``): tenacity owns them, with an explicit list of
transient failures (429 honouring ``Retry-After``, 408, 409, 5xx, timeouts, connection errors),
exponential backoff with jitter, and caps on attempts and on total time. 400/401/403/404 are
never retried: asking again cannot fix them.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from functools import cache, cached_property
from typing import Any

import httpx2
import openai
from tenacity import (
    AsyncRetrying,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
)

from ..config import Backend, CacheMode, Settings
from ..errors import (
    BackendError,
    CacheMiss,
    ModelNotFound,
)
from ..redact import public_url, redact
from .cache import Cache, cache_key
from .chat import ChatRequest, ChatResult, Usage, parse_completion
from .failures import is_transient, not_json, translate_error
from .ratelimit import Throttle, log_retry, retry_after, retry_wait
from .tokens import TokenCounter, context_window, counter_for_model

__all__ = ["ChatRequest", "ChatResult", "LLM", "Usage", "open_llm", "redact", "retry_after", "sdk_args"]


OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
EMBEDDED_URL = "http://embedded.invalid/v1"  # never resolved: the local transport answers it


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
        self._async_sdk: openai.AsyncOpenAI | None = None
        self._sleep = sleep  # tests pass a no-op to run retry schedules instantly
        self._sdk: openai.OpenAI | None = None
        self._local: Any = None
        if settings.backend is Backend.LOCAL:
            from .local import LocalModel  # only the local backend needs llama.cpp

            self._local = LocalModel.from_settings(settings)

    @property
    def backend(self) -> Backend:
        return self.settings.backend

    @property
    def model(self) -> str:
        if self._local is not None:
            return str(self._local.name)
        return self.settings.model or ""

    @cached_property  # asked several times per request; the settings are frozen
    def endpoint(self) -> str:
        if self._local is not None:
            return "embedded"
        return public_url(self.settings.base_url or OPENAI_DEFAULT_URL)

    def counter(self) -> TokenCounter:
        if self._local is not None:
            return self._local.counter()  # type: ignore[no-any-return]
        return counter_for_model(self.model)

    def context_tokens(self) -> int:
        if self._local is not None:
            return int(self._local.n_ctx)
        return context_window(self.model, self.settings.context_tokens)

    def close(self) -> None:
        if self._sdk is not None:
            self._sdk.close()
        if self.cache is not None:
            self.cache.close()

    async def aclose(self) -> None:
        """Close the async client (batches); ``close`` still closes the cache and sync client."""
        if self._async_sdk is not None:
            await self._async_sdk.close()
            self._async_sdk = None

    def __enter__(self) -> LLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one call ------------------------------------------------------------------------

    def complete(self, request: ChatRequest) -> ChatResult:
        document, key, hit = self._lookup(request)
        if hit is not None:
            return hit
        return self._store(request, document, key, self._call_with_retries(document))

    async def acomplete(self, request: ChatRequest, *, throttle: Throttle | None = None) -> ChatResult:
        """``complete`` on the SDK's async client, for batches; the same cache, retries, errors.

        ``throttle`` (see ``ratelimit.py``) is awaited before every attempt that reaches the
        endpoint (cache hits cost nothing), and told when a 429 asks the whole batch to wait.
        """
        document, key, hit = self._lookup(request)
        if hit is not None:
            return hit
        response = await self._acall_with_retries(document, request, throttle)
        return self._store(request, document, key, response)

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
        if self._local is not None and request.response_schema is None:
            # The penalties stop a small model looping in free text. A structured answer must
            # repeat the article's words verbatim (names, evidence, quotes) and its own keys,
            # which they would punish; the schema's grammar bounds its shape instead.
            from .local import LOCAL_SAMPLING

            params.update(LOCAL_SAMPLING)
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

    def _retry_policy(self, throttle: Throttle | None = None) -> dict[str, Any]:
        return {
            "retry": retry_if_exception(is_transient),
            "wait": retry_wait(self.settings.max_retry_seconds, throttle),
            "stop": stop_after_attempt(self.settings.max_attempts) | stop_after_delay(self.settings.max_retry_seconds),
            "before_sleep": log_retry,
            "reraise": True,
        }

    def _call_with_retries(self, document: dict[str, Any]) -> dict[str, Any]:
        retrying = Retrying(**self._retry_policy(), **({"sleep": self._sleep} if self._sleep else {}))
        try:
            return retrying(lambda: self._parse(self._client().post("/chat/completions", **_chat(document)), document))
        except openai.OpenAIError as exc:
            raise self._failure(exc, document["model"]) from None
        except json.JSONDecodeError as exc:
            raise not_json(exc, endpoint=self.endpoint) from None

    async def _acall_with_retries(
        self, document: dict[str, Any], request: ChatRequest, throttle: Throttle | None
    ) -> dict[str, Any]:
        # Tokenizing costs client CPU: only a limiter with a TPM budget needs the estimate.
        wanted = throttle is not None and getattr(throttle, "needs_tokens", True)
        estimate = self.counter().count_messages(document["messages"]) + request.max_tokens if wanted else 0
        try:
            async for attempt in AsyncRetrying(**self._retry_policy(throttle)):
                with attempt:
                    if throttle is not None:
                        await throttle.acquire(estimate)
                    body = await self._async_client().post("/chat/completions", **_chat(document))
                    return self._parse(body, document)
        except openai.OpenAIError as exc:
            raise self._failure(exc, document["model"]) from None
        except json.JSONDecodeError as exc:
            raise not_json(exc, endpoint=self.endpoint) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def sdk_call(self, call: Callable[[openai.OpenAI], Any], *, retry: bool = True) -> Any:
        """One call of the sync SDK client (the Batch API's files and batches), with the usual
        retries and error messages; ``retry=False`` for a call that must not be made twice."""
        try:
            return Retrying(**self._retry_policy())(call, self._client()) if retry else call(self._client())
        except openai.NotFoundError:
            raise ModelNotFound(f"{self.endpoint} has no Batch API (HTTP 404): run without --openai-batch") from None
        except openai.OpenAIError as exc:
            raise self._failure(exc, self.model) from None

    def document(self, request: ChatRequest) -> dict[str, Any]:
        """What is hashed into the cache key and stored with the answer (see ``_document``)."""
        return self._document(request)

    def store(self, request: ChatRequest, response: dict[str, Any]) -> ChatResult:
        """An answer that arrived another way (a Batch API output line, already parsed) -> the cache."""
        document = self._document(request)
        return self._store(request, document, cache_key(document), response)

    def _failure(self, exc: openai.OpenAIError, model: str) -> BackendError:
        return translate_error(
            exc, endpoint=self.endpoint, model=model, timeout=self.settings.timeout, secret=self.settings.api_key
        )

    def _parse(self, body: Any, document: dict[str, Any]) -> dict[str, Any]:
        return parse_completion(body, model=document["model"], endpoint=self.endpoint)

    def _client(self) -> openai.OpenAI:
        if self._sdk is None:
            local, http_client = self._local, self._http_client
            if http_client is None:
                http_client = (
                    httpx2.Client(transport=local.transport())
                    if local is not None
                    else openai.DefaultHttpxClient(verify=_tls())
                )
            self._sdk = openai.OpenAI(**self._sdk_options(), http_client=http_client)
        return self._sdk

    def _async_client(self) -> openai.AsyncOpenAI:
        if self._async_sdk is None:
            local, http_client = self._local, self._async_http_client
            if http_client is None:  # aiohttp: see pyproject.toml
                http_client = (
                    httpx2.AsyncClient(transport=local.async_transport())
                    if local is not None
                    else openai.DefaultAioHttpClient(verify=_tls())
                )
            self._async_sdk = openai.AsyncOpenAI(**self._sdk_options(), http_client=http_client)
        return self._async_sdk

    def _sdk_options(self) -> dict[str, Any]:
        """What both SDK clients are built with; the SDK's own retries are off (tenacity's are on)."""
        if self._local is not None:
            self._local.check()
            base_url, api_key = EMBEDDED_URL, "embedded"
        else:
            # Self-hosted servers (vLLM, Ollama, llama.cpp) usually want no key, but the SDK insists
            # on one; a placeholder is sent only when the user gave none.
            base_url, api_key = self.settings.base_url or OPENAI_DEFAULT_URL, self.settings.api_key or "no-key"
        return {"api_key": api_key, "base_url": base_url, "timeout": self.settings.timeout, "max_retries": 0}


def sdk_args(document: dict[str, Any]) -> dict[str, Any]:
    return {"model": document["model"], "messages": document["messages"], **document["params"]}


def _chat(document: dict[str, Any]) -> dict[str, Any]:
    # ``post`` arguments: create() first runs our plain JSON through the SDK's TypedDict transform,
    # 1.5 ms CPU per request for nothing (4.9 -> 3.4 ms measured); same request, errors and retries.
    # ``object``: the decoded JSON as it came, which ``parse_completion`` reads (see there why).
    return {"body": sdk_args(document), "cast_to": object}


@cache
def _tls() -> ssl.SSLContext:
    # Loading the CA store costs 50 ms of CPU per client; the clients of one process share it.
    return httpx2.create_ssl_context()


def open_llm(settings: Settings, *, http_client: httpx2.Client | None = None) -> LLM:
    """The usual way in: an ``LLM`` with the cache the settings ask for (none when ``off``)."""
    cache = None if settings.cache_mode is CacheMode.OFF else Cache(settings.cache_path)
    return LLM(settings, cache=cache, http_client=http_client)

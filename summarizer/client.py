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

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
import openai
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from .cache import Cache, cache_key
from .config import Backend, CacheMode, Settings
from .errors import (
    AuthenticationFailed,
    BackendError,
    CacheMiss,
    EndpointUnreachable,
    ModelNotFound,
    RequestRejected,
    ServerFailed,
)
from .tokens import TokenCounter, context_window, counter_for_model

__all__ = ["ChatRequest", "ChatResult", "LLM", "Usage", "open_llm", "redact", "retry_after"]

log = logging.getLogger(__name__)

OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
EMBEDDED_URL = "http://embedded.invalid/v1"  # never resolved: the local transport answers it
_RETRY_STATUS = {408, 409, 429}
_MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class ChatRequest:
    task: str
    messages: tuple[dict[str, str], ...]
    max_tokens: int
    article: str = ""  # the article's id, for messages such as a replay-mode miss
    response_schema: dict[str, Any] | None = None
    schema_name: str = "output"


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


class LLM:
    """A model behind the OpenAI API, with the cache in front of it."""

    def __init__(
        self,
        settings: Settings,
        *,
        cache: Cache | None = None,
        http_client: httpx2.Client | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self._http_client = http_client
        self._sleep = sleep  # tests pass a no-op to run retry schedules instantly
        self._sdk: openai.OpenAI | None = None
        self._local: Any = None
        if settings.backend is Backend.LOCAL:
            from .local import LocalModel  # only the local backend needs llama.cpp

            self._local = LocalModel.from_settings(settings)

    @property
    def backend(self) -> str:
        return self.settings.backend.value

    @property
    def model(self) -> str:
        if self._local is not None:
            return str(self._local.name)
        return self.settings.model or ""

    @property
    def endpoint(self) -> str:
        if self._local is not None:
            return "embedded"
        return _public_url(self.settings.base_url or OPENAI_DEFAULT_URL)

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

    def __enter__(self) -> LLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one call ------------------------------------------------------------------------

    def complete(self, request: ChatRequest) -> ChatResult:
        document = self._document(request)
        key = cache_key(document)
        mode = self.settings.cache_mode
        if self.cache is not None and mode in (CacheMode.READWRITE, CacheMode.REPLAY):
            hit = self.cache.get(key)
            if hit is not None:
                return _result(hit.response, cached=True, provenance=hit.provenance, key=key)
        if mode is CacheMode.REPLAY:
            where = self.cache.path if self.cache is not None else "(no cache)"
            raise CacheMiss(
                f"replay mode: no cached answer in {where} for task '{request.task}'"
                f"{f' on {request.article}' if request.article else ''} ({self.backend}:{self.model});"
                " run without --cache-mode replay to record it"
            )
        response = self._call_with_retries(document)
        if self.cache is not None and mode in (CacheMode.READWRITE, CacheMode.REFRESH):
            self.cache.put(task=request.task, request=document, response=response)
        return _result(response, cached=False, provenance="recorded", key=key)

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

    def _call_with_retries(self, document: dict[str, Any]) -> dict[str, Any]:
        retrying = Retrying(
            retry=retry_if_exception(_is_transient),
            wait=_wait_for(self.settings),
            stop=stop_after_attempt(self.settings.max_attempts) | stop_after_delay(self.settings.max_retry_seconds),
            before_sleep=_log_retry,
            reraise=True,
            **({"sleep": self._sleep} if self._sleep is not None else {}),
        )
        try:
            return retrying(self._call_once, document)
        except openai.OpenAIError as exc:
            raise self._translate(exc, document) from None

    def _call_once(self, document: dict[str, Any]) -> dict[str, Any]:
        completion = self._client().chat.completions.create(
            model=document["model"],
            messages=document["messages"],  # type: ignore[arg-type]
            **document["params"],
        )
        choice = completion.choices[0] if completion.choices else None
        usage = completion.usage
        return {
            "text": (choice.message.content or "") if choice else "",
            "finish_reason": (choice.finish_reason or "stop") if choice else "empty",
            "model": completion.model or document["model"],
            "usage": {
                "prompt_tokens": usage.prompt_tokens if usage else 0,
                "completion_tokens": usage.completion_tokens if usage else 0,
            },
        }

    def _client(self) -> openai.OpenAI:
        if self._sdk is None:
            if self._local is not None:
                self._local.check()
                base_url, api_key = EMBEDDED_URL, "embedded"
                http_client = self._http_client or httpx2.Client(transport=self._local.transport())
            else:
                base_url = self.settings.base_url or OPENAI_DEFAULT_URL
                # Self-hosted servers (vLLM, Ollama, llama.cpp) usually want no key, but the SDK
                # insists on one; a placeholder is sent only when the user gave none.
                api_key = self.settings.api_key or "no-key"
                http_client = self._http_client
            self._sdk = openai.OpenAI(
                api_key=api_key,
                base_url=base_url,
                timeout=self.settings.timeout,
                max_retries=0,
                http_client=http_client,
            )
        return self._sdk

    def _translate(self, exc: openai.OpenAIError, document: dict[str, Any]) -> BackendError:
        where, model = self.endpoint, document["model"]
        secret = self.settings.api_key
        if isinstance(exc, openai.APITimeoutError):
            return EndpointUnreachable(
                f"{where} did not answer within {self.settings.timeout:g}s, even after retries;"
                " raise --timeout or check the server"
            )
        if isinstance(exc, openai.APIConnectionError):
            return EndpointUnreachable(
                f"cannot reach {where}: is the server running? Check OPENAI_BASE_URL,"
                " or unset it to use the embedded model"
            )
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            # The server's own message for a 401 can quote part of the key; we show none of it.
            return AuthenticationFailed(
                f"{where} rejected the API key (HTTP {exc.status_code}): set a valid OPENAI_API_KEY,"
                " or unset it and OPENAI_BASE_URL to use the embedded model"
            )
        if isinstance(exc, openai.NotFoundError):
            return ModelNotFound(
                f"{where} has no model '{model}' (HTTP 404): pick one it serves with --model or SUMMARIZER_MODEL"
            )
        if isinstance(exc, openai.RateLimitError):
            return ServerFailed(
                f"{where} is still rate-limiting (HTTP 429) after retries; try again later or lower the request rate"
            )
        if isinstance(exc, openai.APIStatusError):
            detail = redact(_message(exc), secret)
            if exc.status_code >= 500:
                return ServerFailed(f"{where} failed with HTTP {exc.status_code} after retries: {detail}")
            return RequestRejected(f"{where} rejected the request (HTTP {exc.status_code}): {detail}")
        return BackendError(f"{where}: {redact(str(exc), secret)}")


def _result(response: dict[str, Any], *, cached: bool, provenance: str, key: str) -> ChatResult:
    usage = response.get("usage") or {}
    return ChatResult(
        text=str(response.get("text", "")),
        finish_reason=str(response.get("finish_reason", "stop")),
        model=str(response.get("model", "")),
        usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
        cached=cached,
        provenance=provenance,
        key=key,
    )


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in _RETRY_STATUS or exc.status_code >= 500
    return False


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``Retry-After`` or ``retry-after-ms``), if any."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                continue  # an HTTP date: rare from LLM servers; fall back to backoff
    return None


def _wait_for(settings: Settings) -> Callable[[RetryCallState], float]:
    backoff = wait_random_exponential(multiplier=0.5, max=20)

    def wait(state: RetryCallState) -> float:
        asked = retry_after(state.outcome.exception() if state.outcome else None)
        if asked is not None:
            return min(asked, _MAX_RETRY_AFTER, settings.max_retry_seconds)
        return float(backoff(state))

    return wait


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning("attempt %d failed (%s); retrying", state.attempt_number, type(exc).__name__)


def _message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:300]
    return str(exc.message)[:300]


_KEY_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]{8,}")


def redact(text: str, secret: str | None = None) -> str:
    """Remove an API key (the configured one, and anything shaped like an OpenAI key)."""
    if secret:
        text = text.replace(secret, "[redacted]")
    return _KEY_PATTERN.sub(r"\1…[redacted]", text)


def _public_url(url: str) -> str:
    """The endpoint without credentials or query: safe to print and to hash into the cache key."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def open_llm(settings: Settings, *, http_client: httpx2.Client | None = None) -> LLM:
    """The usual way in: an ``LLM`` with the cache the settings ask for (none when ``off``)."""
    cache = None if settings.cache_mode is CacheMode.OFF else Cache(settings.cache_path)
    return LLM(settings, cache=cache, http_client=http_client)

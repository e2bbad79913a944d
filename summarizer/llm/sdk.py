"""The network side of ``LLM``: the SDK clients, tenacity's retries and the error mapping.

Imported on the first request the cache cannot answer, so a cached answer (a replayed test, a
rerun of this morning's batch, ``summarise`` of an article already done) never pays for
importing ``openai`` (0.9 s here) or building a client.

The SDK's own retries are off (``max_retries=0``): tenacity owns them, with an explicit list of
transient failures (429 honouring ``Retry-After``, 408, 409, 5xx, timeouts, connection errors),
exponential backoff with jitter, and caps on attempts and on total time. 400/401/403/404 are
never retried: asking again cannot fix them.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import httpx2
import openai
from tenacity import AsyncRetrying, Retrying, retry_if_exception, stop_after_attempt, stop_after_delay

from ..config import Settings
from ..errors import BackendError, ModelNotFound
from .chat import parse_completion
from .failures import is_transient, not_json, translate_error
from .ratelimit import Throttle, log_retry, retry_wait
from .stream import Gather, is_event_stream

if TYPE_CHECKING:
    from .route import Route

__all__ = ["SDK", "sdk_args"]


class SDK:
    """The SDK clients of one ``LLM`` (sync for the CLI, async for batches), built on first use
    from its ``Route``: where to post, with which key, through which transport."""

    def __init__(
        self,
        settings: Settings,
        *,
        route: Route,
        http_client: httpx2.Client | None,
        async_http_client: httpx2.AsyncClient | None,
        sleep: Callable[[float], None] | None,
    ) -> None:
        self.settings = settings
        self.route = route
        self.endpoint = route.endpoint
        self._http_client = http_client
        self._async_http_client = async_http_client
        self._sleep = sleep  # tests pass a no-op to run retry schedules instantly
        self._sdk: openai.OpenAI | None = None
        self._async_sdk: openai.AsyncOpenAI | None = None

    def close(self) -> None:
        if self._sdk is not None:
            self._sdk.close()

    async def aclose(self) -> None:
        if self._async_sdk is not None:
            await self._async_sdk.close()
            self._async_sdk = None

    def call(self, document: dict[str, Any]) -> dict[str, Any]:
        retrying = Retrying(**self._retry_policy(), **({"sleep": self._sleep} if self._sleep else {}))
        try:
            return retrying(lambda: self._parse(self._client().post("/chat/completions", **_chat(document)), document))
        except openai.OpenAIError as exc:
            raise self._failure(exc, document["model"]) from None
        except json.JSONDecodeError as exc:
            raise not_json(exc, endpoint=self.endpoint) from None

    async def acall(self, document: dict[str, Any], *, estimate: int, throttle: Throttle | None) -> dict[str, Any]:
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

    def stream(self, document: dict[str, Any], on_delta: Callable[[str], bool]) -> dict[str, Any]:
        """``call`` with ``stream=True``: ``on_delta`` is told each piece of text and may stop the
        answer (True), which closes the request. Retried only until the first chunk: after it,
        asking again would show the listener the text twice."""
        gather = Gather(on_delta, document["model"], self.endpoint)

        def first() -> tuple[openai.Stream[object] | None, Iterator[object], Any]:
            opened = self._client().post(
                "/chat/completions", **_chat(document, stream=True), stream=True, stream_cls=openai.Stream[object]
            )
            if not is_event_stream(opened.response.headers.get("content-type")):
                with opened:  # the whole answer at once, as JSON: one delta
                    return None, iter(()), self._parse(json.loads(opened.response.read()), document)
            chunks = iter(opened)
            try:
                return opened, chunks, next(chunks, None)
            except BaseException:
                opened.close()
                raise

        retrying = Retrying(**self._retry_policy(), **({"sleep": self._sleep} if self._sleep else {}))
        try:
            opened, chunks, head = retrying(first)
            if opened is None:
                on_delta(head["text"])
                return dict(head)
            with opened:  # leaving it closes the request: a cut loop stops the server's generation
                if head is None or not gather.add(head):
                    for chunk in chunks:
                        if gather.add(chunk):
                            break
            return gather.result()
        except openai.OpenAIError as exc:
            raise self._failure(exc, document["model"]) from None
        except json.JSONDecodeError as exc:
            raise not_json(exc, endpoint=self.endpoint) from None

    async def astream(
        self,
        document: dict[str, Any],
        on_delta: Callable[[str], bool],
        *,
        estimate: int,
        throttle: Throttle | None,
    ) -> dict[str, Any]:
        """``stream`` on the async client (the desk); a cancelled task closes the request."""
        gather = Gather(on_delta, document["model"], self.endpoint)
        try:
            async for attempt in AsyncRetrying(**self._retry_policy(throttle)):
                with attempt:
                    if throttle is not None:
                        await throttle.acquire(estimate)
                    opened = await self._async_client().post(
                        "/chat/completions",
                        **_chat(document, stream=True),
                        stream=True,
                        stream_cls=openai.AsyncStream[object],
                    )
                    if not is_event_stream(opened.response.headers.get("content-type")):
                        body = json.loads(await opened.response.aread())
                        await opened.close()
                        whole = self._parse(body, document)
                        on_delta(whole["text"])
                        return whole
                    chunks = opened.__aiter__()
                    try:
                        head = await anext(chunks, None)
                    except BaseException:
                        await opened.close()
                        raise
            try:
                if head is None or not gather.add(head):
                    async for chunk in chunks:
                        if gather.add(chunk):
                            break
            finally:
                await opened.close()
            return gather.result()
        except openai.OpenAIError as exc:
            raise self._failure(exc, document["model"]) from None
        except json.JSONDecodeError as exc:
            raise not_json(exc, endpoint=self.endpoint) from None

    def sdk_call(self, call: Callable[[openai.OpenAI], Any], *, model: str, retry: bool = True) -> Any:
        try:
            return Retrying(**self._retry_policy())(call, self._client()) if retry else call(self._client())
        except openai.NotFoundError:
            raise ModelNotFound(f"{self.endpoint} has no Batch API (HTTP 404): run without --openai-batch") from None
        except openai.OpenAIError as exc:
            raise self._failure(exc, model) from None

    def _retry_policy(self, throttle: Throttle | None = None) -> dict[str, Any]:
        return {
            "retry": retry_if_exception(is_transient),
            "wait": retry_wait(self.settings.max_retry_seconds, throttle),
            "stop": stop_after_attempt(self.settings.max_attempts) | stop_after_delay(self.settings.max_retry_seconds),
            "before_sleep": log_retry,
            "reraise": True,
        }

    def _failure(self, exc: openai.OpenAIError, model: str) -> BackendError:
        return translate_error(
            exc, endpoint=self.endpoint, model=model, timeout=self.settings.timeout, secret=self.settings.api_key
        )

    def _parse(self, body: Any, document: dict[str, Any]) -> dict[str, Any]:
        return parse_completion(body, model=document["model"], endpoint=self.endpoint)

    def _client(self) -> openai.OpenAI:
        if self._sdk is None:
            engine, http_client = self.route.engine, self._http_client
            if http_client is None:
                http_client = (
                    httpx2.Client(transport=engine.transport())
                    if engine is not None
                    else openai.DefaultHttpxClient(verify=_tls(self.route.plain_http))
                )
            self._sdk = openai.OpenAI(**self._sdk_options(), http_client=http_client)
        return self._sdk

    def _async_client(self) -> openai.AsyncOpenAI:
        if self._async_sdk is None:
            engine, http_client = self.route.engine, self._async_http_client
            if http_client is None:  # aiohttp: see pyproject.toml
                http_client = (
                    httpx2.AsyncClient(transport=engine.async_transport())
                    if engine is not None
                    else openai.DefaultAioHttpClient(verify=_tls(self.route.plain_http))
                )
            self._async_sdk = openai.AsyncOpenAI(**self._sdk_options(), http_client=http_client)
        return self._async_sdk

    def _sdk_options(self) -> dict[str, Any]:
        """What both SDK clients are built with; the SDK's own retries are off (tenacity's are on)."""
        route = self.route
        if route.engine is not None:
            route.engine.check()  # before any request: the missing file or library, with the fix
        timeout = self.settings.timeout
        return {"api_key": route.api_key, "base_url": route.base_url, "timeout": timeout, "max_retries": 0}


def sdk_args(document: dict[str, Any]) -> dict[str, Any]:
    return {"model": document["model"], "messages": document["messages"], **document["params"]}


def _chat(document: dict[str, Any], *, stream: bool = False) -> dict[str, Any]:
    # ``post`` arguments: create() first runs our plain JSON through the SDK's TypedDict transform,
    # 1.5 ms CPU per request for nothing (4.9 -> 3.4 ms measured); same request, errors and retries.
    # ``object``: the decoded JSON as it came, which ``parse_completion`` reads (see there why).
    body = sdk_args(document)
    if stream:  # the usage of a streamed answer comes in a last chunk, when the server is asked for it
        body = {**body, "stream": True, "stream_options": {"include_usage": True}}
    return {"body": body, "cast_to": object}


@cache
def _tls(plain_http: bool = False) -> ssl.SSLContext:
    # Loading the CA store costs 50 ms of CPU per client; the clients of one process share it.
    # An http:// endpoint (vLLM, Ollama, llama.cpp on the local network) never needs it: its
    # context verifies as strictly but trusts no one, so a TLS connection would fail, not pass.
    if plain_http:
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return httpx2.create_ssl_context()

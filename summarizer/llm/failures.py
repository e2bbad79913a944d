"""What a failed model call means to the user: SDK exceptions -> the library's error tree.

Every message names the endpoint and the fix ("raise --timeout", "set a valid OPENAI_API_KEY",
"pick one it serves with --model") and never quotes the key: a server's own 401 message can
echo part of it. ``is_transient`` is the one list of failures worth asking again.
"""

from __future__ import annotations

import json

import aiohttp
import openai

from ..errors import (
    AuthenticationFailed,
    BackendError,
    EndpointTimeout,
    EndpointUnreachable,
    ModelNotFound,
    OutputInvalid,
    RequestRejected,
    ServerFailed,
)
from ..redact import redact

__all__ = ["RETRY_STATUS", "is_transient", "not_json", "translate_error"]

RETRY_STATUS = {408, 409, 429}


def not_json(exc: json.JSONDecodeError, *, endpoint: str) -> OutputInvalid:
    # The SDK lets this escape when a proxy serves an HTML error page as application/json.
    return OutputInvalid(f"{endpoint} answered with a body that is not JSON: {exc.doc[:80]!r}", raw=exc.doc)


def translate_error(
    exc: openai.OpenAIError, *, endpoint: str, model: str, timeout: float, secret: str | None
) -> BackendError:
    where = endpoint
    if isinstance(exc, openai.APITimeoutError) and not _refused(exc):
        return EndpointTimeout(
            f"{where} did not answer within {timeout:g}s, even after retries; raise --timeout or check the server"
        )
    if isinstance(exc, openai.APIConnectionError):
        return EndpointUnreachable(
            f"cannot reach {where}: is the server running? Check OPENAI_BASE_URL, or unset it to use the embedded model"
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


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRY_STATUS or exc.status_code >= 500
    return isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError))


def _refused(exc: BaseException) -> bool:
    # The SDK's aiohttp transport reports a refused or dropped connection as a connect *timeout*;
    # the aiohttp error underneath says which, and the user needs "cannot reach", not "--timeout".
    cause = exc.__cause__
    while cause is not None and not isinstance(cause, aiohttp.ClientConnectionError):
        cause = cause.__cause__
    return cause is not None and not isinstance(cause, TimeoutError)


def _message(exc: openai.APIStatusError) -> str:
    inner = exc.body.get("error", exc.body) if isinstance(exc.body, dict) else None
    return str(inner["message"] if isinstance(inner, dict) and inner.get("message") else exc.message)[:300]

"""Every error the library raises on purpose, under one base class.

The tree (the exit code the CLI maps each branch to is in brackets)::

    SummarizerError
    ├── UsageError [2]               bad option or configuration
    ├── InputError [2]               the article cannot be read or is not text
    ├── BackendError [1]             talking to the model failed
    │   ├── AuthenticationFailed     the endpoint rejected the API key (401/403)
    │   ├── EndpointUnreachable      connection refused, DNS, timeout after retries
    │   │   └── EndpointTimeout      it accepted the request but did not answer in time
    │   ├── ModelNotFound            404 for the model or the route
    │   ├── RequestRejected          400/422: the endpoint refused this request
    │   ├── ServerFailed             5xx or 429 still failing after retries
    │   └── LocalModelUnavailable    llama-cpp-python or the GGUF file is missing
    ├── CacheMiss [1]                replay mode and no recorded answer
    ├── StoreUnreadable [1]          the house memory's file is not a store this tool can read
    ├── OutputInvalid [1]            the model's answer is unusable (empty, not the schema)
    ├── WireError [1]                a feed, a linked page or the CMS could not be fetched or read
    └── QualityCheckFailed [3]       checks failed and the user asked for --strict

Messages are written for the person at the terminal: they say what happened and what to do
about it, and never contain an API key (see ``redact.redact``).
"""

from __future__ import annotations

__all__ = [
    "AuthenticationFailed",
    "BackendError",
    "CacheMiss",
    "EndpointTimeout",
    "EndpointUnreachable",
    "InputError",
    "LocalModelUnavailable",
    "ModelNotFound",
    "OutputInvalid",
    "QualityCheckFailed",
    "RequestRejected",
    "ServerFailed",
    "StoreUnreadable",
    "SummarizerError",
    "UsageError",
    "WireError",
]


class SummarizerError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code: int = 1


class UsageError(SummarizerError):
    exit_code = 2


class InputError(SummarizerError):
    exit_code = 2


class BackendError(SummarizerError):
    exit_code = 1


class AuthenticationFailed(BackendError):
    pass


class EndpointUnreachable(BackendError):
    pass


class EndpointTimeout(EndpointUnreachable):
    """Told apart from a refused connection so that the desk can answer 504, not 502."""


class ModelNotFound(BackendError):
    pass


class RequestRejected(BackendError):
    pass


class ServerFailed(BackendError):
    pass


class LocalModelUnavailable(BackendError):
    pass


class CacheMiss(SummarizerError):
    exit_code = 1


class StoreUnreadable(SummarizerError):
    """A corrupt or foreign SQLite file where the house memory should be."""

    exit_code = 1


class OutputInvalid(SummarizerError):
    """The model answered, but not with something usable. ``raw`` keeps the answer."""

    exit_code = 1

    def __init__(self, message: str, *, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw


class WireError(SummarizerError):
    """One feed (or the CMS) failed; ``pull`` reports it on one line and goes on with the others."""

    exit_code = 1


class QualityCheckFailed(SummarizerError):
    exit_code = 3

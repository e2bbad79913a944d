"""Where one ``LLM``'s requests go, chosen once from the settings: the only place that asks which
backend it is.

Everything that differs between a server (OpenAI, vLLM, Ollama) and the embedded model is a
field of ``Route``: the names that go into every cache key, the token counter, the context, the
extra sampling parameters, the transport the SDK is given, and the ``Capabilities`` the code above
the seam asks about. ``LLM`` (the cache front) and ``SDK`` (the retries and the error mapping) read
the route; they never test the backend. A second in-process engine is one more branch in
``route`` and nothing else.

Building a route is cheap: it neither imports ``openai`` nor loads llama.cpp (``LocalModel``
loads its weights on the first request, its vocabulary on the first exact count).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from ..config import Backend, Settings
from ..redact import public_url
from .chat import OPENAI_DEFAULT_URL, Capabilities, capabilities_of
from .tokens import TokenCounter, context_window, counter_for_model

if TYPE_CHECKING:
    import httpx2

__all__ = ["EMBEDDED_URL", "Engine", "Route", "endpoint_of", "route"]

EMBEDDED_URL = "http://embedded.invalid/v1"  # never resolved: the engine's transport answers it


class Engine(Protocol):
    """A model that answers the OpenAI chat API in this process (``local.LocalModel``)."""

    def check(self) -> None: ...  # fail early, with the fix, when it cannot run at all

    def prepare(self, body: dict[str, Any]) -> None: ...  # start on the first request, ahead of the SDK

    def transport(self) -> httpx2.BaseTransport: ...

    def async_transport(self) -> httpx2.AsyncBaseTransport: ...


@dataclass(frozen=True)
class Route:
    backend: Backend  # as data only: the cache key, the JSON's ``backend`` field
    model: str  # the model's name in the cache key and the output
    endpoint: str  # "embedded", or the endpoint's public URL: in the cache key and every message
    base_url: str  # what the SDK posts to
    capabilities: Capabilities
    context: int  # the context window, in tokens
    counter: Callable[[], TokenCounter]
    # Added to a free-text request's parameters (so to its cache key); a structured answer gets none.
    sampling: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # The tokenizer is loaded from the model file: counts are kept in the response cache, so that a
    # request the cache answers is planned without loading it.
    keep_counts: bool = False
    # Answers in-process through an httpx2 transport; None: over the network.
    engine: Engine | None = None
    # An http:// endpoint (a server on the local network): its TLS context trusts no one.
    plain_http: bool = False
    api_key: str = field(default="", repr=False)  # the SDK insists on one; never printed


def endpoint_of(settings: Settings) -> str:
    """The endpoint as people see it (and as the cache key names it): "embedded", or a public URL."""
    if settings.backend is Backend.LOCAL:
        return "embedded"
    return public_url(settings.base_url or OPENAI_DEFAULT_URL)


def route(settings: Settings) -> Route:
    """The one place that turns the backend setting into where requests go and what that implies."""
    endpoint = endpoint_of(settings)
    capabilities = capabilities_of(settings.backend, endpoint)
    if settings.backend is Backend.LOCAL:
        from .local import LOCAL_SAMPLING, LocalModel  # httpx2 and llama.cpp load later, on first use

        local = LocalModel.from_settings(settings)
        return Route(
            backend=settings.backend,
            model=local.name,
            endpoint=endpoint,
            base_url=EMBEDDED_URL,
            capabilities=capabilities,
            context=int(local.n_ctx),
            counter=local.counter,
            # The penalties stop a small model looping in free text (see ``local.LOCAL_SAMPLING``).
            sampling=MappingProxyType(dict(LOCAL_SAMPLING)),
            keep_counts=True,
            engine=local,
            api_key="embedded",
        )
    model = settings.model or ""
    base_url = settings.base_url or OPENAI_DEFAULT_URL
    return Route(
        backend=settings.backend,
        model=model,
        endpoint=endpoint,
        base_url=base_url,
        capabilities=capabilities,
        context=context_window(model, settings.context_tokens),
        counter=partial(counter_for_model, model),
        plain_http=base_url.lower().startswith("http://"),
        # Self-hosted servers (vLLM, Ollama, llama.cpp) usually want no key, but the SDK insists
        # on one; a placeholder is sent only when the user gave none.
        api_key=settings.api_key or "no-key",
    )

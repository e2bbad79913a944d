"""A model to plan against, never to call: its name, context window and token counter.

``inspect`` (and anything else that only wants to know how an article would be sent) must not
import the SDK or load llama.cpp. For a hosted model the counter is the same as ``LLM``'s; for
the embedded one its own tokenizer would mean loading the GGUF file, so cl100k stands in and
says it is an approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import DEFAULT_OPENAI_MODEL, Backend, Settings
from ..errors import LocalModelUnavailable
from .chat import Capabilities, capabilities_of
from .route import endpoint_of
from .tokens import TokenCounter, context_window, counter_for_model

__all__ = ["PlanningModel", "planning_model"]


@dataclass(frozen=True)
class PlanningModel:
    """Satisfies ``chat.ModelInfo``: tasks can plan their requests against it."""

    model: str
    backend: Backend
    context: int
    tokens: TokenCounter
    capabilities: Capabilities

    def counter(self) -> TokenCounter:
        return self.tokens

    def context_tokens(self) -> int:
        return self.context


def planning_model(settings: Settings) -> PlanningModel:
    capabilities = capabilities_of(settings.backend, endpoint_of(settings))
    if settings.backend is Backend.LOCAL:
        from .local import DEFAULT_N_CTX, LocalModel  # httpx2 only; llama.cpp loads on first use, never here

        try:
            name = LocalModel.from_settings(settings).name
        except LocalModelUnavailable:
            name = "the embedded model (not installed)"
        cl100k = counter_for_model("gpt-4")
        tokens = TokenCounter(
            name=f"cl100k_base (approximating {name}'s own tokenizer, which is not loaded)",
            exact=False,
            encode=cl100k.encode,
        )
        return PlanningModel(name, Backend.LOCAL, settings.context_tokens or DEFAULT_N_CTX, tokens, capabilities)
    model = settings.model or DEFAULT_OPENAI_MODEL
    return PlanningModel(
        model, settings.backend, context_window(model, settings.context_tokens), counter_for_model(model), capabilities
    )

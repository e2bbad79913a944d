"""``--dry-run``: what a batch would send and cost, counted without sending anything.

``dry_run`` walks each job's real steps generator with stand-in answers: every prompt is rendered
by the task's own code and counted with ``llm.counter()``; a request already in the response
cache counts as free. The answer side is counted at each request's ``max_tokens``, so the
estimate is an upper bound, but for one thing: a structured task's stand-in is valid JSON, so
the re-ask a bad answer would need is not counted. No request is sent, to the endpoint or to
the embedded model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import Backend
from ..llm.chat import ChatRequest, ChatResult, Usage
from ..llm.client import LLM
from ..llm.steps import run
from ..llm.tokens import TokenCounter
from .jobs import Job, group_by_input
from .pricing import Pricing

__all__ = ["DryRun", "dry_run"]


@dataclass
class DryRun:
    """What a batch would send: requests, tokens and cost, and what would fail before sending."""

    model: str
    backend: Backend
    jobs: int = 0
    requests: int = 0
    cached_requests: int = 0
    prompt_tokens: int = 0
    max_completion_tokens: int = 0
    cost_usd: float | None = 0.0
    failed: dict[str, str] = field(default_factory=dict)  # input label -> reason

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def dry_run(jobs: Sequence[Job], llm: LLM, *, pricing: Pricing, batch_api: bool = False) -> DryRun:
    estimate = DryRun(model=llm.model, backend=llm.backend)
    stand_in = _StandIn(llm, estimate)
    for group in group_by_input(jobs):  # each article read once, however many outlets and tasks want it
        try:
            article = group[0].input.load()
        except Exception as exc:  # the real run would fail this input; say so now
            estimate.failed[group[0].input.label] = str(exc)
            continue
        for job in group:
            estimate.jobs += 1
            try:
                run(job.task.spec.steps(article, llm, job.params), stand_in)
            except Exception as exc:
                estimate.failed[job.input.label] = str(exc)
    usage = Usage(estimate.prompt_tokens, estimate.max_completion_tokens)
    estimate.cost_usd = pricing.cost(llm.model, usage, priced=llm.capabilities.priced, batch_api=batch_api)
    return estimate


class _StandIn:
    """A ``Completer`` that answers every request at once, counting what the real one would send."""

    def __init__(self, llm: LLM, estimate: DryRun) -> None:
        self.llm, self.estimate = llm, estimate
        self.model, self.backend, self.capabilities = llm.model, llm.backend, llm.capabilities
        self._counter = llm.counter()

    def counter(self) -> TokenCounter:
        return self._counter

    def context_tokens(self) -> int:
        return self.llm.context_tokens()

    def complete(self, request: ChatRequest) -> ChatResult:
        estimate = self.estimate
        estimate.requests += 1
        if self.llm.is_cached(request):
            estimate.cached_requests += 1
        else:
            estimate.prompt_tokens += self._counter.count_messages(request.messages)
            estimate.max_completion_tokens += request.max_tokens
        if request.response_schema is not None:
            # A structured task (facts) must be able to read the stand-in, or it would re-ask and
            # then fail every article: the smallest JSON its schema accepts.
            text = json.dumps(_smallest(request.response_schema, request.response_schema))
        else:
            # An answer as long as allowed, so that a map-reduce combine step is counted at its largest.
            text = " ".join(["word"] * request.max_tokens)
        return ChatResult(text, "stop", self.model, Usage(), cached=False, provenance="dry-run", key="")


def _smallest(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """The smallest value a JSON schema accepts, for the shapes strict schemas take."""
    if "$ref" in schema:
        return _smallest(root["$defs"][schema["$ref"].rsplit("/", 1)[-1]], root)
    if "enum" in schema or "const" in schema:
        return schema["enum"][0] if "enum" in schema else schema["const"]
    if "anyOf" in schema:
        return _smallest(schema["anyOf"][0], root)
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), "null") if isinstance(kind, list) else kind
    if kind == "object":
        required = set(schema.get("required", []))
        return {k: _smallest(v, root) for k, v in schema.get("properties", {}).items() if k in required}
    if kind == "array":
        return [_smallest(schema.get("items", {}), root) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "x" * schema.get("minLength", 0)
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    return False if kind == "boolean" else None

"""What a batch costs: a pricing table in a data file, and ``--dry-run``, which counts and sends nothing.

The table (``summarizer/data/pricing.toml``: USD per million tokens, by model-name prefix) is a
copy of published list prices and goes stale; point ``--pricing FILE`` or ``SUMMARIZER_PRICING``
at your own (same format) for your contract or your provider. A model it does not list has no
price (the report says "unknown" rather than guess); the embedded model costs nothing.

``dry_run`` walks each job's real steps generator with stand-in answers: every prompt is rendered
by the task's own code and counted with ``llm.counter()``; a request already in the response
cache counts as free. The answer side is counted at each request's ``max_tokens``, so the
estimate is an upper bound, but for one thing: a structured task's stand-in is valid JSON, so
the re-ask a bad answer would need is not counted. No request is sent, to the endpoint or to
the embedded model.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .chat import ChatRequest, ChatResult, Usage
from .client import LLM
from .errors import UsageError

if TYPE_CHECKING:
    from .batch import Job

__all__ = ["DryRun", "Price", "Pricing", "dry_run", "load_pricing"]


class Price(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    input: float  # USD per million prompt tokens
    output: float  # USD per million completion tokens


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    checked: str = ""
    batch_discount: float = 0.5  # the Batch API's price as a share of the list price
    models: dict[str, Price]


@dataclass(frozen=True)
class Pricing:
    source: str
    table: _Table

    def price(self, model: str, backend: str = "openai") -> Price | None:
        if backend == "local":
            return Price(input=0.0, output=0.0)
        for prefix in sorted(self.table.models, key=len, reverse=True):
            if model.startswith(prefix):
                return self.table.models[prefix]
        return None

    def cost(self, model: str, usage: Usage, *, backend: str = "openai", batch_api: bool = False) -> float | None:
        price = self.price(model, backend)
        if price is None:
            return None
        usd = (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000
        return usd * (self.table.batch_discount if batch_api else 1.0)


def load_pricing(path: Path | None = None) -> Pricing:
    """The table from ``path``, else ``SUMMARIZER_PRICING``, else the one shipped with the package."""
    chosen = path or (Path(os.environ["SUMMARIZER_PRICING"]) if os.environ.get("SUMMARIZER_PRICING") else None)
    try:
        text = (
            chosen.read_text(encoding="utf-8")
            if chosen
            else files("summarizer").joinpath("data/pricing.toml").read_text("utf-8")
        )
        table = _Table.model_validate(tomllib.loads(text))
    except FileNotFoundError:
        raise UsageError(f"pricing file {chosen}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise UsageError(f"pricing file {chosen or 'summarizer/data/pricing.toml'}: {exc}") from None
    return Pricing(source=str(chosen or "built-in table"), table=table)


@dataclass
class DryRun:
    """What a batch would send: requests, tokens and cost, and what would fail before sending."""

    model: str
    backend: str
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
    counter = llm.counter()
    estimate = DryRun(model=llm.model, backend=llm.backend)
    groups: dict[str, list[Job]] = {}
    for job in jobs:  # each article read once, however many outlets and tasks want it
        groups.setdefault(job.input.id, []).append(job)
    for group in groups.values():
        try:
            article = group[0].input.load()
        except Exception as exc:  # the real run would fail this input; say so now
            estimate.failed[group[0].input.label] = str(exc)
            continue
        for job in group:
            estimate.jobs += 1
            steps = job.task.spec.steps(article, llm, job.context)
            try:
                requests = next(steps)
                while True:
                    requests = steps.send([_stand_in(r, llm, counter, estimate) for r in requests])
            except StopIteration:
                pass
            except Exception as exc:
                estimate.failed[job.input.label] = str(exc)
    usage = Usage(estimate.prompt_tokens, estimate.max_completion_tokens)
    estimate.cost_usd = pricing.cost(llm.model, usage, backend=llm.backend, batch_api=batch_api)
    return estimate


def _stand_in(request: ChatRequest, llm: LLM, counter: Any, estimate: DryRun) -> ChatResult:
    estimate.requests += 1
    if llm.is_cached(request):
        estimate.cached_requests += 1
    else:
        estimate.prompt_tokens += counter.count_messages(request.messages)
        estimate.max_completion_tokens += request.max_tokens
    if request.response_schema is not None:
        # A structured task (facts) must be able to read the stand-in, or it would re-ask and
        # then fail every article: the smallest JSON its schema accepts.
        text = json.dumps(_smallest(request.response_schema, request.response_schema))
    else:
        # An answer as long as allowed, so that a map-reduce combine step is counted at its largest.
        text = " ".join(["word"] * request.max_tokens)
    return ChatResult(text, "stop", llm.model, Usage(), cached=False, provenance="dry-run", key="")


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

"""Structured output: ask for JSON matching a pydantic model, validate it, re-ask once.

The request carries the model's JSON Schema as ``response_format`` (OpenAI, vLLM and llama.cpp
constrain decoding with it; a server that ignores it still gets the shape in the prompt). The
answer is validated anyway: constrained decoding can still stop at the token limit, and some
servers accept ``response_format`` and do nothing with it. A validation failure is re-asked
once, with the error text, in the same conversation (instructor's pattern); a second failure
is ``OutputInvalid`` carrying the raw answer.

``strict_schema`` rewrites pydantic's schema into the subset OpenAI's strict mode accepts: no
``$ref`` (inlined), every object ``additionalProperties: false`` with all its properties
required, no ``default`` or ``title``. llama.cpp's grammar converter and vLLM take it as well.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import OutputInvalid
from ..llm.chat import ChatRequest, ChatResult, Completer
from ..llm.steps import Steps, run

__all__ = ["complete_model", "complete_model_steps", "parse_model", "strict_schema", "structured_request"]

M = TypeVar("M", bound=BaseModel)
_DROPPED_KEYS = ("title", "default")
_MAX_ERRORS = 6
_ECHO_CHARS = 1500
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*?)\n\s*```\s*$", re.DOTALL)


@lru_cache(maxsize=16)
def _strict_schema_json(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            extra = {k: v for k, v in node.items() if k not in ("$ref", *_DROPPED_KEYS)}
            return walk({**target, **extra})
        out = {k: walk(v) for k, v in node.items() if k not in _DROPPED_KEYS}
        if out.get("type") == "object" and "properties" in node:
            out["properties"] = {name: walk(prop) for name, prop in node["properties"].items()}
            out["required"] = list(node["properties"])
            out["additionalProperties"] = False
        return out

    return json.dumps(walk(schema))


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema in the strict subset (a fresh copy each call)."""
    return dict(json.loads(_strict_schema_json(model)))


def parse_model(text: str, model: type[M]) -> M:
    """The first JSON object in ``text`` (code fences and trailing chatter tolerated), validated.

    Raises ``ValueError`` (``ValidationError`` is one) with a message fit to show the model.
    """
    fenced = _FENCE.match(text)
    body = fenced.group(1) if fenced else text
    start = body.find("{")
    if start < 0:
        raise ValueError("the answer contains no JSON object")
    try:
        value, _ = json.JSONDecoder().raw_decode(body, start)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the answer is not valid JSON: {exc.msg} at character {exc.pos}") from None
    return model.model_validate(value)


def _describe(error: ValueError) -> str:
    if not isinstance(error, ValidationError):
        return str(error)
    lines = []
    for item in error.errors()[:_MAX_ERRORS]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"- {where}: {item['msg']}")
    more = error.error_count() - _MAX_ERRORS
    if more > 0:
        lines.append(f"- and {more} more error(s)")
    return "the JSON does not match the schema:\n" + "\n".join(lines)


def structured_request(request: ChatRequest, model: type[BaseModel]) -> ChatRequest:
    """``request`` asking for JSON matching ``model``: exactly what ``complete_model`` sends first."""
    return replace(request, response_schema=strict_schema(model), schema_name=model.__name__)


def complete_model(llm: Completer, request: ChatRequest, model: type[M]) -> tuple[M, tuple[ChatResult, ...]]:
    """Ask, validate, re-ask once with the error; return the instance and every call made."""
    return run(complete_model_steps(request, model), llm)


def complete_model_steps(request: ChatRequest, model: type[M]) -> Steps[tuple[M, tuple[ChatResult, ...]]]:
    """``complete_model`` as steps, for the batch's async driver (see ``llm/steps.py``)."""
    request = structured_request(request, model)
    (first,) = yield [request]
    try:
        return parse_model(first.text, model), (first,)
    except ValueError as exc:
        problem = _problem(first, exc)
    retry = replace(
        request,
        task=f"{request.task} re-ask",
        messages=(
            *request.messages,
            {"role": "assistant", "content": _echo(first)},
            {
                "role": "user",
                "content": f"Your answer cannot be used: {problem}\n"
                "Answer again with one JSON object that matches the schema, and nothing else.",
            },
        ),
    )
    (second,) = yield [retry]
    try:
        return parse_model(second.text, model), (first, second)
    except ValueError as exc:
        problem = " ".join(_problem(second, exc).splitlines()[:2])
        again = " (a cached answer: --cache-mode refresh asks anew)" if second.cached else ""
        raise OutputInvalid(
            f"the model ({second.model}) did not answer with valid {model.__name__} JSON, even when asked again:"
            f" {problem}{again}",
            raw=second.text,
        ) from None


def _echo(result: ChatResult) -> str:
    """The failed answer as shown back to the model.

    A cut-off answer fills max_tokens; echoed whole it would leave the retry too little context
    for a whole answer (measured: the 135M model's re-ask on the seed, 2,573 prompt tokens of a
    4,096 context). Its start is enough to show what went wrong.
    """
    if result.finish_reason == "length" and len(result.text) > _ECHO_CHARS:
        return result.text[:_ECHO_CHARS] + " …"
    return result.text


def _problem(result: ChatResult, error: ValueError) -> str:
    if result.finish_reason == "length":
        # Cut off at max_tokens: the error would be "unterminated string", which misleads.
        return "it was cut off at the token limit; give fewer items and shorter evidence."
    return _describe(error)

"""Structured output: the strict schema, tolerant parsing, and the one re-ask."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fakes import FakeOpenAI, Reply
from pydantic import BaseModel, ConfigDict

from summarizer.config import Backend, CacheMode, Settings
from summarizer.errors import OutputInvalid
from summarizer.facts.schema import FactsDraft
from summarizer.llm.client import LLM, ChatRequest
from summarizer.tasks.structured import complete_model, parse_model, strict_schema


class Point(BaseModel):
    model_config = ConfigDict(extra="forbid")
    x: int
    label: str | None = None


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: list[Point]


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found.extend(_objects(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_objects(value))
    return found


@pytest.mark.parametrize("model", [Shape, FactsDraft])
def test_strict_schema_is_what_openai_strict_mode_accepts(model: type[BaseModel]) -> None:
    schema = strict_schema(model)
    text = json.dumps(schema)
    assert "$ref" not in text and "$defs" not in text and '"default"' not in text
    objects = _objects(schema)
    assert len(objects) >= 2
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])


def test_strict_schema_makes_optional_fields_required_but_nullable() -> None:
    point = strict_schema(Shape)["properties"]["points"]["items"]
    assert point["required"] == ["x", "label"]
    assert {"type": "null"} in point["properties"]["label"]["anyOf"]


@pytest.mark.parametrize(
    "text",
    [
        '{"points": [{"x": 1, "label": null}]}',
        '```json\n{"points": [{"x": 1, "label": null}]}\n```',
        'Here you are: {"points": [{"x": 1, "label": null}]} Hope this helps!',
    ],
)
def test_parse_tolerates_fences_and_chatter(text: str) -> None:
    assert parse_model(text, Shape) == Shape(points=[Point(x=1)])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no json here", "no JSON object"),
        ('{"points": [{"x": 1,', "not valid JSON"),
        ('{"points": [{"x": "one"}]}', "points.0.x"),
    ],
)
def test_parse_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_model(text, Shape)


def _llm(fake: FakeOpenAI) -> LLM:
    return LLM(Settings(backend=Backend.OPENAI, model="gpt-4o-mini", base_url=fake.base_url, cache_mode=CacheMode.OFF))


REQUEST = ChatRequest(task="shape", messages=({"role": "user", "content": "Draw."},), max_tokens=100)
VALID = '{"points": [{"x": 3, "label": "c"}]}'


def test_valid_answer_is_one_call_with_the_schema_attached() -> None:
    with FakeOpenAI(Reply(VALID)) as fake:
        value, calls = complete_model(_llm(fake), REQUEST, Shape)
    assert value.points[0].x == 3 and len(calls) == 1
    sent = fake.requests[0].body["response_format"]
    assert sent["type"] == "json_schema"
    assert sent["json_schema"] == {"name": "Shape", "schema": strict_schema(Shape), "strict": True}


def test_broken_json_is_re_asked_once_with_the_error() -> None:
    with FakeOpenAI(Reply(VALID)) as fake:
        fake.script.append(Reply('{"points": [{"x": 3, "label": "c"'))
        value, calls = complete_model(_llm(fake), REQUEST, Shape)
    assert value.points[0].label == "c"
    assert len(fake.requests) == len(calls) == 2
    retry = fake.requests[1].body["messages"]
    assert retry[:1] == [{"role": "user", "content": "Draw."}]
    assert retry[1] == {"role": "assistant", "content": '{"points": [{"x": 3, "label": "c"'}
    assert "not valid JSON" in retry[2]["content"] and retry[2]["role"] == "user"


def test_a_cut_off_answer_is_re_asked_for_less() -> None:
    looping = '{"points": [{"x": 3, "label": "' + "MASKOVIAK, " * 500
    with FakeOpenAI(Reply(VALID)) as fake:
        fake.script.append(Reply(looping, finish_reason="length"))
        complete_model(_llm(fake), REQUEST, Shape)
    echoed, retry = fake.requests[1].body["messages"][-2:]
    assert "cut off at the token limit" in retry["content"]
    # Echoed whole, a cut-off answer would eat the context the retry needs.
    assert echoed["content"] == looping[:1500] + " …"


def test_a_second_failure_is_output_invalid_with_the_raw_answer() -> None:
    with FakeOpenAI(Reply('{"points": [{"x": "three"}]}')) as fake, pytest.raises(OutputInvalid) as info:
        complete_model(_llm(fake), REQUEST, Shape)
    assert len(fake.requests) == 2
    assert info.value.raw == '{"points": [{"x": "three"}]}'
    assert "even when asked again" in str(info.value) and "points.0.x" in str(info.value)

"""Facts are never silently empty: candidates, coverage, one re-ask with a worked example, --strict."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import SEED
from test_facts import empty, endpoint

from summarizer.facts.candidates import candidates, implausibly_empty
from summarizer.facts.extract import extract_facts
from summarizer.text.articles import load_article


def test_candidates_of_the_seed() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = candidates(text, "en")
    assert len(found.quotes) == 4 and all(text[a:b].startswith(("We ", "We")) for a, b in found.quotes)
    assert [text[a:b] for a, b in found.dates] == ["2015-11-25", "January", "2016"]
    assert "Bulegenov" in found.names and "Domanevsky" in found.names
    assert implausibly_empty(found, {"people": 0, "quotes": 0})


QUOTE = {"speaker": "Yergali Bulegenov", "quote": "We have necessary capabilities, bearing in mind"}


def test_an_empty_answer_is_asked_again_once_with_the_candidates() -> None:
    asked: list[str] = []

    def answer(message: str) -> dict[str, Any]:
        asked.append(message)
        # empty first; with the candidates listed, a quote
        return empty(quotes=[QUOTE]) if "found by a program" in message else empty()

    article = load_article(SEED)
    with endpoint(answer) as (llm, _):
        facts = extract_facts(article, llm)
    assert len(asked) == 2 and "Bulegenov" in asked[1] and "quotations:" in asked[1]
    assert facts.reasked and len(facts.quotes) == 1
    assert facts.coverage["quotes"] == (1, 4)
    out = json.loads(facts.to_model().model_dump_json())
    assert out["extraction"]["coverage"]["quotes"] == {"found": 1, "total": 4}
    assert out["extraction"]["reasked"] is True
    assert not facts.suspiciously_empty


def test_still_empty_after_the_reask_is_a_warning_and_exit_3_under_strict(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer.cli.main import main

    with endpoint(lambda _: empty()) as (_, fake):
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        assert main(["facts", str(SEED)]) == 0
        assert "warning: no facts from an article that names" in capsys.readouterr().err
        assert main(["facts", str(SEED), "--strict"]) == 3

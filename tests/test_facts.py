"""The facts task against a scripted endpoint: one call, re-ask, parts and merging, languages."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED
from fakes import FakeOpenAI, Reply
from test_factground import ru_bom_crlf

from summarizer.config import Backend, CacheMode, Settings
from summarizer.errors import InputError, OutputInvalid, UsageError
from summarizer.facts.extract import KINDS, Facts, extract_facts, facts_steps, plan
from summarizer.facts.schema import FactsDraft, FactsOut
from summarizer.llm.chat import ChatResult, Usage
from summarizer.llm.client import LLM
from summarizer.text.articles import load_article
from summarizer.text.glossary import load_glossary

LONG = ROOT / "seeds" / "001_long_energy_forum.txt"
SEED_ANSWER = json.loads((ROOT / "tests" / "data" / "facts" / "seed_answer.json").read_text(encoding="utf-8"))
GLOSSARY = ROOT / "tests" / "data" / "translations" / "glossary.csv"


def empty(**kinds: list[dict[str, Any]]) -> dict[str, Any]:
    return {kind: kinds.get(kind, []) for kind in KINDS}


@contextmanager
def endpoint(
    answer: Callable[[str], dict[str, Any] | str], model: str = "gpt-4o-mini"
) -> Iterator[tuple[LLM, FakeOpenAI]]:
    """An LLM whose every answer is ``answer(last user message)``, as JSON."""

    def reply(body: dict[str, Any]) -> Reply:
        value = answer(body["messages"][-1]["content"])
        return Reply(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))

    with FakeOpenAI(reply) as fake:
        settings = Settings(backend=Backend.OPENAI, model=model, base_url=fake.base_url, cache_mode=CacheMode.OFF)
        yield LLM(settings), fake


def assert_all_placed(facts: Facts) -> None:
    text = facts.article.text
    for kind in KINDS:
        for item in getattr(facts, kind):
            for evidence in [item.evidence, *getattr(item, "mentions", [])]:
                assert evidence.grounded and text[evidence.start : evidence.end] == evidence.text, (kind, item)


def test_seed_is_one_structured_call_and_every_fact_is_placed() -> None:
    with endpoint(lambda _: SEED_ANSWER) as (llm, fake):
        facts = extract_facts(load_article(SEED), llm)
    assert (facts.calls, facts.chunks, facts.lang, facts.dropped) == (1, 1, "en", ())
    assert [p.name for p in facts.people] == ["Yergali Bulegenov", "Vladimir Domanevsky"]
    assert len(facts.quotes) == 4 and facts.dates[0].date == "2016-01"
    assert_all_placed(facts)
    body = fake.requests[0].body
    assert body["response_format"]["json_schema"]["name"] == "FactsDraft"
    assert body["response_format"]["json_schema"]["strict"] is True
    out = facts.to_model()
    assert (out.article.dateline, out.article.agency, out.article.source) == ("Mogilev", "Kazinform", "BelTA")
    assert FactsOut.model_validate_json(out.model_dump_json()) == out


def test_broken_json_is_re_asked_and_then_used() -> None:
    with endpoint(lambda _: SEED_ANSWER) as (llm, fake):
        fake.script.append(Reply('{"people": [{"name": "Yergali Bulegenov", "role": '))
        facts = extract_facts(load_article(SEED), llm)
    assert len(fake.requests) == facts.calls == 2
    assert "not valid JSON" in fake.requests[1].body["messages"][-1]["content"]
    assert len(facts.people) == 2


def test_broken_twice_is_output_invalid() -> None:
    with endpoint(lambda _: '{"people": "nobody"}') as (llm, _), pytest.raises(OutputInvalid) as info:
        extract_facts(load_article(SEED), llm)
    assert info.value.raw == '{"people": "nobody"}'


def test_an_invented_quote_is_dropped_the_rest_kept() -> None:
    answer = {
        **SEED_ANSWER,
        "quotes": [
            *SEED_ANSWER["quotes"],
            {"speaker": "Yergali Bulegenov", "quote": "Belarus and Kazakhstan will merge their lift industries."},
        ],
    }  # noqa: E501
    with endpoint(lambda _: answer) as (llm, _):
        facts = extract_facts(load_article(SEED), llm)
    assert len(facts.quotes) == 4
    assert [(d.kind, d.reason) for d in facts.dropped] == [("quotes", "not verbatim in the article")]
    assert facts.to_model().extraction.dropped == 1


def test_russian_bom_crlf_article(tmp_path: Path) -> None:
    article = load_article(ru_bom_crlf(tmp_path))
    answer = empty(
        people=[
            {
                "name": "Данияр Мусабеков",
                "role": "руководитель Управления городской мобильности Алматы",
                "affiliation": "Управление городской мобильности Алматы",
                "country": "Казахстан",
                "evidence": "руководитель Управления городской мобильности Алматы Данияр Мусабеков",
            },  # noqa: E501
        ],
        places=[{"name": "Алматы", "kind": "city", "evidence": "В Алматы в июне начнётся строительство"}],
        figures=[
            {
                "value": 22.8,
                "unit": "километр",
                "measures": "протяжённость линии",
                "evidence": "протяжённостью 22,8 километра",
            }
        ],  # noqa: E501
    )
    with endpoint(lambda _: answer) as (llm, fake):
        facts = extract_facts(article, llm)
    assert facts.lang == "ru"  # by default names stay in the article's language
    assert 'Write "name", "role"' in fake.requests[0].body["messages"][0]["content"]
    assert "in Russian" in fake.requests[0].body["messages"][0]["content"]
    assert_all_placed(facts)
    decoded = (tmp_path / "ru_bom_crlf.txt").read_bytes().decode("utf-8-sig")
    (person,) = facts.people
    assert decoded[person.evidence.start : person.evidence.end] == person.evidence.text
    assert person.evidence.start == decoded.index("руководитель Управления")


def _long_answer(user: str) -> dict[str, Any]:
    people = []
    if "Askar Temirbekov said on Thursday" in user:
        people.append(
            {
                "name": "Askar Temirbekov",
                "role": "Minister of Energy",
                "affiliation": None,
                "country": None,
                "evidence": "Minister of Energy Askar Temirbekov",
            }
        )  # noqa: E501
    if "Closing the forum on Friday" in user:
        # The same words as in the first part: they must be pinned here, where this part is.
        people.append(
            {
                "name": "Temirbekov",
                "role": None,
                "affiliation": "Ministry of Energy",
                "country": "Kazakhstan",
                "evidence": "Minister of Energy Askar Temirbekov",
            }
        )  # noqa: E501
    if "Dinara Kaliyeva" in user:
        people.append(
            {
                "name": "Dinara Kaliyeva",
                "role": "Vice Minister of Ecology",
                "affiliation": None,
                "country": None,
                "evidence": "Vice Minister of Ecology Dinara Kaliyeva",
            }
        )  # noqa: E501
    return empty(people=people)


def test_a_long_article_is_extracted_in_parts_and_a_person_in_two_parts_is_merged() -> None:
    article = load_article(LONG)
    with endpoint(_long_answer, model="gpt-4o") as (llm, fake):
        facts = extract_facts(article, llm)
    assert facts.chunks >= 2 and facts.calls == facts.chunks == len(fake.requests)
    sent = [r.body["messages"][-1]["content"] for r in fake.requests]
    for paragraph in article.paragraphs:  # every paragraph went to the model exactly once
        assert sum(s.count(paragraph) for s in sent) == 1
    assert [p.name for p in facts.people] == ["Askar Temirbekov", "Dinara Kaliyeva"]
    minister = facts.people[0]
    assert (minister.role, minister.affiliation, minister.country) == (
        "Minister of Energy",
        "Ministry of Energy",
        "Kazakhstan",
    )  # noqa: E501
    (late,) = minister.mentions
    assert minister.evidence.start < article.text.index("Dinara Kaliyeva") < late.start
    assert late.start > article.text.index("Closing the forum on Friday")
    assert_all_placed(facts)


def test_plan_parts_start_where_their_text_does() -> None:
    article = load_article(LONG)
    with endpoint(lambda _: empty(), model="gpt-4o") as (llm, _):
        parts = plan(article, llm, lang="en")
    assert len(parts) >= 2 and parts[0].hint == article.text.index("Kazakhstan will need")
    assert [p.hint for p in parts] == sorted({p.hint for p in parts})
    for part in parts:
        first = part.request.messages[-1]["content"].split("<article>\n", 1)[1][:60]
        assert article.text[part.hint :].startswith(first)


def test_lang_ru_with_a_glossary_uses_its_spellings_and_keeps_english_evidence() -> None:
    answer = empty(
        people=[
            {
                "name": "Yergali Bulegenov",
                "role": "посол",
                "affiliation": None,
                "country": "Kazakhstan",
                "evidence": "Yergali Bulegenov",
            }
        ],  # noqa: E501
        places=[{"name": "Могилев", "kind": "city", "evidence": "in Mogilev"}],
    )
    with endpoint(lambda _: answer) as (llm, fake):
        facts = extract_facts(load_article(SEED), llm, lang="ru", glossary=load_glossary(GLOSSARY))
    system = fake.requests[0].body["messages"][0]["content"]
    assert "Yergali Bulegenov = Ергали Булегенов" in system and "in Russian" in system
    assert "Нуржан Есжанов" not in system  # only the terms this article uses
    (person,) = facts.people
    assert (person.name, person.country, person.evidence.text) == ("Ергали Булегенов", "Казахстан", "Yergali Bulegenov")
    assert facts.places[0].name == "Могилёв"  # the glossary's spelling, ё and all


def test_bad_glossary_and_language(tmp_path: Path) -> None:
    bad = tmp_path / "g.csv"
    bad.write_text("term,translation\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="language codes"):
        load_glossary(bad)
    with pytest.raises(InputError, match="missing.csv: no such file"):
        load_glossary(tmp_path / "missing.csv")
    with endpoint(lambda _: empty()) as (llm, _), pytest.raises(UsageError, match="unknown language"):
        extract_facts(load_article(SEED), llm, lang="de")


def test_the_draft_schema_lists_every_kind() -> None:
    assert KINDS == ("people", "organisations", "places", "dates", "quotes", "figures", "topics")
    assert set(KINDS) < set(FactsOut.model_fields) and set(KINDS) == set(FactsDraft.model_fields)


def test_the_parts_of_a_long_article_are_asked_together_and_only_a_bad_one_again() -> None:
    # One round for every part (a batch sends them at once), then a re-ask for the broken one only.
    article = load_article(LONG)
    with endpoint(lambda _: empty(), model="gpt-4o") as (llm, _):
        steps = facts_steps(article, llm)
        first = next(steps)
        assert len(first) == len(plan(article, llm, lang="en")) >= 2
        good = json.dumps(empty())
        answers = [
            ChatResult(good if i else "{not json", "stop", "gpt-4o", Usage(), False, "test", r.task)
            for i, r in enumerate(first)
        ]
        (again,) = steps.send(answers)
        assert again.task == f"{first[0].task} re-ask" and again.messages[:-2] == first[0].messages
        # Every answer is empty while the article names people: each part is asked once more,
        # its first request unchanged, with what the text holds and a worked example.
        empties = steps.send([ChatResult(good, "stop", "gpt-4o", Usage(), False, "test", again.task)])
        assert len(empties) == len(first)
        pairs = zip(empties, first, strict=True)
        assert all(r.task == f"{f.task} empty re-ask" and r.messages[:-2] == f.messages for r, f in pairs)
        with pytest.raises(StopIteration) as done:
            steps.send([ChatResult(good, "stop", "gpt-4o", Usage(), False, "test", r.task) for r in empties])
    facts = done.value.value
    assert facts.chunks == len(first) and facts.calls == 2 * len(first) + 1 and facts.reasked

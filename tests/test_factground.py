"""Pinning drafted facts to the article: offsets, verbatim quotes, and the support checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED

from summarizer.facts.ground import pin_draft, value_in
from summarizer.facts.schema import FactsDraft
from summarizer.text.articles import load_article
from summarizer.text.numbers import readings
from summarizer.text.words import named_in, word_set

RU = ROOT / "seeds" / "002_ru_almaty_transport.txt"


def draft(**kinds: list[dict[str, Any]]) -> FactsDraft:
    return FactsDraft.model_validate({kind: kinds.get(kind, []) for kind in FactsDraft.model_fields})


def person(name: str, evidence: str) -> dict[str, Any]:
    return {"name": name, "role": None, "affiliation": None, "country": None, "evidence": evidence}


def quote(text: str, speaker: str | None = None) -> dict[str, Any]:
    return {"speaker": speaker, "quote": text}


def ru_bom_crlf(tmp_path: Path) -> Path:
    """The Russian seed as an older desk sends it: UTF-8 with a BOM, CRLF line endings."""
    path = tmp_path / "ru_bom_crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + RU.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    return path


def assert_placed(text: str, item: Any) -> None:
    for evidence in [item.evidence, *getattr(item, "mentions", [])]:
        assert evidence.grounded
        assert text[evidence.start : evidence.end] == evidence.text


def test_seed_facts_are_pinned_exactly(seed_text: str) -> None:
    article = load_article(SEED)
    pinned = pin_draft(
        draft(
            people=[
                person(
                    "Yergali Bulegenov",
                    "Ambassador Extraordinary and Plenipotentiary of Kazakhstan to Belarus Yergali Bulegenov",
                )
            ],  # noqa: E501
            quotes=[quote("We need to actively involve young people in this process.", "Vladimir Domanevsky")],
        ),
        article.text,
    )
    (p,), (q,) = pinned.items["people"], pinned.items["quotes"]
    assert (p.evidence.start, p.evidence.alignment) == (seed_text.index("Ambassador Extraordinary"), "exact")
    assert q.quote == q.evidence.text == "We need to actively involve young people in this process."
    assert_placed(article.text, p)
    assert_placed(article.text, q)
    assert pinned.dropped == ()


def test_an_invented_quote_is_dropped_and_a_misquote_too() -> None:
    article = load_article(SEED)
    invented = quote("Belarus will buy a million Kazakh lifts next year.", "Vladimir Domanevsky")
    # One word changed: fuzzy alignment would accept it, a direct quote must not.
    misquote = quote("We need to actively involve old people in this process.", "Vladimir Domanevsky")
    pinned = pin_draft(draft(quotes=[invented, misquote]), article.text)
    assert pinned.items["quotes"] == []
    assert [(d.kind, d.reason) for d in pinned.dropped] == [("quotes", "not verbatim in the article")] * 2


def test_keep_ungrounded_keeps_them_unplaced() -> None:
    article = load_article(SEED)
    pinned = pin_draft(
        draft(quotes=[quote("“Belarus will buy lifts.”")], topics=[{"name": "space", "evidence": "rockets"}]),
        article.text,
        keep_ungrounded=True,
    )
    (q,), (t,) = pinned.items["quotes"], pinned.items["topics"]
    assert q.quote == "Belarus will buy lifts." and t.evidence.text == "rockets"
    for item in (q, t):
        assert (item.evidence.start, item.evidence.end, item.evidence.grounded, item.evidence.alignment) == (
            None,
            None,
            False,
            "none",
        )
    assert len(pinned.dropped) == 2


def test_a_real_excerpt_does_not_carry_a_person_the_article_never_names() -> None:
    article = load_article(SEED)
    pinned = pin_draft(
        draft(people=[person("Ivan Petrov", "Chairman of the Mogilev Oblast Executive Committee")]), article.text
    )
    assert pinned.items["people"] == []
    assert pinned.dropped[0].reason == "its name is not in the article"
    assert str(pinned.dropped[0]) == "person 'Ivan Petrov': its name is not in the article"
    # In another language the name cannot be looked up, so it is not held against the fact.
    translated = pin_draft(
        draft(people=[person("Владимир Доманевский", "Vladimir Domanevsky")]), article.text, check_names=False
    )
    assert translated.items["people"][0].evidence.text == "Vladimir Domanevsky"


def test_russian_article_with_bom_and_crlf_offsets(tmp_path: Path) -> None:
    path = ru_bom_crlf(tmp_path)
    article = load_article(path)
    decoded = path.read_bytes().decode("utf-8-sig")
    assert article.text == decoded and "\r\n" in decoded
    pinned = pin_draft(
        draft(
            people=[
                person("Данияр Мусабеков", "руководитель Управления городской мобильности Алматы Данияр Мусабеков")
            ],
            # The model retyped the excerpt across a paragraph break with "\n" and a hyphen for the dash.
            places=[{"name": "Калкаман", "kind": "site", "evidence": "2027 года.\n\n«Сегодня в западной части Алматы"}],
            quotes=[quote("«Сегодня в западной части Алматы живут более 400 тысяч человек", "Данияр Мусабеков")],
            figures=[{"value": 312e9, "unit": "тенге", "measures": "стоимость проекта", "evidence": "312 млрд тенге"}],
            dates=[
                {"what": "завершение строительства", "date": "2027", "qualifier": "by", "evidence": "в конце 2027 года"}
            ],  # noqa: E501
            topics=[{"name": "транспорт", "evidence": 'автобусе", - подчеркнул Данияр Мусабеков'}],
        ),
        article.text,
        wire_date=article.meta.date,
    )
    assert pinned.dropped == ()
    for kind, items in pinned.items.items():
        for item in items:
            assert_placed(decoded, item)
            assert decoded[item.evidence.start : item.evidence.end] == item.evidence.text, kind
    place = pinned.items["places"][0]
    assert place.evidence.alignment == "normalised" and "\r\n\r\n" in place.evidence.text
    topic = pinned.items["topics"][0]
    assert topic.evidence.text == "автобусе», — подчеркнул Данияр Мусабеков"  # the article's own marks and dash
    assert topic.evidence.alignment == "normalised"
    assert pinned.items["quotes"][0].quote.startswith("Сегодня")  # the guillemet is not part of the words
    person_at = pinned.items["people"][0].evidence.start
    assert decoded[person_at:].startswith("руководитель Управления")


@pytest.mark.parametrize(
    ("value", "evidence", "supported"),
    [
        (9.5e12, "at least 9.5 trillion tenge", True),
        (9.5, "at least 9.5 trillion tenge", True),
        (1400, "about 1,400 participants", True),
        (22.8, "протяжённостью 22,8 километра", True),
        (312e9, "в 312 млрд тенге", True),
        (2100, "около 2100 автобусов", True),
        (2100, "около 2 100 автобусов", True),
        (400_000, "более 400 тысяч человек", True),
        (56, "stands at 56 percent", True),
        (57, "stands at 56 percent", False),
        (9.5e9, "at least 9.5 trillion tenge", False),
        (0.66, "about two thirds of our electricity", False),
    ],
)
def test_a_figure_must_be_written_in_its_evidence(value: float, evidence: str, supported: bool) -> None:
    assert value_in(value, evidence) is supported, readings(evidence)


@pytest.mark.parametrize(
    ("drafted", "evidence", "expected"),
    [
        ("2016-01", "no later than January 2016", ("2016-01", "month", "no later than")),
        ("2016-01-15", "no later than January 2016", ("2016-01", "month", "no later than")),  # invented day
        ("2024-12-15", "by December 15 the ministry would submit", ("2024-12-15", "day", "by")),
        ("2015-11-25", "said on Thursday", ("2015-11-25", "day", "on")),  # a weekday near the wire date
        ("2015-10-01", "said on Thursday", ("2015-10", "month", "in")),  # too far from it
    ],
)
def test_a_date_never_names_a_day_its_evidence_lacks(drafted: str, evidence: str, expected: tuple[str, ...]) -> None:
    qualifier = expected[2] if expected[2] != "in" else "on"
    text = f"Header. {evidence}. Footer."
    pinned = pin_draft(
        draft(dates=[{"what": "x", "date": drafted, "qualifier": qualifier, "evidence": evidence}]),
        text,
        wire_date="2015-11-25",
    )
    (d,) = pinned.items["dates"]
    assert (d.date, d.precision, d.qualifier) == expected


def test_a_bad_date_format_never_validates() -> None:
    with pytest.raises(ValueError, match="date"):
        draft(dates=[{"what": "x", "date": "January 2016", "qualifier": "in", "evidence": "January 2016"}])


@pytest.mark.parametrize(
    ("name", "text", "surname", "found"),
    [
        ("Данияр Мусабеков", "по словам Данияра Мусабекова", True, True),  # genitive endings
        ("Askar Temirbekov", "Minister Temirbekov said", True, True),
        ("Askar Temirbekov", "Askar Ivanov said", True, False),  # the surname must be there
        ("Mogilev Oblast Executive Committee", "the Mogilev Oblast executive body", False, True),
        ("Ertis Congress Centre", "in Pavlodar", False, False),
    ],
)
def test_named_in(name: str, text: str, surname: bool, found: bool) -> None:
    assert named_in(name, word_set(text), surname=surname) is found

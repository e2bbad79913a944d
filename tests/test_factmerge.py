"""Folding what the parts of a long article said about the same person or thing."""

from __future__ import annotations

import pytest

from summarizer.facts.merge import merge, same_name, same_person
from summarizer.facts.schema import Evidence, PersonOut, QuoteOut, TopicOut


def ev(start: int | None, end: int | None, text: str = "x") -> Evidence:
    grounded = start is not None
    return Evidence(text=text, start=start, end=end, alignment="exact" if grounded else "none", grounded=grounded)


def person(name: str, start: int, role: str | None = None, country: str | None = None) -> PersonOut:
    return PersonOut(name=name, role=role, affiliation=None, country=country, evidence=ev(start, start + 10))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Askar Temirbekov", "Temirbekov", True),
        ("Askar Temirbekov", "the Minister of Energy Askar Temirbekov", True),
        ("Данияр Мусабеков", "Данияра Мусабекова", True),
        ("Askar Temirbekov", "Dinara Temirbekova", False),  # another first name
        ("Askar Temirbekov", "Askar Zhumabayev", False),
        ("", "Temirbekov", False),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same
    assert same_person(b, a) is same


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Ministry of Energy", "the Ministry of Energy", True),
        ("Могилёвская область", "Могилёвской области", True),
        ("Ministry of Energy", "Ministry of Ecology", False),
        ("Pavlodar", "Pavlodar region", False),
    ],
)
def test_same_name(a: str, b: str, same: bool) -> None:
    assert same_name(a, b) is same


def test_a_person_named_in_two_parts_is_one_item() -> None:
    parts = [
        {"people": [person("Askar Temirbekov", 120, role="Minister of Energy")]},
        {"people": [person("Dinara Kaliyeva", 9000)]},
        {"people": [person("Temirbekov", 20000, country="Kazakhstan"), person("Askar Temirbekov", 21000)]},
    ]
    people = merge(parts)["people"]
    assert [p.name for p in people] == ["Askar Temirbekov", "Dinara Kaliyeva"]
    minister = people[0]
    assert (minister.role, minister.country) == ("Minister of Energy", "Kazakhstan")
    assert minister.evidence.start == 120
    assert [m.start for m in minister.mentions] == [20000, 21000]


def test_the_plain_full_name_wins_over_a_title_or_a_surname() -> None:
    parts = [
        {
            "people": [
                person("Temirbekov", 5),
                person("the minister Askar Temirbekov", 50),
                person("Askar Temirbekov", 500),
            ]
        }
    ]
    (minister,) = merge(parts)["people"]
    assert minister.name == "Askar Temirbekov" and minister.evidence.start == 5


def test_overlapping_quotes_fold_into_the_longer() -> None:
    short = QuoteOut(speaker="A", quote="We are", evidence=ev(100, 106, "We are"))
    long = QuoteOut(speaker=None, quote="We are not starting", evidence=ev(100, 119, "We are not starting"))
    other = QuoteOut(speaker="B", quote="Coal", evidence=ev(500, 504, "Coal"))
    assert merge([{"quotes": [short, other]}, {"quotes": [long]}])["quotes"] == [long, other]


def test_items_come_out_in_article_order_ungrounded_last() -> None:
    parts = [{"topics": [TopicOut(name="coal", evidence=ev(None, None)), TopicOut(name="wind", evidence=ev(40, 44))]}]
    assert [t.name for t in merge(parts)["topics"]] == ["wind", "coal"]

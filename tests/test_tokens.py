from __future__ import annotations

import pytest
from conftest import ROOT

from summarizer.llm.tokens import context_window, counter_for_model, split_to_budget
from summarizer.text.articles import load_article

LONG = ROOT / "seeds" / "001_long_energy_forum.txt"


@pytest.mark.parametrize(
    ("model", "exact"),
    [("gpt-4", True), ("gpt-3.5-turbo", True), ("gpt-4o-mini", False), ("llama-3.1-8b-instruct", False)],
)
def test_counts_offline_and_says_when_approximate(model: str, exact: bool) -> None:
    counter = counter_for_model(model)
    assert counter.exact is exact
    assert counter.count("Kazakhstan and Belarus") == 5  # cl100k: Kaz|akh|stan| and| Belarus
    assert ("approximating" in counter.name) is not exact


def test_message_count_includes_role_overhead() -> None:
    counter = counter_for_model("gpt-4")
    messages = [{"role": "system", "content": "a"}, {"role": "user", "content": "b"}]
    assert counter.count_messages(messages) == 1 + 4 + 1 + 4 + 3


@pytest.mark.parametrize(
    ("model", "override", "expected"),
    [("gpt-4o-mini", None, 128_000), ("gpt-4", None, 8_192), ("mistral", None, 8_192), ("gpt-4o", 4000, 4000)],
)
def test_context_window(model: str, override: int | None, expected: int) -> None:
    assert context_window(model, override) == expected


def test_long_article_is_split_on_paragraph_boundaries() -> None:
    article = load_article(LONG)
    counter = counter_for_model("gpt-4")
    chunks = split_to_budget(article.paragraphs, 600, counter)
    assert len(chunks) > 3
    assert all(counter.count(c) <= 600 for c in chunks)
    # Nothing lost, nothing reordered, and no paragraph cut in two.
    assert [p for c in chunks for p in c.split("\n\n")] == article.paragraphs


def test_one_enormous_paragraph_is_split_between_sentences() -> None:
    counter = counter_for_model("gpt-4")
    paragraph = " ".join(f"Sentence number {i} is about the forum." for i in range(400))
    chunks = split_to_budget([paragraph], 200, counter)
    assert len(chunks) > 5
    assert all(counter.count(c) <= 200 for c in chunks)
    assert all(c.endswith("forum.") for c in chunks)
    assert " ".join(chunks).split() == paragraph.split()


def test_a_sentence_longer_than_the_budget_is_split_between_words() -> None:
    counter = counter_for_model("gpt-4")
    sentence = " ".join(["word"] * 1000)
    chunks = split_to_budget([sentence], 100, counter)
    assert all(counter.count(c) <= 100 for c in chunks)
    assert sum(len(c.split()) for c in chunks) == 1000


def test_budget_too_small_is_refused() -> None:
    with pytest.raises(ValueError):
        split_to_budget(["x"], 5, counter_for_model("gpt-4"))

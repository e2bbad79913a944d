"""The summarise task against a scripted endpoint: single call, map-reduce, checks."""

from __future__ import annotations

import re

import fakes
import pytest
from conftest import ROOT, SEED

from summarizer.errors import OutputInvalid, UsageError
from summarizer.tasks.summarise import summarise
from summarizer.text.articles import load_article

LONG = ROOT / "seeds" / "001_long_energy_forum.txt"


def scripted(answer, *, context: int | None = None):  # type: ignore[no-untyped-def]
    return fakes.scripted(answer, model="gpt-4", context=context)


def test_an_article_that_fits_is_one_call() -> None:
    llm, bodies = scripted(lambda _: ("Kazakhstan seeks joint projects in Belarus.", "stop"))
    summary = summarise(load_article(SEED), llm, lang="en", length="headline")
    assert summary.text == "Kazakhstan seeks joint projects in Belarus."
    assert (summary.calls, summary.chunks, summary.cached) == (1, 1, False)
    assert bodies[0]["max_tokens"] == 48 and bodies[0]["temperature"] == 0.0
    assert all(c.passed for c in summary.checks)


def test_long_article_is_summarised_map_reduce_on_paragraph_boundaries() -> None:
    def answer(user: str) -> tuple[str, str]:
        if "Combine these" in user:
            return "The forum agreed a plan.", "stop"
        part = re.search(r"part (\d+) of (\d+) of a longer", user)
        assert part, user[:200]
        return f"Partial summary {part.group(1)}.", "stop"

    article = load_article(LONG)
    llm, bodies = scripted(answer, context=2000)
    summary = summarise(article, llm, lang="en", length="short")
    assert summary.text == "The forum agreed a plan."
    assert summary.chunks > 2
    assert summary.calls == summary.chunks + 1
    # Every paragraph of the article went to the model exactly once, whole.
    sent = "\n".join(b["messages"][-1]["content"] for b in bodies[:-1])
    for paragraph in article.paragraphs:
        assert sent.count(paragraph) == 1
    combine = bodies[-1]["messages"][-1]["content"]
    assert all(f"Part {i}: Partial summary {i}." in combine for i in range(1, summary.chunks + 1))
    counter = llm.counter()
    assert all(counter.count_messages(b["messages"]) + b["max_tokens"] <= 2000 for b in bodies)


def test_many_parts_are_combined_level_by_level() -> None:
    long_partial = "Partial summary with many words " * 40

    def answer(user: str) -> tuple[str, str]:
        if "Combine these" in user:
            return "Combined.", "stop"
        return long_partial, "stop"

    llm, bodies = scripted(answer, context=1200)
    summary = summarise(load_article(LONG), llm)
    combines = [b for b in bodies if "Combine these" in b["messages"][-1]["content"]]
    assert len(combines) > 1
    assert summary.calls == summary.chunks + len(combines)
    assert all(llm.counter().count_messages(b["messages"]) + b["max_tokens"] <= 1200 for b in bodies)


def test_truncated_and_wrong_language_output_fail_checks() -> None:
    llm, _ = scripted(lambda _: ("Kazakhstan would like to implement big joint", "length"))
    summary = summarise(load_article(SEED), llm, lang="kk")
    verdicts = {c.name: c.passed for c in summary.checks}
    assert verdicts == {
        "length": True,
        "not_empty": True,
        "complete": False,
        "no_repetition": True,
        "language": False,
        "vocabulary": True,  # Kazakh summaries get the translation's language checks too
        # faithful to the seed: its words, no number or name the seed does not give
        "no_scaffolding": True,
        "repeated_phrase": True,
        "numbers_supported": True,
        "names_supported": True,
        "quotes_supported": True,
    }


def test_a_loop_fails_the_repetition_check() -> None:
    llm, _ = scripted(lambda _: ("the two countries " * 30, "stop"))
    summary = summarise(load_article(SEED), llm)
    assert not {c.name: c.passed for c in summary.checks}["no_repetition"]


def test_empty_answer_is_an_error() -> None:
    llm, _ = scripted(lambda _: ("   ", "stop"))
    with pytest.raises(OutputInvalid, match="empty answer"):
        summarise(load_article(SEED), llm)


@pytest.mark.parametrize(("lang", "length"), [("de", "short"), ("en", "essay")])
def test_bad_options_are_usage_errors(lang: str, length: str) -> None:
    llm, _ = scripted(lambda _: ("x", "stop"))
    with pytest.raises(UsageError):
        summarise(load_article(SEED), llm, lang=lang, length=length)

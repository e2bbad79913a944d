from __future__ import annotations

import pytest

from summarizer.batch.registry import REGISTRY, TaskContext, parse_task
from summarizer.checks.summary import Check
from summarizer.errors import UsageError
from summarizer.llm.chat import Usage


@pytest.mark.parametrize(
    "text, label, slug", [("summary", "summary", "summary"), ("summary:kk", "summary:kk", "summary-kk")]
)
def test_task_names(text: str, label: str, slug: str) -> None:
    name = parse_task(text)
    assert (name.label, name.slug, name.spec is REGISTRY["summary"]) == (label, slug, True)


@pytest.mark.parametrize("text", ["teleport", "summary:de", "facts-ish", ""])
def test_unknown_tasks_are_usage_errors_listing_what_exists(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_task(text)
    assert "summary" in str(info.value)


def test_language_comes_from_the_task_or_else_the_outlet() -> None:
    outlet = TaskContext(language="ru", length="headline")
    assert parse_task("summary").context(outlet).language == "ru"
    assert parse_task("summary:kk").context(outlet) == TaskContext(language="kk", length="headline")


def test_kazakh_latin_outlets_get_a_transliterated_summary_checked_in_cyrillic() -> None:
    from summarizer.tasks.summarise import Summary

    checks = (Check("language", True, "text is in kk"),)
    summary = Summary(None, "Әкім көпір ашты.", "kk", "short", "m", "openai", Usage(1, 2), False, 1, 1, "stop", checks)  # type: ignore[arg-type]
    spec = REGISTRY["summary"]
    latin = spec.output(summary, TaskContext(language="kk", script="latn"))
    assert (latin.content, latin.suffix, latin.checks, latin.calls) == ("Äkım köpır aşty.\n", ".txt", checks, 1)
    assert spec.output(summary, TaskContext(language="kk")).content == "Әкім көпір ашты.\n"

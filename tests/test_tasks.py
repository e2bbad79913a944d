from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.checks.summary import Check
from summarizer.errors import UsageError
from summarizer.llm.chat import Made, Usage
from summarizer.output.tasks import TASKS, TaskParams, check_text, parse_task, recorded, task
from summarizer.text.articles import parse_article

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_8ce9aa6233c040a4.txt"


@pytest.mark.parametrize(
    "text, label, slug", [("summary", "summary", "summary"), ("summary:kk", "summary:kk", "summary-kk")]
)
def test_task_names(text: str, label: str, slug: str) -> None:
    name = parse_task(text)
    assert (name.label, name.slug, name.spec is TASKS["summary"]) == (label, slug, True)


@pytest.mark.parametrize("text", ["teleport", "summary:de", "facts-ish", ""])
def test_unknown_tasks_are_usage_errors_listing_what_exists(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_task(text)
    assert "summary" in str(info.value)


@pytest.mark.parametrize("name, spec", [("summarise", "summary"), ("summarize", "summary"), ("translate", "translate"),
                                        ("headline", "headline"), ("facts", "facts")])  # fmt: skip
def test_a_task_is_found_by_its_name_command_or_alias(name: str, spec: str) -> None:
    assert task(name) is TASKS[spec]


def test_language_comes_from_the_task_or_else_the_outlet() -> None:
    outlet = TaskParams(lang="ru", length="headline", outlet="kazinform-ru")
    assert parse_task("summary").params(outlet).lang == "ru"
    assert parse_task("summary:kk").params(outlet) == TaskParams(lang="kk", length="headline", outlet="kazinform-ru")


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"to": "kk", "script": "latn"}, TaskParams(lang="kk", script="latn")),
        ({"to": "ru"}, TaskParams(lang="ru")),
        ({"to": "ru", "script": ""}, TaskParams(lang="ru")),  # an empty form field is the default
    ],
)
def test_parameters_are_read_once_from_a_form_or_json_body(given: dict[str, str], expected: TaskParams) -> None:
    assert TASKS["translate"].read(given.get) == expected


@pytest.mark.parametrize(
    "spec, given, message",
    [("translate", {}, "say which language to translate into"), ("translate", {"to": "de"}, "unknown to 'de'"),
     ("summary", {"length": "epic"}, "unknown length"), ("summary", {"lang": 3}, "lang must be a string")],
)  # fmt: skip
def test_bad_parameters_are_one_usage_error(spec: str, given: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        TASKS[spec].read(given.get)


def _summary(text: str, checks: tuple[Check, ...]) -> object:
    from summarizer.tasks.summarise import Summary

    article = parse_article(SEED.read_bytes(), name="seed")
    return Summary(article, text, "kk", "short", Made("m", "openai", Usage(1, 2), calls=1), "stop", checks)


def test_kazakh_latin_outlets_get_a_transliterated_summary_checked_in_cyrillic() -> None:
    checks = (Check("language", True, "text is in kk"),)
    summary = _summary("Әкім көпір ашты.", checks)
    spec = TASKS["summary"]
    latin = spec.written(summary, TaskParams(lang="kk", script="latn"))
    assert (latin.content, latin.suffix, latin.judged, latin.fallback) == (
        "Äkım köpır aşty.\n", ".txt", "Әкім көпір ашты.", None)  # fmt: skip
    assert spec.written(summary, TaskParams(lang="kk")).content == "Әкім көпір ашты.\n"
    assert spec.made(summary) == Made("m", "openai", Usage(1, 2), calls=1, cached=False, parts=1)


def test_a_failed_summary_is_written_as_the_articles_lead_and_says_so() -> None:
    summary = _summary("Invented.", (Check("language", False, "not kk"),))
    lead = TASKS["summary"].written(summary, TaskParams(lang="kk"))
    assert (lead.fallback, lead.judged) == ("lead", "Invented.")
    assert "Kazakhstan" in lead.content and "Invented" not in lead.content
    kept = TASKS["summary"].written(summary, TaskParams(lang="kk", fallback="none"))
    assert (kept.content, kept.fallback) == ("Invented.\n", None)


def test_a_job_records_its_parameters_and_they_come_back_as_the_same_value(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.csv"
    glossary.write_text("en,ru\nTokayev,Токаев\n", encoding="utf-8")
    from summarizer.text.glossary import load_glossary

    params = TaskParams(lang="kk", script="latn", length="bullets", glossary=load_glossary(glossary), outlet="x")
    back = recorded(params.to_json())
    assert back == params and back.glossary is not None and back.glossary.terms == params.glossary.terms  # type: ignore[union-attr]


def test_a_summary_is_checked_against_its_source_on_every_path() -> None:
    """The desk's re-check once ran without the source: invented figures and names passed."""
    source = parse_article(SEED.read_bytes(), name="seed")
    invented = "President Tokayev received 33,000 ambassadors in Paris on 1 January 1990, quoting Joe Biden."
    checks = {c.name: c for c in check_text("summary", source, invented, lang="en")}
    assert not checks["numbers_supported"].passed and not checks["names_supported"].passed
    assert all(f.severity for c in checks.values() if not c.passed for f in c.findings)


def test_the_headline_task_is_the_digests_headline_request() -> None:
    """One entry, no new code path: the same request (and cache entries) as ``--length headline``."""
    from summarizer.config import Backend
    from summarizer.llm.chat import Capabilities
    from summarizer.llm.plan import PlanningModel
    from summarizer.llm.steps import Driven
    from summarizer.llm.tokens import counter_for_model
    from summarizer.tasks.summarise import summarise_steps

    article = parse_article(SEED.read_bytes(), name="seed")
    llm = PlanningModel("gpt-4o-mini", Backend.OPENAI, 128_000, counter_for_model("gpt-4o-mini"), Capabilities())
    ours = Driven(TASKS["headline"].steps(article, llm, TaskParams(lang="ru"))).requests
    digest = Driven(summarise_steps(article, llm, lang="ru", length="headline")).requests
    assert ours == digest and ours[0].max_tokens == 48

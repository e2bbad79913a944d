from __future__ import annotations

import pytest

from summarizer.quality import check_summary, failed, repetition

GOOD_EN = "Kazakhstan wants joint investment projects in Belarus. The ambassador met the Mogilev governor."


def verdicts(text: str, **kw: str) -> dict[str, bool]:
    args = {"lang": "en", "finish_reason": "stop", "length": "short", **kw}
    return {c.name: c.passed for c in check_summary(text, **args)}


def test_a_good_summary_passes_everything() -> None:
    assert all(verdicts(GOOD_EN).values())


@pytest.mark.parametrize(
    ("text", "kw", "failing"),
    [
        ("", {}, {"not_empty", "language"}),
        (GOOD_EN, {"finish_reason": "length"}, {"complete"}),
        ("the two countries agreed " * 10, {}, {"no_repetition"}),
        ("Казахстан хочет реализовать проекты в Беларуси.", {"lang": "kk"}, {"language"}),
        ("Қазақстан Беларусьте жобаларды іске асырғысы келеді.", {"lang": "ru"}, {"language"}),
        (GOOD_EN, {"lang": "ru"}, {"language"}),
        (GOOD_EN, {"length": "headline"}, {"length"}),
        (GOOD_EN, {"length": "bullets"}, {"length"}),
        (" ".join(f"word{i}" for i in range(130)) + ".", {}, {"length"}),
    ],
)
def test_each_fault_fails_its_check(text: str, kw: dict[str, str], failing: set[str]) -> None:
    assert {name for name, ok in verdicts(text, **kw).items() if not ok} == failing


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Қазақстан Беларусьпен бірлескен жобаларды іске асырғысы келеді.", "kk"),
        ("Казахстан хочет реализовать крупные совместные проекты в Беларуси.", "ru"),
    ],
)
def test_cyrillic_languages_pass(text: str, lang: str) -> None:
    assert verdicts(text, lang=lang)["language"]


def test_bullets_and_headline_shapes() -> None:
    assert verdicts("- one point\n- two point\n- three point", length="bullets")["length"]
    assert verdicts("Kazakhstan seeks joint projects in Belarus", length="headline")["length"]


def test_repetition_measure() -> None:
    share, top = repetition("a b c d a b c d a b c d".split())
    assert share > 0.5 and top == "a b c d"
    assert repetition("one two three four five six".split()) == (0.0, "")


def test_failed_filters() -> None:
    checks = check_summary("", lang="en", finish_reason="stop")
    assert {c.name for c in failed(checks)} == {"not_empty", "language"}

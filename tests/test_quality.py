from __future__ import annotations

import pytest

from summarizer.checks.summary import check_summary, failed, loop, repetition

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


@pytest.mark.parametrize(
    ("words", "unit", "count"),
    [
        ("болып жатыр болып жатыр болып жатыр екен", "болып жатыр", 3),
        ("a b c d e a b c d e a b c d e a b c d e", "a b c d e", 4),
        ("one two one two three", "", 0),  # twice is not a loop
    ],
)
def test_back_to_back_loops(words: str, unit: str, count: int) -> None:
    assert loop(words.split()) == (unit, count)


def test_a_short_loop_in_a_long_text_fails() -> None:
    """20 repeats in 600 words are 3 % of its 4-grams: the share misses it, the loop check does not."""
    text = " ".join(f"w{i}" for i in range(600)) + " " + "ағаш өңдеушілікті, " * 20
    names = {c.name: c for c in check_summary(text, lang="en", finish_reason="stop", length="medium")}
    assert not names["no_repetition"].passed and "20 times in a row" in names["no_repetition"].detail


@pytest.mark.parametrize(
    ("text", "lang", "failing"),
    [
        ("Перевалочность грузовищ в торговище возросталась, сообщил журналистникам портовик во вторничестве "
         "и переменчивых коридорах.", "ru", {"vocabulary"}),
        ("Кыргызстандын өкмөтү жаңы мыйзамды кабыл алды жана шайлоо өттү деп билдирди.", "kk", {"language"}),
        ("Қазақстан Беларусьте ірі бірлескен инвестициялық жобаларды іске асыруға ниетті.", "kk", set()),
    ],
)  # fmt: skip
def test_summaries_in_russian_and_kazakh_get_the_language_checks(text: str, lang: str, failing: set[str]) -> None:
    checks = check_summary(text, lang=lang, finish_reason="stop")
    assert {"language", "vocabulary"} <= {c.name for c in checks}
    assert {c.name for c in failed(checks)} == failing


INVENTED = (
    "Перевалочность грузовищ в торговище возросталась, сообщил журналистникам портовик во вторничестве "
    "и переменчивых коридорах."
)
RUSSIAN_IN_KAZAKH = "Қазақстан мен Беларусь келісімге қол қойды, хотя стороны не смогли договориться о новых сроках."
LOOPED = " ".join(f"w{i}" for i in range(40)) + " болып жатыр болып жатыр болып жатыр болып жатыр. Соңы."


@pytest.mark.parametrize(
    ("text", "lang", "name", "words"),
    [
        (INVENTED, "ru", "vocabulary", ["грузовищ", "торговище", "возросталась", "журналистникам", "вторничестве"]),
        (RUSSIAN_IN_KAZAKH, "kk", "language", ["хотя стороны не смогли договориться о новых сроках"]),
        (LOOPED, "en", "no_repetition", ["болып жатыр болып жатыр болып жатыр болып жатыр"]),
    ],
)
def test_a_failed_check_points_at_its_words(text: str, lang: str, name: str, words: list[str]) -> None:
    check = {c.name: c for c in check_summary(text, lang=lang, finish_reason="stop", length="medium")}[name]
    assert not check.passed
    spans = [f.span for f in check.findings if f.span is not None]
    assert [text[a:b] for a, b in spans] == words and all(f.severity == "error" for f in check.findings)

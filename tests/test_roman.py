"""Roman numerals are numbers (text.roman, read by text.numbers): XIX -> XVII is a changed number,
XIX -> 19th is not; the letters as words and initials are not numerals.

Sentences are fictional, written for the tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from summarizer.checks.faithfulness import check_faithfulness
from summarizer.checks.translation import check_translation
from summarizer.text.numbers import read_figures
from summarizer.text.roman import roman_spans, roman_value

SOURCE = "Delegates gathered for the XIX congress of the party in Almaty on Monday."


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the XIX congress", ["XIX"]),
        ("XXI ғасыр", ["XXI"]),
        ("ХХІ ғасырдың басында", ["ХХІ"]),  # Cyrillic Х and Kazakh І, as the Kazakh press types them
        ("XIX-го века", ["XIX"]),
        ("World War I ended", ["I"]),
        ("King Charles III said", ["III"]),
        ("the MMXX summit", ["MMXX"]),
        ("I think I will go", []),  # the pronoun
        ("Vladimir V. Putin and V.I. Lenin", []),  # initials
        ("Nursultan A. Nazarbayev", []),
        ("Washington, DC", []),
        ("a MIX of CD and DVD", []),
        ("Class C licence", []),
        ("an IIII and a VX", []),  # not well formed
    ],
)
def test_only_sure_numerals_are_read(text: str, found: list[str]) -> None:
    assert [text[a:b] for a, b, _ in roman_spans(text)] == found


def test_values() -> None:
    assert [roman_value(n) for n in ("XIX", "XXI", "XIV", "MCMXC", "ХХІ", "IC", "")] == [
        19,
        21,
        14,
        1990,
        21,
        None,
        None,
    ]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_number_reader_counts_them_in_every_language(lang: str) -> None:
    assert read_figures("the XIX and the XXI", lang).values == {Decimal(19): 1, Decimal(21): 1}


@pytest.mark.parametrize(
    ("translation", "lang", "passed"),
    [
        ("Делегаты собрались на XVII съезд партии в Алматы в понедельник.", "ru", False),
        ("Делегаты собрались на XIX съезд партии в Алматы в понедельник.", "ru", True),
        ("Делегаты собрались на 19-й съезд партии в Алматы в понедельник.", "ru", True),
        ("Делегаттар дүйсенбі күні Алматыда партияның ХІХ съезіне жиналды.", "kk", True),
        ("Делегаттар дүйсенбі күні Алматыда партияның XVII съезіне жиналды.", "kk", False),
    ],
)
def test_a_changed_numeral_is_a_changed_number(translation: str, lang: str, passed: bool) -> None:
    checks = {c.name: c for c in check_translation(SOURCE, translation, source_lang="en", target_lang=lang)}
    assert checks["numbers"].passed is passed
    assert all(c.passed for name, c in checks.items() if name != "numbers")  # no name or Latin-word alarm


def test_an_ordinal_word_may_stand_for_a_numeral() -> None:
    source = "It was the largest battle since World War II, officials said."
    checks = check_translation(source, "Это крупнейшая битва со времён Второй мировой войны, заявили официальные лица.",
                               source_lang="en", target_lang="ru")  # fmt: skip
    assert {c.name: c for c in checks}["numbers"].passed


def test_a_summary_with_another_numeral_is_not_supported() -> None:
    changed = {
        c.name: c
        for c in check_faithfulness("The XVII congress opened in Almaty.", SOURCE, lang="en", source_lang="en")
    }
    assert not changed["numbers_supported"].passed and changed["names_supported"].passed
    assert all(
        c.passed
        for c in check_faithfulness("The 19th party congress opened in Almaty.", SOURCE, lang="en", source_lang="en")
    )

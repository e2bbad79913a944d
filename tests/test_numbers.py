from __future__ import annotations

from decimal import Decimal

import pytest

from summarizer.text.numbers import compare, read_figures


@pytest.mark.parametrize(
    ("text", "lang", "values"),
    [
        ("grew 11.4 percent", "en", ["11.4"]),
        ("выросла на 11,4%", "ru", ["11.4"]),
        ("24,500 containers", "en", ["24500"]),
        ("24 500 контейнеров", "ru", ["24500"]),
        ("24\u00a0500 контейнер", "kk", ["24500"]),
        ("24,500 контейнеров", "ru", ["24.5"]),  # English grouping read the Russian way is another number
        ("1,100 beds and 2,5 things", "en", ["1100", "2", "5"]),
        ("1.2 million tonnes", "en", ["1200000"]),
        ("1,2 млн тонн", "ru", ["1200000"]),
        ("9.5 trillion tenge", "en", ["9500000000000"]),
        ("320 тысяч тонн", "ru", ["320000"]),
        ("28,7 млрд теңге", "kk", ["28700000000"]),
        ("450-ге дейін", "kk", ["450"]),
        ("COVID-19 cases", "en", ["19"]),
        ("date 2015-11-25", "en", ["2015", "11", "25"]),
        ("2018/2019 маркетингтік жылы", "kk", ["2018", "2019"]),
    ],
)
def test_numbers_are_read_the_local_way(text: str, lang: str, values: list[str]) -> None:
    assert sorted(read_figures(text, lang).values.elements()) == sorted(Decimal(v) for v in values)


@pytest.mark.parametrize(
    ("source", "translation", "lang"),
    [
        ("no later than January 2016", "не позднее января 2016 года", "ru"),
        ("no later than January 2016", "2016 жылғы қаңтардан кешіктірмей", "kk"),
        ("on 25 November 2015", "25.11.2015", "ru"),
        ("said on Thursday", "сообщил в четверг", "ru"),
        ("said on Thursday", "бейсенбіде хабарлады", "kk"),
        ("in May 2024", "в мае 2024 года", "ru"),
        ("the two countries, 3 projects", "три проекта", "ru"),  # a small digit may be spelled out
        ("from 24,500 to 11.4", "от 11,4 до 24 500", "ru"),
        ("1,000 people and 1 million tonnes", "тысяча человек и миллион тонн", "ru"),
        ("1,000 people", "1 мың адам", "kk"),
    ],
)
def test_translations_that_keep_the_figures(source: str, translation: str, lang: str) -> None:
    assert compare(read_figures(source, "en"), read_figures(translation, lang)) == []


@pytest.mark.parametrize(
    ("source", "translation", "lang", "lost"),
    [
        ("January 2016", "января 2017 года", "ru", ["2016"]),
        ("January 2016", "2016 жыл", "kk", ["month January"]),
        ("grew 11.4%", "выросла на 14,1%", "ru", ["11.4"]),
        ("24,500 containers", "24,500 контейнеров", "ru", ["24500"]),
        ("on Tuesday", "во вторник", "kk", ["weekday Tuesday"]),
        ("in 2022 and again in 2022", "в 2022 году", "ru", ["2022"]),
        ("2022, 2022 and 2022", "в 2022 году", "ru", ["2022 (x2)"]),
        ("3 projects", "проекты", "ru", ["3"]),
        ("1,000 people and 2,000 tonnes", "тысяча человек и 2 тонны", "ru", ["2000"]),
        ("1,000 people", "1 тысяча человек", "ru", []),
    ],
)
def test_lost_figures_are_named(source: str, translation: str, lang: str, lost: list[str]) -> None:
    assert compare(read_figures(source, "en"), read_figures(translation, lang)) == lost


def test_may_the_verb_is_not_a_month() -> None:
    assert not read_figures("The sides may meet again. March on.", "en").months
    assert read_figures("in May 2016", "en").months == {4: 1}
    assert read_figures("from March, prices fell", "en").months == {2: 1}


def test_extra_figures_in_the_translation_are_not_a_fault() -> None:
    assert compare(read_figures("two countries", "en"), read_figures("2 страны в 2015 году", "ru")) == []

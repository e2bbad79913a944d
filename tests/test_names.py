"""Names across scripts without a glossary (text.romanise, checks.names)."""

from __future__ import annotations

import pytest

from summarizer.checks.names import names_check, proper_names, unsupported_names
from summarizer.text.romanise import name_key, names_match, romanise


def test_romanise_reads_russian_and_kazakh_letters() -> None:
    assert romanise("Тоқаев") == "toqaev"
    assert romanise("Лукашенко") == "lukashenko"
    assert romanise("Müller") == "muller"


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Tokayev", "Токаев"),
        ("Tokayev", "Тоқаевтың"),  # Kazakh case ending
        ("Kassym", "Касым"),
        ("Jomart", "Жомарт"),
        ("Lukashenko", "Лукашенко"),
        ("Nazarbayev", "Назарбаева"),
        ("Sutopo", "Сутопо"),
        ("Purwo", "Пурво"),
        ("Erdogan", "Эрдоганның"),
        ("Kanye", "Канье"),
        ("Washington", "Вашингтоном"),
        ("Popocatepetl", "Попокатепетль"),
        ("Park", "Пак"),  # a silent r
        ("Zhang", "Чжан"),  # pinyin zh / -ng
    ],
)
def test_honest_transliterations_match(source: str, target: str) -> None:
    assert names_match(name_key(source), name_key(target))


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Jomart", "Ямарт"),  # Касим-Ямарт Токайев: the first name is another name
        ("Aleksandr", "Альберт"),  # Альберт Лукашенко
        ("Koshanov", "Кашанов"),  # a for o: another name
        ("Domanevsky", "Доманский"),
    ],
)
def test_mangled_names_do_not_match(source: str, target: str) -> None:
    assert not names_match(name_key(source), name_key(target))


def test_proper_names_skip_titles_institutions_and_sentence_starts() -> None:
    text = (
        "The Chairman of the Mogilev Oblast Executive Committee Vladimir Domanevsky met President "
        "Kassym-Jomart Tokayev. Officials said so."
    )
    words = [n.word for n in proper_names(text)]
    assert words == ["Vladimir", "Domanevsky", "Kassym", "Jomart", "Tokayev"]


SOURCE = "President Kassym-Jomart Tokayev met Belarusian leader Aleksandr Lukashenko, the Akorda press service said."


@pytest.mark.parametrize(
    ("translation", "passed", "named"),
    [
        ("Президент Касым-Жомарт Токаев встретился с белорусским лидером Александром Лукашенко, сообщила "
         "пресс-служба Акорды.", True, ""),
        ("Президент Касим-Ямарт Токайев встретился с лидером Белоруссии Альбертом Лукашенко, сообщила "
         "пресс-служба Акорды.", False, "Jomart (closest: Ямарт)"),
        ("Президент Касым-Жомарт Токаев встретился с белорусским лидером Александром Лукашенко.", False,
         "Akorda (not there)"),  # a named source dropped
    ],
)  # fmt: skip
def test_names_check_on_a_russian_translation(translation: str, passed: bool, named: str) -> None:
    check = names_check(SOURCE, translation, source_lang="en", target_lang="ru")
    assert check.passed is passed, check.detail
    assert named in check.detail
    if not passed and "closest" in named:
        start, end = check.spans[0]
        assert translation[start:end] == "Ямарт"


def test_one_target_name_cannot_stand_for_two_source_names() -> None:
    source = "Aleksandr Koshanov met Aleksandr Kashanov."
    check = names_check(source, "Александр Кошанов встретился с Александром Кошановым.", source_lang="en")
    assert not check.passed and "Kashanov" in check.detail


def test_unsupported_names_across_scripts() -> None:
    source = "Kazakhstan's ambassador Yergali Bulegenov met governor Vladimir Domanevsky in Mogilev."
    assert unsupported_names("Посол Ергали Булегенов встретился с Владимиром Доманевским в Могилеве.", source) == []
    assert [n.word for n in unsupported_names("Посол Булегенов встретился с губернатором в Гомеле.", source)] == [
        "Гомеле"
    ]
    assert [n.word for n in unsupported_names("Bulegenov met KCNA reporters.", source)] == ["KCNA"]


def test_a_hyphenated_asian_given_name_is_not_held_to_transliteration() -> None:
    source = "The number of defectors has fallen since Kim Jong-un came to power, Park Byeong-seug said."
    check = names_check(
        source, "Число перебежчиков сократилось при Ким Чен Ыне, сообщил Пак Бён Сок.", source_lang="en"
    )
    assert check.passed, check.detail
    assert not names_check(source, "Число перебежчиков сократилось, сообщил Бён Сок.", source_lang="en").passed


@pytest.mark.parametrize(
    ("translation", "wanted"),
    [
        ("Президент Касим-Ямарт Токаев встретился с белорусским лидером Александром Лукашенко, сообщила "
         "пресс-служба Акорды.", [("mangled_name", "Ямарт", "Jomart", "Jomart", "Ямарт")]),
        ("Президент Касым-Жомарт Токаев встретился с белорусским лидером Александром Лукашенко.",
         [("missing_name", None, "Akorda", "Akorda", None)]),
    ],
)  # fmt: skip
def test_a_name_finding_says_where_the_name_is_and_what_became_of_it(
    translation: str, wanted: list[tuple[str | None, ...]]
) -> None:
    check = names_check(SOURCE, translation, source_lang="en", target_lang="ru")
    assert [
        (f.kind, translation[slice(*f.span)] if f.span else None, SOURCE[slice(*f.source_span)], f.expected, f.found)
        for f in check.findings if f.source_span
    ] == wanted  # fmt: skip

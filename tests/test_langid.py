from __future__ import annotations

import pytest

from summarizer.text.langid import (
    KAZAKH_ONLY,
    NOT_RUSSIAN,
    guess_language,
    letter_share,
    longest_russian_run,
    russian_in_kazakh,
    unknown_russian_words,
)

KK = "Қазақстан Беларусьте ірі бірлескен инвестициялық жобаларды іске асыруға ниетті, деп хабарлайды БелТА."
RU = "Казахстан хотел бы реализовать в Беларуси крупные совместные инвестиционные проекты, сообщает БелТА."
UK = "Казахстан хотів би реалізувати в Білорусі великі спільні інвестиційні проєкти, повідомляє БелТА."
KY = "Кыргызстандын өкмөтү жаңы мыйзамды кабыл алды жана шайлоо өттү деп билдирди."


@pytest.mark.parametrize(
    ("text", "lang"), [(KK, "kk"), (RU, "ru"), (UK, "uk"), ("The two countries agreed to build a plant.", "en")]
)
def test_guess_language(text: str, lang: str) -> None:
    assert guess_language(text).lang == lang


def test_no_words_is_unknown() -> None:
    assert guess_language("2015 — 11,4 %").lang == "unknown"


def test_kyrgyz_reads_as_kazakh_to_lingua_but_lacks_the_letters() -> None:
    """Why the language check does not trust lingua alone."""
    assert guess_language(KY).lang == "kk"
    assert letter_share(KY, KAZAKH_ONLY) == 0.0
    assert letter_share(KK, KAZAKH_ONLY) > 0.5


def test_letters_russian_does_not_use() -> None:
    assert letter_share(RU, NOT_RUSSIAN) == 0.0
    assert letter_share(UK, NOT_RUSSIAN) > 0.2
    assert letter_share("no Cyrillic here", NOT_RUSSIAN) == 0.0


def test_invented_russian_words_are_unknown() -> None:
    judged, unknown = unknown_russian_words(
        "Перевалочность грузовищ в Актауском торговище возросталась, сообщил Ерлан Куанышев журналистникам."
    )
    assert judged == 6  # capitalised words (names, the first word) are not judged
    assert unknown == ["грузовищ", "торговище", "возросталась", "журналистникам"]
    assert unknown_russian_words(RU)[1] == []


def test_russian_forms_in_kazakh() -> None:
    garbage = "Қазақстан инвестировать жобаларды в Беларусь и Могилёв облысы"
    assert russian_in_kazakh(garbage) == ["инвестировать", "в", "и"]
    assert russian_in_kazakh(KK) == []


def test_longest_russian_run() -> None:
    assert longest_russian_run(KK) == []
    mixed = KK + " хотел бы реализовать в Беларуси крупные совместные проекты."
    assert longest_russian_run(mixed) == ["хотел", "бы", "реализовать", "в"]
    assert longest_russian_run(RU) == ["крупные", "совместные", "инвестиционные", "проекты", "сообщает"]


# Source-language identification (identify_language): the sentences below are fictional, written
# for this test, except where a corpus file is read.
from pathlib import Path  # noqa: E402

from summarizer.text.langid import identify_language  # noqa: E402

AGENCY = Path(__file__).parent / "data" / "agency"
BE = (AGENCY / "be_telegraf_wages.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (BE, "be"),
        ("Die Bundesregierung hat am Mittwoch neue Regeln für die Einwanderung beschlossen.", "de"),
        (UK, "uk"),
        (KY, "ky"),
        (KK, "kk"),
        (RU, "ru"),
        ("The two countries agreed to build a plant in the north of the region.", "en"),
        ("Ҷумҳурии Тоҷикистон ва Қазоқистон созишномаи нав имзо карданд, хабар медиҳад Ховар.", "tg"),
        ("Oʻzbekiston va Qozogʻiston oʻrtasida yangi kelishuv imzolandi, deb xabar beradi UzA.", "uz"),
        ("Türkmenistanyň Prezidenti täze kanuna gol çekdi we ony güýje girizdi.", "tk"),
        ("Le gouvernement a adopté mercredi un nouveau plan pour les transports publics.", "fr"),
        ("El Gobierno aprobó el miércoles un nuevo plan para el transporte público.", "es"),
    ],
)
def test_identify_source_language(text: str, lang: str) -> None:
    found = identify_language(text)
    assert (found.code, found.uncertain) == (lang, False)
    assert found.confidence >= 0.6


@pytest.mark.parametrize("text", ["Ок, да.", "Kazakhstan and Russia signed it. Казахстан и Россия подписали."])
def test_unsure_is_said_not_forced(text: str) -> None:
    found = identify_language(text)
    assert found.uncertain and found.code == "und" and found.confidence <= 0.5
    assert found.best != "und" or not any(ch.isalpha() for ch in text)


def test_belarusian_is_not_kazakh_any_more() -> None:
    """The script rule (detect_language) calls Belarusian Kazakh for its і; identification does not."""
    from summarizer.text.articles import detect_language

    assert detect_language(BE) == "kk"
    assert identify_language(BE).code == "be"

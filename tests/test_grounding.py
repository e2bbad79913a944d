"""Tests for summarizer.facts.locate.locate: pinning extracted quotes to source offsets."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

from summarizer.facts.locate import Alignment, Span, locate

EN = (
    "date 2015-11-25 MOGILEV. KAZINFORM Kazakhstan would like to implement big joint investment "
    "projects in Belarus, Ambassador Extraordinary and Plenipotentiary of Kazakhstan to Belarus "
    "Yergali Bulegenov said as he met with Chairman of the Mogilev Oblast Executive Committee "
    "Vladimir Domanevsky, BelTA has learned."
)
RU = (
    "МОГИЛЁВ. КАЗИНФОРМ — «Нам необходимо активно работать над созданием совместных предприятий», "
    "— сказал посол.\r\n\r\n"
    "Владимир Доманевский предложил провести встречу не позднее января 2016 года."
)
KZ = (
    "Елші Қазақстан Беларусьпен бірлескен инвестициялық жобаларды іске асырғысы келетінін айтты. "
    "Бұл әріптестік үшін маңызды қадам, деді ол — жиһаз өндірісі де өседі."
)
CURLY = "The ambassador said: “We are ready to invest.” Domanevsky agreed ‘in principle’."
CRLF = "Kazakhstan would  like to implement\r\nbig joint investment projects  in Belarus.\r\n\r\nBelTA."


def assert_found(source: str, span: Span, alignment: Alignment) -> None:
    assert span.alignment is alignment
    assert span.start is not None and span.end is not None
    assert source[span.start : span.end] == span.text


def assert_none(span: Span) -> None:
    assert span == Span(None, None, None, Alignment.NONE, 0.0)


@pytest.mark.parametrize(
    ("quote", "start"),
    [
        ("date", 0),
        ("MOGILEV. KAZINFORM", 16),
        ("Yergali Bulegenov", 182),
        ("Vladimir Domanevsky", 271),
        ("BelTA has learned.", 292),
    ],
)
def test_exact_ascii(quote: str, start: int) -> None:
    span = locate(EN, quote)
    assert_found(EN, span, Alignment.EXACT)
    assert (span.start, span.end, span.text, span.score) == (start, start + len(quote), quote, 1.0)


@pytest.mark.parametrize(
    ("source", "quote", "start", "end"),
    [
        (RU, "МОГИЛЁВ", 0, 7),
        (RU, "КАЗИНФОРМ", 9, 18),
        (RU, "Владимир Доманевский", 112, 132),  # after the \r\n\r\n: each counts as one index
        (RU, "января 2016 года", 171, 187),
        (KZ, "бірлескен инвестициялық жобаларды", 27, 60),
        (KZ, "жиһаз өндірісі", 137, 151),
    ],
)
def test_exact_cyrillic_offsets(source: str, quote: str, start: int, end: int) -> None:
    span = locate(source, quote)
    assert_found(source, span, Alignment.EXACT)
    assert (span.start, span.end, span.text) == (start, end, quote)


def test_surrounding_whitespace_in_quote_is_ignored() -> None:
    span = locate(EN, "  Yergali Bulegenov\n")
    assert_found(EN, span, Alignment.EXACT)
    assert (span.start, span.text) == (182, "Yergali Bulegenov")


@pytest.mark.parametrize(
    ("source", "quote", "expected"),
    [
        (
            RU,
            '"Нам необходимо активно работать над созданием совместных предприятий", - сказал посол.',
            "«Нам необходимо активно работать над созданием совместных предприятий», — сказал посол.",
        ),
        (CURLY, '"We are ready to invest."', "“We are ready to invest.”"),
        (CURLY, "'in principle'", "‘in principle’"),
    ],
)
def test_straight_quotes_match_typographic(source: str, quote: str, expected: str) -> None:
    span = locate(source, quote)
    assert_found(source, span, Alignment.NORMALISED)
    assert span.text == expected
    assert span.score == 1.0


@pytest.mark.parametrize(
    ("source", "quote", "expected"),
    [
        (RU, "посол. Владимир", "посол.\r\n\r\nВладимир"),
        (RU, "посол.\nВладимир", "посол.\r\n\r\nВладимир"),
        (CRLF, "would like to implement big joint", "would  like to implement\r\nbig joint"),
        (CRLF, "projects in Belarus. BelTA.", "projects  in Belarus.\r\n\r\nBelTA."),
        ("января\u00a02016\u202fгода", "января 2016 года", "января\u00a02016\u202fгода"),
    ],
)
def test_whitespace_runs_and_crlf(source: str, quote: str, expected: str) -> None:
    span = locate(source, quote)
    assert_found(source, span, Alignment.NORMALISED)
    assert span.text == expected


@pytest.mark.parametrize(
    ("source", "quote", "expected"),
    [
        (RU, "КАЗИНФОРМ - «Нам", "КАЗИНФОРМ — «Нам"),  # hyphen in quote, em dash in source
        (EN, "2015—11—25", "2015-11-25"),  # em dash in quote, hyphen in source
        (KZ, "деді ол – жиһаз", "деді ол — жиһаз"),  # en dash vs em dash
        ("Он сказал… и ушёл.", "сказал... и ушёл", "сказал… и ушёл"),
    ],
)
def test_dashes_and_ellipsis(source: str, quote: str, expected: str) -> None:
    span = locate(source, quote)
    assert_found(source, span, Alignment.NORMALISED)
    assert span.text == expected


def test_decomposed_source_letters_match_composed_quote() -> None:
    # й as и + combining breve, as some editors save it: 22 characters instead of 21.
    source = unicodedata.normalize("NFD", "Доманевский предложил")
    assert len(source) == 22
    span = locate(source, "Доманевский предложил")
    assert_found(source, span, Alignment.NORMALISED)
    assert (span.start, span.end) == (0, 22)


@pytest.mark.parametrize(
    ("source", "quote", "expected"),
    [
        (
            EN,
            "Kazakhstan would like to implement large joint investment projects in Belarus",
            "Kazakhstan would like to implement big joint investment projects in Belarus",
        ),
        (
            RU,
            "Владимир Доманевский предложил провести встречу не позднее февраля 2016 года",
            "Владимир Доманевский предложил провести встречу не позднее января 2016 года",
        ),
        (  # no quote marks in the quote: the source's « and », are not pulled into the span
            RU,
            "Нам нужно активно работать над созданием совместных предприятий",
            "Нам необходимо активно работать над созданием совместных предприятий",
        ),
        (  # quote marks kept, the source's sentence-final period is not
            "Посол сказал: “Мы готовы инвестировать”. Мэр согласился.",
            'Посол заявил: "Мы готовы инвестировать"',
            "Посол сказал: “Мы готовы инвестировать”",
        ),
        (
            KZ,
            "Қазақстан Беларусьпен бірлескен инвестициялық жобаларды іске асырғысы келеді",
            "Қазақстан Беларусьпен бірлескен инвестициялық жобаларды іске асырғысы келетінін",
        ),
    ],
)
def test_fuzzy_one_changed_word(source: str, quote: str, expected: str) -> None:
    span = locate(source, quote)
    assert_found(source, span, Alignment.FUZZY)
    assert span.text == expected
    assert 0.85 <= span.score < 1.0


def test_fuzzy_respects_min_score() -> None:
    quote = "Kazakhstan would like to implement large joint investment projects in Belarus"
    assert locate(EN, quote, min_score=0.8).alignment is Alignment.FUZZY
    assert_none(locate(EN, quote, min_score=0.99))


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        (EN, "The president announced new sanctions against the company on Tuesday"),
        (EN, "Bulegenov met with Domanevsky"),  # real names, invented sentence
        (RU, "Президент объявил о новых санкциях против компании"),
        (KZ, "Министр цифрлық қызметтер туралы айтты"),
    ],
)
def test_invented_quote_is_not_found(source: str, quote: str) -> None:
    assert_none(locate(source, quote))


def test_verbatim_rejects_fuzzy_only_match() -> None:
    quote = "Владимир Доманевский предложил провести встречу не позднее февраля 2016 года"
    assert locate(RU, quote).alignment is Alignment.FUZZY  # so it is fuzzy-only
    assert_none(locate(RU, quote, verbatim=True))


@pytest.mark.parametrize(
    ("quote", "alignment"),
    [
        ("сказал посол.", Alignment.EXACT),
        ('"Нам необходимо активно работать", - нет', Alignment.NONE),
        ("посол. Владимир", Alignment.NORMALISED),
    ],
)
def test_verbatim_keeps_exact_and_normalised(quote: str, alignment: Alignment) -> None:
    assert locate(RU, quote, verbatim=True).alignment is alignment


@pytest.mark.parametrize(
    ("hint", "start"),
    [(0, 35), (35, 35), (36, 160), (160, 160), (161, 35), (-5, 35), (10_000, 35)],
)
def test_hint_picks_occurrence_at_or_after(hint: int, start: int) -> None:
    span = locate(EN, "Kazakhstan", hint=hint)
    assert_found(EN, span, Alignment.EXACT)
    assert span.start == start  # past the last occurrence it falls back to the first


@pytest.mark.parametrize(
    ("quote", "alignment"),
    [
        ("“Мы готовы инвестировать”", Alignment.EXACT),
        ('"Мы готовы инвестировать"', Alignment.NORMALISED),
        ("Посол заявил: “Мы готовы инвестировать”", Alignment.FUZZY),
    ],
)
def test_hint_applies_to_every_alignment(quote: str, alignment: Alignment) -> None:
    sentence = "Посол сказал: “Мы готовы инвестировать”."
    source = f"{sentence}\r\n{sentence}"
    first = locate(source, quote)
    second = locate(source, quote, hint=len(sentence))
    assert_found(source, first, alignment)
    assert_found(source, second, alignment)
    assert first.start is not None and first.start < len(sentence)
    assert second.start == first.start + len(sentence) + 2
    assert second.text == first.text


@pytest.mark.parametrize("quote", ["", " ", "\r\n\t", "\u00a0", "\u200b"])
def test_empty_or_blank_quote_is_none(quote: str) -> None:
    assert_none(locate(EN, quote))


def test_empty_source_is_none() -> None:
    assert_none(locate("", "Kazakhstan"))


def test_span_is_frozen_and_alignment_is_a_string() -> None:
    span = locate(EN, "BelTA")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 0  # type: ignore[misc]
    assert span.alignment == "exact"

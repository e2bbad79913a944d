"""Tests for summarizer.text.translit (Kazakh Cyrillic -> 2021 Kazakh Latin)."""

from __future__ import annotations

import re

import pytest

from summarizer.text.translit import ALPHABET_NAME, to_latin

KAZAKH_CYRILLIC = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
# The 31 letters of the January 2021 alphabet, both cases.
LATIN_2021 = set("AÄBDEFGĞHIİJKLMNÑOÖPQRSŞTUŪÜVYZaäbdefgğhıijklmnñoöpqrsştuūüvyz")
CYRILLIC_RE = re.compile("[\u0400-\u04ff]")

# Every letter of the 42-letter Kazakh Cyrillic alphabet: (lower, expected lower,
# upper on its own, expected). A lone capital that becomes two letters is title case.
LETTERS = [
    ("а", "a", "А", "A"),
    ("ә", "ä", "Ә", "Ä"),
    ("б", "b", "Б", "B"),
    ("в", "v", "В", "V"),
    ("г", "g", "Г", "G"),
    ("ғ", "ğ", "Ғ", "Ğ"),
    ("д", "d", "Д", "D"),
    ("е", "e", "Е", "E"),
    ("ё", "io", "Ё", "İo"),
    ("ж", "j", "Ж", "J"),
    ("з", "z", "З", "Z"),
    ("и", "i", "И", "İ"),
    ("й", "i", "Й", "İ"),
    ("к", "k", "К", "K"),
    ("қ", "q", "Қ", "Q"),
    ("л", "l", "Л", "L"),
    ("м", "m", "М", "M"),
    ("н", "n", "Н", "N"),
    ("ң", "ñ", "Ң", "Ñ"),
    ("о", "o", "О", "O"),
    ("ө", "ö", "Ө", "Ö"),
    ("п", "p", "П", "P"),
    ("р", "r", "Р", "R"),
    ("с", "s", "С", "S"),
    ("т", "t", "Т", "T"),
    ("у", "u", "У", "U"),
    ("ұ", "ū", "Ұ", "Ū"),
    ("ү", "ü", "Ү", "Ü"),
    ("ф", "f", "Ф", "F"),
    ("х", "h", "Х", "H"),
    ("һ", "h", "Һ", "H"),
    ("ц", "ts", "Ц", "Ts"),
    ("ч", "ş", "Ч", "Ş"),
    ("ш", "ş", "Ш", "Ş"),
    ("щ", "ş", "Щ", "Ş"),
    ("ъ", "", "Ъ", ""),
    ("ы", "y", "Ы", "Y"),
    ("і", "ı", "І", "I"),
    ("ь", "", "Ь", ""),
    ("э", "e", "Э", "E"),
    ("ю", "iu", "Ю", "İu"),
    ("я", "ia", "Я", "İa"),
]

PARAGRAPH = (
    "«Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен "
    "қазысының үйіне келіп қоныпты.»\r\n\r\n"
    "ҚАЗАҚСТАН 2024 жылғы 15 ЯНВАРЬ: " + KAZAKH_CYRILLIC + " " + KAZAKH_CYRILLIC.lower() + "\n"
)


def test_alphabet_name() -> None:
    assert ALPHABET_NAME == "kazakh-latin-2021"


def test_letter_table_covers_the_whole_alphabet() -> None:
    assert "".join(row[2] for row in LETTERS) == KAZAKH_CYRILLIC


@pytest.mark.parametrize(("lower", "expected", "_upper", "_expected_upper"), LETTERS)
def test_each_lowercase_letter(lower: str, expected: str, _upper: str, _expected_upper: str) -> None:
    assert to_latin(lower) == expected


@pytest.mark.parametrize(("_lower", "_expected", "upper", "expected"), LETTERS)
def test_each_uppercase_letter(_lower: str, _expected: str, upper: str, expected: str) -> None:
    assert to_latin(upper) == expected


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Қазақстан", "Qazaqstan"),
        ("Астана", "Astana"),
        ("Ерғали Бұлегенов", "Erğali Būlegenov"),
        ("Тоқаев", "Toqaev"),
        ("Шымкент", "Şymkent"),
        ("Өскемен", "Öskemen"),
        ("Үкімет", "Ükımet"),
        ("Ұлттық", "Ūlttyq"),
        ("Ақтөбе", "Aqtöbe"),
        ("Қайрат", "Qairat"),
        ("Азияда", "Aziiada"),
        ("Цой", "Tsoi"),
        ("сый беріп, орнымда қалайын", "syi berıp, ornymda qalaiyn"),
        ("Қазақстан Республикасы", "Qazaqstan Respublikasy"),
    ],
)
def test_words_and_names(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("ЯНВАРЬ", "İANVAR"),
        ("Январь", "İanvar"),
        ("ЯНВАРЬ Январь", "İANVAR İanvar"),
        ("ЮНЕСКО", "İUNESKO"),
        ("Юрий", "İurii"),
        ("КИЮ", "KİİU"),  # word-final capital: the previous letter decides
        ("ЦОЙ", "TSOİ"),
        ("ШЫМКЕНТ", "ŞYMKENT"),
        ("ҚАЗАҚСТАН", "QAZAQSTAN"),
        ("ҮКІМЕТ", "ÜKIMET"),  # capital of ı is I ...
        ("БИІК", "BİIK"),  # ... and capital of i is İ: they must not collapse
        ("Я мен Ю", "İa men İu"),  # lone capitals take title case
    ],
)
def test_case_handling(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-15 12:30, 3.5%, №7",
        "Hello, World! iPhone 15 Pro",
        "«» „“ — … ()[]{}",
        "line one\r\nline two\n\nline three\r\n",
        "Ukrainian ї є ґ, Serbian ђ џ",
        "Qazaqstan Respublikasy, Şymkent, İanvar, Ükımet",
        "emoji 🙂 tab\tend",
    ],
)
def test_non_cyrillic_text_is_untouched(text: str) -> None:
    assert to_latin(text) == text


def test_mixed_text_keeps_punctuation_digits_and_crlf() -> None:
    assert to_latin("«Астана» 2024 ж.\r\nЖаңалық: 15%") == "«Astana» 2024 j.\r\nJañalyq: 15%"


def test_decomposed_letters_are_composed_first() -> None:
    assert to_latin("Қаи\u0306рат е\u0308") == "Qairat io"


@pytest.mark.parametrize("text", [PARAGRAPH, "Ерғали Бұлегенов", "ЯНВАРЬ", "Ükımet"])
def test_idempotent(text: str) -> None:
    once = to_latin(text)
    assert to_latin(once) == once


def test_paragraph_has_no_cyrillic_left() -> None:
    out = to_latin(PARAGRAPH)
    assert CYRILLIC_RE.search(PARAGRAPH)
    assert not CYRILLIC_RE.search(out)


def test_paragraph_uses_only_2021_letters_and_keeps_structure() -> None:
    out = to_latin(PARAGRAPH)
    assert {c for c in out if c.isalpha()} <= LATIN_2021
    assert out.count("\r\n") == PARAGRAPH.count("\r\n")
    assert len(out.splitlines()) == len(PARAGRAPH.splitlines())
    assert re.findall(r"\d+", out) == re.findall(r"\d+", PARAGRAPH)
    assert out.startswith("«Būryñğy ötken zamanda, bır danyşpan kısı,")

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT

from summarizer.errors import InputError
from summarizer.text.glossary import find_term, load_glossary, parse_glossary

CORPUS_GLOSSARY = ROOT / "tests" / "data" / "translations" / "glossary.csv"


@pytest.mark.parametrize(
    ("text", "form", "lang"),
    [
        ("встретился с Владимиром Доманевским", "Владимир Доманевский", "ru"),
        ("Владимир Доманевскиймен кездесуде", "Владимир Доманевский", "kk"),
        ("деловых кругов Могилёвской области", "Могилёвская область", "ru"),
        ("Қостанай облысында орақ", "Қостанай облысы", "kk"),
        ("МОГИЛЁВ. КАЗИНФОРМ", "Могилёв", "ru"),
        ("в Могилеве", "Могилёв", "ru"),  # ё and е are one letter to the matcher
        ("Қазақстанның Беларусьтегі елшісі", "Беларусь", "kk"),
        ("the Kazakhstan's ambassador", "Kazakhstan", "en"),
        ("in the Mogilev Oblast Executive Committee", "Mogilev Oblast", "en"),
        ("Северо-Казахстанской области", "Северо-Казахстанская область", "ru"),
    ],
)
def test_inflected_forms_are_found(text: str, form: str, lang: str) -> None:
    assert find_term(text, form, lang=lang) is not None


@pytest.mark.parametrize(
    ("text", "form", "lang"),
    [
        ("Йергали Булегенов заявил", "Ергали Булегенов", "ru"),
        ("Айдар Жунусбеков мәлімдеді", "Айдар Жүнісбеков", "kk"),
        ("Гульнара Абдыкеримова", "Гульнара Абдикеримова", "ru"),
        ("банк Астанабанк", "Астана", "ru"),  # a longer word that merely starts alike
        ("Mogilevliftmash plant", "Mogilev", "en"),
        ("Доманевский", "Владимир Доманевский", "ru"),  # every word of a term must be there, in order
    ],
)
def test_other_spellings_do_not_match(text: str, form: str, lang: str) -> None:
    assert find_term(text, form, lang=lang) is None


def test_find_term_returns_the_span() -> None:
    text = "заявил Ергали Булегенову вчера"
    start, end = find_term(text, "Ергали Булегенов", lang="ru")  # type: ignore[misc]
    assert text[start:end] == "Ергали Булегенову"


def test_select_picks_only_terms_in_the_source() -> None:
    glossary = load_glossary(CORPUS_GLOSSARY)
    assert glossary.languages == ("en", "ru", "kk")
    chosen = glossary.select("Ambassador Yergali Bulegenov met officials in Mogilev.", lang="en")
    assert [t.form("en") for t in chosen] == ["Yergali Bulegenov", "Mogilev"]
    assert chosen[0].form("kk") == "Ерғали Бұлегенов"
    assert glossary.select("Ергали Булегенову вручили", lang="ru")[0].form("en") == "Yergali Bulegenov"
    assert glossary.select("anything", lang="de") == ()


def test_select_skips_terms_without_a_target_form() -> None:
    glossary = parse_glossary("en,ru,kk\nAstana,Астана,\nAlmaty,Алматы,Алматы\n")
    assert [t.form("en") for t in glossary.select("Astana and Almaty", lang="en", target="kk")] == ["Almaty"]


def test_extra_columns_and_bom_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes("\ufeffen,ru,kk,de\nAstana,Астана,Астана,Astana\n".encode())
    glossary = load_glossary(path)
    assert glossary.languages == ("en", "ru", "kk", "de")
    assert glossary.terms[0].form("de") == "Astana"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"name,russian\nAstana,\xd0\x90\n", "header row must name language codes"),
        (b"en,ru,en\nA,B,C\n", "appears twice"),
        (b"en,ru\nAstana\n", "row 2: 1 cells"),
        (b"en,ru\n\xff\xfe\n", "not UTF-8"),
    ],
)
def test_bad_glossaries_say_what_is_wrong(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_glossary(path)


def test_missing_glossary_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_glossary(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a directory"):
        load_glossary(tmp_path)


def test_an_unchanged_file_is_parsed_once_and_a_changed_one_again(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("en,ru\nAstana,Астана\n", encoding="utf-8")
    first = load_glossary(path)
    assert load_glossary(str(path)) is first
    stat = path.stat()
    path.write_text("en,ru\nAlmaty,Алматы\n", encoding="utf-8")  # the same size: the mtime tells
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert [t.form("en") for t in load_glossary(path).terms] == ["Almaty"]


def test_the_same_csv_text_is_parsed_once() -> None:
    text = "en,kk\nAstana,Астана\n"
    assert parse_glossary(text) is parse_glossary(text)
    assert parse_glossary(text + "Almaty,Алматы\n") is not parse_glossary(text)

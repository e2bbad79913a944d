"""Datelines as wires write them, and the sentences that only look like one."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import UsageError
from summarizer.text.agencies import agencies, load_agencies
from summarizer.text.articles import parse_article, split_header
from summarizer.text.dates import month_number, parse_date

# (lede, place, agency, date, the body starts with). The ledes are the forms the issue lists; the
# text after each dateline is a fictional sentence written for this test.
FORMS = [
    ("ASTANA. KAZINFORM – The Senate passed the bill.", "Astana", "Kazinform", None, "The Senate"),
    ("KOSTANAY. KAZINFORM - Farmers began sowing.", "Kostanay", "Kazinform", None, "Farmers"),
    ("Astana. July 4. KazTAG - The court ruled.", "Astana", "KazTAG", "--07-04", "The court"),
    ("ASTANA (TCA) — The ministry said on Monday.", "Astana", "TCA", None, "The ministry"),
    ("ASTANA – The capital hosted the forum.", "Astana", None, None, "The capital"),
    ("НҰР-СҰЛТАН. ҚазАқпарат – Мемлекет басшысы сөз сөйледі.", "Нұр-Сұлтан", "Kazinform", None, "Мемлекет"),
    ("АЛМАТЫ. 8 наурыз. ҚазАқпарат - Қалада мереке өтті.", "Алматы", "Kazinform", "--03-08", "Қалада"),
    ("МОСКВА, 5 июля. /ТАСС/. Правительство одобрило план.", "Москва", "TASS", "--07-05", "Правительство"),
    ("MOSCOW, December 7. /TASS/. Russia and Kazakhstan signed a deal.", "Moscow", "TASS", "--12-07", "Russia"),
    ("МИНСК, 25 октября (БЕЛТА) – Президент подписал указ.", "Минск", "BelTA", "--10-25", "Президент"),
    ("MINSK, 25 October (BelTA) – The President signed a decree.", "Minsk", "BelTA", "--10-25", "The President"),
    ("LOS ANGELES (Reuters) - The film won.", "Los Angeles", "Reuters", None, "The film"),
    ("CAIRO — Talks resumed on Sunday.", "Cairo", None, None, "Talks"),
    ("МІНСК, 24 жніўня (БЕЛТА) – Прэзідэнт падпісаў указ.", "Мінск", "BelTA", "--08-24", "Прэзідэнт"),
    ("Berlin, 3. März (dpa) - Der Bundestag stimmte zu.", "Berlin", "dpa", "--03-03", "Der Bundestag"),
    ("Москва. 30 апреля. INTERFAX.RU - Суд вынес решение.", "Москва", "Interfax", "--04-30", "Суд"),
    ("МОСКВА, 10 авг - РИА Новости.\n\nСуд вынес решение.", "Москва", "RIA Novosti", "--08-10", "Суд"),
    ("ТАСС, 10 августа. Военные завершили работы.", None, "TASS", "--08-10", "Военные"),
    ("KHAN YOUNIS, GAZA — The hospital ran out of fuel.", "Khan Younis", None, None, "The hospital"),
    ("SEOUL, Aug. 20 (Yonhap) -- North Korea warned.", "Seoul", "Yonhap", "--08-20", "North Korea"),
    (" date 2015-11-25 MOGILEV. KAZINFORM Kazakhstan would like.", "Mogilev", "Kazinform", "2015-11-25", "Kazakhstan"),
    ("Wiesbaden (KNA/iz). Der Bundespräsident sprach.", "Wiesbaden", "KNA", None, "Der Bundespräsident"),
    ("МОСКВА, 1 октября. /Корр. ТАСС Сергей Изотов/. Совет открывает сессию.", "Москва", "TASS", "--10-01", "Совет"),
    ("LOS ANGELES, Jan 19 (Reuters) - The film won.", "Los Angeles", "Reuters", "--01-19", "The film"),
    ("KYIV, Ukraine (AP) — Russia attacked.", "Kyiv", "AP", None, "Russia"),
    ("MINSK, 25. Oktober (BelTA) – Der Präsident sagte.", "Minsk", "BelTA", "--10-25", "Der Präsident"),
    ("АСТАНА, 5 июл — Sputnik. Президент сказал.", "Астана", "Sputnik", "--07-05", "Президент"),
    ("Астана. 4 июля. КазТАГ - Суд вынес решение.", "Астана", "KazTAG", "--07-04", "Суд"),
    ("RIO de JANEIRO (Reuters) - Brazil said.", "Rio de Janeiro", "Reuters", None, "Brazil"),
    ("UNITED NATIONS/GENEVA (Reuters) - The U.N. said.", "United Nations/Geneva", "Reuters", None, "The U.N."),
    ("Almaty. Kazinform - Snow fell.", "Almaty", "Kazinform", None, "Snow"),
]


@pytest.mark.parametrize(("lede", "place", "agency", "date", "starts"), FORMS)
def test_dateline_forms(lede: str, place: str | None, agency: str | None, date: str | None, starts: str) -> None:
    body, meta = split_header(lede)
    assert (meta.dateline, meta.agency, meta.date) == (place, agency, date)
    assert body.startswith(starts)


def test_correspondent_in_the_dateline_is_the_byline() -> None:
    _, meta = split_header("МОСКВА, 1 октября. /Корр. ТАСС Сергей Изотов/. Совет открывает сессию.")
    assert meta.byline == "Сергей Изотов"


# Sentences that open with a name and a dash, a place, or a rubric: never eaten.
NOT_DATELINES = [
    "Astana – Kazakhstan Temir Zholy will buy 500 new wagons this year.",
    "Dee Dee Myers — a White House press secretary under Bill Clinton — is leaving.",
    "British Virgin Islands (BVI) Governor John Rankin called for calm.",
    "MIGRATION – Probleme zwischen Einheimischen und Flüchtlingen sind auch in Afrika ein Thema",
    "Almaty, the largest city, will open a new metro line.",
    "Kazinform reported that the Senate passed the bill.",
    "BREAKING – The Senate passed the bill.",
    "Astana, Kazakhstan – The Senate passed the bill.",
    "Минск – столица Беларуси, сообщил гид.",
    "Astana hosts the forum – officials said.",
    "NATO – the alliance said.",
]


@pytest.mark.parametrize("lede", NOT_DATELINES)
def test_what_is_not_a_dateline_is_never_eaten(lede: str) -> None:
    body, meta = split_header(lede)
    assert body == lede
    assert (meta.dateline, meta.agency, meta.date) == (None, None, None)


def test_headline_line_and_standfirst() -> None:
    text = "Тоттенхэм вышел в финал\n\nВ финале он сыграет с Ливерпулем\n\nМосква. 9 мая. INTERFAX.RU - Текст."
    body, meta = split_header(text)
    assert (meta.title, meta.subtitle, meta.dateline, body) == (
        "Тоттенхэм вышел в финал",
        "В финале он сыграет с Ливерпулем",
        "Москва",
        "Текст.",
    )


def test_a_second_short_line_without_a_dateline_after_it_stays_in_the_body() -> None:
    body, meta = split_header("Headline here\n\nA short line\n\nThe story goes on.")
    assert meta.title == "Headline here" and meta.subtitle is None
    assert body == "A short line\n\nThe story goes on."


def test_a_first_sentence_is_not_a_headline() -> None:
    body, meta = split_header("The Senate passed the bill.\n\nIt takes effect in May.")
    assert meta.title is None and body.startswith("The Senate")


@pytest.mark.parametrize(
    ("text", "source", "kept"),
    [
        ("Text of the story.\n\nSource: BELTA", "BelTA", "Text of the story."),
        ("Text of the story.\n— Sputnik", "Sputnik", "Text of the story."),
        ("Президент провел встречу, сообщает пресс-служба Акорды.", "пресс-служба Акорды", None),
        ("Суд вынес решение, сообщает издание ABC Color.", None, None),
    ],
)
def test_trailers(text: str, source: str | None, kept: str | None) -> None:
    body, meta = split_header(text)
    assert meta.source == source
    assert body == (kept or text)  # an attribution inside a sentence stays in it


@pytest.mark.parametrize(
    ("ending", "source"),
    [
        ("\n\nSource: BELTA", "BelTA"),
        ("\n— Sputnik", "Sputnik"),
        (", сообщает пресс-служба Акорды.", "пресс-служба Акорды"),
    ],
)
def test_a_long_story_keeps_its_trailer_and_every_word_before_it(ending: str, source: str) -> None:
    # The trailer is searched for near the end only: a long story must still give it up, whole.
    story = " ".join(f"Sentence number {i} of a long story." for i in range(2000)) + " The end"
    body, meta = split_header(story + ending)
    assert meta.source == source
    assert body == (story if ending.startswith("\n") else story + ending)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("25 октября", "--10-25"),
        ("Aug. 20", "--08-20"),
        ("8 наурыз", "--03-08"),
        ("24 жніўня 2020", "2020-08-24"),
        ("4. November", "--11-04"),
        ("21 Abr", "--04-21"),
        ("July 4, 2019", "2019-07-04"),
        ("2015-11-25", "2015-11-25"),
        ("Astana", None),
        ("32 мая", None),
    ],
)
def test_dates(text: str, date: str | None) -> None:
    found = parse_date(text)
    assert (found[0] if found else None) == date


def test_month_abbreviations_must_be_unambiguous() -> None:
    assert month_number("Sept.") == 9 and month_number("авг") == 8 and month_number("ма") is None


def test_newsroom_agencies_extend_the_shipped_table(tmp_path: Path) -> None:
    extra = tmp_path / "ours.toml"
    extra.write_text(
        '[[agency]]\nname = "Daryo"\naliases = ["DARYO", "Дарё"]\n\n'
        '[[agency]]\nname = "Kazinform"\naliases = ["KAZINFORM-KZ"]\n',
        encoding="utf-8",
    )
    assert split_header("TASHKENT (DARYO) – Text.", agencies=extra)[1].agency == "Daryo"
    assert split_header("ASTANA. KAZINFORM-KZ – Text.", agencies=extra)[1].agency == "Kazinform"
    assert agencies(extra).find("TASS") is not None  # the shipped ones stay
    assert split_header("TASHKENT (DARYO) – Text.")[1].agency != "Daryo"  # only where it is asked for


def test_a_broken_agencies_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[agency]]\nname = 'X'\naliases = 'X'\n", encoding="utf-8")
    with pytest.raises(UsageError, match="needs a name and a list of aliases"):
        load_agencies(bad)
    with pytest.raises(UsageError, match="does not exist"):
        load_agencies(tmp_path / "missing.toml")


def test_unknown_outlet_in_brackets_needs_a_date_or_a_dash() -> None:
    assert split_header("San José, 21 Abr (Elpaís.cr).- Con el fin.")[1].agency == "Elpaís.cr"
    assert parse_article(b"Kazakhstan (KZ) Governor spoke today.", name="x").meta.agency is None

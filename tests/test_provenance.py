"""The wire header: written by pull, read back by the article reader, never confused with a story."""

from __future__ import annotations

import pytest

from summarizer.text.articles import parse_article
from summarizer.text.provenance import Provenance, format_provenance, parse_provenance


def test_the_header_round_trips_and_a_hostile_title_cannot_add_a_key() -> None:
    header = Provenance(feed="kz", link="https://x/1", guid="g", published="2026-12-07T01:15:00+00:00",
                        pulled="2026-12-07T12:00:00+00:00", agency="Kazinform", version=2,
                        title="Headline\nguid forged", date="2026-12-07")  # fmt: skip
    text = format_provenance(header) + "ASTANA. KAZINFORM – The story goes on here.\n"
    parsed, end = parse_provenance(text)
    assert parsed is not None and parsed.guid == "g" and parsed.title == "Headline guid forged"
    assert parsed.version == 2 and text[end:].startswith("ASTANA.")


@pytest.mark.parametrize(
    "text",
    [
        "title Something happened\n\nThe story.",  # no feed, link or guid: a story's first line
        "date 2015-11-25 MOGILEV. KAZINFORM Kazakhstan would like to ...",  # Kazinform's export line
        "feed the hungry, said the minister\nand more words\n\nThe story.",  # a line that is not a key
        "guid a\nguid b\n\nThe story.",  # a key twice
    ],
)
def test_stories_that_open_with_a_key_word_are_not_headers(text: str) -> None:
    assert parse_provenance(text) == (None, 0)


def test_the_reader_keeps_the_export_line_as_before() -> None:
    article = parse_article(b" date 2015-11-25 MOGILEV. KAZINFORM Kazakhstan would like to invest more.", name="a")
    assert article.meta.wire is None and article.meta.date == "2015-11-25" and article.meta.agency == "Kazinform"


def test_a_dateline_without_a_year_takes_the_feeds_year() -> None:
    text = "date 2026-12-07\nfeed belta\nguid g\nagency BELTA\n\nМОГИЛЕВ, 7 декабря (БЕЛТА) – Завод построят в 2027 году."
    meta = parse_article(text.encode(), name="b").meta
    assert (meta.date, meta.agency, meta.dateline, meta.title) == ("2026-12-07", "BelTA", "Могилев", None)

"""Every digest label is true (digest.fallback): each fallback says whose text it is, and text
under "the article's own ..." is the article's, verbatim. The full matrix: headline passed or
failed, summary passed or failed, an article with and without a headline of its own.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from conftest import ROOT, SEED

from summarizer.checks.verdict import Check, Finding
from summarizer.digest.fallback import choose
from summarizer.text.articles import load_article
from summarizer.text.lead import article_headline, lead

YONHAP = ROOT / "tests" / "data" / "agency" / "en_yonhap_seoul.txt"  # has its own headline line
MODEL_HEADLINE = "Pyongyang condemns the drill in the strongest terms ever seen"
MODEL_SUMMARY = "North Korea's newspaper blasted South Korea for a joint drill."
HEADLINE_FAILED = (Check("length", False, "21 words for a headline"), Check("complete", False, "cut off"))
SUMMARY_FAILED = (Check("numbers_supported", False, "not in the source: 3 billion"),)
WARNED = (Check.of("names_supported", [Finding("k", "warning", "look at Pyongyang")], ok="ok"),)
PASSED = (Check("language", True, "en"),)


def verbatim(shown: str, article_text: str) -> bool:
    """``shown`` is the article's own text: whitespace aside, and the ellipsis of a cut."""
    flat = " ".join(article_text.split())
    return all(part.strip() in flat for part in re.split(r"…", " ".join(shown.split())) if part.strip())


@pytest.mark.parametrize(
    ("path", "headline_ok", "summary_ok"), list(itertools.product([YONHAP, SEED], [True, False], [True, False]))
)
def test_every_label_says_whose_text_it_is(path: Path, headline_ok: bool, summary_ok: bool) -> None:
    article = load_article(path)
    own = article_headline(article)
    assert (own is not None) == (path == YONHAP)
    shown = choose(article, MODEL_HEADLINE, PASSED if headline_ok else HEADLINE_FAILED,
                   MODEL_SUMMARY, PASSED if summary_ok else SUMMARY_FAILED, lang="en")  # fmt: skip
    note = shown.note or ""
    if headline_ok:
        assert shown.headline == MODEL_HEADLINE and "headline" not in note
    else:
        assert MODEL_HEADLINE not in shown.headline and verbatim(shown.headline, article.text)
        label = "The article's own headline" if own else "The article's first words as the headline"
        assert f"{label}: the generated headline failed its checks (length, complete)." in note
        assert shown.headline == (own or shown.headline)
    if summary_ok:
        assert shown.summary == MODEL_SUMMARY and "own lead" not in note
    else:
        assert shown.summary == lead(article) and verbatim(shown.summary, article.text)
        assert "The article's own lead: the generated summary failed its checks (numbers_supported)." in note
        # the headline's failures are never named as the summary's, nor the other way round
        assert "length" not in note.split("own lead")[1] and "numbers_supported" not in note.split("own lead")[0]
    assert shown.note is None if headline_ok and summary_ok else shown.note
    assert shown.headline_passed  # what is shown as the headline passed, or is the article's own


def test_warnings_are_named_without_replacing_anything() -> None:
    article = load_article(YONHAP)
    shown = choose(article, MODEL_HEADLINE, PASSED, MODEL_SUMMARY, WARNED, lang="en")
    assert (shown.headline, shown.summary) == (MODEL_HEADLINE, MODEL_SUMMARY)
    assert shown.note == "Look before publishing (warnings): names_supported." and shown.headline_passed
    assert choose(article, MODEL_HEADLINE, WARNED, MODEL_SUMMARY, PASSED, lang="en").headline_passed  # subject


def test_a_replaced_text_takes_its_warnings_with_it() -> None:
    article = load_article(YONHAP)
    shown = choose(article, MODEL_HEADLINE, HEADLINE_FAILED + WARNED, MODEL_SUMMARY, PASSED, lang="en")
    assert shown.note and "warnings" not in shown.note  # the model's headline is not shown


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_labels_in_every_digest_language(lang: str) -> None:
    shown = choose(load_article(SEED), MODEL_HEADLINE, HEADLINE_FAILED, MODEL_SUMMARY, SUMMARY_FAILED, lang=lang)
    assert shown.note and "length, complete" in shown.note and "numbers_supported" in shown.note
    assert shown.summary == lead(load_article(SEED))


def test_fallback_none_shows_the_model_text_and_says_what_failed() -> None:
    shown = choose(load_article(YONHAP), MODEL_HEADLINE, HEADLINE_FAILED, MODEL_SUMMARY, SUMMARY_FAILED,
                   lang="en", mode="none")  # fmt: skip
    assert (shown.headline, shown.summary) == (MODEL_HEADLINE, MODEL_SUMMARY)
    assert shown.note == "Check before use: length, complete, numbers_supported." and not shown.headline_passed

"""Never publish what failed: lead fallback in the digest and the batch, marks, the subject line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SEED
from fakes import FakeOpenAI, Reply, scripted

from summarizer.checks.verdict import Check
from summarizer.digest.build import build_digest, render_html, render_text
from summarizer.digest.fallback import choose
from summarizer.text.articles import load_article
from summarizer.text.lead import article_headline, lead

YONHAP = ROOT / "tests" / "data" / "agency" / "en_yonhap_seoul.txt"


def test_lead_and_own_headline() -> None:
    article = load_article(YONHAP)
    assert article_headline(article) == "N. Korea slams S. Korea for joint military drill, warns of consequences"
    text = lead(article)
    assert text.startswith("North Korea's official newspaper blasted") and text.endswith("later in the day.")
    assert "N. Korea slams" not in text and 'stupid" acts. South Korea' in text  # two sentences
    assert article_headline(load_article(SEED)) is None  # the seed has no headline line


def test_a_russian_lead_runs_past_an_abbreviation_to_its_sentence_end() -> None:
    # Interfax: "... за нарушение ст. 2.4 Всероссийских антидопинговых правил": "ст." is "статьи",
    # not a sentence end; the lead used to stop there, mid-sentence.
    text = lead(load_article(ROOT / "tests" / "data" / "agency" / "ru_interfax_moscow.txt"))
    assert "за нарушение ст. 2.4" in text
    assert text.endswith((".", "»", '"', "…")) and not text.endswith("ст.")


def _answers(headline: str, summary: str):  # type: ignore[no-untyped-def]
    return lambda message: (headline if "headline" in message else summary, "stop")


def test_a_failed_summary_falls_back_to_the_lead_labelled_and_out_of_the_subject() -> None:
    llm, _ = scripted(
        _answers("The article is between 15 words and no longer", "<article>Seoul will pay 3 billion.</article>"),
        model="gpt-4o-mini",
    )
    digest = build_digest([str(YONHAP)], llm, facts=False)
    (item,) = digest.items
    assert item.headline == "N. Korea slams S. Korea for joint military drill, warns of consequences"
    assert item.summary == lead(item.article) and item.note and "no_scaffolding" in item.note
    assert digest.subject.endswith("N. Korea slams S. Korea for joint military drill, warns of consequences")
    assert "The article is between" not in render_html(digest) + render_text(digest)
    assert "The article&#39;s own lead" in render_html(digest)


def test_fallback_none_keeps_the_text_marked_and_the_subject_clean() -> None:
    llm, _ = scripted(
        _answers("The article is between 15 words and no longer", "Seoul will pay 3 billion dollars, Tokyo said."),
        model="gpt-4o-mini",
    )
    digest = build_digest([str(YONHAP)], llm, facts=False, fallback="none")
    html = render_html(digest)
    assert '<mark title="numbers_supported: not in the source: 3 billion' in html
    assert ">3 billion</mark>" in html and ">Tokyo</mark>" in html
    assert digest.subject.startswith("News digest, ") and "article is between" not in digest.subject


def test_a_passing_summary_is_shown_as_written() -> None:
    summary = "North Korea's official newspaper blasted South Korea for a joint military drill with the United States."
    llm, _ = scripted(_answers("North Korea blasts joint drill", summary), model="gpt-4o-mini")
    digest = build_digest([str(YONHAP)], llm, facts=False)
    (item,) = digest.items
    assert (item.headline, item.summary, item.note) == ("North Korea blasts joint drill", summary, None)
    assert digest.subject.endswith(": North Korea blasts joint drill")


def test_choose_uses_a_passing_generated_headline_when_the_article_has_none() -> None:
    article = load_article(SEED)
    bad = (Check("names_supported", False, "the source never names: Minsk", ((0, 5),)),)
    shown = choose(article, "Kazakhstan eyes Belarus projects", (), "Minsk deal", bad, lang="en")
    assert shown.headline == "Kazakhstan eyes Belarus projects" and shown.summary == lead(article)


def test_batch_writes_the_lead_for_a_failed_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.cli.main import main

    out = tmp_path / "out"
    with FakeOpenAI(Reply("Here is the summary: Seoul will pay 3 billion.")) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        assert main(["batch", str(YONHAP), "--out", str(out)]) == 0
    written = next(out.rglob("*.summary*.txt")).read_text(encoding="utf-8")
    assert written.strip() == lead(load_article(YONHAP))
    page = next(out.rglob("pages/**/*.html")).read_text(encoding="utf-8")
    assert "Rejected model text" in page and "<mark title=" in page and ">Here is the summary:</mark>" in page


@pytest.mark.parametrize("path, own", [(YONHAP, True), (SEED, False)])
def test_a_failed_headline_never_labels_a_passing_summary_as_the_articles_lead(path: Path, own: bool) -> None:
    """Only the headline failed: the model's summary is shown as the model's, never as the agency's lead."""
    article = load_article(path)
    bad = (Check("length", False, "41 words for a headline"),)
    good = (Check("language", True, "en"),)
    shown = choose(article, "A headline far too long " * 5, bad, "The model's faithful summary.", good, lang="en")
    assert shown.summary == "The model's faithful summary." and shown.note is not None
    assert "own lead" not in shown.note and "length" in shown.note
    assert shown.note.startswith("The article's own headline" if own else "The article's first words")
    assert shown.headline == (article_headline(article) if own else shown.headline) and "far too long" not in shown.headline

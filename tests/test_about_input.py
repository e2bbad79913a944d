"""Talk about the input is scaffolding (checks.scaffold): a summary or a headline that describes
the article instead of telling the news fails, in English, Russian and Kazakh; real news that
mentions a law's article or a newspaper's piece does not.

The sentences are fictional, written for the tests; the real corpora are read from tests/data.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from summarizer.checks.scaffold import about_input, scaffolding_check
from summarizer.checks.summary import check_summary
from summarizer.text.articles import load_article

SOURCE = "Floods hit the Aktobe region on Monday, the emergencies ministry said."


@pytest.mark.parametrize(
    ("text", "piece"),
    [
        ("The article is about a train that carried 3,300 tons of cargoes.", "The article is about"),
        ("Kazakhstan sent cargo. The article is also about a visit to Belarus.", "The article is also about"),
        ("This text describes the visit of the president.", "This text describes"),
        ("This article discusses floods in Aktobe.", "This article discusses"),
        ("This story describes a shark attack in California.", "This story describes"),
        ("The news item reports on floods in Aktobe.", "The news item reports"),
        ("According to the article, floods hit Aktobe.", "According to the article"),
        ("Article about floods in Aktobe", "Article about"),
        ("В статье говорится о поезде, который перевёз 3300 тонн грузов.", "В статье говорится"),
        ("Статья рассказывает о визите президента.", "Статья рассказывает"),
        ("Эта статья посвящена наводнению в Актобе.", "Эта статья посвящена"),
        ("В данном тексте рассказывается о наводнении.", "В данном тексте рассказывается"),
        ("Статья о наводнении в Актобе", "Статья о"),
        ("Мақалада Қазақстанның Беларусьпен ынтымақтастығы туралы айтылады.",
         "Мақалада Қазақстанның Беларусьпен ынтымақтастығы туралы"),
        ("Бұл мақала су тасқыны туралы.", "Бұл мақала су тасқыны туралы"),
        ("Бұл мәтінде президенттің сапары баяндалады.", "Бұл мәтінде"),
    ],
)  # fmt: skip
def test_describing_the_input_fails_with_its_span(text: str, piece: str) -> None:
    check = scaffolding_check(text, SOURCE)
    assert not check.passed and check.severity == "error"
    assert text[slice(*check.spans[0])] == piece


@pytest.mark.parametrize(
    "text",
    [
        "Under article 5 of the constitution, the president may dissolve parliament.",
        "The article 5 of the constitution says the state is secular.",
        "An article in The Guardian said the talks had failed.",
        "The story of the shark attack shocked the town.",
        "The text of the agreement was published on Monday.",
        "The report says growth slowed to 3.1 percent.",
        "В статье 5 Конституции говорится, что государство светское.",
        "В статье The Guardian говорится, что переговоры провалились.",
        "Конституцияның 5-бабында мемлекет зайырлы деп айтылады.",
        "Guardian газетіндегі мақалада келіссөздер сәтсіз аяқталды деп жазылған.",
    ],
)
def test_news_that_mentions_an_article_passes(text: str) -> None:
    assert scaffolding_check(text, SOURCE).passed


def test_a_source_that_talks_about_an_article_lets_its_summary_do_so() -> None:
    source = "An article in The Guardian on Monday said the talks had failed."
    assert scaffolding_check("The article is about failed talks, The Guardian says.", source).passed


@pytest.mark.parametrize("length", ["headline", "short"])
def test_summaries_and_headlines_fail_on_it(length: str) -> None:
    text = "The article is about floods in Aktobe" if length == "headline" else "The article is about floods."
    checks = {c.name: c for c in check_summary(text, lang="en", finish_reason="stop", length=length, source=SOURCE)}
    assert not checks["no_scaffolding"].passed


def _shipped_texts() -> list[tuple[str, str]]:
    data = ROOT / "tests" / "data"
    texts = [(p.name, load_article(p).text) for p in sorted((data / "agency").iterdir()) if p.suffix != ".json"]
    for line in (data / "real_outputs" / "items.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts += [(f"{row['id']}:{lang}", text) for lang, text in row["text"].items()]
    for line in (data / "real_outputs" / "human.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.append((row["id"], row["translation"]))
    for name in ("cases", "heldout"):
        for line in (data / "summaries" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["label"] == "faithful":
                texts.append((row["id"], row["summary"]))
    texts += [(p.name, json.loads(p.read_text(encoding="utf-8"))["translation"])
              for p in sorted((data / "translations").glob("*__good__*.json"))]  # fmt: skip
    return texts


def test_the_shipped_real_news_and_human_translations_never_describe_their_input() -> None:
    texts = _shipped_texts()
    assert len(texts) > 150
    assert [(name, about_input(text)) for name, text in texts if about_input(text)] == []

"""Every item of the real-copy corpus (tests/data/agency) parses to what expected.json says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.text.articles import load_article

CORPUS = Path(__file__).parent / "data" / "agency"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_item_parses_as_expected(name: str) -> None:
    want = EXPECTED[name]
    article = load_article(CORPUS / name)
    got = {
        "language": article.language,
        "title": article.meta.title,
        "dateline": article.meta.dateline,
        "agency": article.meta.agency,
        "date": article.meta.date,
        "source": article.meta.source,
    }
    if name.endswith(".html"):
        got |= {"site": article.meta.site, "author": article.meta.byline}
    assert got == {key: want[key] for key in got}
    assert article.body.startswith(want["body_starts"])


def test_corpus_covers_what_the_issue_asks() -> None:
    forms = {item["dateline_form"] for item in EXPECTED.values()}
    languages = {item["language"] for item in EXPECTED.values()}
    assert len(EXPECTED) >= 30 and len(forms) >= 8 and len(languages) >= 5
    assert all(name in EXPECTED for name in (p.name for p in CORPUS.iterdir()) if name != "expected.json")

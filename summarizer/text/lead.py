"""What an article says of itself, for when a model's headline or summary cannot be published:
its own headline, and its lead sentences (the "lead-N" extractive summary news style makes a
fair one: the first sentences carry who, what, where and when)."""

from __future__ import annotations

import re

from .articles import Article, split_paragraphs

__all__ = ["article_headline", "lead"]

# A sentence ends at . ! ? … before a space and a capital (or the end); "Aug. 20", "U.S." and
# initials ("J. Smith") are not ends.
_END = re.compile(r"[.!?…]+[\"»”’]?(?=\s+[«\"“„(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9]|\s*$)")
# Abbreviations and initials whose full stop ends no sentence ("Aug. 20", "Det. Dennis", "J. Smith").
_ABBREVIATIONS = frozenset(
    "aug sep sept oct nov dec jan feb mar apr jun jul mr mrs ms dr st no det gen col lt sgt gov sen rep jr sr "
    "vs etc u.s u.k г ул им др "
    # Russian wire copy: "ст. 2.4" (article 2.4 of a code), "гг.", "тыс.", "руб.", "долл.", "обл."
    "ст гг тыс руб долл обл".split()
)
_HEADLINE_WORDS = 20


def article_headline(article: Article) -> str | None:
    """The article's own headline: the page title, or a short first line without a final full stop."""
    if article.meta.title:
        return " ".join(article.meta.title.split())
    paragraphs = split_paragraphs(article.text)
    if not paragraphs:
        return None
    first = " ".join(paragraphs[0].split())
    if len(first.split()) <= _HEADLINE_WORDS and not first.endswith((".", "…")) and len(paragraphs) > 1:
        return first
    return None


def lead(article: Article, *, sentences: int = 2, max_words: int = 70) -> str:
    """The first ``sentences`` sentences of the body (after the headline), at most ``max_words`` words."""
    paragraphs = split_paragraphs(article.body)
    headline = article_headline(article)
    if paragraphs and headline and " ".join(paragraphs[0].split()) == headline:
        paragraphs = paragraphs[1:]
    text = " ".join(" ".join(p.split()) for p in paragraphs)
    out: list[str] = []
    start = 0
    for match in _END.finditer(text):
        before = text[max(0, match.start() - 6) : match.start()].split()
        word = before[-1].casefold().lstrip('(«"') if before else ""
        if match.group().startswith(".") and (word in _ABBREVIATIONS or len(word) == 1):
            continue
        out.append(text[start : match.end()].strip())
        start = match.end()
        if len(out) >= sentences:
            break
    if not out:
        out = [text]
    words = " ".join(out).split()
    return " ".join(words[:max_words]) + ("…" if len(words) > max_words else "")

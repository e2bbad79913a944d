"""Never publish what failed: the text a digest item shows when the model's headline or summary
fails its checks.

``--fallback lead`` (the default) shows the article's own headline (a generated one only when
the article has none and the generated one passed) and its lead sentences, labelled as such;
``--fallback none`` shows the model's text with the failing spans marked for the editor. Either
way the item says what failed, and the subject line is built only from text that passed.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..checks.marks import marked
from ..checks.publish import FALLBACKS, publishable
from ..checks.verdict import Check, failed
from ..text.articles import Article
from ..text.lead import article_headline, lead

__all__ = ["FALLBACKS", "LABELS", "Shown", "choose"]

# Each label says whose text is shown: the article's own headline or lead, or the model's text.
LABELS = {
    "en": {"lead": "The article's own lead: the generated summary failed its checks ({checks}).",
           "headline": "The article's own headline: the generated headline failed its checks ({checks}).",
           "headline_lead": "The article's first words as the headline: the generated headline failed its checks "
                            "({checks}).",
           "flagged": "Check before use: {checks}."},
    "ru": {"lead": "Начало статьи: автоматическая аннотация не прошла проверку ({checks}).",
           "headline": "Заголовок статьи: автоматический заголовок не прошёл проверку ({checks}).",
           "headline_lead": "Начало статьи вместо заголовка: автоматический заголовок не прошёл проверку ({checks}).",
           "flagged": "Проверьте перед публикацией: {checks}."},
    "kk": {"lead": "Мақаланың басы: автоматты аннотация тексеруден өтпеді ({checks}).",
           "headline": "Мақаланың өз тақырыбы: автоматты тақырып тексеруден өтпеді ({checks}).",
           "headline_lead": "Тақырып орнына мақаланың басы: автоматты тақырып тексеруден өтпеді ({checks}).",
           "flagged": "Жарияламас бұрын тексеріңіз: {checks}."},
}  # fmt: skip


@dataclass(frozen=True)
class Shown:
    headline: str
    headline_passed: bool  # the headline shown is fit for a subject line (passed, or the article's own)
    summary: str
    summary_html: Markup  # the summary escaped, failing spans marked
    note: str | None  # the visible label: a fallback, or what to check; None when all passed


def choose(
    article: Article,
    headline: str,
    headline_checks: tuple[Check, ...],
    summary: str,
    summary_checks: tuple[Check, ...],
    *,
    lang: str,
    mode: str = "lead",
) -> Shown:
    bad_headline, bad_summary = failed(headline_checks), failed(summary_checks)
    names = ", ".join(dict.fromkeys(c.name for c in bad_headline + bad_summary))
    labels = LABELS.get(lang, LABELS["en"])
    if mode == "none" or not (bad_headline or bad_summary):
        note = labels["flagged"].format(checks=names) if names else None
        return Shown(headline, not bad_headline, summary, marked(summary, summary_checks), note)
    own = article_headline(article)
    notes = []
    shown_headline = own or headline
    if bad_headline:
        shown_headline = own or _first_words(lead(article, sentences=1))
        notes.append(labels["headline" if own else "headline_lead"].format(checks=_names(bad_headline)))
    # The summary's fate is its own checks' alone: a failed headline never relabels a summary that passed.
    shown_summary, replaced = publishable(article, summary, summary_checks, mode=mode)
    if replaced:
        notes.append(labels["lead"].format(checks=_names(bad_summary)))
    checks = () if replaced else summary_checks
    return Shown(shown_headline, True, shown_summary, marked(shown_summary, checks), " ".join(notes))


def _names(checks: list[Check]) -> str:
    return ", ".join(dict.fromkeys(c.name for c in checks))


def _first_words(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]).rstrip(",;:") + ("…" if len(parts) > words else "")

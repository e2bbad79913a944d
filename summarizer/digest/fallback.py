"""Never publish what failed: the text a digest item shows when the model's headline or summary
fails its checks.

``--fallback lead`` (the default) replaces only what failed, each on its own checks: a failed
headline by the article's own headline (or, when it has none, its first words), a failed summary
by the article's own lead sentences, each labelled as the article's and naming the checks that
failed; what passed stays the model's, unlabelled. ``--fallback none`` shows the model's text with
the failing spans marked for the editor. Either way the item says what failed, warnings are named
("look before publishing") without replacing anything, and the subject line is built only from
text that passed. "Failed" is an error-level finding (``checks.verdict``).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..checks.marks import marked
from ..checks.publish import FALLBACKS, publishable
from ..checks.verdict import Check, failed, warned
from ..text.articles import Article
from ..text.lead import article_headline, lead

__all__ = ["FALLBACKS", "LABELS", "Shown", "choose"]

# Each label says whose text is shown: the article's own headline or lead, or the model's text.
LABELS = {
    "en": {"lead": "The article's own lead: the generated summary failed its checks ({checks}).",
           "headline": "The article's own headline: the generated headline failed its checks ({checks}).",
           "headline_lead": "The article's first words as the headline: the generated headline failed its checks "
                            "({checks}).",
           "flagged": "Check before use: {checks}.",
           "warned": "Look before publishing (warnings): {checks}."},
    "ru": {"lead": "Начало статьи: автоматическая аннотация не прошла проверку ({checks}).",
           "headline": "Заголовок статьи: автоматический заголовок не прошёл проверку ({checks}).",
           "headline_lead": "Начало статьи вместо заголовка: автоматический заголовок не прошёл проверку ({checks}).",
           "flagged": "Проверьте перед публикацией: {checks}.",
           "warned": "Посмотрите перед публикацией (предупреждения): {checks}."},
    "kk": {"lead": "Мақаланың басы: автоматты аннотация тексеруден өтпеді ({checks}).",
           "headline": "Мақаланың өз тақырыбы: автоматты тақырып тексеруден өтпеді ({checks}).",
           "headline_lead": "Тақырып орнына мақаланың басы: автоматты тақырып тексеруден өтпеді ({checks}).",
           "flagged": "Жарияламас бұрын тексеріңіз: {checks}.",
           "warned": "Жарияламас бұрын қараңыз (ескертулер): {checks}."},
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
        notes = [labels["flagged"].format(checks=names)] if names else []
        notes += _warned(labels, headline_checks, summary_checks)
        return Shown(headline, not bad_headline, summary, marked(summary, summary_checks), " ".join(notes) or None)
    notes = []
    # Each text's fate is its own checks' alone: a failed headline never relabels a summary that
    # passed, and a passing headline stays the model's (unlabelled) beside a replaced summary.
    shown_headline, kept_headline = headline, headline_checks
    if bad_headline:
        own = article_headline(article)
        shown_headline, kept_headline = own or _first_words(lead(article, sentences=1)), ()
        notes.append(labels["headline" if own else "headline_lead"].format(checks=_names(bad_headline)))
    shown_summary, replaced = publishable(article, summary, summary_checks, mode=mode)
    if replaced:
        notes.append(labels["lead"].format(checks=_names(bad_summary)))
    checks = () if replaced else summary_checks
    notes += _warned(labels, kept_headline, checks)
    return Shown(shown_headline, True, shown_summary, marked(shown_summary, checks), " ".join(notes))


def _warned(labels: dict[str, str], *shown: tuple[Check, ...]) -> list[str]:
    """The note naming the checks with warnings on the model's text still shown."""
    names = _names(warned(c for checks in shown for c in checks))
    return [labels["warned"].format(checks=names)] if names else []


def _names(checks: list[Check]) -> str:
    return ", ".join(dict.fromkeys(c.name for c in checks))


def _first_words(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]).rstrip(",;:") + ("…" if len(parts) > words else "")

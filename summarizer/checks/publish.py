"""Never publish what failed: the one rule a batch and a digest follow when a model's text fails.

With ``mode="lead"`` a text that failed its checks (an error-level finding: warnings alone never
replace a text, they ask the editor to look) is replaced by the article's own lead sentences,
and the caller labels it as the article's (``"lead"``); with ``mode="none"`` the model's text stays,
for an editor who reads the marked failures. Kept here, below both the batch and the digest, so
that the rule is written once.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..text.articles import Article
from ..text.lead import lead
from .verdict import Check, failed

__all__ = ["FALLBACKS", "publishable"]

FALLBACKS = ("lead", "none")


def publishable(article: Article, text: str, checks: Iterable[Check], *, mode: str = "lead") -> tuple[str, str | None]:
    """(the text to publish, ``"lead"`` when it is the article's own lead, else None)."""
    if mode == "lead" and failed(checks):
        return lead(article), "lead"
    return text, None

"""``--review``: a judge model's meaning review of a translation or a summary (``facts/review.py``),
for ``translate``, ``summarise``, ``headline`` and ``check``."""

from __future__ import annotations

import argparse
import sys

from ..checks.verdict import Check
from ..config import Settings
from ..facts.review import dropped_line, refuse_tiny, review_steps
from ..llm.client import open_llm
from ..llm.steps import run
from ..text.articles import Article
from .common import PROG


def refuse_early(args: argparse.Namespace, config: Settings) -> None:
    """Refuse a judge too small to judge before any work is done (the embedded model's Kazakh
    translation takes minutes): one line, exit 2."""
    with open_llm(config.aimed_at(model=args.review_model, base_url=args.review_base_url)) as llm:
        refuse_tiny(llm)


def review_pairs(
    args: argparse.Namespace, config: Settings, source: Article, judged: str, lang: str, kind: str
) -> tuple[Check, ...]:
    """The ``review`` check of ``judged`` against ``source``; what was dropped is said on stderr."""
    from ..tasks.translate import source_text

    judge = config.aimed_at(model=args.review_model, base_url=args.review_base_url)
    text = source_text(source) if kind == "translation" else source.text
    with open_llm(judge) as llm:
        review = run(review_steps(text, judged, llm, kind=kind, lang=lang, source_lang=source.language,
                                  article=source.id), llm)  # fmt: skip
    if review.dropped:
        print(f"{PROG}: {dropped_line(review.dropped)}", file=sys.stderr)
    return (review.check,)

"""The ``--json`` shapes, kept here under their old name: they live in ``summarizer.output.shapes``
now, so that the desk (``summarizer.serve``) answers with the same JSON without importing the CLI."""

from __future__ import annotations

from ..output.shapes import (
    ArticleOut,
    CheckOut,
    CheckReportOut,
    InspectOut,
    SummaryOut,
    TokensOut,
    TranslationOut,
    UsageOut,
)

__all__ = [
    "ArticleOut",
    "CheckOut",
    "CheckReportOut",
    "InspectOut",
    "SummaryOut",
    "TokensOut",
    "TranslationOut",
    "UsageOut",
]

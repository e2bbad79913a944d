"""Pydantic models for what crosses the boundary: the JSON the CLI prints.

Internal values are frozen dataclasses; these models are built from them at the edge, so the
JSON shape is declared in one place and can be published as a JSON Schema.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .articles import Article
from .quality import Check
from .summarise import Summary

__all__ = ["ArticleOut", "CheckOut", "SummaryOut", "UsageOut"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UsageOut(_Model):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ArticleOut(_Model):
    id: str
    path: str | None
    date: str | None
    dateline: str | None
    agency: str | None
    source: str | None
    encoding: str
    language: str
    paragraphs: int

    @classmethod
    def of(cls, article: Article) -> ArticleOut:
        meta = article.meta
        return cls(
            id=article.id,
            path=article.path,
            date=meta.date,
            dateline=meta.dateline,
            agency=meta.agency,
            source=meta.source,
            encoding=article.encoding,
            language=article.language,
            paragraphs=len(article.paragraphs),
        )


class CheckOut(_Model):
    name: str
    passed: bool
    detail: str

    @classmethod
    def of(cls, check: Check) -> CheckOut:
        return cls(name=check.name, passed=check.passed, detail=check.detail)


class SummaryOut(_Model):
    summary: str
    language: str
    length: str
    model: str
    backend: str
    usage: UsageOut
    cached: bool
    calls: int
    chunks: int
    finish_reason: str
    checks: list[CheckOut]
    article: ArticleOut

    @classmethod
    def of(cls, s: Summary) -> SummaryOut:
        return cls(
            summary=s.text,
            language=s.lang,
            length=s.length,
            model=s.model,
            backend=s.backend,
            usage=UsageOut(
                prompt_tokens=s.usage.prompt_tokens,
                completion_tokens=s.usage.completion_tokens,
                total_tokens=s.usage.total_tokens,
            ),
            cached=s.cached,
            calls=s.calls,
            chunks=s.chunks,
            finish_reason=s.finish_reason,
            checks=[CheckOut.of(c) for c in s.checks],
            article=ArticleOut.of(s.article),
        )

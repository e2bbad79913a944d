"""Pydantic models for what crosses the boundary: the JSON the CLI prints and the desk answers.

Internal values are frozen dataclasses; these models are built from them at the edge, so the
JSON shape is declared in one place and can be published as a JSON Schema.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..checks.out import CheckOut
from ..llm.chat import Usage
from ..tasks.summarise import Summary
from ..tasks.translate import Translation
from ..text.articles import Article

__all__ = ["ArticleOut", "CheckOut", "CheckReportOut", "SummaryOut", "TranslationOut", "UsageOut"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UsageOut(_Model):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int

    @classmethod
    def of(cls, usage: Usage) -> UsageOut:
        return cls(
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            total_tokens=usage.total_tokens,
        )


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
            usage=UsageOut.of(s.usage),
            cached=s.cached,
            calls=s.calls,
            chunks=s.chunks,
            finish_reason=s.finish_reason,
            checks=[CheckOut.of(c) for c in s.checks],
            article=ArticleOut.of(s.article),
        )


class TranslationOut(_Model):
    translation: str
    cyrillic: str | None  # with --script latn: the Cyrillic the model wrote and the checks judged
    language: str
    script: str
    alphabet: str
    model: str
    backend: str
    usage: UsageOut
    cached: bool
    calls: int
    chunks: int
    retried: int
    finish_reason: str
    glossary_terms: list[list[str]]
    checks: list[CheckOut]
    article: ArticleOut

    @classmethod
    def of(cls, t: Translation) -> TranslationOut:
        return cls(
            translation=t.text,
            cyrillic=t.cyrillic if t.script == "latn" else None,
            language=t.lang,
            script=t.script,
            alphabet=t.alphabet,
            model=t.model,
            backend=t.backend,
            usage=UsageOut.of(t.usage),
            cached=t.cached,
            calls=t.calls,
            chunks=t.chunks,
            retried=t.retried,
            finish_reason=t.finish_reason,
            glossary_terms=[list(pair) for pair in t.terms],
            checks=[CheckOut.of(c) for c in t.checks],
            article=ArticleOut.of(t.article),
        )


class CheckReportOut(_Model):
    """What ``summarizer check`` prints with --json: the verdict and every check's evidence."""

    passed: bool
    source: str | None
    translation: str | None
    source_language: str
    language: str
    glossary: str | None
    checks: list[CheckOut]

"""Pydantic models for what crosses the boundary: the JSON the CLI prints and the desk answers.

Internal values are frozen dataclasses; these models are built from them at the edge, so the
JSON shape is declared in one place and can be published as a JSON Schema.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..checks.out import CheckOut
from ..facts.schema import ArticleOut  # one shape of the article for every command
from ..llm.chat import Usage
from ..tasks.inspect import Inspection
from ..tasks.summarise import Summary
from ..tasks.translate import Reused, Translation

__all__ = [
    "ArticleOut",
    "CheckOut",
    "CheckReportOut",
    "InspectOut",
    "ReusedOut",
    "SummaryOut",
    "TokensOut",
    "TranslationOut",
    "UsageOut",
]


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


class ReusedOut(_Model):
    """A paragraph taken from the house memory: sent to no model, used as the editor approved it."""

    span: list[int]  # in ``cyrillic`` when given, else in ``translation``
    source: str
    approved_by: str
    approved_at: str
    origin: str  # desk, cli, api or tmx
    outlet: str | None  # None: approved for the whole house

    @classmethod
    def of(cls, r: Reused) -> ReusedOut:
        u = r.unit
        return cls(span=list(r.span), source=u.source, approved_by=u.approver, approved_at=u.approved_at,
                   origin=u.origin, outlet=u.outlet or None)  # fmt: skip


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
    from_memory: list[ReusedOut]
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
            from_memory=[ReusedOut.of(r) for r in t.reused],
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
    kind: str = "translation"  # or "summary": then ``translation`` is the summary's file


class TokensOut(_Model):
    count: int = Field(description="tokens of the article body")
    prompt: int = Field(description="tokens of what summarise would send first, instructions included")
    model: str
    backend: str
    tokenizer: str
    exact: bool = Field(description="false: an approximation of the model's own tokenizer")


class InspectOut(_Model):
    """What ``summarizer inspect --json`` prints: no model was called or loaded."""

    article: ArticleOut
    characters: int
    tokens: TokensOut
    context_tokens: int
    fits: bool
    parts: int = Field(description="requests summarise would send the article in (1 when it fits)")

    @classmethod
    def of(cls, i: Inspection) -> InspectOut:
        return cls(
            article=ArticleOut.of(i.article),
            characters=i.characters,
            tokens=TokensOut(
                count=i.tokens,
                prompt=i.prompt_tokens,
                model=i.model,
                backend=i.backend,
                tokenizer=i.tokenizer,
                exact=i.exact,
            ),
            context_tokens=i.context_tokens,
            fits=i.fits,
            parts=i.parts,
        )

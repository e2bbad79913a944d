"""Pydantic models for facts: what the model must answer, and what the command prints.

Two shapes, on purpose:

* ``FactsDraft`` is what we ask the model for (sent as the JSON Schema of ``response_format``).
  Every item carries ``evidence``: an excerpt the model claims to have copied from the article.
  It has no offsets: a model cannot count characters, so offsets are never taken from it.
* ``FactsOut`` is what ``summarizer facts`` prints. Every item's ``evidence`` has ``start`` and
  ``end`` found by ``locate.locate`` in the article as decoded, and ``text`` is the
  article's own characters there, so ``article.text[start:end] == evidence.text``.

Dates are ISO 8601 at the precision the article supports (``2016``, ``2016-01``,
``2016-01-15``) with a qualifier; a time of day is never part of one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..text.articles import Article

__all__ = [
    "ArticleFacts",
    "ArticleOut",
    "DATE_PATTERN",
    "DateDraft",
    "DateOut",
    "Evidence",
    "ExtractionOut",
    "FactsDraft",
    "FactsOut",
    "FigureDraft",
    "FigureOut",
    "OrganisationDraft",
    "OrganisationOut",
    "PersonDraft",
    "PersonOut",
    "PlaceDraft",
    "PlaceOut",
    "QuoteDraft",
    "QuoteOut",
    "TopicDraft",
    "TopicOut",
]

DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
PlaceKind = Literal["city", "region", "country", "site", "other"]
OrganisationKind = Literal["government", "company", "agency", "media", "international", "education", "other"]
Qualifier = Literal["on", "in", "by", "no later than", "before", "after", "since", "from", "until", "about"]
Alignment = Literal["exact", "normalised", "fuzzy", "none"]


class _Draft(BaseModel):
    # Strict schemas (OpenAI) need additionalProperties false; every field is required there,
    # so optional values are nullable rather than omitted.
    model_config = ConfigDict(extra="forbid", frozen=True)


_EVIDENCE = "the shortest excerpt of the article that states this fact, copied character for character"


class PersonDraft(_Draft):
    name: str = Field(description="full name as the article gives it, without titles")
    role: str | None = Field(description="role or title, e.g. Minister of Energy")
    affiliation: str | None = Field(description="organisation the person belongs to")
    country: str | None = Field(description="country the person represents or comes from")
    evidence: str = Field(description=_EVIDENCE)


class OrganisationDraft(_Draft):
    name: str
    kind: OrganisationKind
    evidence: str = Field(description=_EVIDENCE)


class PlaceDraft(_Draft):
    name: str
    kind: PlaceKind
    evidence: str = Field(description=_EVIDENCE)


class DateDraft(_Draft):
    what: str = Field(description="what happens or happened then")
    date: str = Field(
        pattern=DATE_PATTERN,
        description="ISO 8601 at the precision the article gives: 2016, 2016-01 or 2016-01-15; never invent a day",
    )
    qualifier: Qualifier = Field(description="'no later than' for a deadline, 'on' for a day, 'in' for a month")
    evidence: str = Field(description=_EVIDENCE)


class QuoteDraft(_Draft):
    speaker: str | None = Field(description="who said it, by name if the article names them")
    quote: str = Field(description="the words inside the quotation marks, copied exactly, without the marks")


class FigureDraft(_Draft):
    value: float = Field(description="the number, with million/billion multiplied out: 9.5 billion is 9500000000")
    unit: str | None = Field(description="unit or currency, e.g. tenge, percent, kilometres")
    measures: str = Field(description="what the number measures")
    evidence: str = Field(description=_EVIDENCE)


class TopicDraft(_Draft):
    name: str = Field(description="a sector or subject, e.g. construction, wood processing")
    evidence: str = Field(description=_EVIDENCE)


class FactsDraft(_Draft):
    """The model's answer for one article (or one part of a long one)."""

    people: list[PersonDraft]
    organisations: list[OrganisationDraft]
    places: list[PlaceDraft]
    dates: list[DateDraft]
    quotes: list[QuoteDraft]
    figures: list[FigureDraft]
    topics: list[TopicDraft]


# -- what the command prints ---------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Out):
    """Where a fact is in the article; ``text == article_text[start:end]`` whenever grounded."""

    text: str
    start: int | None
    end: int | None
    alignment: Alignment
    grounded: bool


class PersonOut(_Out):
    name: str
    role: str | None
    affiliation: str | None
    country: str | None
    evidence: Evidence
    mentions: list[Evidence] = Field(default_factory=list, description="further places the same person is named")


class OrganisationOut(_Out):
    name: str
    kind: OrganisationKind
    evidence: Evidence
    mentions: list[Evidence] = Field(default_factory=list)


class PlaceOut(_Out):
    name: str
    kind: PlaceKind
    evidence: Evidence
    mentions: list[Evidence] = Field(default_factory=list)


class DateOut(_Out):
    what: str
    date: str = Field(pattern=DATE_PATTERN)
    precision: Literal["year", "month", "day"]
    qualifier: Qualifier
    evidence: Evidence


class QuoteOut(_Out):
    speaker: str | None
    quote: str = Field(description="the article's own characters: equal to evidence.text when grounded")
    evidence: Evidence


class FigureOut(_Out):
    value: float
    unit: str | None
    measures: str
    evidence: Evidence


class TopicOut(_Out):
    name: str
    evidence: Evidence


class ArticleOut(_Out):
    """What the tool read from an article, without a model: the ``article`` object of every
    command's JSON (``summarise``, ``translate``, ``facts``, ``inspect``)."""

    id: str
    path: str | None
    date: str | None = Field(description="YYYY-MM-DD, or --MM-DD when the copy gives no year")
    dateline: str | None = Field(description="the dateline's place, in its own script")
    agency: str | None = Field(description="canonical name (data/agencies.toml), else the outlet as written")
    source: str | None = Field(description="the original source the agency credits, e.g. BelTA")
    encoding: str
    language: str = Field(description="ISO 639-1 code of the article's language, or und when unsure")
    paragraphs: int
    language_confidence: float
    language_guess: str | None = Field(description="the best guess, also when language is und")
    year_known: bool = Field(description="false when the date has month and day only")
    title: str | None
    subtitle: str | None
    byline: str | None
    site: str | None
    format: Literal["text", "html"]

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
            language_confidence=article.language_confidence,
            language_guess=article.language_guess,
            year_known=meta.year_known,
            title=meta.title,
            subtitle=meta.subtitle,
            byline=meta.byline,
            site=meta.site,
            format="html" if article.format == "html" else "text",
        )


ArticleFacts = ArticleOut  # the name this shape had when only facts printed it


class CoverageOut(_Out):
    found: int = Field(description="how many the facts cover (a fact's evidence overlaps it)")
    total: int = Field(description="how many the text has, found without a model")


class ExtractionOut(_Out):
    lang: str
    model: str
    backend: str
    calls: int
    chunks: int
    cached: bool
    prompt_tokens: int
    completion_tokens: int
    dropped: int = Field(description="items left out because their evidence is not in the article")
    kept_ungrounded: bool
    coverage: dict[str, CoverageOut] = Field(
        default_factory=dict,
        description="per kind (quotes, figures, dates): how many of those a program finds in the text "
        "made it into a fact",
    )
    reasked: bool = Field(default=False, description="the first answer was implausibly empty and was asked again")


class FactsOut(_Out):
    article: ArticleOut
    people: list[PersonOut]
    organisations: list[OrganisationOut]
    places: list[PlaceOut]
    dates: list[DateOut]
    quotes: list[QuoteOut]
    figures: list[FigureOut]
    topics: list[TopicOut]
    extraction: ExtractionOut

    def markdown(self) -> str:
        """A page an editor can read: one section per kind, each fact with its span."""
        a = self.article
        header = ", ".join(x for x in (a.dateline, a.date, a.agency) if x) or "no wire header"
        lines = [
            f"# Facts: {a.id}",
            "",
            f"{header}{f' (source: {a.source})' if a.source else ''}; language {a.language}",
        ]
        sections: list[tuple[str, list[tuple[str, Evidence]]]] = [
            ("People", [(_person_md(p), p.evidence) for p in self.people]),
            ("Organisations", [(f"**{o.name}** ({o.kind})", o.evidence) for o in self.organisations]),
            ("Places", [(f"**{p.name}** ({p.kind})", p.evidence) for p in self.places]),
            ("Dates", [(f"**{d.date}** {d.qualifier}: {d.what}", d.evidence) for d in self.dates]),
            ("Quotes", [(f"**{q.speaker or 'unattributed'}**", q.evidence) for q in self.quotes]),
            (
                "Figures",
                [
                    (f"**{_number(f.value)}{f' {f.unit}' if f.unit else ''}**: {f.measures}", f.evidence)
                    for f in self.figures
                ],
            ),
            ("Topics", [(f"**{t.name}**", t.evidence) for t in self.topics]),
        ]
        for title, rows in sections:
            lines += ["", f"## {title}", ""]
            lines += [f"- {label}: “{_one_line(ev.text)}” {_where(ev)}" for label, ev in rows] or ["- none found"]
        x = self.extraction
        lines += [
            "",
            f"_{x.model} ({x.backend}); {x.calls} call(s), {x.chunks} part(s); "
            f"{x.prompt_tokens}+{x.completion_tokens} tokens{'; cached' if x.cached else ''}; "
            f"{x.dropped} fact(s) not found in the article {'kept, marked' if x.kept_ungrounded else 'left out'}_",
        ]
        return "\n".join(lines)


def _person_md(p: PersonOut) -> str:
    about = ", ".join(x for x in (p.role, p.affiliation, p.country) if x)
    return f"**{p.name}**{f' ({about})' if about else ''}"


def _number(value: float) -> str:
    return f"{int(value):,}" if value.is_integer() else f"{value:,}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _where(ev: Evidence) -> str:
    return f"[{ev.start}:{ev.end}, {ev.alignment}]" if ev.grounded else "[not in the article]"

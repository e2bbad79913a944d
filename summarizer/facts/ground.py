"""Pin each fact the model drafted to the span of the article it came from, or drop it.

The model's ``evidence`` is only a claim. ``locate.locate`` looks for it in the article as
decoded (exact, then whitespace/typography-normalised, then fuzzy); the offsets and the text we
report are the article's, never the model's. Direct quotes must be found verbatim (exact or
normalised, never fuzzy): a nearly-right quote is a misquote.

Finding the evidence is not always enough, so a few cheap checks catch a real excerpt attached
to an invented fact:

* a person, organisation or place must be named in the article (stem match, so Russian and
  Kazakh case endings pass) when the facts are in the article's own language;
* a figure's value must be a number written in its evidence (``9.5 trillion`` is 9.5e12);
* a date may name a day only when its evidence gives one (a day number, or a weekday close to
  the wire date); otherwise it is cut back to the month: never an invented day.

What fails is dropped, or kept with ``grounded: false`` and no offsets under ``keep_ungrounded``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date as Date
from typing import Any, Literal

from ..text.numbers import readings
from ..text.words import named_in, word_set
from .locate import locate
from .schema import (
    DateDraft,
    DateOut,
    Evidence,
    FactsDraft,
    FigureDraft,
    FigureOut,
    OrganisationDraft,
    OrganisationOut,
    PersonDraft,
    PersonOut,
    PlaceDraft,
    PlaceOut,
    QuoteDraft,
    QuoteOut,
    TopicDraft,
    TopicOut,
)

__all__ = ["Dropped", "Pinned", "pin_draft", "value_in"]

_SINGULAR = {
    "people": "person",
    "organisations": "organisation",
    "places": "place",
    "dates": "date",
    "quotes": "quote",
    "figures": "figure",
    "topics": "topic",
}
_PRECISION: dict[int, Literal["year", "month", "day"]] = {4: "year", 7: "month", 10: "day"}
_QUOTE_MARKS = "\"'“”„«»‘’‚‹›` "
# A weekday or "today"/"yesterday" lets a date name a day the evidence never writes as a number.
_RELATIVE_DAY = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow"
    r"|понедельник|вторник|сред[уа]|четверг|пятниц[уа]|суббот[уа]|воскресень[ея]|сегодня|вчера|завтра"
    r"|дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі|бүгін|кеше|ертең)",
    re.I,
)


@dataclass(frozen=True)
class Dropped:
    """A drafted fact we did not report, and why (shown to the user on stderr)."""

    kind: str
    label: str
    reason: str

    def __str__(self) -> str:
        return f"{_SINGULAR.get(self.kind, self.kind)} '{self.label}': {self.reason}"


@dataclass(frozen=True)
class Pinned:
    """One draft's facts, pinned, by kind, in the order the model gave them."""

    items: dict[str, list[Any]]
    dropped: tuple[Dropped, ...]


def pin_draft(
    draft: FactsDraft,
    text: str,
    *,
    hint: int = 0,
    check_names: bool = True,
    wire_date: str | None = None,
    keep_ungrounded: bool = False,
) -> Pinned:
    """Ground every item of ``draft`` in ``text`` (the article as decoded).

    ``hint`` is where this draft's part of the article starts, so a phrase that occurs twice
    is pinned in the right part. ``check_names`` is off when names were asked for in another
    language than the article's, where they cannot be looked up.
    """
    words = word_set(text) if check_names else None
    items: dict[str, list[Any]] = {kind: [] for kind in FactsDraft.model_fields}
    dropped: list[Dropped] = []
    for kind in FactsDraft.model_fields:
        for drafted in getattr(draft, kind):
            claimed, verbatim = _claimed(drafted)
            span = locate(text, claimed, verbatim=verbatim, hint=hint)
            evidence = None
            if span.start is None or span.end is None or span.text is None:
                reason: str | None = "not verbatim in the article" if verbatim else "evidence not in the article"
            else:
                evidence = Evidence(
                    text=span.text, start=span.start, end=span.end, alignment=span.alignment.value, grounded=True
                )
                reason = _unsupported(drafted, span.text, words)
            if evidence is not None and reason is None:
                items[kind].append(_build(drafted, evidence, wire_date))
                continue
            dropped.append(Dropped(kind, _label(drafted), reason or "unsupported"))
            if keep_ungrounded:
                loose = Evidence(text=claimed, start=None, end=None, alignment="none", grounded=False)
                items[kind].append(_build(drafted, loose, wire_date))
    return Pinned(items, tuple(dropped))


def _claimed(drafted: Any) -> tuple[str, bool]:
    """The excerpt the model says is in the article, and whether it must be there verbatim."""
    if isinstance(drafted, QuoteDraft):
        return drafted.quote.strip(_QUOTE_MARKS), True
    return str(drafted.evidence).strip(), False


def _label(drafted: Any) -> str:
    if isinstance(drafted, QuoteDraft):
        return drafted.quote.strip(_QUOTE_MARKS)[:60]
    if isinstance(drafted, FigureDraft):
        return f"{drafted.value:g} {drafted.unit or ''}".strip()
    if isinstance(drafted, DateDraft):
        return f"{drafted.date} ({drafted.what})"
    return str(drafted.name)


def _unsupported(drafted: Any, evidence: str, words: frozenset[str] | None) -> str | None:
    """Why a found excerpt still does not support the drafted fact, or None when it does."""
    if isinstance(drafted, FigureDraft):
        return None if value_in(drafted.value, evidence) else "its value is not written in its evidence"
    if words is not None and isinstance(drafted, (PersonDraft, OrganisationDraft, PlaceDraft)):
        if not named_in(drafted.name, words, surname=isinstance(drafted, PersonDraft)):
            return "its name is not in the article"
    return None


def _build(drafted: Any, evidence: Evidence, wire_date: str | None) -> Any:
    if isinstance(drafted, PersonDraft):
        return PersonOut(
            name=drafted.name,
            role=drafted.role,
            affiliation=drafted.affiliation,
            country=drafted.country,
            evidence=evidence,
        )
    if isinstance(drafted, OrganisationDraft):
        return OrganisationOut(name=drafted.name, kind=drafted.kind, evidence=evidence)
    if isinstance(drafted, PlaceDraft):
        return PlaceOut(name=drafted.name, kind=drafted.kind, evidence=evidence)
    if isinstance(drafted, DateDraft):
        return _date(drafted, evidence, wire_date)
    if isinstance(drafted, QuoteDraft):
        # Grounded: the article's own characters (its quotation marks and dashes), not the model's.
        return QuoteOut(speaker=drafted.speaker, quote=evidence.text, evidence=evidence)
    if isinstance(drafted, FigureDraft):
        return FigureOut(value=drafted.value, unit=drafted.unit, measures=drafted.measures, evidence=evidence)
    assert isinstance(drafted, TopicDraft)
    return TopicOut(name=drafted.name, evidence=evidence)


def _date(drafted: DateDraft, evidence: Evidence, wire_date: str | None) -> DateOut:
    value, qualifier = drafted.date, drafted.qualifier
    if len(value) == 10 and not _day_supported(value, evidence.text, wire_date):
        # Never an invented day: keep what the evidence supports, the month.
        value, qualifier = value[:7], ("in" if qualifier == "on" else qualifier)
    return DateOut(
        what=drafted.what, date=value, precision=_PRECISION[len(value)], qualifier=qualifier, evidence=evidence
    )


def _day_supported(value: str, evidence: str, wire_date: str | None) -> bool:
    day = int(value[8:10])
    if re.search(rf"(?<!\d)0?{day}(?!\d)", evidence):
        return True
    if wire_date and _RELATIVE_DAY.search(evidence):
        try:
            return abs((Date.fromisoformat(value) - Date.fromisoformat(wire_date)).days) <= 7
        except ValueError:
            return False
    return False


def value_in(value: float, text: str) -> bool:
    return any(math.isclose(abs(value), float(v), rel_tol=1e-6) for v in readings(text))

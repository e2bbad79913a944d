"""A meaning review by a model, grounded: what the checks cannot see (a negation, swapped roles).

The model-free checks catch a changed number or a mangled name; they cannot tell that "South
Korean" became "Северная Корея" or that the guest became the host. ``review_steps`` asks a model
(the configured one, or a stronger judge: ``Settings.aimed_at``) to compare a translation or a summary
with its source and list its meaning errors (``prompts/review.j2``: negation, swapped roles, wrong
entity, changed quantity, omission), each with the exact words of both texts, as structured output
(``tasks.structured``: the JSON Schema of ``ReviewDraft``, validation, one re-ask).

The judge's quotes are only claims, as the facts' evidence is: each is looked for with the facts'
own ``locate.locate`` (verbatim: exact or with typography folded, never fuzzy), the translation's
in the judged text and the source's in the source. A finding whose quote is not there is dropped
and counted, never shown; a kept one is an ``error`` finding of the ``review`` check with both
spans, the judged text's own characters. An omission may come without a translation quote.

Off by default, and refused on a model too small to judge (``Capabilities.tiny``: the embedded
135M model): its verdicts would be noise that looks like evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..checks.verdict import Check, Finding
from ..errors import UsageError
from ..llm.chat import ChatRequest, Made, ModelInfo, Tally
from ..llm.steps import Steps
from ..tasks.prompts import LANGUAGES, render, source_name
from ..tasks.structured import complete_model_steps
from .locate import locate

__all__ = ["KINDS", "Review", "ReviewDraft", "dropped_line", "refuse_tiny", "review_steps"]

KINDS = ("negation", "swapped_roles", "wrong_entity", "changed_quantity", "omission")
_MAX_ANSWER = 1500


class ReviewItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["negation", "swapped_roles", "wrong_entity", "changed_quantity", "omission"]
    explanation: str = Field(description="one sentence: what the error changes")
    translation_quote: str = Field(description="the exact words of the translation or summary; empty for an omission")
    source_quote: str = Field(description="the exact words of the article")


class ReviewDraft(BaseModel):
    """What the judge answers."""

    model_config = ConfigDict(extra="forbid")
    errors: list[ReviewItem]


@dataclass(frozen=True)
class Review:
    """The judge's verdict once grounded: kept findings, how many were dropped, and the calls."""

    findings: tuple[Finding, ...]
    dropped: int  # findings whose quote is not in the text
    asked: int  # findings the judge gave
    made: Made

    @property
    def check(self) -> Check:
        note = f"; {dropped_line(self.dropped)}" if self.dropped else ""
        if not self.findings:
            said = "no meaning error" if not self.asked else "no meaning error it could quote"
            return Check("review", True, f"the judge ({self.made.model}) found {said}{note}")
        shown = "; ".join(f.message for f in self.findings[:8])
        return Check.of("review", self.findings, ok="", detail=f"{len(self.findings)} meaning error(s): {shown}{note}")


def refuse_tiny(llm: ModelInfo) -> None:
    """A tiny model (the embedded 135M one) cannot judge meaning: one clear line, exit 2."""
    if llm.capabilities.tiny:
        raise UsageError(
            f"--review: the {llm.capabilities.where} model {llm.model} is too small to judge meaning; "
            "give a stronger judge with --review-base-url (and --review-model)"
        )


def review_steps(
    source: str, judged: str, llm: ModelInfo, *, kind: str, lang: str, source_lang: str, article: str = ""
) -> Steps[Review]:
    """Ask ``llm`` for the meaning errors of ``judged`` (a ``kind``: translation or summary, in
    ``lang``) against ``source``, and keep those whose quotes are in the texts."""
    refuse_tiny(llm)
    if kind not in ("translation", "summary"):
        raise UsageError(f"--review judges a translation or a summary, not {kind!r}")
    prompt = render(
        "review",
        kind=kind,
        source=source,
        judged=judged,
        language_name=LANGUAGES.get(lang, lang),
        source_name=source_name(source_lang),
    )
    request = ChatRequest(task=f"review {kind}", messages=prompt.messages, max_tokens=_MAX_ANSWER, article=article)
    draft, calls = yield from complete_model_steps(request, ReviewDraft)
    tally = Tally()
    tally.add(list(calls))
    findings = [f for item in draft.errors if (f := _grounded(item, source, judged)) is not None]
    return Review(tuple(findings), len(draft.errors) - len(findings), len(draft.errors), tally.made(llm))


def _grounded(item: ReviewItem, source: str, judged: str) -> Finding | None:
    """The judge's finding pinned to both texts, or None when a quote is not there."""
    at_source = locate(source, item.source_quote, verbatim=True)
    if at_source.start is None or at_source.end is None:
        return None
    span = None
    found = None
    if item.translation_quote.strip() or item.kind != "omission":
        at_judged = locate(judged, item.translation_quote, verbatim=True)
        if at_judged.start is None or at_judged.end is None:
            return None
        span, found = (at_judged.start, at_judged.end), at_judged.text
    message = f"{item.kind.replace('_', ' ')}: {item.explanation.strip()}"
    message += f" ({found!r} for {at_source.text!r})" if found else f" ({at_source.text!r} left out)"
    return Finding(
        item.kind, "error", message, span=span, source_span=(at_source.start, at_source.end),
        expected=at_source.text, found=found,
    )  # fmt: skip


def dropped_line(count: int) -> str:
    """The line that counts what was dropped: "2 review findings dropped: quote not in the text"."""
    return f"{count} review finding{'s' if count != 1 else ''} dropped: quote not in the text"

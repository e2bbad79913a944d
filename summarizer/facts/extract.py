"""The facts task: who, what, when of an article as data, every fact pinned to its source span.

1. Plan: the article goes to the model whole when it is short, else in parts split on paragraph
   boundaries (``split_to_budget``). Parts are capped well below the context window because the
   answer grows with the text it covers.
2. Ask: each part is one structured call (``structured.complete_model``: the JSON Schema of
   ``FactsDraft`` as ``response_format``, validation, one re-ask).
3. Pin: ``ground.pin_draft`` locates every fact's evidence in ``article.text`` (the input
   as decoded, BOM removed, CRLF kept), checks the excerpt supports the fact, and drops the
   rest (or keeps them unplaced under ``keep_ungrounded``).
4. Merge: ``merge.merge`` folds what several parts said about the same person or thing.

Article-level facts (date, dateline, agency, original source) come from the parsed wire header,
not from the model: the parser is exact where a model would only be plausible.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Any

from ..checks.verdict import Check
from ..errors import UsageError
from ..llm.chat import ChatRequest, Completer, Made, MadeBy, ModelInfo, Tally
from ..llm.steps import Steps, gather_steps, run
from ..llm.tokens import split_to_budget
from ..tasks.prompts import LANGUAGES, Prompt, render
from ..tasks.structured import complete_model_steps, strict_schema
from ..text.articles import Article
from ..text.glossary import Glossary
from .candidates import Candidates, candidates, coverage, implausibly_empty, reask_message
from .ground import Dropped, pin_draft
from .merge import merge
from .schema import (
    ArticleOut,
    CoverageOut,
    DateOut,
    ExtractionOut,
    FactsDraft,
    FactsOut,
    FigureOut,
    OrganisationOut,
    PersonOut,
    PlaceOut,
    QuoteOut,
    TopicOut,
)

__all__ = ["Facts", "Part", "extract_facts", "facts_steps", "plan"]

# Leave a tenth of the context free: our token counts may be approximate (see tokens.py).
_SAFETY = 0.9
_MAX_ANSWER = 3000
# Input tokens per call. A fact list grows with the text it covers; past a couple of thousand
# tokens even a large model starts leaving facts out or running into its answer limit.
_PART_CAP = 2000
KINDS = tuple(FactsDraft.model_fields)


@dataclass(frozen=True)
class Part:
    """One call's worth of the article: its request, and where its text starts in ``article.text``."""

    request: ChatRequest
    hint: int


@dataclass(frozen=True)
class Facts(MadeBy):
    article: Article
    lang: str
    people: tuple[PersonOut, ...]
    organisations: tuple[OrganisationOut, ...]
    places: tuple[PlaceOut, ...]
    dates: tuple[DateOut, ...]
    quotes: tuple[QuoteOut, ...]
    figures: tuple[FigureOut, ...]
    topics: tuple[TopicOut, ...]
    dropped: tuple[Dropped, ...]
    keep_ungrounded: bool
    made: Made
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (covered, in the text)
    reasked: bool = False  # the first answer was implausibly empty: asked again with a worked example
    found: Candidates | None = None  # what the text visibly holds (names, quotes, figures, dates)

    @property
    def checks(self) -> tuple[Check, ...]:
        """The facts' one verdict in a batch's report: something was pinned to the article."""
        found = sum(len(getattr(self, kind)) for kind in KINDS)
        return (Check("facts_found", found > 0, f"{found} facts pinned to the article, {len(self.dropped)} dropped"),)

    @property
    def suspiciously_empty(self) -> bool:
        """An article with names and quotes, and no facts: a warning (exit 3 under ``--strict``)."""
        if self.found is None:
            return False
        return not any(getattr(self, kind) for kind in KINDS) and bool(self.found.names or self.found.quotes)

    def to_model(self) -> FactsOut:
        a = self.article
        return FactsOut(
            article=ArticleOut.of(a),
            **{kind: list(getattr(self, kind)) for kind in KINDS},
            extraction=ExtractionOut(
                lang=self.lang,
                model=self.model,
                backend=self.backend,
                calls=self.calls,
                chunks=self.chunks,
                cached=self.cached,
                prompt_tokens=self.usage.prompt_tokens,
                completion_tokens=self.usage.completion_tokens,
                dropped=len(self.dropped),
                kept_ungrounded=self.keep_ungrounded,
                coverage={kind: CoverageOut(found=a, total=b) for kind, (a, b) in self.coverage.items()},
                reasked=self.reasked,
            ),
        )


def extract_facts(
    article: Article,
    llm: Completer,
    *,
    lang: str | None = None,
    keep_ungrounded: bool = False,
    glossary: Glossary | None = None,
) -> Facts:
    """Extract and pin the facts of ``article``; names and roles in ``lang`` (default: the article's)."""
    steps = facts_steps(article, llm, lang=lang, keep_ungrounded=keep_ungrounded, glossary=glossary)
    return run(steps, llm)


def facts_steps(
    article: Article,
    llm: ModelInfo,
    *,
    lang: str | None = None,
    keep_ungrounded: bool = False,
    glossary: Glossary | None = None,
) -> Steps[Facts]:
    """The facts task as model requests (``llm`` is asked about its model, never called)."""
    # Names and roles in the article's language when the tool writes it; else English.
    lang = lang or (article.language if article.language in LANGUAGES else "en")
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    parts = plan(article, llm, lang=lang, glossary=glossary)
    tally = Tally()
    pinned = []
    # All parts at once (a batch sends them together); each is checked, and re-asked, on its own.
    answers = list((yield from gather_steps([complete_model_steps(part.request, FactsDraft) for part in parts])))
    found_in_text = candidates(article.text, article.language)
    answers, reasked = yield from _reask_if_empty(parts, answers, found_in_text, article.text)
    for part, (draft, calls) in zip(parts, answers, strict=True):
        tally.add(list(calls))
        found = pin_draft(
            draft,
            article.text,
            hint=part.hint,
            # Names asked for in another language cannot be looked up in the article.
            check_names=lang == article.language,
            wire_date=article.meta.date if article.meta.year_known else None,
            keep_ungrounded=keep_ungrounded,
        )
        items = _apply_glossary(found.items, glossary, lang) if glossary else found.items
        pinned.append((items, found.dropped))
    merged = merge([items for items, _ in pinned])
    evidence = {
        kind: [(i.evidence.start, i.evidence.end) for i in merged[kind] if i.evidence.start is not None]
        for kind in ("quotes", "figures", "dates")
    }
    return Facts(
        article=article,
        lang=lang,
        **{kind: tuple(merged[kind]) for kind in KINDS},
        dropped=tuple(d for _, dropped in pinned for d in dropped),
        keep_ungrounded=keep_ungrounded,
        made=tally.made(llm, parts=len(parts)),
        coverage=coverage(found_in_text, evidence),
        reasked=reasked,
        found=found_in_text,
    )


def _reask_if_empty(
    parts: list[Part], answers: list[Any], found: Candidates, text: str
) -> Steps[tuple[list[Any], bool]]:
    """Ask once more, with what the text visibly holds and a worked example, when the answer is
    implausibly empty (no facts from an article with names and quotes). The first request stays
    as it was, so recorded answers still replay; the better of the two answers is kept."""
    counts = {kind: sum(len(getattr(draft, kind)) for draft, _ in answers) for kind in KINDS}
    # A dry run's stand-in answer is the smallest JSON the schema accepts, empty by design: it
    # estimates what a sane answer costs, and the re-ask a bad answer needs is not counted.
    stand_in = all(calls and calls[-1].provenance == "dry-run" for _, calls in answers)
    if stand_in or not implausibly_empty(found, counts):
        return answers, False
    empty = [i for i, (draft, _) in enumerate(answers) if sum(len(getattr(draft, k)) for k in KINDS) <= 1]
    followup = reask_message(text, found)
    requests = [
        replace(
            parts[i].request,
            task=f"{parts[i].request.task} empty re-ask",
            messages=(
                *parts[i].request.messages,
                {"role": "assistant", "content": answers[i][1][-1].text},
                {"role": "user", "content": followup},
            ),
        )
        for i in empty
    ]
    again = yield from gather_steps([complete_model_steps(r, FactsDraft) for r in requests])
    for i, (draft, calls) in zip(empty, again, strict=True):
        before = sum(len(getattr(answers[i][0], k)) for k in KINDS)
        chosen = draft if sum(len(getattr(draft, k)) for k in KINDS) > before else answers[i][0]
        answers[i] = (chosen, (*answers[i][1], *calls))
    return answers, True


def plan(article: Article, llm: ModelInfo, *, lang: str, glossary: Glossary | None = None) -> list[Part]:
    """The requests ``extract_facts`` sends first (a re-ask, if needed, follows its part)."""
    counter = llm.counter()
    limit = int(llm.context_tokens() * _SAFETY)
    max_tokens = min(_MAX_ANSWER, limit // 2)
    terms = _glossary_terms(article, glossary, lang) if glossary else []
    # Hosted servers count the response schema into the prompt; llama.cpp turns it into a grammar.
    in_prompt = llm.capabilities.schema_in_prompt
    schema_tokens = counter.count(json.dumps(strict_schema(FactsDraft))) if in_prompt else 0

    whole = _prompt(article.body, article, lang, terms, part=None)
    need = counter.count_messages(whole.messages) + schema_tokens + max_tokens
    if need <= limit and counter.count(article.body) <= _PART_CAP:
        return [Part(_request(whole, max_tokens, article, "facts"), 0)]
    overhead = counter.count_messages(_prompt("", article, lang, terms, part=(99, 99)).messages) + schema_tokens
    budget = min(limit - overhead - max_tokens, _PART_CAP)
    if budget < 64:
        raise UsageError(f"the model's context ({llm.context_tokens()} tokens) is too small to extract facts")
    chunks = split_to_budget(article.paragraphs, budget, counter)
    parts = []
    # Where each part starts in the original text, so its evidence is pinned there first.
    for index, (chunk, start) in enumerate(zip(chunks, _starts(article, chunks), strict=True), 1):
        prompt = _prompt(chunk, article, lang, terms, part=(index, len(chunks)))
        parts.append(Part(_request(prompt, max_tokens, article, f"facts part {index}"), start))
    return parts


def _starts(article: Article, chunks: list[str]) -> list[int]:
    """Where each chunk begins in ``article.text``, counted rather than searched for.

    ``split_to_budget`` keeps the paragraphs in order and changes only whitespace (a long one is
    cut between sentences or words), so a chunk that follows N non-space characters of chunks
    begins at the body's N+1-th: in the paragraph whose span holds it, then mapped to the text.
    """
    body, spans = article.body, article.paragraph_spans
    before = list(accumulate((_solid(body[s:e]) for s, e in spans), initial=0))
    out, seen = [], 0
    for chunk in chunks:
        index = bisect_right(before, seen) - 1
        at, left = spans[index][0], seen - before[index]
        while left or body[at].isspace():  # inside a long paragraph: step over what went before
            left -= not body[at].isspace()
            at += 1
        out.append(article.source_offset(at))
        seen += _solid(chunk)
    return out


def _solid(text: str) -> int:
    """How many characters of ``text`` are not whitespace."""
    return sum(map(len, text.split()))


def _prompt(
    body: str, article: Article, lang: str, terms: list[tuple[str, str]], *, part: tuple[int, int] | None
) -> Prompt:
    return render(
        "facts",
        body=body,
        meta=article.meta,
        lang=lang,
        language_name=LANGUAGES[lang],
        glossary=terms,
        part=part,
    )


def _request(prompt: Prompt, max_tokens: int, article: Article, task: str) -> ChatRequest:
    return ChatRequest(task=task, messages=prompt.messages, max_tokens=max_tokens, article=article.id)


# -- glossary (--lang ru|kk) -------------------------------------------------------------


def _glossary_terms(article: Article, glossary: Glossary, lang: str) -> list[tuple[str, str]]:
    """The (article's form, wanted form) pairs of the terms this article uses."""
    if lang == article.language:
        return []
    chosen = glossary.select(article.text, lang=article.language, target=lang)
    return [(term.form(article.language), term.form(lang)) for term in chosen]


_NAME_FIELDS = {
    "people": ("name", "affiliation", "country"),
    "organisations": ("name",),
    "places": ("name",),
    "topics": ("name",),
}


def _apply_glossary(items: dict[str, list[Any]], glossary: Glossary, lang: str) -> dict[str, list[Any]]:
    """A name the model left in another language, or spelt another way, gets the glossary's form."""
    wanted = {_fold(form): term.form(lang) for term in glossary.terms if term.form(lang) for _, form in term.forms}
    out = dict(items)
    for kind, fields in _NAME_FIELDS.items():
        out[kind] = [
            item.model_copy(
                update={f: wanted[_fold(v)] for f in fields if (v := getattr(item, f)) and _fold(v) in wanted}
            )
            for item in items.get(kind, [])
        ]
    return out


def _fold(term: str) -> str:
    # Russian print often writes ё as е (Могилев / Могилёв): the same name either way.
    return " ".join(term.casefold().replace("ё", "е").split())

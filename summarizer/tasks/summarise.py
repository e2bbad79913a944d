"""The summarise task: one call for an article that fits, map-reduce for one that does not.

An article whose prompt fits the model's context (with room for the answer) is summarised in
one call. A longer one is split on paragraph boundaries into chunks that fit, each chunk is
summarised, and the partial summaries are combined; if even they do not fit one prompt, they
are combined in groups, level by level, until one summary remains.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..checks.summary import check_summary, looping
from ..checks.verdict import Check
from ..errors import OutputInvalid, UsageError
from ..llm.chat import ChatRequest, ChatResult, Completer, Made, MadeBy, ModelInfo, Tally
from ..llm.steps import Steps, run
from ..llm.tokens import TokenCounter, split_to_budget
from ..text.articles import Article, ArticleMeta
from .prompts import LANGUAGES, LENGTHS, Prompt, render

__all__ = ["Summary", "summarise", "summarise_steps"]

# Leave a tenth of the context free: our token counts may be approximate (see tokens.py).
_SAFETY = 0.9
_PARTIAL_LENGTH = "medium"


@dataclass(frozen=True)
class Summary(MadeBy):
    article: Article
    text: str
    lang: str
    length: str
    made: Made
    finish_reason: str
    checks: tuple[Check, ...]


def summarise(article: Article, llm: Completer, *, lang: str = "en", length: str = "short") -> Summary:
    """Summarise one article through the sync client (see ``summarise_steps``)."""
    return run(summarise_steps(article, llm, lang=lang, length=length), llm)


def summarise_steps(article: Article, llm: ModelInfo, *, lang: str = "en", length: str = "short") -> Steps[Summary]:
    """The summarise task as model requests; ``llm`` is only asked about its model, never called."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if length not in LENGTHS:
        raise UsageError(f"unknown length {length!r}; choose one of {', '.join(LENGTHS)}")
    tally = Tally()
    counter = llm.counter()
    limit = int(llm.context_tokens() * _SAFETY)
    max_tokens = LENGTHS[length][1]

    whole = _prompt(article.body, article.meta, lang, length, part=None)
    if counter.fits(whole.messages, limit - max_tokens):
        chunks = [article.body]
        (result,) = tally.add((yield [_request(whole, max_tokens, article, "summarise")]))
    else:
        partial_max = LENGTHS[_PARTIAL_LENGTH][1]
        overhead = counter.count_messages(_prompt("", article.meta, lang, _PARTIAL_LENGTH, part=(99, 99)).messages)
        budget = limit - overhead - partial_max
        if budget < 64:
            raise UsageError(f"the model's context ({llm.context_tokens()} tokens) is too small to summarise in parts")
        chunks = split_to_budget(article.paragraphs, budget, counter)
        # The parts are independent: a batch sends them at the same time.
        requests = [
            _request(
                _prompt(chunk, article.meta, lang, _PARTIAL_LENGTH, part=(index, len(chunks))),
                partial_max,
                article,
                f"summarise part {index}",
            )
            for index, chunk in enumerate(chunks, 1)
        ]
        parts = [_text(r) for r in tally.add((yield requests))]
        result = yield from _reduce(parts, article, counter, tally, lang=lang, length=length, limit=limit)

    text = _text(result)
    return Summary(
        article=article,
        text=text,
        lang=lang,
        length=length,
        made=tally.made(llm, parts=len(chunks)),
        finish_reason=result.finish_reason,
        checks=check_summary(
            text,
            lang=lang,
            finish_reason=result.finish_reason,
            length=length,
            source=article.text,
            source_lang=article.language,
        ),
    )


def _reduce(
    parts: list[str], article: Article, counter: TokenCounter, tally: Tally, *, lang: str, length: str, limit: int
) -> Steps[ChatResult]:
    max_tokens = LENGTHS[length][1]
    partial_max = LENGTHS[_PARTIAL_LENGTH][1]
    level = 1
    while True:
        prompt = _combine_prompt(parts, article.meta, lang, length)
        if counter.fits(prompt.messages, limit - max_tokens) or len(parts) <= 2:
            (result,) = tally.add((yield [_request(prompt, max_tokens, article, "summarise combine")]))
            return result
        # Too many partial summaries for one prompt: combine them in groups, level by level.
        overhead = counter.count_messages(_combine_prompt([""], article.meta, lang, _PARTIAL_LENGTH).messages)
        groups = _group(parts, limit - overhead - partial_max, counter)
        requests = [
            _request(
                _combine_prompt(group, article.meta, lang, _PARTIAL_LENGTH),
                partial_max,
                article,
                f"summarise combine level {level}",
            )
            for group in groups
        ]
        parts = [_text(r) for r in tally.add((yield requests))]
        level += 1


def _group(parts: list[str], budget: int, counter: TokenCounter) -> list[list[str]]:
    """Consecutive runs of parts that fit the budget; always at least two per group, so it ends."""
    groups: list[list[str]] = [[]]
    used = 0
    for part in parts:
        size = counter.count(part) + 8
        if len(groups[-1]) >= 2 and used + size > budget:
            groups.append([])
            used = 0
        groups[-1].append(part)
        used += size
    return groups


def _prompt(body: str, meta: ArticleMeta, lang: str, length: str, *, part: tuple[int, int] | None) -> Prompt:
    return render(
        "summarise",
        body=body,
        meta=meta,
        lang=lang,
        language_name=LANGUAGES[lang],
        length_instruction=LENGTHS[length][0],
        part=part,
    )


def _combine_prompt(parts: list[str], meta: ArticleMeta, lang: str, length: str) -> Prompt:
    return render(
        "summarise_combine",
        parts=parts,
        meta=meta,
        lang=lang,
        language_name=LANGUAGES[lang],
        length_instruction=LENGTHS[length][0],
    )


def _request(prompt: Prompt, max_tokens: int, article: Article, task: str) -> ChatRequest:
    # ``looping``: a loop is cut as it starts, by the rule the summary's checks fail it on.
    return ChatRequest(task=task, messages=prompt.messages, max_tokens=max_tokens, article=article.id, watch=looping)


def _text(result: ChatResult) -> str:
    text = result.text.strip()
    if not text:
        raise OutputInvalid(f"the model ({result.model}) returned an empty answer", raw=result.text)
    return text

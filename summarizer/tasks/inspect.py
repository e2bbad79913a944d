"""What the tool reads from an article, and how it would send it: no model call, no model loaded.

The plan is the summarise task's own: its steps generator is run to its first yield, so "fits"
and "parts" are what ``summarise`` would really send, not a second estimate that could drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..llm.chat import ModelInfo
from ..text.articles import Article
from .summarise import summarise_steps

__all__ = ["Inspection", "inspect_article"]


@dataclass(frozen=True)
class Inspection:
    article: Article
    model: str
    backend: str
    tokenizer: str
    exact: bool  # False: the count approximates the model's own tokenizer
    characters: int  # of the body, as sent to the model
    tokens: int  # of the body
    prompt_tokens: int  # of the first request(s) summarise would send, instructions included
    context_tokens: int
    parts: int  # 1 when the article fits one request; else the parts it would be split into

    @property
    def fits(self) -> bool:
        return self.parts == 1


def inspect_article(article: Article, llm: ModelInfo) -> Inspection:
    counter = llm.counter()
    steps = summarise_steps(article, llm)
    requests = next(steps)  # one request when the article fits, else one per part
    steps.close()
    return Inspection(
        article=article,
        model=llm.model,
        backend=str(llm.backend),
        tokenizer=counter.name,
        exact=counter.exact,
        characters=len(article.body),
        tokens=counter.count(article.body),
        prompt_tokens=sum(counter.count_messages(r.messages) for r in requests),
        context_tokens=llm.context_tokens(),
        parts=len(requests),
    )

"""``batch --review``: the judge's meaning review (``facts/review.py``) of each done translation and
summary, added to its ``report.json`` entry as a ``review`` check.

Run once the jobs are done, like the consistency check: each text is read back from the input and
the written output (resumed jobs too), and the judge, which may be another endpoint than the
batch's model, is asked through the async step driver, ``concurrency`` requests at a time. Every
answer is in the response cache, so a batch run again reviews again at no cost. A summary
replaced by the article's own lead is not reviewed: it is the article's text. A judge that fails
on one text leaves a ``warning`` saying it was not reviewed, never a green tick.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from ..checks.verdict import Check, Finding
from ..errors import SummarizerError
from ..facts.review import review_steps
from ..llm.client import LLM
from ..llm.steps import arun
from .jobs import Job
from .report import JobResult

__all__ = ["with_review"]

_REVIEWED = ("translate", "summary", "headline")


def with_review(
    jobs: Sequence[Job], results: Sequence[JobResult], out: Path, judge: LLM, *, concurrency: int
) -> list[JobResult]:
    """``results`` with a ``review`` check on each done translation and summary the model wrote."""
    by_id = {job.id: job for job in jobs}
    todo = [
        (r, by_id[r.job])
        for r in results
        if r.job in by_id and r.status == "done" and r.result is not None and r.result.fallback is None
        and by_id[r.job].task.spec.name in _REVIEWED
    ]  # fmt: skip
    checks = dict(asyncio.run(_review_all(todo, out, judge, concurrency)))
    return [r.adding(checks[r.job]) if r.job in checks else r for r in results]


async def _review_all(
    todo: list[tuple[JobResult, Job]], out: Path, judge: LLM, concurrency: int
) -> list[tuple[str, Check]]:
    semaphore = asyncio.Semaphore(max(1, concurrency))
    try:
        return list(await asyncio.gather(*(_review(r, job, out, judge, semaphore) for r, job in todo)))
    finally:
        await judge.aclose()


async def _review(
    result: JobResult, job: Job, out: Path, judge: LLM, semaphore: asyncio.Semaphore
) -> tuple[str, Check]:
    assert result.result is not None
    spec = job.task.spec
    try:
        article = job.input.load()
        text = (out / result.result.output).read_text(encoding="utf-8")
        steps = review_steps(spec.source(article), text.strip(), judge, kind=spec.kind, lang=job.params.lang or "en",
                             source_lang=article.language, article=article.id)  # fmt: skip
        review = await arun(steps, judge, semaphore=semaphore)
    except (SummarizerError, OSError) as exc:
        line = f"not reviewed: {exc}"
        return result.job, Check.of("review", [Finding("not_reviewed", "warning", line)], ok=line)
    return result.job, review.check

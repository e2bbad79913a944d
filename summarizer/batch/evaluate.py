"""``eval``: which model to choose, judged on a corpus of the newsroom's own copy by its own checks.

An evaluation is the batch (``run.py``, ``run_batch``) over one corpus, once per candidate model,
for the chosen tasks; nothing here sends a request or judges a text itself. Each job's output
carries the checks the batch already records, and the seconds it had a request in flight
(``JobOutput.seconds``); a ``Score`` adds them up per model and task:

* the share of articles whose output passes every error-level check (a job that failed, say the
  endpoint refused it, passes nothing);
* each check's failure rate, over the outputs judged;
* seconds per article, p50 and p95, over the answers a model made (a cache hit takes no time
  worth reporting; a job resumed from an earlier evaluation keeps the seconds it was measured at);
* tokens, and the cost per 1,000 articles at the pricing table's list prices (``pricing.py``),
  whether or not this run paid it.

Each candidate's batch lives in a folder of its own under ``out`` (its ledger, outputs, pages and
``report.json``), so a rerun does nothing again: every job is resumed from the ledger, or answered
by the response cache. ``estimate`` is the dry run (``dry_run.py``) for each candidate.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..checks.verdict import failed
from ..config import Settings
from ..errors import UsageError
from ..llm.chat import Usage
from ..llm.client import LLM, open_llm
from ..render import render_html
from .dry_run import DryRun, dry_run
from .inputs import Input, find_inputs
from .jobs import BatchOptions, Job, Progress, plan
from .outlets import Outlet
from .pricing import Pricing, load_pricing
from .report import JobResult
from .run import run_batch

__all__ = ["Candidate", "EvalOut", "Evaluation", "Score", "as_json", "estimate", "evaluate", "shipped_corpus",
           "table_lines"]

# The outlet every candidate is judged for: the model's own text kept, never the article's lead
# in its place (``fallback``), since the model's text is what is being chosen.
EVAL_OUTLET = Outlet(name="eval", fallback="none")


def shipped_corpus() -> tuple[Path, list[Input]]:
    """The real agency items shipped with the source (``tests/data/agency``, provenance in its README),
    without ``expected.json`` beside them: the parser tests' answers, not an article."""
    folder = Path(__file__).resolve().parents[2] / "tests" / "data" / "agency"
    if not folder.is_dir():
        raise UsageError("the shipped corpus (tests/data/agency) is not in this install: give a folder or a JSONL file")
    return folder, [i for i in find_inputs(str(folder)) if Path(i.label).name != "expected.json"]


@dataclass(frozen=True)
class Candidate:
    """A model to judge: the settings that reach it (an endpoint and a model name, or the embedded one)."""

    settings: Settings

    def folder(self, llm: LLM) -> str:
        """Its batch's folder name: readable, and apart from the same model name at another endpoint."""
        where = f"{llm.backend}|{llm.endpoint}|{llm.model}"
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", llm.model).strip("-") or "model"
        return f"{name}-{hashlib.sha256(where.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class Score:
    """One model on one task over the corpus."""

    model: str
    where: str  # "embedded", or the endpoint's URL
    task: str
    articles: int
    passed: int  # outputs with no error-level check failed
    judged: int  # outputs made (the rest failed as jobs: ``errors``)
    check_failures: tuple[tuple[str, int], ...]  # (check, outputs it failed), in the checks' order
    seconds: tuple[float, ...]  # per article, for the answers made by the model (not the cache)
    free: int  # jobs answered by the cache or done by an earlier run: nothing paid this time
    usage: Usage
    cost_per_1000: float | None  # USD at list prices; None when the table does not price the model
    errors: tuple[str, ...] = ()

    @property
    def pass_rate(self) -> float:
        return self.passed / self.articles if self.articles else 0.0

    def failure_rate(self, check: str) -> float:
        return dict(self.check_failures).get(check, 0) / self.judged if self.judged else 0.0

    def percentile(self, share: float) -> float | None:
        """Nearest rank: the value at or under which ``share`` of the timed articles fall."""
        if not self.seconds:
            return None
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Evaluation:
    corpus: str
    tasks: tuple[str, ...]
    scores: tuple[Score, ...]
    pricing: str = ""
    folders: tuple[Path, ...] = field(default=())

    def ranked(self, task: str) -> list[Score]:
        """Best first: more outputs passing, then the faster p50, then the cheaper."""
        mine = [s for s in self.scores if s.task == task]
        return sorted(mine, key=lambda s: (-s.pass_rate, s.percentile(0.5) or 0.0, s.cost_per_1000 or 0.0))

    @property
    def free(self) -> int:
        return sum(s.free for s in self.scores)

    @property
    def jobs(self) -> int:
        return sum(s.articles for s in self.scores)

    def checks(self, task: str) -> list[str]:
        return list(dict.fromkeys(name for s in self.scores if s.task == task for name, _ in s.check_failures))

    def to_out(self) -> EvalOut:
        return EvalOut(
            corpus=self.corpus,
            tasks=list(self.tasks),
            pricing=self.pricing,
            jobs=self.jobs,
            free=self.free,
            results=[_score_out(s, rank) for task in self.tasks for rank, s in enumerate(self.ranked(task), 1)],
        )

    def html(self) -> str:
        return render_html("eval.html.j2", evaluation=self, out=self.to_out())


class ScoreOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    rank: int
    model: str
    where: str
    task: str
    articles: int
    passed: int
    pass_rate: float
    check_failure_rates: dict[str, float]
    seconds_p50: float | None
    seconds_p95: float | None
    timed: int
    free: int  # answered by the cache or done by an earlier run
    prompt_tokens: int
    completion_tokens: int
    cost_per_1000_usd: float | None
    errors: list[str]


class EvalOut(BaseModel):
    """``eval --json``: a row per model and task, best first within each task."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    corpus: str
    tasks: list[str]
    pricing: str
    jobs: int
    free: int  # jobs answered by the cache or an earlier run of this evaluation
    results: list[ScoreOut]


def _score_out(s: Score, rank: int) -> ScoreOut:
    p50, p95 = s.percentile(0.5), s.percentile(0.95)
    return ScoreOut(
        rank=rank, model=s.model, where=s.where, task=s.task, articles=s.articles, passed=s.passed,
        pass_rate=round(s.pass_rate, 4),
        check_failure_rates={name: round(s.failure_rate(name), 4) for name, _ in s.check_failures},
        seconds_p50=None if p50 is None else round(p50, 3), seconds_p95=None if p95 is None else round(p95, 3),
        timed=len(s.seconds), free=s.free, prompt_tokens=s.usage.prompt_tokens,
        completion_tokens=s.usage.completion_tokens,
        cost_per_1000_usd=None if s.cost_per_1000 is None else round(s.cost_per_1000, 4), errors=list(s.errors),
    )  # fmt: skip


# -- running -----------------------------------------------------------------------------------


def evaluate(
    inputs: Sequence[Input],
    tasks: tuple[str, ...],
    candidates: Sequence[Candidate],
    *,
    out: Path,
    corpus: str = "",
    concurrency: int = 4,
    pricing: Path | None = None,
    progress: Callable[[], Progress] | None = None,
) -> Evaluation:
    """Every candidate through the batch over ``inputs`` for ``tasks``, scored by the batch's checks.
    ``progress`` makes each candidate's progress display (its own count of jobs)."""
    jobs = plan(inputs, (EVAL_OUTLET,), tasks)  # a bad task name is a usage error before any model is opened
    table = load_pricing(pricing)
    scores: list[Score] = []
    folders: list[Path] = []
    for candidate in candidates:
        with open_llm(candidate.settings) as llm:
            folder = out / candidate.folder(llm)
            folders.append(folder)
            options = BatchOptions(out=folder, outlets=(EVAL_OUTLET,), tasks=tasks, concurrency=concurrency,
                                   pricing=pricing)  # fmt: skip
            shown = progress() if progress is not None else None
            if shown is not None:
                shown.note(f"{llm.model} ({llm.capabilities.where}): {len(jobs)} job(s) in {folder}")
            folder.mkdir(parents=True, exist_ok=True)
            results = run_batch(jobs, llm, options, progress=shown)
            scores.extend(score(jobs, results, llm, table))
    return Evaluation(corpus=corpus, tasks=tuple(_labels(jobs)), scores=tuple(scores), pricing=table.source,
                      folders=tuple(folders))  # fmt: skip


def estimate(inputs: Sequence[Input], tasks: tuple[str, ...], candidates: Sequence[Candidate], *,
             pricing: Path | None = None) -> list[DryRun]:  # fmt: skip
    """What each candidate's run would send and cost, sending nothing (``dry_run.py``)."""
    jobs = plan(inputs, (EVAL_OUTLET,), tasks)
    table = load_pricing(pricing)
    estimates = []
    for candidate in candidates:
        with open_llm(candidate.settings) as llm:
            estimates.append(dry_run(jobs, llm, pricing=table))
    return estimates


def score(jobs: Sequence[Job], results: Sequence[JobResult], llm: LLM, table: Pricing) -> list[Score]:
    """A ``Score`` per task of ``jobs``, from the batch's results on ``llm``."""
    scores = []
    for label in _labels(jobs):
        mine = [r for r in results if r.task == label]
        done = [r.result for r in mine if r.status == "done" and r.result is not None]
        failures: dict[str, int] = {}
        for output in done:
            for check in output.checks:
                failures.setdefault(check.name, 0)
            for check in failed(list(output.checks)):
                failures[check.name] += 1
        usage = sum((o.made.usage for o in done), Usage())
        cost = table.cost(llm.model, usage, priced=llm.capabilities.priced)
        free = sum(r.resumed or (r.result is not None and r.result.made.cached) for r in mine if r.status == "done")
        scores.append(
            Score(
                model=llm.model,
                where=llm.capabilities.where or str(llm.backend),
                task=label,
                articles=len(mine),
                passed=sum(not failed(list(o.checks)) for o in done),
                judged=len(done),
                check_failures=tuple(failures.items()),
                seconds=tuple(o.seconds for o in done if o.seconds is not None and not o.made.cached),
                free=free,
                usage=usage,
                cost_per_1000=None if cost is None or not done else cost / len(done) * 1000,
                errors=tuple(f"{r.input}: {r.error or r.status}" for r in mine if r.status != "done"),
            )
        )
    return scores


def _labels(jobs: Sequence[Job]) -> list[str]:
    return list(dict.fromkeys(job.task.label for job in jobs))


# -- the table for people ----------------------------------------------------------------------


def table_lines(evaluation: Evaluation) -> list[str]:
    """The table ``eval`` prints: per task, a row per model, best first, then each check's failure rate."""
    lines: list[str] = []
    for task in evaluation.tasks:
        ranked = evaluation.ranked(task)
        if not ranked:
            continue
        names = [f"{s.model} ({s.where})" for s in ranked]
        width = max(len("model"), *(len(n) for n in names))
        lines.append(f"{task} ({ranked[0].articles} article(s))")
        lines.append(f"  {'#':>2} {'model':<{width}} {'pass':>5} {'p50 s':>7} {'p95 s':>7} {'tokens/article':>14}"
                     f" {'$/1000':>8} {'free':>5}")  # fmt: skip
        for rank, (s, name) in enumerate(zip(ranked, names, strict=True), 1):
            p50, p95 = s.percentile(0.5), s.percentile(0.95)
            per_article = (s.usage.prompt_tokens + s.usage.completion_tokens) // max(1, s.judged)
            cost = "unknown" if s.cost_per_1000 is None else f"{s.cost_per_1000:.3f}"
            lines.append(f"  {rank:>2} {name:<{width}} {s.pass_rate:>5.0%} {_s(p50):>7} {_s(p95):>7}"
                         f" {per_article:>14} {cost:>8} {s.free:>5}")  # fmt: skip
        # Each check that failed anywhere, with its failure rate for every model (in rank order).
        failing = [c for c in evaluation.checks(task) if any(s.failure_rate(c) for s in ranked)]
        if failing:
            lines.append(f"  failure rate by check ({', '.join(f'#{rank}' for rank in range(1, len(ranked) + 1))}):")
        for check in failing:
            lines.append(f"     {check:<20} " + "  ".join(f"{s.failure_rate(check):>4.0%}" for s in ranked))
        for s in ranked:
            if s.errors:
                lines.append(f"     {s.model}: {len(s.errors)} job(s) failed, e.g. {s.errors[0]}")
    return lines


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def as_json(evaluation: Evaluation) -> dict[str, Any]:
    return evaluation.to_out().model_dump(mode="json")

"""Batches: many articles through many tasks for many outlets, concurrently, resumably, within limits.

A *job* is one article, one outlet, one task (``tasks.py``). The batch

1. finds its inputs (``inputs.py``): a folder, a glob, or a JSONL file of ``{"id", "text"}``
   records; an input that cannot be read is a failed job with its reason, not a crash;
2. plans the jobs (``plan``): inputs x outlets x each outlet's tasks;
3. runs them (``run_batch``) on the SDK's async client: ``workers`` jobs at a time, at most
   ``concurrency`` requests in flight (one ``asyncio.Semaphore``) under one ``RateLimiter``
   (RPM/TPM, and a 429's ``Retry-After`` holds every request back); a failing job never stops
   another;
4. records each job in the ledger (``ledger.py``) and writes its output atomically, so that a
   batch killed at any moment and run again does only what is left; every model answer is also
   in the response cache the moment it arrives, so nothing is paid for twice;
5. ends with ``report.json``, ``index.html`` and a page per job (``report.py``).

``--openai-batch`` (``batchapi.py``) replaces step 3 with the OpenAI Batch API; ``--dry-run``
(``pricing.py``) replaces it with counting.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .articles import Article
from .client import LLM
from .errors import EndpointUnreachable, ServerFailed, SummarizerError, UsageError
from .inputs import Input, find_inputs
from .ledger import Ledger
from .outlets import DEFAULT_OUTLET, Outlet
from .pricing import load_pricing
from .prompts import prompts_version
from .ratelimit import RateLimiter
from .redact import redact
from .report import JobResult, write_atomic, write_page, write_report
from .runner import Steps, arun
from .tasks import TaskContext, TaskName

__all__ = ["BatchOptions", "Input", "Job", "Progress", "find_inputs", "plan", "run_batch"]


@dataclass(frozen=True)
class Job:
    input: Input
    outlet: Outlet
    task: TaskName
    context: TaskContext

    @property
    def id(self) -> str:
        return f"{self.outlet.name}/{self.input.id}/{self.task.slug}"

    def stem(self) -> str:
        return f"{self.input.id}.{self.task.slug}"


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    outlets: tuple[Outlet, ...] = (DEFAULT_OUTLET,)
    tasks: tuple[str, ...] | None = None  # replaces every outlet's own list when given
    concurrency: int = 8
    rpm: int | None = None
    tpm: int | None = None
    openai_batch: bool = False
    poll_seconds: float = 30.0
    pricing: Path | None = None


class Progress(Protocol):
    def start(self, total: int, *, earlier: dict[str, int]) -> None: ...

    def advance(self, result: JobResult) -> None: ...

    def note(self, message: str) -> None: ...

    def close(self) -> None: ...


class Silent:
    def start(self, total: int, *, earlier: dict[str, int]) -> None: ...

    def advance(self, result: JobResult) -> None: ...

    def note(self, message: str) -> None: ...

    def close(self) -> None: ...


# -- planning ----------------------------------------------------------------------------------


def plan(inputs: Iterable[Input], outlets: Sequence[Outlet], tasks: tuple[str, ...] | None = None) -> list[Job]:
    """Every input for every outlet, with the outlet's tasks (``tasks`` replaces them when given)."""
    per_outlet = [(o, [(t, t.context(o.context())) for t in o.task_names(tasks)]) for o in outlets]
    return [
        Job(input=i, outlet=outlet, task=task, context=context)
        for i in inputs
        for outlet, named in per_outlet
        for task, context in named
    ]


def fingerprint(job: Job, article: Article, llm: LLM, prompts: str = "") -> str:
    """What makes a finished job still valid: the text, the task, the outlet's settings, the model
    and how it samples, and the prompts (``prompts_version``: read once per batch, not per job)."""
    sampling = repr((llm.settings.temperature, llm.settings.seed))
    parts = [article.text, job.task.label, repr(job.context), llm.backend, llm.endpoint, llm.model, sampling, prompts]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


# -- running -----------------------------------------------------------------------------------


@dataclass
class Runner:
    """What every job needs: the model, the ledger, the output folder, and where results go."""

    llm: LLM
    ledger: Ledger
    out: Path
    progress: Progress
    results: list[JobResult] = field(default_factory=list)
    prompts: str = field(default_factory=prompts_version)
    _done: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._done = self.ledger.done()

    def done_before(self, job: Job, fp: str) -> JobResult | None:
        if self._done.get(job.id) != fp:
            return None
        row = self.ledger.get(job.id)
        if row is None or row.status != "done":
            return None
        if not (self.out / str(row.result.get("output", ""))).is_file():
            return None  # the output was removed: do it again (from the cache, at no cost)
        return self._record(_result(job, "done", result=row.result, resumed=True))

    def succeed(self, job: Job, article: Article, fp: str, value: Any) -> JobResult:
        output = job.task.spec.output(value, job.context)
        relative = f"{job.outlet.name}/{job.stem()}{output.suffix}"
        write_atomic(self.out / relative, output.content)
        result = JobResult.summary_of(output, output_path=relative)
        result["page"] = write_page(
            self.out, outlet=job.outlet.name, stem=job.stem(), task=job.task.label, article=article, output=output
        )
        self.ledger.finish(job.id, input=job.input.label, fingerprint=fp, result=result)
        return self._record(_result(job, "done", result=result))

    def fail(self, job: Job, error: BaseException, fp: str = "") -> JobResult:
        message = _message(error, self.llm)
        self.ledger.finish(job.id, input=job.input.label, fingerprint=fp, error=message)
        return self._record(_result(job, "failed", error=message))

    def _record(self, result: JobResult) -> JobResult:
        self.results.append(result)
        self.progress.advance(result)
        return result

    def steps(self, job: Job, article: Article) -> Steps[Any]:
        return job.task.spec.steps(article, self.llm, job.context)


def _result(job: Job, status: str, **fields: Any) -> JobResult:
    return JobResult(
        job=job.id,
        outlet=job.outlet.name,
        article=job.input.id,
        input=job.input.label,
        task=job.task.label,
        status=status,
        **fields,
    )


def _message(error: BaseException, llm: LLM) -> str:
    text = str(error) if isinstance(error, SummarizerError) else f"internal error: {type(error).__name__}: {error}"
    return redact(text, llm.settings.api_key)


def group_by_input(jobs: Sequence[Job]) -> list[list[Job]]:
    """Jobs of one input together, so each article is read once however many outlets want it."""
    groups: dict[str, list[Job]] = {}
    for job in jobs:
        groups.setdefault(job.input.id, []).append(job)
    return list(groups.values())


async def _run_async(runner: Runner, jobs: Sequence[Job], *, concurrency: int, limiter: RateLimiter) -> None:
    semaphore = asyncio.Semaphore(concurrency)
    retry_later: list[Job] = []

    async def one(job: Job, article: Article, *, last_pass: bool) -> None:
        fp = fingerprint(job, article, runner.llm, runner.prompts)
        if runner.done_before(job, fp):
            return
        runner.ledger.start(job.id, input=job.input.label, fingerprint=fp)
        try:
            value = await arun(runner.steps(job, article), runner.llm, throttle=limiter, semaphore=semaphore)
            runner.succeed(job, article, fp, value)
        except (ServerFailed, EndpointUnreachable) as exc:
            # Still failing after every retry: a bad minute at the provider. Try once more at the end.
            if last_pass:
                runner.fail(job, exc, fp)
            else:
                retry_later.append(job)
        except Exception as exc:  # per-job isolation: one failure is reported, the rest go on
            runner.fail(job, exc, fp)

    async def worker(queue: Iterator[list[Job]], last_pass: bool) -> None:
        for group in queue:  # a shared iterator: each group goes to exactly one worker
            try:
                article = group[0].input.load()
            except Exception as exc:  # unreadable, empty, binary, broken JSONL line
                for job in group:
                    runner.fail(job, exc)
                continue
            await asyncio.gather(*(one(job, article, last_pass=last_pass) for job in group))

    async def work(todo: Sequence[Job], last_pass: bool) -> None:
        queue = iter(group_by_input(todo))
        # Twice as many workers as request slots: while one writes its files, another's request waits.
        await asyncio.gather(*(worker(queue, last_pass) for _ in range(max(1, concurrency * 2))))

    try:
        await work(jobs, last_pass=False)
        if retry_later:
            runner.progress.note(f"{len(retry_later)} job(s) failed on server errors after retries; trying them again")
            await work(list(retry_later), last_pass=True)
    finally:
        await runner.llm.aclose()


def run_batch(
    jobs: Sequence[Job],
    llm: LLM,
    options: BatchOptions,
    *,
    progress: Progress | None = None,
    limiter: RateLimiter | None = None,
    clock: Callable[[], float] | None = None,
) -> list[JobResult]:
    """Run ``plan(find_inputs(...))``'s jobs, write outputs and report; a ``JobResult`` per job, in order."""
    if options.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    limiter = limiter or _limiter(options)
    load_pricing(options.pricing)  # a broken pricing file is a usage error now, not after the work
    if options.openai_batch:
        from .batchapi import require_batch_api  # batchapi builds on this module

        require_batch_api(llm)
    progress = progress or Silent()
    clock = clock or time.monotonic
    started = clock()
    with Ledger(options.out) as ledger:
        _sweep_temporaries(options.out)
        runner = Runner(llm=llm, ledger=ledger, out=options.out, progress=progress)
        progress.start(len(jobs), earlier=ledger.counts())
        try:
            if options.openai_batch:
                from .batchapi import run_openai_batch

                run_openai_batch(runner, jobs, poll_seconds=options.poll_seconds)
            else:
                concurrency = options.concurrency
                if llm.backend == "local" and concurrency > 1:
                    # One llama context answers one request at a time; queued requests would only
                    # wait on its lock and run out their timeout.
                    progress.note("the embedded model answers one request at a time: running with concurrency 1")
                    concurrency = 1
                # The heap a batch starts with (tokenizer, language models, dictionaries) lives to the
                # end; frozen, the collector stops walking it again and again. One full pass over it
                # took 66 ms, a pause for every request in flight (docs/BENCHMARKS.md).
                gc.freeze()
                try:
                    asyncio.run(_run_async(runner, jobs, concurrency=concurrency, limiter=limiter))
                finally:
                    gc.unfreeze()
        finally:
            progress.close()
            ordered = _in_plan_order(jobs, runner.results)
            write_report(
                options.out,
                ordered,
                llm=llm,
                seconds=clock() - started,
                waited=limiter.waited,
                pricing=options.pricing,
                batch_api=options.openai_batch,
            )
    return ordered


def _sweep_temporaries(out: Path) -> None:
    """Remove what a killed run left half-written (``write_atomic``'s temporary files); we hold the lock."""
    folders = [out, *(d for d in out.iterdir() if d.is_dir()), *(out / "pages").glob("*/")]
    for folder in folders:
        for temp in folder.glob(".*.tmp"):
            temp.unlink(missing_ok=True)


def _limiter(options: BatchOptions) -> RateLimiter:
    try:
        return RateLimiter(rpm=options.rpm, tpm=options.tpm)
    except ValueError as exc:
        raise UsageError(f"--rpm/--tpm: {exc}") from None


def _in_plan_order(jobs: Sequence[Job], results: Sequence[JobResult]) -> list[JobResult]:
    by_id = {r.job: r for r in results}
    return [by_id.get(job.id) or _result(job, "pending") for job in jobs]

"""Batches: many articles through many tasks for many outlets, concurrently, resumably, within limits.

A *job* is one article, one outlet, one task (``registry.py``; planned in ``jobs.py``). The batch

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

``--openai-batch`` (``openai_batch.py``) replaces step 3 with the OpenAI Batch API; ``--dry-run``
(``dry_run.py``) replaces it with counting.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import EndpointUnreachable, ServerFailed, UsageError
from ..llm.client import LLM
from ..llm.ratelimit import RateLimiter
from ..llm.steps import arun
from ..text.articles import Article
from .consistency import with_consistency
from .inputs import find_inputs
from .jobs import BatchOptions, Job, Progress, Runner, Silent, fingerprint, group_by_input, plan, result_of
from .ledger import Ledger
from .openai_batch import require_batch_api, run_openai_batch
from .pricing import load_pricing
from .report import JobResult, write_atomic, write_report
from .review import with_review

__all__ = ["BatchOptions", "Job", "Progress", "find_inputs", "plan", "run_batch"]


async def _run_async(runner: Runner, jobs: Sequence[Job], *, concurrency: int, limiter: RateLimiter) -> None:
    semaphore = asyncio.Semaphore(concurrency)
    retry_later: list[Job] = []
    loop = asyncio.get_running_loop()
    # One thread for the disk: a slow file system (ext4 creating files after many deletions, a
    # network share) holds up the job whose files wait, never the loop with every request in
    # flight. One, not asyncio's pool: threads of a pool contend for the GIL (0.65 ms a job
    # against 0.45 measured on two cores).
    disk = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summarizer-batch-files")

    async def one(job: Job, article: Article, *, last_pass: bool) -> None:
        fp = fingerprint(job, article, runner.llm, runner.prompts)
        if runner.done_before(job, fp):
            return
        runner.ledger.start(job.id, input=job.input.label, fingerprint=fp)
        try:
            timed = _Timed(semaphore)
            value = await arun(runner.steps(job, article), runner.llm, throttle=limiter, semaphore=timed)  # type: ignore[arg-type]
            done = runner.finished(job, article, value, seconds=round(timed.busy, 4))
            await loop.run_in_executor(disk, _write_all, done.files)
            runner.record_done(job, fp, done)
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
        disk.shutdown(wait=True)
        await runner.llm.aclose()


class _Timed:
    """The batch's semaphore, timing one job: how long it had a request in flight (the union, when
    its parts go out together), without its wait for a free slot. What ``eval`` reports per article."""

    def __init__(self, semaphore: asyncio.Semaphore) -> None:
        self.semaphore, self.busy = semaphore, 0.0
        self._in_flight, self._since = 0, 0.0

    async def __aenter__(self) -> None:
        await self.semaphore.acquire()
        if self._in_flight == 0:
            self._since = time.perf_counter()
        self._in_flight += 1

    async def __aexit__(self, *exc: object) -> None:
        self._in_flight -= 1
        if self._in_flight == 0:
            self.busy += time.perf_counter() - self._since
        self.semaphore.release()


def run_batch(
    jobs: Sequence[Job],
    llm: LLM,
    options: BatchOptions,
    *,
    progress: Progress | None = None,
    limiter: RateLimiter | None = None,
    clock: Callable[[], float] | None = None,
    judge: LLM | None = None,
) -> list[JobResult]:
    """Run ``plan(find_inputs(...))``'s jobs, write outputs and report; a ``JobResult`` per job, in order.
    ``judge``: the model that reviews each translation and summary once the jobs are done (``--review``)."""
    if options.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    limiter = limiter or _limiter(options)
    load_pricing(options.pricing)  # a broken pricing file is a usage error now, not after the work
    if options.openai_batch:
        require_batch_api(llm)
    progress = progress or Silent()
    clock = clock or time.monotonic
    started = clock()
    # The heap a batch starts with (the SDK's classes, tokenizer, language models, dictionaries)
    # lives to its end; frozen, the collector stops walking it again and again. One full pass
    # over it took 66 ms, a pause for every request in flight; and the report, which builds
    # thousands of small objects at the end, spent 0.24 s of 0.27 in such passes.
    gc.freeze()
    try:
        with Ledger(options.out) as ledger:
            _sweep_temporaries(options.out)
            runner = Runner(llm=llm, ledger=ledger, out=options.out, progress=progress, ninjs=options.ninjs)
            progress.start(len(jobs), earlier=ledger.counts())
            finished = False
            try:
                if options.openai_batch:
                    run_openai_batch(runner, jobs, poll_seconds=options.poll_seconds)
                else:
                    concurrency = options.concurrency
                    if llm.capabilities.serial and concurrency > 1:
                        # One llama context answers one request at a time; queued requests would
                        # only wait on its lock and run out their timeout.
                        progress.note(f"{llm.model} answers one request at a time: running with concurrency 1")
                        concurrency = 1
                    asyncio.run(_run_async(runner, jobs, concurrency=concurrency, limiter=limiter))
                finished = True
            finally:
                progress.close()
                # Across the outlet's translations: a name spelt two ways (checks/consistency.py).
                ordered = with_consistency(jobs, _in_plan_order(jobs, runner.results), options.out)
                if judge is not None and finished:  # not after an interruption: report what there is
                    progress.note(f"reviewing the translations and summaries with {judge.model}")
                    width = 1 if judge.capabilities.serial else options.concurrency
                    ordered = with_review(jobs, ordered, options.out, judge, concurrency=width)
                write_report(
                    options.out,
                    ordered,
                    llm=llm,
                    seconds=clock() - started,
                    waited=limiter.waited,
                    pricing=options.pricing,
                    batch_api=options.openai_batch,
                )
    finally:
        gc.unfreeze()  # a long-lived caller (the desk, a test run) collects as before
    return ordered


def _write_all(files: Sequence[tuple[Path, str]]) -> None:
    for path, text in files:
        write_atomic(path, text)


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
    return [by_id.get(job.id) or result_of(job, "pending") for job in jobs]

"""``--openai-batch``: the same jobs through OpenAI's Batch API (half the price, answers within 24 h).

The tasks are the same steps generators as always; only who answers their requests changes.
Each round collects the requests every unfinished job needs next, writes those the response
cache cannot answer as a Batch API JSONL file (``custom_id`` = the request's cache key), uploads
it, creates the batch, polls until it ends, and stores every answer in the cache. Then each job
takes its answers from the cache and moves on: a one-call summary is done after one round, a
long article's map-reduce takes one round per level.

The batch id goes into the ledger before the first poll, so a run that is stopped (or killed)
while OpenAI works is resumed by running the same command: it collects that batch instead of
paying for a new one. All SDK calls are in ``llm/batch_api.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..config import CacheMode
from ..errors import BackendError, UsageError
from ..llm.batch_api import BatchAPI
from ..llm.chat import ChatRequest, ChatResult
from ..llm.client import LLM
from ..llm.steps import Driven
from ..text.articles import Article
from .jobs import Job, Runner, fingerprint, group_by_input

__all__ = ["MAX_LINES", "require_batch_api", "run_openai_batch"]

MAX_LINES = 50_000  # the Batch API's limit on requests per file
_TERMINAL = {"completed", "failed", "expired", "cancelled"}


@dataclass
class _Live:
    job: Job
    article: Article
    fp: str
    driven: Driven[Any]


@dataclass
class _Answers:
    bodies: dict[str, dict[str, Any]]  # cache key -> chat completion, until its request is asked again
    errors: dict[str, str]  # cache key -> why the batch gave no answer
    fresh: set[str]  # keys answered by a batch in this run (so not reported as cached)


def run_openai_batch(
    runner: Runner, jobs: Sequence[Job], *, poll_seconds: float, sleep: Callable[[float], None] = time.sleep
) -> None:
    llm = runner.llm
    require_batch_api(llm)
    answers = _Answers({}, {}, set())
    for batch_id in runner.ledger.open_batches():  # paid for by an earlier run that was stopped
        runner.progress.note(f"collecting OpenAI batch {batch_id} submitted by an earlier run")
        _collect(runner, batch_id, answers, poll_seconds, sleep)
    live = _start(runner, jobs)
    while live:
        wanted = {BatchAPI(llm).key(r): r for item in live for r in item.driven.requests}
        _store(runner, wanted, answers)
        missing = {k: r for k, r in wanted.items() if k not in answers.errors and not llm.is_cached(r)}
        if missing:
            for batch_id in _submit(runner, list(missing.values())):
                _collect(runner, batch_id, answers, poll_seconds, sleep)
            _store(runner, wanted, answers)
        live = [item for item in live if _advance(runner, item, answers)]


def require_batch_api(llm: LLM) -> None:
    if not llm.capabilities.batch_api:
        raise UsageError(
            "--openai-batch needs the openai backend: set OPENAI_API_KEY (and OPENAI_BASE_URL if not OpenAI)"
        )
    if llm.cache is None or llm.settings.cache_mode is not CacheMode.READWRITE:
        raise UsageError("--openai-batch keeps the answers in the response cache: use --cache-mode readwrite")


def _start(runner: Runner, jobs: Sequence[Job]) -> list[_Live]:
    live = []
    for group in group_by_input(jobs):
        try:
            article = group[0].input.load()
        except Exception as exc:
            for job in group:
                runner.fail(job, exc)
            continue
        for job in group:
            fp = fingerprint(job, article, runner.llm, runner.prompts)
            if runner.done_before(job, fp):
                continue
            runner.ledger.start(job.id, input=job.input.label, fingerprint=fp)
            try:
                driven = Driven(runner.steps(job, article))
            except Exception as exc:
                runner.fail(job, exc, fp)
                continue
            if driven.done:  # a task that needs no model call
                runner.succeed(job, article, fp, driven.value)
            else:
                live.append(_Live(job, article, fp, driven))
    return live


def _submit(runner: Runner, requests: list[ChatRequest]) -> list[str]:
    api = BatchAPI(runner.llm)
    ids = []
    for start in range(0, len(requests), MAX_LINES):
        chunk = requests[start : start + MAX_LINES]
        lines = "".join(json.dumps(api.line(r), ensure_ascii=False) + "\n" for r in chunk)
        batch_id = api.submit(lines.encode("utf-8"))
        runner.ledger.submitted(batch_id, requests=len(chunk))  # before any wait: a rerun collects it
        runner.progress.note(
            f"submitted OpenAI batch {batch_id} ({len(chunk)} requests); stopping now is safe: rerun to collect it"
        )
        ids.append(batch_id)
    return ids


def _collect(
    runner: Runner, batch_id: str, answers: _Answers, poll_seconds: float, sleep: Callable[[float], None]
) -> None:
    api = BatchAPI(runner.llm)
    status, output_id, error_id = api.state(batch_id)
    while status not in _TERMINAL:
        runner.progress.note(f"OpenAI batch {batch_id} is {status}; looking again in {poll_seconds:g}s")
        sleep(poll_seconds)
        status, output_id, error_id = api.state(batch_id)
    for file_id in (output_id, error_id):
        for line in (api.file(file_id) if file_id else "").splitlines():
            if line.strip():
                _take(json.loads(line), answers)
    if status != "completed":
        runner.progress.note(f"OpenAI batch {batch_id} ended {status}; its unanswered requests are failed jobs")
    runner.ledger.collected(batch_id)


def _take(record: dict[str, Any], answers: _Answers) -> None:
    key = str(record.get("custom_id", ""))
    response = record.get("response") or {}
    body = response.get("body") or {}
    if response.get("status_code") == 200 and isinstance(body, dict):
        answers.bodies[key] = body
        return
    error = record.get("error") or (body.get("error") if isinstance(body, dict) else None) or {}
    message = error.get("message") if isinstance(error, dict) else str(error)
    answers.errors[key] = f"the Batch API answered HTTP {response.get('status_code', '?')}: {message or 'no detail'}"


def _store(runner: Runner, wanted: dict[str, ChatRequest], answers: _Answers) -> None:
    for key, request in wanted.items():
        body = answers.bodies.pop(key, None)
        if body is None:
            continue
        try:
            BatchAPI(runner.llm).store_answer(request, body)
            answers.fresh.add(key)
        except Exception as exc:  # a body that is not a chat completion
            answers.errors[key] = f"the Batch API returned an unreadable answer ({type(exc).__name__})"


def _advance(runner: Runner, item: _Live, answers: _Answers) -> bool:
    """Feed a job its answers; False when it is finished (done or failed)."""
    llm = runner.llm
    try:
        results: list[ChatResult] = []
        for request in item.driven.requests:
            key = BatchAPI(llm).key(request)
            if key in answers.errors:
                raise BackendError(answers.errors[key])
            if not llm.is_cached(request):  # never fall through to a synchronous, full-price call
                raise BackendError("the Batch API returned no answer for this request (see the batch's error file)")
            result = llm.complete(request)
            results.append(replace(result, cached=False) if key in answers.fresh else result)
        if item.driven.send(results):
            return True
        runner.succeed(item.job, item.article, item.fp, item.driven.value)
    except Exception as exc:
        runner.fail(item.job, exc, item.fp)
    return False

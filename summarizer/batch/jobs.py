"""What a batch job is, how a batch plans them, and the bookkeeping every driver shares.

A *job* is one article, one outlet, one task (``output/tasks.py``). ``plan`` makes the jobs; a
``Runner`` records each one's outcome (the ledger, the output file and page, the progress); the
drivers (``run.py`` on the async client, ``openai_batch.py`` on the Batch API, ``dry_run.py``
with stand-in answers) all work through it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import SummarizerError
from ..llm.client import LLM
from ..llm.steps import Steps
from ..output.tasks import TaskName, TaskParams
from ..redact import redact
from ..tasks.prompts import prompts_version
from ..text.articles import Article
from .inputs import Input
from .ledger import Ledger
from .outlets import DEFAULT_OUTLET, Outlet
from .report import JobOutput, JobResult, render_page, write_atomic

__all__ = ["BatchOptions", "Job", "Progress", "Runner", "Silent", "fingerprint", "group_by_input", "plan"]


@dataclass(frozen=True)
class Job:
    input: Input
    outlet: Outlet
    task: TaskName
    params: TaskParams

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
    ninjs: bool = False  # also write each output as an IPTC ninjs item (output/ninjs.py)


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
    per_outlet = []
    for outlet in outlets:
        base = outlet.params()
        per_outlet.append((outlet, [(t, t.params(base)) for t in outlet.task_names(tasks)]))
    return [
        Job(input=i, outlet=outlet, task=task, params=params)
        for i in inputs
        for outlet, named in per_outlet
        for task, params in named
    ]


def fingerprint(job: Job, article: Article, llm: LLM, prompts: str = "") -> str:
    """What makes a finished job still valid: the text, the task, the outlet's settings, the model
    and how it samples, and the prompts (``prompts_version``: read once per batch, not per job)."""
    sampling = repr((llm.settings.temperature, llm.settings.seed))
    parts = [article.text, job.task.label, repr(sorted(job.params.to_json().items())), llm.backend, llm.endpoint, llm.model, sampling, prompts]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Finished:
    """A done job before it is recorded: its ``JobOutput`` and the (path, text) files it writes."""

    result: JobOutput
    files: tuple[tuple[Path, str], ...]


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
    ninjs: bool = False
    _done: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._done = self.ledger.done()

    def done_before(self, job: Job, fp: str) -> JobResult | None:
        if self._done.get(job.id) != fp:
            return None
        row = self.ledger.get(job.id)
        if row is None or row.status != "done":
            return None
        done = JobOutput.from_json(row.result)
        if not (self.out / done.output).is_file():
            return None  # the output was removed: do it again (from the cache, at no cost)
        return self._record(result_of(job, "done", result=done, resumed=True))

    def succeed(self, job: Job, article: Article, fp: str, value: Any) -> JobResult:
        done = self.finished(job, article, value)
        for path, text in done.files:
            write_atomic(path, text)
        return self.record_done(job, fp, done)

    def finished(self, job: Job, article: Article, value: Any, *, seconds: float | None = None) -> Finished:
        """A finished job's output and page, rendered: ``files`` to write, then ``record_done``."""
        spec = job.task.spec
        output, checks, made = spec.written(value, job.params), spec.checks(value), spec.made(value)
        relative = f"{job.outlet.name}/{job.stem()}{output.suffix}"
        page, html = render_page(outlet=job.outlet.name, stem=job.stem(), task=job.task.label, article=article,
                                 output=output, checks=checks, model=made.model)  # fmt: skip
        result = JobOutput(
            relative, made, tuple(checks), page=page, header=article.meta.header_line, fallback=output.fallback,
            params=job.params.to_json(), source=job.input.source, seconds=seconds,
        )  # fmt: skip
        files = ((self.out / relative, output.content), (self.out / page, html))
        if self.ninjs:  # what was written, as the CMS takes it: a fallback lead says it is one
            from ..output.ninjs import ninjs_item

            item = ninjs_item(spec, value, text=output.content.strip(), fallback=output.fallback)
            files += ((self.out / f"{job.outlet.name}/{job.stem()}.ninjs.json", json.dumps(item, indent=2,
                      ensure_ascii=False) + "\n"),)  # fmt: skip
        return Finished(result, files)

    def record_done(self, job: Job, fp: str, done: Finished) -> JobResult:
        """The ledger's word that ``job`` is done: only once its files are written."""
        self.ledger.finish(job.id, input=job.input.label, fingerprint=fp, result=done.result.to_json())
        return self._record(result_of(job, "done", result=done.result))

    def fail(self, job: Job, error: BaseException, fp: str = "") -> JobResult:
        message = _message(error, self.llm)
        self.ledger.finish(job.id, input=job.input.label, fingerprint=fp, error=message)
        return self._record(result_of(job, "failed", error=message))

    def _record(self, result: JobResult) -> JobResult:
        self.results.append(result)
        self.progress.advance(result)
        return result

    def steps(self, job: Job, article: Article) -> Steps[Any]:
        return job.task.spec.steps(article, self.llm, job.params)


def result_of(job: Job, status: str, **fields: Any) -> JobResult:
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

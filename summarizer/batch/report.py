"""A batch's outputs for people: ``report.json``, ``index.html`` and a side-by-side page per job.

``report.json`` (pydantic models below: its shape is declared here) lists every job with its
status, error, tokens, whether the answer came from the cache, its check results and cost, and
totals. ``index.html`` is the editors' view: one table per outlet, a row per article, a cell per
task with its failed checks, linking to ``pages/<outlet>/<article>.<task>.html``, which shows
the source beside the output with the failed checks highlighted.

The HTML comes from Jinja templates in ``summarizer/templates`` with autoescaping on: article
text, model output and error messages are all someone else's text and may contain markup.
Every file is written atomically (a temporary file, then ``os.replace``), so a batch killed
mid-write leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from ..checks.marks import marked
from ..checks.out import CheckOut
from ..checks.verdict import Check, failed, verdict_line
from ..errors import UsageError
from ..llm.chat import Made
from ..output.tasks import Written
from ..render import render_html
from ..text.articles import Article
from .pricing import load_pricing

if TYPE_CHECKING:
    from ..llm.client import LLM

__all__ = [
    "ItemOut",
    "JobOutput",
    "JobResult",
    "ReportOut",
    "TotalsOut",
    "render_page",
    "write_atomic",
    "write_report",
    "write_report_files",
]


@dataclass(frozen=True)
class JobOutput:
    """What a done job produced, as the ledger keeps it and the report and the desk read it back
    (``to_json`` is that one shape: a resumed batch reports it unchanged)."""

    output: str  # the output file, relative to the batch's folder
    made: Made
    checks: tuple[Check, ...]
    page: str | None = None
    header: str | None = None  # the article's place, date and agency (ArticleMeta.header_line)
    fallback: str | None = None  # "lead": the output is the article's lead, the model's text failed
    params: dict[str, Any] | None = None  # the parameters it ran with (``TaskParams.to_json``)
    source: str | None = None  # the input file as an absolute path (``file.jsonl:LINE`` for JSONL)
    # Seconds the job had a request in flight (not its wait for a free slot), as measured when its
    # answers were made: a resumed job keeps the figure, so ``eval`` reruns report it unchanged.
    seconds: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "output": self.output,
            **self.made.to_json(),
            "checks": [CheckOut.of(c).model_dump(mode="json", exclude_defaults=True) for c in self.checks],
            "page": self.page,
            "header": self.header,
            "fallback": self.fallback,
            "params": self.params,
            "source": self.source,
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobOutput:
        return cls(
            output=str(data.get("output", "")),
            made=Made.from_json(data),
            checks=tuple(CheckOut.model_validate(c).value() for c in data.get("checks", [])),
            page=data.get("page"),
            header=data.get("header"),  # None in a ledger written before headers were kept
            fallback=data.get("fallback"),
            params=data.get("params"),
            source=data.get("source"),
            seconds=data.get("seconds"),  # None in a ledger written before jobs were timed
        )


@dataclass(frozen=True)
class JobResult:
    """One job's outcome; ``result`` is set for a done job."""

    job: str
    outlet: str
    article: str
    input: str
    task: str
    status: str  # done | failed | pending (never reached: the batch was interrupted)
    error: str = ""
    resumed: bool = False  # done by an earlier run of this batch
    result: JobOutput | None = None

    @property
    def cached(self) -> bool:
        return self.result is not None and self.result.made.cached

    @property
    def failed_checks(self) -> list[str]:
        return [c.name for c in failed(self.result.checks)] if self.result is not None else []

    def adding(self, check: Check) -> JobResult:
        """This result with ``check`` among its checks (replacing one of its name): the checks a
        batch makes across its jobs, after them (consistency, the judge's review)."""
        assert self.result is not None
        checks = tuple(c for c in self.result.checks if c.name != check.name) + (check,)
        return replace(self, result=replace(self.result, checks=checks))


class ItemOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    job: str
    outlet: str
    article: str
    input: str
    task: str
    status: str
    error: str
    resumed: bool
    output: str | None
    page: str | None
    header: str | None = None  # place, date, agency of the article
    model: str | None
    backend: str | None = None
    prompt_tokens: int
    completion_tokens: int
    cached: bool
    calls: int
    parts: int = 1
    checks: list[CheckOut]
    failed_checks: list[str]
    estimated_cost_usd: float | None
    fallback: str | None = None  # "lead": the file holds the article's own lead, not the model's text
    params: dict[str, Any] | None = None  # what the job ran with, so the desk reopens it exactly
    source: str | None = None  # the input, absolute (``file.jsonl:LINE`` for a JSONL line)
    seconds: float | None = None  # with a request in flight; None from the Batch API


class TotalsOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    jobs: int
    done: int
    failed: int
    pending: int
    resumed: int
    cached: int
    with_failed_checks: int
    prompt_tokens: int
    completion_tokens: int
    estimated_cost_usd: float | None
    cost_note: str
    seconds: float
    rate_limit_wait_seconds: float


class ReportOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    generated_at: str
    backend: str
    model: str
    endpoint: str
    batch_api: bool
    totals: TotalsOut
    failed_inputs: list[str]
    items: list[ItemOut]


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all; a file system that refuses is a ``UsageError``
    naming the file (a full disk, a read-only folder), which fails one job, not the batch."""
    # The temporary name is fixed per process (not mkstemp's random one): the ledger's lock means
    # no other batch writes here, no two jobs write one path, and a leftover from a killed run is
    # swept at the next start.
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = text.encode("utf-8")
    try:
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def render_page(
    *, outlet: str, stem: str, task: str, article: Article, output: Written, checks: Sequence[Check], model: str
) -> tuple[str, str]:
    """(path relative to the batch folder, HTML) of one job's side-by-side page."""
    html = render_html(
        "page.html.j2",
        outlet=outlet,
        task=task,
        article=article,
        content=output.content,
        checks=checks,
        verdict=verdict_line(checks),
        model=model,
        fallback=output.fallback,
        note=output.note,
        # the judged text with its failing spans marked (spans are offsets into that text)
        marked=marked(output.judged if output.judged is not None else output.content, checks),
        judged_differs=output.judged is not None,
    )
    return f"pages/{outlet}/{stem}.html", html


_NOT_DONE: dict[str, Any] = {"output": None, "page": None, "model": None, "prompt_tokens": 0, "completion_tokens": 0,
                             "cached": False, "calls": 0, "checks": []}  # fmt: skip


def build_report(
    results: Sequence[JobResult], *, llm: LLM, seconds: float, waited: float, pricing: Path | None, batch_api: bool
) -> ReportOut:
    table = load_pricing(pricing)
    items = []
    for r in results:
        res = r.result
        cost = (
            0.0
            if res is None or res.made.cached or r.status != "done"
            else table.cost(res.made.model, res.made.usage, priced=llm.capabilities.priced, batch_api=batch_api)
        )
        identity = {"job": r.job, "outlet": r.outlet, "article": r.article, "input": r.input, "task": r.task,
                    "status": r.status, "error": r.error, "resumed": r.resumed}  # fmt: skip
        # The ledger's own shape of a done job is the report's: one dict, no copy field by field.
        done = res.to_json() if res is not None else _NOT_DONE
        items.append(
            ItemOut.model_validate({**identity, **done, "failed_checks": r.failed_checks, "estimated_cost_usd": cost})
        )
    costs = [i.estimated_cost_usd for i in items]
    unknown = any(c is None for c in costs)
    totals = TotalsOut(
        jobs=len(items),
        done=sum(i.status == "done" for i in items),
        failed=sum(i.status == "failed" for i in items),
        pending=sum(i.status == "pending" for i in items),
        resumed=sum(i.resumed for i in items),
        cached=sum(i.cached for i in items if i.status == "done"),
        with_failed_checks=sum(bool(i.failed_checks) for i in items),
        prompt_tokens=sum(i.prompt_tokens for i in items),
        completion_tokens=sum(i.completion_tokens for i in items),
        estimated_cost_usd=None if unknown else round(sum(c or 0.0 for c in costs), 6),
        cost_note=f"{llm.model} is not in the pricing table ({table.source})"
        if unknown
        else f"from {table.source} ({table.table.checked}); cached answers cost nothing"
        + ("; Batch API discount applied" if batch_api else ""),
        seconds=round(seconds, 3),
        rate_limit_wait_seconds=round(waited, 3),
    )
    failed_inputs = list(dict.fromkeys(i.input for i in items if i.status == "failed"))
    return ReportOut(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        backend=llm.backend,
        model=llm.model,
        endpoint=llm.endpoint,
        batch_api=batch_api,
        totals=totals,
        failed_inputs=failed_inputs,
        items=items,
    )


def write_report(out: Path, results: Sequence[JobResult], **options: Any) -> ReportOut:
    report = build_report(results, **options)
    write_report_files(out, report)
    return report


def write_report_files(out: Path, report: ReportOut) -> None:
    """``report.json`` and the editors' ``index.html`` of ``report`` in ``out``."""
    write_atomic(out / "report.json", report.model_dump_json(indent=2) + "\n")
    by_outlet: dict[str, dict[str, dict[str, ItemOut]]] = defaultdict(lambda: defaultdict(dict))
    tasks: dict[str, list[str]] = defaultdict(list)
    for item in report.items:
        by_outlet[item.outlet][item.article][item.task] = item
        if item.task not in tasks[item.outlet]:
            tasks[item.outlet].append(item.task)
    # A name spelt two ways across an outlet's translations: one line per name, under the outlet.
    spelt: dict[str, dict[str, None]] = defaultdict(dict)
    for item in report.items:
        for check in item.checks:
            if check.name == "consistency":
                spelt[item.outlet].update(dict.fromkeys(f.message for f in check.findings))
    html = render_html("index.html.j2", report=report, outlets=by_outlet, tasks=tasks, spelt=spelt)
    write_atomic(out / "index.html", html)

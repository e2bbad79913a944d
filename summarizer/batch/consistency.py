"""One name, one spelling across a batch: the ``consistency`` check over each outlet's translations.

Run once the jobs are done, before the report is written: the translations of one outlet into one
language are compared with each other (``checks.consistency``), and a translation that spells a
source name another way than the outlet's other translations (or than itself elsewhere) gets a
``consistency`` check in its ``report.json`` entry; the index page lists them under the outlet.
Jobs done by an earlier run take part as well: the texts are read back from the inputs and the
written outputs, not kept in memory, so a resumed batch reports what a whole one does. Not kept
in the ledger: it is a property of the batch, recomputed with every report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from ..checks.consistency import Document, consistency
from ..checks.out import CheckOut
from ..checks.verdict import Check
from ..text.articles import Article, load_article, parse_article
from .jobs import Job
from .report import ItemOut, JobResult

__all__ = ["items_with_consistency", "with_consistency"]


def with_consistency(jobs: Sequence[Job], results: Sequence[JobResult], out: Path) -> list[JobResult]:
    """``results`` with a ``consistency`` check added to each done translation that has a finding."""
    by_id = {job.id: job for job in jobs}
    groups: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for r in results:
        job = by_id.get(r.job)
        if job is None or r.result is None or r.status != "done" or job.task.spec.name != "translate":
            continue
        document = _document(job, out / r.result.output)
        if document is not None:
            groups[(r.outlet, document.target_lang)].append(document)
    checks = _dismissed(_checks(groups), by_id, groups)
    return [r.adding(checks[r.job]) if r.job in checks else r for r in results]


def _dismissed(checks: dict[str, Check], jobs: dict[str, Job], groups: dict[tuple[str, str], list[Document]]
               ) -> dict[str, Check]:  # fmt: skip
    """What the editors dismissed in the house memory is ``info`` here too (``memory/dismissals``)."""
    from ..memory.dismissals import dismissed

    documents = {d.id: d for group in groups.values() for d in group}
    out = {}
    for job_id, check in checks.items():
        job, doc = jobs[job_id], documents[job_id]
        memory, outlet = job.params.memory, job.outlet.name
        out[job_id] = check if memory is None else dismissed(
            (check,), memory, document=doc.id, source_lang=doc.source_lang, target_lang=doc.target_lang,
            outlet="" if outlet == "default" else outlet)[0]  # fmt: skip
    return out


def items_with_consistency(items: Sequence[ItemOut], out: Path) -> list[ItemOut]:
    """A merged report's items (``merge-reports``) with the check made anew across all the shards:
    each shard compared only its own translations. ``output`` is relative to ``out``."""
    groups: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for item in items:
        if item.status != "done" or not item.output or not item.source or not item.task.startswith("translate"):
            continue
        lang = str((item.params or {}).get("lang") or item.task.partition(":")[2])
        try:
            article = _recorded(item.source)
            translation = (out / item.output).read_text(encoding="utf-8")
        except Exception:  # an input gone since its job ran: that job is left out, the rest compared
            continue
        groups[(item.outlet, lang)].append(
            Document(item.job, _source_text(article), translation, article.language, lang)
        )
    checks = _checks(groups)
    merged = []
    for item in items:
        kept = [c for c in item.checks if c.name != "consistency"]
        if item.job in checks:
            kept.append(CheckOut.of(checks[item.job]))
        merged.append(item.model_copy(update={"checks": kept}) if kept != item.checks else item)
    return merged


def _checks(groups: dict[tuple[str, str], list[Document]]) -> dict[str, Check]:
    """The ``consistency`` checks with a finding, by document id, per (outlet, language) group."""
    checks: dict[str, Check] = {}
    for documents in groups.values():
        checks.update({k: c for k, c in consistency(documents).items() if c.findings})
    return checks


def _recorded(source: str) -> Article:
    """The input a job recorded (``Input.source``): a file, or ``file.jsonl:LINE``."""
    path, _, line = source.rpartition(":")
    if line.isdigit() and path.endswith(".jsonl"):
        with open(path, encoding="utf-8") as handle:
            for number, text in enumerate(handle, 1):
                if number == int(line):
                    return parse_article(str(json.loads(text)["text"]).encode("utf-8"), name=source, path=source)
        raise FileNotFoundError(source)
    return load_article(source)


def _source_text(article: Article) -> str:
    from ..tasks.translate import source_text

    return source_text(article)


def _document(job: Job, output: Path) -> Document | None:
    try:
        article = job.input.load()
        translation = output.read_text(encoding="utf-8")
    except Exception:  # an input gone since its job ran: that job is left out, the rest compared
        return None
    return Document(job.id, job.task.spec.source(article), translation, article.language, job.params.lang or "")

"""``batch``: many articles, outlets and tasks; ``--dry-run`` counts, ``--openai-batch`` half-price."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from ..batch.dry_run import dry_run
from ..batch.inputs import find_inputs
from ..batch.jobs import BatchOptions, Job, plan
from ..batch.outlets import DEFAULT_OUTLET, Outlet, load_outlets
from ..batch.pricing import load_pricing
from ..batch.progress import for_terminal
from ..batch.run import run_batch
from ..batch.shard import merge_reports, parse_shard, select_shard
from ..config import Settings
from ..errors import SummarizerError
from ..llm.client import open_llm
from .common import PROG, names, settings


def batch_command(args: argparse.Namespace) -> int:
    tasks = tuple(t.strip() for t in args.tasks.split(",") if t.strip()) if args.tasks else None
    options = BatchOptions(
        out=Path(args.out),
        outlets=_with_fallback(load_outlets(Path(args.outlets)) if args.outlets else (DEFAULT_OUTLET,), args.fallback),
        tasks=tasks,
        concurrency=args.concurrency,
        rpm=args.rpm,
        tpm=args.tpm,
        openai_batch=args.openai_batch,
        poll_seconds=args.poll_seconds,
        pricing=Path(args.pricing) if args.pricing else None,
        ninjs=args.format == "ninjs",
    )
    config = settings(args)
    inputs = find_inputs(args.input, max_bytes=config.max_input_bytes, agencies=config.agencies)
    if args.shard:
        inputs = select_shard(inputs, *parse_shard(args.shard))
    jobs = plan(inputs, options.outlets, options.tasks)  # usage errors before any work
    jobs = _with_memory(jobs, args, config)
    if args.review and not args.dry_run:
        from .review import refuse_early

        refuse_early(args, config)
    with open_llm(config) as llm:
        if args.dry_run:
            pricing = load_pricing(options.pricing)
            estimate = dry_run(jobs, llm, pricing=pricing, batch_api=args.openai_batch)
            print(json.dumps(estimate.as_dict(), indent=2, ensure_ascii=False))
            cost = "unknown" if estimate.cost_usd is None else f"at most ${estimate.cost_usd:.4f}"
            print(
                f"{PROG}: dry run, nothing sent: {estimate.jobs} job(s), {estimate.requests} request(s)"
                f" ({estimate.cached_requests} already cached), {estimate.prompt_tokens} prompt tokens, at most"
                f" {estimate.max_completion_tokens} answer tokens; cost {cost} for {estimate.model} ({pricing.source})",
                file=sys.stderr,
            )
            if estimate.failed:
                raise SummarizerError(f"{len(estimate.failed)} input(s) would fail: {names(estimate.failed)}")
            return 0
        aimed = config.aimed_at(model=args.review_model, base_url=args.review_base_url)
        judge = open_llm(aimed) if args.review else None
        try:
            results = run_batch(jobs, llm, options, progress=for_terminal(), judge=judge)
        finally:
            if judge is not None:
                judge.close()
    done = [r for r in results if r.status == "done"]
    cached = sum(r.cached for r in done)
    earlier = sum(r.resumed for r in done)
    print(f"{len(results)} job(s): {len(done)} done ({cached} from the cache, {earlier} by an earlier run)")
    print(f"report: {options.out / 'report.json'}; for editors: {options.out / 'index.html'}")
    bad = {r.input: r.error or r.status for r in results if r.status != "done"}
    if bad:
        raise SummarizerError(f"{len(results) - len(done)} job(s) not done, from {len(bad)} input(s): {names(bad)}")
    return 0


def _with_memory(jobs: list[Job], args: argparse.Namespace, config: Settings) -> list[Job]:
    """Each translation with the house memory, and each job that reads a glossary with the house
    glossary where its outlet names none (``--no-memory``: as they are). A resumed batch keeps what
    an earlier run wrote: the memory is not part of a job's fingerprint."""
    from .memory import house, house_glossary_or

    memory = house(args, config)
    if memory is None:
        return jobs
    glossary = house_glossary_or(None, memory)
    return [replace(j, params=replace(j.params, memory=memory, glossary=j.params.glossary or glossary))
            if j.task.spec.uses_glossary else j for j in jobs]  # fmt: skip


def merge_reports_command(args: argparse.Namespace) -> int:
    report = merge_reports([Path(f) for f in args.folders], Path(args.out))
    totals = report.totals
    print(f"{totals.jobs} job(s) from {len(args.folders)} shard(s): {totals.done} done, {totals.failed} failed")
    print(f"report: {Path(args.out) / 'report.json'}; for editors: {Path(args.out) / 'index.html'}")
    return 0


def _with_fallback(outlets: tuple[Outlet, ...], fallback: str | None) -> tuple[Outlet, ...]:
    """``--fallback`` replaces every outlet's own (as ``--tasks`` replaces their tasks)."""
    return outlets if fallback is None else tuple(o.model_copy(update={"fallback": fallback}) for o in outlets)

"""``eval``: models compared on a corpus by the checks (``batch/evaluate.py``); a table, JSON or HTML."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..batch.evaluate import Candidate, as_json, estimate, evaluate, shipped_corpus, table_lines
from ..batch.inputs import find_inputs
from ..batch.progress import for_terminal
from ..config import Settings
from ..errors import SummarizerError, UsageError
from .common import PROG, settings, write


def eval_command(args: argparse.Namespace) -> int:
    tasks = tuple(t.strip() for t in args.tasks.split(",") if t.strip())
    if not tasks:
        raise UsageError("--tasks names no task; e.g. --tasks summary,translate:ru")
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    config = settings(args)
    candidates = _candidates(args.candidates, config)
    if args.corpus:
        corpus, inputs = args.corpus, find_inputs(args.corpus, max_bytes=config.max_input_bytes, agencies=config.agencies)
    else:
        folder, inputs = shipped_corpus()
        corpus = str(folder)
    if not inputs:
        raise UsageError(f"{corpus}: no articles found")
    inputs = inputs[: args.limit] if args.limit else inputs
    pricing = Path(args.pricing) if args.pricing else None
    if args.dry_run:
        for guess in estimate(inputs, tasks, candidates, pricing=pricing):
            cost = "unknown" if guess.cost_usd is None else f"at most ${guess.cost_usd:.4f}"
            print(f"{guess.model}: {guess.jobs} job(s), {guess.requests} request(s) ({guess.cached_requests} already"
                  f" cached), {guess.prompt_tokens} prompt tokens, at most {guess.max_completion_tokens} answer tokens;"
                  f" cost {cost}" + (f"; {len(guess.failed)} input(s) would fail" if guess.failed else ""))  # fmt: skip
        print(f"{PROG}: dry run, nothing sent", file=sys.stderr)
        return 0
    out = Path(args.out) if args.out else config.cache_dir / "eval"
    evaluation = evaluate(inputs, tasks, candidates, out=out, corpus=corpus, concurrency=args.concurrency,
                          pricing=pricing, progress=for_terminal)  # fmt: skip
    if args.html:
        write(args.html, evaluation.html().encode("utf-8"))
    if args.json:
        print(json.dumps(as_json(evaluation), indent=2, ensure_ascii=False))
    else:
        print(f"{len(inputs)} article(s) from {corpus}; best first per task; 'free': answered by the cache or an"
              f" earlier run, at no cost")  # fmt: skip
        print("\n".join(table_lines(evaluation)))
        print(f"costs at list prices from {evaluation.pricing}; seconds per article while a request was in flight")
    if evaluation.free:
        print(f"{PROG}: {evaluation.free} of {evaluation.jobs} job(s) were free (the cache, or an earlier run in"
              f" {out}): a rerun costs nothing", file=sys.stderr)  # fmt: skip
    failed = sum(len(s.errors) for s in evaluation.scores)
    if failed:
        raise SummarizerError(f"{failed} job(s) failed; their articles count as not passing (see the reports in {out})")
    return 0


def _candidates(given: list[tuple[str | None, str | None]], config: Settings) -> list[Candidate]:
    """Each ``--model``/``--base-url`` pair and ``--embedded``; none given: the configured model."""
    if not given:
        return [Candidate(config)]
    return [
        Candidate(config.embedded() if base_url == "embedded" else config.at_endpoint(model=model, base_url=base_url))
        for model, base_url in given
    ]

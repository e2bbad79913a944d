"""Scale past one machine: ``batch --shard K/N`` runs one Nth of the inputs; ``merge-reports``
joins the shards' reports into one.

Each machine runs the same command with its own ``K`` and its own ``--out`` (its own ledger, so
each shard resumes on its own). An input belongs to exactly one shard, chosen by a hash of its
id, not its position: adding files to the wire folder does not move the others between shards,
and nothing is done twice. No scheduler: cron, a CI matrix or ``parallel`` starts the shards.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, UsageError
from .consistency import items_with_consistency
from .inputs import Input
from .report import ItemOut, ReportOut, TotalsOut, write_report_files

__all__ = ["in_shard", "merge_reports", "parse_shard", "select_shard"]


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``: the second of four shards (numbered from 1)."""
    k, _, n = text.partition("/")
    try:
        shard, shards = int(k), int(n)
    except ValueError:
        raise UsageError(f"--shard {text!r}: write K/N, e.g. 1/4 for the first of four machines") from None
    if not 1 <= shard <= shards:
        raise UsageError(f"--shard {text!r}: K must be between 1 and N")
    return shard, shards


def in_shard(input_id: str, shard: int, shards: int) -> bool:
    digest = hashlib.sha256(input_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards == shard - 1


def select_shard(inputs: Sequence[Input], shard: int, shards: int) -> list[Input]:
    return [i for i in inputs if in_shard(i.id, shard, shards)]


def merge_reports(folders: Sequence[Path], out: Path) -> ReportOut:
    """One report (``report.json``, ``index.html``) in ``out`` for the shards' output folders.

    Output and page paths are rewritten relative to ``out``, so the merged index links into
    each shard's own pages. A job reported by two shards is an error: they overlapped.
    """
    reports = [(folder, _load(folder)) for folder in folders]
    if not reports:
        raise UsageError("merge-reports needs at least one batch output folder")
    out.mkdir(parents=True, exist_ok=True)
    items: list[ItemOut] = []
    seen: dict[str, Path] = {}
    for folder, report in reports:
        for item in report.items:
            if item.job in seen:
                raise UsageError(f"job {item.job} is in both {seen[item.job]} and {folder}: the shards overlap")
            seen[item.job] = folder
            items.append(
                item.model_copy(
                    update={"output": _moved(item.output, folder, out), "page": _moved(item.page, folder, out)}
                )
            )
    first = reports[0][1]
    # A name spelt two ways in two shards' translations: each shard compared only its own.
    items = items_with_consistency(items, out)
    merged = ReportOut(
        generated_at=max(r.generated_at for _, r in reports),
        backend=first.backend,
        model=first.model,
        endpoint=first.endpoint,
        batch_api=first.batch_api,
        totals=_totals([r.totals for _, r in reports]),
        failed_inputs=[i for _, r in reports for i in r.failed_inputs],
        items=items,
    )
    write_report_files(out, merged)
    return merged


def _load(folder: Path) -> ReportOut:
    path = folder / "report.json"
    try:
        return ReportOut.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; is {folder} a batch output folder?") from None
    except (OSError, ValidationError) as exc:
        raise InputError(f"{path}: not a batch report ({type(exc).__name__})") from None


def _moved(relative: str | None, folder: Path, out: Path) -> str | None:
    if relative is None:
        return None
    return Path(os.path.relpath(folder.resolve() / relative, out.resolve())).as_posix()


def _totals(parts: list[TotalsOut]) -> TotalsOut:
    summed = (
        "jobs",
        "done",
        "failed",
        "pending",
        "resumed",
        "cached",
        "with_failed_checks",
        "prompt_tokens",
        "completion_tokens",
    )
    costs = [t.estimated_cost_usd for t in parts]
    return TotalsOut(
        **{name: sum(getattr(t, name) for t in parts) for name in summed},
        estimated_cost_usd=None if any(c is None for c in costs) else round(sum(c or 0.0 for c in costs), 6),
        cost_note="; ".join(dict.fromkeys(t.cost_note for t in parts)),
        seconds=max(t.seconds for t in parts),  # the shards ran side by side
        rate_limit_wait_seconds=round(sum(t.rate_limit_wait_seconds for t in parts), 3),
    )

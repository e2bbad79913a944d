"""What every command shares: settings from the flags, the embedded-model notice, check reports."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..checks.verdict import Check, failed, warned
from ..config import Settings
from ..errors import QualityCheckFailed, UsageError
from ..text.articles import Article, load_article
from .arguments import PROG

if TYPE_CHECKING:
    from ..llm.client import LLM

__all__ = ["PROG", "embedded_notice", "names", "open_out", "read_article", "report_checks", "settings", "write"]


def settings(args: argparse.Namespace) -> Settings:
    return Settings.resolve(
        backend=getattr(args, "backend", None),
        model=getattr(args, "model", None),
        cache_mode=getattr(args, "cache_mode", None),
        timeout=getattr(args, "timeout", None),
    )


def read_article(source: str | Path, config: Settings) -> Article:
    """The article at ``source`` (or ``-``), under the size limit and with the agencies ``config`` names."""
    return load_article(source, max_bytes=config.max_input_bytes, agencies=config.agencies)


def embedded_notice(llm: LLM, args: argparse.Namespace, why: str) -> None:
    # On a terminal only: a script reading our output needs no reminder, and --json none at all.
    if llm.capabilities.tiny and sys.stderr.isatty() and not args.json:
        print(f"{PROG}: using the embedded {llm.model} ({why}; set OPENAI_BASE_URL for real quality)", file=sys.stderr)


def report_checks(checks: Sequence[Check], *, strict: bool) -> int:
    """Failed checks and checks with warnings on stderr; under ``--strict`` only an error exits 3."""
    bad = failed(list(checks))
    for check in bad:
        # "failed" is an error-level finding; "warning" is kept for what only asks for a look
        print(f"{PROG}: check '{check.name}' failed: {check.detail}", file=sys.stderr)
    for check in warned(checks):
        print(f"{PROG}: look before publishing: check '{check.name}': {check.detail}", file=sys.stderr)
    if bad and strict:
        raise QualityCheckFailed(f"{len(bad)} quality check(s) failed under --strict")
    return 0


def write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def names(reasons: dict[str, str], limit: int = 10) -> str:
    shown = "; ".join(
        reason if name in reason else f"{name} ({reason})" for name, reason in list(reasons.items())[:limit]
    )
    more = f"; and {len(reasons) - limit} more (see report.json)" if len(reasons) > limit else ""
    return shown + more


def open_out(path: str) -> Any:
    if path == "-":
        return open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)
    return open(path, "w", encoding="utf-8")

"""``check``: a translation (or, with ``--kind summary``, a summary) judged against its source,
with no model call."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..checks.verdict import Check, failed, verdict_line, warned
from ..errors import QualityCheckFailed
from ..output.tasks import check_text
from ..text.articles import detect_language
from ..text.glossary import load_glossary
from .common import PROG, read_article, settings


def check_command(args: argparse.Namespace) -> int:
    """The checks task (``output.tasks.check_text``) on two files: the desk and the API run the same."""
    config = settings(args)
    source = read_article(args.source, config)
    judged = read_article(args.translation, config)
    glossary = load_glossary(args.glossary) if args.glossary and args.kind == "translation" else None
    # A summary is too short for the article reader's verdict ("und"): its script decides.
    lang = args.lang or (detect_language(judged.text) if args.kind == "summary" else None)
    # A summary's length is the summariser's brief, not its truth: judged as "medium", the loosest.
    checks = check_text(args.kind, source, judged.text, lang=lang or "", length="medium", glossary=glossary)
    return report(
        checks,
        json_out=args.json,
        source=source.path,
        translation=judged.path,
        source_language=source.language,
        language=lang or "",
        glossary=glossary.path if glossary else None,
        kind=args.kind,
    )


def report(checks: Sequence[Check], *, json_out: bool, **fields: Any) -> int:
    """Every verdict (a line each, or ``--json``), a count on stderr, and exit 3 when one failed:
    an error-level finding. A check with warnings alone is printed as ``warn`` and exits 0."""
    bad = failed(checks)
    if json_out:
        from ..checks.out import CheckOut  # pydantic only for --json
        from ..output.shapes import CheckReportOut

        out = CheckReportOut(passed=not bad, checks=[CheckOut.of(c) for c in checks], **fields)
        print(out.model_dump_json(indent=2))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        for check in checks:
            state = "FAIL" if not check.passed else ("warn" if check.warnings else "ok  ")
            shown = f"{_COLOURS[state]}{state}\033[0m" if colour and state in _COLOURS else state
            print(f"{shown} {check.name}: {check.detail}")
    if bad or warned(checks):
        print(f"{PROG}: {verdict_line(checks)}", file=sys.stderr)
    return QualityCheckFailed.exit_code if bad else 0


_COLOURS = {"FAIL": "\033[31m", "warn": "\033[33m"}  # red, yellow

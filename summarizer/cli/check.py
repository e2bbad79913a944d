"""``check``: a translation (or, with ``--kind summary``, a summary) judged against its source,
with no model call."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ..checks.summary import check_summary
from ..checks.translation import check_translation
from ..checks.verdict import Check, failed
from ..errors import QualityCheckFailed, UsageError
from ..tasks.choices import TARGETS
from ..tasks.translate import source_text
from ..text.articles import detect_language
from ..text.glossary import load_glossary
from .common import PROG, read_article, settings


def check_command(args: argparse.Namespace) -> int:
    if args.kind == "summary":
        return _summary(args)
    if args.lang not in TARGETS:
        raise UsageError(f"check a translation with --to {' or '.join(TARGETS)}")
    config = settings(args)
    source = read_article(args.source, config)
    translation = read_article(args.translation, config)
    glossary = load_glossary(args.glossary) if args.glossary else None
    checks = check_translation(
        source_text(source),
        source_text(translation),
        source_lang=source.language,
        target_lang=args.lang,
        glossary=glossary,
    )
    return report(
        checks,
        json_out=args.json,
        source=source.path,
        translation=translation.path,
        source_language=source.language,
        language=args.lang,
        glossary=glossary.path if glossary else None,
    )


def _summary(args: argparse.Namespace) -> int:
    """``--kind summary``: is a summary faithful to its source?"""
    config = settings(args)
    source = read_article(args.source, config)
    summary = read_article(args.translation, config)
    # A summary is too short for the article reader's verdict ("und"): its script decides.
    lang = args.lang or detect_language(summary.text)
    source_lang = source.language if source.language in ("en", "ru", "kk") else detect_language(source.text)
    # Length is the summariser's brief, not the summary's truth: judged as "medium", the loosest.
    checks = check_summary(
        summary.text.strip(),
        lang=lang,
        finish_reason="stop",
        length="medium",
        source=source.text,
        source_lang=source_lang,
    )
    return report(
        checks,
        json_out=args.json,
        source=source.path,
        translation=summary.path,
        source_language=source_lang,
        language=lang,
        glossary=None,
        kind="summary",
    )


def report(checks: Sequence[Check], *, json_out: bool, **fields: Any) -> int:
    """Every verdict (a line each, or ``--json``), a count on stderr, and exit 3 when one failed."""
    bad = failed(checks)
    if json_out:
        from ..checks.out import CheckOut  # pydantic only for --json
        from ..output.shapes import CheckReportOut

        out = CheckReportOut(passed=not bad, checks=[CheckOut.of(c) for c in checks], **fields)
        print(out.model_dump_json(indent=2))
    else:
        for check in checks:
            print(f"{'ok  ' if check.passed else 'FAIL'} {check.name}: {check.detail}")
    if bad:
        print(f"{PROG}: {len(bad)} of {len(checks)} checks failed", file=sys.stderr)
        return QualityCheckFailed.exit_code
    return 0

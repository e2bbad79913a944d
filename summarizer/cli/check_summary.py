"""``check SOURCE SUMMARY --kind summary``: is a summary faithful to its source? No model call."""

from __future__ import annotations

import argparse
import sys

from ..checks.out import CheckOut
from ..checks.summary import check_summary
from ..checks.verdict import failed
from ..errors import QualityCheckFailed
from ..text.articles import detect_language, load_article
from .common import PROG
from .output import CheckReportOut


def check_summary_command(args: argparse.Namespace) -> int:
    source = load_article(args.source)
    summary = load_article(args.translation)
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
    bad = failed(list(checks))
    if args.json:
        report = CheckReportOut(
            passed=not bad,
            source=source.path,
            translation=summary.path,
            source_language=source_lang,
            language=lang,
            glossary=None,
            checks=[CheckOut.of(c) for c in checks],
            kind="summary",
        )
        print(report.model_dump_json(indent=2))
    else:
        for check in checks:
            print(f"{'ok  ' if check.passed else 'FAIL'} {check.name}: {check.detail}")
    if bad:
        print(f"{PROG}: {len(bad)} of {len(checks)} checks failed", file=sys.stderr)
        return QualityCheckFailed.exit_code
    return 0

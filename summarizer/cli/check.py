"""``check``: a translation judged against its source, with no model call."""

from __future__ import annotations

import argparse
import sys

from ..checks.translation import check_translation
from ..checks.verdict import failed
from ..errors import QualityCheckFailed, UsageError
from ..tasks.choices import TARGETS
from ..tasks.translate import source_text
from ..text.articles import load_article
from ..text.glossary import load_glossary
from .common import PROG


def check_command(args: argparse.Namespace) -> int:
    if args.kind == "summary":
        from .check_summary import check_summary_command

        return check_summary_command(args)
    if args.lang not in TARGETS:
        raise UsageError(f"check a translation with --to {' or '.join(TARGETS)}")
    source = load_article(args.source)
    translation = load_article(args.translation)
    glossary = load_glossary(args.glossary) if args.glossary else None
    checks = check_translation(
        source_text(source),
        source_text(translation),
        source_lang=source.language,
        target_lang=args.lang,
        glossary=glossary,
    )
    bad = failed(list(checks))
    if args.json:
        from ..checks.out import CheckOut  # pydantic only for --json
        from .output import CheckReportOut

        report = CheckReportOut(
            passed=not bad,
            source=source.path,
            translation=translation.path,
            source_language=source.language,
            language=args.lang,
            glossary=glossary.path if glossary else None,
            checks=[CheckOut.of(c) for c in checks],
        )
        print(report.model_dump_json(indent=2))
    else:
        for check in checks:
            print(f"{'ok  ' if check.passed else 'FAIL'} {check.name}: {check.detail}")
    if bad:
        print(f"{PROG}: {len(bad)} of {len(checks)} checks failed", file=sys.stderr)
        return QualityCheckFailed.exit_code
    return 0

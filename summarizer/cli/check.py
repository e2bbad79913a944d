"""``check``: a translation (or, with ``--kind summary``, a summary) judged against its source,
with no model call; several pairs at once (``SOURCE TRANSLATION ...`` or ``--pairs DIR``) are
judged each on its own and then together: a source name spelt two ways across them is a
``consistency`` finding on each place (``checks/consistency.py``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..checks.verdict import Check, failed, verdict_line, warned
from ..config import Settings
from ..errors import QualityCheckFailed, UsageError
from ..output.tasks import check_text
from ..tasks.choices import TARGETS
from ..text.articles import Article, article_files, detect_language
from ..text.glossary import Glossary, load_glossary
from .common import PROG, read_article, settings


@dataclass(frozen=True)
class _Pair:
    source: Article
    judged: Article
    lang: str
    checks: tuple[Check, ...]

    def plus(self, *checks: Check) -> _Pair:
        return replace(self, checks=(*self.checks, *checks))

    def fields(self, glossary: Glossary | None, kind: str) -> dict[str, Any]:
        return {"source": self.source.path, "translation": self.judged.path, "source_language": self.source.language,
                "language": self.lang, "glossary": glossary.path if glossary else None, "kind": kind}  # fmt: skip


def check_command(args: argparse.Namespace) -> int:
    """The checks task (``output.tasks.check_text``) on each pair: the desk and the API run the same."""
    config = settings(args)
    if args.review:
        from .review import refuse_early

        refuse_early(args, config)
    glossary = load_glossary(args.glossary) if args.glossary and args.kind == "translation" else None
    memory = None
    if args.kind == "translation":  # the house glossary where none is given; the editors' dismissals
        from .memory import house, house_glossary_or

        memory = house(args, config)
        glossary = house_glossary_or(glossary, memory)
    pairs = [_judge(s, t, args, config, glossary) for s, t in _pairs(args)]
    if args.kind == "translation":
        pairs = _with_consistency(pairs)
    if memory is not None:
        from ..memory.dismissals import dismissed

        pairs = [replace(p, checks=dismissed(p.checks, memory, document=p.source.id, source_lang=p.source.language,
                                             target_lang=p.lang)) for p in pairs]  # fmt: skip
    if args.review:
        from .review import review_pairs  # the judge's SDK and prompt only when asked for

        pairs = [p.plus(*review_pairs(args, config, p.source, p.judged.text, p.lang, args.kind)) for p in pairs]
    if len(pairs) == 1 and not args.pairs:
        (pair,) = pairs
        return report(pair.checks, json_out=args.json, **pair.fields(glossary, args.kind))
    return _report_many(pairs, json_out=args.json, glossary=glossary, kind=args.kind)


def _pairs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(source, translation) files: given on the command line, and those of ``--pairs DIR``."""
    given = [p for p in (args.source, args.translation, *args.more) if p is not None]
    if len(given) % 2:
        raise UsageError(f"give files in pairs, SOURCE TRANSLATION: {given[-1]} has no partner")
    pairs = list(zip(given[::2], given[1::2], strict=True))
    if args.pairs:
        pairs += _folder_pairs(Path(args.pairs))
    if not pairs:
        raise UsageError("give a SOURCE and its TRANSLATION, or --pairs DIR")
    return pairs


def _folder_pairs(folder: Path) -> list[tuple[str, str]]:
    """``--pairs DIR``: each ``NAME.LANG.EXT`` beside its source ``NAME.EXT`` (``a.txt``, ``a.ru.txt``)."""
    if not folder.is_dir():
        raise UsageError(f"--pairs {folder}: not a folder")
    files = {p.name: p for p in article_files(folder)}
    pairs = []
    for name, path in files.items():
        stem, lang, ext = _split(name)
        if lang and f"{stem}{ext}" in files:
            pairs.append((str(files[f"{stem}{ext}"]), str(path)))
    if not pairs:
        raise UsageError(f"--pairs {folder}: no NAME.LANG.txt beside its NAME.txt (e.g. a.txt and a.ru.txt)")
    return pairs


def _split(name: str) -> tuple[str, str, str]:
    """``a.ru.txt`` -> (``a``, ``ru``, ``.txt``); no language part -> (name, "", "")."""
    parts = name.rsplit(".", 2)
    if len(parts) == 3 and parts[1] in (*TARGETS, "en"):
        return parts[0], parts[1], "." + parts[2]
    return name, "", ""


def _judge(source_path: str, judged_path: str, args: argparse.Namespace, config: Settings,
           glossary: Glossary | None) -> _Pair:  # fmt: skip
    source = read_article(source_path, config)
    judged = read_article(judged_path, config)
    # A translation's language: --to, else its file name (a.ru.txt); a summary's: its script, as it
    # is too short for the article reader's verdict ("und").
    named = _split(Path(judged_path).name)[1]
    lang = args.lang or named or (detect_language(judged.text) if args.kind == "summary" else "")
    # A summary's length is the summariser's brief, not its truth: judged as "medium", the loosest.
    checks = check_text(args.kind, source, judged.text, lang=lang, length="medium", glossary=glossary)
    return _Pair(source, judged, lang, tuple(checks))


def _with_consistency(pairs: list[_Pair]) -> list[_Pair]:
    from ..checks.consistency import Document, consistency
    from ..tasks.translate import source_text

    documents = [
        Document(p.judged.path or str(i), source_text(p.source), p.judged.text.strip(), p.source.language, p.lang)
        for i, p in enumerate(pairs)
    ]
    verdicts = consistency(documents)
    return [p.plus(verdicts[d.id]) for p, d in zip(pairs, documents, strict=True)]


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
            print(f"{_mark(check, colour)} {check.name}: {check.detail}")
    if bad or warned(checks):
        print(f"{PROG}: {verdict_line(checks)}", file=sys.stderr)
    return QualityCheckFailed.exit_code if bad else 0


def _report_many(pairs: list[_Pair], *, json_out: bool, glossary: Glossary | None, kind: str) -> int:
    bad = [p for p in pairs if failed(p.checks)]
    if json_out:
        import json

        from ..checks.out import CheckOut
        from ..output.shapes import CheckReportOut

        shapes = [
            CheckReportOut(passed=not failed(p.checks), checks=[CheckOut.of(c) for c in p.checks],
                           **p.fields(glossary, kind)).model_dump(mode="json")
            for p in pairs
        ]  # fmt: skip
        print(json.dumps({"passed": not bad, "pairs": shapes}, indent=2, ensure_ascii=False))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        for p in pairs:
            print(f"== {p.source.path} -> {p.judged.path} ({p.lang})")
            for check in p.checks:
                print(f"{_mark(check, colour)} {check.name}: {check.detail}")
    if bad:
        print(f"{PROG}: {len(bad)} of {len(pairs)} pairs failed a check", file=sys.stderr)
        return QualityCheckFailed.exit_code
    return 0


_COLOURS = {"FAIL": "\033[31m", "warn": "\033[33m"}  # red, yellow


def _mark(check: Check, colour: bool = False) -> str:
    # A passed check with warnings (a name spelt two ways) is not shown as plainly "ok".
    state = "FAIL" if not check.passed else ("warn" if check.warnings else "ok  ")
    return f"{_COLOURS[state]}{state}\033[0m" if colour and state in _COLOURS else state

"""The tasks' commands (``summarise``, ``headline``, ``translate``, ``facts``): one article in, one answer out."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import QualityCheckFailed, UsageError
from ..llm.client import open_llm
from ..llm.steps import run
from ..output.tasks import TASKS, TaskParams
from ..text.glossary import load_glossary
from .common import PROG, embedded_notice, read_article, report_checks, settings

if TYPE_CHECKING:
    from .live import Live


def task_command(args: argparse.Namespace) -> int:
    """``summarise``, ``headline``, ``translate``: the task's steps on the sync client, then print."""
    spec = TASKS[args.task]
    config = settings(args)
    article = read_article(args.path, config)
    params = spec.read(lambda key: getattr(args, key, None))
    if spec.uses_glossary:  # translate: approved paragraphs, the house glossary, dismissals (--no-memory: none)
        from .memory import house, house_glossary_or

        memory = house(args, config)
        explicit = load_glossary(args.glossary) if args.glossary else None
        params = replace(params, glossary=house_glossary_or(explicit, memory), memory=memory)
    if args.review:
        from .review import refuse_early

        refuse_early(args, config)
    live = _live(spec.name, params, json_out=args.json or bool(args.format and args.format != "text"))
    with open_llm(config) as llm:
        embedded_notice(llm, args, "tiny: its Russian and Kazakh fail the checks" if spec.name == "translate" else "tiny")
        try:
            result = run(spec.steps(article, llm, params), llm, listener=live)
        except BaseException:
            if live is not None and live.shown:
                print()  # the error's line below the text that had come, not glued to it
            raise
    shown = args.format or ("json" if args.json else "text")
    if live is not None:
        live.finish(spec.text(result))
    elif shown == "ninjs":
        from ..output.ninjs import ninjs_item

        print(json.dumps(ninjs_item(spec, result), indent=2, ensure_ascii=False))
    else:
        print(spec.shape(result).model_dump_json(indent=2) if shown == "json" else spec.text(result))
    checks = tuple(spec.checks(result))
    if args.review:  # the judge's meaning review, beside the checks (facts/review.py)
        from .review import review_pairs

        kind = "translation" if spec.name == "translate" else "summary"
        judged = getattr(result, "cyrillic", result.text)  # what the checks judged: Kazakh before transliteration
        checks += review_pairs(args, config, article, judged, params.lang or "en", kind)
    return report_checks(checks, strict=args.strict)


def _live(task: str, params: TaskParams, *, json_out: bool) -> Live | None:
    """On a terminal, the text as it is generated (``cli/live.py``); a pipe, a file and ``--json``
    get exactly what they always got, printed at the end."""
    if json_out or task not in ("summary", "headline", "translate") or not sys.stdout.isatty():
        return None
    from ..text.translit import to_latin
    from .live import Live

    latin = task == "translate" and params.lang == "kk" and params.script == "latn"
    return Live(convert=to_latin if latin else None)


def facts_command(args: argparse.Namespace) -> int:
    from ..facts.extract import extract_facts  # the facts models cost 60 ms to build: facts only
    from ..facts.schema import FactsOut

    if args.schema:
        print(json.dumps(FactsOut.model_json_schema(), indent=2, ensure_ascii=False))
        return 0
    if args.path is None:
        raise UsageError("give an article file (or - for stdin), or --schema")
    from .memory import house, house_glossary_or

    config = settings(args)
    glossary = house_glossary_or(load_glossary(args.glossary) if args.glossary else None, house(args, config))
    article = read_article(args.path, config)
    with open_llm(config) as llm:
        facts = extract_facts(article, llm, lang=args.lang, keep_ungrounded=args.keep_ungrounded, glossary=glossary)
    out = facts.to_model()
    if args.format == "ninjs":
        from ..output.ninjs import ninjs_item
        from ..output.tasks import TASKS

        print(json.dumps(ninjs_item(TASKS["facts"], facts), indent=2, ensure_ascii=False))
    else:
        print(out.markdown() if args.format == "md" else out.model_dump_json(indent=2))
    if facts.dropped:
        # The same invented fact drafted in several parts of a long article is listed once.
        seen = Counter(str(d) for d in facts.dropped)
        shown = "; ".join(f"{what}{f' (x{n})' if n > 1 else ''}" for what, n in list(seen.items())[:5])
        more = f"; and {len(seen) - 5} more" if len(seen) > 5 else ""
        fate = "kept with null offsets" if args.keep_ungrounded else "left out (--keep-ungrounded shows them)"
        print(
            f"{PROG}: warning: {len(facts.dropped)} fact(s) not supported by the article, {fate}: {shown}{more}",
            file=sys.stderr,
        )
    if facts.suspiciously_empty:
        # Never silently empty: an article that names people or quotes someone has facts.
        found = facts.found
        names = ", ".join(found.names[:5]) if found else ""
        quoted = " and has quotations" if found and found.quotes else ""
        twice = " (asked twice)" if facts.reasked else ""
        print(f"{PROG}: warning: no facts from an article that names {names}{quoted}{twice}", file=sys.stderr)
        if args.strict:
            return QualityCheckFailed.exit_code
    return 0

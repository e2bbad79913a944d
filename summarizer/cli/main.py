"""The command line: parse arguments, call one library function, format, exit.

Exit codes: 0 success; 1 a runtime failure (endpoint, model, cache miss in replay mode);
2 bad usage or unreadable input; 3 a quality check failed under ``--strict``.
Errors are one line on stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..checks.summary import failed
from ..checks.translation import check_translation
from ..config import Backend, Settings
from ..digest.build import build_digest, quality_warnings, render_html, render_text
from ..digest.mail import SmtpTarget, build_message, send
from ..errors import QualityCheckFailed, SummarizerError, UsageError
from ..facts.extract import extract_facts
from ..facts.schema import FactsOut
from ..llm.cache import Cache
from ..llm.client import LLM, open_llm, redact
from ..tasks.summarise import summarise
from ..tasks.translate import source_text, translate
from ..text.articles import load_article
from ..text.glossary import load_glossary
from .arguments import PROG, build_parser
from .output import CheckOut, CheckReportOut, SummaryOut, TranslationOut

__all__ = ["main", "summarise_main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(_HANDLERS)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format=f"{PROG}: %(message)s",
        stream=sys.stderr,
    )
    if args.debug:
        # The SDK and httpx log every request at DEBUG; keep ours, not their headers.
        for noisy in ("openai", "httpx", "httpx2", "httpcore"):
            logging.getLogger(noisy).setLevel(logging.INFO)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except SummarizerError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"{PROG}: error: {redact(str(exc), os.environ.get('OPENAI_API_KEY'))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # `summarizer facts --schema | head`: the reader left; that is not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback by default
        if args.debug:
            traceback.print_exc()
        message = redact(f"{type(exc).__name__}: {exc}", os.environ.get("OPENAI_API_KEY"))
        print(f"{PROG}: internal error: {message} (run with --debug for details)", file=sys.stderr)
        return 1


def summarise_main() -> int:
    """The ``summarise`` console script: ``summarise FILE`` is ``summarizer summarise FILE``."""
    return main(["summarise", *sys.argv[1:]])


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.resolve(
        backend=getattr(args, "backend", None),
        model=getattr(args, "model", None),
        cache_mode=getattr(args, "cache_mode", None),
        timeout=getattr(args, "timeout", None),
    )


def _embedded_notice(llm: LLM, args: argparse.Namespace, why: str) -> None:
    # On a terminal only: a script reading our output needs no reminder, and --json none at all.
    if llm.backend == Backend.LOCAL.value and sys.stderr.isatty() and not args.json:
        print(f"{PROG}: using the embedded {llm.model} ({why}; set OPENAI_BASE_URL for real quality)", file=sys.stderr)


def _cmd_summarise(args: argparse.Namespace) -> int:
    settings = _settings(args)
    article = load_article(args.path)
    with open_llm(settings) as llm:
        _embedded_notice(llm, args, "tiny")
        summary = summarise(article, llm, lang=args.lang, length=args.length)
    if args.json:
        print(SummaryOut.of(summary).model_dump_json(indent=2))
    else:
        print(summary.text)
    return _report_checks(summary.checks, strict=args.strict)


def _cmd_digest(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with open_llm(settings) as llm:
        digest = build_digest(args.inputs, llm, lang=args.lang, title=args.title)
    for failure in digest.failures:
        print(f"{PROG}: warning: left out {failure.label}: {failure.reason}", file=sys.stderr)
    warnings = quality_warnings(digest)
    for line in warnings:
        print(f"{PROG}: warning: {line}", file=sys.stderr)
    if warnings and args.strict:
        raise QualityCheckFailed(f"{len(warnings)} quality check(s) failed under --strict; nothing written or sent")
    html, text = render_html(digest), render_text(digest)
    message = build_message(
        subject=digest.subject, text=text, html=html, sender=settings.mail_from, recipients=args.send_to
    )
    if args.html:
        _write(args.html, html.encode("utf-8"))
    if args.out:
        _write(args.out, message.as_bytes())
    if args.send_to:
        url = settings.smtp_url
        if not url:
            raise UsageError("--send-to needs SUMMARIZER_SMTP_URL, e.g. smtp://mail.example.org:587?starttls=true")
        send(message, SmtpTarget.from_url(url))
        print(f"{PROG}: sent to {', '.join(args.send_to)}", file=sys.stderr)
    if not (args.html or args.out or args.send_to):
        print(text, end="")
    return 0


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def _cmd_facts(args: argparse.Namespace) -> int:
    if args.schema:
        print(json.dumps(FactsOut.model_json_schema(), indent=2, ensure_ascii=False))
        return 0
    if args.path is None:
        raise UsageError("give an article file (or - for stdin), or --schema")
    glossary = load_glossary(args.glossary) if args.glossary else None
    settings = _settings(args)
    article = load_article(args.path)
    with open_llm(settings) as llm:
        facts = extract_facts(article, llm, lang=args.lang, keep_ungrounded=args.keep_ungrounded, glossary=glossary)
    out = facts.to_model()
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
    return 0


def _cmd_translate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    article = load_article(args.path)
    glossary = load_glossary(args.glossary) if args.glossary else None
    with open_llm(settings) as llm:
        _embedded_notice(llm, args, "tiny: its Russian and Kazakh fail the checks")
        result = translate(article, llm, lang=args.lang, script=args.script, glossary=glossary)
    if args.json:
        print(TranslationOut.of(result).model_dump_json(indent=2))
    else:
        print(result.text)
    return _report_checks(result.checks, strict=args.strict)


def _cmd_check(args: argparse.Namespace) -> int:
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


def _report_checks(checks: Sequence[Any], *, strict: bool) -> int:
    bad = failed(list(checks))
    for check in bad:
        print(f"{PROG}: warning: check '{check.name}' failed: {check.detail}", file=sys.stderr)
    if bad and strict:
        raise QualityCheckFailed(f"{len(bad)} quality check(s) failed under --strict")
    return 0


def _cmd_cache(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with Cache(settings.cache_path) as cache:
        if args.action == "stats":
            stats = cache.stats()
            data = {
                "path": str(stats.path),
                "entries": stats.entries,
                "bytes": stats.bytes,
                "by_provenance": stats.by_provenance,
                "by_model": stats.by_model,
                "prompt_tokens": stats.prompt_tokens,
                "completion_tokens": stats.completion_tokens,
            }
            if args.json:
                print(json.dumps(data, indent=2, ensure_ascii=False))
            else:
                for name, value in data.items():
                    print(f"{name}: {value}")
        elif args.action == "clear":
            print(f"removed {cache.clear()} cached response(s) from {cache.path}")
        elif args.action == "export":
            with _open_out(args.file) as out:
                count = cache.export_jsonl(out)
            print(f"exported {count} response(s)", file=sys.stderr)
        elif args.action == "import":
            try:
                with open(args.file, encoding="utf-8") as lines:
                    count = cache.import_jsonl(lines, source=args.file)
            except OSError as exc:
                raise SummarizerError(f"cannot read {args.file}: {exc.strerror}") from None
            print(f"imported {count} response(s) into {cache.path}", file=sys.stderr)
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from ..batch.dry_run import dry_run
    from ..batch.outlets import DEFAULT_OUTLET, load_outlets
    from ..batch.pricing import load_pricing
    from ..batch.progress import for_terminal
    from ..batch.run import BatchOptions, find_inputs, plan, run_batch

    tasks = tuple(t.strip() for t in args.tasks.split(",") if t.strip()) if args.tasks else None
    options = BatchOptions(
        out=Path(args.out),
        outlets=load_outlets(Path(args.outlets)) if args.outlets else (DEFAULT_OUTLET,),
        tasks=tasks,
        concurrency=args.concurrency,
        rpm=args.rpm,
        tpm=args.tpm,
        openai_batch=args.openai_batch,
        poll_seconds=args.poll_seconds,
        pricing=Path(args.pricing) if args.pricing else None,
    )
    jobs = plan(find_inputs(args.input), options.outlets, options.tasks)  # usage errors before any work
    with open_llm(_settings(args)) as llm:
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
                raise SummarizerError(f"{len(estimate.failed)} input(s) would fail: {_names(estimate.failed)}")
            return 0
        results = run_batch(jobs, llm, options, progress=for_terminal())
    done = [r for r in results if r.status == "done"]
    cached = sum(r.cached for r in done)
    earlier = sum(r.resumed for r in done)
    print(f"{len(results)} job(s): {len(done)} done ({cached} from the cache, {earlier} by an earlier run)")
    print(f"report: {options.out / 'report.json'}; for editors: {options.out / 'index.html'}")
    bad = {r.input: r.error or r.status for r in results if r.status != "done"}
    if bad:
        raise SummarizerError(f"{len(results) - len(done)} job(s) not done, from {len(bad)} input(s): {_names(bad)}")
    return 0


def _names(reasons: dict[str, str], limit: int = 10) -> str:
    shown = "; ".join(
        reason if name in reason else f"{name} ({reason})" for name, reason in list(reasons.items())[:limit]
    )
    more = f"; and {len(reasons) - limit} more (see report.json)" if len(reasons) > limit else ""
    return shown + more


def _open_out(path: str) -> Any:
    if path == "-":
        return open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)
    return open(path, "w", encoding="utf-8")


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "summarise": _cmd_summarise,
    "digest": _cmd_digest,
    "facts": _cmd_facts,
    "translate": _cmd_translate,
    "check": _cmd_check,
    "cache": _cmd_cache,
    "batch": _cmd_batch,
}

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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .articles import load_article
from .cache import Cache
from .client import open_llm, redact
from .config import Backend, CacheMode, Settings
from .digest import build_digest, quality_warnings, render_html, render_text
from .errors import QualityCheckFailed, SummarizerError, UsageError
from .mail import SmtpTarget, build_message, send
from .prompts import LANGUAGES, LENGTHS
from .quality import failed
from .schemas import SummaryOut
from .summarise import summarise

__all__ = ["main", "summarise_main"]

PROG = "summarizer"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
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


def _cmd_summarise(args: argparse.Namespace) -> int:
    settings = _settings(args)
    article = load_article(args.path)
    with open_llm(settings) as llm:
        if llm.backend == Backend.LOCAL.value and sys.stderr.isatty() and not args.json:
            print(
                f"{PROG}: using the embedded {llm.model} (tiny: set OPENAI_BASE_URL for real quality)",
                file=sys.stderr,
            )
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
    sender = os.environ.get("SUMMARIZER_FROM", "summarizer@localhost")
    message = build_message(subject=digest.subject, text=text, html=html, sender=sender, recipients=args.send_to)
    if args.html:
        _write(args.html, html.encode("utf-8"))
    if args.out:
        _write(args.out, message.as_bytes())
    if args.send_to:
        url = os.environ.get("SUMMARIZER_SMTP_URL")
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
    from .batch import BatchOptions, find_inputs, plan, run_batch
    from .outlets import DEFAULT_OUTLET, load_outlets
    from .pricing import dry_run, load_pricing
    from .progress import for_terminal

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
    cached = sum(bool(r.result.get("cached")) for r in done)
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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line and exit 2, like every other bad input
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks and retries")
    model = argparse.ArgumentParser(add_help=False)
    model.add_argument(
        "--backend",
        choices=[b.value for b in Backend],
        help="default: openai if OPENAI_API_KEY or OPENAI_BASE_URL is set, else local",
    )
    model.add_argument("--model", help="model name at the endpoint (default gpt-4o-mini; SUMMARIZER_MODEL)")
    model.add_argument(
        "--cache-mode", choices=[m.value for m in CacheMode], help="default readwrite (SUMMARIZER_CACHE_MODE)"
    )
    model.add_argument("--timeout", type=float, help="seconds per request (default 120; SUMMARIZER_TIMEOUT)")

    parser = _Parser(
        prog=PROG,
        description="Newsroom summaries, translations and facts from any OpenAI-compatible model, or the embedded one.",
        parents=[common],
    )
    parser.set_defaults(debug=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("summarise", aliases=["summarize"], parents=[common, model], help="summarise an article")
    p.add_argument("path", help="article file, or - for stdin")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the summary (default en)")
    p.add_argument("--length", choices=list(LENGTHS), default="short", help="default short")
    p.add_argument("--json", action="store_true", help="print the summary with its metadata as JSON")
    p.add_argument("--strict", action="store_true", help="exit 3 when a quality check fails")
    p.set_defaults(handler=_cmd_summarise)

    b = sub.add_parser("batch", parents=[common, model], help="many articles, many tasks, many outlets")
    b.add_argument("input", help="a folder of articles, a glob ('wire/*.txt'), or a JSONL file of {id, text}")
    b.add_argument("--out", required=True, help="output folder (also holds the job ledger: rerun to resume)")
    b.add_argument("--tasks", help="comma-separated, e.g. summary,summary:ru (default: each outlet's tasks)")
    b.add_argument("--outlets", help="TOML file of outlets (default: one English outlet named 'default')")
    b.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    b.add_argument("--rpm", type=int, help="requests per minute to stay under")
    b.add_argument("--tpm", type=int, help="tokens per minute to stay under (estimated before sending)")
    b.add_argument("--dry-run", action="store_true", help="count tokens and estimate the cost; send nothing")
    b.add_argument("--openai-batch", action="store_true", help="use OpenAI's Batch API (half price, within 24 h)")
    b.add_argument("--poll-seconds", type=float, default=30.0, help="--openai-batch: seconds between looks")
    b.add_argument("--pricing", help="pricing TOML (default SUMMARIZER_PRICING, else the built-in table)")
    b.set_defaults(handler=_cmd_batch)

    d = sub.add_parser("digest", parents=[common, model], help="build (and send) a digest email of many articles")
    d.add_argument("inputs", nargs="+", metavar="PATH", help="article files, directories or globs")
    d.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the digest (default en)")
    d.add_argument("--title", help="digest title (default: 'News digest' in the digest's language)")
    d.add_argument("--out", metavar="FILE.eml", help="write the email as an .eml file")
    d.add_argument("--html", metavar="FILE.html", help="write the HTML part to a file")
    d.add_argument("--send-to", nargs="+", default=[], metavar="ADDRESS", help="deliver via SUMMARIZER_SMTP_URL")
    d.add_argument("--strict", action="store_true", help="exit 3 (and send nothing) when a quality check fails")
    d.set_defaults(handler=_cmd_digest)

    c = sub.add_parser("cache", parents=[common], help="inspect or clear the response cache")
    c.add_argument("action", choices=["stats", "clear", "export", "import"])
    c.add_argument("file", nargs="?", default="-", help="JSONL file for export/import (default stdout)")
    c.add_argument("--json", action="store_true", help="stats as JSON")
    c.set_defaults(handler=_cmd_cache)
    return parser

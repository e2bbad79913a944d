"""``digest``: many articles, one email, written to files or sent over SMTP."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from ..digest.build import build_digest, quality_warnings, render_html, render_text
from ..digest.mail import SmtpTarget, build_message, send
from ..digest.window import parse_since
from ..errors import QualityCheckFailed, UsageError
from ..llm.client import open_llm
from .common import PROG, read_article, settings, write


def digest_command(args: argparse.Namespace) -> int:
    config = settings(args)
    with open_llm(config) as llm:
        read = partial(read_article, config=config)
        since = parse_since(args.since) if args.since else None
        digest = build_digest(
            args.inputs, llm, lang=args.lang, title=args.title, fallback=args.fallback, read=read, since=since
        )
    for failure in digest.failures:
        print(f"{PROG}: warning: left out {failure.label}: {failure.reason}", file=sys.stderr)
    warnings = quality_warnings(digest)
    for line in warnings:  # error-level failures: "warning" is the severity of what only asks for a look
        print(f"{PROG}: {line}", file=sys.stderr)
    if warnings and args.strict:
        raise QualityCheckFailed(f"{len(warnings)} quality check(s) failed under --strict; nothing written or sent")
    html, text = render_html(digest), render_text(digest)
    message = build_message(
        subject=digest.subject, text=text, html=html, sender=config.mail_from, recipients=args.send_to
    )
    if args.html:
        write(args.html, html.encode("utf-8"))
    if args.out:
        write(args.out, message.as_bytes())
    if args.send_to:
        url = config.smtp_url
        if not url:
            raise UsageError("--send-to needs SUMMARIZER_SMTP_URL, e.g. smtp://mail.example.org:587?starttls=true")
        send(message, SmtpTarget.from_url(url))
        print(f"{PROG}: sent to {', '.join(args.send_to)}", file=sys.stderr)
    if not (args.html or args.out or args.send_to):
        print(text, end="")
    return 0

"""``serve``: the editor's desk, a web page and a JSON API (the ``[serve]`` extra)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from .common import PROG, settings

if TYPE_CHECKING:
    from ..serve.publish import PublishTarget
    from ..wire.pull import FeedConfig

TOKEN_VARIABLE = "SUMMARIZER_SERVE_TOKEN"
PUBLISH_URL_VARIABLE = "SUMMARIZER_PUBLISH_URL"
PUBLISH_SECRET_VARIABLE = "SUMMARIZER_PUBLISH_SECRET"
_WEB_STACK = {"starlette", "uvicorn", "multipart", "python_multipart"}


def serve_command(args: argparse.Namespace) -> int:
    token = os.environ.get(TOKEN_VARIABLE) or None
    # Checked before anything is loaded: a desk reachable from other machines without a token
    # would hand the model (and its bill) to anyone on the network.
    from ..wire.fetch import is_loopback_host  # the one test of a loopback name

    if not is_loopback_host(args.host) and token is None:
        raise UsageError(
            f"--host {args.host} is reachable from other machines: set {TOKEN_VARIABLE} to a long random secret first"
        )
    for name, folder in (("--inbox", args.inbox), ("--reports", args.reports)):
        if folder is not None and not Path(folder).is_dir():
            raise UsageError(f"{name} {folder} is not a folder")
    if args.queue is not None and args.queue < 0:
        raise UsageError("--queue must be 0 or more")
    glossary = ""
    if args.glossary:
        from ..text.glossary import load_glossary

        load_glossary(args.glossary)  # a broken house glossary is a usage error now, not on every page
        glossary = Path(args.glossary).read_text(encoding="utf-8-sig")
    try:
        from ..serve.app import create_app, run
        from ..serve.security import HOSTS_VARIABLE, parse_hosts
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] in _WEB_STACK:
            raise UsageError("the desk needs its web stack: install summarizer[serve]") from None
        raise
    try:
        hosts = parse_hosts(os.environ.get(HOSTS_VARIABLE))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for name in args.allowed_host or []:  # the flag beside the variable: both are answered
        try:
            hosts |= parse_hosts(name)
        except ValueError:
            raise UsageError(f"--allowed-host {name!r} is not a host name, or name:port") from None
    feeds, every = _feeds(args)
    config = settings(args)
    from ..memory.store import HouseMemory

    HouseMemory(config.memory_path).close()  # a corrupt house memory: one line now, not a start-up traceback
    publish_to = _publish_target(args.publish_url or os.environ.get(PUBLISH_URL_VARIABLE) or None)
    app = create_app(
        config,
        token=token,
        inbox=Path(args.inbox) if args.inbox else None,
        reports=Path(args.reports) if args.reports else None,
        glossary_csv=glossary,
        **({"queue": args.queue} if args.queue is not None else {}),  # else the desk's default
        host=args.host,
        hosts=hosts,
        publish_to=publish_to,
        feeds=feeds,
        pull_every=every,
    )
    print(f"{PROG}: the desk is at http://{args.host}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr)
    run(app, host=args.host, port=args.port, secret=config.api_key, token=token, debug=args.debug)
    return 0


def _publish_target(url: str | None) -> PublishTarget | None:
    """Where approvals go, checked before the desk starts: a URL without its secret is exit 2."""
    if url is None:
        return None
    secret = os.environ.get(PUBLISH_SECRET_VARIABLE)
    if not secret:
        raise UsageError(f"publishing to a CMS needs {PUBLISH_SECRET_VARIABLE} (whsec_ and base64, as Standard "
                         "Webhooks says), the key the CMS verifies each request with")  # fmt: skip
    try:
        import standardwebhooks  # noqa: F401  (the signer, the [wire] extra)
    except ImportError:
        raise UsageError("publishing needs the wire extra: pip install 'summarizer[wire]'") from None
    from ..serve.publish import PublishTarget

    return PublishTarget(url, secret)


def _feeds(args: argparse.Namespace) -> tuple[list[FeedConfig], float]:
    """``--feeds`` read and checked before the desk starts, and ``--pull-every`` in seconds."""
    if not args.feeds:
        return [], 600.0
    if not args.inbox:
        raise UsageError("--feeds pulls into the inbox: give --inbox DIR too")
    from ..digest.window import parse_span
    from ..wire.pull import load_feeds

    span = parse_span(args.pull_every)
    if span is None or span.total_seconds() < 10:
        raise UsageError(f"--pull-every {args.pull_every!r}: give a span of at least 10 s, e.g. 10m or 1h")
    return load_feeds(Path(args.feeds)), span.total_seconds()

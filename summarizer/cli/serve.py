"""``serve``: the editor's desk, a web page and a JSON API (the ``[serve]`` extra)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from ..errors import UsageError
from .common import PROG, settings

TOKEN_VARIABLE = "SUMMARIZER_SERVE_TOKEN"
_WEB_STACK = {"starlette", "uvicorn", "multipart", "python_multipart"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(args: argparse.Namespace) -> int:
    token = os.environ.get(TOKEN_VARIABLE) or None
    # Checked before anything is loaded: a desk reachable from other machines without a token
    # would hand the model (and its bill) to anyone on the network.
    if not is_loopback(args.host) and token is None:
        raise UsageError(
            f"--host {args.host} is reachable from other machines: set {TOKEN_VARIABLE} to a long random secret first"
        )
    for name, folder in (("--inbox", args.inbox), ("--reports", args.reports)):
        if folder is not None and not Path(folder).is_dir():
            raise UsageError(f"{name} {folder} is not a folder")
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
    config = settings(args)
    app = create_app(
        config,
        token=token,
        inbox=Path(args.inbox) if args.inbox else None,
        reports=Path(args.reports) if args.reports else None,
        glossary_csv=glossary,
        host=args.host,
        hosts=hosts,
    )
    print(f"{PROG}: the desk is at http://{args.host}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr)
    run(app, host=args.host, port=args.port, secret=config.api_key, token=token, debug=args.debug)
    return 0

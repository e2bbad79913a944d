"""``pull FEEDS.toml --into DIR``: the wire's new items as article files in an inbox."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..wire.fetch import Fetcher
from ..wire.pull import load_feeds, pull
from .common import PROG


def pull_command(args: argparse.Namespace) -> int:
    feeds = load_feeds(Path(args.feeds))
    fetcher = Fetcher(timeout=args.feed_timeout, host_delay=args.host_delay)
    report = pull(feeds, Path(args.into), fetcher=fetcher, wait=args.wait)
    for result in report.feeds:
        # One line a feed on stderr; the files written on stdout, for a script to pick up.
        print(f"{PROG}: {result.line}", file=sys.stderr)
        for warning in result.warnings:
            print(f"{PROG}: warning: {result.name}: {warning}", file=sys.stderr)
    for name in report.written:
        print(Path(args.into) / name)
    return 1 if report.all_failed else 0

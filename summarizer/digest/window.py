"""``digest --since``: which articles fall in a time window, so a morning digest is one cron line.

An article's time is when ``pull`` wrote it (the ``pulled`` line of its wire header), else when
its feed says it was published, else, for a file that was never pulled, the file's modification
time. ``--since`` takes a span back from now (``90m``, ``24h``, ``7d``, ``2w``) or a moment in ISO
8601 (``2026-12-07T06:00``, UTC unless it names its offset).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

from ..errors import UsageError
from ..text.articles import Article
from ..text.provenance import parse_time

__all__ = ["article_time", "parse_since", "parse_span"]

_SPAN = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>s|m|min|h|d|w)", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_span(text: str) -> timedelta | None:
    """``90m``, ``24h``, ``7d``, ``2w`` as a timedelta; None when ``text`` is not a span."""
    span = _SPAN.fullmatch(text.strip())
    if span is None:
        return None
    return timedelta(**{_UNITS[span.group("unit").lower()]: float(span.group("n"))})


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """The window's start; :class:`UsageError` for anything but a span or an ISO time."""
    moment = now or datetime.now(UTC)
    span = parse_span(text)
    if span is not None:
        return moment - span
    start = parse_time(text.strip())
    if start is None:
        raise UsageError(f"--since {text!r}: give a span (90m, 24h, 7d, 2w) or an ISO time (2026-12-07T06:00)")
    return start


def article_time(article: Article) -> datetime | None:
    """When the article arrived (see the module's docstring), or None when nothing says."""
    wire = article.meta.wire
    if wire is not None:
        found = wire.when("pulled") or wire.when("published")
        if found is not None:
            return found
    if article.path:
        try:
            return datetime.fromtimestamp(os.stat(article.path).st_mtime, UTC)
        except OSError:
            return None
    return None

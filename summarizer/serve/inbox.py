"""The desk's inbox fills itself: ``serve --feeds FEEDS.toml --pull-every 10m``.

A background task runs ``wire.pull`` into ``--inbox`` (in a worker thread: fetching is blocking
I/O) at start and then every ``--pull-every``; the pull's own lock keeps it from running beside a
cron ``pull`` into the same folder. The start page lists the pulled items, newest first, with
their agency, published time and language read from each file's wire header (a few hundred bytes
a file: no article is parsed to draw the page), and marks *new* those the latest pull brought.
A failing feed is a warning in the desk's log; the desk goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text.articles import article_files
from ..text.provenance import parse_provenance
from ..wire.pull import FeedConfig, pull

__all__ = ["Wire", "WireItem", "pulling"]

log = logging.getLogger("summarizer.serve")
_HEADER_BYTES = 4096
_SHOWN = 30


@dataclass(frozen=True)
class WireItem:
    name: str  # the file in the inbox, as the start form's inbox picker lists it
    title: str
    agency: str | None
    published: str | None
    language: str | None
    pulled: str | None
    new: bool


@dataclass
class Wire:
    inbox: Path
    feeds: Sequence[FeedConfig]
    every: float  # seconds between pulls
    fresh: frozenset[str] = frozenset()  # files the latest pull wrote
    last: str = ""  # the latest pull's feed lines, for the page
    runs: int = 0
    _done: asyncio.Event = field(default_factory=asyncio.Event)

    def items(self, limit: int = _SHOWN) -> list[WireItem]:
        found = []
        for path in article_files(self.inbox) if self.inbox.is_dir() else []:
            try:
                with path.open("rb") as handle:
                    head = handle.read(_HEADER_BYTES).decode("utf-8", errors="replace")
            except OSError:
                continue
            header, _ = parse_provenance(head)
            if header is None:
                continue
            found.append(WireItem(path.name, header.title or path.name, header.agency, header.published,
                                  header.language, header.pulled, path.name in self.fresh))  # fmt: skip
        found.sort(key=lambda i: i.pulled or "", reverse=True)
        return found[:limit]

    async def run(self) -> None:
        while True:
            try:
                report = await asyncio.to_thread(pull, self.feeds, self.inbox, wait=self.every)
            except Exception as exc:  # the desk goes on; the next round tries again
                log.warning("pull into %s failed: %s", self.inbox, " ".join(str(exc).split()))
            else:
                self.fresh = frozenset(report.written)
                self.last = "; ".join(result.line for result in report.feeds)
                for result in report.feeds:
                    (log.warning if result.error else log.info)("pull: %s", result.line)
            self.runs += 1
            self._done.set()
            await asyncio.sleep(self.every)

    async def pulled_once(self, timeout: float = 30) -> None:
        """For whoever needs the first pull done (the tests)."""
        await asyncio.wait_for(self._done.wait(), timeout)


@contextlib.asynccontextmanager
async def pulling(app: Any, feeds: Sequence[FeedConfig], every: float, inbox: Path | None) -> AsyncIterator[None]:
    """While the desk runs: the background pull, and the start page's list of what it brought."""
    if not feeds or inbox is None:
        yield
        return
    wire = Wire(inbox, feeds, every)
    app.state.wire = wire
    app.state.templates.globals["wire"] = wire  # the start page's list (index.html.j2)
    task = asyncio.create_task(wire.run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

"""``pull``: every feed of a FEEDS.toml -> new article files in an inbox, each item once.

An item's file opens with the wire header (``text/provenance.py``) the article reader parses,
so every command reads a pulled item as it reads any article. An item is known by its GUID,
else its link, else a hash of its content; when a known item comes back with other content (a
correction), it is written again beside the first as ``NAME.v2.txt``, ``v3``... File names are
derived from the item's key, so a run that dies between writing a file and recording it writes
the same file again rather than a second one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, UsageError, WireError
from ..text.pages import read_page
from ..text.provenance import Provenance, format_provenance
from .feeds import parse_feed
from .items import FeedItem
from .fetch import Fetcher
from .state import PullState, inbox_lock

__all__ = ["FeedConfig", "FeedResult", "PullReport", "load_feeds", "pull"]


class FeedConfig(BaseModel):
    """One ``[[feed]]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
    url: str = Field(min_length=1)
    agency: str | None = None
    language: str | None = None
    # true: always fetch the linked page; false: never; absent: when the item is only a teaser
    full_text: bool | None = None
    timeout: float | None = Field(default=None, gt=0, le=600)  # seconds per request, for a slow feed
    attempts: int | None = Field(default=None, ge=1, le=10)  # tries on timeouts, 429 and 5xx


class _FeedsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    feed: list[FeedConfig] = Field(min_length=1)


def load_feeds(path: Path) -> list[FeedConfig]:
    """The feeds of a FEEDS.toml; :class:`UsageError` (one line) for a missing or malformed file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    try:
        feeds = _FeedsFile.model_validate(data).feed
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{path}: {where}: {first['msg']} (each [[feed]] needs name and url)") from None
    names = [f.name for f in feeds]
    if len(set(names)) != len(names):
        raise UsageError(f"{path}: two feeds share a name; each [[feed]] needs its own")
    base = path.parent
    # A relative path in the file is relative to the file, as a cron line expects.
    return [f if "://" in f.url or Path(f.url).is_absolute() else f.model_copy(update={"url": str(base / f.url)})
            for f in feeds]  # fmt: skip


@dataclass(frozen=True)
class FeedResult:
    name: str
    new: tuple[str, ...] = ()  # files written for items seen for the first time
    versions: tuple[str, ...] = ()  # files written for corrected items
    not_modified: bool = False  # the server answered 304
    warnings: tuple[str, ...] = ()
    error: str | None = None

    @property
    def line(self) -> str:
        if self.error:
            return f"{self.name}: failed: {self.error}"
        if self.not_modified:
            return f"{self.name}: not modified"
        return f"{self.name}: {len(self.new)} new, {len(self.versions)} corrected"


@dataclass(frozen=True)
class PullReport:
    feeds: tuple[FeedResult, ...]

    @property
    def all_failed(self) -> bool:
        return bool(self.feeds) and all(f.error for f in self.feeds)

    @property
    def written(self) -> list[str]:
        return [name for f in self.feeds for name in (*f.new, *f.versions)]


@dataclass
class _Run:
    inbox: Path
    state: PullState
    fetcher: Fetcher
    now: Callable[[], datetime]
    warnings: list[str] = field(default_factory=list)


def pull(
    feeds: Iterable[FeedConfig],
    inbox: Path,
    *,
    fetcher: Fetcher | None = None,
    wait: float = 300.0,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PullReport:
    """Pull every feed into ``inbox`` (created if missing). A failing feed is a result with
    ``error``; the others go on. ``wait``: seconds to wait for another run's lock."""
    try:
        inbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the inbox {inbox}: {exc.strerror}") from None
    fetcher = fetcher or Fetcher()
    with inbox_lock(inbox, wait=wait):
        state = PullState(inbox)
        try:
            return PullReport(tuple(_pull_feed(feed, _Run(inbox, state, fetcher, now)) for feed in feeds))
        finally:
            state.close()


def _pull_feed(feed: FeedConfig, run: _Run) -> FeedResult:
    if feed.timeout or feed.attempts:  # the feed's own limits; the per-host delays stay shared
        run.fetcher = dataclasses.replace(run.fetcher, timeout=feed.timeout or run.fetcher.timeout,
                                          attempts=feed.attempts or run.fetcher.attempts)  # fmt: skip
    etag, modified = run.state.validators(feed.url)
    try:
        got = run.fetcher.get(feed.url, etag=etag, modified=modified)
        if got.status == 304:
            return FeedResult(feed.name, not_modified=True)
        items = parse_feed(got.body, source=feed.url)
    except WireError as exc:
        return FeedResult(feed.name, error=str(exc))
    new: list[str] = []
    versions: list[str] = []
    for item in items:
        written = _take(feed, item, run)
        if written:
            (versions if written[1] > 1 else new).append(written[0])
    # Remembered only once the items are on disk: a run that dies midway fetches the feed again.
    run.state.remember_validators(feed.url, got.etag, got.modified)
    return FeedResult(feed.name, tuple(new), tuple(versions), warnings=tuple(run.warnings))


def _take(feed: FeedConfig, item: FeedItem, run: _Run) -> tuple[str, int] | None:
    """Write ``item`` if it is new or corrected: (file name, version), else None."""
    key, digest = item.key, item.content_hash
    seen = run.state.latest(feed.name, key)
    if seen is not None and (seen.hash == digest or run.state.known_hash(feed.name, key, digest)):
        return None
    version = 1 if seen is None else seen.version + 1
    body = item.body
    if _wants_page(feed, item):
        body = _page_text(feed, item, run) or body
    if not body.strip():
        run.warnings.append(f"{item.link or key}: no text, skipped")
        return None
    pulled = run.now().astimezone(UTC).isoformat(timespec="seconds")
    header = Provenance(
        feed=feed.name,
        link=item.link,
        guid=item.guid,
        published=item.published,
        pulled=pulled,
        agency=feed.agency or item.agency,
        language=feed.language or item.language,
        version=version,
        title=item.title,
        date=(item.published or pulled)[:10] if _iso_date(item.published or pulled) else None,
    )
    name = _file_name(feed.name, key, version, header.date)
    _write(run.inbox / name, format_provenance(header) + body.strip() + "\n")
    run.state.record(feed.name, key, version, digest, name, pulled)
    return name, version


def _wants_page(feed: FeedConfig, item: FeedItem) -> bool:
    if not item.link or feed.full_text is False:
        return False
    return bool(feed.full_text) or item.is_teaser


def _page_text(feed: FeedConfig, item: FeedItem, run: _Run) -> str | None:
    """The linked page's article text (trafilatura), or None with a warning: the teaser stays."""
    assert item.link is not None
    try:
        got = run.fetcher.get(item.link, linked_from=feed.url)
        html = got.body.decode("utf-8", errors="replace")
        lines = [line.strip() for line in read_page(html, item.link).text.splitlines() if line.strip()]
    except (WireError, InputError) as exc:
        run.warnings.append(f"{item.link}: kept the feed's teaser ({exc})")
        return None
    # trafilatura gives the page's headline as its first line and paragraphs one a line; the
    # header carries the headline, and an article file separates paragraphs by blank lines.
    if lines and item.title and " ".join(lines[0].split()) == " ".join(item.title.split()):
        lines = lines[1:]
    return "\n\n".join(lines) or None


def _iso_date(value: str) -> bool:
    return bool(re.match(r"\d{4}-\d{2}-\d{2}", value))


def _file_name(feed: str, key: str, version: int, date: str | None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", feed.lower()).strip("-") or "feed"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    suffix = f".v{version}" if version > 1 else ""
    return f"{slug}-{(date or 'undated').replace('-', '')}-{digest}{suffix}.txt"


def _write(path: Path, text: str) -> None:
    # Written whole, then renamed: a digest reading the inbox meanwhile never sees half an item.
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)

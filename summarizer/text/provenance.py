"""Where a pulled item came from: the wire header ``pull`` writes and the article reader reads.

It extends the one header the reader already knew, Kazinform's export line ``date 2015-11-25``,
to a block of ``key value`` lines ended by a blank line::

    date 2026-12-07
    agency Kazinform
    feed kazinform-en
    link https://www.inform.kz/en/example-item
    guid https://www.inform.kz/en/example-item
    published 2026-12-07T09:15:00+00:00
    pulled 2026-12-07T14:30:05+00:00
    language en
    version 2
    title Kazakhstan and Belarus agree on joint projects

    ASTANA. KAZINFORM – The story ...

A block counts as this header only when every line of it is one of these keys and it names the
feed, the link or the GUID, so a story that happens to open with "date" or "title" stays a story.
Values are one line each: ``format_provenance`` folds line breaks, so a hostile feed title cannot
start a key of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["KEYS", "Provenance", "format_provenance", "parse_provenance", "without_header"]

KEYS = ("date", "agency", "feed", "link", "guid", "published", "pulled", "language", "version", "title")
_LINE = re.compile(rf"[ \t]*({'|'.join(KEYS)})[ \t]+([^\n]*?)[ \t]*\n")
_END = re.compile(r"[ \t]*(?:\n|\Z)")
_NAMES_ITS_ITEM = frozenset({"feed", "link", "guid"})


@dataclass(frozen=True)
class Provenance:
    """The wire header's fields; None where the feed did not say."""

    feed: str | None = None
    link: str | None = None
    guid: str | None = None
    published: str | None = None  # ISO 8601 in UTC, as the feed stated it
    pulled: str | None = None  # ISO 8601 in UTC, when ``pull`` wrote the file
    agency: str | None = None
    language: str | None = None  # as the feed declared it (the reader still identifies the text)
    version: int = 1  # 2, 3... for a corrected item kept beside the first
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD

    def fills(self, meta: Any, known: Callable[[str], tuple[Any, str] | None]) -> dict[str, str | None]:
        """What the header adds to the story's own ``ArticleMeta``: the title, the agency (its
        canonical name when ``known`` finds it) when no dateline named one, and the feed's full
        date where the dateline gave none or only day and month (--12-07)."""
        found = known(self.agency) if self.agency else None
        full = meta.date and not meta.date.startswith("--")
        return {
            "title": self.title or meta.title,
            "agency": meta.agency or (found[0].name if found else self.agency),
            "date": meta.date if full else self.date or meta.date,
        }

    def when(self, field: str) -> datetime | None:
        """``pulled`` or ``published`` as an aware datetime, or None when absent or unreadable."""
        return parse_time(getattr(self, field))


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_provenance(p: Provenance) -> str:
    """The header block, blank line included, for the body to follow."""
    values = {
        "date": p.date,
        "agency": p.agency,
        "feed": p.feed,
        "link": p.link,
        "guid": p.guid,
        "published": p.published,
        "pulled": p.pulled,
        "language": p.language,
        "version": str(p.version) if p.version > 1 else None,
        "title": p.title,
    }
    lines = [f"{key} {_one_line(value)}" for key, value in values.items() if value and _one_line(value)]
    return "\n".join(lines) + "\n\n"


def _one_line(value: str) -> str:
    return " ".join(value.split())


def without_header(text: str) -> str:
    """``text`` with a wire header replaced by its title line: what a translator is given (links,
    GUIDs and times are not copy); ``text`` itself when it opens without one."""
    header, end = parse_provenance(text)
    if header is None:
        return text
    return f"{header.title}\n\n{text[end:]}" if header.title else text[end:]


def parse_provenance(text: str) -> tuple[Provenance | None, int]:
    """(the header, where the text after it starts), or (None, 0) when ``text`` opens without one."""
    fields: dict[str, str] = {}
    pos = 0
    while (match := _LINE.match(text, pos)) is not None:
        if match.group(1) in fields:  # a key twice is not a header we wrote
            return None, 0
        fields[match.group(1)] = match.group(2)
        pos = match.end()
    end = _END.match(text, pos)
    if not fields or not (_NAMES_ITS_ITEM & fields.keys()) or end is None:
        return None, 0
    version = fields.get("version", "1")
    date = fields.get("date")
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        date = None
    return (
        Provenance(
            feed=fields.get("feed"),
            link=fields.get("link"),
            guid=fields.get("guid"),
            published=fields.get("published"),
            pulled=fields.get("pulled"),
            agency=fields.get("agency"),
            language=fields.get("language"),
            version=int(version) if version.isdigit() else 1,
            title=fields.get("title"),
            date=date,
        ),
        end.end(),
    )

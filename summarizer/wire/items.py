"""A feed item as every reader of a feed format returns it, and the helpers they share."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

__all__ = ["FeedItem", "html_text", "iso_time", "text_of"]

# One paragraph of fewer words than this, or a text cut off with an ellipsis, is a teaser: the
# linked page holds the story. Feeds that carry whole stories send them in paragraphs.
TEASER_WORDS = 60
_CUT = ("…", "...", "[…]", "[&#8230;]", "[...]")


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    link: str | None
    title: str | None
    body: str  # plain text, paragraphs separated by blank lines
    published: str | None = None  # ISO 8601, UTC
    language: str | None = None
    agency: str | None = None  # what the item itself credits (ninjs copyrightholder, G2 provider)
    version: str | None = None  # the format's own version number (NewsML-G2, ninjs), if any

    @property
    def key(self) -> str:
        """Identity across pulls: the GUID, else the link, else a hash of the content."""
        if self.guid:
            return f"guid:{self.guid}"
        if self.link:
            return f"link:{self.link}"
        return f"hash:{self.content_hash}"

    @property
    def content_hash(self) -> str:
        """What a correction changes: the title and the text, whitespace folded."""
        text = " ".join(f"{self.title or ''}\n{self.body}".split())
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def is_teaser(self) -> bool:
        text = self.body.strip()
        return text.endswith(_CUT) or ("\n\n" not in text and len(text.split()) < TEASER_WORDS)


def text_of(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def iso_time(value: str | None) -> str | None:
    """An ISO 8601 time in UTC, or the value as given when it is not ISO (kept, not guessed)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


_BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 blockquote tr section article".split())
_SKIP = frozenset({"script", "style", "noscript", "figure", "figcaption"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """A feed item's HTML as paragraphs of plain text (a teaser or a whole story; no page chrome)."""
    if "<" not in html and "&" not in html:
        return html.strip()
    parser = _Text()
    parser.feed(html)
    parser.close()
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", "".join(parser.parts)))
    return "\n\n".join(p for p in paragraphs if p)

"""A feed's bytes -> its items: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed, ninjs, NewsML-G2.

Every XML document first passes defusedxml with entities forbidden: a DTD that declares an
entity (a billion-laughs bomb, an external entity reading ``/etc/passwd``) is refused before
feedparser or the NewsML-G2 reader sees it; no feed in the field needs one. JSON is told apart
by its shape: JSON Feed names its ``version`` URL, anything else with a ``uri`` is ninjs.
"""

from __future__ import annotations

import calendar
import json
from datetime import UTC, datetime
from typing import Any

from ..errors import UsageError, WireError
from .items import FeedItem, html_text, iso_time, text_of

__all__ = ["parse_feed"]


def parse_feed(data: bytes, *, source: str) -> list[FeedItem]:
    """The items of a feed document; :class:`WireError` when it is none of the formats."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return _json(data, source)
    if head == b"<":
        from .formats import newsml_items, refuse_entities

        root = refuse_entities(data, source)
        if root.tag.startswith("{http://iptc.org/std/nar/"):
            return newsml_items(root, source)
        return _feedparser(data, source)
    raise WireError(f"{source}: not a feed (neither XML nor JSON)")


def _json(data: bytes, source: str) -> list[FeedItem]:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WireError(f"{source}: not valid JSON ({exc})") from None
    if isinstance(doc, dict) and "jsonfeed.org" in str(doc.get("version", "")):
        return _json_feed(doc, source)
    from .formats import ninjs_items

    return ninjs_items(doc, source)


def _json_feed(doc: dict[str, Any], source: str) -> list[FeedItem]:
    items = doc.get("items")
    if not isinstance(items, list):
        raise WireError(f"{source}: a JSON Feed without an items list")
    language = doc.get("language")
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        html = item.get("content_html")
        body = html_text(html) if isinstance(html, str) else str(item.get("content_text") or item.get("summary") or "")
        out.append(
            FeedItem(
                guid=text_of(item.get("id")),
                link=text_of(item.get("url")),
                title=text_of(item.get("title")),
                body=body.strip(),
                published=iso_time(text_of(item.get("date_published"))),
                language=text_of(item.get("language")) or text_of(language),
            )
        )
    return out


def _feedparser(data: bytes, source: str) -> list[FeedItem]:
    try:
        import feedparser
    except ImportError:
        raise UsageError("reading RSS and Atom needs the wire extra: pip install 'summarizer[wire]'") from None

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        why = getattr(parsed, "bozo_exception", None)
        raise WireError(f"{source}: not an RSS or Atom feed{f' ({why})' if why else ''}")
    language = parsed.feed.get("language")
    out = []
    for entry in parsed.entries:
        content = entry.get("content") or []
        html = content[0].get("value") if content else entry.get("summary") or entry.get("description") or ""
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        out.append(
            FeedItem(
                guid=entry.get("id") or None,
                link=entry.get("link") or None,
                title=html_text(entry.get("title") or "") or None,
                body=html_text(html).strip(),
                published=datetime.fromtimestamp(calendar.timegm(stamp), UTC).isoformat() if stamp else None,
                language=(content[0].get("language") if content else None) or language,
            )
        )
    return out

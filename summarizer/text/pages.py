"""A saved web page: its article text and what its metadata says (title, date, author, site).

trafilatura (the ``[html]`` extra, imported only when a page arrives) finds the main text and
reads the page's metadata (Open Graph, JSON-LD, ``<meta>``). Two corrections on top, both seen
on real pages in ``tests/data/agency``: a title carries the site's name after a dash or bar
("... - N-LAND", "... | The Japan Times"), which is not part of the headline; and htmldate can
prefer a page's modified date, so an ``article:published_time`` the page states wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError

__all__ = ["Page", "read_page"]


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    author: str | None = None
    site: str | None = None


_PUBLISHED = re.compile(
    r"""(?:property|name)=["'](?:og:)?article:published_time["'][^>]*?content=["'](\d{4}-\d{2}-\d{2})"""
    r"""|content=["'](\d{4}-\d{2}-\d{2})[^"']*["'][^>]*?(?:property|name)=["'](?:og:)?article:published_time["']""",
)
_NO_AUTHOR = frozenset({"no author", "redacción", "redaccion", "editorial staff", "cortesía", "admin"})


def read_page(html: str, label: str) -> Page:
    """The main text of a web page: scripts, navigation and boilerplate never reach the model."""
    try:
        import trafilatura
    except ImportError:
        raise InputError(f"{label} is an HTML page; install summarizer[html] to extract its article text") from None
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    # A page of navigation alone extracts to a word or two ("Home"); that is not an article.
    if not text or len(text.split()) < 8:
        raise InputError(f"{label} is an HTML page, but no article text could be found in it")
    meta = trafilatura.extract_metadata(html)
    if meta is None:
        return Page(text)
    # A site name with a tagline ("100% Noticias | Nicaragua - Con Primicias ...") keeps the name.
    site = (meta.sitename or "").split(" | ")[0].strip() or None
    published = _PUBLISHED.search(html)
    date = (published.group(1) or published.group(2)) if published else meta.date
    return Page(
        text=text,
        title=_title(meta.title, site, meta.hostname),
        date=date[:10] if date else None,
        author=_author(meta.author, {site, meta.hostname}),
        site=site,
    )


def _title(title: str | None, site: str | None, host: str | None) -> str | None:
    if not title:
        return None
    names = {n.lower() for n in (site, host, f"www.{host}" if host else None) if n}
    head, sep, tail = max(
        (title.rpartition(mark) for mark in (" | ", " - ", " – ", " — ")), key=lambda parts: len(parts[0])
    )
    if sep and (tail.strip().lower() in names or "." in tail and " " not in tail.strip()):
        return head.strip()
    return title.strip()


def _author(author: str | None, outlet: set[str | None]) -> str | None:
    """People only: "No Author", a desk, the outlet or the agency itself (AP) are not a byline."""
    if not author:
        return None
    outlets = {_letters(o) for o in outlet if o}
    names = []
    for part in re.split(r";|\band\b", author):
        name = re.sub(r"^(?:By|Por|Von|От)\s+", "", part.strip())
        if not name or name.lower() in _NO_AUTHOR or (name.isupper() and len(name) <= 4):
            continue
        if _letters(name) in outlets:
            continue
        names.append(name.title() if name.isupper() else name)
    return ", ".join(names) or None


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())

"""Fetching a feed or a linked page politely, from http(s) or a local path.

The standard library's ``urllib`` does the HTTP (the SDK's ``httpx2`` belongs to ``llm/``): a
conditional GET when the last answer gave an ``ETag`` or ``Last-Modified``, a timeout, tenacity's
retries on what may pass (timeouts, refused connections, 429 and 5xx; never another 4xx), a delay
between two requests to one host, and a size cap read, not trusted from ``Content-Length``.

A teaser's page link comes from the feed, so it is held to the same rules as a redirect, and is
never read as a local path. Redirects, at most ``max_redirects``, are followed only to ``http`` or ``https``, never to
``file:`` or another scheme. The rule on addresses: a redirect may not lead to a private,
link-local, multicast or reserved address (an intranet, a cloud's metadata service at
169.254.169.254), and may lead to a loopback one only when the feed's own URL is loopback (a feed
served on the same machine, as in the tests). The feed's own URL is the newsroom's choice and is
fetched wherever it points; only where a remote server sends us is checked.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from tenacity import RetryError, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from ..errors import WireError

__all__ = ["Fetched", "Fetcher", "is_loopback_host", "is_url"]

USER_AGENT = "summarizer-pull/0.1 (+newsroom feed reader)"


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 when the conditional GET found nothing new
    body: bytes = b""
    url: str = ""  # after redirects
    etag: str | None = None
    modified: str | None = None
    content_type: str | None = None


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


class _Transient(Exception):
    """A failure worth another attempt (timeout, connection, 429, 5xx)."""


@dataclass
class Fetcher:
    timeout: float = 20.0
    attempts: int = 3
    backoff: float = 1.0  # seconds before the second attempt; doubles after
    host_delay: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict, repr=False)

    def get(
        self, source: str, *, etag: str | None = None, modified: str | None = None, linked_from: str | None = None
    ) -> Fetched:
        """``source`` (a URL or a path), conditionally when ``etag`` or ``modified`` is given.
        ``linked_from``: the feed that named ``source`` (a teaser's page): a remote party chose it,
        so it is held to the redirect rules, and never a path. Raises :class:`WireError` with one
        line naming the source and what went wrong."""
        if linked_from is not None:
            target = urlsplit(source)
            if target.scheme not in ("http", "https"):
                raise WireError(f"{source}: a feed's link must be http(s), refused")
            loopback = is_url(linked_from) and is_loopback_host(urlsplit(linked_from).hostname or "")
            refused = _refused_address(target.hostname or "", allow_loopback=loopback)
            if refused:
                raise WireError(f"{source}: the feed links to {refused}, refused")
        if not is_url(source):
            if urlsplit(source).scheme not in ("", "file") and len(urlsplit(source).scheme) > 1:
                raise WireError(f"{source}: only http(s) URLs and local paths can be pulled")
            return self._read_path(Path(source.removeprefix("file://")))
        try:
            for attempt in Retrying(
                stop=stop_after_attempt(self.attempts),
                wait=wait_exponential(multiplier=self.backoff, max=30),
                retry=retry_if_exception(lambda e: isinstance(e, _Transient)),
                sleep=self.sleep,
                reraise=False,
            ):
                with attempt:
                    return self._once(source, etag=etag, modified=modified)
        except RetryError as exc:
            last = exc.last_attempt.exception()
            tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
            raise WireError(f"{source}: {last} (after {tries})") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _read_path(self, path: Path) -> Fetched:
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                raise WireError(f"{path}: {size} bytes, over the {self.max_bytes}-byte limit")
            return Fetched(200, path.read_bytes(), url=str(path))
        except FileNotFoundError:
            raise WireError(f"{path}: no such file") from None
        except OSError as exc:
            raise WireError(f"{path}: cannot read ({exc.strerror or exc})") from None

    def _once(self, url: str, *, etag: str | None, modified: str | None) -> Fetched:
        host = urlsplit(url).hostname or ""
        self._wait_for(host)
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        opener = urllib.request.build_opener(_Redirects(url, self.max_redirects))
        try:
            with opener.open(urllib.request.Request(url, headers=headers), timeout=self.timeout) as answer:
                body = answer.read(self.max_bytes + 1)
                if len(body) > self.max_bytes:
                    raise WireError(f"{url}: larger than the {self.max_bytes}-byte limit")
                return Fetched(
                    answer.status,
                    body,
                    url=answer.geturl(),
                    etag=answer.headers.get("ETag"),
                    modified=answer.headers.get("Last-Modified"),
                    content_type=answer.headers.get("Content-Type"),
                )
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Fetched(304, url=url, etag=exc.headers.get("ETag") or etag, modified=modified)
            if exc.code == 429 or exc.code >= 500:
                raise _Transient(f"HTTP {exc.code}") from None
            raise WireError(f"{url}: HTTP {exc.code} {exc.reason}") from None
        except WireError:
            raise
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, WireError):
                raise exc.reason from None
            raise _Transient(str(exc.reason)) from None
        except (TimeoutError, socket.timeout):
            raise _Transient(f"no answer within {self.timeout:g} s") from None
        except (ConnectionError, OSError) as exc:
            raise _Transient(str(exc) or type(exc).__name__) from None
        finally:
            self._last[host] = time.monotonic()

    def _wait_for(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.host_delay - (time.monotonic() - last)
            if pause > 0:
                self.sleep(pause)


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, origin: str, limit: int) -> None:
        self.origin_loopback = is_loopback_host(urlsplit(origin).hostname or "")
        self.max_redirections = limit
        self.max_repeats = limit + 1  # a loop is counted by the limit above, one plain message

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        # Checked here, before urllib's own handling, so that every refusal is one plain line.
        location = headers.get("Location") or headers.get("URI") or ""
        target = urlsplit(urljoin(req.full_url, location))
        if target.scheme not in ("http", "https"):
            raise WireError(f"{req.full_url}: redirected to a {target.scheme}: URL, refused")
        refused = _refused_address(target.hostname or "", allow_loopback=self.origin_loopback)
        if refused:
            raise WireError(f"{req.full_url}: redirected to {refused}, refused")
        if sum(getattr(req, "redirect_dict", {}).values()) >= self.max_redirections:
            raise WireError(f"{req.full_url}: more than {self.max_redirections} redirects")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def is_loopback_host(host: str) -> bool:
    """``localhost`` or a loopback address: the desk opens without a token there; a feed may redirect there."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refused_address(host: str, *, allow_loopback: bool) -> str | None:
    """Why a redirect to ``host`` is refused (the address class), or None when it may go there."""
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except OSError:
            return None  # unresolvable: the request itself fails, with the resolver's own words
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    for address in addresses:
        if address.is_loopback:
            if not allow_loopback:
                return f"a loopback address ({address})"
        elif address.is_link_local:
            return f"a link-local address ({address})"
        elif address.is_private or address.is_multicast or address.is_reserved or address.is_unspecified:
            return f"a private address ({address})"
    return None

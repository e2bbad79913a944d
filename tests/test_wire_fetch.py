"""Fetching feeds politely and safely: retries, timeouts, size cap, host delay, redirect rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from feed_server import FeedServer, Route

from summarizer.errors import WireError
from summarizer.wire.fetch import Fetcher

FAST = Fetcher(timeout=1, attempts=3, backoff=0, host_delay=0)


def test_a_transient_failure_is_retried_until_it_answers() -> None:
    with FeedServer({"/rss": Route(b"<rss/>", fail_first=2)}) as server:
        got = FAST.get(f"{server.base}/rss")
    assert got.status == 200 and got.body == b"<rss/>" and len(server.hits) == 3


def test_a_slow_feed_times_out_after_its_attempts() -> None:
    with FeedServer({"/slow": Route(b"<rss/>", delay=1.5)}) as server:
        with pytest.raises(WireError, match=r"/slow: no answer within 0.3 s \(after 2 attempts\)"):
            Fetcher(timeout=0.3, attempts=2, backoff=0, host_delay=0).get(f"{server.base}/slow")


def test_a_feed_over_the_size_cap_is_refused() -> None:
    with FeedServer({"/big": Route(b"x" * 5000)}) as server:
        with pytest.raises(WireError, match="larger than the 4000-byte limit"):
            Fetcher(max_bytes=4000, host_delay=0).get(f"{server.base}/big")


def test_requests_to_one_host_are_spaced() -> None:
    pauses: list[float] = []
    fetcher = Fetcher(host_delay=5.0, sleep=pauses.append)
    with FeedServer({"/a": Route(b"a"), "/b": Route(b"b")}) as server:
        fetcher.get(f"{server.base}/a")
        fetcher.get(f"{server.base}/b")
    assert len(pauses) == 1 and 4.0 < pauses[0] <= 5.0


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("file:///etc/passwd", "redirected to a file: URL, refused"),
        ("ftp://127.0.0.1/feed", "redirected to a ftp: URL, refused"),
        ("http://10.0.0.7/feed", r"redirected to a private address \(10.0.0.7\), refused"),
        ("http://169.254.169.254/latest/meta-data/", r"redirected to a link-local address \(169.254.169.254\)"),
        ("http://192.168.1.1/", "a private address"),
    ],
)
def test_a_redirect_off_the_web_or_into_a_private_network_is_refused(target: str, message: str) -> None:
    # Refused before any connection: the test's network guard would fail a connect to 10.0.0.7.
    with FeedServer({"/rss": Route(status=302, location=target)}) as server:
        with pytest.raises(WireError, match=message):
            FAST.get(f"{server.base}/rss")


def test_a_loopback_feed_may_redirect_on_loopback_and_redirects_are_limited() -> None:
    with FeedServer() as server:
        server.routes["/old"] = Route(status=301, location=f"{server.base}/new")
        server.routes["/new"] = Route(b"<rss/>")
        server.routes["/loop"] = Route(status=302, location=f"{server.base}/loop")
        got = FAST.get(f"{server.base}/old")
        assert got.body == b"<rss/>" and got.url.endswith("/new")
        with pytest.raises(WireError, match="more than 3 redirects"):
            Fetcher(max_redirects=3, host_delay=0).get(f"{server.base}/loop")


def test_a_conditional_get_answers_304() -> None:
    with FeedServer({"/rss": Route(b"<rss/>", etag='"abc"')}) as server:
        first = FAST.get(f"{server.base}/rss")
        second = FAST.get(f"{server.base}/rss", etag=first.etag)
    assert (first.status, first.etag, second.status, second.body) == (200, '"abc"', 304, b"")


def test_local_paths_and_other_schemes(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(b"<rss/>")
    assert FAST.get(str(feed)).body == b"<rss/>"
    with pytest.raises(WireError, match="no such file"):
        FAST.get(str(tmp_path / "missing.xml"))
    with pytest.raises(WireError, match="only http"):
        FAST.get("gopher://example.org/feed")


@pytest.mark.parametrize(
    ("host", "loopback_feed", "refused"),
    [
        ("127.0.0.1", False, "a loopback address (127.0.0.1)"),
        ("127.0.0.1", True, None),
        ("::1", False, "a loopback address (::1)"),
        ("8.8.8.8", False, None),
        ("fd00::1", True, "a private address (fd00::1)"),
        ("fe80::1", True, "a link-local address (fe80::1)"),
        ("0.0.0.0", True, "a private address (0.0.0.0)"),
    ],
)
def test_which_addresses_a_redirect_may_reach(host: str, loopback_feed: bool, refused: str | None) -> None:
    from summarizer.wire.fetch import _refused_address

    assert _refused_address(host, allow_loopback=loopback_feed) == refused

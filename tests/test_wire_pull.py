"""``pull``: feeds on a loopback server -> one article file per item, once; corrections as versions."""

from __future__ import annotations

import functools
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feed_server import FeedServer, Route

from summarizer.cli.main import main
from summarizer.errors import UsageError, WireError
from summarizer.text.articles import article_files, load_article
from summarizer.wire.fetch import Fetcher
from summarizer.wire.pull import FeedConfig, load_feeds, pull
from summarizer.wire.state import inbox_lock

DATA = Path(__file__).parent / "data" / "wire"
FAST = Fetcher(timeout=2, attempts=2, backoff=0, host_delay=0)


def _feeds_toml(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_two_runs_pull_each_item_once_and_the_second_is_a_conditional_get(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    with FeedServer({"/rss": Route((DATA / "kazinform.rss").read_bytes(), etag='"v1"')}) as server:
        feeds = [FeedConfig(name="kazinform-en", url=f"{server.base}/rss", agency="Kazinform")]
        first = pull(feeds, inbox, fetcher=FAST)
        second = pull(feeds, inbox, fetcher=FAST)
    assert first.feeds[0].line == "kazinform-en: 2 new, 0 corrected"
    assert second.feeds[0].line == "kazinform-en: not modified" and second.written == []
    hits = server.requests_to("/rss")
    assert "If-None-Match" not in hits[0].headers and hits[1].headers["If-None-Match"] == '"v1"'
    files = article_files(inbox)
    assert [f.name for f in files] == sorted(first.written) and len(files) == 2
    article = load_article(files[0])
    wire = article.meta.wire
    assert wire is not None and wire.feed == "kazinform-en" and wire.version == 1
    assert wire.guid == wire.link and wire.link.startswith("https://www.inform.kz/en/")
    assert wire.published == "2026-12-07T01:15:00+00:00" and wire.pulled
    # the reader reads the pulled file as any article: title from the header, dateline off the body
    assert article.meta.title in {"Kazakhstan and Belarus to launch joint machine-building projects",
                                  "Almaty metro to open two new stations"}  # fmt: skip
    assert (article.meta.agency, article.meta.date, article.language) == ("Kazinform", "2026-12-07", "en")
    assert not article.body.startswith(("ASTANA", "ALMATY"))


def test_a_corrected_item_is_kept_beside_the_first_as_a_new_version(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    rss = (DATA / "kazinform.rss").read_bytes()
    route = Route(rss, etag='"v1"')
    with FeedServer({"/rss": route}) as server:
        feeds = [FeedConfig(name="kz", url=f"{server.base}/rss")]
        pull(feeds, inbox, fetcher=FAST)
        route.body, route.etag = rss.replace(b"120 million US dollars", b"150 million US dollars"), '"v2"'
        again = pull(feeds, inbox, fetcher=FAST)
        unchanged = pull(feeds, inbox, fetcher=FAST)
    assert again.feeds[0].line == "kz: 0 new, 1 corrected"
    (corrected,) = again.written
    assert corrected.endswith(".v2.txt")
    first = inbox / corrected.replace(".v2.txt", ".txt")
    assert "120 million" in first.read_text(encoding="utf-8")  # the first version stays as it was
    article = load_article(inbox / corrected)
    assert article.meta.wire is not None and article.meta.wire.version == 2 and "150 million" in article.body
    assert unchanged.written == [] and len(article_files(inbox)) == 3


def test_every_format_from_local_paths_and_the_toml_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = _feeds_toml(tmp_path, "".join(
        f'[[feed]]\nname = "{name}"\nurl = "{DATA / name}"\nfull_text = false\n'
        for name in ("astanatimes.rss", "belta.atom", "tengri.json", "ap-ninjs.json", "reuters-g2.xml")
    ))  # fmt: skip
    inbox = tmp_path / "inbox"
    assert main(["pull", str(toml), "--into", str(inbox)]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5 and err.count("1 new, 0 corrected") == 5
    languages = sorted(load_article(p).language for p in article_files(inbox))
    assert languages == ["en", "en", "en", "en", "ru"]
    belta = next(load_article(p) for p in article_files(inbox) if p.name.startswith("belta"))
    assert (belta.meta.agency, belta.meta.dateline, belta.meta.date) == ("BelTA", "Могилев", "2026-12-07")


def test_a_failing_feed_is_one_line_and_the_others_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("summarizer.cli.pull.Fetcher", functools.partial(Fetcher, backoff=0))
    with FeedServer({"/ok": Route((DATA / "kazinform.rss").read_bytes()), "/down": Route(status=500),
                     "/gone": Route(status=404), "/broken": Route(b"<rss><channel><item><title>cut off"),
                     "/bomb": Route((DATA / "bomb.xml").read_bytes())}) as server:  # fmt: skip
        toml = _feeds_toml(tmp_path, "".join(
            f'[[feed]]\nname = "{n}"\nurl = "{server.base}/{n}"\nfull_text = false\n'
            for n in ("down", "ok", "gone", "broken", "bomb")
        ))  # fmt: skip
        assert main(["pull", str(toml), "--into", str(tmp_path / "in"), "--host-delay", "0"]) == 0
        _, err = capsys.readouterr()
        assert "summarizer: down: failed:" in err and "HTTP 500" in err and "(after 3 attempts)" in err
        assert "summarizer: gone: failed:" in err and "HTTP 404" in err
        assert "summarizer: broken: failed:" in err and "not well-formed XML" in err
        assert "summarizer: bomb: failed:" in err and "refused, the XML declares entities" in err
        assert err.count("\n") == 5  # one line a feed
        assert "summarizer: ok: 2 new, 0 corrected" in err and "Traceback" not in err
        assert len(server.requests_to("/gone")) == 1  # a 404 is not retried
        only_bad = _feeds_toml(tmp_path, f'[[feed]]\nname = "down"\nurl = "{server.base}/down"\n')
        assert main(["pull", str(only_bad), "--into", str(tmp_path / "in"), "--host-delay", "0"]) == 1


def test_a_teaser_is_completed_from_its_linked_page(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.routes["/rss"] = Route((DATA / "teaser.rss").read_text(encoding="utf-8")
                                      .replace("{base}", server.base).encode())  # fmt: skip
        server.routes["/world/1700001"] = Route((DATA / "teaser-page.html").read_bytes(), content_type="text/html")
        report = pull([FeedConfig(name="tass", url=f"{server.base}/rss", agency="TASS")], tmp_path, fetcher=FAST)
    article = load_article(tmp_path / report.written[0])
    assert "Tengiz and Kashagan" in article.body and "All rights reserved" not in article.body
    # the page's headline line is not repeated in the body, so the dateline opens it and is read;
    # the agency is the feed's (the English dateline's "/TASS/." is not read as one)
    assert (article.meta.agency, article.meta.dateline, article.meta.date) == ("TASS", "Moscow", "2026-12-07")
    assert article.meta.title == "Russia and Kazakhstan sign a deal on the Caspian pipeline"


def test_a_teaser_whose_page_fails_keeps_the_teaser_with_a_warning(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.routes["/rss"] = Route((DATA / "teaser.rss").read_text(encoding="utf-8")
                                      .replace("{base}", server.base).encode())  # fmt: skip
        report = pull([FeedConfig(name="tass", url=f"{server.base}/rss")], tmp_path, fetcher=FAST)
    (result,) = report.feeds
    assert "kept the feed's teaser" in result.warnings[0] and "HTTP 404" in result.warnings[0]
    assert "signed a deal" in load_article(tmp_path / report.written[0]).body


def test_a_second_run_waits_for_the_first_and_then_adds_nothing(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feeds = [FeedConfig(name="kz", url=str(DATA / "kazinform.rss"), full_text=False)]
    results = []
    with inbox_lock(inbox, wait=0):  # a first run holds the lock
        with pytest.raises(WireError, match="another pull .* is still running"):
            pull(feeds, inbox, wait=0.3)
        waiting = threading.Thread(target=lambda: results.append(pull(feeds, inbox, wait=10)))
        waiting.start()
        pull_done_early = not waiting.join(0.5) and not waiting.is_alive()
    waiting.join(10)
    assert not pull_done_early and len(results) == 1 and len(results[0].written) == 2
    assert pull(feeds, inbox).written == [] and len(article_files(inbox)) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[feed]]\nurl = 'x'\n", "feed.0.name: Field required"),
        ("[[feed]]\nname = 'a'\nurl = 'x'\ncolour = 1\n", "feed.0.colour: Extra inputs"),
        ("feed = [", "not valid TOML"),
        ("[[feed]]\nname = 'a'\nurl = 'x'\n[[feed]]\nname = 'a'\nurl = 'y'\n", "two feeds share a name"),
    ],
)
def test_a_bad_feeds_file_is_a_usage_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        load_feeds(_feeds_toml(tmp_path, body))


def test_the_pulled_time_is_when_the_run_wrote_the_file(tmp_path: Path) -> None:
    moment = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    feeds = [FeedConfig(name="kz", url=str(DATA / "kazinform.rss"), full_text=False)]
    report = pull(feeds, tmp_path, now=lambda: moment)
    wire = load_article(tmp_path / report.written[0]).meta.wire
    assert wire is not None and wire.when("pulled") == moment


def test_inspect_shows_a_pulled_items_provenance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = pull([FeedConfig(name="kz", url=str(DATA / "kazinform.rss"), full_text=False)], tmp_path)
    assert main(["inspect", str(tmp_path / report.written[0])]) == 0
    out = capsys.readouterr().out
    assert "feed:       kz\n" in out and "guid:       https://www.inform.kz/en/" in out and "pulled:     20" in out


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("file:///etc/passwd", "must be http(s), refused"),
        ("/etc/passwd", "must be http(s), refused"),
        ("http://169.254.169.254/latest/meta-data/", "links to a link-local address"),
        ("http://10.1.2.3/page", "links to a private address"),
    ],
)
def test_a_teasers_link_off_the_web_is_refused_and_the_teaser_kept(tmp_path: Path, link: str, why: str) -> None:
    feed = tmp_path / "teaser.rss"
    feed.write_text((DATA / "teaser.rss").read_text(encoding="utf-8").replace("{base}/world/1700001", link),
                    encoding="utf-8")  # fmt: skip
    report = pull([FeedConfig(name="tass", url=str(feed))], tmp_path / "in", fetcher=FAST)
    (result,) = report.feeds
    assert why in result.warnings[0]
    text = (tmp_path / "in" / report.written[0]).read_text(encoding="utf-8")
    assert "root:" not in text and "signed a deal" in text


def test_a_feed_may_set_its_own_timeout_and_attempts(tmp_path: Path) -> None:
    with FeedServer({"/slow": Route(b"<rss/>", delay=1.0), "/ok": Route((DATA / "kazinform.rss").read_bytes())}) as s:
        feeds = [FeedConfig(name="slow", url=f"{s.base}/slow", timeout=0.2, attempts=1),
                 FeedConfig(name="ok", url=f"{s.base}/ok", full_text=False)]  # fmt: skip
        report = pull(feeds, tmp_path, fetcher=Fetcher(timeout=5, attempts=3, backoff=0, host_delay=0))
        assert len(s.requests_to("/slow")) == 1
    assert report.feeds[0].error and "no answer within 0.2 s (after 1 attempt)" in report.feeds[0].error
    assert report.feeds[1].line == "ok: 2 new, 0 corrected"

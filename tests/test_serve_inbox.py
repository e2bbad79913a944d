"""``serve --feeds``: the desk pulls into its inbox in the background and lists what came in."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fakes import FakeOpenAI
from feed_server import FeedServer, Route
from test_serve_api import KEY, answer

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from desk_client import DeskClient  # noqa: E402
from summarizer.cli.main import main  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402
from summarizer.wire.pull import FeedConfig  # noqa: E402

DATA = Path(__file__).parent / "data" / "wire"


def wait_for_runs(desk: DeskClient, runs: int) -> None:
    for _ in range(400):
        if desk.app.state.wire.runs >= runs:
            return
        time.sleep(0.02)
    raise AssertionError("the background pull never ran")


def test_the_inbox_fills_itself_and_the_start_page_marks_the_new_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    route = Route((DATA / "kazinform.rss").read_bytes(), etag='"1"')
    with FakeOpenAI(answer) as model, FeedServer({"/rss": route}) as wire:
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        feeds = [FeedConfig(name="kazinform-en", url=f"{wire.base}/rss", agency="Kazinform", full_text=False)]
        app = create_app(Settings.resolve(), inbox=inbox, feeds=feeds, pull_every=0.3)
        with DeskClient(app) as desk:
            wait_for_runs(desk, 1)
            page = desk.get("/").text
            assert "From the wire" in page and page.count('<strong class="new">new</strong>') == 2
            assert "Almaty metro to open two new stations" in page and "2026-12-07T03:40:00+00:00" in page
            assert "Kazinform" in page and "<td>en</td>" in page
            names = sorted(p.name for p in inbox.glob("kazinform-en-*.txt"))
            assert len(names) == 2 and all(f"<option>{n}</option>" in page for n in names)  # pickable above
            wait_for_runs(desk, 3)  # later pulls: conditional GETs, nothing new, nothing marked
            later = desk.get("/").text
            assert "new</strong>" not in later and "kazinform-en: not modified" in later
    assert len(list(inbox.glob("*.txt"))) == 2
    assert any("If-None-Match" in hit.headers for hit in wire.hits[1:])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--feeds", "feeds.toml"], "give --inbox DIR too"),
        (["--feeds", "feeds.toml", "--inbox", ".", "--pull-every", "soon"], "--pull-every 'soon'"),
        (["--feeds", "feeds.toml", "--inbox", ".", "--pull-every", "2s"], "at least 10 s"),
        (["--feeds", "missing.toml", "--inbox", "."], "missing.toml: no such file"),
    ],
)
def test_serve_checks_its_feeds_before_starting(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds.toml").write_text('[[feed]]\nname = "a"\nurl = "a.xml"\n', encoding="utf-8")
    assert main(["serve", *argv]) == 2
    assert message in capsys.readouterr().err


def test_the_desks_digest_takes_only_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import re

    from summarizer.wire.pull import pull

    inbox = tmp_path / "inbox"
    pull([FeedConfig(name="kz", url=str(DATA / "kazinform.rss"), full_text=False)], inbox)
    old = sorted(inbox.glob("kz-*.txt"))[0]
    old.write_text(old.read_text(encoding="utf-8").replace("pulled 20", "pulled 19", 1), encoding="utf-8")
    os.utime(old, (time.time() - 86400 * 400, time.time() - 86400 * 400))
    with FakeOpenAI(answer) as model:
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        with DeskClient(create_app(Settings.resolve(), inbox=inbox)) as desk:
            form = desk.get("/digest").text
            assert '<select name="since">' in form
            token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
            names = [p.name for p in inbox.glob("kz-*.txt")]
            url = desk.post("/digest", data={"csrf": token, "pick": names, "since": "24h"}).headers["location"]
            for _ in range(200):
                page = desk.get(url).text
                if 'http-equiv="refresh"' not in page:
                    break
                time.sleep(0.05)
    assert "in 1 story" in page, page[:2000]

"""``digest --since``: the cron line pull && digest --since 24h sends one digest of the window's items."""

from __future__ import annotations

import email
import os
import time
from datetime import UTC, datetime, timedelta
from email.policy import default
from pathlib import Path

import pytest
from fakes import FakeOpenAI, Reply
from feed_server import FeedServer, Route
from test_mail import Inbox, free_port

from summarizer.cli.main import main
from summarizer.digest.window import article_time, parse_since
from summarizer.errors import UsageError
from summarizer.text.articles import load_article
from summarizer.text.provenance import Provenance, format_provenance

DATA = Path(__file__).parent / "data" / "wire"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", NOW - timedelta(hours=24)),
        ("90m", NOW - timedelta(minutes=90)),
        ("7d", NOW - timedelta(days=7)),
        ("2w", NOW - timedelta(weeks=2)),
        ("2026-12-07T06:00", datetime(2026, 12, 7, 6, 0, tzinfo=UTC)),
        ("2026-12-07T06:00+05:00", datetime(2026, 12, 7, 1, 0, tzinfo=UTC)),
    ],
)
def test_since_is_a_span_back_from_now_or_a_moment(text: str, expected: datetime) -> None:
    assert parse_since(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "24", "h24", "-3h"])
def test_a_bad_since_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="give a span"):
        parse_since(text, now=NOW)


def _old_items(inbox: Path) -> None:
    """An item pulled three days ago, and a plain article file last changed three days ago."""
    pulled = (datetime.now(UTC) - timedelta(days=3)).isoformat(timespec="seconds")
    header = Provenance(feed="kazinform-en", guid="urn:old:1", pulled=pulled, agency="Kazinform",
                        title="An old story about the grain harvest", date=pulled[:10])  # fmt: skip
    (inbox / "kazinform-old.txt").write_text(
        format_provenance(header) + "ASTANA. KAZINFORM – The grain harvest reached 20 million tonnes, "
        "the ministry said. Farmers in the north finished first.\n",
        encoding="utf-8",
    )
    plain = inbox / "old-plain.txt"
    plain.write_text("ALMATY. KAZINFORM – An old plain file about the weather in Almaty this week.\n")
    past = time.time() - 3 * 86400
    os.utime(plain, (past, past))


def test_article_time_is_pulled_else_published_else_the_files(tmp_path: Path) -> None:
    _old_items(tmp_path)
    pulled = article_time(load_article(tmp_path / "kazinform-old.txt"))
    changed = article_time(load_article(tmp_path / "old-plain.txt"))
    assert pulled is not None and changed is not None
    assert timedelta(days=2.9) < datetime.now(UTC) - pulled < timedelta(days=3.1)
    assert timedelta(days=2.9) < datetime.now(UTC) - changed < timedelta(days=3.1)


def test_the_cron_line_sends_one_digest_of_exactly_the_windows_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.controller import Controller

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _old_items(inbox)
    feeds = tmp_path / "feeds.toml"
    smtp = Inbox()
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with FeedServer({"/rss": Route((DATA / "kazinform.rss").read_bytes(), etag='"1"')}) as wire, \
                FakeOpenAI(Reply("Kazakhstan news in brief")) as model:  # fmt: skip
            feeds.write_text(f'[[feed]]\nname = "kazinform-en"\nurl = "{wire.base}/rss"\nagency = "Kazinform"\n'
                             "full_text = false\n", encoding="utf-8")  # fmt: skip
            monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
            monkeypatch.setenv("SUMMARIZER_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
            monkeypatch.setenv("SUMMARIZER_FROM", "Desk <desk@example.org>")
            # summarizer pull feeds.toml --into inbox/ && summarizer digest --since 24h inbox/ --send-to ...
            assert main(["pull", str(feeds), "--into", str(inbox), "--host-delay", "0"]) == 0
            assert main(["digest", "--since", "24h", str(inbox), "--send-to", "editor@example.org"]) == 0
    finally:
        controller.stop()
    (envelope,) = smtp.messages
    text = email.message_from_bytes(envelope.content, policy=default).get_body(("plain",)).get_content()
    assert "in 2 stories" in text  # the two items just pulled, not the three-day-old ones
    assert text.count("Source: Kazinform") == 2 and "Astana" in text and "Almaty" in text
    summaries = [r for r in model.requests if "response_format" not in r.body]
    sent = " ".join(r.body["messages"][-1]["content"] for r in summaries)
    assert "grain harvest" not in sent and "weather in Almaty" not in sent
    assert "machine-building" in sent and "metro stations" in sent

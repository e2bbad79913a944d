"""The digest command end to end: hostile articles and answers, .eml, HTML, SMTP delivery."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from fakes import FakeOpenAI, Reply
from test_mail import Inbox, free_port

from summarizer.cli.main import main
from summarizer.digest.build import expand_inputs

HOSTILE = 'Kazakhstan wins <script>alert("x")</script> deal\r\nBcc: victim@example.org\r\nX-Evil: yes'


@pytest.fixture
def articles(tmp_path: Path) -> list[str]:
    html_article = tmp_path / "c_html.txt"
    html_article.write_text(
        " date 2015-11-26 ASTANA. KAZINFORM The ministry said <b>exports</b> grew by 12 percent "
        "<script>steal()</script> and <img src=x onerror=alert(1)> officials welcomed it. Source: Kazinform",
        encoding="utf-8",
    )
    return [str(SEED), str(ROOT / "seeds" / "002_ru_almaty_transport.txt"), str(html_article)]


@pytest.fixture
def hostile_server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeOpenAI(Reply(HOSTILE)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("SUMMARIZER_FROM", "Desk <desk@example.org>")
        yield fake


def test_hostile_digest_is_safe_and_well_formed(
    articles: list[str], hostile_server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eml, html = tmp_path / "d.eml", tmp_path / "d.html"
    # --fallback none: the model's hostile text itself reaches the page, escaped (the default
    # would show the articles' own leads, since these answers fail their checks)
    assert main(["digest", *articles, "--out", str(eml), "--html", str(html), "--fallback", "none"]) == 0
    parsed = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    for name in ("Subject", "Date", "Message-ID", "From"):
        assert parsed[name], name
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    # The hostile headline fails its checks (three lines), so no part of it reaches the subject.
    assert parsed["Subject"] == "News digest, 2024-05-14"
    body = parsed.get_body(("html",)).get_content()
    assert "<script" not in body and "&lt;script&gt;" in body
    assert "onerror" not in body or "&lt;img" in body
    assert html.read_text(encoding="utf-8") == body.replace("\r\n", "\n").rstrip("\n")
    plain = [r for r in hostile_server.requests if "response_format" not in r.body]
    assert len(plain) == 6  # a headline and a summary per article (facts asked too, and refused)


def test_digest_is_delivered_over_smtp(
    articles: list[str], hostile_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        monkeypatch.setenv("SUMMARIZER_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
        assert main(["digest", *articles, "--send-to", "editor@example.org", "desk2@example.org"]) == 0
    finally:
        controller.stop()
    (envelope,) = inbox.messages
    assert sorted(envelope.rcpt_tos) == ["desk2@example.org", "editor@example.org"]
    delivered = email.message_from_bytes(envelope.content, policy=default)
    assert delivered["Bcc"] is None and delivered["X-Evil"] is None


def test_russian_digest_has_russian_labels(
    articles: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with FakeOpenAI(Reply("Казахстан и Беларусь договорились о совместных проектах")) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        eml = tmp_path / "ru.eml"
        assert main(["digest", *articles, "--lang", "ru", "--out", str(eml)]) == 0
    parsed = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert parsed["Subject"].startswith("Дайджест новостей, 2024-05-14: Казахстан")
    text = parsed.get_body(("plain",)).get_content()
    assert "Источник: Kazinform / BelTA, Mogilev, 2015-11-25" in text
    assert all(
        "in Russian" in r.body["messages"][-1]["content"] for r in fake.requests if "response_format" not in r.body
    )


def test_a_failing_article_leaves_a_note(
    articles: list[str], hostile_server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["digest", *articles, str(empty)]) == 0
    out, err = capsys.readouterr()
    assert f"{empty}: {empty} is empty" in out
    assert f"left out {empty}" in err


def test_the_size_limit_of_the_settings_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    big.write_text("The council met today. " * 100, encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_MAX_INPUT_MB", "0.001")
    assert main(["digest", str(big)]) == 2
    assert "over the 0.0 MB limit" in capsys.readouterr().err


def test_zero_readable_articles_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["digest", str(empty), str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no readable articles" in err


def test_model_failure_becomes_a_note(
    articles: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAI(Reply("ok summary")) as fake:
        fake.script = [Reply("model exploded", status=400)]
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        assert main(["digest", *articles]) == 0
    out = capsys.readouterr().out
    assert "model exploded" in out and out.count("ok summary") == 4


def test_directories_take_article_files_only() -> None:
    paths = expand_inputs([str(ROOT / "seeds")])
    assert paths and all(p.endswith(".txt") for p in paths)


@pytest.mark.parametrize(
    ("lang", "n", "word"),
    [
        ("en", 1, "story"),
        ("en", 3, "stories"),
        ("ru", 1, "материал"),
        ("ru", 3, "материала"),
        ("ru", 5, "материалов"),
        ("ru", 11, "материалов"),
        ("ru", 21, "материал"),
        ("ru", 22, "материала"),
        ("kk", 5, "материал"),
    ],
)
def test_plural(lang: str, n: int, word: str) -> None:
    from summarizer.digest.build import LABELS, plural

    assert plural(lang, n, LABELS[lang]["stories"]) == word


def test_key_facts_and_topic_come_from_the_facts_task(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    facts_answer = (ROOT / "tests" / "data" / "facts" / "seed_answer.json").read_text(encoding="utf-8")

    def answer(body: dict) -> Reply:  # type: ignore[type-arg]
        return Reply(facts_answer if body.get("response_format") else "Kazakhstan seeks joint projects in Belarus")

    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        html = tmp_path / "d.html"
        assert main(["digest", str(SEED), "--html", str(html)]) == 0
    page = html.read_text(encoding="utf-8")
    assert "Key facts" in page and "Yergali Bulegenov" in page and "Vladimir Domanevsky" in page
    assert page.count("<li ") <= 5


def test_digest_names_place_agency_and_date_of_real_copy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Real items (tests/data/agency): a TASS item without a year and a Reuters page with one."""
    agency = ROOT / "tests" / "data" / "agency"
    inputs = [str(agency / "ru_tass_london.txt"), str(agency / "en_reuters_los-angeles.html")]
    with FakeOpenAI(Reply("Britain eases visas for scientists")) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        eml = tmp_path / "real.eml"
        assert main(["digest", *inputs, "--out", str(eml)]) == 0
    parsed = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert parsed["Subject"].startswith("News digest, 2020-01-19:")  # the only full date dates the digest
    text = parsed.get_body(("plain",)).get_content()
    assert "Source: TASS, Лондон, 09.08" in text
    assert "Source: Reuters, Los Angeles, 2020-01-19" in text
    html = parsed.get_body(("html",)).get_content()
    assert "Reuters, Los Angeles, 2020-01-19" in html


def test_stderr_names_whose_check_failed_and_never_calls_a_failure_a_warning(
    hostile_server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same hostile answer is the headline (too long: 'length') and the summary of the seed.
    assert main(["digest", str(SEED), "--html", str(tmp_path / "d.html")]) == 0
    err = capsys.readouterr().err
    failed = [line for line in err.splitlines() if "failed:" in line]
    assert failed and all("warning:" not in line for line in failed)
    assert any("headline check 'length' failed" in line for line in failed)
    assert all(" headline check " in line or " summary check " in line for line in failed)

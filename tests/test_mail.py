"""MIME building and SMTP delivery, against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import email
import socket
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from summarizer.digest.mail import SmtpTarget, build_message, clean_header, send
from summarizer.errors import BackendError, UsageError


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.fail_next = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.fail_next:
            self.fail_next -= 1
            return "451 4.3.0 try again later"
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, f"smtp://127.0.0.1:{controller.port}"
    controller.stop()


def message(subject: str = "Дайджест, 2015-11-25: Казахстан и Беларусь") -> email.message.EmailMessage:
    return build_message(
        subject=subject,
        text="plain body",
        html="<p>html body</p>",
        sender="Desk <desk@example.org>",
        recipients=["editor@example.org"],
    )


def test_message_is_multipart_alternative_with_both_parts() -> None:
    parsed = email.message_from_bytes(message().as_bytes(), policy=default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    for name in ("Subject", "From", "To", "Date", "Message-ID"):
        assert parsed[name]
    assert parsed["Subject"] == "Дайджест, 2015-11-25: Казахстан и Беларусь"
    assert "Message-ID" in parsed and parsed["Message-ID"].endswith("@example.org>")


def test_cyrillic_subject_is_rfc2047_encoded_on_the_wire() -> None:
    raw = message().as_bytes()
    subject_line = next(line for line in raw.split(b"\r\n") if line.startswith(b"Subject:"))
    assert b"=?utf-8?" in subject_line.lower()
    assert subject_line.isascii()


@pytest.mark.parametrize("evil", ["Top story\r\nBcc: victim@example.org", "Top\nX-Evil: 1", "Top\x00\x1b[31m"])
def test_header_injection_is_removed(evil: str) -> None:
    parsed = email.message_from_bytes(message(subject=evil).as_bytes(), policy=default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert "\n" not in parsed["Subject"] and "\x00" not in parsed["Subject"]
    assert clean_header(evil).startswith("Top")


def test_bad_addresses_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        build_message(subject="s", text="t", html="h", sender="not an address", recipients=[])
    with pytest.raises(UsageError):
        build_message(subject="s", text="t", html="h", sender="a@b.org", recipients=["x@y.org\r\nBcc: z@w.org"])


def test_delivers_to_a_real_smtp_server(smtp) -> None:  # type: ignore[no-untyped-def]
    inbox, url = smtp
    send(message(), SmtpTarget.from_url(url))
    (envelope,) = inbox.messages
    assert envelope.rcpt_tos == ["editor@example.org"]
    delivered = email.message_from_bytes(envelope.content, policy=default)
    assert delivered["Subject"].startswith("Дайджест")


def test_transient_smtp_failure_is_retried(smtp) -> None:  # type: ignore[no-untyped-def]
    inbox, url = smtp
    inbox.fail_next = 2
    send(message(), SmtpTarget.from_url(url), sleep=lambda _: None)
    assert len(inbox.messages) == 1


def test_unreachable_server_names_it_without_the_password() -> None:
    url = f"smtp://desk:hunter2-secret@127.0.0.1:{free_port()}"
    with pytest.raises(BackendError) as info:
        send(message(), SmtpTarget.from_url(url), attempts=2, sleep=lambda _: None)
    assert "127.0.0.1" in str(info.value) and "hunter2" not in str(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, False, False, None)),
        ("smtps://u:p%40ss@mail.example.org", ("mail.example.org", 465, True, False, "u")),
        ("smtp://mail.example.org:587?starttls=true", ("mail.example.org", 587, False, True, None)),
    ],
)
def test_smtp_url(url: str, expected: tuple) -> None:  # type: ignore[type-arg]
    t = SmtpTarget.from_url(url)
    assert (t.host, t.port, t.implicit_tls, t.starttls, t.user) == expected
    assert "p@ss" not in repr(t) and "p%40ss" not in t.where


def test_bad_smtp_url() -> None:
    with pytest.raises(UsageError):
        SmtpTarget.from_url("http://mail.example.org")

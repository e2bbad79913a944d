"""Build a digest email (stdlib ``email``) and deliver it over SMTP.

Everything that reaches a header is stripped of CR, LF and other control characters first: an
article or a model answer that contains ``\\r\\nBcc: someone`` must not add a recipient. The
``Subject`` is encoded per RFC 2047 by the stdlib's SMTP policy, so Cyrillic subjects survive
every mail client. The SMTP password lives only in ``SUMMARIZER_SMTP_URL`` and never appears
in an error message (they name ``public_url`` of the server).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from ..errors import BackendError, UsageError
from ..redact import public_url

__all__ = ["SmtpTarget", "build_message", "clean_header", "send"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def clean_header(value: str, *, limit: int = 200) -> str:
    """One line, no control characters, at most ``limit`` characters."""
    return " ".join(_CONTROL.sub(" ", value).split())[:limit]


def build_message(
    *,
    subject: str,
    text: str,
    html: str,
    sender: str,
    recipients: list[str],
    when: datetime | None = None,
) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = clean_header(subject)
    msg["From"] = _address(sender)
    msg["To"] = ", ".join(_address(r) for r in recipients) if recipients else "undisclosed-recipients:;"
    msg["Date"] = format_datetime(when or datetime.now(UTC))
    domain = parseaddr(msg["From"])[1].partition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(text, charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def _address(value: str) -> str:
    cleaned = clean_header(value, limit=320)
    name, addr = parseaddr(cleaned)
    # An address with a line break in it is an injection attempt, not a typo: refuse it.
    if _CONTROL.search(value) or "@" not in addr or any(ch in addr for ch in " ,;<>\"'"):
        raise UsageError(f"not an email address: {cleaned!r}")
    return f"{name} <{addr}>" if name else addr


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool = False
    starttls: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    where: str = ""  # the URL without credentials, for messages

    @classmethod
    def from_url(cls, url: str) -> SmtpTarget:
        """``smtp://host:port``, ``smtps://`` for implicit TLS, ``user:password@``, ``?starttls=true``."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise UsageError("SUMMARIZER_SMTP_URL must look like smtp://host:port or smtps://user:password@host:port")
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise UsageError("SUMMARIZER_SMTP_URL has a bad port") from None
        return cls(
            host=parts.hostname,
            port=port,
            implicit_tls=parts.scheme == "smtps",
            starttls=starttls,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            where=public_url(url),
        )


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500  # 4xx: "try again later" in SMTP's own words
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def send(
    msg: EmailMessage, target: SmtpTarget, *, timeout: float = 30.0, attempts: int = 4, sleep: object = None
) -> None:
    """Deliver ``msg``; transient failures (4xx, disconnects, timeouts) are retried."""
    retrying = Retrying(
        retry=retry_if_exception(_transient),
        wait=wait_random_exponential(multiplier=0.5, max=10),
        stop=stop_after_attempt(attempts),
        reraise=True,
        **({"sleep": sleep} if sleep is not None else {}),
    )
    try:
        retrying(_send_once, msg, target, timeout)
    except smtplib.SMTPAuthenticationError:
        raise BackendError(
            f"{target.where} refused the SMTP login; check the user and password in SUMMARIZER_SMTP_URL"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise BackendError(f"{target.where} refused the recipient(s): {', '.join(exc.recipients)}") from None
    except smtplib.SMTPResponseException as exc:
        raise BackendError(f"{target.where} refused the message: {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise BackendError(f"cannot deliver through {target.where}: {type(exc).__name__}: {exc}") from None


def _send_once(msg: EmailMessage, target: SmtpTarget, timeout: float) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if target.implicit_tls:
        smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
    else:
        # An explicit HELO name: smtplib's default asks DNS for our FQDN, which hangs offline.
        smtp = smtplib.SMTP(target.host, target.port, timeout=timeout, local_hostname="localhost")
    with smtp:
        if target.starttls:
            smtp.starttls(context=context)
        if target.user:
            smtp.login(target.user, target.password or "")
        smtp.send_message(msg)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value

"""Keep secrets out of what we print and store: API keys, and credentials inside URLs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["public_url", "redact"]


_KEY_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]{8,}")


def redact(text: str, secret: str | None = None) -> str:
    """Remove an API key (the configured one, and anything shaped like an OpenAI key)."""
    if secret:
        text = text.replace(secret, "[redacted]")
    return _KEY_PATTERN.sub(r"\1…[redacted]", text)


def public_url(url: str) -> str:
    """The endpoint without credentials or query: safe to print and to hash into the cache key."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))

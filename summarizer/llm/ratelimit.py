"""Stay within a provider's limits: requests and tokens per minute, and 429 ``Retry-After``.

``LLM.acomplete`` awaits ``throttle.acquire(estimated_tokens)`` before every attempt that reaches
the endpoint, and calls ``throttle.pause(seconds)`` when a 429 says to wait: a rate limit is per
account, so one request's 429 holds back every request of the batch, not just the one retried.

``RateLimiter`` is a pair of token buckets (requests, tokens) refilled continuously at the
per-minute rate. Their capacity is ten seconds' worth: providers enforce per-minute limits over
shorter windows, so a full minute's burst at the start would earn a 429.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from tenacity import RetryCallState, wait_random_exponential

__all__ = ["RateLimiter", "Throttle", "log_retry", "retry_after", "retry_wait"]

_BURST_SECONDS = 10.0
_MAX_RETRY_AFTER = 60.0


class Throttle(Protocol):
    async def acquire(self, tokens: int) -> None: ...

    def pause(self, seconds: float) -> None: ...


@dataclass
class _Bucket:
    per_minute: float
    capacity: float
    level: float
    stamp: float

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.per_minute / 60.0)
        self.stamp = now

    def wait_for(self, amount: float) -> float:
        return max(0.0, (amount - self.level) * 60.0 / self.per_minute)


@dataclass
class RateLimiter:
    """RPM/TPM limits (None = unlimited) plus a shared pause for ``Retry-After``."""

    rpm: int | None = None
    tpm: int | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    waited: float = 0.0  # total seconds spent waiting, for the batch report
    _paused_until: float = field(default=0.0, init=False)
    _buckets: dict[str, _Bucket] = field(default_factory=dict, init=False)
    _lock: asyncio.Lock | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        now = self.clock()
        for name, limit in (("requests", self.rpm), ("tokens", self.tpm)):
            if limit is not None:
                if limit <= 0:
                    raise ValueError(f"{name} per minute must be positive")
                capacity = max(1.0, limit * _BURST_SECONDS / 60.0)
                self._buckets[name] = _Bucket(float(limit), capacity, capacity, now)

    @property
    def needs_tokens(self) -> bool:
        """Whether ``acquire`` uses its token estimate (callers skip counting when not)."""
        return self.tpm is not None

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    async def acquire(self, tokens: int) -> None:
        if self._lock is None:  # created lazily so the limiter can be built outside a loop
            self._lock = asyncio.Lock()
        # Holding the lock while sleeping makes waiters take turns: first come, first served.
        async with self._lock:
            while True:
                now = self.clock()
                wait = max(0.0, self._paused_until - now)
                needs = {"requests": 1.0, "tokens": float(max(tokens, 0))}
                for name, bucket in self._buckets.items():
                    bucket.refill(now)
                    # A request larger than the bucket could never pass; let it through when full.
                    wait = max(wait, bucket.wait_for(min(needs[name], bucket.capacity)))
                if wait <= 0:
                    for name, bucket in self._buckets.items():
                        bucket.level -= min(needs[name], bucket.capacity)
                    return
                self.waited += wait
                await self.sleep(wait)


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``Retry-After`` or ``retry-after-ms``), if any.

    Read from the HTTP response an SDK status error carries (``exc.response.headers``).
    """
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                continue  # an HTTP date: rare from LLM servers; fall back to backoff
    return None


def retry_wait(max_seconds: float, throttle: Throttle | None = None) -> Callable[[RetryCallState], float]:
    """tenacity's wait: what ``Retry-After`` says (and pause ``throttle`` as long), else backoff with jitter."""
    backoff = wait_random_exponential(multiplier=0.5, max=20)

    def wait(state: RetryCallState) -> float:
        asked = retry_after(state.outcome.exception() if state.outcome else None)
        if asked is not None:
            seconds = min(asked, _MAX_RETRY_AFTER, max_seconds)
            if throttle is not None:
                throttle.pause(seconds)  # the server said so for the whole account, not one request
            return seconds
        return float(backoff(state))

    return wait


def log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    # INFO, not WARNING: a failure after retries is one line on stderr; --debug shows each attempt.
    logging.getLogger("summarizer.client").info(
        "attempt %d failed (%s); retrying", state.attempt_number, type(exc).__name__
    )

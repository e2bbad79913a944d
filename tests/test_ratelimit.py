from __future__ import annotations

import asyncio

import pytest

from summarizer.llm.ratelimit import RateLimiter


class FakeTime:
    """A clock that only moves when the limiter sleeps: no real waiting, exact arithmetic."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def limiter(t: FakeTime, **limits: int) -> RateLimiter:
    return RateLimiter(clock=t.clock, sleep=t.sleep, **limits)  # type: ignore[arg-type]


def test_unlimited_never_waits() -> None:
    t = FakeTime()
    lim = limiter(t)
    asyncio.run(_acquire_many(lim, 100, tokens=10_000))
    assert t.sleeps == []


def test_rpm_allows_a_ten_second_burst_then_paces() -> None:
    t = FakeTime()
    lim = limiter(t, rpm=60)  # one a second; burst of 10
    asyncio.run(_acquire_many(lim, 30, tokens=1))
    assert t.sleeps[:1] and len(t.sleeps) == 20
    assert t.now - 1000.0 == pytest.approx(20.0)  # 30 requests: 10 at once, then 20 more at 1/s


def test_tpm_paces_by_estimated_tokens() -> None:
    t = FakeTime()
    lim = limiter(t, tpm=6000)  # 100 tokens a second, burst 1000
    asyncio.run(_acquire_many(lim, 5, tokens=500))
    assert t.now - 1000.0 == pytest.approx(15.0)  # 2500 tokens: 1000 at once, then 1500 at 100/s


def test_request_bigger_than_the_bucket_still_passes() -> None:
    t = FakeTime()
    lim = limiter(t, tpm=600)  # burst 100
    asyncio.run(_acquire_many(lim, 2, tokens=5000))
    assert t.now - 1000.0 == pytest.approx(10.0)  # treated as a full bucket each, never stuck


def test_pause_holds_every_caller() -> None:
    t = FakeTime()
    lim = limiter(t)
    lim.pause(7.0)
    asyncio.run(_acquire_many(lim, 3, tokens=1))
    assert t.now - 1000.0 == pytest.approx(7.0)
    assert lim.waited == pytest.approx(7.0)


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter(rpm=0)


async def _acquire_many(lim: RateLimiter, n: int, *, tokens: int) -> None:
    await asyncio.gather(*(lim.acquire(tokens) for _ in range(n)))

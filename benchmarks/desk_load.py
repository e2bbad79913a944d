"""The desk's JSON API under concurrent use: a CMS sending C requests at once, N in all.

Three processes on loopback: an OpenAI-compatible endpoint that answers every chat completion after
a fixed latency L (``batch_throughput.py --serve``: asyncio, never the bottleneck); the desk, the
real ``summarizer serve`` (uvicorn, the app, the task's steps, the checks) pointed at it; and this
script, the client. In one run, so that the ratios hold on a noisy machine:

* ``desk``: N ``POST /api/summarise`` requests, C at a time, each article different (a number added
  to the seed) so that no answer comes from the response cache;
* ``sdk``: the very prompts the desk sends, straight to the endpoint with the bare async SDK, C at a
  time: what the endpoint alone costs.

For each: throughput (requests per second), latency p50/p95/p99 and its overhead over the
endpoint's own L, errors; for the desk also its peak memory (``VmHWM`` of the server process).

    python benchmarks/desk_load.py                         # N=200, C=20, L=200 ms
    python benchmarks/desk_load.py --n 400 --concurrency 40 --latency 0.5 --json
    python benchmarks/desk_load.py --embedded --n 20 --queue 8   # the bounded queue: 503s at once

Targets: no errors, the desk's p95 overhead over L within 50 ms, its throughput within 10% of the
bare SDK's in the same run. ``--embedded`` sends N headline requests at once to the desk on the
embedded model instead: the queue admits ``--queue`` behind the one answered, refuses the rest at
once (503, ``Retry-After``); the figures are each status's count and latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

from batch_throughput import MODEL, articles, prompts  # noqa: E402  the same endpoint, articles and prompts


def start_endpoint(latency: float) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "batch_throughput.py"), "--serve", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    return server, f"http://127.0.0.1:{server.stdout.readline().strip()}/v1"


def start_desk(base_url: str | None, work: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """``summarizer serve`` as a newsroom starts it, on a free loopback port; no ``base_url``: the
    embedded model."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(work)}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_BACKEND"):
        env.pop(name, None)
    if base_url is not None:
        env.update(OPENAI_BASE_URL=base_url, SUMMARIZER_MODEL=MODEL)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [str(Path(sys.executable).parent / "summarizer"), "serve", "--port", str(port), *options]
    # Its log (an access line per request) into a file: a pipe nobody reads fills at 64 KB and
    # then holds the desk up on its next line.
    log = (work / "serve.log").open("w")
    desk = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=1) as answer:
                if answer.status == 200:
                    return desk, url
        except OSError:
            if desk.poll() is not None:
                raise SystemExit(f"summarizer serve exited: {(work / 'serve.log').read_text()[-800:]}")
            time.sleep(0.1)
    raise SystemExit("summarizer serve did not answer within 30 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (``/proc/PID/stat``, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def drive_desk(url: str, texts: list[str], concurrency: int) -> tuple[list[float], list[str], float]:
    import aiohttp

    semaphore = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    errors: list[str] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(text: str) -> None:
            async with semaphore:
                began = time.perf_counter()
                try:
                    async with session.post(url + "/api/summarise", json={"text": text}) as answer:
                        body = await answer.read()
                        if answer.status != 200:
                            errors.append(f"{answer.status}: {body[:200]!r}")
                            return
                except aiohttp.ClientError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    return
                latencies.append(time.perf_counter() - began)

        wall = time.perf_counter()
        await asyncio.gather(*(one(t) for t in texts))
        return latencies, errors, time.perf_counter() - wall


async def drive_sdk(base_url: str, messages: list[list[dict[str, str]]], concurrency: int) -> tuple[list[float], list[str], float]:
    import openai

    client = openai.AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0,
                                http_client=openai.DefaultAioHttpClient())  # fmt: skip
    semaphore = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    errors: list[str] = []

    async def one(m: list[dict[str, str]]) -> None:
        async with semaphore:
            began = time.perf_counter()
            try:
                await client.chat.completions.create(model=MODEL, messages=m, max_tokens=200)  # type: ignore[arg-type]
            except openai.OpenAIError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            latencies.append(time.perf_counter() - began)

    wall = time.perf_counter()
    await asyncio.gather(*(one(m) for m in messages))
    wall = time.perf_counter() - wall
    await client.close()
    return latencies, errors, wall


async def burst(url: str, texts: list[str], path: str) -> list[tuple[int, float, str | None]]:
    """Every request at once: (status, seconds, Retry-After) each, in the order they were sent."""
    import aiohttp

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600)) as session:

        async def one(text: str) -> tuple[int, float, str | None]:
            began = time.perf_counter()
            async with session.post(url + path, json={"text": text}) as answer:
                await answer.read()
                return answer.status, time.perf_counter() - began, answer.headers.get("Retry-After")

        return list(await asyncio.gather(*(one(t) for t in texts)))


def embedded(n: int, queue: int) -> int:
    """The embedded model (one request at a time) sent ``n`` headlines at once, with ``serve --queue``."""
    with tempfile.TemporaryDirectory(prefix="desk-load-") as tmp:
        desk, url = start_desk(None, Path(tmp), "--queue", str(queue))
        try:
            asyncio.run(burst(url, articles(1, offset=10**6), "/api/headline"))  # loads the model, off the clock
            wall = time.perf_counter()
            answers = asyncio.run(burst(url, articles(n), "/api/headline"))
            wall = time.perf_counter() - wall
        finally:
            desk.terminate()
            desk.wait(timeout=30)
    print(f"the embedded model, {n} headline requests at once, serve --queue {queue}; {os.cpu_count()} CPUs;"
          f" all answered in {wall:.1f} s")  # fmt: skip
    rows = []
    for status in sorted({a[0] for a in answers}):
        mine = [a for a in answers if a[0] == status]
        seconds = [a[1] for a in mine]
        retry = sorted({int(a[2]) for a in mine if a[2]})
        rows.append({"status": status, "requests": len(mine), "p50_s": round(percentile(seconds, 0.5), 3),
                     "max_s": round(max(seconds), 3), "retry_after_s": retry})  # fmt: skip
        print(f"  {status}: {len(mine):>3} request(s), p50 {percentile(seconds, 0.5):.3f} s, slowest {max(seconds):.3f} s"
              + (f", Retry-After {retry[0]}..{retry[-1]} s" if retry else ""))  # fmt: skip
    print(json.dumps(rows))
    return 0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def row(mode: str, latencies: list[float], errors: list[str], wall: float, n: int, latency: float) -> dict[str, Any]:
    figures: dict[str, Any] = {"mode": mode, "requests": n, "errors": len(errors), "wall_s": round(wall, 3),
                               "throughput_rps": round(len(latencies) / wall, 2)}  # fmt: skip
    for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
        figures[f"{name}_ms"] = round(percentile(latencies, share) * 1000, 1)
        figures[f"{name}_over_endpoint_ms"] = round((percentile(latencies, share) - latency) * 1000, 1)
    if errors:
        figures["first_error"] = errors[0]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="requests (default 200)")
    parser.add_argument("--concurrency", type=int, default=20, help="requests at once (default 20)")
    parser.add_argument("--latency", type=float, default=0.2, help="the endpoint's latency in seconds (default 0.2)")
    parser.add_argument("--warm", type=int, default=20, help="requests to each, off the clock, first (default 20)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--embedded", action="store_true",
                        help="instead: N headline requests at once to the embedded model, which answers one at a time")
    parser.add_argument("--queue", type=int, default=8, help="--embedded: serve --queue (default 8)")
    args = parser.parse_args()
    if args.embedded:
        return embedded(args.n, args.queue)
    n, c, latency = args.n, args.concurrency, args.latency

    endpoint, base_url = start_endpoint(latency)
    try:
        with tempfile.TemporaryDirectory(prefix="desk-load-") as tmp:
            desk, url = start_desk(base_url, Path(tmp))
            try:
                # Warm both paths (imports, lingua's models on the first check, connection pools), off the clock.
                warm = articles(args.warm, offset=10**6)
                asyncio.run(drive_desk(url, warm, c))
                asyncio.run(drive_sdk(base_url, prompts(warm), c))
                texts = articles(n)
                messages = prompts(texts)
                cpu = cpu_seconds(desk.pid)
                rows = [row("desk", *asyncio.run(drive_desk(url, texts, c)), n, latency)]
                rows[0]["desk_cpu_ms_per_request"] = round((cpu_seconds(desk.pid) - cpu) / n * 1000, 2)
                rows[0]["peak_memory_mb"] = round(peak_memory_mb(desk.pid), 1)
                rows.append(row("sdk", *asyncio.run(drive_sdk(base_url, messages, c)), n, latency))
            finally:
                desk.terminate()
                desk.wait(timeout=30)
    finally:
        endpoint.terminate()
        endpoint.wait()

    desk_row, sdk_row = rows
    ratio = desk_row["throughput_rps"] / sdk_row["throughput_rps"] if sdk_row["throughput_rps"] else float("nan")
    desk_row["throughput_vs_sdk"] = round(ratio, 3)
    print(f"N={n} C={c} L={latency * 1000:g} ms, {os.cpu_count()} CPUs; ideal {c / latency:.1f} requests/s")
    print(f"{'mode':<5} {'req/s':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
          f" {'p50+':>6} {'p95+':>6} {'p99+':>6} {'peak MB':>8}")  # fmt: skip
    for r in rows:
        memory = f"{r['peak_memory_mb']:>8.1f}" if "peak_memory_mb" in r else f"{'':>8}"
        print(f"{r['mode']:<5} {r['throughput_rps']:>7.1f} {r['errors']:>6} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f}"
              f" {r['p99_ms']:>7.1f} {r['p50_over_endpoint_ms']:>6.1f} {r['p95_over_endpoint_ms']:>6.1f}"
              f" {r['p99_over_endpoint_ms']:>6.1f} {memory}")  # fmt: skip
        if "first_error" in r:
            print(f"  first error: {r['first_error']}")
    print(f"(p50+ etc.: milliseconds over the endpoint's own latency; the desk's CPU:"
          f" {desk_row['desk_cpu_ms_per_request']:.2f} ms a request)")
    met = (desk_row["errors"] == 0 and desk_row["p95_over_endpoint_ms"] <= 50 and ratio >= 0.9)
    print(f"desk throughput {ratio:.2f}x the bare SDK's; targets (no errors, p95 overhead <= 50 ms,"
          f" throughput >= 0.90x): {'met' if met else 'NOT met'}")
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How fast does ``summarizer batch`` drive an OpenAI-compatible server, and at what client CPU cost?

A loopback server (its own process, asyncio: it sleeps L per request without holding others
back, so it is never the bottleneck) answers every chat completion after a fixed latency L.
Against it, in one run so that the ratios hold on a noisy machine:

* ``cli``: ``summarizer batch`` as a user runs it from the shell, timed from outside: a new
  process, start-up and teardown included (its CPU is the child's user + system time);
* ``tool``: ``summarizer``'s batch in this process (``run_batch``: inputs, prompts, token
  estimates, rate limiter, response cache, ledger, outputs, pages, report) on N articles;
* ``sdk-async``: the bare async SDK, N requests under an ``asyncio.Semaphore(C)`` (for reference);
* ``sdk-aiohttp``: the same on the SDK's aiohttp transport, which the tool's batch uses;
* ``thread-pool``: the bare sync SDK in a pool of C threads, N requests;
* ``sequential``: the bare sync SDK, one request after another (fewer requests: it is slow).

For each: efficiency = (requests * L / C) / wall (1.0 is the ideal: C requests always in
flight), and client CPU per request (``time.process_time`` of this process; the server's CPU
is not counted). The baselines send the very prompts the tool renders.

    python benchmarks/batch_throughput.py                  # N=800, C=10, L=100 ms
    python benchmarks/batch_throughput.py --n 1000 --concurrency 20 --latency 0.05
    python benchmarks/batch_throughput.py --modes cli,sdk-aiohttp --concurrency 100 --latency 1

Targets: from the shell (``cli``) efficiency >= 0.85 and at most 6 ms of client CPU per request,
start-up included; in-process (``tool``) efficiency near the bare SDK's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8ce9aa6233c040a4.txt"
MODEL = "gpt-4o-mini"


# -- the server (run as a child process: python batch_throughput.py --serve LATENCY) ------------


def _response() -> bytes:
    body = json.dumps(
        {
            "id": "chatcmpl-bench",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "Kazakhstan and Belarus plan joint projects."},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 600, "completion_tokens": 12, "total_tokens": 612},
        }
    ).encode()
    head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    return head.encode() + body


def serve(latency: float) -> None:
    response = _response()
    seen: list[float] = []  # arrival time of each chat request since the last GET /stamps

    def _stamps_response() -> bytes:
        body = json.dumps({"first": seen[0] if seen else None, "last": seen[-1] if seen else None}).encode()
        seen.clear()
        head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
        return head.encode() + body

    class Handler(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            self.transport, self.buffer = transport, b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
                length = 0
                for line in self.buffer[:end].split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if len(self.buffer) < end + 4 + length:
                    return
                request_line = self.buffer[: self.buffer.find(b"\r\n")]
                self.buffer = self.buffer[end + 4 + length :]
                if request_line.startswith(b"GET /stamps"):  # the benchmark asks when requests came
                    self.transport.write(_stamps_response())
                    continue
                seen.append(time.time())
                asyncio.get_running_loop().call_later(latency, self.answer)

        def answer(self) -> None:
            if not self.transport.is_closing():
                self.transport.write(response)

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Handler, "127.0.0.1", 0, backlog=1024)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(main())


# -- the clients -------------------------------------------------------------------------------


def measure(run: Callable[[], int]) -> tuple[int, float, float]:
    """Requests, wall seconds, and CPU seconds of this process and of the children it waited for."""
    before, wall = _cpu(), time.perf_counter()
    requests = run()
    return requests, time.perf_counter() - wall, _cpu() - before


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def cli(base_url: str, texts: list[str], concurrency: int, work: Path) -> Callable[[], int]:
    """``summarizer batch`` in a new process, exactly as cron or an editor starts it."""
    source = work / "cli-articles.jsonl"
    source.write_text("".join(json.dumps({"id": f"c{i:05d}", "text": t}) + "\n" for i, t in enumerate(texts)))
    env = {
        **os.environ,
        "OPENAI_BASE_URL": base_url,
        "SUMMARIZER_MODEL": MODEL,
        "SUMMARIZER_CACHE_DIR": str(work / "cli-cache"),
    }
    env.pop("OPENAI_API_KEY", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's Python: compiled bytecode is kept and reused
    command = [str(Path(sys.executable).parent / "summarizer"), "batch", str(source), "--out", str(work / "cli-out")]

    def run() -> int:
        stamps(base_url)  # forget the requests before this run
        started = time.time()
        done = subprocess.run(
            [*command, "--concurrency", str(concurrency)], env=env, capture_output=True, text=True, check=False
        )
        ended = time.time()
        if done.returncode != 0:
            raise SystemExit(f"summarizer batch failed ({done.returncode}): {done.stderr[-500:]}")
        seen = stamps(base_url)
        # Where the shell's wall time goes: before the first request (start-up), and after the
        # last one was sent (its answer, the report, the exit).
        phases.update(to_first_request=seen["first"] - started, after_last_request=ended - seen["last"])
        return len(texts)

    return run


phases: dict[str, float] = {}  # the cli mode's start-up and tail, seconds


def stamps(base_url: str) -> dict[str, float]:
    """When the loopback server saw its first and last chat request since it was last asked."""
    import urllib.request

    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/stamps", timeout=10) as answer:
        return dict(json.load(answer))


def tool(base_url: str, texts: list[str], concurrency: int, work: Path) -> Callable[[], int]:
    from summarizer.batch.run import BatchOptions, find_inputs, plan, run_batch
    from summarizer.config import Backend, Settings
    from summarizer.llm.client import open_llm

    source = work / "articles.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i:05d}", "text": t}) + "\n" for i, t in enumerate(texts)))
    settings = Settings(backend=Backend.OPENAI, model=MODEL, base_url=base_url, cache_dir=work / "cache")

    def run() -> int:
        options = BatchOptions(out=work / "out", concurrency=concurrency)
        with open_llm(settings) as llm:
            results = run_batch(plan(find_inputs(str(source)), options.outlets), llm, options)
        assert all(r.status == "done" for r in results), [r.error for r in results if r.error][:3]
        return len(results)

    return run


def prompts(texts: list[str]) -> list[list[dict[str, str]]]:
    """The messages the tool sends for each article, rendered up front: the baselines only call the SDK."""
    from summarizer.tasks.prompts import LANGUAGES, LENGTHS, render
    from summarizer.text.articles import parse_article

    out = []
    for i, text in enumerate(texts):
        article = parse_article(text.encode(), name=f"a{i}")
        prompt = render(
            "summarise",
            body=article.body,
            meta=article.meta,
            lang="en",
            language_name=LANGUAGES["en"],
            length_instruction=LENGTHS["short"][0],
            part=None,
        )
        out.append([dict(m) for m in prompt.messages])
    return out


def sequential(base_url: str, messages: list[list[dict[str, str]]]) -> Callable[[], int]:
    import openai

    def run() -> int:
        client = openai.OpenAI(base_url=base_url, api_key="bench", max_retries=0)
        for m in messages:
            client.chat.completions.create(model=MODEL, messages=m, max_tokens=200)  # type: ignore[arg-type]
        client.close()
        return len(messages)

    return run


def thread_pool(base_url: str, messages: list[list[dict[str, str]]], concurrency: int) -> Callable[[], int]:
    import httpx2
    import openai

    def run() -> int:
        limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        client = openai.OpenAI(
            base_url=base_url, api_key="bench", max_retries=0, http_client=httpx2.Client(limits=limits)
        )
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(lambda m: client.chat.completions.create(model=MODEL, messages=m, max_tokens=200), messages))
        client.close()
        return len(messages)

    return run


def sdk_async(
    base_url: str, messages: list[list[dict[str, str]]], concurrency: int, *, aiohttp: bool = False
) -> Callable[[], int]:
    import openai

    async def main() -> None:
        http_client = openai.DefaultAioHttpClient() if aiohttp else None  # the transport the tool uses
        client = openai.AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0, http_client=http_client)
        semaphore = asyncio.Semaphore(concurrency)

        async def one(m: list[dict[str, str]]) -> None:
            async with semaphore:
                await client.chat.completions.create(model=MODEL, messages=m, max_tokens=200)  # type: ignore[arg-type]

        await asyncio.gather(*(one(m) for m in messages))
        await client.close()

    def run() -> int:
        asyncio.run(main())
        return len(messages)

    return run


def file_create_ms(folder: Path, files: int = 200) -> float:
    """CPU per file created in ``folder``: the file system's share of the tool's figures, shown beside them."""
    folder.mkdir(parents=True)
    cpu = time.process_time()
    for i in range(files):
        os.close(os.open(folder / f".probe{i}.tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))
    return (time.process_time() - cpu) / files * 1000


def articles(n: int, offset: int = 0) -> list[str]:
    seed = SEED.read_text(encoding="utf-8").rstrip()
    return [f"{seed}\n\nBenchmark article number {offset + i}.\n" for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=800, help="requests for the concurrent modes (default 800)")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.1, help="server latency in seconds (default 0.1)")
    parser.add_argument("--sequential-n", type=int, default=100, help="requests for the sequential loop")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=ROOT / "build",
        help="where the tool's cache, ledger and outputs go (default: build/ in this checkout; see docs/BENCHMARKS.md)",
    )
    parser.add_argument("--modes", default=",".join(MODES), help=f"which to run (default {','.join(MODES)})")
    parser.add_argument("--serve", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return 0

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(args.latency)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        base_url = f"http://127.0.0.1:{server.stdout.readline().strip()}/v1"
        os.environ.pop("OPENAI_API_KEY", None)
        n, c, latency = args.n, args.concurrency, args.latency
        rows = []
        args.work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=args.work_dir, prefix="batch-throughput-") as tmp:
            work = Path(tmp)
            # Warm up every path once (imports, tokenizer, templates, connection pools), off the clock.
            wanted = args.modes.split(",")
            for _name, factory in _modes(base_url, work / "warm", 5, 5, c, wanted, offset=10**6):
                factory()()
            create_ms = file_create_ms(work / "probe")
            for name, factory in _modes(base_url, work, n, args.sequential_n, c, wanted):
                requests, wall, cpu = measure(factory())
                slots = 1 if name == "sequential" else c
                rows.append(
                    {
                        "mode": name,
                        "requests": requests,
                        "concurrency": slots,
                        "wall_s": round(wall, 3),
                        "efficiency": round(requests * latency / slots / wall, 3),
                        "cpu_ms_per_request": round(cpu / requests * 1000, 3),
                    }
                )
    finally:
        server.terminate()
        server.wait()
    base = next((r["cpu_ms_per_request"] for r in rows if r["mode"] == "sequential"), float("nan"))
    print(f"N={n} C={c} L={latency * 1000:g} ms, {os.cpu_count()} CPUs")
    print(f"creating a file in {args.work_dir}: {create_ms:.3f} ms of CPU (the tool creates two per job)")
    if create_ms > 0.3:
        print(
            "  slow: ext4 scans recently deleted inodes when it creates one (a minute or more after many"
            " deletions, such as the last run's cleanup); the tool's CPU is inflated. See docs/BENCHMARKS.md."
        )
    print(
        f"{'mode':<12} {'requests':>8} {'C':>3} {'wall s':>8} {'efficiency':>10} {'CPU ms/req':>10} {'CPU vs SDK':>10}"
    )
    for r in rows:
        ratio = r["cpu_ms_per_request"] / base
        r["cpu_vs_sequential_sdk"] = round(ratio, 2)
        print(
            f"{r['mode']:<12} {r['requests']:>8} {r['concurrency']:>3} {r['wall_s']:>8.2f} {r['efficiency']:>10.3f}"
            f" {r['cpu_ms_per_request']:>10.2f} {ratio:>9.2f}x"
        )
    shell = next((r for r in rows if r["mode"] == "cli"), None)
    if shell is not None:
        shell.update({k: round(v, 3) for k, v in phases.items()})
        print(
            f"cli: {phases['to_first_request']:.2f} s from the shell to the first request (start-up),"
            f" {phases['after_last_request']:.2f} s from the last request to the exit (its answer,"
            f" the report, teardown); the ideal run is {n * latency / c:.2f} s"
        )
        ok = shell["efficiency"] >= 0.85 and shell["cpu_ms_per_request"] <= 6.0
        print(f"targets from the shell (efficiency >= 0.85, CPU <= 6 ms/request): {'met' if ok else 'NOT met'}")
    if args.json:
        print(json.dumps(rows))
    return 0


MODES = ("cli", "tool", "sdk-async", "sdk-aiohttp", "thread-pool", "sequential")


def _modes(
    base_url: str, work: Path, n: int, n_seq: int, c: int, wanted: list[str], offset: int = 0
) -> list[tuple[str, Any]]:
    work.mkdir(parents=True, exist_ok=True)
    texts = articles(n, offset)
    messages = prompts(texts)
    factories = {
        "cli": lambda: cli(base_url, texts, c, work),
        "tool": lambda: tool(base_url, texts, c, work),
        "sdk-async": lambda: sdk_async(base_url, messages, c),
        "sdk-aiohttp": lambda: sdk_async(base_url, messages, c, aiohttp=True),
        "thread-pool": lambda: thread_pool(base_url, messages, c),
        "sequential": lambda: sequential(base_url, messages[:n_seq]),
    }
    unknown = set(wanted) - set(factories)
    if unknown:
        raise SystemExit(f"unknown mode(s): {', '.join(sorted(unknown))}; choose from {', '.join(MODES)}")
    return [(name, factories[name]) for name in MODES if name in wanted]


if __name__ == "__main__":
    raise SystemExit(main())

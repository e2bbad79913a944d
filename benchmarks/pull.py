"""``summarizer pull`` from the shell: a feed of N items on a loopback server, pulled three times.

"first" writes every item (N new files); "unchanged" is the next run, a conditional GET answered
304; "re-sent" serves the same items under a new ETag (the feed re-published unchanged): the whole
feed is downloaded and parsed again and each item found already pulled. Every run is a new
process, as cron starts it. The items are generated (fictional, two paragraphs each).

    python benchmarks/pull.py               # 500 items
    python benchmarks/pull.py --n 2000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Item {i}: the ministry reports figures for district {i}</title>"
        f"<link>https://news.example.kz/en/item-{i}</link><guid>https://news.example.kz/en/item-{i}</guid>"
        f"<pubDate>Mon, 07 Dec 2026 06:{i % 60:02d}:00 +0500</pubDate><description><![CDATA["
        f"<p>ASTANA. KAZINFORM – District {i} built {i * 3} flats this year, the ministry said on Monday.</p>"
        f"<p>The plan for next year is {i * 4} flats and {i % 7 + 1} new schools.</p>]]></description></item>"
        for i in range(n)
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench</title>'
            f"<link>https://news.example.kz</link><description>d</description>{items}</channel></rss>").encode()


class State:
    body = b""
    etag = '"1"'


def serve() -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.headers.get("If-None-Match") == State.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", State.etag)
            self.send_header("Content-Length", str(len(State.body)))
            self.end_headers()
            self.wfile.write(State.body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/rss"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, done.stderr.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    State.body = feed(args.n)
    server, url = serve()
    work = Path(tempfile.mkdtemp(prefix="pull-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        (work / "feeds.toml").write_text(f'[[feed]]\nname = "bench"\nurl = "{url}"\nfull_text = false\n')
        command = [sys.executable, "-m", "summarizer", "pull", str(work / "feeds.toml"), "--into", str(work / "in")]
        rows = []
        for run in ("first", "unchanged", "re-sent"):
            if run == "re-sent":
                State.etag = '"2"'
            wall, line = timed(command, env)
            rows.append({"run": run, "items": args.n, "wall_s": round(wall, 3), "line": line,
                         "ms_per_item": round(wall * 1000 / args.n, 2)})  # fmt: skip
        files = len(list((work / "in").glob("*.txt")))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=env)
        python = time.perf_counter() - start
    finally:
        server.shutdown()
        shutil.rmtree(work)
    for row in rows:
        print(f"{row['run']:<10} {row['wall_s']:>7.3f} s  {row['ms_per_item']:>6.2f} ms/item  {row['line']}")
    print(f"files in the inbox: {files} (of {args.n} items); python -c pass: {python:.3f} s")
    if args.json:
        print(json.dumps({"rows": rows, "files": files, "python_s": round(python, 3)}))
    return 0 if files == args.n else 1


if __name__ == "__main__":
    raise SystemExit(main())

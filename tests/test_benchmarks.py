"""The benchmark script still runs end to end (tiny sizes; its figures are never asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_batch_throughput_runs_every_mode_and_reports_json(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "batch_throughput.py"), "--n", "12", "--concurrency", "3"]
    command += ["--latency", "0.01", "--sequential-n", "4", "--work-dir", str(tmp_path), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {row["mode"]: row for row in json.loads(done.stdout.strip().splitlines()[-1])}
    assert list(rows) == ["cli", "tool", "sdk-async", "sdk-aiohttp", "thread-pool", "sequential"]
    assert [rows[m]["requests"] for m in rows] == [12, 12, 12, 12, 12, 4]
    assert all(row["wall_s"] > 0 and row["cpu_ms_per_request"] > 0 for row in rows.values())
    assert rows["sequential"]["cpu_vs_sequential_sdk"] == 1.0
    cli = rows["cli"]  # the shell's wall time, split: start-up, the requests, the tail
    assert 0 < cli["to_first_request"] and 0 < cli["after_last_request"]
    assert cli["to_first_request"] + cli["after_last_request"] < cli["wall_s"]
    assert "targets from the shell (efficiency >= 0.85" in done.stdout
    assert list(tmp_path.iterdir()) == []  # its work folder is cleaned up


def test_batch_throughput_refuses_an_unknown_mode(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "batch_throughput.py"), "--modes", "tool,warp-drive"]
    done = subprocess.run(command + ["--work-dir", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "unknown mode(s): warp-drive" in done.stderr


def test_pull_benchmark_runs_its_three_runs(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "pull.py"), "--n", "20", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert [r["run"] for r in report["rows"]] == ["first", "unchanged", "re-sent"] and report["files"] == 20
    assert [r["line"] for r in report["rows"]] == [
        "summarizer: bench: 20 new, 0 corrected", "summarizer: bench: not modified",
        "summarizer: bench: 0 new, 0 corrected",
    ]  # fmt: skip


def test_the_second_morning_saves_requests_and_keeps_the_corrections(tmp_path: Path) -> None:
    # The figures of docs/QUALITY.md come from this run; here only what must hold whatever the machine.
    command = [sys.executable, str(ROOT / "benchmarks" / "second_morning.py"), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    runs = json.loads(done.stdout)
    with_memory, without = runs["tuesday"], runs["tuesday-no-memory"]
    assert with_memory["requests"] < without["requests"]
    assert with_memory["calls"][-1] == 0  # Monday's item sent again: no request at all
    assert with_memory["closing_as_approved"] == 5 and with_memory["misspelt"] == 0
    assert with_memory["failing"] == 0 and without["failing"] == 5
    assert runs["monday"]["misspelt"] == without["misspelt"] == 5

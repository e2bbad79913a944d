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


def test_desk_load_drives_the_served_desk_and_the_bare_sdk_and_reports_json() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "desk_load.py"), "--n", "12", "--concurrency", "4"]
    command += ["--latency", "0.02", "--warm", "2", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    desk, sdk = json.loads(done.stdout.strip().splitlines()[-1])
    assert (desk["mode"], sdk["mode"]) == ("desk", "sdk")
    assert desk["requests"] == sdk["requests"] == 12 and desk["errors"] == sdk["errors"] == 0
    assert all(r["throughput_rps"] > 0 and 0 < r["p50_ms"] <= r["p95_ms"] <= r["p99_ms"] for r in (desk, sdk))
    assert desk["peak_memory_mb"] > 0 and desk["desk_cpu_ms_per_request"] > 0 and desk["throughput_vs_sdk"] > 0
    assert "targets (no errors, p95 overhead <= 50 ms" in done.stdout


def test_desk_load_on_the_embedded_model_answers_what_the_queue_admits_and_refuses_the_rest() -> None:
    # The real embedded model, one request at a time: with --queue 1, of three headlines sent at
    # once one is answered, one waits its turn and is answered, and one is refused at once.
    command = [sys.executable, str(ROOT / "benchmarks" / "desk_load.py"), "--embedded", "--n", "3", "--queue", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {row["status"]: row for row in json.loads(done.stdout.strip().splitlines()[-1])}
    assert sorted(rows) == [200, 503] and rows[200]["requests"] == 2 and rows[503]["requests"] == 1
    assert rows[503]["retry_after_s"] and rows[503]["retry_after_s"][0] >= 1
    assert rows[503]["max_s"] < rows[200]["max_s"]  # refused before the model answered anything

"""Batches against a loopback OpenAI-compatible server: inputs, concurrency, isolation, limits, resume."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED
from fakes import FakeOpenAI, Reply

from summarizer.batch.outlets import Outlet
from summarizer.batch.run import BatchOptions, find_inputs, plan, run_batch
from summarizer.cli.main import main
from summarizer.config import Backend, Settings
from summarizer.llm.client import open_llm
from summarizer.llm.ratelimit import RateLimiter

NUMBER = re.compile(r"Article number (\d+)\.")


def article(n: int) -> str:
    return f"ALMATY. KAZINFORM - Article number {n}. The akimat opened a new bridge over the river.\n"


def folder(tmp_path: Path, n: int, *, bad: bool = False) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        (src / f"a{i:03d}.txt").write_text(article(i), encoding="utf-8")
    if bad:
        (src / "empty.txt").write_bytes(b"")
        (src / "blob.bin").write_bytes(bytes(range(256)) * 4)
    return src


def which(body: dict[str, Any]) -> int:
    match = NUMBER.search(body["messages"][-1]["content"])
    assert match, "every request carries its article"
    return int(match.group(1))


def llm_for(fake: FakeOpenAI, cache_dir: Path, **changes: Any):  # type: ignore[no-untyped-def]
    settings = Settings(
        backend=Backend.OPENAI, model="gpt-4o-mini", base_url=fake.base_url, api_key="sk-test", cache_dir=cache_dir
    )
    return open_llm(dataclasses.replace(settings, **changes))


def batch(source: Path | str, fake: FakeOpenAI, cache_dir: Path, out: Path, **options: Any):  # type: ignore[no-untyped-def]
    limiter = options.pop("limiter", None)
    opts = BatchOptions(out=out, **options)
    jobs = plan(find_inputs(str(source)), opts.outlets, opts.tasks)
    with llm_for(fake, cache_dir) as llm:
        return run_batch(jobs, llm, opts, limiter=limiter)


# -- running -----------------------------------------------------------------------------------


def test_requests_run_concurrently_within_the_limit(tmp_path: Path, clean_env: Path) -> None:
    in_flight = peak = 0
    lock = threading.Lock()
    gate = threading.Barrier(3, timeout=30)  # proves three requests were in flight together

    def reply(body: dict[str, Any]) -> Reply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        if which(body) < 3:
            gate.wait()
        with lock:
            in_flight -= 1
        return Reply(f"Summary of article {which(body)}.")

    with FakeOpenAI(reply) as fake:
        results = batch(folder(tmp_path, 12), fake, clean_env, tmp_path / "out", concurrency=3)
    assert [r.status for r in results] == ["done"] * 12
    assert len(fake.requests) == 12
    assert peak == 3  # the barrier needed three at once; the semaphore allowed no more
    assert (tmp_path / "out/default/a007.summary.txt").read_text() == "Summary of article 7.\n"


def test_one_failing_article_never_stops_the_others(tmp_path: Path, clean_env: Path) -> None:
    def reply(body: dict[str, Any]) -> Reply:
        n = which(body)
        return Reply("this request is malformed", status=400) if n == 2 else Reply(f"Summary {n}.")

    with FakeOpenAI(reply) as fake:
        results = batch(folder(tmp_path, 6, bad=True), fake, clean_env, tmp_path / "out", concurrency=2)
    status = {r.article: (r.status, r.error) for r in results}
    assert status["a002"][0] == "failed" and "rejected the request (HTTP 400)" in status["a002"][1]
    assert status["empty"] == ("failed", f"{tmp_path / 'in/empty.txt'} is empty")
    assert status["blob"][0] == "failed" and "binary" in status["blob"][1]
    assert [a for a, (s, _) in status.items() if s == "done"] == ["a000", "a001", "a003", "a004", "a005"]
    assert len(fake.requests) == 6  # a 400 is not retried; the bad files never reached the model


def test_a_file_that_cannot_be_written_fails_its_job_alone(
    tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.batch.report as report

    real_open = os.open

    def refusing(path: Any, flags: int, mode: int = 0o777) -> int:
        if "a002.summary" in str(path):
            raise OSError(28, "No space left on device")
        return real_open(path, flags, mode)

    monkeypatch.setattr(report.os, "open", refusing)
    with FakeOpenAI(lambda body: Reply(f"Summary {which(body)}.")) as fake:
        results = batch(folder(tmp_path, 5), fake, clean_env, tmp_path / "out", concurrency=2)
    status = {r.article: (r.status, r.error) for r in results}
    out = tmp_path / "out" / "default"
    assert status["a002"] == ("failed", f"cannot write {out / 'a002.summary.txt'}: No space left on device")
    assert [a for a, (s, _) in status.items() if s == "done"] == ["a000", "a001", "a003", "a004"]
    assert not list(out.glob(".*.tmp"))  # nothing half-written is left behind


def test_a_slow_disk_holds_up_its_own_job_not_the_requests_in_flight(
    tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.batch.run as run

    later_request = threading.Event()
    real_write = run.write_atomic

    def slow_for_the_first(path: Path, text: str) -> None:
        if path.name.startswith("a000"):
            # Blocks until the model is asked about another article: only possible if the
            # event loop goes on sending while this write is stuck.
            assert later_request.wait(timeout=20), "the loop waited on the disk"
        real_write(path, text)

    def reply(body: dict[str, Any]) -> Reply:
        if which(body) >= 1:
            later_request.set()
        return Reply(f"Summary {which(body)}.")

    monkeypatch.setattr(run, "write_atomic", slow_for_the_first)
    with FakeOpenAI(reply) as fake:
        results = batch(folder(tmp_path, 6), fake, clean_env, tmp_path / "out", concurrency=1)
    assert [r.status for r in results] == ["done"] * 6
    assert (tmp_path / "out/default/a000.summary.txt").read_text() == "Summary 0.\n"


def test_a_429_holds_back_the_whole_batch(tmp_path: Path, clean_env: Path) -> None:
    paused: list[float] = []

    class Spy(RateLimiter):
        def pause(self, seconds: float) -> None:
            paused.append(seconds)
            super().pause(seconds)

    limiter = Spy()
    with FakeOpenAI(Reply("Fine.")) as fake:
        fake.script = [Reply("slow down", status=429, headers={"retry-after": "0.5"})]
        results = batch(folder(tmp_path, 8), fake, clean_env, tmp_path / "out", concurrency=3, limiter=limiter)
    assert all(r.status == "done" for r in results)
    assert paused == [0.5]
    assert limiter.waited > 0  # other requests waited for the pause, not only the one retried
    report = json.loads((tmp_path / "out/report.json").read_text())
    assert report["totals"]["rate_limit_wait_seconds"] > 0


def test_the_batch_hides_its_starting_heap_from_the_collector_and_gives_it_back(
    tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import summarizer.batch.run as run

    frozen_while_reporting: list[int] = []
    real_report = run.write_report

    def report(*args: Any, **kwargs: Any) -> Any:
        frozen_while_reporting.append(gc.get_freeze_count())
        return real_report(*args, **kwargs)

    monkeypatch.setattr(run, "write_report", report)
    before = gc.get_freeze_count()
    with FakeOpenAI(lambda body: Reply(f"Summary {which(body)}.")) as fake:
        results = batch(folder(tmp_path, 3), fake, clean_env, tmp_path / "out", concurrency=2)
    assert [r.status for r in results] == ["done"] * 3
    assert frozen_while_reporting[0] > before  # the report's many small objects trigger no full passes
    assert gc.get_freeze_count() == before  # a long-lived caller (the desk) collects as before


def test_a_rerun_does_only_what_is_left(tmp_path: Path, clean_env: Path) -> None:
    src, out = folder(tmp_path, 5), tmp_path / "out"
    with FakeOpenAI(lambda body: Reply(f"Summary {which(body)}.")) as fake:
        batch(src, fake, clean_env, out)
        assert len(fake.requests) == 5
        again = batch(src, fake, clean_env, out)
        assert len(fake.requests) == 5 and all(r.resumed for r in again)
        (src / "a001.txt").write_text(article(101))  # changed text: a new job
        (out / "default/a003.summary.txt").unlink()  # lost output: redone from the cache
        third = batch(src, fake, clean_env, out)
    assert len(fake.requests) == 6
    assert [r.resumed for r in third] == [True, False, True, False, True]
    assert (out / "default/a001.summary.txt").read_text() == "Summary 101.\n"
    assert (out / "default/a003.summary.txt").read_text() == "Summary 3.\n"


def test_a_changed_prompt_makes_a_rerun_redo_the_work(
    tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    monkeypatch.setenv("SUMMARIZER_PROMPTS_DIR", str(prompts))
    src, out = folder(tmp_path, 2), tmp_path / "out"
    with FakeOpenAI(lambda body: Reply(f"Summary {which(body)}.")) as fake:
        batch(src, fake, clean_env, out)
        assert all(r.resumed for r in batch(src, fake, clean_env, out)) and len(fake.requests) == 2
        template = prompts / "summarise.j2"
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a no-op edit
        again = batch(src, fake, clean_env, out)
    assert not any(r.resumed for r in again)  # the prompt behind those outputs is not the one in use
    assert len(fake.requests) == 2  # the rendered request is the same, so the cache still answers


def test_outlets_get_their_own_folders_languages_and_script(tmp_path: Path, clean_env: Path) -> None:
    outlets = (
        Outlet(name="ru-desk", language="ru", summary_length="headline"),
        Outlet(name="kk-latin", language="kk", script="latn", tasks=("summary", "summary:en")),
    )
    answers = {"Russian": "Аким открыл мост.", "Kazakh": "Әкім көпір ашты.", "English": "The akim opened a bridge."}

    def reply(body: dict[str, Any]) -> Reply:
        return Reply(next(text for lang, text in answers.items() if f"in {lang}" in body["messages"][-1]["content"]))

    with FakeOpenAI(reply) as fake:
        results = batch(folder(tmp_path, 1), fake, clean_env, tmp_path / "out", outlets=outlets)
    assert [r.job for r in results] == ["ru-desk/a000/summary", "kk-latin/a000/summary", "kk-latin/a000/summary-en"]
    out = tmp_path / "out"
    assert (out / "ru-desk/a000.summary.txt").read_text() == "Аким открыл мост.\n"
    assert (out / "kk-latin/a000.summary.txt").read_text() == "Äkım köpır aşty.\n"  # checks ran on the Cyrillic
    assert (out / "kk-latin/a000.summary-en.txt").read_text() == "The akim opened a bridge.\n"
    (russian,) = [r.body["messages"][-1]["content"] for r in fake.requests if "in Russian" in str(r.body)]
    assert "a single headline" in russian


# -- the command -------------------------------------------------------------------------------


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeOpenAI(Reply("Kazakhstan wants joint projects in Belarus.")) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        yield fake


def test_command_names_failed_inputs_and_exits_1(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = folder(tmp_path, 2, bad=True)
    code = main(["batch", str(src), "--out", str(tmp_path / "out"), "--tasks", "summary,summary:ru"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "8 job(s): 4 done" in out
    last = err.strip().splitlines()[-1]
    assert last.startswith("summarizer: error: 4 job(s) not done, from 2 input(s)")
    assert "blob.bin looks binary" in last and "empty.txt is empty" in last
    assert "Traceback" not in err


def test_outputs_the_disk_refuses_are_one_line_each_and_exit_1(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "default").write_text("a file where the outlet's folder should be\n")
    code = main(["batch", str(folder(tmp_path, 2)), "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith("summarizer: error: 2 job(s) not done, from 2 input(s)")
    assert f"cannot write {out / 'default' / 'a000.summary.txt'}" in last
    assert "Traceback" not in err and "internal error" not in err
    assert (out / "report.json").is_file()  # the report still says what failed and why


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--tasks", "summary,teleport"], "unknown task 'teleport'"),
        (["--tasks", "summary:de"], "has no language 'de'"),
        (["--concurrency", "0"], "at least 1"),
        (["--rpm", "-5"], "must be positive"),
    ],
)
def test_bad_usage_is_exit_2_before_any_request(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code = main(["batch", str(SEED), "--out", str(tmp_path / "out"), *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert server.requests == []


def test_killed_batch_rerun_does_every_good_item_exactly_once(tmp_path: Path, clean_env: Path) -> None:
    """SIGKILL mid-batch under injected faults, then rerun: each good article is answered once."""
    src, out = folder(tmp_path, 30, bad=True), tmp_path / "out"
    answered: dict[int, int] = {}
    lock, release = threading.Lock(), threading.Event()
    state = {"seen": 0, "hold_after": 10}

    def reply(body: dict[str, Any]) -> Reply:
        with lock:
            state["seen"] += 1
            if state["seen"] % 4 == 0:  # a quarter of all requests fail, transiently
                return Reply("overloaded", status=503 if state["seen"] % 8 else 429, headers={"retry-after": "0"})
            hold = sum(answered.values()) >= state["hold_after"]
        if hold:  # in flight when the batch is killed: never answered, so never paid for
            release.wait(60)
            return Reply("gone", status=500)
        with lock:
            answered[which(body)] = answered.get(which(body), 0) + 1
        return Reply(f"Summary {which(body)}.")

    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(clean_env)}
    argv = [sys.executable, "-m", "summarizer", "batch", str(src), "--out", str(out), "--concurrency", "4"]
    with FakeOpenAI(reply) as fake:
        env["OPENAI_BASE_URL"] = fake.base_url
        first = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(lambda: _done_in_ledger(out) >= 10 and len(fake.requests) > 14, first)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        with lock:
            state["hold_after"] = 10**9
        release.set()
        again = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 1, again.stderr
    assert "resuming: the ledger records" in again.stderr
    assert sorted(answered) == list(range(30)) and set(answered.values()) == {1}, again.stderr
    assert "blob.bin looks binary" in again.stderr and "empty.txt is empty" in again.stderr
    report = json.loads((out / "report.json").read_text())
    assert (report["totals"]["jobs"], report["totals"]["done"], report["totals"]["failed"]) == (32, 30, 2)
    assert report["totals"]["resumed"] >= 10
    for i in range(30):
        assert (out / f"default/a{i:03d}.summary.txt").read_text() == f"Summary {i}.\n"
    assert not list(out.rglob("*.tmp"))


def _done_in_ledger(out: Path) -> int:
    try:
        with sqlite3.connect(out / "ledger.sqlite", timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM jobs WHERE status = 'done'").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet


def _wait_for(condition: Any, process: subprocess.Popen[bytes]) -> None:
    """Poll until ``condition`` holds (a deadline only stops a broken test from hanging)."""
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.05)


SEED_KK = (Path(__file__).parent / "data" / "translations" / "seed_kk.txt").read_text(encoding="utf-8")
SEED_FACTS = (Path(__file__).parent / "data" / "facts" / "seed_answer.json").read_text(encoding="utf-8")


def test_translate_and_facts_run_in_a_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(body: dict[str, Any]) -> Reply:
        schema = (body.get("response_format") or {}).get("json_schema")
        return Reply(SEED_FACTS if schema else SEED_KK)

    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        out = tmp_path / "out"
        code = main(["batch", str(SEED), "--out", str(out), "--tasks", "translate:kk,facts"])
    assert code == 0, capsys.readouterr().err
    kk = out / "default" / "000_8ce9aa6233c040a4.translate-kk.txt"
    facts = out / "default" / "000_8ce9aa6233c040a4.facts.json"
    assert "Ерғали Бұлегенов" in kk.read_text(encoding="utf-8")
    data = json.loads(facts.read_text(encoding="utf-8"))
    source = SEED.read_text(encoding="utf-8")
    people = data["people"]
    assert people and all(
        source[p["evidence"]["start"] : p["evidence"]["end"]] == p["evidence"]["text"] for p in people
    )

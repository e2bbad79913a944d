"""--openai-batch against a loopback fake of the Files and Batches endpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from fakes import FakeOpenAI, Reply
from test_batch import folder, llm_for, which

from summarizer.batch.ledger import Ledger
from summarizer.batch.openai_batch import run_openai_batch
from summarizer.batch.report import ReportOut
from summarizer.batch.run import BatchOptions, Runner, find_inputs, plan, run_batch
from summarizer.cli.main import main


def answer(body: dict[str, Any]) -> Reply:
    return Reply("Combined." if "Combine" in str(body) else f"Summary {which(body)}.")


def test_batch_api_round_trip_into_the_usual_outputs(tmp_path: Path, clean_env: Path) -> None:
    src, out = folder(tmp_path, 4, bad=True), tmp_path / "out"
    polls: list[float] = []
    with FakeOpenAI(answer) as fake:
        fake.polls_before_done = 2
        opts = BatchOptions(out=out, openai_batch=True, poll_seconds=7)
        with llm_for(fake, clean_env) as llm, Ledger(out) as ledger:
            runner = Runner(llm=llm, ledger=ledger, out=out, progress=_Notes())
            run_openai_batch(runner, plan(find_inputs(str(src)), opts.outlets), poll_seconds=7, sleep=polls.append)
    paths = [r.path for r in fake.requests]
    assert paths.count("/v1/files") == 1 and paths.count("/v1/batches") == 1
    assert not any(p.endswith("/chat/completions") for p in paths)  # nothing at full price
    assert polls == [7, 7]  # in_progress twice, then completed
    upload = fake.files["file-1"]
    first = json.loads(upload.decode().splitlines()[0])
    assert first["method"] == "POST" and first["url"] == "/v1/chat/completions"
    assert first["custom_id"].startswith("v1:") and first["body"]["model"] == "gpt-4o-mini"
    status = {r.article: r.status for r in runner.results}
    assert status == {
        "a000": "done",
        "a001": "done",
        "a002": "done",
        "a003": "done",
        "blob": "failed",
        "empty": "failed",
    }
    assert (out / "default/a002.summary.txt").read_text() == "Summary 2.\n"
    assert all(not r.cached for r in runner.results if r.status == "done")  # paid for, via the batch


def test_map_reduce_takes_one_batch_per_level(tmp_path: Path, clean_env: Path) -> None:
    src = tmp_path / "long.txt"
    src.write_bytes((ROOT / "seeds/001_long_energy_forum.txt").read_bytes())
    with FakeOpenAI(lambda body: Reply("Combined." if "Combine" in str(body) else "Part.")) as fake:
        opts = BatchOptions(out=tmp_path / "out", openai_batch=True, poll_seconds=0)
        with llm_for(fake, clean_env, context_tokens=2000) as llm:
            (result,) = run_batch(plan(find_inputs(str(src)), opts.outlets), llm, opts)
    assert result.status == "done" and result.result is not None and result.result.made.calls == len(fake.batch_lines) > 2
    assert [r.path for r in fake.requests].count("/v1/batches") == 2  # the parts, then the combine
    assert (tmp_path / "out/default/long.summary.txt").read_text() == "Combined.\n"


def test_a_stopped_run_collects_its_batch_instead_of_paying_again(tmp_path: Path, clean_env: Path) -> None:
    src, out = folder(tmp_path, 3), tmp_path / "out"
    opts = BatchOptions(out=out, openai_batch=True, poll_seconds=1)
    jobs = plan(find_inputs(str(src)), opts.outlets)

    def stop(seconds: float) -> None:
        raise KeyboardInterrupt  # Ctrl-C (or a kill) while OpenAI works on the batch

    with FakeOpenAI(answer) as fake:
        fake.polls_before_done = 1
        with llm_for(fake, clean_env) as llm, Ledger(out) as ledger:
            runner = Runner(llm=llm, ledger=ledger, out=out, progress=_Notes())
            with pytest.raises(KeyboardInterrupt):
                run_openai_batch(runner, jobs, poll_seconds=1, sleep=stop)
        with llm_for(fake, clean_env) as llm:
            results = run_batch(jobs, llm, opts)
    assert [r.status for r in results] == ["done"] * 3
    assert [r.path for r in fake.requests].count("/v1/batches") == 1 and len(fake.batch_lines) == 3
    report = ReportOut.model_validate_json((out / "report.json").read_text())
    assert report.batch_api and "Batch API discount" in report.totals.cost_note


def test_failed_lines_fail_their_jobs_only(tmp_path: Path, clean_env: Path) -> None:
    src = folder(tmp_path, 3)

    def reply(body: dict[str, Any]) -> Reply:
        return Reply("content policy", status=400) if which(body) == 1 else answer(body)

    with FakeOpenAI(reply) as fake:
        opts = BatchOptions(out=tmp_path / "out", openai_batch=True, poll_seconds=0)
        with llm_for(fake, clean_env) as llm:
            results = run_batch(plan(find_inputs(str(src)), opts.outlets), llm, opts)
    assert [r.status for r in results] == ["done", "failed", "done"]
    assert "HTTP 400: content policy" in results[1].error


def test_batch_mode_needs_an_openai_endpoint_and_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = folder(tmp_path, 1)
    code = main(["batch", str(src), "--out", str(tmp_path / "o"), "--openai-batch", "--backend", "local"])
    assert code == 2 and "needs the openai backend" in capsys.readouterr().err
    with FakeOpenAI() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        code = main(["batch", str(src), "--out", str(tmp_path / "o2"), "--openai-batch", "--cache-mode", "off"])
        assert code == 2 and "--cache-mode readwrite" in capsys.readouterr().err
        assert fake.requests == []


class _Notes:
    def __init__(self) -> None:
        self.notes: list[str] = []

    def start(self, total: int, *, earlier: dict[str, int]) -> None: ...

    def advance(self, result: Any) -> None: ...

    def note(self, message: str) -> None:
        self.notes.append(message)

    def close(self) -> None: ...

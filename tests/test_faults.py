"""Fault injection: a misbehaving endpoint either gets retried to success or fails in one line."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from conftest import SEED
from fakes import FakeOpenAI, Reply

from summarizer.cli.main import main

GOOD = "Kazakhstan wants big joint investment projects in Belarus."


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeOpenAI(Reply(GOOD)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("SUMMARIZER_TIMEOUT", "1")
        monkeypatch.setenv("SUMMARIZER_CACHE_MODE", "off")
        yield fake


FAULTS = {
    "429 with Retry-After": Reply("slow down", status=429, headers={"retry-after": "0"}),
    "500": Reply("boom", status=500),
    "502": Reply("bad gateway", status=502),
    "503": Reply("unavailable", status=503),
    "connection reset": Reply(reset=True),
    "hang past the timeout": Reply(GOOD, delay=2.5),
    "truncated body": Reply(GOOD, truncate=True),
}
# A fault that lasts through every retry, and the words its one line must contain.
PERSISTENT = [
    ("429 with Retry-After", "still rate-limiting"),
    ("503", "HTTP 503 after retries"),
    ("connection reset", "cannot reach"),
    ("hang past the timeout", "did not answer within 1s"),
    ("truncated body", "cannot reach"),
]


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_transient_fault_is_retried_to_success(
    fault: str, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script = [FAULTS[fault]]
    assert main(["summarise", str(SEED)]) == 0
    assert capsys.readouterr().out == GOOD + "\n"
    assert len(server.requests) == 2


@pytest.mark.parametrize(("fault", "words"), PERSISTENT)
def test_a_fault_that_persists_fails_in_one_line(
    fault: str, words: str, server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUMMARIZER_MAX_ATTEMPTS", "2")
    server.default = FAULTS[fault]
    assert main(["summarise", str(SEED)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and words in err
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(body=b"<html>502 Bad Gateway</html>"), "not JSON"),
        (Reply(body=b'{"choices": "not a list"}'), "not a chat completion"),
        (Reply("   "), "empty answer"),
    ],
)
def test_a_malformed_answer_fails_in_one_line(
    reply: Reply, words: str, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    server.default = reply
    code = main(["summarise", str(SEED)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_stop_at_the_token_limit_is_flagged(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    server.default = Reply("Kazakhstan wants big joint investment", finish_reason="length")
    assert main(["summarise", str(SEED)]) == 0
    assert "check 'complete' failed" in capsys.readouterr().err
    assert main(["summarise", str(SEED), "--strict"]) == 3


def test_refused_request_is_not_retried(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    server.default = Reply("This model's maximum context length is 4096 tokens", status=400)
    assert main(["summarise", str(SEED)]) == 1
    err = capsys.readouterr().err
    assert "rejected the request (HTTP 400): This model's maximum context length" in err
    assert len(server.requests) == 1


# -- the same faults through a batch: the SDK's async client, on its aiohttp transport --------


def _batch_error(tmp_path: Path) -> tuple[int, str]:
    out = tmp_path / "out"
    code = main(["batch", str(SEED), "--out", str(out), "--concurrency", "2"])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return code, " ".join(item["error"] for item in report["items"])


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_transient_fault_in_a_batch_is_retried_to_success(fault: str, server: FakeOpenAI, tmp_path: Path) -> None:
    server.script = [FAULTS[fault]]
    assert _batch_error(tmp_path) == (0, "")
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert (tmp_path / "out" / report["items"][0]["output"]).read_text(encoding="utf-8") == GOOD + "\n"
    assert len(server.requests) == 2


@pytest.mark.parametrize(("fault", "words"), PERSISTENT)
def test_a_fault_that_persists_in_a_batch_is_reported_in_words(
    fault: str, words: str, server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUMMARIZER_MAX_ATTEMPTS", "2")
    server.default = FAULTS[fault]
    code, error = _batch_error(tmp_path)
    assert code == 1
    assert words in error, error
    # A batch asks a job that failed on the server's side once more at the end: 2 attempts, twice.
    assert len(server.requests) == 4


def test_a_closed_port_in_a_batch_is_cannot_reach(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # aiohttp calls a refused connection a connect *timeout*; the user must read "cannot reach".
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("SUMMARIZER_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("SUMMARIZER_CACHE_MODE", "off")
    code, error = _batch_error(tmp_path)
    assert code == 1
    assert f"cannot reach http://127.0.0.1:{port}/v1" in error and "timeout" not in error, error

"""A canary API key must appear nowhere: cache, outputs, logs, errors, tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from fakes import FakeOpenAI, Reply

CANARY = "sk-canary-7c1e9b3a5d2f4e6a8b0c"


def run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *argv], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (Reply("Kazakhstan wants joint projects in Belarus."), 0),
        (Reply(f"Incorrect API key provided: {CANARY}. You can find your key at ...", status=401), 1),
        (Reply(f"Your key {CANARY} is not allowed to use this model", status=403), 1),
        (Reply(f"upstream said: {CANARY}", status=500), 1),
        (Reply(f"bad request for key {CANARY}", status=400), 1),
    ],
)
def test_canary_key_never_leaks(reply: Reply, code: int, clean_env: Path) -> None:
    with FakeOpenAI(reply) as fake:
        env = {**os.environ, "OPENAI_API_KEY": CANARY, "OPENAI_BASE_URL": fake.base_url, "SUMMARIZER_MAX_ATTEMPTS": "2"}
        outputs = [
            run(env, "summarise", str(SEED), "--debug"),
            run(env, "summarise", str(SEED), "--json"),
            run(env, "cache", "stats", "--json"),
            run(env, "cache", "export", "-"),
        ]
    assert outputs[0].returncode == code
    headers = {k.lower(): v for k, v in fake.requests[0].headers.items()}
    assert headers["authorization"] == f"Bearer {CANARY}"  # it was really sent
    for done in outputs:
        assert CANARY not in done.stdout and CANARY not in done.stderr
        assert "canary" not in done.stderr
    for path in clean_env.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path

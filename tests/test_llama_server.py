"""Scale-out against a real OpenAI-compatible server: llama.cpp's (llama-cpp-python's), on loopback.

The other batch tests use a fake server that answers what they script; this one starts the
server a newsroom would run on a GPU box (``python -m llama_cpp.server``) with the embedded
SmolLM2 GGUF, and points the batch at it through ``OPENAI_BASE_URL``, as the README says.
vLLM speaks the same API. The model is tiny, so only what the server must get right is checked:
the requests, the answers, the usage it reports, resuming; not the quality of the summaries.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from conftest import ROOT, SEED

from summarizer.cli.main import main
from summarizer.llm.local import default_model_path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(default_model_path())]
    command += ["--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx2.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert server.poll() is None, log.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "llama.cpp server did not start within 120 s"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_batch_runs_against_the_llama_cpp_server_and_resumes(
    llama_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("SUMMARIZER_MODEL", "smollm2")
    monkeypatch.setenv("SUMMARIZER_CONTEXT_TOKENS", "2048")
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    source = tmp_path / "wire"
    source.mkdir()
    shutil.copy(SEED, source / "seed.txt")
    shutil.copy(ROOT / "seeds" / "002_ru_almaty_transport.txt", source / "ru.txt")
    out = tmp_path / "out"

    argv = ["batch", str(source), "--out", str(out), "--tasks", "summary", "--concurrency", "2"]
    assert main(argv) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["endpoint"] == llama_server and report["model"] == "smollm2"
    assert [item["status"] for item in report["items"]] == ["done", "done"]
    for item in report["items"]:
        assert not item["cached"] and item["calls"] == 1
        assert item["prompt_tokens"] > 100 and item["completion_tokens"] > 0  # counted by the server
        assert (out / item["output"]).read_text(encoding="utf-8").strip()
        assert (out / item["page"]).is_file()

    assert main(argv) == 0  # killed or not, a rerun does only what is left: here, nothing
    again = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [item["resumed"] for item in again["items"]] == [True, True]
    assert not [p.name for p in (out / "default").iterdir() if p.name.startswith(".")]  # no temporary files

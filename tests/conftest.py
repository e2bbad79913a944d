from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8ce9aa6233c040a4.txt"
FIXTURE_CACHE = ROOT / "tests" / "fixtures" / "cache.jsonl"
sys.path.insert(0, str(Path(__file__).parent))  # for `from fakes import ...`


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that connects anywhere but loopback: tests never touch the network."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test starts with no endpoint configured and its own empty cache directory."""
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "SUMMARIZER_BACKEND",
        "SUMMARIZER_MODEL",
        "SUMMARIZER_CACHE_MODE",
        "SUMMARIZER_LOCAL_MODEL",
        "SUMMARIZER_TIMEOUT",
        "SUMMARIZER_CONTEXT_TOKENS",
        "SUMMARIZER_PROMPTS_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(ROOT / "tests" / "data" / "empty-config.toml"))
    return cache_dir


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")

"""Each command imports only what it uses: the SDK, llama.cpp and the heavy models stay out of the
light commands (the figures are in docs/BENCHMARKS.md; here, what each one may import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_CACHE, ROOT, SEED

HEAVY = (
    "openai",
    "aiohttp",
    "httpx2",
    "llama_cpp",
    "trafilatura",
    "lingua",
    "pymorphy3",
    "summarizer.facts.schema",
    "charset_normalizer",  # only for legacy-encoded copy
)
PROBE = """
import json, sys
from summarizer.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "heavy": [m for m in HEAVY if m in sys.modules]}), file=sys.stderr)
""".replace("HEAVY", repr(HEAVY))


def probe(*argv: str, env: dict[str, str]) -> tuple[int, set[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["heavy"]), done.stdout


@pytest.fixture
def env(clean_env: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    code, _, _ = probe("cache", "import", str(FIXTURE_CACHE), env=environment)
    assert code == 0
    return environment


def test_help_imports_nothing_heavy(env: dict[str, str]) -> None:
    code, heavy, out = probe("--help", env=env)
    assert code == 0 and "summarise" in out
    assert heavy == set()


def test_cache_stats_imports_nothing_heavy(env: dict[str, str]) -> None:
    code, heavy, out = probe("cache", "stats", env=env)
    assert code == 0 and "entries: 9" in out
    assert heavy == set()


def test_check_needs_the_language_models_but_no_sdk_or_model(env: dict[str, str]) -> None:
    russian = ROOT / "seeds/002_ru_almaty_transport.txt"  # not a translation of the seed: the checks fail it
    code, heavy, out = probe("check", str(SEED), str(russian), "--to", "ru", env=env)
    assert code == 3 and "FAIL" in out
    assert heavy <= {"lingua", "pymorphy3"}


def test_a_cached_summary_needs_neither_the_sdk_nor_the_model(env: dict[str, str]) -> None:
    first = probe("summarise", str(SEED), "--backend", "local", env=env)
    again = probe("summarise", str(SEED), "--backend", "local", env=env)
    assert first[0] == again[0] == 0 and first[2] == again[2] != ""
    assert again[1] == set()


def test_a_cached_translation_loads_the_model_once_to_count_then_never(env: dict[str, str]) -> None:
    first = probe("translate", str(SEED), "--to", "kk", "--backend", "local", env=env)
    again = probe("translate", str(SEED), "--to", "kk", "--backend", "local", env=env)
    assert first[2] == again[2] != ""
    assert "openai" not in first[1]  # answered by the cache: no SDK even the first time
    assert again[1] <= {"lingua", "pymorphy3"}  # the checks' language models; no llama.cpp, no SDK


def test_a_cache_miss_does_import_the_sdk(env: dict[str, str], tmp_path: Path) -> None:
    # The other side: the probe would see the SDK when a request really goes out (replay mode
    # stops it before the network, after the client has been built).
    code, heavy, _ = probe(
        "summarise",
        str(SEED),
        "--backend",
        "openai",
        "--model",
        "m",
        "--cache-mode",
        "off",
        "--timeout",
        "1",
        env={**env, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"},
    )
    assert code == 1 and "openai" in heavy

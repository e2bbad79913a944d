"""Pricing from a data file; --dry-run counts with the task's real prompts and sends nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from fakes import FakeOpenAI, Reply

from summarizer.batch.pricing import load_pricing
from summarizer.cli.main import main
from summarizer.config import Backend, Settings
from summarizer.errors import UsageError
from summarizer.facts.extract import plan as facts_plan
from summarizer.llm.chat import Usage
from summarizer.llm.client import LLM
from summarizer.text.articles import load_article


@pytest.mark.parametrize(
    "model, expected",
    [("gpt-4o-mini-2024-07-18", 0.15), ("gpt-4o", 2.50), ("gpt-4.1-nano", 0.10), ("gpt-4", 30.0), ("llama3", None)],
)
def test_longest_prefix_wins(model: str, expected: float | None) -> None:
    price = load_pricing().price(model)
    assert (price.input if price else None) == expected


def test_cost_batch_discount_and_local_is_free() -> None:
    table = load_pricing()
    usage = Usage(1_000_000, 1_000_000)
    assert table.cost("gpt-4o-mini", usage) == pytest.approx(0.75)
    assert table.cost("gpt-4o-mini", usage, batch_api=True) == pytest.approx(0.375)
    assert table.cost("SmolLM2-135M-Instruct.Q4_1.gguf", usage, backend="local") == 0.0


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"priced": False}, 0.0),  # what the embedded model's capabilities say
        ({"priced": True}, 0.75),
        ({"backend": "local"}, 0.0),  # the setting, answered through the same capabilities
        ({"backend": "openai"}, 0.75),
    ],
)
def test_an_unpriced_model_costs_nothing_whatever_its_name(options: dict[str, object], expected: float) -> None:
    # A gpt-4o-mini name served by a model that is not priced (embedded) still costs nothing.
    cost = load_pricing().cost("gpt-4o-mini", Usage(1_000_000, 1_000_000), **options)  # type: ignore[arg-type]
    assert cost == pytest.approx(expected)


def test_a_pricing_file_overrides_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "prices.toml"
    own.write_text('checked = "our contract"\n[models]\n"qwen" = { input = 1.0, output = 2.0 }\n')
    monkeypatch.setenv("SUMMARIZER_PRICING", str(own))
    assert load_pricing().cost("qwen2.5-7b", Usage(1000, 1000)) == pytest.approx(0.003)
    own.write_text("[models]\nqwen = 3\n")
    with pytest.raises(UsageError, match="prices.toml"):
        load_pricing()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeOpenAI(Reply("A summary.")) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        yield fake


def test_dry_run_sends_nothing_and_counts_the_real_prompts(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_CONTEXT_TOKENS", "2000")  # the long article needs map-reduce
    src = tmp_path / "in"
    src.mkdir()
    (src / "seed.txt").write_bytes(SEED.read_bytes())
    (src / "long.txt").write_bytes((ROOT / "seeds/001_long_energy_forum.txt").read_bytes())
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    argv = ["batch", str(src), "--out", str(out), "--tasks", "summary,summary:ru", "--dry-run", "--model", "gpt-4"]
    code = main(argv)
    stdout, err = capsys.readouterr()
    estimate = json.loads(stdout)
    assert server.requests == [] and not out.exists()
    assert code == 1 and "empty.txt is empty" in err  # the run would fail it: said before paying
    assert estimate["jobs"] == 4 and estimate["requests"] > 4  # parts + combine for the long one
    assert estimate["prompt_tokens"] > 2000 and estimate["cached_requests"] == 0
    assert estimate["cost_usd"] == pytest.approx(
        (estimate["prompt_tokens"] * 30 + estimate["max_completion_tokens"] * 60) / 1e6
    )

    (src / "empty.txt").unlink()
    assert main(["batch", str(src / "seed.txt"), "--out", str(out), "--model", "gpt-4"]) == 0  # really run
    capsys.readouterr()
    assert main(["batch", str(src / "seed.txt"), "--out", str(out), "--model", "gpt-4", "--dry-run"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["requests"], again["cached_requests"], again["prompt_tokens"]) == (1, 1, 0)
    assert len(server.requests) == 1


def test_dry_run_of_facts_counts_one_request_per_part_and_fails_nothing(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The facts task must be able to read the stand-in answer: it used to re-ask and then call
    # every article a failure ("did not answer with valid FactsDraft JSON").
    monkeypatch.setenv("SUMMARIZER_CONTEXT_TOKENS", "4000")  # the long article in parts
    src = tmp_path / "in"
    src.mkdir()
    (src / "seed.txt").write_bytes(SEED.read_bytes())
    (src / "long.txt").write_bytes((ROOT / "seeds/001_long_energy_forum.txt").read_bytes())
    argv = ["batch", str(src), "--out", str(tmp_path / "out"), "--tasks", "facts", "--dry-run", "--model", "gpt-4"]
    code = main(argv)
    estimate = json.loads(capsys.readouterr().out)
    assert (code, estimate["failed"], server.requests) == (0, {}, [])
    settings = Settings(backend=Backend.OPENAI, model="gpt-4", base_url=server.base_url, context_tokens=4000)
    parts = [len(facts_plan(load_article(src / name), LLM(settings), lang="en")) for name in ("seed.txt", "long.txt")]
    assert parts[1] >= 2 and (estimate["jobs"], estimate["requests"]) == (2, sum(parts))


def test_a_broken_pricing_file_stops_the_batch_before_any_request(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "prices.toml"
    bad.write_text("[models]\nqwen = 3\n")
    code = main(["batch", str(SEED), "--out", str(tmp_path / "out"), "--pricing", str(bad)])
    assert code == 2 and "prices.toml" in capsys.readouterr().err
    assert server.requests == []

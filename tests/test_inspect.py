"""``summarizer inspect``: what the tool reads from an article, with no model call or load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED

from summarizer.cli.main import main
from summarizer.facts.schema import ArticleOut

AGENCY = ROOT / "tests" / "data" / "agency"
LONG = ROOT / "seeds" / "001_long_energy_forum.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report_of_a_real_item(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "inspect", str(AGENCY / "ru_tass_london.txt"))
    assert code == 0 and err == ""
    lines = dict(line.split(":", 1) for line in out.splitlines())
    assert lines["dateline"].strip() == "Лондон"
    assert lines["agency"].strip() == "TASS"
    assert lines["date"].strip() == "--08-09 (month and day; year unknown)"
    assert lines["language"].strip() == "ru (confidence 0.99)"
    assert lines["title"].strip().startswith("Джонсон поручил")
    # The local backend's tokenizer is not loaded: the count says it is approximate.
    assert "approximate" in lines["tokens"] and "one request" in lines["context"]


def test_json_carries_the_facts_article_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "inspect", str(SEED), "--json", "--backend", "openai", "--model", "gpt-4")
    data = json.loads(out)
    assert code == 0
    assert set(data["article"]) == set(ArticleOut.model_fields)
    article = data["article"]
    assert (article["dateline"], article["agency"], article["date"], article["source"]) == (
        "Mogilev",
        "Kazinform",
        "2015-11-25",
        "BelTA",
    )
    assert article["language"] == "en" and article["year_known"] is True
    assert data["tokens"]["exact"] is True and data["tokens"]["model"] == "gpt-4"
    assert data["tokens"]["count"] > 200 and data["context_tokens"] == 8192
    assert (data["fits"], data["parts"]) == (True, 1)


def test_a_long_article_says_in_how_many_parts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_CONTEXT_TOKENS", "2048")
    code, out, _ = run(capsys, "inspect", str(LONG), "--json", "--backend", "openai")
    data = json.loads(out)
    assert code == 0 and data["fits"] is False and data["parts"] >= 3
    assert data["context_tokens"] == 2048


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [("SUMMARIZER_AGENCIES", "ours.toml", "agency:     Daryo"), ("SUMMARIZER_MAX_INPUT_MB", "0.00001", "over the")],
)
def test_the_settings_reach_the_article_reader(
    variable: str,
    value: str,
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "ours.toml").write_text('[[agency]]\nname = "Daryo"\naliases = ["DARYO"]\n', encoding="utf-8")
    (tmp_path / "item.txt").write_text("TASHKENT, 5 May (DARYO) – The council met today.", encoding="utf-8")
    monkeypatch.setenv(variable, str(tmp_path / value) if value.endswith(".toml") else value)
    code, out, err = run(capsys, "inspect", str(tmp_path / "item.txt"))
    assert expected in out + err


def test_undetermined_language_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    short = tmp_path / "short.txt"
    short.write_text("Ок, да.", encoding="utf-8")
    code, out, _ = run(capsys, "inspect", str(short))
    assert code == 0 and "language:   undetermined (best guess" in out


@pytest.mark.parametrize("kind", ["empty", "binary", "missing", "directory"])
def test_bad_file_is_one_line_and_exit_2(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"empty": tmp_path / "e.txt", "binary": tmp_path / "b.bin", "missing": tmp_path / "m.txt"}
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 8)
    code, out, err = run(capsys, "inspect", str(files.get(kind, tmp_path)))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("summarizer: error:")


def test_stdin_without_the_sdk_or_llama_cpp() -> None:
    script = (
        "import sys, json; from summarizer.cli.main import main; code = main(['inspect', '-', '--json']);"
        "print(json.dumps([code, sorted(m for m in ('openai', 'llama_cpp') if m in sys.modules)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=(AGENCY / "be_telegraf_wages.txt").read_bytes(),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    out = done.stdout.decode()
    report, tail = out.rsplit("\n", 2)[0], json.loads(out.strip().splitlines()[-1])
    assert tail == [0, []], done.stderr.decode()[-500:]
    data = json.loads(report)
    assert data["article"]["id"] == "stdin" and data["article"]["language"] == "be"
    assert data["article"]["title"] == "У лютым беларусы ў сярэднім атрымлівалі 370 даляраў"

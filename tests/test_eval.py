"""``summarizer eval``: two loopback endpoints, one answering well and one looping, ranked by the checks."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from fakes import FakeOpenAI, Reply

from summarizer.batch.evaluate import shipped_corpus
from summarizer.batch.pricing import load_pricing
from summarizer.cli.main import main
from summarizer.llm.chat import Usage

AGENCY = ROOT / "tests" / "data" / "agency"
# Real English wire items (provenance: tests/data/README.md), copied into each test's corpus folder.
ITEMS = ("en_cnn_washington.txt", "en_kazinform_mogilev.txt", "en_yonhap_seoul.txt")
LOOP = " ".join(["the ministry said the ministry said"] * 12)


def good(body: dict[str, Any]) -> Reply:
    """An editor's summary: the article's own first two sentences, which every check accepts."""
    prompt = body["messages"][-1]["content"]
    article = prompt.split("<article>", 1)[1].split("</article>", 1)[0]
    paragraphs = [p.strip() for p in article.strip().split("\n\n") if p.strip()]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(paragraphs[1:] if len(paragraphs) > 2 else paragraphs))
    return Reply(" ".join(sentences[:2]))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ITEMS:
        shutil.copy(AGENCY / name, folder / name)
    return folder


@pytest.fixture
def endpoints(clean_env: Path) -> Iterator[tuple[FakeOpenAI, FakeOpenAI]]:
    with FakeOpenAI(good) as well, FakeOpenAI(Reply(LOOP, finish_reason="length")) as badly:
        yield well, badly


def _eval(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_eval_ranks_the_endpoint_whose_answers_pass_first_and_a_rerun_is_free(
    corpus: Path, endpoints: tuple[FakeOpenAI, FakeOpenAI], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    well, badly = endpoints
    # The looping model is listed first: the order of the table is the ranking, not the command line.
    args = [str(corpus), "--model", "loop-7b", "--base-url", badly.base_url,
            "--model", "gpt-4o-mini", "--base-url", well.base_url, "--json"]  # fmt: skip
    code, out, err = _eval(capsys, *args)
    assert code == 0, err
    first = json.loads(out)
    rows = first["results"]
    assert [(r["rank"], r["model"], r["task"]) for r in rows] == [(1, "gpt-4o-mini", "summary"), (2, "loop-7b", "summary")]
    best, worst = rows
    assert (best["passed"], best["articles"], best["pass_rate"]) == (3, 3, 1.0)
    assert (worst["passed"], worst["pass_rate"]) == (0, 0.0)
    assert worst["check_failure_rates"]["complete"] == 1.0  # cut off at the token limit, every time
    assert worst["check_failure_rates"]["no_repetition"] == 1.0
    assert all(rate == 0.0 for rate in best["check_failure_rates"].values())
    assert len(well.requests) == 3 and len(badly.requests) == 3
    # Timed per article while the request was in flight; the fakes answer at once.
    assert best["timed"] == 3 and 0 < best["seconds_p50"] <= best["seconds_p95"]
    # The fake reports 100 prompt and 20 answer tokens a request: the cost per 1,000 articles at list price.
    assert (best["prompt_tokens"], best["completion_tokens"]) == (300, 60)
    per_article = load_pricing().cost("gpt-4o-mini", Usage(100, 20))
    assert per_article is not None and best["cost_per_1000_usd"] == round(per_article * 1000, 4)
    assert worst["cost_per_1000_usd"] is None  # "loop-7b" is in no pricing table: unknown, not zero
    assert first["free"] == 0

    code, out, err = _eval(capsys, *args)
    assert code == 0, err
    again = json.loads(out)
    assert len(well.requests) == 3 and len(badly.requests) == 3  # nothing sent the second time
    assert again["free"] == 6 and "6 of 6 job(s) were free" in err and "a rerun costs nothing" in err
    # The same verdicts, and the seconds as they were measured when the answers were made.
    assert [r["free"] for r in rows] == [0, 0] and [r["free"] for r in again["results"]] == [3, 3]
    strip = [{k: v for k, v in r.items() if k != "free"} for r in rows]
    assert [{k: v for k, v in r.items() if k != "free"} for r in again["results"]] == strip


def test_eval_prints_one_table_and_writes_the_html_page(
    corpus: Path, endpoints: tuple[FakeOpenAI, FakeOpenAI], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    well, badly = endpoints
    page = tmp_path / "eval.html"
    code, out, err = _eval(capsys, str(corpus), "--model", "gpt-4o-mini", "--base-url", well.base_url,
                           "--model", "loop-7b", "--base-url", badly.base_url, "--html", str(page))  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    ranked = [line.split()[1] for line in lines if re.match(r"\s+[12] ", line)]
    assert ranked == ["gpt-4o-mini", "loop-7b"]
    assert "summary (3 article(s))" in out and re.search(r"\bcomplete\s+0%\s+100%", out)
    html = page.read_text(encoding="utf-8")
    assert html.index("gpt-4o-mini") < html.index("loop-7b") and "3 / 3 (100%)" in html and "0 / 3 (0%)" in html


def test_eval_dry_run_sends_nothing_and_says_what_it_would_cost(
    corpus: Path, endpoints: tuple[FakeOpenAI, FakeOpenAI], capsys: pytest.CaptureFixture[str]
) -> None:
    well, badly = endpoints
    code, out, err = _eval(capsys, str(corpus), "--model", "gpt-4o-mini", "--base-url", well.base_url,
                           "--model", "loop-7b", "--base-url", badly.base_url, "--tasks", "summary,headline",
                           "--dry-run")  # fmt: skip
    assert code == 0, err
    assert not well.requests and not badly.requests
    lines = out.splitlines()
    assert lines[0].startswith("gpt-4o-mini: 6 job(s), 6 request(s) (0 already cached)") and "cost at most $" in lines[0]
    assert lines[1].startswith("loop-7b: 6 job(s)") and "cost unknown" in lines[1]
    assert "dry run, nothing sent" in err


def test_an_endpoint_that_fails_counts_as_not_passing_and_exits_1(
    corpus: Path, clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_MAX_ATTEMPTS", "1")
    with FakeOpenAI(Reply("bad key", status=401)) as refused:
        code, out, err = _eval(capsys, str(corpus), "--model", "gpt-4o-mini", "--base-url", refused.base_url)
    assert code == 1
    assert re.search(r"gpt-4o-mini \(http://127\.0\.0\.1:\d+/v1\)\s+0%", out)
    assert "3 job(s) failed, e.g." in out
    last = err.strip().splitlines()[-1]
    assert last.startswith("summarizer: error: 3 job(s) failed; their articles count as not passing")


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["--tasks", "sumary"], "unknown task 'sumary'"),
        (["--tasks", " , "], "--tasks names no task"),
        (["--concurrency", "0"], "--concurrency must be at least 1"),
        (["--limit", "0"], "--limit must be at least 1"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    corpus: Path, clean_env: Path, capsys: pytest.CaptureFixture[str], args: list[str], wanted: str
) -> None:
    code, out, err = _eval(capsys, str(corpus), *args)
    assert code == 2 and wanted in err and len(err.strip().splitlines()) == 1


def test_the_default_corpus_is_the_shipped_agency_items_without_their_answer_key() -> None:
    folder, inputs = shipped_corpus()
    names = sorted(Path(i.label).name for i in inputs)
    assert folder == AGENCY and "expected.json" not in names
    assert names == sorted(p.name for p in AGENCY.iterdir() if p.name not in ("expected.json",))

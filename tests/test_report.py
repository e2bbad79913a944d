"""report.json says what happened to every job; the HTML is safe to open whatever the articles say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeOpenAI, Reply
from test_batch import batch

from summarizer.batch.report import ReportOut, write_atomic
from summarizer.errors import UsageError

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_report_json_lists_every_job_with_tokens_cache_checks_and_cost(tmp_path: Path, clean_env: Path) -> None:
    src = tmp_path / "wire.jsonl"
    lines = [{"id": "a", "text": "ALMATY. KAZINFORM - The akim opened a bridge."}, {"id": "b", "text": ""}]
    src.write_text("".join(json.dumps(r) + "\n" for r in lines))
    with FakeOpenAI(Reply("The akim opened a bridge.")) as fake:
        batch(src, fake, clean_env, tmp_path / "out", tasks=("summary", "summary:kk"))
        batch(src, fake, clean_env, tmp_path / "out2", tasks=("summary",))  # the same answer, from the cache
    report = ReportOut.model_validate_json((tmp_path / "out/report.json").read_text())
    by_job = {i.job: i for i in report.items}
    english, kazakh = by_job["default/a/summary"], by_job["default/a/summary-kk"]
    assert (english.status, english.prompt_tokens, english.completion_tokens, english.cached) == (
        "done",
        100,
        20,
        False,
    )
    assert english.estimated_cost_usd == (100 * 0.15 + 20 * 0.60) / 1e6  # gpt-4o-mini, built-in table
    assert english.output == "default/a.summary.txt" and english.failed_checks == []
    assert kazakh.failed_checks == ["language"]  # English text passed off as Kazakh
    assert by_job["default/b/summary"].status == "failed" and "line 2" not in by_job["default/b/summary"].error
    assert report.failed_inputs == [f"{src}:2"]
    t = report.totals
    assert (t.jobs, t.done, t.failed, t.with_failed_checks, t.prompt_tokens) == (4, 2, 2, 1, 200)
    assert t.estimated_cost_usd is not None and t.estimated_cost_usd > 0
    second = json.loads((tmp_path / "out2/report.json").read_text())
    assert second["items"][0]["cached"] is True and second["items"][0]["estimated_cost_usd"] == 0.0


def test_unknown_model_has_unknown_cost(tmp_path: Path, clean_env: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("The akim opened a bridge over the river.")
    with FakeOpenAI() as fake:
        from test_batch import llm_for

        from summarizer.batch.run import BatchOptions, find_inputs, plan, run_batch

        with llm_for(fake, clean_env, model="my-vllm-model") as llm:
            run_batch(plan(find_inputs(str(src)), BatchOptions(out=tmp_path).outlets), llm, BatchOptions(out=tmp_path))
    totals = json.loads((tmp_path / "report.json").read_text())["totals"]
    assert totals["estimated_cost_usd"] is None and "my-vllm-model is not in the pricing table" in totals["cost_note"]


def test_html_escapes_hostile_articles_ids_and_answers(tmp_path: Path, clean_env: Path) -> None:
    src = tmp_path / "wire.jsonl"
    src.write_text(json.dumps({"id": HOSTILE, "text": f"The akim said {HOSTILE} at the bridge."}) + "\n")

    def reply(body: dict[str, Any]) -> Reply:
        return Reply(f"Summary {HOSTILE}", status=200) if "Summarise" in str(body) else Reply()

    with FakeOpenAI(reply) as fake:
        batch(src, fake, clean_env, tmp_path / "out", tasks=("summary", "summary:ru"))
    index = (tmp_path / "out/index.html").read_text()
    (page,) = [p for p in (tmp_path / "out/pages/default").iterdir() if p.name.endswith(".summary-ru.html")]
    html = page.read_text()
    for text in (index, html):
        assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html  # shown, not run
    assert 'class="fail"' in html and "FAILED language" in html  # the failed check is highlighted
    assert 'href="pages/default/' in index and "checks failed" in index


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "old\n")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("summarizer.batch.report.os.replace", disk_full)  # fails after the new text is written
    with pytest.raises(UsageError, match=r"cannot write .*out\.txt: No space left on device"):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # and the temporary file is gone


def test_report_shows_place_date_and_agency_of_real_copy(tmp_path: Path, clean_env: Path) -> None:
    """Real agency items (tests/data/agency): the index and report.json name where and from whom."""
    import shutil

    from conftest import ROOT

    wire = tmp_path / "wire"
    wire.mkdir()
    for name in ("ru_tass_london.txt", "en_yonhap_seoul.txt"):
        shutil.copy(ROOT / "tests" / "data" / "agency" / name, wire / name)
    with FakeOpenAI(Reply("A summary of the item.")) as fake:
        batch(wire, fake, clean_env, tmp_path / "out", tasks=("summary",))
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    headers = {item["article"]: item["header"] for item in report["items"]}
    assert headers == {"ru_tass_london": "Лондон, 09.08, TASS", "en_yonhap_seoul": "Seoul, 20.08, Yonhap"}
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<span class="muted">Лондон, 09.08, TASS</span>' in index
    page = next((tmp_path / "out" / "pages").rglob("en_yonhap_seoul*.html")).read_text(encoding="utf-8")
    assert "en, Seoul, 20.08, Yonhap" in page

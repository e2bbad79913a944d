"""Consistency: one source name spelt two ways across the day's translations (or within one).

The articles and translations here are fictional, written for the tests; the false-alarm test
reads the real human translations of tests/data/real_outputs (see its README).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from fakes import FakeOpenAI, Reply

from summarizer.checks.consistency import Document, consistency
from summarizer.cli.main import main

A_EN = (
    "ASTANA. KAZINFORM - Former President Nursultan Nazarbayev met students in Astana on Monday.\n\n"
    "Later Nazarbayev said the talks with President Tokayev were good.\n"
)
A_RU = (
    "АСТАНА. КАЗИНФОРМ - Бывший президент Нурсултан Назарбаев встретился со студентами в Астане в понедельник.\n\n"
    "Позже Назарбаев сказал, что переговоры с президентом Токаевым прошли хорошо.\n"
)
B_EN = "ALMATY. KAZINFORM - On Tuesday Nazarbayev visited a school in Almaty, where he met teachers.\n"
B_RU = "АЛМАТЫ. КАЗИНФОРМ - Во вторник Назарбайев посетил школу в Алматы, где встретился с учителями.\n"
AT_A = A_RU.index("Назарбаев")  # the first of the two places
AT_B = B_RU.index("Назарбайев")


def test_two_spellings_across_documents_are_a_warning_on_each_place() -> None:
    checks = consistency([Document("a", A_EN, A_RU), Document("b", B_EN, B_RU)])
    a, b = checks["a"], checks["b"]
    assert a.passed and b.passed  # a warning: either spelling may be the house one
    assert [f.found for f in a.findings] == ["Назарбаев", "Назарбаев"]
    assert [f.found for f in b.findings] == ["Назарбайев"]
    for text, check in ((A_RU, a), (B_RU, b)):
        for f in check.findings:
            assert f.severity == "warning" and f.kind == "inconsistent_name"
            assert f.span is not None and text[f.span[0] : f.span[1]] == f.found
            # both spellings, and where each is (document and span)
            assert f"Назарбаев (a at {AT_A}-{AT_A + 9} " in f.message
            assert f"Назарбайев (b at {AT_B}-{AT_B + 10})" in f.message
    assert b.findings[0].expected == "Назарбаев"
    assert "Nazarbayev spelt two ways" in a.detail


def test_inflection_is_not_inconsistency() -> None:
    b = "ALMATY. The students thanked Nazarbayev, and the teachers wrote to Nazarbayev about Astana.\n"
    ru = "АЛМАТЫ. Студенты поблагодарили Назарбаева, а учителя написали Назарбаеву об Астане.\n"
    kk_a = "АСТАНА. Нұрсұлтан Назарбаевтың сөзі. Назарбаевқа студенттер хат жазды, Кореяға барды.\n"
    kk_b = "АЛМАТЫ. Назарбаев Алматыда мектепке барды. Кореядағы оқушылар Кореядан келді.\n"
    en_a = "ASTANA. A speech by Nursultan Nazarbayev. Students wrote to Nazarbayev, who went to Korea.\n"
    en_b = "ALMATY. In Almaty Nazarbayev visited a school. Pupils in Korea came from Korea.\n"
    checks = consistency([Document("a", A_EN, A_RU), Document("b", b, ru)])
    assert not any(c.findings for c in checks.values()), [c.detail for c in checks.values()]
    kk = consistency([Document("a", en_a, kk_a, target_lang="kk"), Document("b", en_b, kk_b, target_lang="kk")])
    assert not any(c.findings for c in kk.values()), [c.detail for c in kk.values()]


def test_two_spellings_within_one_translation_and_the_two_traditions() -> None:
    ru = A_RU.replace("Токаевым", "Тоқаевым").replace("Позже Назарбаев", "Позже Назарбайев")
    (check,) = consistency([Document("a", A_EN, ru)]).values()
    assert {f.found for f in check.findings} == {"Назарбаев", "Назарбайев"}
    # one Tokayev only: one spelling, whatever its tradition
    assert not any("Tokayev" in f.message for f in check.findings)


def test_an_organisation_in_quotes_keeps_its_own_spelling() -> None:
    en = "ASTANA. Kazakhstan Temir Zholy said on Monday that Kazakhstan exported more grain.\n"
    ru = "АСТАНА. АО «Қазақстан темір жолы» сообщило в понедельник, что Казахстан экспортировал больше зерна.\n"
    (check,) = consistency([Document("a", en, ru)]).values()
    assert not check.findings, check.detail


def test_different_target_languages_are_not_compared() -> None:
    kk = "АЛМАТЫ. КАЗИНФОРМ - Сейсенбі күні Назарбайев Алматыдағы мектепке барды.\n"
    checks = consistency([Document("a", A_EN, A_RU), Document("b", B_EN, kk, target_lang="kk")])
    assert not any(c.findings for c in checks.values())


def test_real_human_translations_raise_no_consistency_warning() -> None:
    rows = [json.loads(line) for line in (ROOT / "tests/data/real_outputs/human.jsonl").open(encoding="utf-8")]
    assert len(rows) >= 30
    for lang in ("ru", "kk"):
        docs = [Document(r["id"], r["source"], r["translation"], r["source_lang"], lang) for r in rows
                if r["target_lang"] == lang]  # fmt: skip
        flagged = {k: c.detail for k, c in consistency(docs).items() if c.findings}
        assert not flagged, flagged


# -- the batch: report.json and the index page ---------------------------------------------------


def test_batch_reports_a_name_spelt_two_ways_on_both_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(A_EN, encoding="utf-8")
    (src / "b.txt").write_text(B_EN, encoding="utf-8")

    def answer(body: dict[str, Any]) -> Reply:
        prompt = body["messages"][-1]["content"]
        return Reply(A_RU if "students" in prompt else B_RU)

    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
        out = tmp_path / "out"
        code = main(["batch", str(src), "--out", str(out), "--tasks", "translate:ru"])
        assert code == 0, capsys.readouterr().err
        asked = len(fake.requests)
        # A resumed batch (nothing left to do) reports it again, from the files it wrote.
        (out / "report.json").unlink()
        assert main(["batch", str(src), "--out", str(out), "--tasks", "translate:ru"]) == 0
        assert len(fake.requests) == asked
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    spelt = {}
    for item in report["items"]:
        (check,) = [c for c in item["checks"] if c["name"] == "consistency"]
        spelt[item["article"]] = {f["found"] for f in check["findings"]}
        assert all(f["severity"] == "warning" and f["span"] for f in check["findings"])
        assert "Назарбаев" in check["detail"] and "Назарбайев" in check["detail"]
    assert spelt == {"a": {"Назарбаев"}, "b": {"Назарбайев"}}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Names spelt two ways" in index
    assert f"Nazarbayev spelt two ways: Назарбаев (default/a/translate-ru at {AT_A}-{AT_A + 9}" in index
    assert f"Назарбайев (default/b/translate-ru at {AT_B}-{AT_B + 10})" in index
    assert all(item["resumed"] for item in report["items"])


# -- summarizer check of several pairs -------------------------------------------------------------


def test_check_of_several_pairs_reports_the_name_spelt_two_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, text in {"a.txt": A_EN, "a.ru.txt": A_RU, "b.txt": B_EN, "b.ru.txt": B_RU}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["check", "--pairs", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] and [p["language"] for p in data["pairs"]] == ["ru", "ru"]
    found = {}
    for pair in data["pairs"]:
        (check,) = [c for c in pair["checks"] if c["name"] == "consistency"]
        found[Path(pair["translation"]).name] = [(f["found"], f["span"]) for f in check["findings"]]
    assert found["b.ru.txt"] == [("Назарбайев", [AT_B, AT_B + 10])]
    assert found["a.ru.txt"][0] == ("Назарбаев", [AT_A, AT_A + 9])
    # the same pairs named on the command line, read as text: marked, not "ok"
    files = [str(tmp_path / n) for n in ("a.txt", "a.ru.txt", "b.txt", "b.ru.txt")]
    assert main(["check", *files, "--to", "ru"]) == 0
    out = capsys.readouterr().out
    assert out.count("warn consistency: 1 source name(s) spelt two ways: Nazarbayev spelt two ways") == 2
    # a lone file is a usage error, in one line
    assert main(["check", *files[:3]]) == 2
    assert "has no partner" in capsys.readouterr().err


# -- the desk's day --------------------------------------------------------------------------------


def test_the_desk_shows_a_name_spelt_two_ways_in_the_days_translations() -> None:
    pytest.importorskip("starlette", reason="the desk needs the [serve] extra")
    from desk_client import DeskClient

    from summarizer.config import Settings
    from summarizer.serve.app import create_app

    with DeskClient(create_app(Settings.resolve())) as desk:
        store = desk.app.state.store
        ids = {}
        for name, source, text in (
            ("a", A_EN, A_RU),
            ("b", B_EN, B_RU),
            ("c", B_EN, B_RU.replace("Назарбайев", "Назарбаев")),
        ):
            params = {
                "lang": "ru",
                "source_lang": "en",
                "task": "translate",
                "outlet": "kz" if name == "c" else "default",
            }
            ids[name] = store.create(kind="translation", title=f"story {name}", source=source, params=params)
            store.finish(ids[name], {"translation": text, "checks": []})
        page_a = desk.get(f"/doc/{ids['a']}").text
        page_c = desk.get(f"/doc/{ids['c']}").text
    assert 'id="spelt"' in page_a and "Nazarbayev spelt two ways: Назарбаев (story a [" in page_a
    assert "Назарбайев (story b [" in page_a
    assert 'id="spelt"' not in page_c  # another outlet's day


def test_merged_shards_are_compared_with_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(body: dict[str, Any]) -> Reply:
        return Reply(A_RU if "students" in body["messages"][-1]["content"] else B_RU)

    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        for name, text in (("a", A_EN), ("b", B_EN)):  # one article per machine
            (tmp_path / name).mkdir()
            (tmp_path / name / f"{name}.txt").write_text(text, encoding="utf-8")
            code = main(
                ["batch", str(tmp_path / name), "--out", str(tmp_path / f"out-{name}"), "--tasks", "translate:ru"]
            )
            assert code == 0, capsys.readouterr().err
    for name in ("a", "b"):  # alone, each shard's one spelling is consistent
        (item,) = json.loads((tmp_path / f"out-{name}" / "report.json").read_text(encoding="utf-8"))["items"]
        assert not any(c["name"] == "consistency" for c in item["checks"])
    merged = tmp_path / "merged"
    assert main(["merge-reports", str(tmp_path / "out-a"), str(tmp_path / "out-b"), "--out", str(merged)]) == 0
    items = json.loads((merged / "report.json").read_text(encoding="utf-8"))["items"]
    found = {i["article"]: [f["found"] for c in i["checks"] if c["name"] == "consistency" for f in c["findings"]]
             for i in items}  # fmt: skip
    assert found == {"a": ["Назарбаев", "Назарбаев"], "b": ["Назарбайев"]}
    assert "Names spelt two ways" in (merged / "index.html").read_text(encoding="utf-8")

"""``--review``: a judge model's meaning review, against a scripted loopback judge (tests/fakes.py).

The article and its faulty translation are fictional, written for the tests after the kind of
errors a 1.5B model made on real copy (South Korean -> Северная Корея; the guest made the host).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeOpenAI, Reply

from summarizer.cli.main import main
from summarizer.tasks.translate import source_text
from summarizer.text.articles import load_article

SOURCE = (
    "SEOUL. KAZINFORM - South Korean President Lee Jae-myung visited Moscow on Tuesday, where Russian President "
    "Vladimir Putin received him. The two leaders signed 12 agreements.\n"
)
TRANSLATION = (
    "СЕУЛ. КАЗИНФОРМ - Президент Северной Кореи Ли Чжэ Мён во вторник принял в Сеуле российского президента "
    "Владимира Путина. Лидеры подписали 12 соглашений.\n"
)
FAITHFUL = (
    "СЕУЛ. КАЗИНФОРМ - Президент Южной Кореи Ли Чжэ Мён во вторник посетил Москву, где его принял президент "
    "России Владимир Путин. Лидеры подписали 12 соглашений.\n"
)
GROUNDED = [
    {"kind": "wrong_entity", "explanation": "South Korea became North Korea",
     "translation_quote": "Президент Северной Кореи", "source_quote": "South Korean President"},
    {"kind": "swapped_roles", "explanation": "the guest became the host",
     "translation_quote": "принял в Сеуле российского президента", "source_quote": "Putin received him"},
]  # fmt: skip
UNGROUNDED = [
    # the translation never says this
    {"kind": "negation", "explanation": "signed became not signed", "translation_quote": "не подписали",
     "source_quote": "The two leaders signed 12 agreements"},
    # the article never says this
    {"kind": "changed_quantity", "explanation": "a number changed", "translation_quote": "12 соглашений",
     "source_quote": "twelve accords"},
]  # fmt: skip


def _files(tmp_path: Path, translated: str = TRANSLATION) -> tuple[Path, Path]:
    source, translation = tmp_path / "a.txt", tmp_path / "a.ru.txt"
    source.write_text(SOURCE, encoding="utf-8")
    translation.write_text(translated, encoding="utf-8")
    return source, translation


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_grounded_findings_are_kept_with_both_spans_and_ungrounded_dropped_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, translation = _files(tmp_path)
    answer = json.dumps({"errors": GROUNDED + UNGROUNDED}, ensure_ascii=False)
    with FakeOpenAI(Reply(answer)) as judge:
        argv = ["check", str(source), str(translation), "--to", "ru", "--json", "--review",
                "--review-base-url", judge.base_url, "--review-model", "judge-7b"]  # fmt: skip
        code, out, err = _run(capsys, *argv)
    assert code == 3, err
    assert "2 review findings dropped: quote not in the text" in err
    (asked,) = judge.requests
    assert asked.body["model"] == "judge-7b"
    assert asked.body["response_format"]["json_schema"]["name"] == "ReviewDraft"
    prompt = asked.body["messages"][-1]["content"]
    assert "Северной Кореи" in prompt and "South Korean President" in prompt
    (review,) = [c for c in json.loads(out)["checks"] if c["name"] == "review"]
    assert not review["passed"] and "2 review finding(s) dropped" not in review["detail"]
    assert "2 review findings dropped: quote not in the text" in review["detail"]
    kept = review["findings"]
    assert [f["kind"] for f in kept] == ["wrong_entity", "swapped_roles"]
    judged, original = TRANSLATION.strip(), source_text(load_article(source))
    for finding, drafted in zip(kept, GROUNDED, strict=True):
        assert finding["severity"] == "error"
        a, b = finding["span"]
        s, e = finding["source_span"]
        assert judged[a:b] == drafted["translation_quote"] == finding["found"]
        assert original[s:e] == drafted["source_quote"] == finding["expected"]


def test_an_empty_answer_is_no_finding_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, translation = _files(tmp_path, FAITHFUL)
    with FakeOpenAI(Reply('{"errors": []}')) as judge:
        code, out, err = _run(capsys, "check", str(source), str(translation), "--to", "ru", "--review",
                              "--review-base-url", judge.base_url)  # fmt: skip
    assert code == 0, err
    assert "ok   review: the judge (gpt-4o-mini) found no meaning error" in out
    assert "dropped" not in err


def test_only_ungrounded_findings_say_none_could_be_quoted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, translation = _files(tmp_path, FAITHFUL)
    with FakeOpenAI(Reply(json.dumps({"errors": UNGROUNDED[:1]}, ensure_ascii=False))) as judge:
        code, out, err = _run(capsys, "check", str(source), str(translation), "--to", "ru", "--review",
                              "--review-base-url", judge.base_url)  # fmt: skip
    assert code == 0
    assert "no meaning error it could quote; 1 review finding dropped: quote not in the text" in out
    assert "1 review finding dropped: quote not in the text" in err


def test_malformed_json_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, translation = _files(tmp_path)
    with FakeOpenAI(Reply("The translation has a few problems, mostly with Korea.")) as judge:
        code, out, err = _run(capsys, "check", str(source), str(translation), "--to", "ru", "--review",
                              "--review-base-url", judge.base_url)  # fmt: skip
        assert len(judge.requests) == 2  # asked once more with the error, as every structured answer is
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "did not answer with valid ReviewDraft JSON" in err and "Traceback" not in err


def test_the_embedded_model_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, translation = _files(tmp_path)
    for argv in (
        ["check", str(source), str(translation), "--to", "ru", "--review"],
        ["translate", str(source), "--to", "kk", "--review"],  # refused before minutes of translating
        ["summarise", str(source), "--review", "--review-model", "other.gguf"],
    ):
        code, out, err = _run(capsys, *argv)
        assert (code, out) == (2, ""), err
        assert err.count("\n") == 1 and "embedded model" in err and "too small to judge meaning" in err


def test_translate_review_on_the_configured_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, _ = _files(tmp_path)

    def answer(body: dict[str, Any]) -> Reply:
        if body.get("response_format"):
            return Reply(json.dumps({"errors": GROUNDED[:1]}, ensure_ascii=False))
        return Reply(TRANSLATION)

    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        code, out, err = _run(capsys, "translate", str(source), "--to", "ru", "--review", "--strict")
        schemas = [
            r.body["response_format"]["json_schema"]["name"] for r in fake.requests if r.body.get("response_format")
        ]
    assert out.strip() == TRANSLATION.strip()
    assert schemas == ["ReviewDraft"]
    assert code == 3 and "check 'review' failed: 1 meaning error(s): wrong entity" in err, err


def test_batch_review_adds_the_judges_grounded_findings_to_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, _ = _files(tmp_path)
    answer = json.dumps({"errors": GROUNDED + UNGROUNDED}, ensure_ascii=False)
    with FakeOpenAI(Reply(TRANSLATION)) as model, FakeOpenAI(Reply(answer)) as judge:
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        out = tmp_path / "out"
        argv = ["batch", str(source), "--out", str(out), "--tasks", "translate:ru", "--review",
                "--review-base-url", judge.base_url]  # fmt: skip
        assert main(argv) == 0, capsys.readouterr().err
        assert len(judge.requests) == 1 and not any(r.body.get("response_format") for r in model.requests)
    (item,) = json.loads((out / "report.json").read_text(encoding="utf-8"))["items"]
    (review,) = [c for c in item["checks"] if c["name"] == "review"]
    assert "review" in item["failed_checks"]
    assert [f["kind"] for f in review["findings"]] == ["wrong_entity", "swapped_roles"]
    assert "2 review findings dropped: quote not in the text" in review["detail"]
    written = (out / item["output"]).read_text(encoding="utf-8").strip()
    for finding in review["findings"]:
        a, b = finding["span"]
        assert written[a:b] == finding["found"]
    assert "meaning error(s): wrong entity" in (out / "index.html").read_text(encoding="utf-8")


# -- the desk's API: "review": true ----------------------------------------------------------------


def test_api_review_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("starlette", reason="the desk needs the [serve] extra")
    from desk_client import DeskClient

    from summarizer.config import Settings
    from summarizer.serve.app import create_app

    def answer(body: dict[str, Any]) -> Reply:
        if body.get("response_format"):
            return Reply(json.dumps({"errors": GROUNDED + UNGROUNDED}, ensure_ascii=False))
        return Reply(TRANSLATION)

    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        with DeskClient(create_app(Settings.resolve())) as desk:
            checked = desk.post("/api/check", json={"source": SOURCE, "text": TRANSLATION, "to": "ru", "review": True})
            plain = desk.post("/api/check", json={"source": SOURCE, "text": TRANSLATION, "to": "ru"})
            translated = desk.post("/api/translate", json={"text": SOURCE, "to": "ru", "review": True})
            bad = desk.post("/api/check", json={"source": SOURCE, "text": TRANSLATION, "to": "ru", "review": "yes"})
    assert checked.status_code == 200, checked.text
    data = checked.json()
    (review,) = [c for c in data["checks"] if c["name"] == "review"]
    assert not data["passed"] and [f["kind"] for f in review["findings"]] == ["wrong_entity", "swapped_roles"]
    assert "2 review findings dropped" in review["detail"]
    assert not any(c["name"] == "review" for c in plain.json()["checks"])  # off by default
    assert translated.status_code == 200, translated.text
    assert any(c["name"] == "review" and not c["passed"] for c in translated.json()["checks"])
    assert bad.status_code == 400 and bad.json() == {"error": '"review" is true or false'}


def test_api_review_is_refused_on_the_embedded_model(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("starlette", reason="the desk needs the [serve] extra")
    from desk_client import DeskClient

    from summarizer.config import Settings
    from summarizer.serve.app import create_app

    with DeskClient(create_app(Settings.resolve())) as desk:
        refused = desk.post("/api/check", json={"source": SOURCE, "text": TRANSLATION, "to": "ru", "review": True})
    assert refused.status_code == 400 and "too small to judge meaning" in refused.json()["error"]


def test_desk_button_marks_the_judges_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("starlette", reason="the desk needs the [serve] extra")
    import re

    from desk_client import DeskClient

    from summarizer.config import Settings
    from summarizer.serve.app import create_app

    answer = json.dumps({"errors": GROUNDED + UNGROUNDED}, ensure_ascii=False)
    with FakeOpenAI(Reply(answer)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        with DeskClient(create_app(Settings.resolve())) as desk:
            store = desk.app.state.store
            params = {"lang": "ru", "source_lang": "en", "task": "translate"}
            doc = store.create(kind="translation", title="Seoul", source=SOURCE, params=params)
            store.finish(doc, {"translation": TRANSLATION, "checks": []})
            page = desk.get(f"/doc/{doc}").text
            assert 'id="judge"' in page
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            reply = desk.post(f"/doc/{doc}/judge", data={"csrf": token, "text": TRANSLATION})
            assert reply.status_code == 303, reply.text
            page = desk.get(f"/doc/{doc}").text
    assert "review: 2 meaning error(s)" in page and "2 review findings dropped" in page
    assert re.search(r'<mark class="fault" title="review[^"]*"[^>]*>Президент Северной Кореи</mark>', page), page


def test_desk_offers_no_review_button_on_the_embedded_model() -> None:
    pytest.importorskip("starlette", reason="the desk needs the [serve] extra")
    from desk_client import DeskClient

    from summarizer.config import Settings
    from summarizer.serve.app import create_app

    with DeskClient(create_app(Settings.resolve())) as desk:
        store = desk.app.state.store
        doc = store.create(kind="translation", title="Seoul", source=SOURCE, params={"lang": "ru"})
        store.finish(doc, {"translation": TRANSLATION, "checks": []})
        assert 'id="judge"' not in desk.get(f"/doc/{doc}").text

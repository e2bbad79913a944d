"""The desk's JSON API, in-process, against a loopback OpenAI-compatible model endpoint."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED
from desk_client import DeskClient
from fakes import FakeOpenAI, Reply

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402

KEY = "sk-canary-5e4d3c2b1a0f9e8d7c6b"
TRANSLATIONS = ROOT / "tests" / "data" / "translations"
SEED_KK = (TRANSLATIONS / "seed_kk.txt").read_text(encoding="utf-8")
GLOSSARY = (TRANSLATIONS / "glossary.csv").read_text(encoding="utf-8")
FACTS = (ROOT / "tests" / "data" / "facts" / "seed_answer.json").read_text(encoding="utf-8")
SUMMARY = "Kazakhstan wants big joint investment projects in Belarus."


def answer(body: dict[str, Any]) -> Reply:
    """The fake model: facts JSON for a structured request, the seed's Kazakh for a translation."""
    if "response_format" in body:
        return Reply(FACTS)
    prompt = " ".join(m["content"] for m in body["messages"]).lower()
    return Reply(SEED_KK if "translat" in prompt else SUMMARY)


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


@pytest.fixture
def desk(model: FakeOpenAI) -> Iterator[DeskClient]:
    with DeskClient(create_app(Settings.resolve())) as client:
        yield client


def post(desk: DeskClient, path: str, data: Any) -> Any:
    return desk.post(path, json=data)


def test_home_is_an_html_page(desk: DeskClient) -> None:
    page = desk.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<form" in page.text and 'name="csrf"' in page.text


def test_health(desk: DeskClient) -> None:
    data = desk.get("/api/health").json()
    assert data["status"] == "ok" and data["backend"] == "openai" and data["model"] == "gpt-4o-mini"


def test_summarise(desk: DeskClient, model: FakeOpenAI) -> None:
    reply = post(desk, "/api/summarise", {"text": SEED.read_text(encoding="utf-8"), "lang": "en", "length": "short"})
    assert reply.status_code == 200, reply.text
    data = reply.json()
    assert data["summary"] == SUMMARY
    assert {c["name"] for c in data["checks"]} >= {"language", "complete", "length"}
    assert data["article"]["agency"] == "Kazinform" and data["language"] == "en"
    headers = {k.lower(): v for k, v in model.requests[0].headers.items()}
    assert headers["authorization"] == f"Bearer {KEY}"  # the key really went to the model, and no further


def test_translate_with_glossary(desk: DeskClient) -> None:
    reply = post(desk, "/api/translate", {"text": SEED.read_text(encoding="utf-8"), "to": "kk", "glossary": GLOSSARY})
    assert reply.status_code == 200, reply.text
    data = reply.json()
    assert data["translation"] == SEED_KK.strip()
    assert data["language"] == "kk" and data["script"] == "cyrl"
    assert ["Yergali Bulegenov", "Ерғали Бұлегенов"] in data["glossary_terms"]
    assert {c["name"] for c in data["checks"]} >= {"numbers", "glossary", "untranslated"}


def test_translate_latin(desk: DeskClient) -> None:
    data = post(desk, "/api/translate", {"text": SEED.read_text(encoding="utf-8"), "to": "kk", "script": "latn"}).json()
    assert data["alphabet"] == "kazakh-latin-2021" and data["cyrillic"] == SEED_KK.strip()


def test_facts(desk: DeskClient) -> None:
    text = SEED.read_text(encoding="utf-8")
    reply = post(desk, "/api/facts", {"text": text})
    assert reply.status_code == 200, reply.text
    data = reply.json()
    person = data["people"][0]
    assert text[person["evidence"]["start"] : person["evidence"]["end"]] == person["evidence"]["text"]
    assert data["extraction"]["model"] == "gpt-4o-mini"


def test_check_translation_and_summary(desk: DeskClient) -> None:
    source = SEED.read_text(encoding="utf-8")
    good = post(desk, "/api/check", {"source": source, "text": SEED_KK, "to": "kk", "glossary": GLOSSARY}).json()
    assert good["passed"] is True, good
    bad = post(desk, "/api/check", {"source": source, "text": SEED_KK.replace("2016", "2061"), "to": "kk"}).json()
    assert bad["passed"] is False
    assert [c["name"] for c in bad["checks"] if not c["passed"]] == ["numbers"]
    (finding,) = next(c["findings"] for c in bad["checks"] if not c["passed"])
    assert (finding["severity"], finding["expected"], finding["span"]) == ("error", "2016", None)
    assert finding["source_span"] is not None
    summary = post(desk, "/api/check", {"source": source, "text": SUMMARY, "kind": "summary", "lang": "en"}).json()
    assert summary["passed"] is True and summary["language"] == "en"


@pytest.mark.parametrize(
    ("path", "body", "wanted"),
    [
        ("/api/summarise", {"text": ""}, "empty"),
        ("/api/summarise", {"text": "   \n"}, "empty"),
        ("/api/summarise", {}, "empty"),
        ("/api/summarise", {"text": "Some news.", "lang": "de"}, "unknown lang 'de'"),
        ("/api/summarise", {"text": "Some news.", "length": "epic"}, "unknown length"),
        ("/api/translate", {"text": "Some news.", "to": "fr"}, "unknown to 'fr'"),
        ("/api/translate", {"text": "Some news."}, "which language"),
        ("/api/translate", {"text": "Some news.", "to": "ru", "glossary": "xx yy\n"}, "header row"),
        ("/api/facts", {"text": "Some news.", "lang": "zz"}, "unknown lang"),
        ("/api/check", {"source": "Some news.", "text": "Новости."}, "say what the text is"),
        ("/api/check", {"source": "Some news.", "text": "", "to": "ru"}, "empty"),
    ],
)
def test_bad_input_is_400_with_one_line(desk: DeskClient, path: str, body: dict[str, Any], wanted: str) -> None:
    reply = post(desk, path, body)
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert wanted in error and "\n" not in error and "Traceback" not in reply.text


@pytest.mark.parametrize("raw", [b"{broken", b"[1, 2]", b"\xff\xfe not utf-8", b""])
def test_broken_json_is_400(desk: DeskClient, raw: bytes) -> None:
    reply = desk.post("/api/summarise", content=raw, headers={"content-type": "application/json"})
    assert reply.status_code == 400
    assert "\n" not in reply.json()["error"]


def test_not_json_is_400(desk: DeskClient) -> None:
    reply = desk.post("/api/summarise", content=b"text=hello", headers={"content-type": "text/plain"})
    assert reply.status_code == 400 and "Content-Type: application/json" in reply.json()["error"]


def test_a_12_mb_body_is_413(desk: DeskClient, model: FakeOpenAI) -> None:
    big = json.dumps({"text": "word " * (12 * 1024 * 1024 // 5)})
    reply = desk.post("/api/summarise", content=big.encode(), headers={"content-type": "application/json"})
    assert reply.status_code == 413 and "limit" in reply.json()["error"]
    assert not model.requests


def test_an_escaped_body_under_the_limit_is_measured_as_text(desk: DeskClient) -> None:
    # 4 MB of Cyrillic, escaped as \\uXXXX by the CMS: 24 MB of JSON, 8 MB of article: accepted.
    text = "Казахстан " * (4 * 1024 * 1024 // 10)
    body = json.dumps({"text": text, "to": "kk"})  # ensure_ascii: every letter six bytes
    assert len(body) > 20 * 1024 * 1024
    reply = desk.post("/api/check", content=body.encode(), headers={"content-type": "application/json"})
    assert reply.status_code == 400  # no "text to check": it was read and judged, not refused as too big


@pytest.mark.parametrize(
    ("reply", "status", "wanted"),
    [
        (Reply("upstream exploded", status=500), 502, "HTTP 500"),
        (Reply(f"Incorrect API key provided: {KEY}", status=401), 502, "rejected the API key"),
        (Reply(SUMMARY, delay=3), 504, "did not answer within"),
    ],
)
def test_a_failing_endpoint_is_502_or_504_without_the_key(
    monkeypatch: pytest.MonkeyPatch, clean_env: Path, reply: Reply, status: int, wanted: str, caplog: Any
) -> None:
    monkeypatch.setenv("SUMMARIZER_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("SUMMARIZER_TIMEOUT", "0.5")
    caplog.set_level(logging.DEBUG)
    with FakeOpenAI(reply) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        with DeskClient(create_app(Settings.resolve())) as desk:
            answer = post(desk, "/api/summarise", {"text": SEED.read_text(encoding="utf-8")})
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert wanted in error and "\n" not in error
    assert KEY not in answer.text and KEY not in caplog.text
    for path in clean_env.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_an_unreachable_endpoint_is_502(monkeypatch: pytest.MonkeyPatch) -> None:
    from desk_client import free_port

    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setenv("SUMMARIZER_MAX_ATTEMPTS", "1")
    with DeskClient(create_app(Settings.resolve())) as desk:
        answer = post(desk, "/api/summarise", {"text": "Some news from Almaty today."})
    assert answer.status_code == 502 and "cannot reach" in answer.json()["error"]


def test_the_key_is_in_no_response_cache_or_store(desk: DeskClient, clean_env: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    bodies = [
        desk.get("/").text,
        desk.get("/api/health").text,
        post(desk, "/api/summarise", {"text": text}).text,
        post(desk, "/api/translate", {"text": text, "to": "kk"}).text,
        post(desk, "/api/facts", {"text": text}).text,
    ]
    assert all(KEY not in body and "canary" not in body for body in bodies)
    files = [p for p in clean_env.rglob("*") if p.is_file()]
    assert any(p.name == "cache.sqlite" for p in files)
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path


def test_an_article_with_a_script_tag_comes_back_as_text(desk: DeskClient) -> None:
    text = 'ALMATY. KAZINFORM - The minister said <script>alert("x")</script> on Monday.\n\nMore news <b>here</b>.'
    data = post(desk, "/api/summarise", {"text": text}).json()
    assert data["article"]["language"] == "en"
    # JSON carries it as a string; the page (test_serve_pages) shows it escaped.
    reply = desk.post("/api/summarise", json={"text": text, "lang": "xx"})
    assert "<script>" not in reply.text or reply.headers["content-type"].startswith("application/json")

"""Runs as they happen on the desk: the API's streamed answers, the waiting page's events, Cancel."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import SEED
from desk_client import DeskClient
from fakes import FakeOpenAI, Reply
from test_serve_api import KEY, SEED_KK, SUMMARY, answer

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402

ARTICLE = SEED.read_text(encoding="utf-8")


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(answer) as fake:
        fake.streams = True
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


@pytest.fixture
def desk(model: FakeOpenAI) -> Iterator[DeskClient]:
    with DeskClient(create_app(Settings.resolve())) as client:
        yield client


def events(body: str) -> list[Any]:
    out: list[Any] = []
    for block in body.split("\n\n"):
        data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
        if data:
            out.append("[DONE]" if data[0] == "[DONE]" else json.loads(data[0]))
    return out


def test_the_api_streams_chunks_then_the_whole_result_then_done(desk: DeskClient) -> None:
    reply = desk.post("/api/summarise", json={"text": ARTICLE, "stream": True}, browser=False)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/event-stream")
    got = events(reply.text)
    chunks = [e for e in got[:-2] if e.get("object") == "chat.completion.chunk"]
    assert len(chunks) == len(got) - 2 > 3  # the text came word by word, before the result
    assert "".join(c["choices"][0]["delta"]["content"] for c in chunks) == SUMMARY
    result, done = got[-2], got[-1]
    assert done == "[DONE]" and result["object"] == "summarizer.result"
    plain = desk.post("/api/summarise", json={"text": ARTICLE}, browser=False).json()
    assert result["result"]["summary"] == plain["summary"] == SUMMARY
    assert result["result"]["checks"] == plain["checks"]  # the same checks, with their findings


def test_a_failing_model_ends_the_stream_with_one_line_and_a_status(desk: DeskClient, model: FakeOpenAI) -> None:
    model.default = Reply(f"bad key {KEY}", status=401)
    reply = desk.post("/api/translate", json={"text": ARTICLE, "to": "kk", "stream": True}, browser=False)
    *_, last, done = events(reply.text)
    assert done == "[DONE]" and last["error"]["status"] == 502
    assert "rejected the API key" in last["error"]["message"] and KEY not in reply.text


@pytest.mark.parametrize(
    ("body", "message"),
    [({"stream": "yes"}, '"stream" is true or false'), ({"stream": True, "review": True}, "not streamed")],
)
def test_a_bad_stream_request_is_a_400(desk: DeskClient, body: dict[str, Any], message: str) -> None:
    reply = desk.post("/api/summarise", json={"text": ARTICLE, **body}, browser=False)
    assert reply.status_code == 400 and message in reply.json()["error"]


def csrf(desk: DeskClient, url: str = "/") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', desk.get(url).text).group(1)  # type: ignore[union-attr]


def start(desk: DeskClient, **form: str) -> str:
    reply = desk.post("/run", data={"csrf": csrf(desk), "text": ARTICLE, **form})
    assert reply.status_code == 303
    return str(reply.headers["location"])


def wait_for(check: Any, what: str, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.05)
    raise AssertionError(f"never: {what}")


def test_the_waiting_page_shows_progress_and_the_text_before_the_run_ends(desk: DeskClient, model: FakeOpenAI) -> None:
    model.default = lambda body: Reply(SEED_KK, pause=0.01)
    url = start(desk, task="translate", to="kk")
    page = desk.get(url)
    assert 'id="live"' in page.text and 'action="' + url + '/cancel"' in page.text
    assert '<noscript><meta http-equiv="refresh"' in page.text  # without JavaScript it still reloads
    snapshots = [e for e in events(desk.get(url + "/events").text) if e]
    assert snapshots[-1]["over"] is True
    during = [s for s in snapshots if not s["over"] and s["text"]]
    assert during, "no text before the run ended"
    assert all(SEED_KK.startswith(s["text"]) for s in during)  # the translation, growing
    assert any("writing" in s["doing"] for s in during) and during[-1]["tokens"] > during[0]["tokens"]
    done = desk.get(url)
    assert 'id="live"' not in done.text and 'id="verdict"' in done.text


def test_cancel_stops_the_model_and_marks_the_document(desk: DeskClient, model: FakeOpenAI) -> None:
    model.default = lambda body: Reply(SEED_KK, pause=0.2)  # a minute of words: it must be cut
    url = start(desk, task="translate", to="kk")
    wait_for(lambda: re.search(r"[1-9]\d* tokens so far", desk.get(url).text), "tokens on the waiting page")
    assert desk.get("/").status_code == 200  # another page, answered while the run goes on
    assert 'id="live"' in desk.get(url).text
    reply = desk.post(url + "/cancel", data={"csrf": csrf(desk, url)})
    assert reply.status_code == 303 and reply.headers["location"] == url
    page = desk.get(url)
    assert "Cancelled: stopped by the editor after" in page.text and 'id="live"' not in page.text
    wait_for(lambda: model.hung_up == 1, "the model's request closed", seconds=10)
    assert desk.app.state.store.get(url.rsplit("/", 1)[-1]).status == "cancelled"


def test_cancel_without_the_form_token_is_refused(desk: DeskClient, model: FakeOpenAI) -> None:
    model.default = lambda body: Reply(SUMMARY, pause=0.05)
    url = start(desk, task="summary")
    assert desk.post(url + "/cancel", data={"csrf": "forged"}).status_code == 403


@pytest.mark.local_model
def test_the_embedded_model_streams_through_the_api(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    with DeskClient(create_app(Settings.resolve(backend="local"))) as desk:
        reply = desk.post("/api/headline", json={"text": ARTICLE, "stream": True}, browser=False)
        *chunks, result, done = events(reply.text)
        assert done == "[DONE]" and len(chunks) > 3
        streamed = "".join(c["choices"][0]["delta"]["content"] for c in chunks)
        assert streamed.strip() == result["result"]["summary"]
        again = desk.post("/api/headline", json={"text": ARTICLE, "stream": True}, browser=False)
        *hit, cached, _ = events(again.text)
        assert len(hit) == 1 and cached["result"]["summary"] == result["result"]["summary"]  # the cache: at once


def test_a_run_says_which_part_the_model_is_on_and_keeps_only_the_final_text() -> None:
    from summarizer.llm.chat import ChatRequest
    from summarizer.serve.live import Run

    def told(run: Run, task: str, delta: str) -> dict[str, Any]:
        run.on_text(ChatRequest(task=task, messages=(), max_tokens=1), delta)
        return run.snapshot()

    run = Run("doc")
    assert run.snapshot(waiting=2)["doing"].startswith("waiting for the embedded model: 2 request(s)")
    assert told(run, "summarise part 2", "notes")["doing"] == "summarising part 2 of the article"
    assert told(run, "summarise combine", "The summary.")["text"] == "The summary."  # the notes not shown
    assert run.doing == "combining the parts' summaries" and run.tokens == 2
    translation = Run("doc2")
    told(translation, "translate part 1", "Бірінші.")
    told(translation, "translate part 2", "Қате жауап")
    again = told(translation, "translate part 2 retry", "Екінші.")
    assert again["doing"] == "part 2 of the article: the checks failed, asking the model again"
    assert again["text"] == "Бірінші.\n\nЕкінші."  # the failed attempt replaced, not appended

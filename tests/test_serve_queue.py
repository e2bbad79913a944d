"""The queue in front of a serial model is bounded: beyond it, 503 with Retry-After at once, not a timeout."""

from __future__ import annotations

import asyncio
import re
import threading
from concurrent.futures import Future, wait
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from desk_client import DeskClient
from fakes import FakeOpenAI, Reply

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.cli.main import main  # noqa: E402
from summarizer.config import Backend, CacheMode, Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402
from summarizer.serve.desk import Desk  # noqa: E402

ARTICLE = SEED.read_text(encoding="utf-8")


def _embedded(tmp_path: Path) -> Settings:
    # The embedded backend's capabilities (serial), with a model file that is never loaded: every
    # request here is refused or held before it reaches the model.
    return Settings(backend=Backend.LOCAL, local_model=str(tmp_path / "model.gguf"), cache_mode=CacheMode.OFF,
                    cache_dir=tmp_path / "cache")  # fmt: skip


def _hold(desk: DeskClient, turns: int) -> tuple[list[Future[Any]], Any]:
    """``turns`` callers on the desk's own loop: the first holds the model, the others queue behind it."""
    release = desk._call(_event())
    model: Desk = desk.app.state.desk

    async def hold() -> None:
        async with model.turn():
            await release.wait()

    held = [asyncio.run_coroutine_threadsafe(hold(), desk.loop) for _ in range(turns)]
    _until(lambda: model.waiting == turns - 1)
    return held, lambda: desk.loop.call_soon_threadsafe(release.set)


async def _event() -> asyncio.Event:
    return asyncio.Event()


def _until(condition: Any) -> None:
    done = threading.Event()
    for _ in range(400):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("never happened")


def test_beyond_the_queue_the_api_answers_503_with_retry_after_and_one_line(
    clean_env: Path, tmp_path: Path
) -> None:
    with DeskClient(create_app(_embedded(tmp_path), queue=2)) as desk:
        held, release = _hold(desk, 3)  # one answering, two waiting: the queue is full
        health = desk.get("/api/health").json()
        assert (health["waiting"], health["queue"]) == (2, 2)
        reply = desk.post("/api/summarise", json={"text": ARTICLE}, browser=False)
        assert reply.status_code == 503
        assert int(reply.headers["retry-after"]) >= 1
        error = reply.json()["error"]
        assert "busy" in error and "2 request(s) already wait" in error and "\n" not in error
        assert desk.app.state.desk.waiting == 2  # the refused request took no place in the queue
        release()
        wait(held, timeout=10)
        assert desk.app.state.desk.waiting == 0
        assert all(f.exception() is None for f in held)


def test_a_full_queue_refuses_the_start_form_with_a_page_and_starts_no_document(
    clean_env: Path, tmp_path: Path
) -> None:
    with DeskClient(create_app(_embedded(tmp_path), queue=1)) as desk:
        page = desk.get("/")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        before = len(desk.app.state.store.recent())
        held, release = _hold(desk, 2)
        reply = desk.post("/run", data={"csrf": token, "text": ARTICLE, "task": "summary"})
        assert reply.status_code == 503 and reply.headers["content-type"].startswith("text/html")
        assert int(reply.headers["retry-after"]) >= 1
        assert "Error 503" in reply.text and "the embedded model is busy" in reply.text
        assert len(desk.app.state.store.recent()) == before  # no document left "waiting" forever
        release()
        wait(held, timeout=10)


def test_what_the_queue_admits_is_answered_and_the_rest_refused_at_once(clean_env: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    go = threading.Event()

    def answer(body: dict[str, Any]) -> Reply:
        go.wait(30)  # the model holds every answer until the test has seen the refusals
        return Reply("Kazakhstan wants big joint investment projects in Belarus.")

    with FakeOpenAI(answer) as model:
        settings = Settings(backend=Backend.OPENAI, base_url=model.base_url, api_key="sk-test", model="gpt-4o-mini",
                            cache_dir=tmp_path / "cache", cache_mode=CacheMode.OFF)  # fmt: skip
        with DeskClient(create_app(settings, queue=2)) as desk:
            state: Desk = desk.app.state.desk
            # An endpoint takes requests side by side; made to take turns, as a serial model does, it
            # shows the queue with real answers behind it.
            state._lock = asyncio.Lock()
            texts = [f"{ARTICLE}\n\nItem {i}." for i in range(6)]
            sent = [asyncio.run_coroutine_threadsafe(
                desk.client.post("/api/summarise", json={"text": t}), desk.loop) for t in texts]  # fmt: skip
            _until(lambda: sum(f.done() for f in sent) == 3)
            refused = [f.result() for f in sent if f.done()]
            assert [r.status_code for r in refused] == [503, 503, 503]
            _until(lambda: len(model.requests) == 1)  # the first is with the model (held there)
            assert state.waiting == 2  # one answering, two waiting
            go.set()
            wait(sent, timeout=30)
            answered = [f.result() for f in sent if f.result().status_code != 503]
            assert [r.status_code for r in answered] == [200, 200, 200]
            assert all(r.json()["summary"].startswith("Kazakhstan") for r in answered)
            assert len(model.requests) == 3 and state.waiting == 0


def test_an_endpoint_is_never_refused_for_a_queue(tmp_path: Path) -> None:
    settings = Settings(backend=Backend.OPENAI, base_url="http://127.0.0.1:9/v1", cache_mode=CacheMode.OFF)
    desk = Desk(settings, queue=0)
    desk.open()
    desk.waiting = 50  # whatever is counted, an endpoint has no lock and no queue to fill
    desk.admit()
    asyncio.run(desk.close())


def test_serve_refuses_a_negative_queue(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--queue", "-1"]) == 2
    assert capsys.readouterr().err.strip() == "summarizer: error: --queue must be 0 or more"

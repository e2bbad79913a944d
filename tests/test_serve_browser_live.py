"""The waiting page in a real headless Chromium: the text and the progress line before the run ends.

The same set-up as ``test_serve_browser.py`` (Debian's chromium through Playwright, nothing
downloaded); the loopback model streams its answer a word at a time, slowly enough to watch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from desk_client import served
from fakes import FakeOpenAI, Reply
from test_serve_api import KEY, SEED_KK, answer
from test_serve_browser import ARGS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")
pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402


@pytest.fixture
def slow() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(answer) as fake:
        fake.streams = True
        yield fake


@pytest.fixture
def page(slow: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("OPENAI_BASE_URL", slow.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with served(create_app(Settings.resolve())) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=url).new_page()
        tab.set_default_timeout(30_000)
        yield tab
        browser.close()


def start_translation(page: Any) -> None:
    page.goto("/")
    page.fill("textarea[name=text]", SEED.read_text(encoding="utf-8"))
    page.check("input[name=task][value=translate]")
    page.select_option("select[name=to]", "kk")
    page.click("#start button[type=submit]")


def _wait_for_text(page: Any, *, more_than: int) -> None:
    """Poll the streamed text from Python: the desk's CSP (no eval) forbids Playwright's wait_for_function."""
    for _ in range(400):
        live = page.locator("#live-text")
        if live.count() and len(live.inner_text()) > more_than:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"no more than {more_than} characters of streamed text arrived in 20 s")


def test_the_text_and_progress_show_before_the_run_ends(page: Any, slow: FakeOpenAI) -> None:
    slow.default = lambda body: Reply(SEED_KK, pause=0.03)
    start_translation(page)
    _wait_for_text(page, more_than=40)
    text = page.locator("#live-text").inner_text()
    progress = page.locator("#progress").inner_text()
    assert page.locator("#live").count() == 1  # still the waiting page: the run has not ended
    assert SEED_KK.replace("\n", " ").startswith(" ".join(text.split())[:40])
    assert re.search(r"writing · \d+ s · [1-9]\d* tokens so far", progress), progress
    page.wait_for_selector("#verdict")  # the run ended: the page reloaded into the review
    assert page.locator("#live").count() == 0


def test_cancel_in_the_browser_stops_the_run(page: Any, slow: FakeOpenAI) -> None:
    slow.default = lambda body: Reply(SEED_KK, pause=0.3)
    start_translation(page)
    _wait_for_text(page, more_than=0)
    page.click("#cancel button")
    page.wait_for_selector("#status.fail")
    assert page.locator("#status").inner_text().startswith("Cancelled: stopped by the editor after")

"""The desk in a real headless Chromium: review, correct, re-check, approve, reload.

Debian's chromium (``apt-get install chromium``) driven by Playwright's Python package at
``/usr/bin/chromium``; nothing is downloaded (never ``playwright install``). Skipped, saying why,
only when that browser or Playwright is absent. ``DESK_SCREENSHOT=docs/desk-review.png`` also
saves the review page as the README shows it (``make desk-screenshot``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from desk_client import served
from fakes import FakeOpenAI
from test_serve_api import GLOSSARY, KEY, SEED_KK, answer

CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")
pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402


@pytest.fixture
def desk(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        with served(create_app(Settings.resolve())) as url:
            yield url


@pytest.fixture
def page(desk: str) -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=desk)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        yield tab
        browser.close()


def start(page: Any, task: str, **fields: str) -> None:
    page.goto("/")
    page.fill("textarea[name=text]", SEED.read_text(encoding="utf-8"))
    page.check(f"input[name=task][value={task}]")
    for name, value in fields.items():
        if name == "glossary":
            page.fill("textarea[name=glossary]", value)
        else:
            page.select_option(f"select[name={name}]", value)
    page.click("#start button[type=submit]")
    page.wait_for_selector("#approvals, #facts, #status.fail")


def test_review_correct_recheck_approve_reload(page: Any) -> None:
    start(page, "translate", to="kk", glossary=GLOSSARY)
    assert page.locator("#verdict").inner_text().startswith("All")
    assert page.locator("#pairs mark.term").count() > 5

    # The editor breaks a date and leaves English behind; the draft is saved as they type.
    broken = SEED_KK.replace("2016", "2061").replace("Могилев", "the big plan of Mogilev", 1)
    page.fill("#text", broken)
    page.wait_for_function("document.getElementById('saved').textContent === 'draft saved'")
    page.reload()
    assert page.input_value("#text") == broken.strip() or page.input_value("#text") == broken

    page.click("#recheck")
    page.wait_for_selector("#pairs mark.missing")
    assert "failed" in page.locator("#verdict").inner_text()
    assert page.locator("#pairs mark.missing", has_text="2016").count() == 1
    assert page.locator("#pairs mark.fault", has_text="the big plan of").count() == 1
    assert page.locator("#checks li.fail[data-check=numbers]").count() == 1
    if os.environ.get("DESK_SCREENSHOT"):
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=os.environ["DESK_SCREENSHOT"], full_page=False)
        page.set_viewport_size({"width": 1280, "height": 900})

    # Fixed and approved; a reload shows the approval and the approved text.
    page.fill("#text", SEED_KK)
    page.click("#recheck")
    page.wait_for_function("document.getElementById('verdict').textContent.startsWith('All')")
    page.fill("#editor", "Aigerim Sadykova")
    page.click("#approve")
    page.wait_for_selector(".approvals li b")
    page.reload()
    assert page.locator(".approvals li b").inner_text() == "Aigerim Sadykova"
    assert page.input_value("#text").strip() == SEED_KK.strip()
    assert page.input_value("#editor") == "Aigerim Sadykova"  # remembered for the next approval
    exported = page.request.get(page.url.split("#")[0] + "/export.txt").text()
    assert exported.strip() == SEED_KK.strip()


def test_a_click_on_a_fact_lights_its_evidence(page: Any) -> None:
    start(page, "facts")
    button = page.locator("button.fact:not([disabled])").first
    fact = button.get_attribute("data-fact")
    button.click()
    lit = page.locator("mark.evidence.active")
    assert lit.count() >= 1
    assert all(fact in m.get_attribute("data-facts").split() for m in lit.all())


def test_a_script_in_the_article_stays_text(page: Any) -> None:
    page.goto("/")
    hostile = "ALMATY. KAZINFORM - News <script>window.owned = 1</script> <img src=x onerror='window.owned=2'> today."
    page.fill("textarea[name=text]", hostile)
    page.click("#start button[type=submit]")
    page.wait_for_selector("#approvals")
    assert page.evaluate("window.owned") is None
    assert "<script>window.owned = 1</script>" in page.locator(".side").inner_text()

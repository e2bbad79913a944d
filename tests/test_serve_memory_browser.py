"""The house memory in a real headless Chromium: approve, see the proposed glossary entry,
accept it, and see it used (Debian's chromium through Playwright, as tests/test_serve_browser.py).

Texts: the seed (real Kazinform/BelTA item, 2015) and its hand-written Kazakh translation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_serve_browser import CHROMIUM, desk, page, start  # noqa: F401 - the fixtures, shared
from test_serve_api import SEED_KK

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]


def test_approve_see_the_proposal_accept_it_and_see_it_used(page: Any) -> None:  # noqa: F811
    start(page, "translate", to="kk")
    assert page.locator("#pairs mark.term").count() == 0  # no glossary given, none accepted yet
    page.fill("#text", SEED_KK)
    page.fill("#editor", "Aigerim Sadykova")
    page.click("#approve")
    page.wait_for_selector(".approvals li b")

    entry = page.locator('#proposed li[data-source="Bulegenov"]')
    assert "Бұлегенов" in entry.inner_text() and "proposed" in entry.inner_text()
    assert "holds 2 of this source" in page.locator("#held").inner_text()
    entry.locator("button.accept").click()
    page.wait_for_selector('#proposed li[data-source="Bulegenov"]:has-text("accepted")')

    # Used: the review marks the accepted spelling as a house glossary term, and a re-check's
    # glossary check judges the text against it.
    assert page.locator("#pairs mark.term", has_text="Бұлегенов").count() >= 1
    assert "no glossary given" in page.locator("#checks li[data-check=glossary]").inner_text()
    page.click("#recheck")
    page.wait_for_selector("#checks li[data-check=glossary]:not(:has-text('no glossary given'))")
    glossary_check = page.locator("#checks li[data-check=glossary]").inner_text()
    assert "all 1 glossary terms of the source are there" in glossary_check
    page.goto("/glossary")
    assert "Bulegenov = Бұлегенов" in page.locator("#accepted").inner_text()
    assert "Aigerim Sadykova" in page.locator("#accepted").inner_text()
    assert page.request.get("/glossary.csv").text() == "en,kk\nBulegenov,Бұлегенов\n"

    # The same article again: both paragraphs come from the memory, marked with who approved them.
    start(page, "translate", to="kk")
    assert "2 paragraph(s) from the memory" in page.locator("#reused").inner_text()
    assert "approved by Aigerim Sadykova" in page.locator("#house").inner_text()

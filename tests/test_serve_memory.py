"""The desk and the house memory over HTTP (no browser): approval stores and proposes, reuse,
the glossary page, dismissals, POST /api/memory.

Texts: the seed (real Kazinform/BelTA item, 2015) and its hand-written Kazakh translation
(tests/data/translations/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import SEED
from desk_client import DeskClient
from fakes import FakeOpenAI
from test_serve_api import KEY, SEED_KK, answer
from test_serve_pages import csrf, run_task

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402


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


def _translate(desk: DeskClient) -> str:
    return run_task(desk, text=SEED.read_text(encoding="utf-8"), task="translate", to="kk", script="cyrl")


def _approve(desk: DeskClient, url: str, text: str = SEED_KK) -> None:
    reply = desk.post(url + "/approve", data={"csrf": csrf(desk), "text": text, "editor": "Aigerim Sadykova", "base": "0"})
    assert reply.status_code == 303, reply.text


def test_an_approval_is_stored_proposes_names_and_the_next_run_costs_no_request(
    desk: DeskClient, model: FakeOpenAI
) -> None:
    url = _translate(desk)
    assert len(model.requests) == 1
    _approve(desk, url)
    page = desk.get(url).text
    held = page.split('id="held">')[1].split("</p>")[0]
    assert held.startswith("The memory holds 2 of this source") and "2 paragraph(s)" in held
    proposed = re.findall(r'<li data-source="([^"]+)">', page.split('id="proposed"')[1].split("</ul>")[0])
    assert "Bulegenov" in proposed
    again = _translate(desk)
    assert len(model.requests) == 1  # both paragraphs from the memory
    page = desk.get(again).text
    assert "2 paragraph(s) from the memory, sent to no model" in page
    assert "approved by Aigerim Sadykova" in page


def test_accepting_a_proposal_makes_it_the_house_glossary(desk: DeskClient, model: FakeOpenAI) -> None:
    _approve(desk, _translate(desk))
    glossary = desk.get("/glossary").text
    assert "The house memory holds 2 approved paragraph(s): en→kk 2." in glossary
    number = re.search(r'<li data-source="Bulegenov">.*?action="/glossary/(\d+)/accept"', glossary, re.S).group(1)
    reply = desk.post(f"/glossary/{number}/accept", data={"csrf": csrf(desk), "editor": "Aigerim", "spelling": ""})
    assert reply.status_code == 303
    assert desk.get("/glossary.csv").text == "en,kk\nBulegenov,Бұлегенов\n"
    # A new article naming him: the accepted entry goes to the model as a glossary term.
    run_task(desk, text="ASTANA. Yergali Bulegenov met the press on Monday.", task="translate", to="kk",
             script="cyrl")  # fmt: skip
    assert "- Bulegenov = Бұлегенов" in model.requests[-1].body["messages"][-1]["content"]


def test_a_dismissed_finding_no_longer_fails_the_document(desk: DeskClient) -> None:
    url = _translate(desk)
    broken = SEED_KK.replace("2016", "2061")
    desk.post(url + "/recheck", data={"csrf": csrf(desk), "text": broken})
    page = desk.get(url).text
    assert "failed" in page.split('id="verdict"')[1].split("</p>")[0]
    form = {"csrf": csrf(desk), "check": "numbers", "kind": "missing_number", "expected": "2016", "found": "",
            "scope": "document", "reason": "the editor checked the year", "editor": "Aigerim"}  # fmt: skip
    assert desk.post(url + "/dismiss", data={**form, "reason": ""}).status_code == 400  # a reason is required
    assert desk.post(url + "/dismiss", data=form).status_code == 303
    page = desk.get(url).text
    assert page.split('id="verdict"')[1].split("</p>")[0].split(">", 1)[1].startswith("All")
    assert "dismissed by Aigerim" in page
    # A re-check keeps it dismissed; another document does not inherit a document-scoped one.
    desk.post(url + "/recheck", data={"csrf": csrf(desk), "text": broken})
    assert "dismissed by Aigerim" in desk.get(url).text
    other = _translate(desk)
    desk.post(other + "/recheck", data={"csrf": csrf(desk), "text": broken})
    assert "failed" in desk.get(other).text.split('id="verdict"')[1].split("</p>")[0]


def test_post_api_memory_stores_a_pair_from_a_cms(desk: DeskClient, model: FakeOpenAI) -> None:
    reply = desk.post("/api/memory", json={"source": SEED.read_text(encoding="utf-8"), "translation": SEED_KK,
                                           "to": "kk", "approver": "CMS"}, browser=False)  # fmt: skip
    assert reply.status_code == 200, reply.text
    assert reply.json()["stored"] == 2 and reply.json()["proposed"] > 0
    reply = desk.post("/api/translate", json={"text": SEED.read_text(encoding="utf-8"), "to": "kk"}, browser=False)
    assert reply.json()["calls"] == 0 and model.requests == []
    assert [m["origin"] for m in reply.json()["from_memory"]] == ["api", "api"]
    bad = desk.post("/api/memory", json={"source": "One.\n\nTwo.", "translation": "Бір.", "to": "kk"}, browser=False)
    assert bad.status_code == 400 and "nothing stored" in bad.json()["error"]

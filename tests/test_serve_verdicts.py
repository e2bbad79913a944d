"""One check path: the same pair gets the same verdicts on every path that judges it.

The paths: the first run of the desk's page and of the API (the model wrote the text), the
re-check and the approval of the text as an edit, ``POST /api/check``, and the review page of a
batch report's job. The pair: the seed article (a real Kazinform item, ``seeds/``) and a summary
with invented figures, places, dates, names and a quote (fictional, written for the tests).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from fakes import FakeOpenAI, Reply
from test_serve_api import FACTS, KEY
from test_serve_pages import csrf, open_desk, run_task

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

INVENTED = (
    "President Tokayev received 33,000 ambassadors in Paris on 1 January 1990, Reuters reported, "
    'quoting Joe Biden: "We will build a bridge to the moon."'
)
# Fictional, written for the tests: an item that ends its last sentence, and its Russian
# translation cut off mid-word (as a model at its token limit, or an editor's slip, leaves it).
SHORT = (
    "ASTANA. KAZINFORM - The city opened 12 new schools on Monday, the mayor said.\n\n"
    "The schools will take pupils from September."
)
CUT_RU = "АСТАНА. КАЗИНФОРМ - В понедельник город открыл 12 новых школ, сообщил аким.\n\nШколы примут учеников с сентяб"


def answer(body: dict[str, Any]) -> Reply:
    if "response_format" in body:
        return Reply(FACTS)
    prompt = " ".join(m["content"] for m in body["messages"]).lower()
    return Reply(CUT_RU if "translat" in prompt else INVENTED)


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


def verdicts(checks: list[dict[str, Any]]) -> dict[str, bool]:
    return {c["name"]: c["passed"] for c in checks}


def test_every_path_gives_an_invented_summary_the_same_failing_verdicts(
    model: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer.cli.main import main

    seed = SEED.read_text(encoding="utf-8")
    wire, out = tmp_path / "wire", tmp_path / "out"
    wire.mkdir()
    (wire / "seed.txt").write_text(seed, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # --fallback none: the file holds the model's text (with "lead", the article's lead: another text)
    assert main(["batch", str(wire), "--out", str(out), "--tasks", "summary", "--fallback", "none"]) == 0
    paths: dict[str, dict[str, bool]] = {}
    with open_desk(reports=out, inbox=wire) as desk:
        store = desk.app.state.store
        url = run_task(desk, text=seed, task="summarise")
        doc_id = url.rsplit("/", 1)[1]
        paths["first run (page)"] = verdicts(store.get(doc_id).checks)
        assert desk.get(url).text.count('class="fail" id="verdict"') == 1

        api_run = desk.post("/api/summarise", json={"text": seed}, browser=False).json()
        assert api_run["summary"] == INVENTED
        paths["first run (API)"] = verdicts(api_run["checks"])

        token = csrf(desk)
        assert desk.post(url + "/recheck", data={"csrf": token, "text": INVENTED}).status_code == 303
        paths["re-check"] = verdicts(store.get(doc_id).draft_checks)

        asked = desk.post(url + "/approve", data={"csrf": token, "text": INVENTED, "editor": "Dana", "base": "0"})
        assert asked.status_code == 409 and 'id="confirm"' in asked.text  # errors: a reason first
        sure = {"csrf": token, "text": INVENTED, "editor": "Dana", "base": "0", "reason": "a test of the paths"}
        assert desk.post(url + "/approve", data=sure).status_code == 303
        paths["approve"] = verdicts(store.latest(doc_id).checks)

        checked = desk.post("/api/check", json={"source": seed, "text": INVENTED, "kind": "summary"}, browser=False)
        assert checked.json()["passed"] is False
        paths["POST /api/check"] = verdicts(checked.json()["checks"])

        listing = desk.get("/reports").text
        job = html.unescape(re.findall(r'href="(/reports/open\?job=[^"]+)"', listing)[0])
        opened = desk.get(desk.get(job).headers["location"])
        assert opened.status_code == 200 and 'class="fail" id="verdict"' in opened.text
        job_doc = store.get(desk.get(job).headers["location"].rsplit("/", 1)[1])
        assert job_doc.output == INVENTED
        paths["batch report review"] = verdicts(job_doc.checks)

    # `summarizer check` too, against the same source; it judges length as "medium" (a summary's
    # length is its brief, not its truth), so that one verdict may differ.
    (tmp_path / "summary.txt").write_text(INVENTED, encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(wire / "seed.txt"), str(tmp_path / "summary.txt"), "--kind", "summary", "--lang", "en",
                 "--json"]) == 3  # fmt: skip (3: a check failed)
    cli = verdicts(json.loads(capsys.readouterr().out)["checks"])
    assert cli.pop("length") is not None and cli.pop("consistency", True)

    first = paths["first run (page)"]
    assert cli == {name: ok for name, ok in first.items() if name != "length"}
    assert {"numbers_supported", "names_supported", "quotes_supported"} <= set(first)
    for path, seen in paths.items():
        assert seen == first, f"{path} judged the pair otherwise: {seen} != {first}"
    assert not first["numbers_supported"] and not first["names_supported"] and not first["quotes_supported"]
    # Each invention is named: the figures and the date, the person and the places, the quote.
    details = {c["name"]: c["detail"] for c in checked.json()["checks"]}
    for figure in ("33,000", "1990"):
        assert figure in details["numbers_supported"]
    for name in ("Paris", "Reuters", "Biden", "Tokayev"):
        assert name in details["names_supported"]
    assert "bridge to the moon" in details["quotes_supported"]


def test_a_translation_cut_mid_word_fails_complete_on_every_path(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        store = desk.app.state.store
        url = run_task(desk, text=SHORT, task="translate", to="ru")
        doc_id = url.rsplit("/", 1)[1]
        first = verdicts(store.get(doc_id).checks)
        assert desk.post(url + "/recheck", data={"csrf": csrf(desk), "text": CUT_RU}).status_code == 303
        recheck = store.get(doc_id).draft_checks
        checked = desk.post("/api/check", json={"source": SHORT, "text": CUT_RU, "to": "ru"}, browser=False).json()
    assert first == verdicts(recheck) == verdicts(checked["checks"])
    assert first["complete"] is False and checked["passed"] is False
    complete = next(c for c in recheck if c["name"] == "complete")
    assert "сентяб" in complete["detail"] and complete["findings"][0]["span"][1] == len(CUT_RU)


@pytest.mark.parametrize(
    ("text", "passed"),
    [
        (CUT_RU + "ря.", True),  # the sentence closed
        (CUT_RU + "ря»", True),  # a closing quote ends it too
        (CUT_RU, False),
    ],
)
def test_complete_judges_the_ending_without_a_finish_reason(text: str, passed: bool) -> None:
    from summarizer.checks.summary import complete_check

    assert complete_check(None, text, source=SHORT).passed is passed
    assert complete_check(None, CUT_RU, source=SHORT + " Source: BELTA").passed  # the source ends open too
    assert not complete_check("length", "Ended.", source=SHORT).passed

"""Approval as editors expect it: the approved text and its history shown, a state on every list,
a reason to approve failing checks, and a conflict instead of a silent overwrite."""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from desk_client import DeskClient
from fakes import FakeOpenAI
from test_serve_api import SEED_KK, SUMMARY
from test_serve_pages import csrf, model, open_desk, run_task  # noqa: F401 - model is a fixture

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.serve.approval import Approved, Conflict, NeedsReason, Refused, decide, review_state  # noqa: E402
from summarizer.serve.store import Store  # noqa: E402

# Fictional, written for the tests: two editors' corrections of the seed's summary.
MINE = "Kazakhstan wants big joint investment projects in Belarus, its ambassador Yergali Bulegenov said."
THEIRS = "Kazakhstan would like to implement big joint investment projects in Belarus."


def translation(desk: DeskClient) -> str:
    return run_task(desk, text=SEED.read_text(encoding="utf-8"), task="translate", to="kk")


def approve(desk: DeskClient, url: str, text: str, editor: str, base: str, **extra: str) -> Any:
    form = {"csrf": csrf(desk), "text": text, "editor": editor, "base": base, **extra}
    return desk.post(url + "/approve", data=form)


def base_of(page: str) -> str:
    return re.search(r'name="base" value="(\d+)"', page).group(1)  # type: ignore[union-attr]


def test_two_editors_approving_one_document_get_a_conflict_not_an_overwrite(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        url = translation(desk)
        seen_by_a, seen_by_b = base_of(desk.get(url).text), base_of(desk.get(url).text)  # both pages loaded
        assert seen_by_a == seen_by_b == "0"
        edited_b = SEED_KK.replace("Ерғали", "Ергали", 1)
        assert approve(desk, url, SEED_KK, "Aigerim", seen_by_a).status_code == 303
        clash = approve(desk, url, edited_b, "Bolat", seen_by_b)
        assert clash.status_code == 409
        assert 'id="theirs"' in clash.text and 'id="mine"' in clash.text
        assert html.escape(SEED_KK.strip()[:80]) in clash.text and html.escape(edited_b.strip()[:80]) in clash.text
        store = desk.app.state.store
        doc = url.rsplit("/", 1)[1]
        assert [(v.editor, v.state) for v in store.history(doc)] == [("Bolat", "conflict"), ("Aigerim", "approved")]
        assert desk.get(url + "/export.txt").text.strip() == SEED_KK.strip()  # nothing overwritten
        # Bolat chooses his: approved over version 1, by name, and that is what goes out.
        theirs = re.search(r'name="base" value="(\d+)"', clash.text.split('id="mine"')[1]).group(1)  # type: ignore[union-attr]
        chosen = approve(desk, url, edited_b, "Bolat", theirs)
        assert chosen.status_code == 303
        assert [(v.editor, v.state, v.base) for v in store.history(doc)] == [
            ("Bolat", "approved", 1), ("Bolat", "conflict", 0), ("Aigerim", "approved", 0),
        ]  # fmt: skip
        assert desk.get(url + "/export.txt").text.strip() == edited_b.strip()
        exported = desk.get(url + "/export.json").json()
        assert [a["state"] for a in exported["history"]] == ["approved", "conflict", "approved"]
        page = desk.get(url).text
        assert page.count('data-version="') == 3 and "a conflict: kept, not approved" in page


def test_keeping_theirs_leaves_their_approval_and_their_text(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        url = translation(desk)
        assert approve(desk, url, SEED_KK, "Aigerim", "0").status_code == 303
        clash = approve(desk, url, SEED_KK.replace("2016", "2061"), "Bolat", "0")
        keep = re.search(r'<form method="post" action="(/doc/[^"]+/recheck)".*?<textarea name="text" hidden>(.*?)</textarea>',
                         clash.text, re.S)  # fmt: skip
        assert keep is not None
        reply = desk.post(keep.group(1), data={"csrf": csrf(desk), "text": html.unescape(keep.group(2))})
        assert reply.status_code == 303
        page = desk.get(url).text
        assert 'id="state">Approved: version 1, by Aigerim' in page
        assert desk.get(url + "/export.txt").text.strip() == SEED_KK.strip()


def test_the_same_text_approved_from_a_stale_page_is_no_conflict(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        url = translation(desk)
        assert approve(desk, url, SEED_KK, "Aigerim", "0").status_code == 303
        assert approve(desk, url, SEED_KK, "Bolat", "0").status_code == 303
        assert [a.editor for a in desk.app.state.store.approvals(url.rsplit("/", 1)[1])] == ["Bolat", "Aigerim"]


def test_approving_failed_checks_asks_for_a_reason_and_records_it(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        url = translation(desk)
        broken = SEED_KK.replace("2016", "2061")
        asked = approve(desk, url, broken, "Dana", "0")
        assert asked.status_code == 409
        assert 'id="confirm"' in asked.text and "numbers" in asked.text.split('id="failed"')[1].split("</p>")[0]
        assert not desk.app.state.store.approvals()  # nothing approved without the reason
        done = approve(desk, url, broken, "Dana", "0", reason="the year is the agency's own typo")
        assert done.status_code == 303
        (approval,) = desk.app.state.store.approvals()
        assert approval.reason == "the year is the agency's own typo" and "numbers" in approval.failed
        page = desk.get(url).text
        assert "reason: the year is the agency&#39;s own typo" in page or "reason: the year is the agency's" in page
        assert "with failed checks: " in page and html.escape(broken.strip()[:60]) in page.split('id="approved-text"')[1]


def test_the_state_follows_the_document_on_the_start_page(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        url = translation(desk)
        doc = url.rsplit("/", 1)[1]

        def state() -> str:
            row = next(r for r in desk.get("/").text.split("<tr>") if f"/doc/{doc}" in r)
            return re.search(r'class="state [^"]*">([^<]*)<', row).group(1)  # type: ignore[union-attr]

        assert state() == "needs review"
        assert approve(desk, url, SEED_KK, "Aigerim", "0").status_code == 303
        assert state() == "approved"
        assert desk.post(url + "/draft", data={"csrf": csrf(desk), "text": SEED_KK + " Edited."}).status_code == 204
        assert state() == "edited since approval"
        assert 'id="state">Edited since approval: version 1' in desk.get(url).text
        other = translation(desk)  # versions are counted per document, not across the desk
        assert approve(desk, other, SEED_KK, "Bolat", "0").status_code == 303
        assert 'id="state">Approved: version 1, by Bolat' in desk.get(other).text
        assert 'data-version="1"' in desk.get(other).text and 'data-version="2"' not in desk.get(other).text


def test_the_batch_list_says_what_was_approved(model: FakeOpenAI, tmp_path: Path) -> None:
    from summarizer.cli.main import main

    wire, out = tmp_path / "wire", tmp_path / "out"
    wire.mkdir()
    (wire / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["batch", str(wire), "--out", str(out), "--tasks", "translate:kk"]) == 0
    with open_desk(reports=out, inbox=wire) as desk:
        listing = desk.get("/reports").text
        assert listing.count(">needs review<") == 1
        job = html.unescape(re.findall(r'href="(/reports/open\?job=[^"]+)"', listing)[0])
        url = desk.get(job).headers["location"]
        assert approve(desk, url, SEED_KK, "Aigerim", "0").status_code == 303
        assert ">approved<" in desk.get("/reports").text


def test_decide_is_the_one_rule_book(tmp_path: Path) -> None:
    store = Store(tmp_path / "desk.sqlite")
    doc_id = store.create(kind="summary", title="t", source="ALMATY. Some news.", params={})
    store.finish(doc_id, {"summary": SUMMARY, "checks": []})
    doc = store.get(doc_id)
    assert doc is not None
    failing = [{"name": "numbers", "passed": False}, {"name": "length", "passed": True}]

    def rule(text: str, base: int | None, checks: list[dict[str, Any]], **kw: Any) -> Any:
        return decide(store, doc, text=text, published=text, editor=kw.pop("editor", "Dana"), checks=checks,
                      base=base, **kw)  # fmt: skip

    assert isinstance(rule(SUMMARY, 0, [], editor="  "), Refused)
    assert isinstance(rule(SUMMARY, None, []), Refused)
    assert rule(SUMMARY, 0, failing) == NeedsReason(["numbers"])
    first = rule(SUMMARY, 0, failing, reason="  checked  by   phone ")
    assert isinstance(first, Approved) and first.approval.reason == "checked by phone"
    clash = rule(MINE, 0, [])
    assert isinstance(clash, Conflict) and clash.theirs == first.approval and clash.mine.state == "conflict"
    assert isinstance(rule(MINE, first.approval.id, []), Approved)
    assert review_state(doc, store.latest(doc_id)) == "edited since approval"  # the draft is still the model's
    assert review_state(doc, None) == "needs review"
    store.close()


def test_a_desk_store_from_before_versions_opens_with_its_approvals(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE approvals (id INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, text TEXT NOT NULL,"
        " editor TEXT NOT NULL, approved_at TEXT NOT NULL, checks TEXT NOT NULL);"
        "INSERT INTO approvals (doc, text, editor, approved_at, checks) VALUES ('d', 'Old text.', 'Dana',"
        " '2026-01-02T03:04:05+00:00', '[]');"
    )
    old.commit()
    old.close()
    store = Store(path)
    (approval,) = store.approvals("d")
    assert (approval.text, approval.reviewed, approval.state, approval.base) == ("Old text.", "Old text.", "approved", 0)
    store.close()


# -- the smaller things an editor sees --------------------------------------------------------


def test_the_start_form_says_which_task_each_field_belongs_to(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        page = desk.get("/").text
    fields = dict(re.findall(r'<label data-tasks="([^"]*)"[^>]*>([^<]+)<', page))
    by_label = {label.strip(): tasks.split() for tasks, label in fields.items()}
    assert "summarise" not in by_label["Kazakh script"] and "translate" in by_label["Kazakh script"]
    assert "translate" not in by_label["Length"] and "summarise" in by_label["Length"]
    assert 'data-when-to="kk"' in page  # the script choice only once Kazakh is chosen


def test_times_are_shown_for_people(model: FakeOpenAI) -> None:
    from summarizer.serve.pages import when

    assert when("2026-12-07T14:05:09+00:00") == '<time datetime="2026-12-07T14:05:09+00:00">7 Dec 2026, 14:05 UTC</time>'
    assert when("not a time") == "not a time"
    with open_desk() as desk:
        run_task(desk, text=SEED.read_text(encoding="utf-8"), task="summarise")
        page = desk.get("/").text
    assert re.search(r'<time datetime="[^"]+">\d+ \w{3} \d{4}, \d\d:\d\d UTC</time>', page)
    assert not re.search(r">\d{4}-\d\d-\d\dT", page)  # no raw ISO string for people to read


def test_the_digest_has_one_heading_and_no_send_form_without_smtp(
    model: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.delenv("SUMMARIZER_SMTP_URL", raising=False)
    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    with open_desk(inbox=wire) as desk:
        url = desk.post("/digest", data={"csrf": csrf(desk), "pick": "seed.txt", "lang": "en"}).headers["location"]
        for _ in range(200):
            page = desk.get(url).text
            if 'http-equiv="refresh"' not in page:
                break
            time.sleep(0.05)
    assert "<h1>Digest</h1>" in page and "Digest: Digest" not in page
    assert 'action="' + url + '/send"' not in page and 'id="no-smtp"' in page

"""Publish on approval: a loopback CMS that fails three times gets the approved item once, signed.

The CMS receiver is a real HTTP server on 127.0.0.1: it answers 500 to the first three POSTs and
202 after, recording each request's headers and body. The signature is checked with the
``standardwebhooks`` package's own verifier, the body against IPTC's ninjs schema.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from fakes import FakeOpenAI
from test_ninjs import valid
from test_serve_api import KEY, SUMMARY, answer

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")
pytest.importorskip("standardwebhooks", reason="publishing needs the [wire] extra")

from standardwebhooks import Webhook  # noqa: E402

from desk_client import DeskClient  # noqa: E402
from summarizer.cli.main import main  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402
from summarizer.serve.publish import PublishTarget  # noqa: E402

SECRET = "whsec_" + base64.b64encode(b"cms-shared-secret-for-tests-0123").decode()


@dataclass
class Cms:
    failures: int = 3
    posts: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def __enter__(self) -> Cms:
        cms = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                cms.posts.append((dict(self.headers), body))
                failing = len(cms.posts) <= cms.failures
                self.send_response(500 if failing else 202)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/ingest"

    def wait_for(self, count: int, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while len(self.posts) < count:
            assert time.monotonic() < deadline, f"the CMS saw {len(self.posts)} requests, not {count}"
            time.sleep(0.02)


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


def desk_for(cms: Cms, backoff: float) -> DeskClient:
    return DeskClient(create_app(Settings.resolve(), publish_to=PublishTarget(cms.url, SECRET, backoff=backoff)))


def summarised(desk: DeskClient) -> str:
    page = desk.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    url = desk.post("/run", data={"csrf": token, "text": SEED.read_text(encoding="utf-8"),
                                  "task": "summarise"}).headers["location"]  # fmt: skip
    for _ in range(200):
        if 'http-equiv="refresh"' not in desk.get(url).text:
            return str(url)
        time.sleep(0.05)
    raise AssertionError("the summary never finished")


def verified(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    lower = {k.lower(): v for k, v in headers.items()}
    payload: dict[str, Any] = Webhook(SECRET).verify(body, {k: lower[k] for k in
                                                            ("webhook-id", "webhook-timestamp", "webhook-signature")})  # fmt: skip
    return payload


def test_an_approval_reaches_a_failing_cms_once_signed_across_a_restart(
    model: FakeOpenAI, clean_env: Path
) -> None:
    with Cms(failures=3) as cms:
        with desk_for(cms, backoff=0.4) as desk:
            url = summarised(desk)
            page = desk.get(url).text
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            assert desk.post(url + "/approve", data={"csrf": token, "text": SUMMARY, "base": "0",
                                                     "editor": "Aigerim"}).status_code == 303  # fmt: skip
            cms.wait_for(2)  # two failures, then the desk stops before the third attempt
            waiting = desk.get("/api/outbox").json()["items"]
            assert [(i["state"], i["status"]) for i in waiting] == [("waiting", 500)]
        assert len(cms.posts) == 2
        with desk_for(cms, backoff=0.05) as desk:  # restarted: the outbox is where it was
            cms.wait_for(4)
            time.sleep(0.5)  # time for a wrong second delivery, which must not come
            (row,) = desk.get("/api/outbox").json()["items"]
            outbox_page = desk.get("/outbox").text
        with desk_for(cms, backoff=0.05):  # and once more: what was sent is not sent again
            time.sleep(0.3)
    assert len(cms.posts) == 4 and (row["state"], row["status"], row["attempts"]) == ("sent", 202, 4)
    assert "sent" in outbox_page and row["doc"] in outbox_page
    ids = {{k.lower(): v for k, v in h.items()}["webhook-id"] for h, _ in cms.posts}
    assert len(ids) == 1 and ids == {row["id"]}  # one approval, one id: the receiver can deduplicate
    headers, body = cms.posts[-1]
    item = valid(verified(headers, body))
    assert item["descriptions"][0]["value"] == SUMMARY and "Approved by Aigerim" in item["ednote"]
    assert item["located"] == "Mogilev" and item["associations"][0]["language"] == "en"
    with pytest.raises(Exception):  # a tampered body does not verify
        verified(headers, body.replace(b"Kazakhstan", b"Kazakstan"))
    secret_bytes = SECRET.encode()
    assert all(secret_bytes not in p.read_bytes() for p in clean_env.rglob("*") if p.is_file())


def test_the_api_approves_with_the_pages_rules_and_publishes(model: FakeOpenAI) -> None:
    with Cms(failures=0) as cms, desk_for(cms, backoff=0.05) as desk:
        doc = summarised(desk).rsplit("/", 1)[1]
        nobody = desk.post("/api/approve", json={"doc": doc, "text": SUMMARY}, browser=False)
        missing = desk.post("/api/approve", json={"doc": "nope", "editor": "Dana"}, browser=False)
        assert (nobody.status_code, missing.status_code) == (400, 404) and "who approves" in nobody.text
        done = desk.post("/api/approve", json={"doc": doc, "text": SUMMARY, "editor": "Dana"}, browser=False)
        assert done.status_code == 200 and done.json()["published"] == "queued"
        assert {c["name"] for c in done.json()["approval"]["checks"]} >= {"language", "length"}
        cms.wait_for(1)
        assert desk.get("/approvals.json").json()[0]["editor"] == "Dana"
    assert verified(*cms.posts[0])["language"] == "en"


def test_the_apis_approval_over_a_newer_one_is_a_conflict_that_keeps_both(model: FakeOpenAI) -> None:
    with Cms(failures=0) as cms, desk_for(cms, backoff=0.05) as desk:
        doc = summarised(desk).rsplit("/", 1)[1]
        first = desk.post("/api/approve", json={"doc": doc, "text": SUMMARY, "editor": "Dana"}, browser=False)
        assert first.status_code == 200
        other = SUMMARY.replace("Kazakhstan", "Kazakhstan's government")
        clash = desk.post("/api/approve", json={"doc": doc, "text": other, "editor": "Aigerim"}, browser=False)
        assert clash.status_code == 409  # made from no version, while Dana's is approved
        assert clash.json()["theirs"]["editor"] == "Dana" and clash.json()["mine"]["state"] == "conflict"
        base = first.json()["approval"]["id"]
        body = {"doc": doc, "text": other, "editor": "Aigerim", "base": base}
        assert desk.post("/api/approve", json=body, browser=False).status_code == 200
        assert [a["editor"] for a in desk.get("/approvals.json").json()][:2] == ["Aigerim", "Dana"]
        bad = desk.post("/api/approve", json={**body, "base": "latest"}, browser=False)
        assert bad.status_code == 400 and "base" in bad.json()["error"]


def test_without_a_publish_url_nothing_is_sent_and_the_outbox_says_so(model: FakeOpenAI) -> None:
    with DeskClient(create_app(Settings.resolve())) as desk:
        doc = summarised(desk).rsplit("/", 1)[1]
        done = desk.post("/api/approve", json={"doc": doc, "text": SUMMARY, "editor": "Dana"}, browser=False)
        assert done.json()["published"] == "off"
        assert desk.get("/api/outbox").json() == {"publishing": False, "items": []}
        assert "Publishing is off" in desk.get("/outbox").text


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "needs SUMMARIZER_PUBLISH_SECRET"),
        ({"SUMMARIZER_PUBLISH_SECRET": "plain-password"}, "must be a Standard Webhooks secret"),
        ({"SUMMARIZER_PUBLISH_SECRET": "whsec_***"}, "not valid base64"),
    ],
)
def test_serve_refuses_a_publish_url_without_a_proper_secret(
    env: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve", "--publish-url", "http://127.0.0.1:9/ingest"]) == 2
    err = capsys.readouterr().err
    assert message in err and "plain-password" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("body", "headers"),
    [({"format": "ninjs"}, {}), ({}, {"Accept": "application/ninjs+json"})],
)
def test_the_api_answers_ninjs_when_asked(model: FakeOpenAI, body: dict[str, str], headers: dict[str, str]) -> None:
    with DeskClient(create_app(Settings.resolve())) as desk:
        reply = desk.post("/api/translate", json={"text": SEED.read_text(encoding="utf-8"), "to": "kk", **body},
                          headers=headers, browser=False)  # fmt: skip
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/ninjs+json")
        item = valid(reply.json())
        assert item["language"] == "kk" and item["associations"][0]["name"] == "source"
        wrong = desk.post("/api/summarise", json={"text": "Some news today.", "format": "xml"}, browser=False)
        assert wrong.status_code == 400 and wrong.json()["error"].startswith('"format" is')


def test_a_translation_of_a_pulled_item_links_to_the_items_guid(model: FakeOpenAI, tmp_path: Path) -> None:
    from summarizer.wire.pull import FeedConfig, pull

    inbox = tmp_path / "inbox"
    report = pull([FeedConfig(name="kz", url=str(Path(__file__).parent / "data" / "wire" / "kazinform.rss"),
                              full_text=False)], inbox)  # fmt: skip
    name = report.written[0]
    with Cms(failures=0) as cms:
        app = create_app(Settings.resolve(), inbox=inbox, publish_to=PublishTarget(cms.url, SECRET, backoff=0.05))
        with DeskClient(app) as desk:
            token = re.search(r'name="csrf" value="([^"]+)"', desk.get("/").text).group(1)  # type: ignore[union-attr]
            url = desk.post("/run", data={"csrf": token, "inbox": name, "task": "translate", "to": "kk"}).headers["location"]
            for _ in range(200):
                if 'http-equiv="refresh"' not in desk.get(url).text:
                    break
                time.sleep(0.05)
            doc = url.rsplit("/", 1)[1]
            # The translation fails its checks: the API's approval, like the page's, needs a reason.
            refused = desk.post("/api/approve", json={"doc": doc, "editor": "Dana"}, browser=False)
            assert refused.status_code == 409 and refused.json()["failed"]
            body = {"doc": doc, "editor": "Dana", "reason": "the link to the source is what is tested"}
            assert desk.post("/api/approve", json=body, browser=False).status_code == 200
            cms.wait_for(1)
    item = valid(verified(*cms.posts[0]))
    guid = (inbox / name).read_text(encoding="utf-8").split("\nguid ")[1].split("\n")[0]
    assert item["associations"][0]["uri"] == guid and {"role": "source-guid", "value": guid} in item["altids"]

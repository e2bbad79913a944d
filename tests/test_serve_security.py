"""The desk's door: its own Host only, state changes from its own origin only, CSRF tokens a planted
cookie cannot match, and a sign-out that ends the session on the server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from desk_client import BASE_URL, DeskClient
from fakes import FakeOpenAI
from test_serve_api import KEY, SUMMARY, answer

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402
from summarizer.serve.security import parse_hosts, split_host  # noqa: E402

TOKEN = "s3cret-desk-token"
APPROVED = "The approved text nobody else may read."
EVIL = "http://127.0.0.1:9999"  # another server on the same machine: same site, another origin


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


def open_desk(**options: Any) -> DeskClient:
    return DeskClient(create_app(Settings.resolve(), **options))


def csrf(desk: DeskClient, page: str = "/") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', desk.get(page).text).group(1)  # type: ignore[union-attr]


def finished_doc(desk: DeskClient) -> str:
    store = desk.app.state.store
    doc = store.create(kind="summary", title="t", source="ALMATY. Some news.", params={"lang": "en"})
    store.finish(doc, {"summary": SUMMARY, "checks": []})
    return str(doc)


def sign_in(desk: DeskClient) -> str:
    reply = desk.post("/login", data={"csrf": csrf(desk, "/login"), "token": TOKEN})
    assert reply.status_code == 303, reply.text
    return str(desk.client.cookies["desk_session"])


# -- (a) the Host header ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("LocalHost:8000", 200),
        ("[::1]:8000", 200),
        ("attacker.example:8000", 400),  # DNS rebinding: the name is the attacker's, the socket ours
        ("127.0.0.1:9999", 400),  # the desk listens on 8000
        ("127.0.0.1", 400),  # port 80 implied
        ("127.0.0.1:8000@attacker.example", 400),
        ("", 400),
    ],
)
@pytest.mark.parametrize("path", ["/approvals.json", "/api/health", "/"])
def test_only_the_desks_own_host_is_answered(model: FakeOpenAI, host: str, path: str, status: int) -> None:
    with open_desk() as desk:
        desk.app.state.store.approve(finished_doc(desk), text=APPROVED, editor="Dana", checks=[])
        reply = desk.get(path, headers={"Host": host})
        assert reply.status_code == status, reply.text
        if status == 400:
            assert "unexpected Host header" in reply.text and APPROVED not in reply.text


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("desk.example", 200),  # behind a proxy: any port it names
        ("desk.example:443", 200),
        ("news.example:8443", 200),
        ("news.example", 400),  # listed with its port: only that one
        ("0.0.0.0:8000", 200),  # the --host given
        ("attacker.example", 400),
    ],
)
def test_names_listed_for_a_proxy_and_the_host_given_are_answered(model: FakeOpenAI, host: str, status: int) -> None:
    hosts = parse_hosts("desk.example, news.example:8443")
    with open_desk(host="0.0.0.0", token=TOKEN, hosts=hosts) as desk:
        reply = desk.get("/api/health", headers={"Host": host, "Authorization": f"Bearer {TOKEN}"})
        assert reply.status_code == status, reply.text


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("127.0.0.1:8765", ("127.0.0.1", 8765)),
        ("[::1]:8765", ("::1", 8765)),
        ("[::1]", ("::1", None)),
        ("Desk.Example", ("desk.example", None)),
        ("::1", None),
        ("host:0", None),
        ("host:99999", None),
        ("host:port", None),
        ("[::1]x", None),
        ("", None),
    ],
)
def test_split_host(value: str, parsed: tuple[str, int | None] | None) -> None:
    assert split_host(value) == parsed


def test_a_malformed_hosts_variable_is_refused() -> None:
    assert parse_hosts(" a.example,b.example:81  c ") == {"a.example", "b.example:81", "c"}
    assert parse_hosts(None) == frozenset()
    with pytest.raises(ValueError, match="SUMMARIZER_SERVE_HOSTS"):
        parse_hosts("desk.example:http")


# -- (b) cross-origin posts and planted CSRF cookies ------------------------------------------


@pytest.mark.parametrize("token", [None, TOKEN], ids=["open desk", "token desk, signed in"])
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Referer": EVIL + "/page.html"},
        {"Sec-Fetch-Site": "same-site"},  # what Chromium says of 127.0.0.1:9999 posting here
        {},  # no Origin, no Referer: only the token, which a planted cookie cannot match
    ],
    ids=["origin", "null origin", "referer", "sec-fetch-site", "neither"],
)
def test_a_planted_csrf_cookie_approves_nothing(model: FakeOpenAI, token: str | None, headers: dict[str, str]) -> None:
    with open_desk(token=token) as desk:
        if token:
            sign_in(desk)
        doc = finished_doc(desk)
        desk.get("/")
        desk.client.cookies.set("desk_csrf", "planted", domain="127.0.0.1")
        form = {"csrf": "planted", "text": SUMMARY, "editor": "Mallory", "base": "0"}
        reply = desk.post(f"/doc/{doc}/approve", data=form, headers=headers, browser=False)
        assert reply.status_code == 403, reply.text
        assert not desk.app.state.store.approvals()
    assert not model.requests


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": BASE_URL, "Sec-Fetch-Site": "same-origin"},  # what a browser on the desk's page sends
        {"Origin": BASE_URL},
        {"Referer": BASE_URL + "/doc/x"},  # a browser that leaves Origin out
        {},  # a browser that sends neither: the desk's own token still posts
    ],
)
def test_a_form_from_the_desks_own_page_is_accepted(model: FakeOpenAI, headers: dict[str, str]) -> None:
    with open_desk() as desk:
        doc = finished_doc(desk)
        form = {"csrf": csrf(desk, f"/doc/{doc}"), "text": SUMMARY, "editor": "Dana", "base": "0", "reason": "the source is a stub"}
        reply = desk.post(f"/doc/{doc}/approve", data=form, headers=headers, browser=False)
        assert reply.status_code == 303, reply.text
        assert [a.editor for a in desk.app.state.store.approvals()] == ["Dana"]


def test_a_form_token_from_before_signing_in_again_is_stale(model: FakeOpenAI) -> None:
    with open_desk(token=TOKEN) as desk:
        sign_in(desk)
        doc = finished_doc(desk)
        old = csrf(desk, f"/doc/{doc}")
        sign_in(desk)  # a new session: the token is bound to the session it was given in
        reply = desk.post(f"/doc/{doc}/draft", data={"csrf": old, "text": "x"})
        assert reply.status_code == 403


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 200),  # a CMS script: no Origin, and JSON no page can send cross-origin without a preflight
        ({"Origin": BASE_URL}, 200),
        ({"Origin": EVIL}, 403),
        ({"Origin": "http://127.0.0.1:8000.attacker.example"}, 403),
        ({"Origin": "https://127.0.0.1:8000"}, 403),  # another scheme is another origin
        ({"Sec-Fetch-Site": "cross-site"}, 403),
    ],
)
def test_the_api_refuses_other_origins(model: FakeOpenAI, headers: dict[str, str], status: int) -> None:
    with open_desk() as desk:
        reply = desk.post("/api/summarise", json={"text": "ALMATY. Some news."}, headers=headers, browser=False)
        assert reply.status_code == status, reply.text
        if status == 403:
            assert "cannot change anything on the desk" in reply.json()["error"]


def test_behind_a_proxy_the_proxied_origin_posts(model: FakeOpenAI) -> None:
    # nginx's default passes Host as the upstream's (127.0.0.1:8000); the page's origin is the proxy's.
    with open_desk(hosts=parse_hosts("desk.example")) as desk:
        doc = finished_doc(desk)
        form = {"csrf": csrf(desk, f"/doc/{doc}"), "text": "x"}
        ok = desk.post(f"/doc/{doc}/draft", data=form, headers={"Origin": "https://desk.example"}, browser=False)
        assert ok.status_code == 204, ok.text
        other = desk.post(f"/doc/{doc}/draft", data=form, headers={"Origin": "https://evil.example"}, browser=False)
        assert other.status_code == 403


# -- (c) signing out --------------------------------------------------------------------------


def test_sign_out_ends_the_session_on_the_server(model: FakeOpenAI) -> None:
    with open_desk(token=TOKEN) as desk:
        copied = sign_in(desk)
        assert desk.get("/").status_code == 200
        assert desk.post("/logout", data={"csrf": csrf(desk)}).status_code == 303
        desk.client.cookies.set("desk_session", copied, domain="127.0.0.1")  # the cookie, copied before
        assert desk.get("/").status_code == 401
        assert desk.get("/api/health").status_code == 401
        again = sign_in(desk)  # signing in again gives a new session, which works
        assert again != copied and desk.get("/").status_code == 200
    with open_desk(token=TOKEN) as desk:  # and a restart does not bring the old one back
        desk.client.cookies.set("desk_session", copied, domain="127.0.0.1")
        assert desk.get("/").status_code == 401
        desk.client.cookies.set("desk_session", again, domain="127.0.0.1")
        assert desk.get("/").status_code == 200


@pytest.mark.parametrize(
    "forged",
    ["", "garbage", "a.b", "x.99999999999.0000", "x.99999999999.\u00e9", "x.1.{mac}"],
)
def test_a_forged_or_expired_session_is_refused(model: FakeOpenAI, forged: str) -> None:
    with open_desk(token=TOKEN) as desk:
        guard = desk.app.state.guard
        if "{mac}" in forged:  # a genuine signature on an expiry long past
            forged = guard.session_value(now=1.0)
        cookie = f"desk_session={forged}".encode()  # raw bytes: a browser may send what httpx would refuse
        assert desk.get("/", headers={"Cookie": cookie}).status_code == 401

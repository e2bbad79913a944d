"""The desk's door: its own Host only, state changes from its own origin only, CSRF tokens a planted
cookie cannot match, and a sign-out that ends the session on the server."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
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
        {"Origin": "null", "Sec-Fetch-Site": "same-site"},  # a sandboxed frame on 127.0.0.1:9999
        {"Referer": EVIL + "/page.html"},
        {"Sec-Fetch-Site": "same-site"},  # what Chromium says of 127.0.0.1:9999 posting here
        {},  # no Origin, no Referer: only the token, which a planted cookie cannot match
    ],
    ids=["origin", "null origin", "null from a frame", "referer", "sec-fetch-site", "neither"],
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
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},  # what Chromium sends under no-referrer
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


def test_an_idle_session_ends_and_a_used_one_lives(model: FakeOpenAI) -> None:
    with open_desk(token=TOKEN) as desk:
        store = desk.app.state.store
        guard = desk.app.state.guard
        session = guard.session(sign_in(desk))
        assert desk.get("/").status_code == 200
        store._db.execute("UPDATE sessions SET seen = seen - 31 * 60")  # 31 minutes without a request
        assert desk.get("/").status_code == 401
        assert desk.get("/api/health").status_code == 401
        session = guard.session(sign_in(desk))
        now = int(time.time())
        # Used every 29 minutes, it lives on: each use counts as the last.
        assert store.touch_session(session.id, idle=guard.idle_seconds, now=now + 29 * 60)
        assert store.touch_session(session.id, idle=guard.idle_seconds, now=now + 58 * 60)
        assert not store.touch_session(session.id, idle=guard.idle_seconds, now=now + 90 * 60)
        # Past the absolute limit (12 hours), however busy.
        assert not store.touch_session(session.id, idle=10**9, now=session.expiry)


# -- cookies and headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "secure"),
    [
        ({}, False),
        ({"X-Forwarded-Proto": "https"}, True),  # a TLS proxy on this machine says so
    ],
)
def test_cookies_are_httponly_strict_and_secure_behind_tls(
    model: FakeOpenAI, headers: dict[str, str], secure: bool
) -> None:
    with DeskClient(create_app(Settings.resolve(), token=TOKEN), client=("127.0.0.1", 50000)) as desk:
        page = desk.get("/login", headers=headers)
        form = {"csrf": re.search(r'name="csrf" value="([^"]+)"', page.text).group(1), "token": TOKEN}  # type: ignore[union-attr]
        nonce = page.headers["set-cookie"].split(";")[0]  # sent by hand: a Secure cookie does not ride on http
        desk.client.cookies.clear()
        signed = desk.post("/login", data=form, headers={**headers, "Cookie": nonce})
        assert signed.status_code == 303, signed.text
        cookies = [*page.headers.get_list("set-cookie"), *signed.headers.get_list("set-cookie")]
        assert {c.split("=")[0] for c in cookies} == {"desk_csrf", "desk_session"}
        for cookie in cookies:
            flags = {f.strip().lower() for f in cookie.split(";")[1:]}
            assert "httponly" in flags and "samesite=strict" in flags
            assert ("secure" in flags) is secure


def test_a_forwarded_proto_from_elsewhere_is_not_believed(model: FakeOpenAI) -> None:
    with DeskClient(create_app(Settings.resolve()), client=("10.0.0.9", 50000)) as desk:
        cookie = desk.get("/", headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"].lower()
        assert "secure" not in cookie


@pytest.mark.parametrize("path", ["/", "/login", "/api/health", "/approvals.json", "/api/nope", "/nope", "/static/desk.js"])
def test_every_response_carries_the_security_headers(model: FakeOpenAI, path: str) -> None:
    with open_desk() as desk:
        for reply in (desk.get(path), desk.get(path, headers={"Host": "attacker.example:8000"})):
            csp = reply.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp.split(
                "style-src"
            )[0]
            assert reply.headers["x-frame-options"] == "DENY"
            assert reply.headers["referrer-policy"] == "no-referrer"
            assert reply.headers["x-content-type-options"] == "nosniff"


def test_no_page_has_an_inline_script(model: FakeOpenAI, tmp_path: Path) -> None:
    from summarizer.serve.app import HERE

    with open_desk() as desk:
        doc = finished_doc(desk)
        pages = [desk.get(p).text for p in ("/", "/login", "/digest", f"/doc/{doc}")]
    templates = [p.read_text(encoding="utf-8") for p in (HERE / "templates").glob("*.j2")]
    for text in pages + templates:
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, tag  # only /static/desk.js
        assert not re.search(r"\son[a-z]+=", text)  # no onclick= and the like either


# -- the API's shapes for what is not there ----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/nope", 404), ("GET", "/api/summarise", 405), ("DELETE", "/api/check", 405)],
)
def test_api_404_and_405_are_json(model: FakeOpenAI, method: str, path: str, status: int) -> None:
    with open_desk() as desk:
        reply = desk.request(method, path, browser=False)
        assert reply.status_code == status
        assert reply.headers["content-type"] == "application/json" and "\n" not in reply.json()["error"]
        if status == 405:
            assert "POST" in reply.headers["allow"]
    with open_desk() as desk:
        page = desk.get("/nope")
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ({"text": 5}, "text must be a string"),
        ({"text": ["a"]}, "text must be a string (the article's text), not an array"),
        ({"text": None}, "empty"),
        ({"text": "Some news.", "lang": 5}, "lang must be a string; choose one of en"),
        ({"text": "Some news.", "length": True}, "length must be a string"),
    ],
)
def test_a_wrong_type_is_named(model: FakeOpenAI, body: dict[str, Any], wanted: str) -> None:
    with open_desk() as desk:
        reply = desk.post("/api/summarise", json=body, browser=False)
        assert reply.status_code == 400 and wanted in reply.json()["error"]
        check = desk.post("/api/check", json={"source": "Some news.", "text": 5, "kind": "summary"}, browser=False)
        assert check.status_code == 400 and "text must be a string" in check.json()["error"]
        source = desk.post("/api/check", json={"source": 5, "text": "x", "kind": "summary"}, browser=False)
        assert "source must be a string" in source.json()["error"]


def test_a_413_states_the_real_limits(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        over = b'{"text": "' + b"x" * (31 * 1024 * 1024) + b'"}'
        reply = desk.post("/api/summarise", content=over, headers={"content-type": "application/json"}, browser=False)
        assert reply.status_code == 413
        error = reply.json()["error"]
        assert "30.1 MB, the most a request may carry" in error and "up to 10 MB" in error


# -- the CLI's --allowed-host and a log without the token ------------------------------------


def test_allowed_host_flag_and_a_log_without_the_token(clean_env: Path) -> None:
    import os
    import subprocess
    import sys

    import httpx2
    from conftest import ROOT
    from desk_client import free_port

    port = free_port()
    env = {**os.environ, "SUMMARIZER_SERVE_TOKEN": TOKEN, "SUMMARIZER_BACKEND": "local"}
    server = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "serve", "--port", str(port), "--allowed-host", "desk.example"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        for _ in range(300):
            try:
                if httpx2.get(base + "/login").status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.1)
        assert httpx2.get(base + "/approvals.json", headers={**bearer, "Host": "desk.example"}).status_code == 200
        foreign = httpx2.get(base + "/approvals.json", headers={**bearer, "Host": "attacker.example"})
        assert foreign.status_code == 400 and "[" not in foreign.text
        # The token in a query string (a bookmarked link, a careless script) never reaches the log.
        httpx2.get(base + f"/?token={TOKEN}", headers=bearer)
        httpx2.get(base + f"/doc/{TOKEN}", headers=bearer)
    finally:
        server.terminate()
        out, err = server.communicate(timeout=20)
    assert TOKEN not in out and TOKEN not in err
    assert re.search(r"GET /approvals\.json 200 \d+ ms", out) and re.search(r"GET /approvals\.json 400 \d+ ms", out)
    assert re.search(r"GET / 200 \d+ ms$", out, re.M)  # the path without its query string
    assert "Traceback" not in err and "Logging error" not in err


@pytest.mark.parametrize(("site", "status"), [("cross-site", 403), ("same-site", 403), ("same-origin", 404), (None, 404)])
def test_a_link_from_elsewhere_opens_no_batch_job(model: FakeOpenAI, tmp_path: Path, site: str | None, status: int) -> None:
    from summarizer.batch.report import ReportOut, TotalsOut

    totals = {name: 0 for name in TotalsOut.model_fields} | {"estimated_cost_usd": None, "cost_note": ""}
    empty = ReportOut(generated_at="2026-12-07T10:00:00+00:00", backend="openai", model="m", endpoint="e",
                      batch_api=False, totals=TotalsOut(**totals), failed_inputs=[], items=[])  # fmt: skip
    (tmp_path / "report.json").write_text(empty.model_dump_json(), encoding="utf-8")
    with open_desk(reports=tmp_path) as desk:
        headers = {"Sec-Fetch-Site": site} if site else {}
        reply = desk.get("/reports/open", params={"job": "default/seed/summary"}, headers=headers)
        assert reply.status_code == status  # 404: let in, and the report has no such job
        assert not desk.app.state.store.recent()


def test_sign_out_is_offered_to_a_signed_in_editor_only(model: FakeOpenAI) -> None:
    with open_desk(token=TOKEN) as desk:
        assert 'action="/logout"' not in desk.get("/login").text
        sign_in(desk)
        assert 'action="/logout"' in desk.get("/").text
    with open_desk() as desk:  # an open desk has nobody to sign out
        assert 'action="/logout"' not in desk.get("/").text

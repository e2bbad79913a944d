"""The desk's pages over HTTP (no browser): forms, CSRF, escaping, drafts, approvals, tokens, the CLI."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED
from desk_client import DeskClient
from fakes import FakeOpenAI
from test_serve_api import GLOSSARY, KEY, SEED_KK, SUMMARY, answer

pytest.importorskip("starlette", reason="the desk needs the [serve] extra")

from summarizer.config import Settings  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402

SCRIPT_ARTICLE = (
    "ALMATY. KAZINFORM - The minister said <script>alert('owned')</script> on Monday that 24 new schools open.\n\n"
    "The <b>budget</b> is 11.4 billion tenge."
)


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(answer) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


def open_desk(**options: Any) -> DeskClient:
    return DeskClient(create_app(Settings.resolve(), **options), headers=options.pop("headers", None))


def csrf(desk: DeskClient) -> str:
    page = desk.get("/")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def run_task(desk: DeskClient, **form: str) -> str:
    reply = desk.post("/run", data={"csrf": csrf(desk), **form})
    assert reply.status_code == 303, reply.text
    url = reply.headers["location"]
    for _ in range(200):
        page = desk.get(url)
        if 'http-equiv="refresh"' not in page.text:
            return url
        time.sleep(0.05)
    raise AssertionError(f"{url} never finished")


def test_a_form_post_without_the_csrf_token_is_refused(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        desk.get("/")
        reply = desk.post("/run", data={"text": "Some news.", "task": "summarise"})
        assert reply.status_code == 403 and "did not come from the desk" in reply.text
        reply = desk.post("/run", data={"text": "Some news.", "task": "summarise", "csrf": "forged"})
        assert reply.status_code == 403
    assert not model.requests


def test_an_article_with_a_script_tag_shows_as_text(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        url = run_task(desk, text=SCRIPT_ARTICLE, task="summarise", lang="en", length="short")
        page = desk.get(url).text
        assert "<script>alert" not in page and "<b>budget</b>" not in page
        assert "&lt;script&gt;alert(" in page and "&lt;b&gt;budget&lt;/b&gt;" in page
        facts_url = run_task(desk, text=SCRIPT_ARTICLE, task="facts")
        assert "<script>alert" not in desk.get(facts_url).text
        assert "<script>alert" not in desk.get("/").text  # the recent list shows the title escaped


def test_translation_review_marks_spans_and_glossary_terms(model: FakeOpenAI) -> None:
    with open_desk() as desk:
        url = run_task(desk, text=SEED.read_text(encoding="utf-8"), task="translate", to="kk", glossary=GLOSSARY)
        page = desk.get(url).text
        assert 'class="term"' in page and "Ерғали Бұлегенов" in page
        # The editor breaks a number and leaves English words behind: the checks mark both.
        broken = SEED_KK.replace("2016", "2061").replace("Могилев", "the big plan of Mogilev", 1)
        reply = desk.post(url + "/recheck", data={"csrf": csrf(desk), "text": broken})
        assert reply.status_code == 303
        page = desk.get(url).text
        assert re.search(r'<mark class="missing" title="numbers: 2016[^"]*"[^>]*>2016</mark>', page), page
        assert re.search(r'<mark class="fault" title="untranslated"[^>]*>the big plan of</mark>', page)
        assert "on the edited text" in page


def test_draft_approve_export_and_a_restart(model: FakeOpenAI, clean_env: Path) -> None:
    with open_desk() as desk:
        url = run_task(desk, text=SEED.read_text(encoding="utf-8"), task="summarise")
        token = csrf(desk)
        assert desk.post(url + "/draft", data={"csrf": token, "text": "Edited, not yet checked."}).status_code == 204
    with open_desk() as desk:  # a restart: the draft is still there
        assert "Edited, not yet checked." in desk.get(url).text
        refused = desk.post(url + "/approve", data={"csrf": csrf(desk), "text": SUMMARY, "editor": " "})
        assert refused.status_code == 400 and "who approves" in refused.text
        done = desk.post(url + "/approve", data={"csrf": csrf(desk), "text": SUMMARY, "editor": "Aigerim <b>S</b>", "base": "0"})
        assert done.status_code == 303
        page = desk.get(url).text
        assert "Aigerim &lt;b&gt;S&lt;/b&gt;" in page and "approved version" in page and "id=\"state\">Approved: version" in page
        assert desk.get(url + "/export.txt").text == SUMMARY + "\n"
        exported = desk.get(url + "/export.json").json()
        assert exported["approvals"][0]["editor"] == "Aigerim <b>S</b>"
        assert exported["approvals"][0]["text"] == SUMMARY
        assert {c["name"] for c in exported["approvals"][0]["checks"]} >= {"language", "length"}
        assert desk.get("/approvals.json").json()[0]["doc"] == url.rsplit("/", 1)[1]
    assert (clean_env / "desk.sqlite").is_file()


def test_a_token_guards_everything(model: FakeOpenAI) -> None:
    with open_desk(token="s3cret-desk-token") as desk:
        assert desk.get("/api/health").status_code == 401
        assert desk.post("/api/summarise", json={"text": "x"}).status_code == 401
        assert desk.get("/").status_code == 401
        wrong = desk.get("/api/health", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        right = desk.get("/api/health", headers={"Authorization": "Bearer s3cret-desk-token"})
        assert right.status_code == 200
        login = desk.get("/login")
        assert login.status_code == 200
        token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
        assert desk.post("/login", data={"csrf": token, "token": "nope"}).status_code == 401
        signed_in = desk.post("/login", data={"csrf": token, "token": "s3cret-desk-token"})
        assert signed_in.status_code == 303 and "desk_session" in signed_in.headers["set-cookie"]
        assert desk.get("/").status_code == 200  # the session cookie now
    assert not model.requests


def test_batch_reports_are_browsable_and_reviewable(model: FakeOpenAI, tmp_path: Path) -> None:
    from summarizer.cli.main import main

    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(wire), "--out", str(out), "--tasks", "summary,translate:kk"]) == 0
    with open_desk(reports=out) as desk:  # the inputs are outside the report's folder: say how to open them
        first = desk.get(html.unescape(re.findall(r'href="(/reports/open\?job=[^"]+)"', desk.get("/reports").text)[0]))
        assert first.status_code == 404 and "start the desk with --inbox FOLDER" in first.text
    with open_desk(reports=out, inbox=wire) as desk:  # the batch read wire/: the desk opens inputs there
        listing = desk.get("/reports").text
        jobs = re.findall(r'href="(/reports/open\?job=[^"]+)"', listing)
        assert len(jobs) == 2
        for job in jobs:
            reply = desk.get(html.unescape(job))
            assert reply.status_code == 303
            page = desk.get(reply.headers["location"]).text
            assert 'id="approve"' in page and "checks" in page


SECRET = "ALMATY. KAZINFORM - The secret outside the report's folder: 4242 tenge."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("input", "../outside_secret.txt"),
        ("input", "{tmp}/outside_secret.txt"),
        ("input", "/etc/os-release"),
        ("input", "out/link.txt"),  # a symbolic link in the report's folder, to the secret
        ("output", "../outside_secret.txt"),
        ("output", "/etc/os-release"),
        ("output", "link.txt"),
    ],
)
def test_a_report_reads_only_its_own_folder_and_the_inbox(
    model: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, value: str
) -> None:
    import json

    from summarizer.cli.main import main

    wire, out = tmp_path / "wire", tmp_path / "out"
    wire.mkdir()
    (wire / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["batch", str(wire), "--out", str(out), "--tasks", "summary"]) == 0
    (tmp_path / "outside_secret.txt").write_text(SECRET, encoding="utf-8")
    (out / "link.txt").symlink_to(tmp_path / "outside_secret.txt")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report["items"][0][field] = value.format(tmp=tmp_path)
    if field == "input":  # the absolute path the job recorded is forged alike
        report["items"][0]["source"] = str(tmp_path / value.format(tmp=tmp_path))
    (out / "report.json").write_text(json.dumps(report), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # where the batch ran, as the desk looks for relative inputs
    os_release = Path("/etc/os-release").read_text(encoding="utf-8").splitlines()[0] if value.startswith("/etc") else ""
    with open_desk(reports=out, inbox=wire) as desk:
        reply = desk.get("/reports/open", params={"job": report["items"][0]["job"]})
        assert reply.status_code == 404, reply.text
        assert "not in the report&#x27;s folder" in reply.text or "not in the report's folder" in reply.text
        assert "4242" not in reply.text and (not os_release or os_release not in reply.text)
        assert not desk.app.state.store.recent()  # nothing was read into a document either


def serve(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", "serve", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_serve_on_a_public_address_needs_a_token() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SUMMARIZER_SERVE_TOKEN"}
    done = serve("--host", "0.0.0.0", env=env)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "SUMMARIZER_SERVE_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_with_a_malformed_hosts_list_says_so_in_one_line() -> None:
    done = serve("--port", "1", env={**os.environ, "SUMMARIZER_SERVE_HOSTS": "desk.example, desk:http"})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "SUMMARIZER_SERVE_HOSTS: 'desk:http'" in done.stderr


def test_serve_without_the_extra_says_so_in_one_line(tmp_path: Path) -> None:
    # A stand-in `starlette` that cannot be imported, first on the path: as if the extra were missing.
    (tmp_path / "starlette").mkdir()
    (tmp_path / "starlette" / "__init__.py").write_text("raise ModuleNotFoundError(name='starlette')\n")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    done = serve("--port", "1", env=env)
    assert done.returncode == 2
    assert done.stderr.strip() == "summarizer: error: the desk needs its web stack: install summarizer[serve]"


def test_digest_preview_and_send(model: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import email
    from email.policy import default

    from aiosmtpd.controller import Controller
    from desk_client import free_port

    class Inbox:
        messages: list[Any] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            self.messages.append(envelope)
            return "250 OK"

    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (wire / "hostile.txt").write_text(SCRIPT_ARTICLE, encoding="utf-8")
    smtp = Inbox()
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("SUMMARIZER_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    try:
        with open_desk(inbox=wire) as desk:
            form = desk.get("/digest").text
            assert "seed.txt" in form and "hostile.txt" in form
            token = csrf(desk)
            escape = desk.post("/digest", data={"csrf": token, "pick": "../../etc/passwd"})
            assert escape.status_code == 400  # only names the inbox lists
            reply = desk.post("/digest", data={"csrf": token, "pick": ["seed.txt", "hostile.txt"], "lang": "en"})
            url = reply.headers["location"]
            for _ in range(200):
                page = desk.get(url).text
                if 'http-equiv="refresh"' not in page:
                    break
                time.sleep(0.05)
            assert "<iframe" in page and 'sandbox=""' in page and "<script>alert" not in page
            sent = desk.post(url + "/send", data={"csrf": token, "to": "desk@example.kz"})
            assert sent.status_code == 303
            assert "Sent to desk@example.kz" in desk.get(url).text
    finally:
        controller.stop()
    (envelope,) = smtp.messages
    assert envelope.rcpt_tos == ["desk@example.kz"]
    assert email.message_from_bytes(envelope.content, policy=default)["Subject"].startswith("News digest")


@pytest.mark.parametrize(
    ("backend", "queued", "seen_waiting", "endpoint"),
    [
        ("local", 2, [0, 1, 0], "embedded"),  # serial: two requests queue behind the first
        ("openai", 0, [0, 0, 0], "http://127.0.0.1:9/v1"),  # an endpoint takes them all at once
    ],
)
def test_a_request_waiting_for_a_serial_model_says_so(
    tmp_path: Path, backend: str, queued: int, seen_waiting: list[int], endpoint: str
) -> None:
    import asyncio

    from summarizer.config import Backend, CacheMode
    from summarizer.serve.desk import Desk

    settings = Settings(
        backend=Backend(backend),
        model="gpt-4o-mini",
        base_url="http://127.0.0.1:9/v1",
        local_model=str(tmp_path / "model.gguf"),  # never loaded: nothing reaches the model here
        cache_mode=CacheMode.OFF,
    )
    desk = Desk(settings)
    seen: list[int] = []

    async def scenario() -> None:
        desk.open()  # decides from the model's capabilities whether requests take turns
        assert desk.capabilities.serial is (queued > 0) and desk.health()["endpoint"] == endpoint

        async def one(hold: float) -> None:
            async with desk.turn():
                seen.append(desk.waiting)
                await asyncio.sleep(hold)

        first = asyncio.create_task(one(0.2))
        await asyncio.sleep(0.01)
        others = [asyncio.create_task(one(0)) for _ in range(2)]
        await asyncio.sleep(0.05)
        assert desk.waiting == queued  # what the page shows: how many wait behind the first
        await asyncio.gather(first, *others)
        await desk.close()

    asyncio.run(scenario())
    assert seen == seen_waiting and desk.waiting == 0


def test_serve_runs_under_uvicorn_and_keeps_the_key_out_of_its_log(clean_env: Path) -> None:
    import httpx2
    from desk_client import free_port
    from fakes import Reply

    port = free_port()
    with FakeOpenAI(Reply(f"Incorrect API key provided: {KEY}", status=401)) as fake:
        env = {**os.environ, "OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": fake.base_url, "SUMMARIZER_MAX_ATTEMPTS": "1"}
        server = subprocess.Popen(
            [sys.executable, "-m", "summarizer", "serve", "--port", str(port), "--debug"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx2.get(base + "/api/health").status_code == 200:
                        break
                except httpx2.TransportError:
                    time.sleep(0.1)
            assert httpx2.get(base + "/").headers["content-type"].startswith("text/html")
            failed = httpx2.post(base + "/api/summarise", json={"text": SEED.read_text(encoding="utf-8")})
            assert failed.status_code == 502 and KEY not in failed.text
        finally:
            server.terminate()
            out, err = server.communicate(timeout=20)
    assert "the desk is at http://127.0.0.1:" in err
    assert "rejected the API key" in err  # the failure is logged, in one line, without the key
    assert KEY not in out and KEY not in err and "canary" not in err
    # The access log: one line per request, method, path, status and time; never a traceback.
    assert re.search(r"^\S+ \S+ POST /api/summarise 502 \d+ ms$", out, re.M), out
    assert len(out.splitlines()) == 3 and "Logging error" not in err and "Traceback" not in err
    for path in clean_env.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_upload_and_inbox_pick(model: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "seed.txt").write_bytes(SEED.read_bytes())
    monkeypatch.setenv("SUMMARIZER_MAX_INPUT_MB", "0.01")  # 10 KB: the seed fits, the big upload does not
    with open_desk(inbox=wire) as desk:
        token = csrf(desk)
        assert "seed.txt" in desk.get("/").text
        picked = desk.post("/run", data={"csrf": token, "inbox": "seed.txt", "task": "summarise"})
        assert picked.status_code == 303
        outside = desk.post("/run", data={"csrf": token, "inbox": "../seed.txt", "task": "summarise"})
        assert outside.status_code == 400 and "not in the inbox" in outside.text
        upload = {"file": ("wire item.txt", SEED.read_bytes(), "text/plain")}
        uploaded = desk.post("/run", data={"csrf": token, "task": "summarise"}, files=upload)
        assert uploaded.status_code == 303
        big = {"file": ("big.txt", b"word " * 4000, "text/plain")}
        too_big = desk.post("/run", data={"csrf": token, "task": "summarise"}, files=big)
        assert too_big.status_code == 413 and "limit" in too_big.text
        empty = desk.post("/run", data={"csrf": token, "task": "summarise", "text": "  "})
        assert empty.status_code == 400 and "empty" in empty.text


def test_kazakh_latin_is_reviewed_in_cyrillic_and_approved_in_latin(model: FakeOpenAI) -> None:
    from summarizer.text.translit import to_latin

    with open_desk() as desk:
        url = run_task(desk, text=SEED.read_text(encoding="utf-8"), task="translate", to="kk", script="latn")
        page = desk.get(url).text
        assert "approving publishes its 2021 Latin transliteration" in page
        assert html.escape(SEED_KK.strip().splitlines()[0], quote=False) in page
        done = desk.post(url + "/approve", data={"csrf": csrf(desk), "text": SEED_KK, "editor": "Dana", "base": "0"})
        assert done.status_code == 303
        assert desk.get(url + "/export.txt").text == to_latin(SEED_KK.strip()) + "\n"


def test_a_run_still_waiting_on_the_model_when_the_desk_stops_is_interrupted_cleanly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    released = threading.Event()

    def slow(body: dict[str, Any]) -> Any:
        released.wait(20)  # the model is still thinking when the desk shuts down
        return answer(body)

    with FakeOpenAI(slow) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        with open_desk() as desk:
            reply = desk.post("/run", data={"csrf": csrf(desk), "text": SEED.read_text(), "task": "summarise"})
            url = reply.headers["location"]
            for _ in range(200):  # until the request is at the model
                if fake.requests:
                    break
                time.sleep(0.02)
            assert fake.requests
            tasks = desk.app.state.tasks
        assert not tasks  # cancelled and awaited before the model client closed, not left to the collector
        released.set()
        with open_desk() as desk:
            assert "interrupted by a server restart; run it again" in desk.get(url).text

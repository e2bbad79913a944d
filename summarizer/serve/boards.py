"""The desk's other boards: signing in, the digest preview (and sending it), batch reports.

    GET|POST /login, POST /logout      a session for editors when the desk needs a token
    GET  /digest, POST /digest         pick inbox articles -> a digest document -> /doc/{id}
    POST /doc/{id}/send                the digest through Settings.smtp_url (digest.mail.send)
    GET  /reports                      the batch report (serve --reports DIR): every job
    GET  /reports/open?job=ID          a job as a document, with the same review and approval

The digest is built with the library's sync calls (``build_digest`` drives the sync client), in a
worker thread with its own client and cache connection, and in turn with the embedded model.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from functools import partial
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..batch.report import ReportOut
from ..digest.build import build_digest, quality_warnings, render_html, render_text
from ..digest.mail import SmtpTarget, build_message, send
from ..digest.window import parse_since
from ..llm.client import open_llm
from ..output.tasks import TaskParams, parse_task, recorded
from ..text.articles import article_files, detect_language, load_article
from .approval import review_state
from .desk import Desk, DeskError
from .pages import back, desk_of, read_form, render, start, store_of
from .security import Guard, end_session, start_session

__all__ = ["routes"]


# -- signing in --------------------------------------------------------------------------------


async def login(request: Request) -> Response:
    guard: Guard = request.app.state.guard
    if request.method == "GET":
        return render(request, "login.html.j2", error="")
    form = await read_form(request)
    if not guard.valid_token(str(form.get("token") or "")):
        return render(request, "login.html.j2", status=401, error="That is not the desk's token.")
    return start_session(request, back("/"))


async def logout(request: Request) -> Response:
    await read_form(request)
    return end_session(request, back("/login"))


# -- the digest --------------------------------------------------------------------------------


def _inbox(desk: Desk) -> dict[str, Path]:
    return {p.name: p for p in article_files(desk.inbox)} if desk.inbox and desk.inbox.is_dir() else {}


async def digest_form(request: Request) -> Response:
    return render(request, "digest_form.html.j2", inbox=sorted(_inbox(desk_of(request))))


async def digest_build(request: Request) -> Response:
    form = await read_form(request)
    desk, store = desk_of(request), store_of(request)
    files = _inbox(desk)
    picked = [files[name] for name in form.getlist("pick") if name in files]  # never a path from the form
    if not picked:
        raise DeskError(400, "pick at least one article of the inbox for the digest")
    lang, title = str(form.get("lang") or "en"), str(form.get("title") or "") or None
    since = parse_since(str(form["since"])) if form.get("since") else None  # digest --since, from the form
    params = {"lang": lang, "files": [p.name for p in picked], "since": since.isoformat() if since else None}
    desk.admit()  # a full queue for a serial model: 503 now, not a document stuck behind it
    doc_id = store.create(kind="digest", title=title or "Digest", source="", params=params)

    def build() -> dict[str, Any]:
        # Its own client: the SQLite cache connection of the event loop's client is not this thread's.
        with open_llm(desk.settings) as llm:
            read = partial(load_article, max_bytes=desk.settings.max_input_bytes, agencies=desk.settings.agencies)
            digest = build_digest([str(p) for p in picked], llm, lang=lang, title=title, read=read, since=since)
        return {
            "subject": digest.subject,
            "html": render_html(digest),
            "text": render_text(digest),
            "warnings": quality_warnings(digest) + [f"left out {f.label}: {f.reason}" for f in digest.failures],
            "checks": [],
        }

    async def work() -> dict[str, Any]:
        async with desk.turn():
            return await asyncio.to_thread(build)

    start(request, doc_id, work)
    return back(f"/doc/{doc_id}")


async def digest_send(request: Request) -> Response:
    form = await read_form(request)
    desk = desk_of(request)
    doc = store_of(request).get(request.path_params["doc"])
    if doc is None or doc.kind != "digest" or doc.result is None:
        raise DeskError(404, "no finished digest here")
    recipients = [a for a in str(form.get("to") or "").replace(",", " ").split() if a]
    if not recipients:
        raise DeskError(400, "give at least one address to send the digest to")
    if not desk.settings.smtp_url:
        raise DeskError(400, "sending needs SUMMARIZER_SMTP_URL, e.g. smtp://mail.example.org:587?starttls=true")
    result = doc.result
    message = build_message(
        subject=result["subject"], text=result["text"], html=result["html"],
        sender=desk.settings.mail_from, recipients=recipients,
    )  # fmt: skip
    await asyncio.to_thread(send, message, SmtpTarget.from_url(desk.settings.smtp_url))
    store_of(request).finish(doc.id, {**result, "sent_to": recipients})
    return back(f"/doc/{doc.id}")


# -- batch reports -----------------------------------------------------------------------------


def _report(desk: Desk) -> ReportOut:
    if desk.reports is None:
        raise DeskError(404, "no batch reports: start the desk with --reports DIR (a batch's --out folder)")
    path = desk.reports / "report.json"
    try:
        return ReportOut.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise DeskError(404, f"{path} does not exist: is {desk.reports} a batch's --out folder?") from None
    except ValueError as exc:
        raise DeskError(500, f"{path} is not a batch report: {str(exc).splitlines()[0]}") from None


async def reports(request: Request) -> Response:
    desk = desk_of(request)
    report, store = _report(desk), store_of(request)
    ids = {i.job: _job_doc(desk, i.job) for i in report.items}
    latest = store.latest_of(list(ids.values()))
    states = {}
    for job, doc_id in ids.items():
        doc = store.get(doc_id)  # a job nobody opened yet has no document: it needs review
        states[job] = review_state(doc, latest.get(doc_id)) if doc is not None else "needs review"
    return render(request, "reports.html.j2", report=report, folder=str(desk.reports), states=states)


def _job_doc(desk: Desk, job: str) -> str:
    """One document per job and report folder: opening it again finds the editor's draft."""
    return "job-" + hashlib.sha256(f"{desk.reports}\0{job}".encode()).hexdigest()[:16]


async def open_job(request: Request) -> Response:
    desk, store = desk_of(request), store_of(request)
    job = request.query_params.get("job", "")
    report = _report(desk)
    item = next((i for i in report.items if i.job == job), None)
    if item is None or item.status != "done" or not item.output:
        raise DeskError(404, "no finished job of that name in the report")
    doc_id = _job_doc(desk, job)
    if store.get(doc_id) is None:
        assert desk.reports is not None
        # The absolute path the job recorded (a JSONL line has none of its own: its label, as before).
        recorded_path = item.source if item.source and not item.source.rpartition(":")[2].isdigit() else item.input
        source_path = _confined(_find(desk.reports, recorded_path), desk.reports, desk.inbox)
        article = load_article(source_path, max_bytes=desk.settings.max_input_bytes, agencies=desk.settings.agencies)
        output = _confined(desk.reports / item.output, desk.reports).read_text(encoding="utf-8")
        # The job recorded its task and parameters: reopen it as it ran, not as a guess.
        spec = parse_task(item.task).spec
        ran = recorded(item.params) if item.params else TaskParams(lang=item.task.partition(":")[2] or None)
        lang = ran.lang or (article.language if spec.name == "facts" else detect_language(output))
        params = {**ran.to_json(), "lang": lang, "task": spec.name, "source_lang": article.language, "glossary": "",
                  "job": job}  # fmt: skip
        if item.fallback:  # the file is the article's own lead: say so, and whose text failed what
            params["written"] = f"the article's lead; the model's text failed {', '.join(item.failed_checks)}"
        kind, source = spec.kind, spec.source(article)
        checks: list[dict[str, Any]] = []
        if kind != "facts":
            output = output.strip()  # the file's final newline is no part of the text
            # The text shown judged as every other path judges it (check_text, against the source):
            # the report's checks were the model's text's, and a fallback file is not that text.
            length = "headline" if spec.name == "headline" else ran.length
            judged = await desk.check(kind, article, output, lang=lang, length=length, glossary=ran.glossary)
            checks = [c.model_dump(mode="json") for c in judged.checks]
        result = json.loads(output) if spec.kind == "facts" else {spec.kind: output, "checks": checks}
        store.create(kind=kind, title=f"{item.article}: {item.task} ({item.outlet})", source=source,
                     params=params, doc_id=doc_id)  # fmt: skip
        store.finish(doc_id, result)
    return back(f"/doc/{doc_id}")


def _find(folder: Path, relative: str) -> Path:
    """A batch records its inputs as given on its command line: relative to where it ran, which is
    usually the report folder's parent or the desk's own working directory (an absolute path is
    itself whatever the base)."""
    for base in (Path.cwd(), folder.parent, folder):
        if (base / relative).is_file():
            return base / relative
    return Path(relative)


def _confined(path: Path, *folders: Path | None) -> Path:
    """``path`` once it resolves (symbolic links and ``..`` followed) inside one of ``folders``: a
    report names files, and a report is only trusted with its own folder (and, for inputs, the
    desk's ``--inbox``), never with ``../secret`` or ``/etc``."""
    resolved = path.resolve()
    if any(f is not None and resolved.is_relative_to(f.resolve()) for f in folders):
        return resolved
    line = f"{path.name} is not in the report's folder"
    if None in folders:
        line += "; start the desk with --inbox FOLDER, the folder the batch read, to open its inputs"
    elif len(folders) > 1:
        line += " nor in the desk's --inbox"
    raise DeskError(404, line)


routes = [
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/digest", digest_form, methods=["GET"]),
    Route("/digest", digest_build, methods=["POST"]),
    Route("/doc/{doc}/send", digest_send, methods=["POST"]),
    Route("/reports", reports, methods=["GET"]),
    Route("/reports/open", open_job, methods=["GET"]),
]

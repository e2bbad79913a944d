"""The editors' pages: start a task, review it, correct it, approve it, export it.

    GET  /                      paste, upload or pick from the inbox; recent documents
    POST /run                   start summarise | translate | facts on it -> /doc/{id}
    GET  /doc/{id}              the review page (waits politely while the model works)
    POST /doc/{id}/draft        save what the editor typed (the page does it on every edit)
    POST /doc/{id}/recheck      save it and run the checks on it again
    POST /doc/{id}/approve      check it, and approve it by approval.decide's rules: stored with the
                                editor's name and the time; a 409 page to confirm failing checks
                                with a reason, or to choose between two editors' texts
    GET  /doc/{id}/export.txt | export.json, GET /approvals.json

Tasks run in the background so that a page can say "waiting for the embedded model" and reload
itself until the answer is there; a restart marks a run it interrupted as failed (store.py).
Every form post carries the CSRF token (security.py); every value reaches a page through a
Jinja template with autoescape.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..checks.verdict import Check, verdict_line
from ..errors import UsageError
from ..output.tasks import CHECK_KINDS, TASKS, task
from ..text.articles import Article, article_files, parse_article
from ..text.translit import to_latin
from . import house, live, publish, review
from .api import read_body
from .approval import Conflict, NeedsReason, Refused, decide, review_state
from .day import spelt_today
from .desk import Desk, DeskError, one_line
from .security import SESSION_COOKIE, check_csrf, csrf_nonce, csrf_token, set_csrf
from .store import Approval, Doc, Store

__all__ = ["read_form", "render", "routes", "start", "when"]

_FORM_SLACK = 256 * 1024


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def signed_in(request: Request) -> bool:
    """An editor's session (not a bearer token, not an open desk): the page offers to sign out."""
    guard = request.app.state.guard
    return guard.token is not None and guard.session(request.cookies.get(SESSION_COOKIE)) is not None


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    nonce = csrf_nonce(request)
    desk = desk_of(request)
    html = request.app.state.templates.get_template(name).render(
        csrf=csrf_token(request, nonce), desk=desk, auth=signed_in(request), **context
    )
    return set_csrf(request, HTMLResponse(html, status_code=status), nonce)  # type: ignore[return-value]


async def read_form(request: Request) -> FormData:
    """The posted form, size-limited like an article, refused without the page's CSRF token."""
    limit = desk_of(request).settings.max_input_bytes + _FORM_SLACK
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        await read_body(request, limit, article_mb=desk_of(request).settings.max_input_mb)  # raises 413
    form = await request.form(max_part_size=limit)
    check_csrf(request, form.get("csrf"))
    return form


def typed(form: FormData, name: str = "text") -> str:
    """A textarea's text: browsers post its line breaks as CRLF; the desk keeps LF, as files have."""
    return str(form.get(name) or "").replace("\r\n", "\n").replace("\r", "\n")


def when(stamp: str) -> Markup:
    """A stored UTC time as people read it, "7 Dec 2026, 14:20 UTC"; the page's script shows it in
    the reader's own time zone (the ``datetime`` attribute keeps the exact instant)."""
    try:
        moment = datetime.fromisoformat(stamp).astimezone(UTC)
    except (TypeError, ValueError):
        return Markup.escape(stamp)
    shown = f"{moment.day} {moment:%b %Y, %H:%M} UTC"
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), shown)


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)  # after a POST: the browser GETs the page


def start(request: Request, doc_id: str, work: Callable[[], Awaitable[Any]], *, run: live.Run | None = None) -> None:
    """Run ``work`` in the background; its JSON (or its one-line failure) lands in the store.
    ``run``: its progress and text as they come, for the waiting page, and its Cancel (live.py)."""
    store, desk = store_of(request), desk_of(request)

    async def job() -> None:
        try:
            if desk.capabilities.serial:  # its turn may be a while: the page says why
                store.set_status(doc_id, "waiting")
            out = await work()
            store.finish(doc_id, out if isinstance(out, dict) else out.model_dump(mode="json"))
        except Exception as exc:  # noqa: BLE001 - whatever failed is the document's one-line error
            store.set_status(doc_id, "failed", error=one_line(exc, desk.settings.api_key))

    task = asyncio.create_task(job())
    request.app.state.tasks.add(task)
    task.add_done_callback(request.app.state.tasks.discard)
    if run is not None:
        live.attach(request, doc_id, run, task)


# -- start -------------------------------------------------------------------------------------


async def index(request: Request) -> Response:
    desk = desk_of(request)
    inbox = [p.name for p in article_files(desk.inbox)] if desk.inbox and desk.inbox.is_dir() else []
    docs = store_of(request).recent()
    latest = store_of(request).latest_of([d.id for d in docs])
    states = {d.id: review_state(d, latest.get(d.id)) for d in docs if d.status == "done" and d.kind in CHECK_KINDS}
    return render(request, "index.html.j2", inbox=inbox, docs=docs, states=states, **_form())


_LABELS = {"lang": "Language", "length": "Length", "to": "Translate into", "script": "Kazakh script"}
_CHOICES = {"ru": "ru (Russian)", "kk": "kk (Kazakh)", "en": "en (English)", "cyrl": "Cyrillic", "latn": "Latin (2021)"}


def _form() -> dict[str, Any]:
    """The start form from the task registry: a choice per task, a field per parameter (once)."""
    params = {p.key: p for spec in TASKS.values() for p in spec.params}
    # Which tasks each field belongs to: the page's script shows a task's own fields only.
    used = {key: " ".join(s.command for s in TASKS.values() if any(p.key == key for p in s.params)) for key in params}
    used["glossary"] = " ".join(s.command for s in TASKS.values() if s.uses_glossary)
    return {"tasks": list(TASKS.values()), "params": list(params.values()), "labels": _LABELS,
            "choice_labels": _CHOICES, "used": used}  # fmt: skip


async def _article(request: Request, form: FormData) -> Article:
    desk = desk_of(request)
    upload, pick, text = form.get("file"), str(form.get("inbox") or ""), typed(form)
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(desk.settings.max_input_bytes + 1)
        if len(data) > desk.settings.max_input_bytes:
            raise DeskError(413, f"{upload.filename} is over the {desk.settings.max_input_mb:g} MB limit")
        return parse_article(data, name=upload.filename.rsplit(".", 1)[0], agencies=desk.settings.agencies)
    if pick:
        files = {p.name: p for p in article_files(desk.inbox)} if desk.inbox and desk.inbox.is_dir() else {}
        if pick not in files:  # only names the inbox listed: never a path from the form
            raise DeskError(400, f"{pick!r} is not in the inbox")
        data = files[pick].read_bytes()
        if len(data) > desk.settings.max_input_bytes:
            raise DeskError(413, f"{pick} is over the {desk.settings.max_input_mb:g} MB limit")
        return parse_article(data, name=files[pick].stem, path=pick, agencies=desk.settings.agencies)
    return desk.article(text)


async def run_task(request: Request) -> Response:
    form = await read_form(request)
    desk, store = desk_of(request), store_of(request)
    article = await _article(request, form)
    try:
        spec = task(str(form.get("task") or "summary"))
    except UsageError as exc:
        raise DeskError(400, str(exc)) from None
    glossary_csv = typed(form, "glossary")
    params = desk.params(spec, lambda key: glossary_csv if key == "glossary" else form.get(key))
    title = article.meta.title or article.path or article.body[:60].split("\n")[0]
    desk.admit()  # a full queue for a serial model: 503 now, not a document stuck behind it
    # What the document records is what reopening it, re-checking it and approving it read back.
    recorded = {**params.to_json(), "task": spec.name, "source_lang": article.language,
                "glossary": glossary_csv if spec.uses_glossary else ""}  # fmt: skip
    doc_id = store.create(kind=spec.kind, title=title, source=spec.source(article), params=recorded)
    run = live.runs_of(request).begin(doc_id)
    start(request, doc_id, lambda: desk.run(spec, article, params, listener=run), run=run)
    return back(f"/doc/{doc_id}")


# -- review ------------------------------------------------------------------------------------


def _doc(request: Request) -> Doc:
    doc = store_of(request).get(request.path_params["doc"])
    if doc is None:
        raise DeskError(404, "no such document on this desk")
    return doc


def version_numbers(history: list[Approval]) -> dict[int, int]:
    """A document's versions numbered 1, 2, ... in the order they were made (the rows' ids count
    every document's)."""
    return {v.id: n for n, v in enumerate(sorted(history, key=lambda v: v.id), 1)}


def review_context(request: Request, doc: Doc) -> dict[str, Any]:
    desk = desk_of(request)
    history = store_of(request).history(doc.id)
    latest = next((a for a in history if a.state == "approved"), None)
    context: dict[str, Any] = {"doc": doc, "approvals": [a for a in history if a.state == "approved"],
                               "history": history, "latest": latest, "state": review_state(doc, latest),
                               "numbers": version_numbers(history),
                               "verdict": verdict_line(Check.from_dict(c) for c in doc.checks),
                               "live": live.snapshot(request, doc.id)}  # fmt: skip
    if doc.status != "done" or doc.result is None:
        return context
    if doc.kind == "translation":
        glossary = desk.glossary(doc.params.get("glossary"))
        left, right = review.translation_marks(
            doc.source,
            doc.output,
            doc.checks,
            glossary=glossary,
            source_lang=doc.params.get("source_lang", "en"),
            target_lang=doc.params.get("lang") or doc.params.get("to", "ru"),
        )
        context["rows"] = review.rows(doc.source, left, doc.output, right)
        context["spelt"] = spelt_today(store_of(request), doc)  # names spelt two ways in the day's translations
        context["house"] = house.context(desk, doc, doc.output if context["approvals"] else None)  # as approved
    elif doc.kind == "summary":
        marks = review.summary_marks(doc.output, doc.checks)
        context["left"] = [review.pieces(doc.source, s, []) for s in review.paragraphs(doc.source)]
        context["right"] = [review.pieces(doc.output, s, marks) for s in review.paragraphs(doc.output)]
    elif doc.kind == "facts":
        lines, marks = review.evidence_marks(doc.result)
        context["facts"] = lines
        context["left"] = [review.layers(doc.source, s, marks) for s in review.paragraphs(doc.source)]
    return context


async def show(request: Request) -> Response:
    doc = _doc(request)
    if doc.kind == "digest":
        return render(request, "digest.html.j2", **review_context(request, doc))
    return render(request, "review.html.j2", **review_context(request, doc))


async def _recheck(request: Request, doc: Doc, text: str) -> list[dict[str, Any]]:
    """The edited text judged against the document's source with the parameters it was made with."""
    return await desk_of(request).recheck(doc, text)


async def save_draft(request: Request) -> Response:
    form = await read_form(request)
    doc = _doc(request)
    store_of(request).save_draft(doc.id, typed(form))
    return Response(status_code=204)


async def recheck(request: Request) -> Response:
    form = await read_form(request)
    doc = _doc(request)
    text = typed(form)
    store_of(request).save_draft(doc.id, text)  # first keep it: a failing check must not lose it
    store_of(request).save_draft(doc.id, text, await _recheck(request, doc, text))
    return back(f"/doc/{doc.id}#edit")


async def approve(request: Request) -> Response:
    """Check the text, then approve it by the rules of ``approval.decide``: a conflict is a 409
    page with both texts, failing checks a page asking to confirm with a reason."""
    form = await read_form(request)
    doc = _doc(request)
    text, store = typed(form).strip(), store_of(request)
    base = str(form.get("base") or "")
    store.save_draft(doc.id, text)  # first keep it: a refusal or a failing check must not lose it
    checks = await _recheck(request, doc, text)
    store.save_draft(doc.id, text, checks)
    # What is published: Kazakh Latin is the deterministic transliteration of the reviewed Cyrillic.
    published = to_latin(text) if doc.params.get("script") == "latn" else text
    decision = decide(store, doc, text=text, published=published, editor=str(form.get("editor") or ""),
                      checks=checks, base=int(base) if base.isdigit() else None,
                      reason=str(form.get("reason") or ""))  # fmt: skip
    if isinstance(decision, Refused):
        raise DeskError(400, decision.message)
    if isinstance(decision, Conflict):
        return render(request, "conflict.html.j2", status=409, doc=doc, theirs=decision.theirs, mine=decision.mine,
                      editor=form.get("editor") or "", numbers=version_numbers(store.history(doc.id)))  # fmt: skip
    if isinstance(decision, NeedsReason):
        return render(request, "confirm.html.j2", status=409, doc=doc, failed=decision.failed, text=text,
                      base=base, editor=form.get("editor") or "")  # fmt: skip
    # The approval's two consequences, the API's too (publish.api_approve): the CMS, the memory.
    publish.approved(request, doc, decision.approval)
    house.approved(desk_of(request), doc, text, decision.approval.editor)  # the house memory learns it
    return back(f"/doc/{doc.id}#approved")


async def export(request: Request) -> Response:
    doc = _doc(request)
    approved = store_of(request).approvals(doc.id)
    if request.path_params["fmt"] not in ("txt", "json"):
        raise DeskError(404, "export as .txt or .json")
    if request.path_params["fmt"] == "txt":
        if not approved:
            raise DeskError(404, "nothing approved yet")
        return PlainTextResponse(approved[0].text + "\n")
    body = {"id": doc.id, "kind": doc.kind, "title": doc.title, "params": doc.params, "result": doc.result,
            "draft": doc.draft, "approvals": [a.to_json() for a in approved],
            "history": [v.to_json() for v in store_of(request).history(doc.id)]}  # fmt: skip
    return Response(json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json")


async def all_approvals(request: Request) -> Response:
    return JSONResponse([a.to_json() for a in store_of(request).approvals()])


async def outbox_page(request: Request) -> Response:
    """What the CMS outbox holds (``publish.py``): each approval sent or waiting, with its attempts."""
    publisher: publish.Publisher | None = getattr(request.app.state, "publisher", None)
    return render(request, "outbox.html.j2", publishing=publisher is not None,
                  rows=publisher.outbox.rows() if publisher else [],
                  target=urlsplit(publisher.target.url).netloc if publisher else None)  # fmt: skip


routes = [
    Route("/", index, methods=["GET"]),
    Route("/run", run_task, methods=["POST"]),
    Route("/doc/{doc}", show, methods=["GET"]),
    Route("/doc/{doc}/draft", save_draft, methods=["POST"]),
    Route("/doc/{doc}/recheck", recheck, methods=["POST"]),
    Route("/doc/{doc}/approve", approve, methods=["POST"]),
    Route("/doc/{doc}/export.{fmt:str}", export, methods=["GET"]),
    Route("/approvals.json", all_approvals, methods=["GET"]),
    Route("/outbox", outbox_page, methods=["GET"]),
]

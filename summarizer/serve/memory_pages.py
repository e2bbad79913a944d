"""The house memory's pages and route: the glossary to review, dismissals, and the API's way in.

    GET  /glossary                     proposed entries (accept, with another spelling if need be,
                                       or reject), the accepted house glossary, dismissals in force
    POST /glossary/{id}/accept|reject  the editor's decision
    GET  /glossary.csv                 the accepted entries, in the CSV format ``--glossary`` reads
    POST /doc/{id}/dismiss             a finding ruled out, with a reason and a scope
    POST /api/memory {source, translation, to, outlet?, approver?}   an approved pair from a CMS

Approvals reach the memory through ``house.approved`` (one call in ``pages.approve``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..checks.out import CheckOut
from ..checks.verdict import Check
from ..errors import UsageError
from ..memory.dismissals import dismiss, dismissals, dismissed
from ..memory.terms import accept, export_csv, house_glossary, proposals, propose, reject
from ..tasks.choices import TARGETS
from ..tasks.translate import source_text
from .api import read_json
from .desk import DeskError
from .house import memory_of, outlet_of, pair_of
from .pages import back, desk_of, read_form, render, store_of, typed

__all__ = ["routes"]


async def glossary_page(request: Request) -> Response:
    memory = memory_of(desk_of(request))
    accepted = proposals(memory, status="accepted")
    return render(request, "glossary.html.j2", proposed=proposals(memory), accepted=accepted,
                  dismissals=dismissals(memory), stats=memory.stats())  # fmt: skip


async def decide(request: Request) -> Response:
    form = await read_form(request)
    memory = memory_of(desk_of(request))
    editor = " ".join(str(form.get("editor") or "").split())[:100]
    number = request.path_params["id"]
    if request.path_params["action"] not in ("accept", "reject"):
        raise DeskError(404, "accept or reject a proposal")
    try:
        if request.path_params["action"] == "accept":
            accept(memory, number, who=editor, target_form=typed(form, "spelling").strip() or None)
        else:
            reject(memory, number, who=editor)
    except UsageError as exc:
        raise DeskError(404, str(exc)) from None
    return back(_on_this_desk(str(form.get("next") or "")) or "/glossary")


async def glossary_csv(request: Request) -> Response:
    glossary = house_glossary(memory_of(desk_of(request)))
    if glossary is None:
        raise DeskError(404, "no accepted glossary entries yet")
    return PlainTextResponse(export_csv(glossary), media_type="text/csv; charset=utf-8")


async def dismiss_finding(request: Request) -> Response:
    form = await read_form(request)
    desk, store = desk_of(request), store_of(request)
    doc = store.get(request.path_params["doc"])
    if doc is None:
        raise DeskError(404, "no such document on this desk")
    memory = memory_of(desk)
    source_lang, target_lang = pair_of(doc)
    scope = str(form.get("scope") or "document")
    try:
        dismiss(memory, check=str(form.get("check") or ""), kind=str(form.get("kind") or ""),
                expected=str(form.get("expected") or "") or None, found=str(form.get("found") or "") or None,
                scope=scope, reason=typed(form, "reason"), who=" ".join(str(form.get("editor") or "").split()),
                document=doc.id, source_lang=source_lang, target_lang=target_lang,
                outlet=outlet_of(doc))  # fmt: skip
    except UsageError as exc:
        raise DeskError(400, str(exc)) from None
    # The document's own verdict follows at once: its checks with the dismissal applied.
    checks = dismissed([Check.from_dict(c) for c in doc.checks], memory, document=doc.id, source_lang=source_lang,
                       target_lang=target_lang, outlet=outlet_of(doc))  # fmt: skip
    store.save_draft(doc.id, doc.output, [CheckOut.of(c).model_dump(mode="json") for c in checks])
    return back(f"/doc/{doc.id}#house")


async def api_memory(request: Request) -> Response:
    data = await read_json(request)
    desk = desk_of(request)
    memory = memory_of(desk)
    target = data.get("to")
    if target not in TARGETS:
        raise DeskError(400, f"say which language the translation is in: to is one of {', '.join(TARGETS)}")
    article = desk.article(data.get("source"))
    translation = data.get("translation")
    if not isinstance(translation, str) or not translation.strip():
        raise DeskError(400, "the translation is empty")
    source = source_text(article)
    fields: dict[str, Any] = {k: str(data.get(k) or "")[:100] for k in ("outlet", "approver")}
    try:
        units = memory.add_pair(source, translation, source_lang=article.language, target_lang=target,
                                origin="api", **fields)  # fmt: skip
    except UsageError as exc:
        raise DeskError(400, str(exc)) from None
    proposed = propose(memory, source, translation, source_lang=article.language, target_lang=target)
    return JSONResponse({"stored": len(units), "source_lang": article.language, "target_lang": target,
                         "proposed": proposed})  # fmt: skip


def _on_this_desk(url: str) -> str:
    """A path on this desk, or nothing: a form's ``next`` never sends the editor elsewhere."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else ""


routes = [
    Route("/glossary", glossary_page, methods=["GET"]),
    Route("/glossary/{id:int}/{action:str}", decide, methods=["POST"]),
    Route("/glossary.csv", glossary_csv, methods=["GET"]),
    Route("/doc/{doc}/dismiss", dismiss_finding, methods=["POST"]),
    Route("/api/memory", api_memory, methods=["POST"]),
]

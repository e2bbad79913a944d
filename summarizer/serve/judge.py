"""The desk's "Meaning review" button: the judge's review (``facts/review.py``) of the text under
review, added to its checks beside a re-check's, so its findings are marked on the page like any
other check's. The desk's own model judges; on the embedded one the button is not offered, and a
request is refused with the one line the CLI gives."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..checks.out import CheckOut
from ..facts.review import review_steps
from .desk import DeskError
from .pages import _doc, _recheck, back, desk_of, read_form, store_of, typed

__all__ = ["routes"]


async def judge(request: Request) -> Response:
    form = await read_form(request)
    doc, desk, store = _doc(request), desk_of(request), store_of(request)
    text = typed(form).strip()
    store.save_draft(doc.id, text)  # first keep it: a failing judge must not lose it
    checks = await _recheck(request, doc, text)
    if desk.llm is None:
        raise DeskError(503, "the desk is starting; try again in a moment")
    lang = str(doc.params.get("lang") or doc.params.get("to") or "en")
    steps = review_steps(doc.source, text, desk.llm, kind=doc.kind, lang=lang,
                         source_lang=str(doc.params.get("source_lang", "en")), article=doc.id)  # fmt: skip
    review = await desk.drive(steps)
    store.save_draft(doc.id, text, [*checks, CheckOut.of(review.check).model_dump(mode="json")])
    return back(f"/doc/{doc.id}#checks")


routes = [Route("/doc/{doc}/judge", judge, methods=["POST"])]

"""The JSON API for a CMS: the same JSON the CLI's ``--json`` prints (``summarizer.output.shapes``).

    POST /api/summarise {text, lang?, length?}             -> SummaryOut     {summary, checks, ...}
    POST /api/headline  {text, lang?}                      -> SummaryOut
    POST /api/translate {text, to, script?, glossary?}     -> TranslationOut {translation, checks, ...}
    POST /api/facts     {text, lang?, glossary?}           -> FactsOut

A route per task of ``output/tasks.py``, its fields the task's parameters; ``"format": "ninjs"``
(or ``Accept: application/ninjs+json``) answers one IPTC ninjs item instead (``output/ninjs.py``).
    POST /api/check     {source, text, to? | kind?, ...}   -> CheckReportOut {passed, checks, ...}
    GET  /api/health                                       -> {status, backend, model, endpoint, waiting}

``"stream": true`` on summarise, headline and translate answers server-sent events: OpenAI-style
``chat.completion.chunk``s as the model writes, then ``{"object": "summarizer.result", "result":
...}`` (the JSON above, checks included) or ``{"error": ...}``, then ``[DONE]`` (``live.py``).
``"review": true`` on summarise, headline, translate and check adds the configured model's meaning
review (``facts/review.py``) as one more check, ``review``; refused (400) on the embedded model.
``glossary`` is the CSV text of a glossary (a header row of language codes, one term per row).
Bad input is 400 with ``{"error": "<one line>"}``; a body over the article size limit is 413; a
failing model endpoint is 502 (504 when it timed out). Errors never carry a traceback or the key.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..output.tasks import CHECK_KINDS, TASKS, TaskSpec
from .desk import Desk, DeskError
from .live import stream_answer, wants_stream

__all__ = ["routes"]

# JSON escapes (\\u0430) take three times the bytes of the UTF-8 they stand for: the body may be
# that much bigger than the article limit; the article itself is measured once decoded.
_JSON_OVERHEAD = 3
_SLACK = 64 * 1024


def _desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


async def read_body(request: Request, limit: int, *, article_mb: float) -> bytes:
    """The request body, refused with 413 as soon as it is known to be over ``limit``; the line
    names both limits, the request's and the article's (the one the documentation gives)."""
    line = (f"the request body is over {limit / (1024 * 1024):.1f} MB, the most a request may carry; "
            f"the article in it may be up to {article_mb:g} MB")  # fmt: skip
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise DeskError(413, line)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise DeskError(413, line)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request) -> dict[str, Any]:
    desk = _desk(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = desk.settings.max_input_bytes * _JSON_OVERHEAD + _SLACK
    body = await read_body(request, limit, article_mb=desk.settings.max_input_mb)
    if kind != "application/json":
        raise DeskError(400, "send the request as JSON, with Content-Type: application/json")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DeskError(400, f"the body is not valid JSON: {getattr(exc, 'msg', 'not UTF-8')}") from None
    if not isinstance(data, dict):
        raise DeskError(400, 'the body must be a JSON object, e.g. {"text": "..."}')
    return data


def _json(model: Any) -> Response:
    # The pydantic models' own JSON: the very bytes `--json` prints, minus the indentation.
    return Response(model.model_dump_json(), media_type="application/json")


async def health(request: Request) -> Response:
    return JSONResponse(_desk(request).health())


def _task_route(spec: TaskSpec) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        data = await read_json(request)
        desk = _desk(request)
        article = desk.article(data.get("text"), field="text")
        if wants_stream(data):  # OpenAI-style chunks, then the result and its checks (live.py)
            return stream_answer(desk, spec, article, desk.params(spec, data.get))
        if _wants_ninjs(request, data):  # one IPTC ninjs item instead of the --json shape (output/ninjs.py)
            from ..output.ninjs import NINJS_MEDIA_TYPE, ninjs_item

            if desk.llm is None:
                raise DeskError(503, "the desk is starting; try again in a moment")
            result = await desk.drive(spec.steps(article, desk.llm, desk.params(spec, data.get)))
            return Response(json.dumps(ninjs_item(spec, result), ensure_ascii=False), media_type=NINJS_MEDIA_TYPE)
        out = await desk.run(spec, article, desk.params(spec, data.get))
        if _wants_review(data) and spec.kind in ("summary", "translation"):
            judged = getattr(out, "cyrillic", None) or getattr(out, spec.kind)  # what the checks judged
            lang = getattr(out, "language", None) or data.get("lang") or data.get("to") or "en"
            out = await _reviewed(desk, out, spec.kind, spec.source(article), judged, lang, article.language)
        return _json(out)

    return endpoint


async def check(request: Request) -> Response:
    """``to`` judges ``text`` as a translation of ``source``; ``kind: "summary"`` as its summary."""
    data = await read_json(request)
    desk = _desk(request)
    source = desk.article(data.get("source"), name="source", field="source")
    kind = data.get("kind", "translation" if "to" in data else None)
    if kind not in CHECK_KINDS:
        raise DeskError(400, 'say what the text is: "to": "ru"|"kk" for a translation, or "kind": "summary"')
    lang = data.get("to") if kind == "translation" else data.get("lang", "en")
    glossary = desk.glossary(data.get("glossary"))
    out = await desk.check(kind, source, data.get("text"), lang=lang, length=data.get("length", "short"),
                           glossary=glossary)  # fmt: skip
    if _wants_review(data):
        from ..tasks.translate import source_text

        text = source_text(source) if kind == "translation" else source.text
        out = await _reviewed(desk, out, kind, text, str(data.get("text")).strip(), lang or "en", source.language)
    return _json(out)


def _wants_ninjs(request: Request, data: dict[str, Any]) -> bool:
    """``"format": "ninjs"`` in the body, or ``Accept: application/ninjs+json``."""
    shape = data.get("format", "json")
    if shape not in ("json", "ninjs"):
        raise DeskError(400, '"format" is "json" (the default) or "ninjs"')
    return shape == "ninjs" or "application/ninjs+json" in request.headers.get("accept", "")


def _wants_review(data: dict[str, Any]) -> bool:
    review = data.get("review", False)
    if not isinstance(review, bool):
        raise DeskError(400, '"review" is true or false')
    return review


async def _reviewed(desk: Desk, out: Any, kind: str, source: str, judged: str, lang: str, source_lang: str) -> Any:
    """``out`` with the judge's ``review`` check among its checks (``passed`` too, where it has one)."""
    from ..checks.out import CheckOut
    from ..facts.review import review_steps

    llm = desk.llm
    if llm is None:
        raise DeskError(503, "the desk is starting; try again in a moment")
    review = await desk.drive(review_steps(source, judged, llm, kind=kind, lang=lang, source_lang=source_lang))
    update: dict[str, Any] = {"checks": [*out.checks, CheckOut.of(review.check)]}
    if "passed" in type(out).model_fields:
        update["passed"] = out.passed and review.check.passed
    return out.model_copy(update=update)


# A route per task (``/api/summarise``, ``/api/headline``, ...), and its aliases (``/api/summarize``).
routes = [
    Route("/api/health", health, methods=["GET"]),
    *(Route(f"/api/{name}", _task_route(spec), methods=["POST"])
      for spec in TASKS.values() for name in (spec.command, *spec.aliases)),
    Route("/api/check", check, methods=["POST"]),
]  # fmt: skip

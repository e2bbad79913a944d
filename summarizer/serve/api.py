"""The JSON API for a CMS: the same JSON the CLI's ``--json`` prints (``summarizer.output.shapes``).

    POST /api/summarise {text, lang?, length?}             -> SummaryOut     {summary, checks, ...}
    POST /api/translate {text, to, script?, glossary?}     -> TranslationOut {translation, checks, ...}
    POST /api/facts     {text, lang?, glossary?}           -> FactsOut
    POST /api/check     {source, text, to? | kind?, ...}   -> CheckReportOut {passed, checks, ...}
    GET  /api/health                                       -> {status, backend, model, endpoint, waiting}

``glossary`` is the CSV text of a glossary (a header row of language codes, one term per row).
Bad input is 400 with ``{"error": "<one line>"}``; a body over the article size limit is 413; a
failing model endpoint is 502 (504 when it timed out). Errors never carry a traceback or the key.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .desk import Desk, DeskError

__all__ = ["routes"]

# JSON escapes (\\u0430) take three times the bytes of the UTF-8 they stand for: the body may be
# that much bigger than the article limit; the article itself is measured once decoded.
_JSON_OVERHEAD = 3
_SLACK = 64 * 1024


def _desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to be over ``limit``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise DeskError(413, f"the request body is over the {limit // (1024 * 1024)} MB limit")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise DeskError(413, f"the request body is over the {limit // (1024 * 1024)} MB limit")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request) -> dict[str, Any]:
    desk = _desk(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = desk.settings.max_input_bytes * _JSON_OVERHEAD + _SLACK
    body = await read_body(request, limit)
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


def _optional_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise DeskError(400, f"{name} must be a string")
    return value


async def health(request: Request) -> Response:
    return JSONResponse(_desk(request).health())


async def summarise(request: Request) -> Response:
    data = await read_json(request)
    desk = _desk(request)
    article = desk.article(data.get("text"))
    out = await desk.summarise(article, lang=data.get("lang", "en"), length=data.get("length", "short"))
    return _json(out)


async def translate(request: Request) -> Response:
    data = await read_json(request)
    desk = _desk(request)
    if "to" not in data:
        raise DeskError(400, 'say which language to translate into: "to": "ru" or "kk"')
    article = desk.article(data.get("text"))
    glossary = desk.glossary(data.get("glossary"))
    out = await desk.translate(article, to=data["to"], script=data.get("script", "cyrl"), glossary=glossary)
    return _json(out)


async def facts(request: Request) -> Response:
    data = await read_json(request)
    desk = _desk(request)
    article = desk.article(data.get("text"))
    out = await desk.facts(article, lang=_optional_str(data, "lang"), glossary=desk.glossary(data.get("glossary")))
    return _json(out)


async def check(request: Request) -> Response:
    """``to`` judges ``text`` as a translation of ``source``; ``kind: "summary"`` as its summary."""
    data = await read_json(request)
    desk = _desk(request)
    source = desk.article(data.get("source"), name="source")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DeskError(400, "the text to check is empty")
    kind = data.get("kind", "translation" if "to" in data else None)
    if kind == "translation":
        glossary = desk.glossary(data.get("glossary"))
        out = await desk.check_translation(source, text, to=data.get("to", ""), glossary=glossary)
    elif kind == "summary":
        out = await desk.check_summary(source, text, lang=data.get("lang", "en"), length=data.get("length", "short"))
    else:
        raise DeskError(400, 'say what the text is: "to": "ru"|"kk" for a translation, or "kind": "summary"')
    return _json(out)


routes = [
    Route("/api/health", health, methods=["GET"]),
    Route("/api/summarise", summarise, methods=["POST"]),
    Route("/api/summarize", summarise, methods=["POST"]),
    Route("/api/translate", translate, methods=["POST"]),
    Route("/api/facts", facts, methods=["POST"]),
    Route("/api/check", check, methods=["POST"]),
]

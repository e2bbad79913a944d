"""Who may use the desk, and forms that only the desk's own pages can post.

- On loopback (the default) the desk is as private as the editor's own machine. Any other address
  needs ``SUMMARIZER_SERVE_TOKEN`` (``cli/serve.py`` refuses to start without it), and then every
  request needs ``Authorization: Bearer <token>`` (a CMS) or the session cookie the login page
  gives (an editor). The session is an expiry signed with a key derived from the token, so it
  survives a restart and dies with a new token.
- Form posts carry a CSRF token that must equal the ``desk_csrf`` cookie (double submit): another
  site can make a browser post here, but it can neither read nor set that cookie. The JSON API
  demands ``Content-Type: application/json``, which no cross-site form can send without a CORS
  preflight the desk never grants.
- Whatever fails is one line, with the key redacted; the traceback is logged, never sent.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from .desk import DeskError, one_line, status_for

__all__ = ["CSRF_COOKIE", "SESSION_COOKIE", "Guard", "GuardMiddleware", "csrf_token", "check_csrf"]

log = logging.getLogger("summarizer.serve")
SESSION_COOKIE = "desk_session"
CSRF_COOKIE = "desk_csrf"
SESSION_SECONDS = 12 * 3600  # one shift
OPEN_PATHS = ("/login", "/static/")  # all else, health too, needs the token


@dataclass(frozen=True)
class Guard:
    token: str | None
    secret: str | None = None  # the API key, to redact from anything that goes out

    def _key(self) -> bytes:
        return hashlib.sha256(b"summarizer-desk-session\0" + (self.token or "").encode()).digest()

    def session_value(self, now: float | None = None) -> str:
        expiry = str(int((now or time.time()) + SESSION_SECONDS))
        return f"{expiry}.{hmac.new(self._key(), expiry.encode(), 'sha256').hexdigest()}"

    def valid_session(self, value: str | None, now: float | None = None) -> bool:
        if not value or "." not in value:
            return False
        expiry, mac = value.split(".", 1)
        good = hmac.new(self._key(), expiry.encode(), "sha256").hexdigest()
        return hmac.compare_digest(mac, good) and expiry.isdigit() and int(expiry) > (now or time.time())

    def valid_token(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def allows(self, request: Request) -> bool:
        if self.token is None:
            return True
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer ") and self.valid_token(bearer[7:].strip()):
            return True
        return self.valid_session(request.cookies.get(SESSION_COOKIE))


def csrf_token(request: Request) -> str:
    """The page's CSRF token: the cookie's value, or a new one the response must set."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def check_csrf(request: Request, form_value: Any) -> None:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not isinstance(form_value, str) or not hmac.compare_digest(cookie, form_value):
        raise DeskError(403, "this form is stale or did not come from the desk; reload the page and try again")


def set_csrf(response: Response, token: str) -> Response:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=SESSION_SECONDS)
    return response


class GuardMiddleware:
    """Authentication in front of every route, and the last line of defence behind them."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = scope["path"]
        if not path.startswith(OPEN_PATHS) and not self.guard.allows(request):
            await self._unauthorised(request)(scope, receive, send)
            return
        started = False

        async def watch(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # one line out, the traceback only into the log (redacted)
            line = one_line(exc, self.guard.secret)
            log.error("%s %s failed: %s", scope.get("method"), path, line, exc_info=status_for(exc) >= 500)
            if not started:
                await error_response(path, status_for(exc), line)(scope, receive, send)

    def _unauthorised(self, request: Request) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": "send Authorization: Bearer <SUMMARIZER_SERVE_TOKEN>"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        body = (
            "<!doctype html><meta charset=utf-8><title>Sign in</title>"
            '<p>This desk needs signing in: <a href="/login">sign in</a>.</p>'
        )
        return HTMLResponse(body, status_code=401)


def error_response(path: str, status: int, line: str) -> Response:
    if path.startswith("/api/"):
        return JSONResponse({"error": line}, status_code=status)
    from html import escape

    page = (
        "<!doctype html><meta charset=utf-8><title>Desk: error</title>"
        f'<link rel="stylesheet" href="/static/desk.css"><main><h1>Error {status}</h1>'
        f'<p class="fail" id="error">{escape(line)}</p><p><a href="/">Back to the desk</a></p></main>'
    )
    return HTMLResponse(page, status_code=status)

"""Who may use the desk, from which page, and forms that only the desk's own pages can post.

- Every request must name the desk in its ``Host``: a loopback name (127.0.0.1, localhost, ::1) or
  the ``--host`` it listens on, with its port, or a name listed in ``SUMMARIZER_SERVE_HOSTS`` (a
  desk behind a reverse proxy). Anything else is 400: a DNS-rebinding page (attacker.example
  resolving to 127.0.0.1) reaches the socket but never the desk.
- Every state-changing request must come from the desk's own origin: ``Sec-Fetch-Site``, where a
  browser sends it, must say same-origin, and ``Origin`` (else ``Referer``) must be the desk's
  scheme, host and port. A request with neither is a script's (a CMS), not a page's: the JSON API
  still demands ``Content-Type: application/json``, which no cross-site page can send without a
  CORS preflight the desk never grants, and a form still needs the CSRF token below.
- The CSRF token of a form is an HMAC, under a key kept in the desk's store, of the ``desk_csrf``
  cookie and the editor's session: cookies are not scoped by port, so another page on 127.0.0.1
  can set that cookie, but it cannot compute the token that goes with it.
- On loopback (the default) the desk is as private as the editor's own machine. Any other address
  needs ``SUMMARIZER_SERVE_TOKEN`` (``cli/serve.py`` refuses to start without it), and then every
  request needs ``Authorization: Bearer <token>`` (a CMS) or the session cookie the login page
  gives (an editor). The session is an id and an expiry signed with a key derived from the token,
  so it survives a restart and dies with a new token; the store keeps each signed-in session
  and when it was last used: it ends after 30 idle minutes or 12 hours, whichever first (OWASP ASVS
  3.3), and signing out deletes it and records its id as revoked, so a copied cookie dies too.
- Cookies are HttpOnly and SameSite=Strict, and Secure when the desk is reached over TLS (https,
  or ``X-Forwarded-Proto: https`` from a proxy on loopback).
- Every response carries a Content-Security-Policy without inline script (the pages' one script is
  ``/static/desk.js``), ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``,
  ``Referrer-Policy: no-referrer``, ``X-Content-Type-Options: nosniff`` and, on pages,
  ``Cache-Control: no-store``.
- Whatever fails is one line, with the key redacted; the traceback is logged, never sent.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from .desk import DeskError, one_line, status_for

__all__ = [
    "CSRF_COOKIE",
    "HOSTS_VARIABLE",
    "LOOPBACK_HOSTS",
    "SESSION_COOKIE",
    "Guard",
    "GuardMiddleware",
    "Keys",
    "Session",
    "behind_tls",
    "check_csrf",
    "csrf_nonce",
    "csrf_token",
    "desk_hosts",
    "end_session",
    "parse_hosts",
    "refusal",
    "set_csrf",
    "split_host",
    "start_session",
]

log = logging.getLogger("summarizer.serve")
SESSION_COOKIE = "desk_session"
CSRF_COOKIE = "desk_csrf"
SESSION_SECONDS = 12 * 3600  # one shift: the absolute limit
IDLE_SECONDS = 30 * 60  # unused this long, a session has ended (ASVS 3.3.2 at level 2)
TRUSTED_PROXIES = frozenset({"127.0.0.1", "::1"})  # whose X-Forwarded-Proto is believed
# The pages' script and styles are files of the desk's own; the digest preview (an iframe's
# srcdoc, sandboxed without scripts) keeps its inline styles, as the email has them.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
)
OPEN_PATHS = ("/login", "/static/")  # all else, health too, needs the token
HOSTS_VARIABLE = "SUMMARIZER_SERVE_HOSTS"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_MAKING_GETS = frozenset({"/reports/open"})  # GETs that store something: a batch job becomes a document
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Keys(Protocol):
    """What the guard keeps in the desk's store (``store.Store``)."""

    def secret(self, name: str) -> bytes: ...
    def revoke_session(self, session_id: str, *, until: int) -> None: ...
    def session_revoked(self, session_id: str) -> bool: ...
    def open_session(self, session_id: str, *, until: int) -> None: ...
    def touch_session(self, session_id: str, *, idle: int, now: int | None = None) -> bool: ...


def split_host(value: str) -> tuple[str, int | None] | None:
    """``Host`` or an origin's netloc as (lower-case name, port or None); None when malformed."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8765
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] if rest else None
    elif value.count(":") > 1:  # a bare IPv6 address is not a valid Host
        return None
    else:
        name, colon, port_text = value.partition(":")
        port = port_text if colon else None
    if not name or (port is not None and not (port.isdigit() and 0 < int(port) < 65536)):
        return None
    return name, int(port) if port is not None else None


def parse_hosts(text: str | None) -> frozenset[str]:
    """``SUMMARIZER_SERVE_HOSTS``: names separated by commas or spaces, each with or without a port."""
    names = {n.strip().lower() for n in (text or "").replace(",", " ").split()}
    for name in names:
        if split_host(name) is None:
            raise ValueError(f"{HOSTS_VARIABLE}: {name!r} is not a host name, or name:port")
    return frozenset(names)


def desk_hosts(host: str) -> frozenset[str]:
    """The names answered on the desk's own port: loopback's and the ``--host`` it listens on."""
    return frozenset({*LOOPBACK_HOSTS, host.strip("[]").lower()})


@dataclass(frozen=True)
class Session:
    id: str
    expiry: int


@dataclass(frozen=True)
class Guard:
    token: str | None
    secret: str | None = None  # the API key, to redact from anything that goes out
    # Names answered on the port the desk listens on: loopback's and the --host given.
    hosts: frozenset[str] = frozenset(LOOPBACK_HOSTS)
    # Names answered on any port they name (a reverse proxy's): "desk.example" or "desk.example:8443".
    proxied: frozenset[str] = field(default_factory=frozenset)
    idle_seconds: int = IDLE_SECONDS

    # -- where a request may come from -----------------------------------------------------------

    def host_allowed(self, host: str, *, scheme: str, port: int | None) -> bool:
        """``port`` is the one the desk listens on (None when unknown, e.g. a Unix socket)."""
        parsed = split_host(host)
        if parsed is None:
            return False
        name, given = parsed
        said = given if given is not None else _DEFAULT_PORTS.get(scheme)
        if name in self.proxied or f"{name}:{said}" in self.proxied:
            return True
        return name in self.hosts and (port is None or said == port)

    def origin_allowed(self, origin: str, *, host: str, scheme: str) -> bool:
        """The page's origin is the desk's own: its scheme and the Host the browser sent (already
        checked), or, behind a proxy that rewrites Host, one of the proxied names."""
        parts = urlsplit(origin.strip().lower())
        if parts.scheme not in _DEFAULT_PORTS or not parts.netloc or "@" in parts.netloc:
            return False
        said, own = split_host(parts.netloc), split_host(host)
        if said is None or own is None:
            return False
        name, port = said[0], said[1] or _DEFAULT_PORTS[parts.scheme]
        if name in self.proxied or f"{name}:{port}" in self.proxied:
            return True
        return parts.scheme == scheme and (name, port) == (own[0], own[1] or _DEFAULT_PORTS.get(scheme))

    # -- sessions --------------------------------------------------------------------------------

    def _key(self) -> bytes:
        return hashlib.sha256(b"summarizer-desk-session\0" + (self.token or "").encode()).digest()

    def _mac(self, body: str) -> str:
        return hmac.new(self._key(), body.encode(), "sha256").hexdigest()

    def session_value(self, now: float | None = None) -> str:
        body = f"{secrets.token_urlsafe(16)}.{int((now or time.time()) + SESSION_SECONDS)}"
        return f"{body}.{self._mac(body)}"

    def session(self, value: str | None, now: float | None = None) -> Session | None:
        """The signed, unexpired session of a cookie (revocation is the store's to say)."""
        parts = (value or "").split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        sid, expiry, mac = parts
        if not hmac.compare_digest(mac.encode(), self._mac(f"{sid}.{expiry}").encode()) or int(expiry) <= (now or time.time()):
            return None
        return Session(sid, int(expiry))

    def valid_token(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def allows(self, request: Request, keys: Keys) -> bool:
        if self.token is None:
            return True
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer ") and self.valid_token(bearer[7:].strip()):
            return True
        session = self.session(request.cookies.get(SESSION_COOKIE))
        return (
            session is not None
            and not keys.session_revoked(session.id)
            and keys.touch_session(session.id, idle=self.idle_seconds)
        )


def _keys(request: Request) -> Keys:
    keys: Keys = request.app.state.store
    return keys


def behind_tls(request: Request) -> bool:
    """Reached over https: directly, or through a proxy on this machine that says so."""
    if request.url.scheme == "https":
        return True
    client = request.scope.get("client")
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return forwarded == "https" and client is not None and client[0] in TRUSTED_PROXIES


def start_session(request: Request, response: Response) -> Response:
    guard: Guard = request.app.state.guard
    value = guard.session_value()
    session = guard.session(value)
    assert session is not None  # just signed
    _keys(request).open_session(session.id, until=session.expiry)
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict", max_age=SESSION_SECONDS,
                        secure=behind_tls(request))  # fmt: skip
    return response


def end_session(request: Request, response: Response) -> Response:
    """Sign out for good: the session's id is revoked in the store, not only its cookie deleted."""
    guard: Guard = request.app.state.guard
    session = guard.session(request.cookies.get(SESSION_COOKIE))
    if session is not None:
        _keys(request).revoke_session(session.id, until=session.expiry)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict", secure=behind_tls(request))
    return response


# -- CSRF --------------------------------------------------------------------------------------


def csrf_nonce(request: Request) -> str:
    """The ``desk_csrf`` cookie's value, or a new one the response must set (``set_csrf``)."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def csrf_token(request: Request, nonce: str) -> str:
    """The form token for ``nonce``: bound to the desk's key and to the editor's session, so a
    cookie planted by another page, or a form kept from before signing out, posts nothing."""
    guard: Guard = request.app.state.guard
    session = guard.session(request.cookies.get(SESSION_COOKIE))
    body = f"{nonce}\0{session.id if session else ''}".encode()
    return hmac.new(_keys(request).secret("csrf"), body, "sha256").hexdigest()


def check_csrf(request: Request, form_value: Any) -> None:
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if (
        not nonce
        or not isinstance(form_value, str)
        or not hmac.compare_digest(form_value.encode(), csrf_token(request, nonce).encode())
    ):
        raise DeskError(403, "this form is stale or did not come from the desk; reload the page and try again")


def set_csrf(request: Request, response: Response, nonce: str) -> Response:
    response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict", max_age=SESSION_SECONDS,
                        secure=behind_tls(request))  # fmt: skip
    return response


# -- the middleware ----------------------------------------------------------------------------


def refusal(guard: Guard, request: Request) -> tuple[int, str] | None:
    """Why the request does not come from the desk's own host and pages, or None when it does."""
    scope = request.scope
    server = scope.get("server")
    host, scheme = request.headers.get("host", ""), scope.get("scheme", "http")
    if not guard.host_allowed(host, scheme=scheme, port=server[1] if server else None):
        names = f"--allowed-host, {HOSTS_VARIABLE}"
        return 400, f"unexpected Host header: this desk answers to its own address (or the names in {names})"
    fetch_site = request.headers.get("sec-fetch-site")
    if scope.get("method", "GET") in _SAFE_METHODS:
        # A link that makes a document (a batch job opened) is followed from the desk's pages only.
        if scope["path"] in _MAKING_GETS and fetch_site not in (None, "same-origin", "none"):
            return 403, f"a {fetch_site} link cannot open documents on the desk"
        return None
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return 403, f"a {fetch_site} request cannot change anything on the desk"
    origin = request.headers.get("origin")
    if origin == "null" and fetch_site == "same-origin":
        # The desk's own Referrer-Policy (no-referrer) makes Chromium send "Origin: null" on its
        # forms; Sec-Fetch-Site, which no page can set, says whose they are.
        origin = None
    if origin is None and (referer := request.headers.get("referer")):
        origin = referer
    if origin is not None and not guard.origin_allowed(origin, host=host, scheme=scheme):
        return 403, "a request from another origin cannot change anything on the desk"
    return None


class GuardMiddleware:
    """Host, origin and authentication in front of every route, and the last line of defence behind them."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send, page=not scope["path"].startswith("/static/"))
        request = Request(scope)
        path = scope["path"]
        refused = refusal(self.guard, request)
        if refused is not None:
            log.warning("%s %s refused: %s", scope.get("method"), path, refused[1])
            await error_response(path, *refused)(scope, receive, send)
            return
        if not path.startswith(OPEN_PATHS) and not self.guard.allows(request, _keys(request)):
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


def _with_headers(send: Send, *, page: bool) -> Send:
    """``send`` that adds the security headers to the response's start, whoever made it."""

    async def sending(message: Any) -> None:
        if message["type"] == "http.response.start":
            extra = [*SECURITY_HEADERS, *([(b"cache-control", b"no-store")] if page else [])]
            names = {name for name, _ in extra}
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
            message = {**message, "headers": [*headers, *extra]}
        await send(message)

    return sending


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

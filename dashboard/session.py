"""Logging in and out of the dashboard (session cookie), choosing the language, CSRF defence.

The session cookie holds an opaque token stored hashed like an API token (HttpOnly,
SameSite=Lax, Secure over https). Writes are CSRF-safe three ways: the cookie is not
sent on cross-site POSTs (SameSite), every unsafe request under /dashboard/ from a
browser must come from our own origin, and the login and logout forms carry a token
that must match the CSRF cookie (double submit).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import Invalid, NotFound, TooManyRequests
from api.models.common import Role
from dashboard import i18n
from dashboard.context import CSRF_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE, user_of
from dashboard.data import sessions

PREFIX = "/dashboard/"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Pages only some roles may open; anonymous visitors are sent to the login page.
RESTRICTED = {
    "entry": {Role.member, Role.admin},
    "upload": {Role.member, Role.admin},
    "stories": {Role.member, Role.admin},
    "completeness": {Role.admin},
    "account": set(Role),
    "quality": set(Role),  # members see their own organisation's flags
    "audit": {Role.admin},
    "admin": {Role.admin},  # the staff console: every page under /dashboard/admin
}


def may_open(page: str, principal: sessions.Principal | None) -> bool:
    """Whether ``principal`` may open the page whose path starts with ``page`` (e.g. ``entry``)."""
    roles = RESTRICTED.get(page.strip("/").split("/")[0])
    return roles is None or (principal is not None and principal.role in roles)


def local_path(target: str | None) -> str:
    """``target`` if it is a path inside the dashboard, else the dashboard's start (no open redirects)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith(PREFIX) and "\\" not in target:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return PREFIX


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser (set as a cookie by the middleware)."""
    return request.cookies.get(CSRF_COOKIE) or request.state.new_csrf


def _csrf_ok(request: Request, sent: str) -> bool:
    expected = request.cookies.get(CSRF_COOKIE, "")
    return bool(expected) and hmac.compare_digest(expected, sent)


def _same_origin(request: Request) -> bool:
    """An unsafe request from a browser must come from a page of ours (Origin, else Referer)."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        # Not a browser (browsers send Origin on every POST); the CSRF token and SameSite still apply.
        return True
    parts = urlsplit(claimed)
    return parts.netloc == request.headers.get("host", "") and parts.scheme == request.url.scheme


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int | None, http_only: bool) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=http_only,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


class DashboardGuard:
    """Pure ASGI middleware: refuses cross-site writes under /dashboard/ and gives a browser without
    one its CSRF cookie. Everything else (the API) passes straight through, at no cost."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.method not in SAFE_METHODS and not _same_origin(request):
            refusal = {"status": 403, "code": "cross_origin", "message": "Cross-site request refused", "errors": []}
            await JSONResponse(refusal, status_code=403)(scope, receive, send)
            return
        new = None if request.cookies.get(CSRF_COOKIE) else secrets.token_urlsafe(32)
        request.state.new_csrf = new
        if new is None:
            await self.app(scope, receive, send)
            return
        carrier = Response()
        _cookie(carrier, request, CSRF_COOKIE, new, max_age=None, http_only=True)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", carrier.headers["set-cookie"])
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def install_session(app: FastAPI) -> None:
    """Add the login, logout and language routes and the CSRF middleware to ``app``."""
    app.add_middleware(DashboardGuard)

    @app.post(PREFIX + "auth/login", include_in_schema=False)
    def login(
        request: Request,
        username: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=1000)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
        next: Annotated[str, Form(max_length=2000)] = PREFIX,  # noqa: A002
    ) -> RedirectResponse:
        """Check the login form; on success set the session cookie and go where the user was going."""
        target = local_path(next)
        if not _csrf_ok(request, csrf):
            return RedirectResponse(f"{PREFIX}login?error=expired&next={quote(target)}", status_code=303)
        try:
            found = sessions.log_in(request, username, password)
        except TooManyRequests:
            return RedirectResponse(f"{PREFIX}login?error=throttled&next={quote(target)}", status_code=303)
        if found is None:
            return RedirectResponse(f"{PREFIX}login?error=invalid&next={quote(target)}", status_code=303)
        token, ttl = found
        response = RedirectResponse(target, status_code=303)
        _cookie(response, request, SESSION_COOKIE, token, max_age=int(ttl.total_seconds()), http_only=True)
        return response

    @app.post(PREFIX + "auth/invitation", include_in_schema=False)
    def accept_invitation(
        request: Request,
        token: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=1000)] = "",
        repeat: Annotated[str, Form(max_length=1000)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
    ) -> RedirectResponse:
        """Set the password from an invitation link; on success log in and go to the dashboard's start."""
        back = f"{PREFIX}invitation/{quote(token, safe='')}"
        if not _csrf_ok(request, csrf):
            return RedirectResponse(f"{back}?error=expired", status_code=303)
        if password != repeat:
            return RedirectResponse(f"{back}?error=mismatch", status_code=303)
        try:
            found = sessions.accept_invitation(request, token, password)
        except NotFound:
            return RedirectResponse(back, status_code=303)  # the page says the link does not work
        except Invalid:
            return RedirectResponse(f"{back}?error=weak", status_code=303)
        session_token, ttl = found
        response = RedirectResponse(PREFIX, status_code=303)
        _cookie(response, request, SESSION_COOKIE, session_token, max_age=int(ttl.total_seconds()), http_only=True)
        return response

    @app.post(PREFIX + "auth/logout", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> RedirectResponse:
        """End the session: revoke its token and drop the cookie."""
        principal = user_of(request)
        if principal is not None and _csrf_ok(request, csrf):
            sessions.log_out(request, principal)
        response = RedirectResponse(PREFIX, status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.get(PREFIX + "language/{language}", include_in_schema=False)
    def choose_language(request: Request, language: str) -> RedirectResponse:
        """Remember the chosen language and go back to the page the user came from."""
        referer = request.headers.get("referer")
        back = urlsplit(referer) if referer else None
        target = local_path(back.path + (f"?{back.query}" if back.query else "") if back else None)
        response = RedirectResponse(target, status_code=303)
        if language in i18n.LANGUAGES:
            _cookie(response, request, LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, http_only=False)
        return response


def deep_link_route(app: FastAPI, index: Callable[[Request], Awaitable[str]]) -> None:
    """Every dashboard path gets the app's page; restricted pages send strangers to the login page."""

    @app.get(PREFIX + "{path:path}", include_in_schema=False)
    async def dashboard_page(request: Request, path: str) -> Response:
        principal = await run_in_threadpool(user_of, request)
        if principal is None and not may_open(path, principal):
            target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
            return RedirectResponse(f"{PREFIX}login?next={target}", status_code=303)
        # A logged-in user without the role gets the app, whose page says so.
        return HTMLResponse(await index(request))

"""What a layout or callback knows about the request it serves: the app, the user, the language.

Dash keeps the current request (``dash_internals.current_request``); the session cookie
and the language cookie travel with every layout and callback request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from dashboard import i18n
from dashboard.dash_internals import current_request
from dashboard.data import sessions
from dashboard.i18n import N_  # noqa: F401  (pages import both markers from here)

if TYPE_CHECKING:
    from api.deps import Backbone

SESSION_COOKIE = "bb_session"
CSRF_COOKIE = "bb_csrf"
LANGUAGE_COOKIE = "bb_lang"


def request() -> Request:
    """The request the running layout or callback serves."""
    return current_request()


def backbone() -> Backbone:
    """What the running app holds: settings, database, read model (for dashboard.data only)."""
    return request().app.state.backbone


def user_of(req: Request) -> sessions.Principal | None:
    """The logged-in user of a request (from its session cookie), once per request."""
    if not hasattr(req.state, "principal"):
        token = req.cookies.get(SESSION_COOKIE)
        req.state.principal = sessions.principal_of(req, token) if token else None
    return req.state.principal


def user() -> sessions.Principal | None:
    """The logged-in user of the current request, or None."""
    return user_of(request())


def language_of(req: Request) -> str:
    """The chosen language (cookie), else the browser's preference, else English."""
    chosen = req.cookies.get(LANGUAGE_COOKIE)
    if chosen in i18n.LANGUAGES:
        return chosen
    return i18n.negotiate(req.headers.get("accept-language"))


def language() -> str:
    """The language of the current request."""
    return language_of(request())


def _(message: str, **values: object) -> str:
    """``message`` translated into the current request's language."""
    return i18n.gettext(message, language(), **values)

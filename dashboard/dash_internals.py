"""The private parts of Dash the dashboard relies on, in one place, checked against one Dash version.

Dash's FastAPI backend keeps the request a layout or callback serves in a context variable,
and runs its first-request set-up (the pages' router and its inline scripts) only for its
own routes; the pages' router has fixed component ids; at start-up the backend adds a
catch-all route. None of this is public API. ``tests/dashboard/test_dash_internals.py``
fails on another Dash version than ``CHECKED_AGAINST``: re-check every name below against
the new version's ``dash/backends/_fastapi.py`` and ``dash/_pages.py``, then raise it.
Nothing else in the dashboard imports a private Dash name.
"""

from __future__ import annotations

import inspect

from dash import Dash
from dash.backends import _fastapi
from fastapi import FastAPI, Request

CHECKED_AGAINST = "4.4.1"
PAGES_LOCATION = "_pages_location"  # the pages' router: its dcc.Location
PAGES_CONTENT = "_pages_content"  # the pages' router: where the page goes
CATCH_ALL = "{path:path}"  # the route Dash's FastAPI backend adds at start-up


def current_request() -> Request:
    """The request the running layout or callback serves."""
    return _fastapi.get_current_request()


async def render_index(dash_app: Dash, request: Request) -> str:
    """Dash's index page for a request that came in by a route of ours (a deep link into the dashboard).

    Dash's middleware sets its request context and runs its before-request hooks only for
    its own routes; the index needs both (the first hook registers the pages' router).
    """
    token = _fastapi.set_current_request(request)
    try:
        for hook in dash_app.backend._before_request_funcs:
            if inspect.iscoroutinefunction(hook):
                await hook()
            else:
                hook()
        return dash_app.index()
    finally:
        _fastapi.reset_current_request(token)


def drop_global_catch_all(app: FastAPI) -> None:
    """Remove the catch-all route Dash's FastAPI backend adds at start-up.

    It answers every unknown path (``/api/v1/nope`` too) with the dashboard's HTML;
    the API must answer those with its JSON 404 instead.
    """
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) != CATCH_ALL]

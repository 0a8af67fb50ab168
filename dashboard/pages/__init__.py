"""The dashboard's pages: one module each, with ``register(app)`` for its page and callbacks."""

from __future__ import annotations

from dash import Dash

from dashboard.pages import login, overview

PAGES = (overview, login)


def register_all(app: Dash) -> None:
    for page in PAGES:
        page.register(app)

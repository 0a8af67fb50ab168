"""The dashboard's pages: one module each, with ``register(app)`` for its page and its callbacks."""

from __future__ import annotations

import importlib
import pkgutil

from dash import Dash


def register_all(app: Dash) -> None:
    """Register every module of this package as a page (each page is a module here)."""
    for found in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{found.name}").register(app)

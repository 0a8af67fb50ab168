"""The Dash app, served by the same FastAPI process under /dashboard/."""

from __future__ import annotations

from pathlib import Path

from dash import Dash
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse

from dashboard.dash_internals import drop_global_catch_all, render_index
from dashboard.session import PREFIX, deep_link_route, install_session

__all__ = ["drop_global_catch_all", "mount_dashboard"]  # api/main.py starts and trims the dashboard with these


def mount_dashboard(app: FastAPI) -> Dash:
    """Attach the dashboard to ``app``; its pages read through the services of ``app.state.backbone``."""
    from dashboard import pages, shell

    dash_app = Dash(
        __name__,
        server=app,
        url_base_pathname=PREFIX,
        use_pages=True,
        pages_folder="",
        assets_folder=str(Path(__file__).parent / "assets"),
        title="Backbone",
        suppress_callback_exceptions=True,
        on_error=shell.show_alert,
    )
    _name_the_language(dash_app)
    install_session(app)
    _serve_plotly_bundle(app)
    pages.register_all(dash_app)
    dash_app.layout = shell.layout
    shell.register_alert(dash_app)

    async def index(request: Request) -> str:
        return await render_index(dash_app, request)

    deep_link_route(app, index)
    return dash_app


def _name_the_language(dash_app: Dash) -> None:
    """The page's ``<html lang>`` is the reader's language, for screen readers' pronunciation (WCAG 3.1.1)."""
    from dashboard import context

    interpolate = dash_app.interpolate_index

    def interpolate_index(**parts: str) -> str:
        return interpolate(**parts).replace("<html>", f'<html lang="{context.language()}">', 1)

    dash_app.interpolate_index = interpolate_index  # type: ignore[method-assign]


PLOTLY_BUNDLE = Path(__file__).parent / "vendor" / "plotly-cartesian.min.js"
PLOTLY_URL = PREFIX + "_dash-component-suites/plotly/package_data/plotly.min.js"


def _serve_plotly_bundle(app: FastAPI) -> None:
    """Answer Dash's request for plotly.js with the vendored cartesian bundle (see dashboard/vendor/README.md).

    Dash loads plotly.js from this unversioned address only when a page shows a chart;
    this route goes before Dash's own so that it wins, and lets browsers keep the file a day.
    """

    async def plotly_bundle() -> FileResponse:
        return FileResponse(
            PLOTLY_BUNDLE, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
        )

    app.add_api_route(PLOTLY_URL, plotly_bundle, methods=["GET"], include_in_schema=False)
    app.router.routes.insert(0, app.router.routes.pop())

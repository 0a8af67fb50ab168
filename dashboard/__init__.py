"""The Dash app, served by the same FastAPI process under /dashboard/."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dash import Dash, Input, Output, dcc, html
from dash.backends._fastapi import reset_current_request, set_current_request
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from dashboard.figures import progress_figure

if TYPE_CHECKING:
    from api.deps import Backbone

PREFIX = "/dashboard/"


def mount_dashboard(app: FastAPI, backbone: Backbone) -> Dash:
    """Attach the dashboard to ``app``; its callbacks read through ``backbone``'s services."""
    from api.services import progress as progress_service

    dash_app = Dash(
        __name__,
        server=app,
        url_base_pathname=PREFIX,
        title="Backbone",
        suppress_callback_exceptions=True,
    )

    def area_options() -> list[dict[str, str]]:
        cur = backbone.read_model.cursor()
        try:
            rows = cur.execute(
                "SELECT DISTINCT a.code, a.name FROM area a JOIN assignment s ON s.area_id = a.id ORDER BY a.name"
            ).fetchall()
        finally:
            cur.close()
        return [{"label": f"{name} ({code})", "value": code} for code, name in rows]

    def layout() -> html.Div:
        options = area_options()
        return html.Div(
            [
                html.H1("Backbone: progress per goal"),
                html.P("Share of the gap from baseline to target closed, per indicator; colour shows the status."),
                dcc.Dropdown(
                    id="overview-area",
                    options=options,
                    value=options[0]["value"] if options else None,
                    clearable=False,
                    style={"maxWidth": "480px"},
                ),
                dcc.Graph(id="overview-progress", config={"displaylogo": False}),
            ],
            style={"fontFamily": "system-ui, sans-serif", "margin": "1.5rem"},
        )

    dash_app.layout = layout

    @dash_app.callback(Output("overview-progress", "figure"), Input("overview-area", "value"))
    def show_progress(area: str | None):  # noqa: ANN202
        if not area:
            return progress_figure([])
        page = progress_service.progress(read_model=backbone.read_model, principal=None, limit=100, offset=0, area=area)
        return progress_figure(page.items)

    _route_deep_links_to_dash(app, dash_app)
    return dash_app


def _route_deep_links_to_dash(app: FastAPI, dash_app: Dash) -> None:
    @app.get(PREFIX + "{path:path}", include_in_schema=False)
    def dashboard_page(request: Request, path: str) -> HTMLResponse:
        """Deep links into the dashboard get its page; Dash's router shows the right view."""
        # Dash's middleware only sets its request context for its own routes; index() needs it.
        token = set_current_request(request)
        try:
            return HTMLResponse(dash_app.index())
        finally:
            reset_current_request(token)


def drop_global_catch_all(app: FastAPI) -> None:
    """Remove the catch-all route Dash's FastAPI backend adds at start-up.

    It answers every unknown path (``/api/v1/nope`` too) with the dashboard's HTML;
    the API must answer those with its JSON 404 instead.
    """
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) != "{path:path}"]

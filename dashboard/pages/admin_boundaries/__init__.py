"""The staff's page of boundaries: the areas' outlines for the dashboard's map, replaced by one GeoJSON file."""

from __future__ import annotations

import base64
import binascii

import dash
from dash import Dash, Input, Output, State, dcc, html, no_update

from api.errors import BackboneError
from dashboard.context import _
from dashboard.data import setup
from dashboard.parts.components import allowed, guard, href, notice, session_ended
from dashboard.parts.setup import problem_list

PAGE = "admin/boundaries"
MAX_BYTES = 20 * 1024 * 1024


def stored(codes: list[str]) -> html.P:
    """How many areas have a boundary now, and which (the first few)."""
    if not codes:
        return html.P(_("No boundaries are stored: the map shows a grid of tiles."), id="admin-boundaries-stored")
    shown = ", ".join(codes[:12]) + (" …" if len(codes) > 12 else "")
    return html.P(
        _("{count} areas have a boundary: {codes}", count=len(codes), codes=shown), id="admin-boundaries-stored"
    )


def layout(**_query: str) -> html.Div:
    """What is stored, and the file that replaces it."""
    if (blocked := guard(PAGE)) is not None:
        return blocked
    return html.Div(
        [
            dcc.Link(_("Administration"), href=href("/admin"), className="back-link"),
            html.H1(_("Boundaries")),
            html.P(
                _(
                    "The outlines of the areas for the map on the indicator pages: one GeoJSON FeatureCollection whose "
                    "features carry the area's code in properties.code and a Polygon or MultiPolygon (longitude, "
                    "latitude), up to 20 MB. A new file replaces all boundaries, checked whole: one problem, and "
                    "nothing changes. An empty collection removes them."
                )
            ),
            html.Div(stored(setup.boundary_areas()), id="admin-boundaries-current"),
            html.A(_("Download the stored boundaries"), href="/api/v1/areas/boundaries", download="boundaries.geojson"),
            dcc.Upload(
                id="admin-boundaries-file",
                children=html.Div([_("Drop a GeoJSON file here, or "), html.A(_("choose a file"))]),
                max_size=MAX_BYTES,
                className="upload-drop",
            ),
            html.Div(id="admin-boundaries-result", role="status"),
            html.Div(id="admin-boundaries-problems", role="alert"),
        ],
        className="page admin-page",
    )


def register(app: Dash) -> None:
    """The page, and the upload that replaces the boundaries."""
    dash.register_page(__name__, path="/admin/boundaries", title="Backbone · Boundaries", layout=layout)

    @app.callback(
        Output("admin-boundaries-current", "children"),
        Output("admin-boundaries-result", "children"),
        Output("admin-boundaries-problems", "children"),
        Input("admin-boundaries-file", "contents"),
        State("admin-boundaries-file", "filename"),
        prevent_initial_call=True,
    )
    def replace(contents: str | None, filename: str | None) -> tuple:
        if allowed(PAGE) is None:
            return no_update, session_ended(), None
        try:
            document = base64.b64decode((contents or "").partition(",")[2], validate=True)
        except (binascii.Error, ValueError):
            return no_update, None, notice(_("The file could not be read."), "error")
        try:
            done = setup.replace_boundaries(document)
        except BackboneError as exc:
            return no_update, None, problem_list(exc.errors, {}, exc.error_count)
        said = notice(_("{name}: {count} boundaries stored.", name=filename or "GeoJSON", count=done.stored), "success")
        return stored(done.areas), said, None

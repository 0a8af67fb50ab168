"""The staff's page of source mappings: the alliance's mappings listed; one edited as YAML (or JSON) with a preview of
what it makes of a sample file; saved (a new one or a new version) or deleted, through the mappings service."""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from dashboard.context import _
from dashboard.pages.admin_mappings import callbacks
from dashboard.pages.admin_mappings.callbacks import MAX_SAMPLE, PAGE, choices, mapping_rows
from dashboard.parts import grid
from dashboard.parts.components import guard, href


def mapping_list(rows: list[dict[str, str]]) -> list:
    columns = [
        grid.text_column("code", _("Code"), width=140),
        grid.text_column("name", _("Name"), width=220),
        grid.text_column("description", _("Description"), width=320),
        grid.text_column("source", _("Source"), width=220),
    ]
    return [grid.grid("admin-mappings-list", columns, rows, row_id="code", page_size=20)]


def editor(rows: list[dict[str, str]]) -> list:
    return [
        html.H2(_("Edit a mapping")),
        html.Div(
            html.Label(
                [
                    _("Mapping to edit"),
                    dcc.Dropdown(id="admin-mappings-choose", options=choices(rows), placeholder=_("Choose a mapping")),
                ]
            ),
            className="filters",
        ),
        html.P(
            _(
                "A mapping says how the file is written (file), where indicator, area and period come from (a fixed "
                "value, a column, or a group of the pattern over the column headers), which columns hold values "
                "(measures) and the breakdowns. The text is YAML; JSON is read too."
            ),
            className="muted",
        ),
        html.Label(
            [
                _("The mapping (YAML or JSON)"),
                dcc.Textarea(id="admin-mappings-document", rows=24, className="mapping-editor", spellCheck="false"),
            ],
            className="mapping-editor-label",
        ),
        dcc.Store(id="admin-mappings-editing"),  # the code of the mapping being edited; None for a new one
        html.H3(_("A sample file")),
        html.P(
            _(
                "A file of the publisher as it is downloaded: the preview shows the observations the mapping makes "
                "of it, before anything is stored or checked against the alliance's indicators and areas."
            )
        ),
        dcc.Upload(
            id="admin-mappings-sample",
            children=html.Div([_("Drop a sample file here, or "), html.A(_("choose a file"))]),
            max_size=MAX_SAMPLE,
            className="upload-drop",
        ),
        html.Div(id="admin-mappings-sample-name", **{"aria-live": "polite"}),
        html.Div(
            [
                html.Button(_("Check"), id="admin-mappings-check", className="button secondary", n_clicks=0),
                html.Button(_("Save"), id="admin-mappings-save", className="button", n_clicks=0),
                dcc.ConfirmDialogProvider(
                    html.Button(_("Delete"), id="admin-mappings-delete-button", className="button secondary"),
                    id="admin-mappings-delete",
                    message=_("Delete this mapping? Values imported through it stay."),
                ),
            ],
            className="actions",
        ),
        html.Div(id="admin-mappings-result", role="status"),
        html.Div(id="admin-mappings-problems", role="alert"),
        dcc.Loading(html.Div(id="admin-mappings-preview"), delay_show=200),
    ]


def layout(**_query: str) -> html.Div:
    """The mappings, and the editor with its preview."""
    if (blocked := guard(PAGE)) is not None:
        return blocked
    rows = mapping_rows()
    return html.Div(
        [
            dcc.Link(_("Administration"), href=href("/admin"), className="back-link"),
            html.H1(_("Source mappings")),
            html.P(
                _(
                    "How a publisher's statistics file (DUO, CBS, GENESIS and the like) becomes observations: members "
                    "choose the mapping on the upload page and drop the file as it was published."
                ),
                className="lead",
            ),
            *mapping_list(rows),
            *editor(rows),
        ],
        className="page admin-page",
    )


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/admin/mappings", title="Backbone · Mappings", layout=layout)
    app.callback(*callbacks.CHOOSE, prevent_initial_call=True)(callbacks.choose)
    app.callback(*callbacks.CHECK, prevent_initial_call=True)(callbacks.check)
    app.callback(*callbacks.SAVE, prevent_initial_call=True)(callbacks.save)
    app.callback(*callbacks.DELETE, prevent_initial_call=True)(callbacks.delete)

"""Upload for members: drop a CSV or XLSX file, see what it would change (or its errors), then confirm."""

from __future__ import annotations

import datetime as dt

import dash
from dash import Dash, dcc, html

from dashboard import context
from dashboard.context import _
from dashboard.data import imports
from dashboard.pages.upload import callbacks
from dashboard.pages.upload.actions import OWN, browser_limit, format_options, megabytes
from dashboard.parts.components import HIDDEN, guard

YEARS_BACK = 10


def _template_section(due: int) -> list:
    this_year = dt.date.today().year
    formats = [
        ("csv", _("CSV, comma-separated (decimal point)")),
        ("csv-semicolon", _("CSV for Dutch or German Excel (semicolons, decimal comma)")),
        ("xlsx", _("Excel workbook (XLSX)")),
    ]
    years = [{"label": str(y), "value": y} for y in range(this_year, this_year - YEARS_BACK, -1)]
    return [
        html.H2(_("1. The template")),
        html.P(_("The rows to report, with the values already stored and last period's value beside each.")),
        html.Div(
            [
                html.Label(
                    [
                        _("Reporting year"),
                        dcc.Dropdown(id="upload-template-year", options=years, value=due, clearable=False),
                    ]
                ),
                html.Fieldset(
                    [
                        html.Legend(_("Format")),
                        dcc.RadioItems(
                            id="upload-template-format",
                            options=[{"label": label, "value": value} for value, label in formats],
                            value="csv-semicolon" if context.language() in ("nl", "de") else "csv",
                        ),
                    ]
                ),
            ],
            className="filters",
        ),
        html.Button(_("Download the template"), id="upload-template-button", className="button secondary", n_clicks=0),
        html.Div(id="upload-template-note"),
        dcc.Download(id="upload-template-file"),
    ]


def _format_choice() -> html.Div:
    """Backbone's own format, or one of the alliance's source mappings for a publisher's file (DUO, CBS, GENESIS)."""
    options = format_options()
    return html.Div(
        [
            html.Label(
                [
                    _("Format of the file"),
                    dcc.Dropdown(id="upload-mapping", options=options, value=OWN, clearable=False, searchable=False),
                    html.Small(
                        _(
                            "Backbone's own format is the template's. A publisher's statistics file (such as DUO's, "
                            "CBS's or GENESIS's) is read through the alliance's mapping for it."
                        )
                    ),
                ],
                className="upload-organisation",
            ),
            html.Div(id="upload-mapping-about", **{"aria-live": "polite"}),
        ],
        style=None if len(options) > 1 else HIDDEN,  # no mappings: only the own format
    )


def _file_section(limit: int, api_limit: int) -> list:
    too_large = _("This file is larger than {size}: use the API or the command line.", size=megabytes(limit))
    return [
        html.H2(_("2. Your file")),
        _format_choice(),
        # No ``accept``: the drop zone would refuse other files without a word; the check explains instead.
        html.Div(
            dcc.Upload(
                id="upload-file",
                children=html.Div([_("Drag and drop a CSV or XLSX file here, or "), html.A(_("choose a file"))]),
                max_size=limit,
                className="upload-drop",
                className_active="upload-drop active",
            ),
            id="upload-zone",
            **{"data-max-bytes": str(limit)},
        ),
        html.P(
            _(
                "Files up to {size} can be uploaded here. Larger files (up to {api}) go through the API "
                "(POST /api/v1/imports) or the command line (backbone import FILE).",
                size=megabytes(limit),
                api=megabytes(api_limit),
            ),
            className="upload-limit",
        ),
        html.Div(id="upload-too-large", role="alert", **{"data-message": too_large}),
        dcc.Loading(html.Div(id="upload-preview"), delay_show=200),
        html.Div(
            [
                html.Button(_("Confirm and import"), id="upload-confirm", className="button", n_clicks=0),
                html.Button(_("Cancel"), id="upload-cancel", className="button secondary", n_clicks=0),
            ],
            id="upload-actions",
            className="upload-actions",
            style=HIDDEN,
        ),
        dcc.Loading(html.Div(id="upload-result"), delay_show=200),
        dcc.Store(id="upload-token"),
    ]


def layout(**_query: str) -> html.Div:
    """The organisation (staff), the template to download and the file to drop."""
    if (blocked := guard("upload")) is not None:
        return blocked
    principal = context.user()
    organisations, due = [], dt.date.today().year - 1
    if principal.is_admin:
        organisations = imports.reporting_organisations()
    else:
        due = imports.due_year(principal.organisation_id)
    lead = _("Upload a CSV or Excel (XLSX) file of values. It is checked first; nothing is stored until you confirm.")
    staff = _("As backbone staff you upload for the organisation chosen here; the submission records you.")
    return html.Div(
        [
            html.H1(_("Upload")),
            html.P(lead, className="lead"),
            html.Label(
                [
                    _("Organisation"),
                    dcc.Dropdown(
                        id="upload-organisation",
                        options=[{"label": name, "value": code} for _id, code, name in organisations],
                        placeholder=_("Choose an organisation"),
                    ),
                    html.Small(staff),
                ],
                className="upload-organisation",
                style=None if principal.is_admin else HIDDEN,
            ),
            *_template_section(due),
            *_file_section(browser_limit(), imports.upload_limit()),
        ],
        className="page upload-page",
    )


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/upload", title="Backbone · Upload", layout=layout)
    app.callback(*callbacks.CHECK, prevent_initial_call=True)(callbacks.check)
    app.callback(*callbacks.IMPORT_HELD, prevent_initial_call=True, running=callbacks.IMPORTING)(callbacks.import_held)
    app.callback(*callbacks.CANCEL, prevent_initial_call=True)(callbacks.cancel)
    app.callback(*callbacks.FORMAT, prevent_initial_call=True)(callbacks.choose_format)
    app.callback(*callbacks.DOWNLOAD_TEMPLATE, prevent_initial_call=True)(callbacks.download_template)

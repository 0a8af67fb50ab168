"""Downloads of observations and progress from the pages, made by the API's export service as the current user.

The page gives the same file as ``GET /api/v1/exports/...`` for the user (suppression by
role, formulas neutralised): one export code path. The dashboard's session cookie is not an
API token, so the file travels through a callback rather than a link to the API.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.data import exports
from dashboard.data.exports import Format

FORMATS: dict[str, str] = {"csv": "CSV", "xlsx": "XLSX", "parquet": "Parquet"}


def buttons(prefix: str, label: str) -> html.Div:
    """A label, a button per format (``{prefix}-export-{format}``) and the download they fill (``{prefix}-export``)."""
    return html.Div(
        [
            html.Span(label, className="export-label"),
            *(
                html.Button(name, id=f"{prefix}-export-{fmt}", className="button secondary")
                for fmt, name in FORMATS.items()
            ),
            dcc.Download(id=f"{prefix}-export"),
        ],
        className="export-buttons",
    )


def chosen(triggered: object) -> Format | None:
    """The format of the button that was pressed (None for anything else a request may claim)."""
    fmt = triggered.rpartition("-")[2] if isinstance(triggered, str) else None
    return fmt if fmt in FORMATS else None  # type: ignore[return-value]


def _send(made: exports.File) -> dict[str, Any]:
    content, filename, media_type = made
    return dcc.send_bytes(content, filename, type=media_type)


def observations(fmt: Format, indicator: str) -> dict[str, Any]:
    """Every value of an indicator that the user may see, as a file for ``dcc.Download``."""
    return _send(exports.observations(fmt, indicator))


def progress(fmt: Format, goal: str, area: str | None) -> dict[str, Any]:
    """A goal's progress for an area (every area without one), as a file for ``dcc.Download``."""
    return _send(exports.progress(fmt, goal, area))

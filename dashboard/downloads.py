"""Downloads of observations and progress from the pages, made by the API's export service as the current user.

The page gives the same file as ``GET /api/v1/exports/...`` for the user (suppression by
role, formulas neutralised): one export code path. The dashboard's session cookie is not an
API token, so the file travels through a callback rather than a link to the API.
"""

from __future__ import annotations

import io
from typing import Any

from dash import dcc, html

from api.services.exports import files as exports
from api.services.exports.formats import Format
from dashboard import context

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


def _send(write: Any) -> dict[str, Any]:
    out = io.BytesIO()
    made = write(out)
    return dcc.send_bytes(out.getvalue(), made.filename, type=made.media_type)


def observations(fmt: Format, indicator: str) -> dict[str, Any]:
    """Every value of an indicator that the user may see, as a file for ``dcc.Download``."""
    return _send(
        lambda out: exports.export_observations(
            read_model=context.backbone().read_model, principal=context.user(), out=out, fmt=fmt, indicator=indicator
        )
    )


def progress(fmt: Format, goal: str, area: str | None) -> dict[str, Any]:
    """A goal's progress for an area (every area without one), as a file for ``dcc.Download``."""
    return _send(
        lambda out: exports.export_progress(
            read_model=context.backbone().read_model,
            principal=context.user(),
            out=out,
            fmt=fmt,
            goal=goal,
            area=area,
            language=context.language(),
        )
    )

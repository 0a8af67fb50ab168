"""Files of observations and progress, made by the API's export service as the current user; the CSV writer.

The pages give the same file as ``GET /api/v1/exports/...`` for the user (suppression by
role, formulas neutralised): one export code path.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from api.services.exports import files
from api.services.exports.formats import Column, Format, safe_text, write_csv
from dashboard import context

__all__ = ["Column", "Format", "csv_text", "observations", "progress", "safe_text"]
File = tuple[bytes, str, str]  # content, file name, media type


def _made(write: Any) -> File:
    out = io.BytesIO()
    made = write(out)
    return out.getvalue(), made.filename, made.media_type


def observations(fmt: Format, indicator: str) -> File:
    """Every value of an indicator that the user may see, as a file."""
    return _made(
        lambda out: files.export_observations(
            read_model=context.backbone().read_model, principal=context.user(), out=out, fmt=fmt, indicator=indicator
        )
    )


def progress(fmt: Format, goal: str, area: str | None) -> File:
    """A goal's progress for an area (every area without one), as a file in the user's language."""
    return _made(
        lambda out: files.export_progress(
            read_model=context.backbone().read_model,
            principal=context.user(),
            out=out,
            fmt=fmt,
            goal=goal,
            area=area,
            language=context.language(),
        )
    )


def csv_text(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text, written as every export is (UTF-8 with a BOM, formulas neutralised)."""
    out = io.BytesIO()
    write_csv(out, columns, rows)
    return out.getvalue().decode("utf-8")

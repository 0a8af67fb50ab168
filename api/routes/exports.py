import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from api.deps import BackboneDep, OptionalUser, ReadModelDep
from api.errors import error_responses
from api.routes.observations import BreakdownQuery, Code, PeriodQuery
from api.services.exports import files as service
from api.services.exports.formats import MEDIA_TYPES, Format

router = APIRouter(prefix="/exports", tags=["exports"])
STALE_SECONDS = 24 * 3600

_FILES = {
    200: {"description": "the file, as an attachment", "content": {t: {} for t in MEDIA_TYPES.values()}},
    **error_responses(401, 404, 422),
}
Delimiter = Annotated[
    Literal[",", ";"], Query(description="CSV only: ';' also writes decimal commas, as Dutch and German Excel expect")
]


def _file(backbone: BackboneDep, write: Callable[..., service.ExportFile]) -> FileResponse:
    """Write the export to a file in the data directory, send it, then remove it (large exports never sit in memory)."""
    directory = backbone.settings.data_dir / "exports"
    directory.mkdir(parents=True, exist_ok=True)
    # A download the client broke off may leave its file behind: files of a day ago are gone for good.
    for stale in directory.glob("*.export"):
        with contextlib.suppress(FileNotFoundError):  # another request's sweep was quicker
            if stale.stat().st_mtime < time.time() - STALE_SECONDS:
                stale.unlink()
    handle, name = tempfile.mkstemp(dir=directory, suffix=".export")
    remove = Path(name).unlink
    try:
        with os.fdopen(handle, "wb") as out:
            made = write(out)
    except BaseException:
        remove(missing_ok=True)
        raise
    return FileResponse(
        name, media_type=made.media_type, filename=made.filename, background=BackgroundTask(remove, missing_ok=True)
    )


@router.get("/observations.{fmt}", response_class=FileResponse, responses=_FILES)
def export_observations(
    fmt: Format,
    read_model: ReadModelDep,
    principal: OptionalUser,
    backbone: BackboneDep,
    indicator: Code = None,
    area: Code = None,
    period: PeriodQuery = None,
    breakdown: BreakdownQuery = None,
    columns: Annotated[
        service.Columns, Query(description="'import': only the columns POST /imports reads, to edit and re-import")
    ] = "all",
    delimiter: Delimiter = ",",
) -> FileResponse:
    """The observations GET /observations lists, as a CSV, XLSX or Parquet file; small counts suppressed by role."""
    return _file(
        backbone,
        lambda out: service.export_observations(
            read_model=read_model,
            principal=principal,
            out=out,
            fmt=fmt,
            indicator=indicator,
            area=area,
            period=period,
            breakdown=breakdown,
            columns=columns,
            delimiter=delimiter,
        ),
    )


@router.get("/progress.{fmt}", response_class=FileResponse, responses=_FILES)
def export_progress(
    fmt: Format,
    read_model: ReadModelDep,
    principal: OptionalUser,
    backbone: BackboneDep,
    goal: Annotated[str | None, Query(max_length=60, description="goal code")] = None,
    area: Annotated[str | None, Query(max_length=60, description="area code")] = None,
    until: Annotated[
        int | None, Query(ge=1900, le=2200, description="as it stood with the values of periods up to this year")
    ] = None,
    language: Annotated[Literal["en", "nl", "de"], Query(description="of the indicator names")] = "en",
    delimiter: Delimiter = ",",
) -> FileResponse:
    """GET /progress as a file: one row per goal, area and indicator, with latest value, target and status."""
    return _file(
        backbone,
        lambda out: service.export_progress(
            read_model=read_model,
            principal=principal,
            out=out,
            fmt=fmt,
            goal=goal,
            area=area,
            until=until,
            language=language,
            delimiter=delimiter,
        ),
    )

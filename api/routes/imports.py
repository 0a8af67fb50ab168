import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import BackboneDep, ReadModelDep, ReporterUser, SessionDep
from api.errors import error_responses
from api.models.observation import WriteSummary
from api.routes.observations import Override, Reason
from api.services.imports import batches, mappings, template
from api.services.imports.receive import FIELD, receive_upload

router = APIRouter(prefix="/imports", tags=["imports"])

_UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {
                        FIELD: {"type": "string", "format": "binary", "description": "observations as CSV or XLSX"}
                    },
                }
            }
        },
    }
}


@router.post("", responses=error_responses(401, 403, 404, 409, 413, 415, 422), openapi_extra=_UPLOAD)
async def import_file(
    request: Request,
    session: SessionDep,
    read_model: ReadModelDep,
    principal: ReporterUser,
    backbone: BackboneDep,
    dry_run: Annotated[bool, Query(description="check and count only; write nothing")] = False,
    override: Override = False,
    reason: Reason = None,
    mapping: Annotated[
        str | None, Query(max_length=40, description="a source mapping's code: the file is a publisher's, mapped")
    ] = None,
) -> WriteSummary:
    """Import a CSV or XLSX file of observations for the caller's organisation: all rows, or none with every error.

    Rows in a locked period are refused with 409 unless backbone staff send ``override=true`` and a ``reason``.
    With ``mapping``, the file is read as that source mapping says (``/mappings``); errors name the file's own
    line and column and the mapping's rule, and a dry run shows the first observations it made.
    """
    document = await run_in_threadpool(lambda: mappings.get_mapping(session=session, code=mapping)) if mapping else None
    spooled = await receive_upload(
        body=request.stream(),
        content_type=request.headers.get("content-type", ""),
        content_length=request.headers.get("content-length"),
        settings=backbone.settings,
    )
    try:
        return await run_in_threadpool(
            lambda: batches.import_file(
                session=session,
                read_model=read_model,
                settings=backbone.settings,
                spooled=spooled,
                organisation_id=principal.organisation_id,
                user_id=principal.user_id,
                dry_run=dry_run,
                staff=principal.is_admin,
                override=override,
                reason=reason,
                mapping=document,
            )
        )
    finally:
        spooled.remove()


Period = Annotated[str | None, Query(max_length=16, description="one period, e.g. 2025 or 2025/26")]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="every indicator's periods in this year")]


def _filename(principal: ReporterUser, period: str | None, year: int | None, suffix: str) -> str:
    # Header values are Latin-1: keep the name to plain letters, digits and dashes.
    label = re.sub(r"[^A-Za-z0-9-]+", "-", f"{principal.organisation}-{period or year or 'latest'}").strip("-")
    return f'attachment; filename="backbone-{label}.{suffix}"'


@router.get(
    "/template.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **error_responses(401, 403, 422)},
)
def template_csv(
    read_model: ReadModelDep,
    principal: ReporterUser,
    period: Period = None,
    year: Year = None,
    delimiter: Annotated[Literal[",", ";"], Query(description="';' also writes decimal commas")] = ",",
) -> Response:
    """The caller's rows to report, with values already known, as CSV."""
    table = template.template(
        read_model=read_model, organisation_id=principal.organisation_id, period=period, year=year
    )
    return Response(
        template.template_csv(table, delimiter),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _filename(principal, period, year, "csv")},
    )


@router.get(
    "/template.xlsx",
    response_class=Response,
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
        **error_responses(401, 403, 422),
    },
)
def template_xlsx(
    read_model: ReadModelDep, principal: ReporterUser, period: Period = None, year: Year = None
) -> Response:
    """The caller's rows to report, with values already known, as an XLSX workbook."""
    table = template.template(
        read_model=read_model, organisation_id=principal.organisation_id, period=period, year=year
    )
    return Response(
        template.template_xlsx(table),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": _filename(principal, period, year, "xlsx")},
    )

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.deps import AdminUser, CurrentUser, PageDep, ReadModelDep, SessionDep
from api.errors import error_responses
from api.models.common import Page
from api.models.quality import (
    FlagConfirm,
    FlagStatus,
    QualityFlagPublic,
    QualityRuleIn,
    QualityThresholds,
    RuleText,
)
from api.services.quality import checks, flags

router = APIRouter(prefix="/quality", tags=["quality"])

Code = Annotated[str | None, Query(max_length=60)]


@router.get("", responses=error_responses(401, 404, 422))
def list_flags(
    session: SessionDep,
    read_model: ReadModelDep,
    principal: CurrentUser,
    page: PageDep,
    indicator: Code = None,
    area: Code = None,
    period: Annotated[str | None, Query(max_length=16)] = None,
    organisation: Code = None,
    status: FlagStatus | None = None,
    rule: Code = None,
    lang: Annotated[Literal["nl", "de", "en"], Query(description="the language of each flag's message")] = "en",
) -> Page[QualityFlagPublic]:
    """The data quality flags: each with its rule, key, observed value, what was expected, score and status.

    Members see their own organisation's; admins and the steering group all (numbers left out where the value is
    hidden from the caller).
    """
    return flags.list_flags(
        session=session,
        read_model=read_model,
        principal=principal,
        check=checks.quality_check(session),
        indicator=indicator,
        area=area,
        period=period,
        organisation=organisation,
        status=status,
        rule=rule,
        language=lang,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/{flag_id}/confirm", responses=error_responses(401, 403, 404, 422))
def confirm_flag(flag_id: int, data: FlagConfirm, session: SessionDep, principal: CurrentUser) -> QualityFlagPublic:
    """The value is right (admins, or the reporting organisation's members), with a comment why."""
    return flags.confirm_flag(
        session=session, principal=principal, check=checks.quality_check(session), flag_id=flag_id, data=data
    )


@router.get("/rules", responses=error_responses(401))
def list_rules(session: SessionDep, _user: CurrentUser) -> list[RuleText]:
    """Every rule: the built-in ones (warnings) with their texts, and the admins' rules between indicators."""
    return checks.all_rules(session=session)


@router.put("/rules/{code}", responses=error_responses(401, 403, 422))
def save_rule(
    code: str, data: QualityRuleIn, session: SessionDep, read_model: ReadModelDep, admin: AdminUser
) -> QualityRuleIn:
    """Add or replace a rule between indicators (admin), e.g. ``pupils-low-ses <= pupils-total``; what is
    stored is checked against it at once."""
    return checks.save_rule(
        session=session, read_model=read_model, actor=admin, data=data.model_copy(update={"code": code})
    )


@router.delete("/rules/{code}", status_code=204, responses=error_responses(401, 403, 404))
def delete_rule(code: str, session: SessionDep, read_model: ReadModelDep, admin: AdminUser) -> Response:
    """Remove a rule between indicators (admin); the flags it raised close."""
    checks.delete_rule(session=session, read_model=read_model, actor=admin, code=code)
    return Response(status_code=204)


@router.get("/thresholds/{indicator}", responses=error_responses(401, 404))
def get_thresholds(indicator: str, session: SessionDep, _user: CurrentUser) -> QualityThresholds:
    """One indicator's outlier thresholds (the defaults where none were set)."""
    return checks.get_thresholds(session=session, indicator=indicator)


@router.put("/thresholds/{indicator}", responses=error_responses(401, 403, 404, 422))
def set_thresholds(
    indicator: str, data: QualityThresholds, session: SessionDep, read_model: ReadModelDep, admin: AdminUser
) -> QualityThresholds:
    """Set one indicator's thresholds (admin); its stored values are checked with them at once."""
    return checks.set_thresholds(session=session, read_model=read_model, actor=admin, indicator=indicator, data=data)


class Rechecked(BaseModel):
    opened: int = Field(description="new flags")
    closed: int = Field(description="flags whose value no longer breaks their rule")
    standing: int = Field(description="flags that still hold (open or confirmed)")


@router.post("/check", responses=error_responses(401, 403))
def recheck(session: SessionDep, read_model: ReadModelDep, admin: AdminUser) -> Rechecked:
    """Run every rule over everything stored (admin). A change of a rule or thresholds re-checks what it
    touches by itself; this is for everything at once (e.g. after data loaded around the API)."""
    opened, closed, standing = flags.recheck(
        session=session, read_model=read_model, check=checks.quality_check(session), actor=admin
    )
    return Rechecked(opened=opened, closed=closed, standing=standing)

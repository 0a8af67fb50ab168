"""The flags the quality rules raised: listed for who may see them, followed up, re-checked.

Members see their own organisation's flags; admins and the steering group all of them, the
numbers of a flag left out where the value itself is hidden from the caller (small counts).
A flag is followed up by an admin or the reporting member: ``confirm`` (the value is right, with a
comment); a corrected value closes its flags when it is written (``ingest/quality.sync_flags``).
The changes are in the audit trail. ``recheck`` runs the rules again over what is stored: all of them,
or only what a changed rule or threshold touches.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.errors import Forbidden, NotFound
from api.ingest.quality import EVERYTHING, QualityCheck, Scope, find, sync_flags
from api.models import Area, Indicator, Organisation, QualityFlag
from api.models.common import Channel, Page, Role, pk, utcnow
from api.models.observation import parse_breakdown
from api.models.quality import FlagConfirm, FlagStatus, QualityFlagPublic, Severity
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics import hiding
from api.services.analytics.reference import indicators as indicator_infos
from api.services.audit import trail
from api.services.common import get_by_code, page_of


def _public(
    flag: QualityFlag, codes: dict[str, dict[int, str]], check: QualityCheck, hidden: bool, language: str
) -> QualityFlagPublic:
    numbers = {
        name: None if hidden else getattr(flag, name) for name in ("observed", "expected", "low", "high", "score")
    }
    return QualityFlagPublic(
        id=flag.id or 0,
        rule=flag.rule,
        severity=Severity(flag.severity),
        indicator=codes["indicator"][flag.indicator_id],
        area=codes["area"][flag.area_id],
        period=flag.period,
        breakdown=parse_breakdown(flag.breakdown),
        organisation=codes["organisation"].get(flag.organisation_id or 0),
        message=check.text(flag.rule, numbers, language),
        status=FlagStatus(flag.status),
        comment=flag.comment,
        found_at=flag.found_at,
        changed_at=flag.changed_at,
        **numbers,
    )


def _codes(session: Session) -> dict[str, dict[int, str]]:
    return {
        "indicator": dict(session.exec(select(pk(Indicator.id), Indicator.code)).all()),
        "area": dict(session.exec(select(pk(Area.id), Area.code)).all()),
        "organisation": dict(session.exec(select(pk(Organisation.id), Organisation.code)).all()),
    }


def list_flags(
    *,
    session: Session,
    read_model: ReadModel,
    principal: Principal,
    check: QualityCheck,
    indicator: str | None = None,
    area: str | None = None,
    period: str | None = None,
    organisation: str | None = None,
    status: FlagStatus | None = None,
    rule: str | None = None,
    language: str = "en",
    limit: int = 100,
    offset: int = 0,
) -> Page[QualityFlagPublic]:
    """The flags this caller may see, newest first, filtered."""
    statement = select(QualityFlag)
    if principal.role is Role.member:
        statement = statement.where(QualityFlag.organisation_id == principal.organisation_id)
    for value, model, column in (
        (indicator, Indicator, QualityFlag.indicator_id),
        (area, Area, QualityFlag.area_id),
        (organisation, Organisation, QualityFlag.organisation_id),
    ):
        if value is not None:
            statement = statement.where(column == get_by_code(session, model, value, model.__name__.lower()).id)
    if period is not None:
        statement = statement.where(QualityFlag.period == period)
    if status is not None:
        statement = statement.where(QualityFlag.status == status)
    if rule is not None:
        statement = statement.where(QualityFlag.rule == rule)
    rows, total = page_of(
        session, statement.order_by(col(QualityFlag.found_at).desc(), col(QualityFlag.id).desc()), limit, offset
    )
    codes = _codes(session)
    cur = read_model.cursor()
    try:
        infos = indicator_infos(cur)
        items = []
        for flag in rows:
            hidden = False
            if not hiding.may_see_raw(principal, flag.organisation_id) and flag.indicator_id in infos:
                cells = hiding.hidden_cells(
                    read_model, cur, infos[flag.indicator_id], flag.period, hiding.reader_of(principal)
                )
                hidden = (flag.area_id, flag.breakdown) in cells
            items.append(_public(flag, codes, check, hidden, language))
    finally:
        cur.close()
    return Page(items=items, total=total, limit=limit, offset=offset)


def confirm_flag(
    *, session: Session, principal: Principal, check: QualityCheck, flag_id: int, data: FlagConfirm
) -> QualityFlagPublic:
    """The value is right: an admin or the reporting organisation's member says so, with a comment."""
    flag = session.get(QualityFlag, flag_id)
    mine = principal.role is Role.member and flag is not None and flag.organisation_id == principal.organisation_id
    if flag is None or not (principal.is_admin or mine or principal.role is Role.viewer):
        raise NotFound(f"No quality flag {flag_id}")
    if not (principal.is_admin or mine):
        raise Forbidden("Only backbone staff or the reporting organisation confirm a value", code="not_yours")
    flag.status, flag.comment, flag.changed_at, flag.changed_by_id = (
        FlagStatus.confirmed,
        data.comment,
        utcnow(),
        principal.user_id,
    )
    session.add(flag)
    acting(session, principal)
    session.flush()
    return _public(flag, _codes(session), check, hidden=False, language="en")


def recheck(
    *,
    session: Session,
    read_model: ReadModel,
    check: QualityCheck,
    actor: Principal | None = None,
    channel: Channel = Channel.api,
    scope: Scope = EVERYTHING,
) -> tuple[int, int, int]:
    """The rules over what is stored, in DuckDB; the flags follow: (opened, closed, standing).

    Everything, or only the ``scope``: the rules and indicators a change of a rule or of thresholds touched.
    """
    cur = read_model.cursor()
    try:
        find(cur, batch=False, settings=check.settings, custom=check.custom, scope=scope)
        counts = sync_flags(session, cur, user_id=actor.user_id if actor else None, batch=False, scope=scope)
    finally:
        cur.close()
    opened, closed, standing = counts
    trail.record(
        session,
        entity="quality_flag",
        entity_key="all" if scope == EVERYTHING else _scope_key(session, scope),
        action="recheck",
        after={"opened": opened, "closed": closed, "standing": standing},
    )
    acting(session, actor, channel)
    return counts


def acting(session: Session, actor: Principal | None, channel: Channel = Channel.api) -> None:
    """Who changed flags or rules, for the audit trail. Not a submission: nothing the read model holds changed,
    so it has nothing to reload."""
    trail.act_as(
        session,
        user_id=actor.user_id if actor else None,
        organisation_id=actor.organisation_id if actor else None,
        channel=channel,
    )


def _scope_key(session: Session, scope: Scope) -> str:
    """A scoped re-check in words for the audit trail: ``rules=a,b indicators=x,y``."""
    parts = []
    if scope.rules is not None:
        parts.append("rules=" + ",".join(sorted(scope.rules)))
    if scope.indicators is not None:
        codes = session.exec(select(Indicator.code).where(col(Indicator.id).in_(scope.indicators))).all()
        parts.append("indicators=" + ",".join(sorted(codes)))
    return " ".join(parts)

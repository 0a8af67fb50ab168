"""The stories behind the curves: read per indicator (and area); told and changed by members for their organisation."""

from __future__ import annotations

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select
from sqlmodel.sql.expression import Select

from api.errors import NotFound
from api.models import Area, Indicator, Narrative, Organisation
from api.models.common import stored_id, utcnow
from api.models.narrative import NarrativeCreate, NarrativePublic, NarrativeUpdate
from api.services.accounts.auth import Principal
from api.services.common import get_by_code, record_change
from api.services.stories.ownership import areas_in_reach, check_owner, check_text, invalid, lookup, refuse
from indicators import periods

_Row = tuple[Narrative, str | None, str, str, str]


def _select() -> Select[*_Row]:
    place = aliased(Area)
    # sqlmodel types select() for up to four columns; these five are the _Row above.
    statement: Select[*_Row] = select(  # type: ignore[call-overload]
        Narrative, place.code, Organisation.code, Organisation.name, Indicator.code
    )
    return (
        statement.outerjoin(place, col(Narrative.area_id) == place.id)
        .join(Organisation, col(Organisation.id) == Narrative.organisation_id)
        .join(Indicator, col(Indicator.id) == Narrative.indicator_id)
    )


def _public(row: _Row) -> NarrativePublic:
    n, area_code, org_code, org_name, indicator_code = row
    return NarrativePublic(
        id=n.id,
        indicator=indicator_code,
        area=area_code,
        period=n.period,
        text=n.text,
        organisation=org_code,
        organisation_name=org_name,
        updated_at=n.updated_at,
    )


def list_narratives(
    *, session: Session, indicator: str, area: str | None = None, published_only: bool = False
) -> list[NarrativePublic]:
    """An indicator's narratives: the area's own first (newest first), then the alliance-wide ones."""
    found = get_by_code(session, Indicator, indicator, "indicator")
    if published_only and not found.published:
        raise NotFound(f"No indicator with code '{indicator}'")  # unpublished ones do not exist for the public
    statement = _select()
    statement = statement.where(Narrative.indicator_id == found.id)
    if area is not None:
        area_id = get_by_code(session, Area, area, "area").id
        statement = statement.where(or_(Narrative.area_id == area_id, col(Narrative.area_id).is_(None)))
    rows = session.exec(statement).all()
    rows = sorted(rows, key=lambda r: (r[1] is None, -r[0].updated_at.timestamp(), r[0].id))
    return [_public(r) for r in rows]


def get_narrative(*, session: Session, narrative_id: int, published_only: bool = False) -> NarrativePublic:
    """One narrative; for the public only if its indicator is published."""
    statement = _select()
    row = session.exec(statement.where(Narrative.id == narrative_id)).first()
    if row is None or (published_only and not session.get_one(Indicator, row[0].indicator_id).published):
        raise NotFound(f"No narrative with id {narrative_id}")
    return _public(row)


def narratives_of(*, session: Session, organisation_id: int | None) -> list[NarrativePublic]:
    """An organisation's narratives (None: everyone's), newest first."""
    statement = _select()
    if organisation_id is not None:
        statement = statement.where(Narrative.organisation_id == organisation_id)
    rows = session.exec(statement.order_by(col(Narrative.updated_at).desc(), col(Narrative.id).desc())).all()
    return [_public(r) for r in rows]


def _period(indicator: Indicator, period: str | None) -> str | None:
    if period is None or not period.strip():
        return None
    try:
        return periods.normalize(period.strip(), indicator.period_type)
    except periods.PeriodError as exc:
        raise invalid(f"period: {exc}", "body.period", code="invalid_period") from exc


def _check_reach(session: Session, actor: Principal, indicator: Indicator, area_id: int | None) -> None:
    """Members tell stories of indicators they report, for the areas they report them in (or above or below)."""
    if actor.is_admin:
        return
    reach = areas_in_reach(session, actor.organisation_id, indicator)
    if not reach:
        raise refuse(f"Your organisation does not report '{indicator.code}'", "body.indicator")
    if area_id is None:
        raise refuse("Only backbone staff tell the alliance-wide story: name your area", "body.area")
    if area_id not in reach:
        raise refuse("Your organisation does not report this indicator for this area", "body.area")


def create_narrative(*, session: Session, actor: Principal, data: NarrativeCreate) -> NarrativePublic:
    """Tell the story behind an indicator's curve, for the caller's organisation."""
    indicator = lookup(session, Indicator, data.indicator, "indicator", "body.indicator")
    area = lookup(session, Area, data.area, "area", "body.area") if data.area else None
    period = _period(indicator, data.period)
    check_text(data.text, "body.text")
    _check_reach(session, actor, indicator, area.id if area else None)
    narrative = Narrative(
        indicator_id=stored_id(indicator),
        area_id=area.id if area else None,
        period=period,
        text=data.text,
        organisation_id=actor.organisation_id,  # the token's, never the body's
    )
    session.add(narrative)
    session.flush()
    record_change(session, actor, f"narrative {narrative.id} for {indicator.code} created")
    return get_narrative(session=session, narrative_id=stored_id(narrative))


def _own(session: Session, actor: Principal, narrative_id: int) -> tuple[Narrative, Indicator]:
    narrative = session.get(Narrative, narrative_id)
    if narrative is None:
        raise NotFound(f"No narrative with id {narrative_id}")
    check_owner(actor, narrative.organisation_id, "narrative")
    return narrative, session.get_one(Indicator, narrative.indicator_id)


def update_narrative(
    *, session: Session, actor: Principal, narrative_id: int, data: NarrativeUpdate
) -> NarrativePublic:
    """Change the text, area or period of a narrative of one's own organisation."""
    narrative, indicator = _own(session, actor, narrative_id)
    changes = data.model_dump(exclude_unset=True)
    if "text" in changes:
        if data.text is None:
            raise invalid("A narrative needs its text; delete the narrative instead", "body.text", code="required")
        check_text(data.text, "body.text")
        narrative.text = data.text
    if "area" in changes:
        narrative.area_id = lookup(session, Area, data.area, "area", "body.area").id if data.area else None
        _check_reach(session, actor, indicator, narrative.area_id)
    if "period" in changes:
        narrative.period = _period(indicator, data.period)
    narrative.updated_at = utcnow()
    session.add(narrative)
    record_change(session, actor, f"narrative {narrative_id} updated: {', '.join(changes) or 'nothing'}")
    return get_narrative(session=session, narrative_id=narrative_id)


def delete_narrative(*, session: Session, actor: Principal, narrative_id: int) -> None:
    """Remove a narrative of one's own organisation."""
    narrative, indicator = _own(session, actor, narrative_id)
    session.delete(narrative)
    record_change(session, actor, f"narrative {narrative_id} for {indicator.code} deleted")

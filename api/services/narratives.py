"""The stories behind the curves, read per indicator (and area)."""

from __future__ import annotations

from sqlalchemy.orm import aliased
from sqlmodel import Session, or_, select

from api.errors import NotFound
from api.models import Area, Indicator, Narrative, Organisation
from api.models.narrative import NarrativePublic
from api.services.common import get_by_code


def list_narratives(
    *, session: Session, indicator: str, area: str | None = None, published_only: bool = False
) -> list[NarrativePublic]:
    """An indicator's narratives: the area's own first (newest first), then the alliance-wide ones."""
    found = get_by_code(session, Indicator, indicator, "indicator")
    if published_only and not found.published:
        raise NotFound(f"No indicator with code '{indicator}'")  # unpublished ones do not exist for the public
    place = aliased(Area)
    statement = (
        select(Narrative, place.code, Organisation.code, Organisation.name)
        .outerjoin(place, place.id == Narrative.area_id)
        .join(Organisation, Organisation.id == Narrative.organisation_id)
        .where(Narrative.indicator_id == found.id)
    )
    if area is not None:
        area_id = get_by_code(session, Area, area, "area").id
        statement = statement.where(or_(Narrative.area_id == area_id, Narrative.area_id.is_(None)))
    rows = session.exec(statement).all()
    rows = sorted(rows, key=lambda r: (r[1] is None, -r[0].updated_at.timestamp(), r[0].id))
    return [
        NarrativePublic(
            id=n.id,
            indicator=found.code,
            area=area_code,
            period=n.period,
            text=n.text,
            organisation=org_code,
            organisation_name=org_name,
            updated_at=n.updated_at,
        )
        for n, area_code, org_code, org_name in rows
    ]

"""The register of mutually reinforcing activities: who does what towards which goal, with status."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case
from sqlmodel import Session, col, delete, select

from api.errors import NotFound
from api.models import Activity, ActivityArea, ActivityIndicator, Area, Goal, Indicator, Organisation, User
from api.models.activity import ActivityCreate, ActivityPublic, ActivityStatus, ActivityUpdate
from api.models.common import Page, stored_id, utcnow
from api.services.accounts.auth import Principal
from api.services.common import get_by_code, page_of, record_change
from api.services.stories.ownership import areas_in_reach, check_owner, check_text, invalid, lookup, refuse

# Planned, active, completed, stopped: the order of a life, not of the alphabet.
STATUS_ORDER = case({s.value: n for n, s in enumerate(ActivityStatus)}, value=Activity.status, else_=9)


def _publics(session: Session, rows: list[Activity], *, public: bool) -> list[ActivityPublic]:
    """Activities with their codes; the public sees no usernames and no unpublished indicators."""
    ids = [a.id for a in rows]
    indicators: defaultdict[int, list[str]] = defaultdict(list)
    areas: defaultdict[int, list[str]] = defaultdict(list)
    link = select(ActivityIndicator.activity_id, Indicator.code).join(
        Indicator, col(Indicator.id) == ActivityIndicator.indicator_id
    )
    if public:
        link = link.where(Indicator.published)
    for activity_id, code in session.exec(
        link.where(col(ActivityIndicator.activity_id).in_(ids)).order_by(Indicator.code)
    ):
        indicators[activity_id].append(code)
    places = select(ActivityArea.activity_id, Area.code).join(Area, col(Area.id) == ActivityArea.area_id)
    for activity_id, code in session.exec(places.where(col(ActivityArea.activity_id).in_(ids)).order_by(Area.code)):
        areas[activity_id].append(code)
    goals = dict(session.exec(select(Goal.id, Goal.code)).all())
    orgs = {i: (c, n) for i, c, n in session.exec(select(Organisation.id, Organisation.code, Organisation.name))}
    user_ids = {u for a in rows for u in (a.created_by_id, a.updated_by_id) if u is not None}
    users = (
        dict(session.exec(select(User.id, User.username).where(col(User.id).in_(user_ids))).all()) if not public else {}
    )
    return [
        ActivityPublic.model_validate(
            a,
            update={
                "goal": goals[a.goal_id],
                "organisation": orgs[a.organisation_id][0],
                "organisation_name": orgs[a.organisation_id][1],
                "indicators": indicators[stored_id(a)],
                "areas": areas[stored_id(a)],
                "created_by": users.get(a.created_by_id),
                "updated_by": users.get(a.updated_by_id),
            },
        )
        for a in rows
    ]


def list_activities(
    *,
    session: Session,
    limit: int,
    offset: int,
    public: bool,
    goal: str | None = None,
    organisation: str | None = None,
    status: ActivityStatus | None = None,
    indicator: str | None = None,
    area: str | None = None,
) -> Page[ActivityPublic]:
    """Activities, filtered; by status (planned, active, completed, stopped), then newest start first."""
    statement = select(Activity)
    if goal:
        statement = statement.where(Activity.goal_id == get_by_code(session, Goal, goal, "goal").id)
    if organisation:
        owner = get_by_code(session, Organisation, organisation, "organisation")
        statement = statement.where(Activity.organisation_id == owner.id)
    if status:
        statement = statement.where(Activity.status == status)
    if indicator:
        found = get_by_code(session, Indicator, indicator, "indicator")
        if public and not found.published:
            raise NotFound(f"No indicator with code '{indicator}'")
        linked = select(ActivityIndicator.activity_id).where(ActivityIndicator.indicator_id == found.id)
        statement = statement.where(col(Activity.id).in_(linked))
    if area:
        area_id = get_by_code(session, Area, area, "area").id
        linked = select(ActivityArea.activity_id).where(ActivityArea.area_id == area_id)
        statement = statement.where(col(Activity.id).in_(linked))
    statement = statement.order_by(STATUS_ORDER, col(Activity.start_date).desc().nulls_last(), col(Activity.id))
    rows, total = page_of(session, statement, limit, offset)
    return Page(items=_publics(session, rows, public=public), total=total, limit=limit, offset=offset)


def get_activity(*, session: Session, activity_id: int, public: bool) -> ActivityPublic:
    """One activity."""
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(f"No activity with id {activity_id}")
    return _publics(session, [activity], public=public)[0]


def _links(
    session: Session, actor: Principal, activity_id: int, indicators: list[str] | None, areas: list[str] | None
) -> None:
    """Replace the indicators and areas an activity is linked to; members name only areas they work in."""
    if indicators is not None:
        ids = {
            stored_id(lookup(session, Indicator, c, "indicator", f"body.indicators.{n}"))
            for n, c in enumerate(indicators)
        }
        session.exec(delete(ActivityIndicator).where(col(ActivityIndicator.activity_id) == activity_id))
        session.add_all(ActivityIndicator(activity_id=activity_id, indicator_id=i) for i in sorted(ids))
    if areas is not None:
        found = {n: stored_id(lookup(session, Area, c, "area", f"body.areas.{n}")) for n, c in enumerate(areas)}
        reach = None if actor.is_admin else areas_in_reach(session, actor.organisation_id)
        for n, area_id in found.items():
            if reach is not None and area_id not in reach:
                raise refuse(f"Your organisation does not work in area '{areas[n]}'", f"body.areas.{n}")
        session.exec(delete(ActivityArea).where(col(ActivityArea.activity_id) == activity_id))
        session.add_all(ActivityArea(activity_id=activity_id, area_id=i) for i in sorted(set(found.values())))


def create_activity(*, session: Session, actor: Principal, data: ActivityCreate) -> ActivityPublic:
    """Register an activity of the caller's organisation."""
    goal = lookup(session, Goal, data.goal, "goal", "body.goal")
    check_text(data.title, "body.title")
    activity = Activity.model_validate(
        data,
        update={
            "goal_id": goal.id,
            "organisation_id": actor.organisation_id,  # the token's, never the body's
            "created_by_id": actor.user_id,
            "updated_by_id": actor.user_id,
        },
    )
    session.add(activity)
    session.flush()
    activity_id = stored_id(activity)
    _links(session, actor, activity_id, data.indicators, data.areas)
    record_change(session, actor, f"activity {activity_id} for goal {goal.code} created")
    session.flush()
    return get_activity(session=session, activity_id=activity_id, public=False)


def _own(session: Session, actor: Principal, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(f"No activity with id {activity_id}")
    check_owner(actor, activity.organisation_id, "activity")
    return activity


def update_activity(*, session: Session, actor: Principal, activity_id: int, data: ActivityUpdate) -> ActivityPublic:
    """Change an activity of one's own organisation (staff: any)."""
    activity = _own(session, actor, activity_id)
    changes = data.model_dump(exclude_unset=True, exclude={"goal", "indicators", "areas"})
    for name in ("title", "status"):
        if name in changes and changes[name] is None:
            raise invalid(f"An activity needs its {name}", f"body.{name}", code="required")
    check_text(data.title, "body.title")
    if data.goal is not None:
        activity.goal_id = stored_id(lookup(session, Goal, data.goal, "goal", "body.goal"))
    for name in changes:
        setattr(activity, name, getattr(data, name))
    if activity.start_date and activity.end_date and activity.end_date < activity.start_date:
        raise invalid("end_date must not come before start_date", "body.end_date", code="invalid_dates")
    _links(session, actor, activity_id, data.indicators, data.areas)
    activity.updated_at, activity.updated_by_id = utcnow(), actor.user_id
    session.add(activity)
    record_change(session, actor, f"activity {activity_id} updated")
    session.flush()
    return get_activity(session=session, activity_id=activity_id, public=False)


def delete_activity(*, session: Session, actor: Principal, activity_id: int) -> None:
    """Remove an activity of one's own organisation (staff: any)."""
    activity = _own(session, actor, activity_id)
    session.exec(delete(ActivityIndicator).where(col(ActivityIndicator.activity_id) == activity_id))
    session.exec(delete(ActivityArea).where(col(ActivityArea.activity_id) == activity_id))
    session.delete(activity)
    record_change(session, actor, f"activity {activity_id} deleted")

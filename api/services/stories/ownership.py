"""Who may write a narrative or an activity: lookups that name the field, the owner check, a member's areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session, col, select

from api.errors import ErrorItem, Forbidden, Invalid
from api.models import Area, Assignment, Goal, Indicator, Organisation
from api.models.common import Translated, pk
from api.services.accounts.auth import Principal
from api.services.common import Coded

M = TypeVar("M", bound=Coded)


def refuse(message: str, field: str, code: str = "forbidden") -> Forbidden:
    return Forbidden(message, errors=[ErrorItem(code=code, message=message, field=field)], code=code)


def invalid(message: str, field: str, code: str = "invalid") -> Invalid:
    return Invalid(message, errors=[ErrorItem(code=code, message=message, field=field)], code=code)


def lookup(session: Session, model: type[M], code: str, what: str, field: str) -> M:
    """The row with this code; an unknown code in a body is the caller's mistake: 422 naming the field."""
    row = session.exec(select(model).where(col(model.code) == code)).first()
    if row is None:
        raise invalid(f"No {what} with code '{code}'", field, code="unknown_code")
    return row


def check_text(text: Translated | None, field: str) -> None:
    """A text must say something in at least one language, not just spaces."""
    if text is not None and not any((getattr(text, lang) or "").strip() for lang in ("nl", "de", "en")):
        raise invalid("Give the text in at least one of nl, de, en", field, code="empty_text")


def check_owner(actor: Principal, organisation_id: int, what: str) -> None:
    """Members change only their own organisation's items; backbone staff any."""
    if not actor.is_admin and actor.organisation_id != organisation_id:
        raise Forbidden(f"This {what} belongs to another organisation; you may only change your own")


def _family(session: Session, seeds: set[int]) -> set[int]:
    """The areas ``seeds`` and every area above and below them."""
    parent = dict(session.exec(select(pk(Area.id), Area.parent_id)).all())
    children: dict[int, list[int]] = {}
    for child, up in parent.items():
        if up is not None:
            children.setdefault(up, []).append(child)
    found = set()
    for seed in seeds:
        node: int | None = seed
        while node is not None and node not in found:  # a cycle cannot loop forever
            found.add(node)
            node = parent.get(node)
    stack = list(seeds)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def areas_in_reach(session: Session, organisation_id: int, indicator: Indicator | None = None) -> set[int]:
    """Where an organisation works: the areas it reports (this indicator or its source) in, and above and below."""
    statement = select(Assignment.area_id).where(Assignment.organisation_id == organisation_id)
    if indicator is not None:
        ids = [indicator.id] + ([indicator.derived_from_id] if indicator.derived_from_id else [])
        statement = statement.where(col(Assignment.indicator_id).in_(ids))
    return _family(session, set(session.exec(statement).all()))


@dataclass(frozen=True)
class Choices:
    """What a user may name in a narrative or an activity: (code, name) pairs; and the user's organisation."""

    organisation: str  # its name

    indicators: list[tuple[str, Translated]]  # to tell stories of
    all_indicators: list[tuple[str, Translated]]  # an activity may work on any
    areas: list[tuple[str, str]]
    goals: list[tuple[str, Translated]]


def choices(*, session: Session, actor: Principal) -> Choices:
    """The indicators (staff: all; members: those they report) and areas (members: where they work) to choose from."""
    indicators = session.exec(
        select(Indicator).order_by(col(Indicator.goal_id), col(Indicator.position), Indicator.code)
    ).all()
    # As rows, not objects: a national alliance has a hundred thousand areas and schools.
    areas = session.exec(select(pk(Area.id), Area.code, Area.name).order_by(Area.name, Area.code)).all()
    everything = [(i.code, i.name) for i in indicators]
    if not actor.is_admin:
        reported = set(
            session.exec(select(Assignment.indicator_id).where(Assignment.organisation_id == actor.organisation_id))
        )
        indicators = [i for i in indicators if i.id in reported or i.derived_from_id in reported]
        reach = areas_in_reach(session, actor.organisation_id)
        areas = [a for a in areas if a[0] in reach]
    goals = session.exec(select(Goal).order_by(col(Goal.position), Goal.code)).all()
    return Choices(
        organisation=session.get_one(Organisation, actor.organisation_id).name,
        indicators=[(i.code, i.name) for i in indicators],
        all_indicators=everything,
        areas=[(code, name) for _id, code, name in areas],
        goals=[(g.code, g.title) for g in goals],
    )

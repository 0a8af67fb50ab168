"""Admin locks of a period, for one organisation or everyone, at once or from a deadline on; and unlocking."""

from __future__ import annotations

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from api.errors import Conflict, Invalid, NotFound
from api.models import Organisation, PeriodLock, User
from api.models.approval import LockCreate, LockPublic, ReviewAction
from api.models.common import stored_id, utcnow
from api.services.accounts.auth import Principal
from api.services.periods.reports import canonical_period, hold_write_lock
from api.services.periods.reviews import record_review


def _public(lock: PeriodLock, organisation: str | None, locked_by: str | None, unlocked_by: str | None) -> LockPublic:
    now = utcnow()
    return LockPublic(
        id=lock.id,
        period=lock.period,
        organisation=organisation,
        locked_by=locked_by,
        created_at=lock.created_at,
        lock_after=lock.lock_after,
        active=lock.unlocked_at is None and (lock.lock_after is None or lock.lock_after <= now),
        unlocked_by=unlocked_by,
        unlocked_at=lock.unlocked_at,
    )


def _select() -> Select[PeriodLock, str | None, str | None, str | None]:
    locker, unlocker = aliased(User), aliased(User)
    return (
        select(PeriodLock, Organisation.code, locker.username, unlocker.username)
        .outerjoin(Organisation, col(Organisation.id) == PeriodLock.organisation_id)
        .outerjoin(locker, col(PeriodLock.locked_by_id) == locker.id)
        .outerjoin(unlocker, col(PeriodLock.unlocked_by_id) == unlocker.id)
    )


def _one(session: Session, lock_id: int) -> LockPublic:
    row = session.exec(_select().where(PeriodLock.id == lock_id)).first()
    if row is None:
        raise NotFound(f"No lock {lock_id}")
    return _public(*row)


def create_lock(*, session: Session, principal: Principal, lock: LockCreate) -> LockPublic:
    """Lock a period (for one organisation or everyone), at once or when ``lock_after`` has come."""
    period = canonical_period(lock.period)
    organisation_id = None
    if lock.organisation is not None:
        found = session.exec(select(Organisation.id).where(Organisation.code == lock.organisation)).first()
        if found is None:
            raise Invalid(f"No organisation with code '{lock.organisation}'", code="unknown_organisation")
        organisation_id = found
    hold_write_lock(session)
    same = session.exec(
        select(PeriodLock.id).where(
            PeriodLock.period == period,
            PeriodLock.organisation_id == organisation_id
            if organisation_id is not None
            else col(PeriodLock.organisation_id).is_(None),
            col(PeriodLock.unlocked_at).is_(None),
        )
    ).first()
    if same is not None:
        raise Conflict(f"Period {period} already has this lock (lock {same}); unlock that first", code="already_locked")
    row = PeriodLock(
        period=period, organisation_id=organisation_id, locked_by_id=principal.user_id, lock_after=lock.lock_after
    )
    session.add(row)
    session.flush()
    when = f"from {lock.lock_after.isoformat()}" if lock.lock_after else "at once"
    record_review(
        session,
        action=ReviewAction.lock,
        organisation_id=organisation_id,
        period=period,
        user_id=principal.user_id,
        comment=f"locked {when}",
        lock_id=row.id,
    )
    return _one(session, stored_id(row))


def unlock(*, session: Session, principal: Principal, lock_id: int) -> LockPublic:
    """End a lock (it stays listed, with who ended it and when)."""
    hold_write_lock(session)
    lock = session.get(PeriodLock, lock_id)
    if lock is None:
        raise NotFound(f"No lock {lock_id}")
    if lock.unlocked_at is not None:
        raise Conflict(
            f"Lock {lock_id} was already unlocked on {lock.unlocked_at:%Y-%m-%d %H:%M} UTC", code="already_unlocked"
        )
    lock.unlocked_at, lock.unlocked_by_id = utcnow(), principal.user_id
    session.add(lock)
    record_review(
        session,
        action=ReviewAction.unlock,
        organisation_id=lock.organisation_id,
        period=lock.period,
        user_id=principal.user_id,
        lock_id=lock.id,
    )
    session.flush()
    return _one(session, lock_id)


def list_locks(
    *, session: Session, period: str | None = None, organisation: str | None = None, active: bool | None = None
) -> list[LockPublic]:
    """Locks, newest first; ``organisation`` gives its own locks and those for everyone."""
    statement = _select()
    if period is not None:
        statement = statement.where(PeriodLock.period == canonical_period(period))
    if organisation is not None:
        statement = statement.where(
            or_(col(Organisation.code) == organisation, col(PeriodLock.organisation_id).is_(None))
        )
    locks = [_public(*row) for row in session.exec(statement.order_by(col(PeriodLock.id).desc())).all()]
    return [lock for lock in locks if active is None or lock.active == active]

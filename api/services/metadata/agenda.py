"""The common agenda and its signatories."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.errors import Invalid, NotFound
from api.models import Agenda, Goal, Organisation, Signatory
from api.models.agenda import AgendaPublic, AgendaPut, AgendaUpdate, SignatoryIn, SignatoryPublic
from api.models.common import stored_id
from api.services.accounts.auth import Principal
from api.services.common import apply_changes, ids_by_code, record_change


def _current(session: Session) -> Agenda | None:
    return session.exec(select(Agenda).order_by(col(Agenda.id))).first()


def get_agenda(*, session: Session) -> AgendaPublic:
    """The agenda with its signatories, in order of signing."""
    agenda = _current(session)
    if agenda is None:
        raise NotFound("No agenda has been set up yet")
    rows = session.exec(
        select(Signatory, Organisation)
        .join(Organisation, col(Organisation.id) == Signatory.organisation_id)
        .where(Signatory.agenda_id == agenda.id)
        .order_by(col(Signatory.signed_on).nulls_last(), Organisation.code)
    ).all()
    signatories = [SignatoryPublic(organisation=o.code, name=o.name, signed_on=s.signed_on) for s, o in rows]
    return AgendaPublic(
        code=agenda.code,
        name=agenda.name,
        vision=agenda.vision,
        problem=agenda.problem,
        start_date=agenda.start_date,
        signatories=signatories,
    )


def _set_signatories(session: Session, agenda: Agenda, signatories: list[SignatoryIn]) -> None:
    ids = ids_by_code(session, Organisation, [s.organisation for s in signatories], "organisation")
    wanted = {ids[s.organisation]: s.signed_on for s in signatories}
    # Row by row, not one bulk delete: the audit sees who stopped signing, who signed and when.
    existing = {
        row.organisation_id: row for row in session.exec(select(Signatory).where(Signatory.agenda_id == agenda.id))
    }
    for organisation_id, row in existing.items():
        if organisation_id not in wanted:
            session.delete(row)
    for organisation_id, signed_on in wanted.items():
        row = existing.get(organisation_id) or Signatory(agenda_id=stored_id(agenda), organisation_id=organisation_id)
        row.signed_on = signed_on
        session.add(row)


def put_agenda(*, session: Session, actor: Principal | None, data: AgendaPut) -> AgendaPublic:
    """Create the agenda, or replace it entirely."""
    agenda = _current(session)
    fields = data.model_dump(exclude={"signatories"})
    if agenda is None:
        agenda = Agenda(**fields)
        session.add(agenda)
        session.flush()
        # Goals made before the agenda existed belong to it.
        for goal in session.exec(select(Goal).where(col(Goal.agenda_id).is_(None))).all():
            goal.agenda_id = agenda.id
            session.add(goal)
    else:
        apply_changes(agenda, fields)
        session.add(agenda)
    _set_signatories(session, agenda, data.signatories)
    record_change(session, actor, "agenda replaced")
    session.flush()
    return get_agenda(session=session)


def update_agenda(*, session: Session, actor: Principal | None, data: AgendaUpdate) -> AgendaPublic:
    """Change some fields of the agenda."""
    agenda = _current(session)
    if agenda is None:
        raise NotFound("No agenda has been set up yet; create it with PUT")
    if "name" in data.model_fields_set and data.name is None:
        raise Invalid("The agenda needs a name", code="required")
    changed = apply_changes(agenda, data.model_dump(exclude_unset=True, exclude={"signatories"}))
    if data.signatories is not None:
        _set_signatories(session, agenda, data.signatories)
        changed.append("signatories")
    if changed:
        session.add(agenda)
        record_change(session, actor, f"agenda updated: {', '.join(changed)}")
        session.flush()
    return get_agenda(session=session)

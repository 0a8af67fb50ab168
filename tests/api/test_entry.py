"""The data-entry form's services: its rows with names, the year that is due, writing on behalf of a member."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from api.db import Database
from api.errors import Forbidden
from api.models import Organisation, Submission, User
from api.models.common import Channel, Role
from api.models.observation import ObservationBatch
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.imports.batches import submit_batch
from api.services.imports.entry import due_year, entry_rows, reporting_organisations
from tests.api.test_observations import put, value


def principal(db: Database, username: str) -> Principal:
    with db.session() as s:
        user = s.exec(select(User).where(User.username == username)).one()
        organisation = s.get(Organisation, user.organisation_id)
    return Principal(
        user_id=user.id,
        username=username,
        full_name="",
        role=Role(user.role),
        organisation_id=organisation.id,
        organisation=organisation.code,
    )


def test_entry_rows_name_each_value_and_carry_last_periods_value(world, as_user, db):
    put(world, as_user("alice"), value("rate", "A1", "2024", value=60.0, numerator=120, denominator=200))
    put(world, as_user("alice"), value("rate", "A1", "2025", breakdown={"ses": "low"}, value=12.5, provisional=True))
    rows = entry_rows(read_model=ReadModel(db), organisation_id=principal(db, "alice").organisation_id, year=2025)
    assert [(r.indicator, r.breakdown) for r in rows] == [
        ("rate", {}),
        ("rate", {"ses": "low"}),
        ("rate", {"ses": "middle"}),
        ("rate", {"ses": "high"}),
        ("count", {}),
        ("hidden", {}),
    ]
    total, low = rows[0], rows[1]
    assert total.key == "rate|A1|2025|" and low.key == "rate|A1|2025|ses:low"
    assert total.indicator_name.get("nl") == "Indicator rate" and total.area_name == "Area A1"
    assert total.is_rate and not rows[4].is_rate and total.unit == "percent"
    assert (total.value, total.previous_period, total.previous_value) == (None, "2024", "60")
    assert (low.value, low.status) == ("12.5", "provisional")
    assert [(d.get("en"), v.get("en")) for d, v in low.breakdown_names] == [("ses", "low")]


def test_entry_rows_leave_out_indicators_computed_by_backbone(schools_world_db):
    db = schools_world_db
    city = principal(db, "alice").organisation_id
    indicators = {r.indicator for r in entry_rows(read_model=ReadModel(db), organisation_id=city, year=2025)}
    assert "pupils" in indicators and "seg" not in indicators


@pytest.fixture
def schools_world_db(db: Database) -> Database:
    from tests.factories import assignment as assign
    from tests.factories import schools_world, setup

    schools_world(db)
    with setup(db) as s:
        assign(s, "CITY-A", "seg", "A1")  # assigned by mistake: the form must not offer it
    return db


@pytest.mark.parametrize(
    ("today", "expected"),
    [(dt.date(2026, 12, 1), 2025), (dt.date(2027, 1, 1), 2026), (dt.date(2026, 12, 31), 2025)],
)
def test_the_year_due_is_the_latest_with_an_ended_period(world, db, today, expected):
    city = principal(db, "alice").organisation_id
    assert due_year(read_model=ReadModel(db), organisation_id=city, today=today) == expected


def test_staff_may_write_on_behalf_of_a_member_and_the_submission_records_them(world, db):
    admin, alice = principal(db, "admin"), principal(db, "alice")
    assert [code for _id, code, _name in reporting_organisations(read_model=ReadModel(db))] == ["CITY-A", "CITY-B"]
    batch = ObservationBatch(observations=[value("count", "A1", "2025", value=12)])
    model = ReadModel(db)
    with db.transaction() as session:
        summary = submit_batch(
            session=session,
            read_model=model,
            principal=admin,
            batch=batch,
            max_errors=10,
            channel=Channel.form,
            on_behalf_of=alice.organisation_id,
        )
    with db.session() as session:
        submission = session.get(Submission, summary.submission)
    assert (submission.organisation_id, submission.user_id, submission.channel) == (
        alice.organisation_id,
        admin.user_id,
        Channel.form,
    )


def test_a_member_may_not_write_on_behalf_of_another_organisation(world, db):
    alice, bob = principal(db, "alice"), principal(db, "bob")
    batch = ObservationBatch(observations=[value("count", "B1", "2025", value=12)])
    with db.transaction() as session, pytest.raises(Forbidden):
        submit_batch(
            session=session,
            read_model=ReadModel(db),
            principal=alice,
            batch=batch,
            max_errors=10,
            on_behalf_of=bob.organisation_id,
        )

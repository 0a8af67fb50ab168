"""Reporting completeness: expected values (assignments) against reported ones, overdue past the deadline."""

from __future__ import annotations

import datetime as dt

from api.readmodel import ReadModel
from api.services.periods.completeness import completeness
from tests.api.test_observations import put, value


def rows_of(db, today: dt.date, **kwargs):
    found = completeness(read_model=ReadModel(db), today=today, deadline_days=120, **kwargs)
    return {(r.organisation, r.period): r for r in found}


def test_expected_reported_and_overdue_per_organisation_and_period(world, as_user, db):
    stored = put(
        world, as_user("alice"), value("rate", "A1", "2025", value=61.0), value("count", "A1", "2025", value=40)
    )
    assert stored.status_code == 200, stored.text
    found = rows_of(db, dt.date(2026, 6, 1))
    assert {period for _org, period in found} == {"2023", "2024", "2025"}  # 2026 has not ended
    a = found[("CITY-A", "2025")]
    assert (a.expected, a.reported, a.share) == (3, 2, 2 / 3)  # rate, count and the unpublished one
    assert a.deadline == dt.date(2026, 4, 30) and a.overdue
    assert found[("CITY-B", "2025")].reported == 0 and found[("CITY-B", "2025")].overdue
    put(world, as_user("alice"), value("hidden", "A1", "2025", value=10.0))
    assert not rows_of(db, dt.date(2026, 6, 1))[("CITY-A", "2025")].overdue


def test_nothing_is_overdue_before_the_deadline(world, as_user, db):
    found = rows_of(db, dt.date(2026, 3, 1))
    assert found[("CITY-A", "2025")].reported == 0 and not found[("CITY-A", "2025")].overdue
    assert found[("CITY-A", "2024")].overdue


def test_breakdowns_alone_do_not_count_as_reported(world, as_user, db):
    stored = put(world, as_user("alice"), value("rate", "A1", "2025", value=50.0, breakdown={"ses": "low"}))
    assert stored.status_code == 200 and stored.json()["inserted"] == 1, stored.text
    assert rows_of(db, dt.date(2026, 6, 1))[("CITY-A", "2025")].reported == 0


def test_only_backbone_staff_see_completeness(world, as_user):
    assert world.get("/api/v1/completeness").status_code == 401
    assert world.get("/api/v1/completeness", headers=as_user("alice")).status_code == 403
    response = world.get("/api/v1/completeness", params={"organisation": "CITY-B"}, headers=as_user("admin"))
    assert response.status_code == 200
    assert {r["organisation"] for r in response.json()} == {"CITY-B"}
    missing = world.get("/api/v1/completeness", params={"organisation": "NOPE"}, headers=as_user("admin"))
    assert missing.status_code == 404


def open_warnings(client, headers) -> dict[tuple[str, str], int]:
    return {
        (r["organisation"], r["period"]): r["open_warnings"]
        for r in client.get("/api/v1/completeness", headers=headers).json()
    }


def test_each_row_counts_its_open_quality_warnings(world, as_user, db):
    from tests.api.test_quality import count, flags, history
    from tests.api.test_quality import put as put_values

    alice, admin = as_user("alice"), as_user("admin")
    history(world, alice)  # the count of A1 from 2016 to 2023, around 100
    assert put_values(world, alice, count("A1", "2024", 1000)).json()["warnings"]  # ten times its history
    with db.session() as session:
        found = rows_of(db, dt.date(2026, 6, 1), session=session)
    assert found[("CITY-A", "2024")].open_warnings == 1
    assert sum(row.open_warnings for row in found.values()) == 1
    assert open_warnings(world, admin)[("CITY-A", "2024")] == 1
    (flag,) = flags(world, admin)
    confirmed = world.post(f"/api/v1/quality/{flag['id']}/confirm", json={"comment": "a new school"}, headers=alice)
    assert confirmed.status_code == 200
    assert open_warnings(world, admin)[("CITY-A", "2024")] == 0  # a confirmed flag is no longer open

"""Writing observations as JSON batches and reading them back, by role."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.db import Database
from api.models import Observation, ObservationHistory, Submission


def value(indicator: str, area: str, period: str, **fields: object) -> dict[str, object]:
    return {"indicator": indicator, "area": area, "period": period, **fields}


def put(client: TestClient, headers: dict[str, str], *items: dict[str, object], dry_run: bool = False):
    return client.put(
        "/api/v1/observations", params={"dry_run": dry_run}, json={"observations": list(items)}, headers=headers
    )


def counts(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        return (
            s.exec(select(func.count()).select_from(Observation)).one()[0],
            s.exec(select(func.count()).select_from(ObservationHistory)).one()[0],
            s.exec(select(func.count()).select_from(Submission)).one()[0],
        )


def test_member_writes_values_for_its_assignments(world, as_user, db):
    response = put(
        world,
        as_user("alice"),
        value("rate", "A1", "2024", value=62.5, numerator=125, denominator=200),
        value("rate", "A1", "2024", breakdown={"ses": "low"}, value=50, numerator=40, denominator=80),
        value("count", "A1", "2024", value=17, provisional=True, note="first estimate"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["rows"] == 3 and body["inserted"] == 3 and body["updated"] == 0 and body["unchanged"] == 0
    assert isinstance(body["submission"], int)

    listed = world.get("/api/v1/observations", params={"area": "A1"}, headers=as_user("alice")).json()
    by_key = {(o["indicator"], tuple(o["breakdown"].items())): o for o in listed["items"]}
    assert by_key[("rate", ())]["value"] == 62.5
    assert by_key[("rate", (("ses", "low"),))]["numerator"] == 40
    assert by_key[("count", ())]["provisional"] is True
    assert by_key[("count", ())]["note"] == "first estimate"
    assert {o["organisation"] for o in listed["items"]} == {"CITY-A"}


def test_organisation_comes_from_the_token_not_the_body(world, as_user):
    response = put(world, as_user("alice"), value("rate", "A1", "2024", value=60.0, organisation="CITY-B"))
    assert response.status_code == 200
    listed = world.get("/api/v1/observations", params={"area": "A1"}).json()["items"]
    assert [o["organisation"] for o in listed] == ["CITY-A"]


def test_value_outside_assignments_forbids_the_whole_batch(world, as_user, db):
    before = counts(db)
    response = put(
        world,
        as_user("alice"),
        value("rate", "A1", "2024", value=60.0),
        value("rate", "B1", "2024", value=61.0),  # Bob's city
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_assigned"
    assert body["errors"][0]["code"] == "not_assigned"
    assert body["errors"][0]["field"] == "body.observations.1.area"
    assert counts(db) == before


def test_viewer_and_anonymous_cannot_write(world, as_user, db):
    before = counts(db)
    assert put(world, as_user("viewer"), value("rate", "A1", "2024", value=1.0)).status_code == 403
    assert put(world, {}, value("rate", "A1", "2024", value=1.0)).status_code == 401
    assert counts(db) == before


def test_every_error_is_reported_with_its_field(world, as_user, db):
    before = counts(db)
    response = put(
        world,
        as_user("alice"),
        value("nope", "A1", "2024", value=1.0),
        value("rate", "A1", "24", value=1.0),
        value("rate", "A1", "2023", value=140.0),
        value("rate", "A1", "2022", value=10.0, numerator=1, denominator=2),
        value("count", "A1", "2022", value=2.5),
        value("rate", "A1", "2021", breakdown={"ses": "rich"}, value=3.0),
        value("count", "A1", "2021", breakdown={"ses": "low"}, value=3),
        value("rate", "A1", "2020", breakdown={"colour": "red"}, value=3.0),
        value("rate", "A1", "2019"),
    )
    assert response.status_code == 422
    body = response.json()
    found = {(e["field"], e["code"]) for e in body["errors"]}
    assert found == {
        ("body.observations.0.indicator", "unknown_indicator"),
        ("body.observations.1.period", "invalid_period"),
        ("body.observations.2.value", "value_out_of_range"),
        ("body.observations.3.value", "inconsistent_ratio"),
        ("body.observations.4.value", "not_an_integer"),
        ("body.observations.5.breakdown.ses", "unknown_dimension_value"),
        ("body.observations.6.breakdown.ses", "dimension_not_allowed"),
        ("body.observations.7.breakdown.colour", "unknown_dimension"),
        ("body.observations.8.value", "value_missing"),
    }
    assert body["error_count"] == 9
    assert counts(db) == before


def test_a_key_twice_in_one_batch_is_an_error(world, as_user):
    response = put(
        world, as_user("alice"), value("rate", "A1", "2024", value=1.0), value("rate", "A1", "2024", value=2.0)
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["code"] == "duplicate_key" and error["field"] == "body.observations.1.indicator"
    assert "row 0" in error["message"]


def test_value_is_computed_from_numerator_and_denominator(world, as_user):
    assert put(world, as_user("alice"), value("rate", "A1", "2024", numerator=1, denominator=8)).status_code == 200
    (item,) = world.get("/api/v1/observations", params={"indicator": "rate"}, headers=as_user("alice")).json()["items"]
    assert item["value"] == 12.5  # 100 * 1 / 8


def test_same_batch_twice_changes_nothing_and_update_keeps_history(world, as_user, db):
    batch = [value("rate", "A1", "2024", value=60.0), value("count", "A1", "2024", value=12)]
    first = put(world, as_user("alice"), *batch).json()
    after_first = counts(db)
    second = put(world, as_user("alice"), *batch).json()
    assert (second["inserted"], second["updated"], second["unchanged"], second["submission"]) == (0, 0, 2, None)
    assert counts(db) == after_first

    third = put(world, as_user("alice"), value("rate", "A1", "2024", value=61.0), batch[1]).json()
    assert (third["inserted"], third["updated"], third["unchanged"]) == (0, 1, 1)
    assert third["submission"] > first["submission"]
    with db.session() as s:
        observation = s.scalars(select(Observation).where(Observation.period == "2024", Observation.value > 50)).one()
        history = s.exec(
            select(ObservationHistory.value, ObservationHistory.submission_id)
            .where(ObservationHistory.observation_id == observation.id)
            .order_by(ObservationHistory.id)
        ).all()
    # The history keeps the old value with the submission that made it; the row holds the new one.
    assert [(v, sub) for v, sub in history] == [(60.0, first["submission"])]
    assert (observation.value, observation.submission_id) == (61.0, third["submission"])


def test_dry_run_reports_the_same_summary_and_writes_nothing(world, as_user, db):
    batch = [value("rate", "A1", "2024", value=60.0), value("count", "A1", "2024", value=12)]
    before = counts(db)
    dry = put(world, as_user("alice"), *batch, dry_run=True).json()
    assert counts(db) == before
    real = put(world, as_user("alice"), *batch).json()
    ids = ("submission", "submissions")
    assert {k: v for k, v in dry.items() if k not in ids} == {k: v for k, v in real.items() if k not in ids}
    assert dry["submission"] is None and dry["submissions"] == []
    assert real["submissions"] == [real["submission"]]


def test_suppressed_at_source_has_no_value(world, as_user):
    assert put(world, as_user("alice"), value("count", "A1", "2024", suppressed=True)).status_code == 200
    (item,) = world.get("/api/v1/observations", params={"indicator": "count"}, headers=as_user("alice")).json()["items"]
    assert item["suppressed"] is True and item["value"] is None


def test_small_counts_are_hidden_from_viewers_and_anonymous_but_not_the_reporter(world, as_user):
    put(
        world,
        as_user("alice"),
        value("count", "A1", "2024", value=3),
        value("rate", "A1", "2024", numerator=2, denominator=4),
    )
    for headers in ({}, as_user("viewer"), as_user("bob")):
        items = world.get("/api/v1/observations", params={"area": "A1"}, headers=headers).json()["items"]
        assert all(i["value"] is None and i["suppressed"] for i in items), items
    for who in ("alice", "admin"):
        items = world.get("/api/v1/observations", params={"area": "A1"}, headers=as_user(who)).json()["items"]
        assert sorted(i["value"] for i in items) == [3, 50.0]


def test_anonymous_callers_see_published_indicators_only(world, as_user):
    put(world, as_user("alice"), value("hidden", "A1", "2024", value=40.0), value("rate", "A1", "2024", value=40.0))
    anonymous = {i["indicator"] for i in world.get("/api/v1/observations").json()["items"]}
    viewer = {i["indicator"] for i in world.get("/api/v1/observations", headers=as_user("viewer")).json()["items"]}
    assert anonymous == {"rate"} and viewer == {"rate", "hidden"}


def test_filters_by_breakdown_and_period(world, as_user):
    put(
        world,
        as_user("alice"),
        value("rate", "A1", "2024", value=60.0),
        value("rate", "A1", "2024", breakdown={"ses": "low"}, value=50.0),
        value("rate", "A1", "2024", breakdown={"ses": "high"}, value=70.0),
        value("rate", "A1", "2023", value=55.0),
    )

    def values(**params: str) -> list[float]:
        return sorted(i["value"] for i in world.get("/api/v1/observations", params=params).json()["items"])

    assert values(breakdown="total") == [55.0, 60.0]
    assert values(breakdown="ses") == [50.0, 70.0]
    assert values(breakdown="ses:low") == [50.0]
    assert values(period="2023") == [55.0]
    assert world.get("/api/v1/observations", params={"indicator": "nope"}).status_code == 422


def test_pagination_of_observations(world, as_user):
    put(
        world,
        as_user("alice"),
        *(value("rate", "A1", str(year), value=float(year - 2000)) for year in range(2010, 2025)),
    )
    first = world.get("/api/v1/observations", params={"limit": 10}).json()
    second = world.get("/api/v1/observations", params={"limit": 10, "offset": 10}).json()
    assert first["total"] == second["total"] == 15
    assert len(first["items"]) == 10 and len(second["items"]) == 5
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_a_write_that_waits_too_long_for_another_gets_a_retryable_409(settings, as_user, world, db):
    from fastapi.testclient import TestClient
    from sqlalchemy import text

    from api.main import create_app

    impatient = create_app(settings.model_copy(update={"sqlite_busy_timeout_ms": 200}))
    headers = as_user("alice")
    blocker = Database(settings.resolved_database_url)
    with TestClient(impatient) as client, blocker.transaction() as other:
        # Another writer holds the write lock (SQLite) / the revision counter (PostgreSQL).
        if blocker.is_sqlite:
            other.exec(text("UPDATE revision_counter SET value = value WHERE id = 1"))
        else:
            other.exec(text("SELECT value FROM revision_counter WHERE id = 1 FOR UPDATE"))
        before = counts(db)
        response = put(client, headers, value("rate", "A1", "2024", value=60.0))
        assert response.status_code == 409, response.text
        assert response.json()["retryable"] is True and response.headers["retry-after"]
        assert counts(db) == before
    blocker.dispose()
    assert put(world, headers, value("rate", "A1", "2024", value=60.0)).status_code == 200


def test_text_that_cannot_be_stored_is_rejected_not_a_500(world, as_user, db):
    before = counts(db)
    response = put(world, as_user("alice"), value("rate", "A1", "2024", value=60.0, note="bad\u0000note"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "invalid_character"
    assert counts(db) == before

"""An indicator's series for an area: reported, rolled up from the areas below, or derived."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.main import create_app
from api.models import Indicator
from api.models.common import UNIT_SCALE, Unit
from api.services.common import record_change
from indicators import aggregate, segregation
from indicators.segregation import dissimilarity
from tests.api.test_observations import put, value
from tests.conftest import login
from tests.factories import PASSWORD, schools_world


def series(client, indicator, area, headers=None, **params):
    response = client.get(
        f"/api/v1/indicators/{indicator}/series", params={"area": area, **params}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_reported_series_with_trajectory_status_trend_and_measure(world, as_user):
    put(
        world,
        as_user("alice"),
        *(value("rate", "A1", str(y), value=v) for y, v in ((2015, 50.0), (2017, 53.0), (2019, 57.0), (2020, 58.0))),
    )
    body = series(world, "rate", "A1")
    assert body["source"] == "reported"
    # The trajectory runs from 50 (2015) to 70 (2025): 2 a year. 2019 expects 58, 2020 expects 60.
    by_period = {p["period"]: p for p in body["points"]}
    assert by_period["2019"]["expected"] == 58.0 and by_period["2019"]["status"] == "off_track"  # 57 < 58
    assert by_period["2017"]["expected"] == 54.0 and by_period["2017"]["status"] == "off_track"
    assert body["latest"] == {"period": "2020", "value": 58.0} and body["status"] == "off_track"
    assert body["progress"] == pytest.approx(0.4)  # (58 - 50) / (70 - 50)
    # Least squares over (2015, 50), (2017, 53), (2019, 57), (2020, 58): means 2017.75 and 54.5;
    # Sxy = -2.75*-4.5 + -0.75*-1.5 + 1.25*2.5 + 2.25*3.5 = 24.5, Sxx = 14.75, slope = 24.5 / 14.75.
    assert body["trend"]["slope_per_year"] == pytest.approx(24.5 / 14.75)
    assert body["forecast"]["period"] == "2025" and body["forecast"]["reaches_target"] is False
    # Statistics Canada: observed (58/50) ** (1/5) - 1 against required (70/50) ** (1/10) - 1.
    assert body["measure"]["value"] == pytest.approx(((58 / 50) ** 0.2 - 1) / ((70 / 50) ** 0.1 - 1))
    assert body["measure"]["assessment"] == "moderate_progress"


def test_a_region_rolls_up_its_areas_by_the_rule_never_a_mean_of_percentages(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2020", numerator=30, denominator=60))  # 50%
    put(world, as_user("bob"), value("rate", "B1", "2020", numerator=10, denominator=40))  # 25%
    body = series(world, "rate", "NL", as_user("viewer"))
    assert body["source"] == "aggregated"
    (point,) = body["points"]
    assert point["value"] == pytest.approx(40.0)  # (30 + 10) / (60 + 40), not (50 + 25) / 2 = 37.5
    assert (point["numerator"], point["denominator"], point["complete"]) == (40.0, 100.0, True)


def test_a_roll_up_with_a_member_missing_is_flagged_partial(world, as_user):
    put(world, as_user("alice"), value("count", "A1", "2021", value=30))
    put(world, as_user("bob"), value("count", "B1", "2020", value=20))
    points = {p["period"]: p for p in series(world, "count", "NL")["points"]}
    assert points["2021"]["value"] == 30 and points["2021"]["complete"] is False and points["2021"]["missing"] == ["B1"]


@pytest.fixture
def schools(settings, db):
    schools_world(db)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_derived_index_is_computed_from_the_school_counts(schools):
    alice = login(schools, "alice", PASSWORD)
    counts = {"A1-S1": (100, 60), "A1-S2": (100, 20), "A1-S3": (50, 5)}  # (pupils, of whom low SES)
    items = []
    for school, (total, low) in counts.items():
        items += [
            value("pupils", school, "2020", value=total),
            value("pupils", school, "2020", breakdown={"ses": "low"}, value=low),
        ]
    assert put(schools, alice, *items).status_code == 200
    body = series(schools, "seg", "A1")
    assert body["source"] == "derived"
    # low: 60, 20, 5 of 85; others: 40, 80, 45 of 165; D = 1/2 (|60/85 - 40/165| + |20/85 - 80/165| + |5/85 - 45/165|)
    expected = dissimilarity([60, 20, 5], [40, 80, 45])
    assert body["points"][0]["value"] == pytest.approx(expected)
    assert expected == pytest.approx(0.5 * (abs(60 / 85 - 40 / 165) + abs(20 / 85 - 80 / 165) + abs(5 / 85 - 45 / 165)))
    rejected = put(schools, alice, value("seg", "A1", "2021", value=0.3))
    assert rejected.status_code == 422 and rejected.json()["errors"][0]["code"] == "derived_indicator"
    progress = schools.get("/api/v1/progress", params={"area": "A1"}).json()["items"][0]["indicators"]
    assert {i["code"]: i["source"] for i in progress}["seg"] == "derived"
    assert "pupils" not in {i["code"] for i in progress}  # a source of a derived indicator, not an outcome


def test_unknown_indicator_area_or_breakdown(world):
    assert world.get("/api/v1/indicators/nope/series", params={"area": "A1"}).status_code == 404
    assert world.get("/api/v1/indicators/rate/series", params={"area": "nope"}).status_code == 404
    assert world.get("/api/v1/indicators/rate/series", params={"area": "A1", "breakdown": "ses:"}).status_code == 422
    assert world.get("/api/v1/indicators/hidden/series", params={"area": "A1"}).status_code == 404  # anonymous


def _unit_counts(rows: dict[str, dict[str, float]], group: str) -> tuple[list[float], list[float], list[list[float]]]:
    """As the derivation takes them: per unit, its count of the group, its total (the total reported, else
    the sum of its groups), and its counts of every group present in the area."""
    groups = sorted({g for counts in rows.values() for g in counts if g})
    a = [counts.get(group, 0.0) for counts in rows.values()]
    t = [counts.get("", sum(counts.get(g, 0.0) for g in groups)) for counts in rows.values()]
    return a, t, [[counts.get(g, 0.0) for g in groups] for counts in rows.values()]


def test_every_derived_index_equals_the_segregation_functions_over_the_school_counts(schools, db):
    """Dissimilarity, isolation, exposure and Theil's H, computed where the values are, are the
    ``indicators.segregation`` functions over the same units; a period they cannot be computed for has none."""
    alice = login(schools, "alice", PASSWORD)
    rng = random.Random(17)
    periods = {}  # period -> school -> {group or '' for the total: count}
    for year in range(2015, 2021):
        periods[str(year)] = {
            f"A1-S{n}": {g: float(rng.randint(0, 60)) for g in ("low", "middle", "high") if rng.random() < 0.8}
            for n in (1, 2, 3)
        }
        for counts in periods[str(year)].values():
            if rng.random() < 0.5:  # a reported total, at least its groups
                counts[""] = sum(counts.values()) + rng.randint(0, 10)
    periods["2021"] = {"A1-S1": {"": 40.0, "middle": 10.0}, "A1-S2": {"": 30.0}}  # no low pupils anywhere
    items = [
        value("pupils", school, period, value=count, **({"breakdown": {"ses": g}} if g else {}))
        for period, schools_of in periods.items()
        for school, counts in schools_of.items()
        for g, count in counts.items()
    ]
    assert put(schools, alice, *items).status_code == 200

    def expected(kind: str, rows: dict[str, dict[str, float]]) -> float | None:
        a, t, table = _unit_counts(rows, "low")
        others = [max(total - x, 0.0) for total, x in zip(t, a, strict=True)]
        try:
            if kind == "theil":
                return segregation.theil_h(table)
            if kind == "dissimilarity":
                return dissimilarity(a, others)
            return segregation.isolation(a, t) if kind == "isolation" else segregation.exposure(a, others, t)
        except segregation.SegregationError:
            return None

    for kind in ("dissimilarity", "isolation", "exposure", "theil"):
        with db.transaction() as s:
            s.exec(update(Indicator).where(Indicator.code == "seg").values(derivation=kind))
            record_change(s, None, f"seg is now {kind}")
        for area in ("A1", "NL"):  # the town, and the country above it: the same schools
            got = {p["period"]: p["value"] for p in series(schools, "seg", area)["points"]}
            want = {period: expected(kind, rows) for period, rows in periods.items()}
            assert got == pytest.approx({p: v for p, v in want.items() if v is not None}, rel=1e-12), (kind, area)
            assert "2021" not in got and len(got) >= 5  # no low pupils (and one group only): no index


def test_roll_ups_in_every_rule_equal_the_aggregate_functions_over_the_areas_below(world, as_user, db):
    """A region's series, summed where the values are, is ``indicators.aggregate.rollup`` over its reporting
    areas, per period and breakdown: missing and suppressed members leave it partial, naming them."""
    rng = random.Random(5)
    sent: dict[tuple[str, str, str], aggregate.Member | None] = {}  # (area, period, breakdown) -> member
    for city, area in (("alice", "A1"), ("bob", "B1")):
        items = []
        for year in range(2010, 2020):
            for key in ("", "ses:low"):
                draw = rng.random()
                if draw < 0.2:
                    continue  # not reported
                extra = {"breakdown": {"ses": "low"}} if key else {}
                if draw < 0.3:
                    items.append(value("rate", area, str(year), suppressed=True, **extra))
                    sent[(area, str(year), key)] = None
                    continue
                denominator = float(rng.randint(20, 400))
                numerator = float(rng.randint(0, int(denominator)))
                share = 100 * numerator / denominator
                items.append(
                    value("rate", area, str(year), value=share, numerator=numerator, denominator=denominator, **extra)
                )
                sent[(area, str(year), key)] = aggregate.Member(
                    value=share, numerator=numerator, denominator=denominator
                )
        assert put(world, as_user(city), *items).status_code == 200
    admin = as_user("admin")
    for rule in ("ratio", "weighted_mean", "sum"):
        with db.transaction() as s:
            s.exec(update(Indicator).where(Indicator.code == "rate").values(aggregation=rule))
            record_change(s, None, f"rate rolls up by {rule}")
        for key in ("", "ses:low"):
            points = series(world, "rate", "NL", headers=admin, breakdown=key or "total")["points"]
            got = {p["period"]: (p["value"], p["complete"], p["missing"]) for p in points}
            want = {}
            for year in map(str, range(2010, 2020)):
                parts = {area: sent.get((area, year, key)) for area in ("A1", "B1")}
                if any(parts.values()):
                    rolled = aggregate.rollup(parts, rule, scale=UNIT_SCALE[Unit.percent])
                    want[year] = (pytest.approx(rolled.value), rolled.complete, list(rolled.missing))
            assert got == want, (rule, key)
            assert any(not complete for _, complete, _ in got.values()), "some period is partial"

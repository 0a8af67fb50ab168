"""Equity gaps between breakdown groups, and their trend."""

from __future__ import annotations

import pytest

from tests.api.test_observations import put, value


def groups(year: int, low: tuple[int, int], high: tuple[int, int]) -> list[dict]:
    return [
        value("rate", "A1", str(year), breakdown={"ses": "low"}, numerator=low[0], denominator=low[1]),
        value("rate", "A1", str(year), breakdown={"ses": "high"}, numerator=high[0], denominator=high[1]),
    ]


def test_gap_between_low_and_high_ses_per_period_and_its_trend(world, as_user):
    put(
        world,
        as_user("alice"),
        *groups(2019, (55, 100), (86, 100)),
        *groups(2020, (60, 100), (86, 100)),
        *groups(2021, (66, 100), (87, 100)),
    )
    body = world.get("/api/v1/equity", params={"indicator": "rate", "area": "A1"}).json()
    assert (body["dimension"], body["group"], body["reference"]) == ("ses", "low", "high")
    gaps = {p["period"]: p["gap"] for p in body["periods"]}
    assert gaps["2019"]["absolute"] == pytest.approx(55 - 86)  # -31 points
    assert gaps["2019"]["ratio"] == pytest.approx(55 / 86)
    # The gap's size: 31, 26, 21: it shrinks by 5 a year.
    assert body["gap_trend"]["slope_per_year"] == pytest.approx(-5.0) and body["gap_trend"]["closing"] is True
    assert body["latest_gap"]["absolute"] == pytest.approx(-21.0)
    assert body["periods"][0]["values"] == {"low": 55.0, "middle": None, "high": 86.0}


def test_a_hidden_group_leaves_the_gap_open(world, as_user):
    put(world, as_user("alice"), *groups(2020, (3, 8), (86, 100)))  # a denominator of 8 < 10: hidden
    anonymous = world.get("/api/v1/equity", params={"indicator": "rate", "area": "A1"}).json()["periods"][0]
    assert anonymous["gap"] is None and "low" in anonymous["suppressed"]
    own = world.get("/api/v1/equity", params={"indicator": "rate", "area": "A1"}, headers=as_user("alice")).json()
    assert own["periods"][0]["gap"]["absolute"] == pytest.approx(37.5 - 86)


def test_groups_must_belong_to_the_breakdown(world):
    base = {"indicator": "rate", "area": "A1"}
    assert world.get("/api/v1/equity", params={**base, "group": "rich"}).status_code == 422
    assert world.get("/api/v1/equity", params={**base, "dimension": "gender"}).status_code == 422
    assert world.get("/api/v1/equity", params={"indicator": "count", "area": "A1"}).status_code == 422

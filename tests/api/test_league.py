"""League tables: every municipality for one indicator and period, ranked, with totals by the aggregation rule."""

from __future__ import annotations

from tests.api.test_observations import put, value
from tests.factories import area, assignment, organisation, setup, user


def league(client, code: str, headers=None, **params):
    response = client.get(f"/api/v1/indicators/{code}/league", params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def rows_of(body) -> dict[str, dict]:
    return {row["area"]["code"]: row for row in body["rows"]}


def totals_of(body) -> dict[str | None, dict]:
    return {(total["area"] or {}).get("code"): total for total in body["totals"]}


def test_rate_total_is_the_sum_of_numerators_over_the_sum_of_denominators(world, as_user):
    # 30 of 60 (50%) and 10 of 40 (25%): together 40 of 100 = 40%, not the mean 37.5%.
    put(world, as_user("alice"), value("rate", "A1", "2020", numerator=30, denominator=60))
    put(world, as_user("bob"), value("rate", "B1", "2020", numerator=10, denominator=40))
    body = league(world, "rate")
    assert body["period"] == "2020" and body["aggregation"] == "ratio"
    nl = totals_of(body)["NL"]
    assert (nl["value"], nl["numerator"], nl["denominator"]) == (40.0, 40.0, 100.0)
    assert nl["scope"] == "selection" and nl["source"] == "aggregated" and nl["covers"] == 2
    assert nl["complete"] is True and nl["missing"] == []
    assert [(r["area"]["code"], r["rank"], r["value"]) for r in body["rows"]] == [("A1", 1, 50.0), ("B1", 2, 25.0)]
    assert rows_of(body)["A1"]["parent"]["code"] == "NL"


def test_count_total_is_the_sum_and_a_missing_town_makes_it_incomplete(world, as_user):
    put(world, as_user("alice"), value("count", "A1", "2023", value=12), value("count", "A1", "2024", value=14))
    put(world, as_user("bob"), value("count", "B1", "2023", value=30))
    then = totals_of(league(world, "count", period="2023"))["NL"]
    assert then["value"] == 42.0 and then["complete"] is True
    latest = league(world, "count")
    assert latest["period"] == "2024" and latest["periods"] == ["2024", "2023"]
    now = totals_of(latest)["NL"]
    assert now["value"] == 14.0 and now["complete"] is False and now["missing"] == ["B1"]
    b1 = rows_of(latest)["B1"]
    assert b1["value"] is None and b1["reported"] is False and b1["rank"] is None and b1["status"] == "no_data"
    assert latest["rows"][-1]["area"]["code"] == "B1"  # towns without a value come last


def test_status_progress_change_and_trend_against_the_trajectory(world, as_user):
    # Trajectory 50 (2015) -> 70 (2025): 2020 expects 60.
    put(world, as_user("alice"), value("rate", "A1", "2019", value=55.0), value("rate", "A1", "2020", value=61.0))
    a1 = rows_of(league(world, "rate", period="2020"))["A1"]
    assert a1["status"] == "on_track" and a1["expected"] == 60.0
    assert a1["progress"] == 0.55  # (61 - 50) / (70 - 50)
    assert a1["previous"] == {"period": "2019", "value": 55.0} and a1["change"] == 6.0
    assert a1["trend_per_year"] == 6.0
    earlier = rows_of(league(world, "rate", period="2019"))["A1"]
    assert earlier["value"] == 55.0 and earlier["previous"] is None and earlier["change"] is None


def test_small_count_is_hidden_from_anonymous_and_viewer_but_shown_to_admin(world, as_user):
    put(world, as_user("alice"), value("count", "A1", "2024", value=3))  # below the threshold of 5
    put(world, as_user("bob"), value("count", "B1", "2024", value=30))
    for headers in ({}, as_user("viewer")):
        body = league(world, "count", headers)
        a1, b1, nl = rows_of(body)["A1"], rows_of(body)["B1"], totals_of(body)["NL"]
        assert a1["suppressed"] is True and a1["value"] is None and a1["reported"] is True
        assert a1["rank"] is None and a1["status"] == "no_data"
        # NL = A1 + B1: one of them is hidden as well, so the 3 cannot be worked out.
        assert nl["suppressed"] or b1["suppressed"]
    admin = league(world, "count", as_user("admin"))
    assert rows_of(admin)["A1"]["value"] == 3.0 and totals_of(admin)["NL"]["value"] == 33.0
    assert rows_of(league(world, "count", as_user("alice")))["A1"]["value"] == 3.0  # the reporter sees its own


def test_totals_over_two_countries_are_pooled_by_the_rule(world, db, as_user):
    with setup(db) as s:
        organisation(s, "CITY-C")
        area(s, "DE", "country")
        area(s, "RG", "region", parent="DE")
        area(s, "C1", parent="RG")
        assignment(s, "CITY-C", "rate", "C1")
        user(s, "carol", "member", "CITY-C")
    put(world, as_user("alice"), value("rate", "A1", "2020", numerator=30, denominator=60))
    put(world, as_user("bob"), value("rate", "B1", "2020", numerator=10, denominator=40))
    put(world, as_user("carol"), value("rate", "C1", "2020", numerator=90, denominator=100))
    body = league(world, "rate")
    totals = totals_of(body)
    assert [t["area"]["code"] if t["area"] else None for t in body["totals"]] == ["DE", "RG", "NL", None]
    assert totals["DE"]["value"] == 90.0 and totals["DE"]["scope"] == "area"
    pooled = totals[None]
    # (30 + 10 + 90) / (60 + 40 + 100) = 65%; the mean of the three percentages would be 55%.
    assert (pooled["value"], pooled["numerator"], pooled["denominator"]) == (65.0, 130.0, 200.0)
    assert pooled["scope"] == "selection" and pooled["source"] == "pooled" and pooled["covers"] == 3
    region = league(world, "rate", region="DE")
    assert [r["area"]["code"] for r in region["rows"]] == ["C1"]
    assert [(t["area"]["code"], t["scope"]) for t in region["totals"]] == [("DE", "selection"), ("RG", "area")]


def test_period_not_reported_gives_empty_values_not_an_error(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2020", numerator=30, denominator=60))
    body = league(world, "rate", period="2030")
    assert body["period"] == "2030" and body["periods"] == ["2020"]
    assert all(r["value"] is None and r["reported"] is False and r["rank"] is None for r in body["rows"])
    assert totals_of(body)["NL"]["value"] is None and totals_of(body)["NL"]["reported"] is False
    nothing = league(world, "count")
    assert nothing["period"] is None and nothing["periods"] == [] and len(nothing["rows"]) == 2


def test_unknown_indicator_region_or_malformed_period_is_an_error(world, as_user):
    assert world.get("/api/v1/indicators/nope/league").status_code == 404
    assert world.get("/api/v1/indicators/rate/league", params={"region": "nope"}).status_code == 404
    response = world.get("/api/v1/indicators/rate/league", params={"period": "2020/21"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_period"
    assert world.get("/api/v1/indicators/hidden/league").status_code == 404  # unpublished, anonymous caller
    assert league(world, "hidden", as_user("viewer"))["indicator"]["code"] == "hidden"

"""Data quality over HTTP: planted errors are found, clean series are not flagged, flags are followed up.

The statistics are checked against Python's own ``statistics`` module (mean, sample standard
deviation, median) to 1e-9.
"""

from __future__ import annotations

import json
import statistics

import pytest

HISTORY = [101.0, 97.0, 104.0, 99.0, 102.0, 98.0, 103.0, 100.0]  # count of A1, 2016 to 2023


def put(client, headers, *items, **params):
    return client.put("/api/v1/observations", params=params, json={"observations": list(items)}, headers=headers)


def count(area: str, period: str, value: float) -> dict:
    return {"indicator": "count", "area": area, "period": period, "value": value}


def rate(area: str, period: str, numerator: float, denominator: float, ses: str | None = None) -> dict:
    item = {"indicator": "rate", "area": area, "period": period, "numerator": numerator, "denominator": denominator}
    return {**item, "breakdown": {"ses": ses}} if ses else item


def history(world, alice) -> None:
    answer = put(world, alice, *(count("A1", str(2016 + k), v) for k, v in enumerate(HISTORY)))
    assert answer.status_code == 200 and answer.json()["warnings"] == []


def flags(world, headers, **params) -> list[dict]:
    answer = world.get("/api/v1/quality", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_a_value_ten_times_too_large_is_flagged_against_its_history(world, as_user):
    alice = as_user("alice")
    history(world, alice)
    dry = put(world, alice, count("A1", "2024", 1000), dry_run="true")
    (warning,) = dry.json()["warnings"]
    assert (warning["rule"], warning["indicator"], warning["area"], warning["period"]) == (
        "outlier_history",
        "count",
        "A1",
        "2024",
    )
    assert warning["field"] == "body.observations.0.value" and warning["observed"] == 1000
    # The spread is the series' own, but at least a count's sampling noise (Poisson: the square root of the mean).
    mean, spread = statistics.mean(HISTORY), max(statistics.stdev(HISTORY), statistics.mean(HISTORY) ** 0.5)
    assert warning["expected"] == pytest.approx(mean, abs=1e-9)
    assert warning["score"] == pytest.approx((1000 - mean) / spread, rel=1e-9)
    assert flags(world, as_user("admin")) == []  # a dry run flags nothing

    stored = put(world, alice, count("A1", "2024", 1000))
    assert stored.status_code == 200 and stored.json()["inserted"] == 1 and len(stored.json()["warnings"]) == 1
    (flag,) = flags(world, alice)
    assert (flag["rule"], flag["status"], flag["organisation"]) == ("outlier_history", "open", "CITY-A")
    assert flag["low"] == pytest.approx(mean - 3 * spread) and flag["high"] == pytest.approx(mean + 3 * spread)
    assert "1000" in flag["message"] and "mean 100.5;" in flag["message"]
    dutch = flags(world, alice, lang="nl")[0]["message"]  # in Dutch words, with a decimal comma
    assert dutch.startswith("1000 wijkt") and "gemiddeld 100,5;" in dutch
    assert flags(world, as_user("bob")) == []  # another member sees only its own organisation's
    assert len(flags(world, as_user("viewer"))) == 1  # the steering group sees all
    assert world.get("/api/v1/quality").status_code == 401
    # The same value sent again changes nothing: it is not checked again, and its flag stays as it is.
    again = put(world, alice, count("A1", "2024", 1000))
    assert again.status_code == 200 and (again.json()["unchanged"], again.json()["warnings"]) == (1, [])
    assert [(f["id"], f["status"]) for f in flags(world, alice)] == [(flag["id"], "open")]


def test_a_flag_is_confirmed_with_a_comment_or_closed_by_a_corrected_value(world, as_user):
    alice, bob = as_user("alice"), as_user("bob")
    history(world, alice)
    put(world, alice, count("A1", "2024", 1000))
    (flag,) = flags(world, alice)
    assert world.post(f"/api/v1/quality/{flag['id']}/confirm", json={"comment": "x"}, headers=bob).status_code == 404
    assert world.post(f"/api/v1/quality/{flag['id']}/confirm", json={"comment": ""}, headers=alice).status_code == 422
    confirmed = world.post(
        f"/api/v1/quality/{flag['id']}/confirm", json={"comment": "a new school opened"}, headers=alice
    )
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["status"], confirmed.json()["comment"]) == ("confirmed", "a new school opened")
    trail = world.get("/api/v1/audit", params={"entity": "quality_flag"}, headers=as_user("admin")).json()["items"]
    assert any(e["action"] == "update" for e in trail)

    corrected = put(world, alice, count("A1", "2024", 96))
    assert corrected.json()["warnings"] == []
    (closed,) = flags(world, alice)
    assert closed["status"] == "resolved"
    assert flags(world, alice, status="open") == []


def test_planted_errors_in_a_rate_are_found_and_a_clean_rate_gives_none(world, as_user):
    alice = as_user("alice")
    clean = [
        rate("A1", "2023", 60, 200),
        rate("A1", "2023", 20, 60, "low"),
        rate("A1", "2023", 25, 80, "middle"),
        rate("A1", "2023", 15, 60, "high"),
        rate("A1", "2024", 66, 210),
        rate("A1", "2024", 22, 62, "low"),
        rate("A1", "2024", 27, 84, "middle"),
        rate("A1", "2024", 17, 64, "high"),
    ]
    assert put(world, alice, *clean).json()["warnings"] == []
    planted = put(
        world,
        alice,
        rate("A1", "2025", 66, 210),  # the 2024 column copied
        rate("A1", "2025", 40, 62, "low"),  # the groups now add up past the total
        rate("A1", "2025", 27, 84, "middle"),
        rate("A1", "2025", 17, 64, "high"),
    )
    assert planted.status_code == 200, planted.text
    found = {(w["rule"], w["breakdown"].get("ses", "")) for w in planted.json()["warnings"]}
    assert ("repeated_value", "") in found
    assert ("breakdown_sum", "") in found
    total = next(w for w in planted.json()["warnings"] if w["rule"] == "breakdown_sum")
    assert (total["observed"], total["expected"]) == (84, 66)  # the numerators: 40 + 27 + 17 against 66

    jump = put(world, alice, rate("A1", "2026", 30, 100))
    assert [w["rule"] for w in jump.json()["warnings"]] == ["denominator_jump"]
    assert jump.json()["warnings"][0]["score"] == pytest.approx(100 / 210, rel=1e-9)


def test_areas_far_from_the_others_in_a_period_are_flagged_with_the_modified_z_score(world, as_user):
    admin, alice = as_user("admin"), as_user("alice")
    numerators = [100, 104, 98, 102, 106, 96, 94, 180]  # of 200 each: rates 50 %, 52 %, ... and 90 %
    for n in range(len(numerators)):
        assert (
            world.post(
                "/api/v1/areas",
                json={"code": f"A1-D{n}", "name": f"D{n}", "level": "district", "parent": "A1"},
                headers=admin,
            ).status_code
            == 201
        )
        world.post(
            "/api/v1/assignments",
            json={"organisation": "CITY-A", "indicator": "rate", "area": f"A1-D{n}"},
            headers=admin,
        )
    answer = put(world, alice, *(rate(f"A1-D{n}", "2024", k, 200) for n, k in enumerate(numerators)))
    assert answer.status_code == 200, answer.text
    (warning,) = answer.json()["warnings"]
    assert (warning["rule"], warning["area"]) == ("outlier_peers", "A1-D7")
    values = [100 * k / 200 for k in numerators]
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    assert warning["expected"] == pytest.approx(median, abs=1e-9)
    assert warning["score"] == pytest.approx(0.6745 * (90 - median) / mad, rel=1e-9)


def test_admins_rules_between_indicators_are_parsed_checked_and_enforced(world, as_user):
    admin, alice = as_user("admin"), as_user("alice")
    bad = world.put(
        "/api/v1/quality/rules/parts",
        json={"code": "parts", "left": "count + import os", "operator": "<=", "right": "rate"},
        headers=admin,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "left"
    no_indicator = {"code": "parts", "left": "0", "operator": "<=", "right": "1"}
    constant = world.put("/api/v1/quality/rules/parts", json=no_indicator, headers=admin)
    assert constant.status_code == 422 and constant.json()["errors"][0]["code"] == "no_indicator"
    unknown = world.put(
        "/api/v1/quality/rules/parts",
        json={"code": "parts", "left": "pupils", "operator": "<=", "right": "rate"},
        headers=admin,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_indicator"
    assert (
        world.put(
            "/api/v1/quality/rules/parts",
            json={"code": "parts", "left": "count", "operator": "<=", "right": "2 * rate"},
            headers=alice,
        ).status_code
        == 403
    )
    saved = world.put(
        "/api/v1/quality/rules/parts",
        json={"code": "parts", "left": "count", "operator": "<=", "right": "2 * rate", "severity": "error"},
        headers=admin,
    )
    assert saved.status_code == 200, saved.text
    assert "parts" in {r["code"] for r in world.get("/api/v1/quality/rules", headers=alice).json()}

    refused = put(world, alice, count("A1", "2024", 150), rate("A1", "2024", 30, 100))
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["code"] == "parts" and "count <= 2 * rate" in error["message"]
    assert world.get("/api/v1/observations", params={"area": "A1"}, headers=alice).json()["total"] == 0
    assert put(world, alice, count("A1", "2024", 50), rate("A1", "2024", 30, 100)).status_code == 200
    assert world.delete("/api/v1/quality/rules/parts", headers=admin).status_code == 204


def test_a_changed_rule_or_threshold_rechecks_at_once_what_it_touches_and_nothing_else(world, as_user):
    admin, alice = as_user("admin"), as_user("alice")
    history(world, alice)
    put(world, alice, count("A1", "2024", 200))  # z about 10 against the history: flagged at 3.0
    assert [f["rule"] for f in flags(world, admin)] == ["outlier_history"]
    # A rule saved after the values: what is stored is checked against it at once.
    bounded = {"code": "bounded", "left": "count", "operator": "<=", "right": "150"}
    assert world.put("/api/v1/quality/rules/bounded", json=bounded, headers=admin).status_code == 200
    opened = {(f["rule"], f["period"], f["status"]) for f in flags(world, admin)}
    assert opened == {("outlier_history", "2024", "open"), ("bounded", "2024", "open")}

    assert world.get("/api/v1/quality/thresholds/count", headers=alice).json()["z_score"] == 3.0
    loose = {"z_score": 50.0, "modified_z_score": 3.5, "min_points": 5, "denominator_jump": 2.0, "sum_tolerance": 0}
    assert world.put("/api/v1/quality/thresholds/count", json=loose, headers=alice).status_code == 403
    infinite = json.dumps(loose | {"z_score": float("inf")})  # Infinity: Python's JSON reads it, SQL must never
    endless = world.put(
        "/api/v1/quality/thresholds/count", content=infinite, headers=admin | {"content-type": "application/json"}
    )
    assert endless.status_code == 422 and endless.json()["errors"][0]["field"] == "body.z_score"
    assert world.put("/api/v1/quality/thresholds/count", json=loose, headers=admin).status_code == 200
    # The built-in rules re-checked the indicator's values with the new thresholds; the admin's rule was not touched.
    assert [f["rule"] for f in flags(world, admin, status="open")] == ["bounded"]
    (closed,) = flags(world, admin, status="resolved")
    assert closed["rule"] == "outlier_history"
    events = world.get("/api/v1/audit", params={"entity": "quality_flag"}, headers=admin).json()["items"]
    keys = [e["entity_key"] for e in events if e["action"] == "recheck"]
    assert any(k.startswith("rules=") and k.endswith("indicators=count") for k in keys), keys
    # A check of everything finds what the two incremental ones left: nothing to open or close.
    checked = world.post("/api/v1/quality/check", headers=admin)
    assert checked.status_code == 200 and checked.json() == {"opened": 0, "closed": 0, "standing": 1}
    # Tightened again, the value is flagged again; a deleted rule's flags close.
    strict = loose | {"z_score": 3.0}
    assert world.put("/api/v1/quality/thresholds/count", json=strict, headers=admin).status_code == 200
    assert {f["rule"] for f in flags(world, admin, status="open")} == {"outlier_history", "bounded"}
    assert world.delete("/api/v1/quality/rules/bounded", headers=admin).status_code == 204
    assert [f["rule"] for f in flags(world, admin, status="open")] == ["outlier_history"]


def test_open_warnings_do_not_block_approval_and_the_report_lists_them(world, as_user):
    admin, alice = as_user("admin"), as_user("alice")
    history(world, alice)
    put(world, alice, count("A1", "2024", 1000))
    assert world.post("/api/v1/reports/2024/submit", headers=alice).status_code == 200
    report = world.get("/api/v1/reports/CITY-A/2024", headers=admin).json()
    assert (report["status"], report["open_warnings"]) == ("submitted", 1)
    approved = world.post("/api/v1/reports/CITY-A/2024/approve", json={}, headers=admin)
    assert approved.status_code == 200, approved.text
    assert approved.json()["open_warnings"] == 1
    assert world.get("/api/v1/reports/CITY-A/2023", headers=admin).json()["open_warnings"] == 0

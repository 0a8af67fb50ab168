"""No small cell can be recovered from what the API publishes to anonymous callers and viewers."""

from __future__ import annotations

from indicators.suppression import Constraint, derivable
from tests.api.test_observations import put, value

GROUPS = ("low", "middle", "high")


def report(client, headers, area: str, dens: dict[str, int]) -> None:
    items = [value("rate", area, "2020", numerator=dens["total"] // 2, denominator=dens["total"])]
    items += [
        value("rate", area, "2020", breakdown={"ses": g}, numerator=dens[g] // 2, denominator=dens[g]) for g in GROUPS
    ]
    assert put(client, headers, *items).status_code == 200


def published_table(client, headers):
    """Every (area, breakdown) denominator the caller gets, hidden ones as None."""
    table = {}
    for item in client.get("/api/v1/observations", params={"indicator": "rate"}, headers=headers).json()["items"]:
        key = next(iter(item["breakdown"].values()), "total")
        table[(item["area"], key)] = None if item["suppressed"] else item["denominator"]
    for key in ("total", *GROUPS):
        params = {"area": "NL", **({} if key == "total" else {"breakdown": f"ses:{key}"})}
        (point,) = client.get("/api/v1/indicators/rate/series", params=params, headers=headers).json()["points"]
        table[("NL", key)] = None if point["suppressed"] else point["denominator"]
    return table


def constraints() -> list[Constraint]:
    found = [Constraint((area, "total"), tuple((area, g) for g in GROUPS)) for area in ("A1", "B1", "NL")]
    found += [Constraint(("NL", key), (("A1", key), ("B1", key))) for key in ("total", *GROUPS)]
    return found


def test_a_small_group_and_the_cells_that_would_give_it_away_are_hidden(world, as_user):
    report(world, as_user("alice"), "A1", {"total": 200, "low": 8, "middle": 100, "high": 92})  # low: 8 < 10
    report(world, as_user("bob"), "B1", {"total": 300, "low": 60, "middle": 140, "high": 100})
    for who in (None, "viewer", "bob"):
        table = published_table(world, as_user(who) if who else {})
        hidden = {cell for cell, den in table.items() if den is None}
        assert ("A1", "low") in hidden
        # 200 - 100 - 92 would give the 8 away: more cells are hidden, and none can be worked out.
        assert len(hidden) >= 4, (who, table)
        assert derivable(hidden, constraints()) == set()
    # The reporter and the backbone staff see their raw values.
    for who in ("alice", "admin"):
        table = published_table(world, as_user(who))
        assert table[("A1", "low")] == 8


def test_nothing_is_hidden_when_nothing_is_small(world, as_user):
    report(world, as_user("alice"), "A1", {"total": 200, "low": 50, "middle": 100, "high": 50})
    table = published_table(world, {})
    assert all(den is not None for cell, den in table.items() if cell[0] == "A1")


def test_the_hidden_cells_are_worked_out_again_only_when_what_suppression_reads_changes(world, as_user, monkeypatch):
    import api.services.analytics.hiding as hiding

    solved = []
    solve = hiding.secondary_suppression
    monkeypatch.setattr(hiding, "secondary_suppression", lambda *a: solved.append(a) or solve(*a))
    alice = as_user("alice")
    report(world, alice, "A1", {"total": 200, "low": 8, "middle": 100, "high": 92})
    report(world, as_user("bob"), "B1", {"total": 300, "low": 60, "middle": 140, "high": 100})
    before = published_table(world, {})
    assert before[("A1", "low")] is None and len(solved) == 1

    def public_value(area, group):
        params = {"indicator": "rate", "area": area, "breakdown": f"ses:{group}"}
        (item,) = world.get("/api/v1/observations", params=params).json()["items"]
        return item["value"]

    # A rate's new value over the same denominator: the same cells hidden, not worked out again; the value new.
    shown = next(g for g in GROUPS if before[("B1", g)] is not None)
    assert public_value("B1", shown) != 10.0
    new = value("rate", "B1", "2020", breakdown={"ses": shown}, numerator=before[("B1", shown)] // 10)
    assert put(world, as_user("bob"), {**new, "denominator": before[("B1", shown)]}).status_code == 200
    assert published_table(world, {}) == before and len(solved) == 1
    assert public_value("B1", shown) == 10.0
    # A new denominator: worked out again; the low group is no longer small, and nothing is hidden.
    assert put(world, alice, value("rate", "A1", "2020", breakdown={"ses": "low"}, numerator=20, denominator=40))
    assert put(world, alice, value("rate", "A1", "2020", numerator=80, denominator=232)).status_code == 200
    after = published_table(world, {})
    assert len(solved) == 1 and all(den is not None for den in after.values())  # nothing small: nothing to solve
    # A count's new value is its size: 50 then 3 (under 5) is hidden at once.
    assert put(world, alice, value("count", "A1", "2020", value=50)).status_code == 200
    counted = {"indicator": "count", "area": "A1"}
    assert world.get("/api/v1/observations", params=counted).json()["items"][0]["value"] == 50
    assert put(world, alice, value("count", "A1", "2020", value=3)).status_code == 200
    assert world.get("/api/v1/observations", params=counted).json()["items"][0]["suppressed"] is True

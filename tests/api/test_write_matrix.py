"""Roles × every write endpoint × own and foreign data: refused writes get 401/403 and change nothing.

(A few refusals say more precisely why: another user's token is not found, 404; staff have no
report of their own to submit, 422. Those are listed per case.)

The write routes are read from the app itself, so a new endpoint without a case here fails
``test_every_write_route_has_a_case``. "Own" data is the member's organisation's (CITY-A, area
A1), "foreign" data another's (CITY-B, area B1); the member is alice of CITY-A.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db import Database
from tests.conftest import login
from tests.databases import all_tables
from tests.factories import PASSWORD

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
LOGIN = ("POST", "/api/v1/auth/token")  # anyone may try to log in; the rate limit guards it
INVITATION = ("POST", "/api/v1/auth/invitations/{token}")  # the link is the credential: tests/api/test_invitations.py
ROLES = {"anonymous": None, "viewer": "viewer", "member": "alice", "admin": "admin"}
SQUARE = [[[6.0, 53.0], [6.1, 53.0], [6.1, 53.1], [6.0, 53.1], [6.0, 53.0]]]

Request = dict  # keyword arguments of TestClient.request, with "path"
Make = Callable[["World"], Request]


@dataclass
class World:
    client: TestClient
    headers: Callable[[str], dict[str, str]]
    targets: dict[str, int] = field(default_factory=dict)

    def id_of(self, path: str, **params: str) -> int:
        items = self.client.get(path, params=params, headers=self.headers("admin")).json()["items"]
        return items[0]["id"]

    def target(self, area: str) -> int:
        """A target of 'count' for the area, made once."""
        if area in self.targets:
            return self.targets[area]
        body = {
            "indicator": "count",
            "area": area,
            "baseline_period": "2020",
            "baseline_value": 1,
            "target_period": "2030",
            "target_value": 2,
        }
        response = self.client.post("/api/v1/targets", json=body, headers=self.headers("admin"))
        assert response.status_code == 201, response.text
        self.targets[area] = response.json()["id"]
        return self.targets[area]

    def item(self, kind: str, username: str, *, fresh: bool = False) -> int:
        """A narrative or activity of ``username``'s organisation (made once, unless ``fresh``)."""
        key = f"{kind}:{username}"
        if key in self.targets and not fresh:
            return self.targets[key]
        area = {"alice": "A1", "bob": "B1"}[username]
        made = self.client.post(
            f"/api/v1/{kind}", json=ITEMS[kind](area), headers=login(self.client, username, PASSWORD)
        )
        assert made.status_code == 201, made.text
        self.targets[key] = made.json()["id"]
        return self.targets[key]


ITEM_ID = {"narratives": "narrative_id", "activities": "activity_id"}
ITEMS = {
    "narratives": lambda area: {"indicator": "rate", "area": area, "text": {"en": f"What works in {area}"}},
    "activities": lambda area: {"goal": "g1", "title": {"en": f"Reading club {area}"}, "areas": [area]},
}


@dataclass
class Case:
    own: Make
    foreign: Make | None
    allowed: set[tuple[str, str]] = field(default_factory=lambda: {("admin", "own"), ("admin", "foreign")})
    prepare: Callable[[World], None] | None = None
    refused: int = 403  # what a logged-in caller gets when refused (401 for anonymous callers)
    other: dict[tuple[str, str], int] = field(default_factory=dict)  # other refusals: (role, variant) -> status


def body(path: str, method_body: dict | None = None, **extra: object) -> Make:
    return lambda _w: {"path": path, **({"json": method_body} if method_body is not None else {}), **extra}


def csv(area: str) -> Make:
    content = f"indicator,area,period,value\ncount,{area},2024,7\n".encode()
    return lambda _w: {"path": "/api/v1/imports", "files": {"file": ("values.csv", content)}}


def config(area: str) -> Make:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("areas.csv", f"code,name,level,parent\n{area}-X,New district,district,{area}\n")
    return lambda _w: {"path": "/api/v1/config", "files": {"file": ("config.zip", zipped.getvalue())}}


def values(area: str) -> Make:
    return body(
        "/api/v1/observations", {"observations": [{"indicator": "count", "area": area, "period": "2024", "value": 7}]}
    )


def target_request(method: str, area: str) -> Make:
    def make(w: World) -> Request:
        target_id = w.target(area)
        return {"path": f"/api/v1/targets/{target_id}", **({"json": {"target_value": 3}} if method == "PATCH" else {})}

    return make


def agenda(name: str, signatory: str) -> dict:
    return {"code": "pact", "name": {"en": name}, "signatories": [{"organisation": signatory}]}


def indicator(code: str) -> dict:
    return {
        "code": code,
        "goal": "g1",
        "name": {"en": code},
        "unit": "count",
        "direction": "higher",
        "period_type": "year",
        "aggregation": "sum",
    }


def target(area: str) -> dict:
    return {
        "indicator": "rate",
        "area": area,
        "baseline_period": "2019",
        "baseline_value": 40,
        "target_period": "2029",
        "target_value": 60,
    }


def boundaries(area: str) -> dict:
    geometry = {"type": "Polygon", "coordinates": SQUARE}
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"code": area}, "geometry": geometry}],
    }


def make_agenda(w: World) -> None:
    assert w.client.put("/api/v1/agenda", json=agenda("Pact", "CITY-A"), headers=w.headers("admin")).status_code == 200


def assignment_of(organisation: str) -> Make:
    def make(w: World) -> Request:
        return {"path": f"/api/v1/assignments/{w.id_of('/api/v1/assignments', organisation=organisation)}"}

    return make


def owned(kind: str, method: str, username: str) -> Make:
    """A request on an item of ``username``'s organisation: alice's are the member's own, bob's foreign."""

    def make(w: World) -> Request:
        item = w.item(kind, username, fresh=method == "DELETE")
        patch = {"json": {"text": {"en": "Changed"}} if kind == "narratives" else {"status": "active"}}
        return {"path": f"/api/v1/{kind}/{item}", **(patch if method == "PATCH" else {})}

    return make


def logout(w: World) -> Request:
    return {"path": "/api/v1/auth/token", "fresh_token": True}


def token_of(username: str) -> Make:
    """Revoking a token of ``username`` (a fresh one, made by logging in)."""

    def make(w: World) -> Request:
        login(w.client, username, PASSWORD)
        tokens = w.client.get("/api/v1/auth/tokens", headers=login(w.client, username, PASSWORD)).json()
        return {"path": f"/api/v1/auth/tokens/{tokens[0]['id']}"}

    return make


ANY_USER = {("viewer", "own"), ("member", "own"), ("admin", "own")}


def submit_reports(w: World) -> None:
    """The 2024 reports of CITY-A (alice) and CITY-B (bob), submitted for approval."""
    for username in ("alice", "bob"):
        response = w.client.post("/api/v1/reports/2024/submit", headers=login(w.client, username, PASSWORD))
        assert response.status_code == 200, response.text


def lock_of(organisation: str) -> Make:
    """Ending an admin's lock of 2024 for ``organisation`` (made once)."""

    def make(w: World) -> Request:
        key = f"lock:{organisation}"
        if key not in w.targets:
            body = {"period": "2024", "organisation": organisation}
            made = w.client.post("/api/v1/locks", json=body, headers=w.headers("admin"))
            assert made.status_code == 201, made.text
            w.targets[key] = made.json()["id"]
        return {"path": f"/api/v1/locks/{w.targets[key]}"}

    return make


MINE = {("member", "own"), ("admin", "own"), ("admin", "foreign")}


def mapping(code: str) -> dict:
    """A source mapping (the alliance's, not an organisation's: staff keep them)."""
    return {
        "code": code,
        "name": f"Mapping {code}",
        "indicator": "count",
        "area": {"column": "Code"},
        "period": {"group": "year"},
        "measures": [{"columns": r"^Aantal (?P<year>\d{4})$"}],
    }


def make_flags(w: World) -> None:
    """A data quality flag for each city: a count ten times its history."""
    for username, area in (("alice", "A1"), ("bob", "B1")):
        values = [100, 97, 104, 99, 102, 98, 103, 1000]
        rows = [{"indicator": "count", "area": area, "period": str(2017 + k), "value": v} for k, v in enumerate(values)]
        done = w.client.put(
            "/api/v1/observations", json={"observations": rows}, headers=login(w.client, username, PASSWORD)
        )
        assert done.status_code == 200 and done.json()["warnings"], done.text


def flag_of(area: str) -> Make:
    def make(w: World) -> Request:
        flags = w.client.get("/api/v1/quality", params={"area": area}, headers=w.headers("admin")).json()["items"]
        return {"path": f"/api/v1/quality/{flags[0]['id']}/confirm", "json": {"comment": "checked: right"}}

    return make


def make_rule(w: World) -> None:
    made = w.client.put("/api/v1/quality/rules/r-a", json=RULE, headers=w.headers("admin"))
    assert made.status_code == 200, made.text


RULE = {"code": "r-a", "left": "count", "operator": "<=", "right": "100 * rate"}
THRESHOLDS = {"z_score": 4, "modified_z_score": 3.5, "min_points": 5, "denominator_jump": 2, "sum_tolerance": 0}


def make_mapping(w: World) -> None:
    made = w.client.post("/api/v1/mappings", json=mapping("m-a"), headers=w.headers("admin"))
    assert made.status_code == 201, made.text


CASES: dict[tuple[str, str], Case] = {
    ("PUT", "/api/v1/agenda"): Case(
        body("/api/v1/agenda", agenda("Pact A", "CITY-A")), body("/api/v1/agenda", agenda("Pact B", "CITY-B"))
    ),
    ("PATCH", "/api/v1/agenda"): Case(
        body("/api/v1/agenda", {"signatories": [{"organisation": "CITY-A"}, {"organisation": "CITY-B"}]}),
        body("/api/v1/agenda", {"signatories": [{"organisation": "CITY-B"}]}),
        prepare=make_agenda,
    ),
    ("PUT", "/api/v1/areas/boundaries"): Case(
        body("/api/v1/areas/boundaries", boundaries("A1")), body("/api/v1/areas/boundaries", boundaries("B1"))
    ),
    ("POST", "/api/v1/areas"): Case(
        body("/api/v1/areas", {"code": "A2", "name": "A2", "level": "district", "parent": "A1"}),
        body("/api/v1/areas", {"code": "B2", "name": "B2", "level": "district", "parent": "B1"}),
    ),
    ("PATCH", "/api/v1/areas/{code}"): Case(
        body("/api/v1/areas/A1", {"name": "Renamed A1"}), body("/api/v1/areas/B1", {"name": "Renamed B1"})
    ),
    ("POST", "/api/v1/assignments"): Case(
        body("/api/v1/assignments", {"organisation": "CITY-A", "indicator": "count", "area": "NL"}),
        body("/api/v1/assignments", {"organisation": "CITY-B", "indicator": "hidden", "area": "NL"}),
    ),
    ("DELETE", "/api/v1/assignments/{assignment_id}"): Case(assignment_of("CITY-A"), assignment_of("CITY-B")),
    ("DELETE", "/api/v1/auth/token"): Case(logout, None, allowed=ANY_USER),
    # Tokens and passwords are the caller's own: no request names anyone else's, except a
    # token id, and another user's token is not found (404), so that its existence is not revealed.
    ("POST", "/api/v1/auth/tokens"): Case(body("/api/v1/auth/tokens", {"name": "nightly"}), None, allowed=ANY_USER),
    ("DELETE", "/api/v1/auth/tokens/{token_id}"): Case(
        token_of("viewer"), token_of("bob"), allowed={("viewer", "own")}, refused=404
    ),
    ("POST", "/api/v1/auth/password"): Case(
        body("/api/v1/auth/password", {"current_password": PASSWORD, "new_password": "a long and quiet river"}),
        None,
        allowed=ANY_USER,
    ),
    ("POST", "/api/v1/dimensions"): Case(
        body(
            "/api/v1/dimensions", {"code": "dim_a", "name": {"en": "A"}, "values": [{"code": "x", "name": {"en": "x"}}]}
        ),
        body(
            "/api/v1/dimensions", {"code": "dim_b", "name": {"en": "B"}, "values": [{"code": "y", "name": {"en": "y"}}]}
        ),
    ),
    ("PATCH", "/api/v1/dimensions/{code}"): Case(
        body("/api/v1/dimensions/ses", {"name": {"en": "Social background"}}),
        body("/api/v1/dimensions/ses", {"name": {"en": "Background"}}),
    ),
    ("POST", "/api/v1/goals"): Case(
        body("/api/v1/goals", {"code": "g-a", "title": {"en": "A"}}),
        body("/api/v1/goals", {"code": "g-b", "title": {"en": "B"}}),
    ),
    ("PATCH", "/api/v1/goals/{code}"): Case(
        body("/api/v1/goals/g1", {"title": {"en": "First"}}), body("/api/v1/goals/g1", {"title": {"en": "One"}})
    ),
    # Staff report through the form on a member's behalf; the API writes for the caller's own assignments.
    ("POST", "/api/v1/imports"): Case(csv("A1"), csv("B1"), allowed={("member", "own")}),
    ("POST", "/api/v1/indicators"): Case(
        body("/api/v1/indicators", indicator("ind-a")), body("/api/v1/indicators", indicator("ind-b"))
    ),
    ("PATCH", "/api/v1/indicators/{code}"): Case(
        body("/api/v1/indicators/rate", {"source": "A"}), body("/api/v1/indicators/count", {"source": "B"})
    ),
    ("PUT", "/api/v1/observations"): Case(values("A1"), values("B1"), allowed={("member", "own")}),
    # Members write narratives and activities of their own organisation; staff anyone's.
    **{
        ("POST", f"/api/v1/{kind}"): Case(
            body(f"/api/v1/{kind}", ITEMS[kind]("A1")), body(f"/api/v1/{kind}", ITEMS[kind]("B1")), allowed=MINE
        )
        for kind in ITEMS
    },
    **{
        (method, f"/api/v1/{kind}/{{{ITEM_ID[kind]}}}"): Case(
            owned(kind, method, "alice"), owned(kind, method, "bob"), allowed=MINE
        )
        for kind in ITEMS
        for method in ("PATCH", "DELETE")
    },
    # A member submits their own organisation's report (the token's organisation; no request names
    # another); staff approve, return and lock anyone's.
    ("POST", "/api/v1/reports/{period:path}/submit"): Case(
        body("/api/v1/reports/2024/submit"),
        None,
        allowed={("member", "own")},
        other={("admin", "own"): 422},  # staff's own organisation reports nothing
    ),
    ("POST", "/api/v1/reports/{organisation}/{period:path}/approve"): Case(
        body("/api/v1/reports/CITY-A/2024/approve"), body("/api/v1/reports/CITY-B/2024/approve"), prepare=submit_reports
    ),
    ("POST", "/api/v1/reports/{organisation}/{period:path}/return"): Case(
        body("/api/v1/reports/CITY-A/2024/return", {"comment": "Check the count"}),
        body("/api/v1/reports/CITY-B/2024/return", {"comment": "Check the count"}),
        prepare=submit_reports,
    ),
    ("POST", "/api/v1/locks"): Case(
        body("/api/v1/locks", {"period": "2024", "organisation": "CITY-A"}),
        body("/api/v1/locks", {"period": "2024", "organisation": "CITY-B"}),
    ),
    ("DELETE", "/api/v1/locks/{lock_id}"): Case(lock_of("CITY-A"), lock_of("CITY-B")),
    ("POST", "/api/v1/organisations"): Case(
        body("/api/v1/organisations", {"code": "ORG-A", "name": "A", "type": "foundation"}),
        body("/api/v1/organisations", {"code": "ORG-B", "name": "B", "type": "foundation"}),
    ),
    ("PATCH", "/api/v1/organisations/{code}"): Case(
        body("/api/v1/organisations/CITY-A", {"name": "City A"}),
        body("/api/v1/organisations/CITY-B", {"name": "City B"}),
    ),
    ("POST", "/api/v1/targets"): Case(body("/api/v1/targets", target("A1")), body("/api/v1/targets", target("B1"))),
    ("PATCH", "/api/v1/targets/{target_id}"): Case(target_request("PATCH", "A1"), target_request("PATCH", "B1")),
    ("DELETE", "/api/v1/targets/{target_id}"): Case(target_request("DELETE", "A1"), target_request("DELETE", "B1")),
    ("POST", "/api/v1/users"): Case(
        body("/api/v1/users", {"username": "carla", "role": "member", "organisation": "CITY-A"}),
        body("/api/v1/users", {"username": "dirk", "role": "member", "organisation": "CITY-B"}),
    ),
    ("POST", "/api/v1/users/{username}/invitation"): Case(
        body("/api/v1/users/alice/invitation"), body("/api/v1/users/bob/invitation")
    ),
    ("POST", "/api/v1/config"): Case(config("A1"), config("B1")),
    ("POST", "/api/v1/mappings"): Case(body("/api/v1/mappings", mapping("m-b")), None, allowed={("admin", "own")}),
    # A flag is confirmed by staff or by the reporting organisation; another member does not find it.
    ("POST", "/api/v1/quality/{flag_id}/confirm"): Case(
        flag_of("A1"), flag_of("B1"), allowed=MINE, prepare=make_flags, other={("member", "foreign"): 404}
    ),
    ("PUT", "/api/v1/quality/rules/{code}"): Case(
        body("/api/v1/quality/rules/r-a", RULE), None, allowed={("admin", "own")}
    ),
    ("DELETE", "/api/v1/quality/rules/{code}"): Case(
        body("/api/v1/quality/rules/r-a"), None, allowed={("admin", "own")}, prepare=make_rule
    ),
    ("PUT", "/api/v1/quality/thresholds/{indicator}"): Case(
        body("/api/v1/quality/thresholds/count", THRESHOLDS), None, allowed={("admin", "own")}
    ),
    ("POST", "/api/v1/quality/check"): Case(body("/api/v1/quality/check"), None, allowed={("admin", "own")}),
    ("PUT", "/api/v1/mappings/{code}"): Case(
        body("/api/v1/mappings/m-a", {**mapping("m-a"), "name": "Renamed"}),
        None,
        allowed={("admin", "own")},
        prepare=make_mapping,
    ),
    ("DELETE", "/api/v1/mappings/{code}"): Case(
        body("/api/v1/mappings/m-a"), None, allowed={("admin", "own")}, prepare=make_mapping
    ),
    ("PATCH", "/api/v1/users/{username}"): Case(
        body("/api/v1/users/alice", {"display_name": "Alice"}), body("/api/v1/users/bob", {"display_name": "Bob"})
    ),
}


def write_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) of the API that writes."""
    found = set()
    for route in _flat(app.routes):
        path, methods = getattr(route, "path", ""), getattr(route, "methods", None) or set()
        if path.startswith("/api/v1"):
            found |= {(method, path) for method in methods & WRITES}
    return found - {LOGIN, INVITATION}


def _flat(routes):
    # FastAPI keeps included routers as one entry each; their routes carry the full path.
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        else:
            yield route


def dump(db: Database) -> dict[str, list[dict]]:
    """Every row of every table."""
    with db.engine.connect() as connection:
        return {
            # Sorted here: PostgreSQL cannot order by JSON columns.
            table.name: sorted((dict(row._mapping) for row in connection.execute(select(table))), key=repr)
            for table in all_tables(db)
        }


def assert_kept(before: dict[str, list[dict]], after: dict[str, list[dict]], username: str) -> None:
    """An allowed write is in the audit: values through their submission and history, metadata in audit_event."""
    user_id = next(row["id"] for row in after["app_user"] if row["username"] == username)
    submissions = [row for row in after["submission"] if row not in before["submission"]]
    if any(row["kind"] == "observations" for row in submissions):
        assert [row["user_id"] for row in submissions] == [user_id]
        return
    events = [row for row in after["audit_event"] if row not in before["audit_event"]]
    assert events, "an allowed metadata write left no audit event"
    assert {e["user_id"] for e in events} == {user_id}
    if submissions:  # a metadata change: the events name it and its channel
        assert {e["submission_id"] for e in events} == {submissions[0]["id"]}
        assert {e["channel"] for e in events} == {"api"}


# Routes of branches merged alongside this one: their cases run once the routes are in the app.
ELSEWHERE = {case for case in CASES if case[1].startswith(("/api/v1/narratives", "/api/v1/activities"))}


def test_every_write_route_has_a_case(world):
    routes = write_routes(world.app)
    assert routes - set(CASES) == set(), "add a case to CASES for each new write route"
    assert set(CASES) - routes - ELSEWHERE == set(), "a case for a route that no longer exists"
    assert len(routes) >= 20


@pytest.mark.parametrize("route", sorted(CASES), ids=lambda r: f"{r[0]} {r[1]}")
def test_refused_writes_get_401_or_403_and_change_nothing(world, as_user, db, route):
    if route not in write_routes(world.app):
        pytest.skip("the route is not in this app (yet)")
    method, _path = route
    case = CASES[route]
    w = World(world, as_user)
    for username in ("viewer", "alice", "admin"):
        w.headers(username)  # log in first: a login writes its token
    if case.prepare:
        case.prepare(w)
    tried = []
    for role, username in ROLES.items():
        for variant, make in (("own", case.own), ("foreign", case.foreign)):
            if make is None:
                continue
            request = make(w)
            path = request.pop("path")
            if request.pop("fresh_token", False):
                headers = login(world, username, PASSWORD) if username else {}
            else:
                headers = w.headers(username) if username else {}
            before = dump(db)
            response = world.request(method, path, headers=headers, **request)
            tried.append((role, variant, response.status_code))
            if (role, variant) in case.allowed:
                assert response.status_code < 300, (role, variant, response.text)
                assert_kept(before, dump(db), username)
                continue
            expected = case.other.get((role, variant), 401 if username is None else case.refused)
            assert response.status_code == expected, (role, variant, response.text)
            assert response.json()["status"] == expected
            assert dump(db) == before, (role, variant, "a refused write changed the database")
    assert {role for role, _, _ in tried} == set(ROLES)

"""Every route answers errors in the one JSON shape, and no input makes it answer 500."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.errors import ErrorBody

BAD_INPUTS = [
    {"params": {"limit": "many", "offset": "-1"}},
    {"json": {"bogus": True}},
    {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
    {"json": {"observations": [{"indicator": "rate", "area": "A1", "period": "2024", "value": "NaN"}]}},
]


def api_operations(client):
    """Every (method, path, documented statuses) of the API, from its OpenAPI schema."""
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
            yield method.upper(), path, {int(code) for code in operation["responses"]}, takes_input


def fill(path: str, value: str) -> str:
    for part in path.split("/"):
        if part.startswith("{"):
            path = path.replace(part, value)
    return path


def assert_error_shape(response) -> None:
    assert response.status_code != 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/json")
        try:
            body = ErrorBody.model_validate(response.json())
        except ValidationError as exc:  # pragma: no cover - the assertion message
            pytest.fail(f"{response.request.method} {response.request.url}: {exc}")
        assert body.status == response.status_code
        assert body.errors and body.error_count >= len(body.errors)
        assert set(response.json()) == set(ErrorBody.model_fields)


@pytest.mark.parametrize("who", [None, "alice", "viewer", "admin"])
def test_every_route_answers_errors_in_one_shape(world, as_user, who):
    headers = as_user(who) if who else {}
    checked = 0
    for method, path, documented, takes_input in api_operations(world):
        statuses = set()
        for path_value in ("does-not-exist", "999999", "%00"):
            for bad in BAD_INPUTS:
                extra = dict(bad)
                request_headers = {**headers, **extra.pop("headers", {})}
                response = world.request(method, fill(path, path_value), headers=request_headers, **extra)
                assert_error_shape(response)
                assert response.status_code in documented, (method, path, response.status_code, documented)
                statuses.add(response.status_code)
        if takes_input or method != "GET":
            assert any(status >= 400 for status in statuses), (method, path, statuses)
        checked += 1
    assert checked >= 30  # every route of the API was exercised


def test_unknown_paths_and_methods_get_the_shape(world):
    for response in (
        world.get("/api/v1/nope"),
        world.get("/nope"),
        world.post("/api/v1/health"),
        world.delete("/api/v1/goals"),
    ):
        assert response.status_code in (404, 405)
        assert_error_shape(response)


def test_validation_errors_name_the_field(world, as_user):
    response = world.post("/api/v1/goals", json={"code": "x"}, headers=as_user("admin"))
    body = response.json()
    assert body["code"] == "invalid_request"
    assert [e["field"] for e in body["errors"]] == ["body.title"]


ROW_PATHS = [
    ("PATCH", "/api/v1/targets/{}"),
    ("DELETE", "/api/v1/targets/{}"),
    ("DELETE", "/api/v1/assignments/{}"),
    ("GET", "/api/v1/submissions/{}"),
    ("DELETE", "/api/v1/locks/{}"),
    ("DELETE", "/api/v1/auth/tokens/{}"),
    ("GET", "/api/v1/observations/{}/history"),
    ("PATCH", "/api/v1/narratives/{}"),
    ("DELETE", "/api/v1/activities/{}"),
]


@pytest.mark.parametrize(("method", "path"), ROW_PATHS)
def test_an_id_larger_than_any_row_is_refused_with_422_not_a_server_error(world, as_user, method, path):
    response = world.request(method, path.format(2**64), headers=as_user("admin"), json={})
    assert response.status_code == 422, response.text
    assert_error_shape(response)

"""schemathesis against the app's own OpenAPI schema: no server errors, no undocumented status codes,
responses as documented, and no operation reachable without the authentication it declares.

Every operation gets a bounded number of generated requests, as an anonymous caller and as each kind
of user, so that CI stays fast. Each caller fuzzes its own server on its own fresh demo database
(shared by that caller's operations, as a running server would be). ``REQUESTS`` counts the requests;
the count is printed at the end of the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import checks

from api.config import Settings
from api.main import create_app
from tests.conftest import Templates, login, make_settings

EXAMPLES = 6  # generated requests per operation and caller (fewer where the schema allows fewer)
REQUESTS: Counter[str] = Counter()
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.ignored_auth,
]
# derandomize: every run (here, in CI, on SQLite and PostgreSQL) sends the same requests, so a
# green run on one machine is green on the next; widen EXAMPLES to explore further.
bounded = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

# The schema comes from an app that is never started (its OpenAPI document needs no database).
schema = schemathesis.openapi.from_dict(
    create_app(Settings(mode="development", database_url="sqlite:///:memory:")).openapi()
)


class Caller:
    """A server on a fresh demo database and the headers of one caller (logged in once)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self._headers: dict[str, dict[str, str]] = {}

    def headers(self, username: str | None) -> dict[str, str]:
        if username is None:
            return {}
        if username not in self._headers:
            self._headers[username] = login(self.client, username)
        return self._headers[username]


@pytest.fixture(scope="module")
def server(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caller]:
    url = templates.fresh("demo")
    with TestClient(create_app(make_settings(url, tmp_path_factory.mktemp("fuzz")))) as client:
        yield Caller(client)
    templates.drop(url)


def fuzz(case, server: Caller, username: str | None) -> None:
    REQUESTS[username or "anonymous"] += 1
    case.call_and_validate(headers=server.headers(username), checks=CHECKS, app=server.client.app)


@schema.parametrize()
@bounded
def test_anonymous_requests_get_documented_answers(case, server):
    fuzz(case, server, None)


@schema.parametrize()
@bounded
def test_steering_group_requests_get_documented_answers(case, server):
    fuzz(case, server, "steering")


@schema.parametrize()
@bounded
def test_member_requests_get_documented_answers(case, server):
    fuzz(case, server, "kidsfirst")


@schema.parametrize()
@bounded
def test_staff_requests_get_documented_answers(case, server):
    fuzz(case, server, "admin")


def teardown_module() -> None:
    print(f"\nschemathesis requests: {sum(REQUESTS.values())} ({dict(REQUESTS)})")

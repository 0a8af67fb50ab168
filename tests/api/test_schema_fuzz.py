"""schemathesis against the app's own OpenAPI schema: no server errors, no undocumented status codes,
responses as documented, and no operation reachable without the authentication it declares.

Every operation gets a bounded number of generated requests (schemathesis's coverage cases, then
``EXAMPLES`` generated ones). Each request is generated once and sent as every caller (anonymous, a
steering-group viewer, a member, staff) to a server on each database backend, each server on its
own fresh demo database shared by the operations, as a running server would be. ``REQUESTS``
counts the requests; the count is printed at the end of the run.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi
from schemathesis.python.asgi import ASGIClient

from api.config import Settings
from api.main import create_app
from tests.conftest import login, make_settings
from tests.databases import BACKENDS, Templates

EXAMPLES = 6  # generated requests per operation, after the coverage cases (fewer where the schema allows fewer)
TIMEOUT = 60  # seconds: the largest exports take seconds on a loaded two-core machine
CALLERS = {"anonymous": None, "steering group": "steering", "member": "kidsfirst", "staff": "admin"}
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

# The schema comes from an app that is never started (its OpenAPI document needs no database). A mapping
# document's schema is so wide that the coverage phase made 1,359 requests for each of its two writes, a third of
# this test's time: they get the generated examples only (the documents' checks have tests of their own).
schema = schemathesis.openapi.from_dict(
    create_app(Settings(mode="development", database_url="sqlite:///:memory:")).openapi(),
    config=SchemathesisConfig.from_dict(
        {"operations": [{"include-path-regex": "^/api/v1/mappings", "phases": {"coverage": {"enabled": False}}}]}
    ),
)


class Server:
    """A server on a fresh demo database, a session that reaches it in-process, and the headers of each
    caller (logged in once)."""

    def __init__(self, backend: str, session: ASGIClient) -> None:
        self.backend = backend
        self.session = session
        self._headers: dict[str, dict[str, str]] = {}

    def headers(self, username: str | None) -> dict[str, str]:
        if username is None:
            return {}
        if username not in self._headers:
            self._headers[username] = login(self.session, username)
        return self._headers[username]


@pytest.fixture(scope="module")
def servers(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    """One server per database backend."""
    urls = {backend: templates.fresh("demo", backend) for backend in BACKENDS}
    data_dir = tmp_path_factory.mktemp("fuzz")
    with contextlib.ExitStack() as stack:
        servers = []
        for backend, url in urls.items():
            app = create_app(make_settings(url, data_dir))
            session = stack.enter_context(asgi.get_client(app))  # starts the app (its lifespan)
            session.trust_env = False  # no proxy lookups in the environment for each of ~35,000 requests
            servers.append(Server(backend, session))
        yield servers
    for url in urls.values():
        templates.drop(url)


@schema.parametrize()
@bounded
def test_every_caller_gets_documented_answers(case, servers):
    for caller, username in CALLERS.items():
        for server in servers:
            REQUESTS[caller] += 1
            try:
                headers = server.headers(username)
                case.call_and_validate(session=server.session, headers=headers, checks=CHECKS, timeout=TIMEOUT)
            except Exception as failure:
                failure.add_note(f"as {caller} ({username or 'no token'}) on {server.backend}")
                raise


def teardown_module() -> None:
    print(f"\nschemathesis requests: {sum(REQUESTS.values())} ({dict(REQUESTS)})")

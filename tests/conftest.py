"""Fixtures: a fresh database per test (copied from a migrated template), apps and clients.

Every test that takes a database runs once per backend: on SQLite, and also on PostgreSQL when
BACKBONE_TEST_DATABASE_URL is set (its id then ends in ``[postgresql]``). Tests that take no
database run once; the browser and dashboard tests on SQLite only (their conftest.py files say
why). See tests/databases.py.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from api import security
from api.config import Settings
from api.db import Database
from api.main import create_app, open_backbone
from tests.databases import BACKENDS, Templates

# Argon2 at the cost of a login page is most of what a test that logs in spends. As Django's docs
# advise for test suites, the suite hashes with the same algorithm at the lowest cost; a hash names
# its own cost, so servers the tests start verify these hashes cheaply too. The production cost
# is checked by tests/api/test_passwords.py in a process of its own.
security._hasher = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))

# Each test builds an app, a Dash app and their schemas: with CPython's default thresholds (700, 10, 10)
# the cyclic collector ran thousands of times and took a fifth of the suite's time; collected less
# often, it takes a twentieth (measured on tests/api/test_write_matrix.py and neighbours).
gc.set_threshold(10_000, 50, 100)


# The longest tests go first: with work stealing, a long test that starts near the end decides when
# the run ends. Within each group the order stays as collected (module fixtures keep their modules).
SLOW_FIRST = ("tests/ingest/test_server.py", "tests/browser/", "tests/api/test_schema_fuzz.py", "tests/test_cli.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((i for i, prefix in enumerate(SLOW_FIRST) if item.nodeid.startswith(prefix)), len(SLOW_FIRST))

    items.sort(key=rank)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    found = Templates(tmp_path_factory.mktemp("databases"))
    yield found
    found.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on: 'sqlite', or 'postgresql' in the second run of the same test."""
    return request.param


def _database(templates: Templates, kind: str, backend: str) -> Iterator[str]:
    url = templates.fresh(kind, backend)
    yield url
    templates.drop(url)


@pytest.fixture
def database_url(templates: Templates, backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated database: empty, or, for a test that uses a ``world`` fixture, holding
    ``tests.factories.small_world`` (copied from a template, not built again for each test)."""
    yield from _database(templates, "small" if "world" in request.fixturenames else "empty", backend)


@pytest.fixture
def empty_database_url(templates: Templates, backend: str) -> Iterator[str]:
    """A second fresh, migrated, empty database, beside the test's ``database_url``."""
    yield from _database(templates, "empty", backend)


@pytest.fixture
def demo_database_url(templates: Templates, backend: str) -> Iterator[str]:
    """A fresh database holding the demo seed data."""
    yield from _database(templates, "demo", backend)


def make_settings(url: str, tmp_path: Path, **overrides: object) -> Settings:
    return Settings(mode="development", data_dir=tmp_path, database_url=url, **overrides)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.resolved_database_url)
    yield database
    database.dispose()


_idle_apps: dict[tuple[str, bytes], list[FastAPI]] = {}


@contextlib.contextmanager
def app_client(settings: Settings) -> Iterator[TestClient]:
    """A started app for ``settings`` and a client of it.

    Building an app (its routes, the dashboard's pages and callbacks) took a third of a short test's
    time, so each test process keeps the apps it built and lends an idle one to the next test, with a
    backbone of its own (the fresh database, its read model, the login throttle): everything a test
    reads and writes. An app is only lent for the same settings, apart from where the data is.
    """
    key = (settings.model_dump_json(exclude={"database_url", "data_dir"}), settings.secret)
    idle = _idle_apps.setdefault(key, [])
    if idle:
        app = idle.pop()
        app.state.backbone = open_backbone(settings)
    else:
        app = create_app(settings)
    try:
        with TestClient(app) as test_client:
            yield test_client
    finally:
        idle.append(app)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with app_client(settings) as test_client:
        yield test_client


@pytest.fixture
def demo_client(demo_database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with app_client(make_settings(demo_database_url, tmp_path)) as test_client:
        yield test_client


def login(client: TestClient, username: str, password: str | None = None) -> dict[str, str]:
    """Log in through the API; return the Authorization header."""
    response = client.post(
        "/api/v1/auth/token", data={"username": username, "password": password or f"demo-{username}"}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}

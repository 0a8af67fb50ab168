"""Fixtures: a fresh database per test (copied from a migrated template), apps and clients.

The suite runs on SQLite by default and on PostgreSQL when BACKBONE_TEST_DATABASE_URL
is set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres): every test then
gets its own database, created from a template database.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api.config import Settings
from api.db import Database
from api.main import create_app
from api.migrate import upgrade
from api.seed import load_seed

PG_URL = os.environ.get("BACKBONE_TEST_DATABASE_URL")
_counter = itertools.count()


class Templates:
    """Migrated template databases (empty, and with the demo seed) that tests copy."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.prefix = f"bbt_{os.getpid()}"
        self._made: set[str] = set()

    def _url(self, name: str) -> str:
        if PG_URL:
            return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.workdir / (name + '.db')}"

    def _admin(self):
        return create_engine(PG_URL, isolation_level="AUTOCOMMIT")

    def _ensure(self, kind: str) -> str:
        name = f"{self.prefix}_tpl_{kind}"
        if name in self._made:
            return name
        if PG_URL:
            with self._admin().connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        db = Database(self._url(name))
        upgrade(db.engine)
        if kind == "demo":
            load_seed(db, self.workdir / "uploads")
        db.dispose()
        self._made.add(name)
        return name

    def fresh(self, kind: str) -> str:
        """URL of a new database copied from the ``kind`` template ('empty' or 'demo')."""
        template = self._ensure(kind)
        name = f"{self.prefix}_{next(_counter)}"
        if PG_URL:
            with self._admin().connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        else:
            shutil.copyfile(self.workdir / f"{template}.db", self.workdir / f"{name}.db")
        return self._url(name)

    def drop(self, url: str) -> None:
        if PG_URL:
            with self._admin().connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        else:
            Path(make_url(url).database).unlink(missing_ok=True)

    def close(self) -> None:
        for name in self._made:
            self.drop(self._url(name))


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    found = Templates(tmp_path_factory.mktemp("databases"))
    yield found
    found.close()


def _database(templates: Templates, kind: str) -> Iterator[str]:
    url = templates.fresh(kind)
    yield url
    templates.drop(url)


@pytest.fixture
def database_url(templates: Templates) -> Iterator[str]:
    """A fresh, migrated, empty database."""
    yield from _database(templates, "empty")


@pytest.fixture
def demo_database_url(templates: Templates) -> Iterator[str]:
    """A fresh database holding the demo seed data."""
    yield from _database(templates, "demo")


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


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def demo_client(demo_database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(demo_database_url, tmp_path))) as test_client:
        yield test_client


def login(client: TestClient, username: str, password: str | None = None) -> dict[str, str]:
    """Log in through the API; return the Authorization header."""
    response = client.post(
        "/api/v1/auth/token", data={"username": username, "password": password or f"demo-{username}"}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from api.config import Settings
from api.db import Database
from tests.conftest import app_client, login
from tests.databases import all_tables
from tests.factories import PASSWORD


@pytest.fixture
def world(settings: Settings) -> Iterator[TestClient]:
    with app_client(settings) as client:
        yield client


@pytest.fixture
def alice(world: TestClient) -> dict[str, str]:
    return login(world, "alice", PASSWORD)


def upload(client: TestClient, headers: dict[str, str], name: str, content: bytes, **params: object):
    return client.post("/api/v1/imports", params=params, files={"file": (name, content)}, headers=headers)


def snapshot(db: Database) -> str:
    """Every row of every table, and on SQLite the bytes of the database and its WAL file."""
    digest = hashlib.sha256()
    with db.engine.connect() as connection:
        for table in all_tables(db):
            digest.update(table.name.encode())
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
        if db.is_sqlite:
            path = Path(connection.execute(text("PRAGMA database_list")).all()[0][2])
            for file in (path, path.with_name(path.name + "-wal")):
                digest.update(file.read_bytes() if file.exists() else b"-")
    return digest.hexdigest()

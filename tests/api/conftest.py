from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from tests.conftest import app_client, login
from tests.factories import PASSWORD


@pytest.fixture
def world(settings: Settings) -> Iterator[TestClient]:
    """A client on the small world of tests.factories (two cities, staff, a viewer)."""
    with app_client(settings) as client:
        yield client


@pytest.fixture
def as_user(world: TestClient):
    """Headers of a logged-in user of the small world: as_user('alice')."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            cache[username] = login(world, username, PASSWORD)
        return cache[username]

    return headers

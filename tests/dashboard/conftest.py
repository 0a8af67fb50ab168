from __future__ import annotations

import pytest


@pytest.fixture
def backend() -> str:
    """Dashboard tests run on SQLite only: pages reach the database only through the services
    (dashboard/data), and the services run on both databases in the API and ingest tests."""
    return "sqlite"

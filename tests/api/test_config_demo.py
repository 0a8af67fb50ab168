"""The demo's whole set-up survives a round trip through the files, byte for byte."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.api.test_config import round_trip
from tests.conftest import login


@pytest.fixture
def backend() -> str:
    """The demo is large; the round trip's rules run on both databases with the small world in test_config.py."""
    return "sqlite"


def test_the_demo_set_up_loaded_into_an_empty_database_exports_the_same_bytes(demo_client, empty_database_url):
    first = demo_client.get("/api/v1/config.zip", headers=login(demo_client, "admin", "demo-admin")).content
    second = round_trip(first, empty_database_url)
    assert second == first
    organisations = zipfile.ZipFile(io.BytesIO(first)).read("organisations.csv")
    assert b"\nBACKBONE,Backbone office (demo),backbone,,true\n" in organisations  # the demo, not an empty set-up

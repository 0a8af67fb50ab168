"""Size, line and row limits are enforced while the upload streams in; nothing is kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.conftest import login
from tests.factories import PASSWORD
from tests.ingest.conftest import upload

BOUNDARY = "----backbone-test-boundary"
HEADER = b"indicator,area,period,value\n"


@pytest.fixture
def limited(settings, db, world):
    """A client with small limits (the world fixture has set up the data)."""
    small = settings.model_copy(update={"max_upload_bytes": 100_000, "max_line_bytes": 1_000, "max_import_rows": 50})
    with TestClient(create_app(small)) as client:
        yield client, login(client, "alice", PASSWORD), small


def multipart(chunks: Iterator[bytes], filename: str = "big.csv") -> Iterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    yield from chunks
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def rows(count: int) -> Iterator[bytes]:
    yield HEADER
    for n in range(count):
        yield f"rate,A1,{1900 + n % 200},{n % 100}\n".encode()


def no_spooled_files(settings) -> bool:
    return not settings.upload_dir.exists() or not any(settings.upload_dir.iterdir())


def test_a_streamed_upload_over_the_limit_is_refused_with_413(limited):
    client, headers, small = limited
    response = client.post(
        "/api/v1/imports",
        content=multipart(rows(100_000)),  # about 2 MB, streamed without a Content-Length
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert no_spooled_files(small)


def test_a_declared_length_over_the_limit_is_refused_before_reading(limited):
    client, headers, _ = limited
    response = client.post(
        "/api/v1/imports",
        content=b"x" * 10,
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Content-Length": "999999999"},
    )
    assert response.status_code == 413


def test_a_line_longer_than_the_limit_is_rejected_with_its_row(limited):
    client, headers, small = limited
    content = HEADER + b"rate,A1,2020,5\n" + b"rate,A1,2021,5," + b"x" * 2_000 + b"\n"
    response = upload(client, headers, "long.csv", content)
    assert response.status_code == 422
    assert [(e["code"], e["row"]) for e in response.json()["errors"]] == [("line_too_long", 3)]
    assert no_spooled_files(small)


def test_more_rows_than_the_limit_is_413(limited):
    client, headers, _ = limited
    response = upload(client, headers, "many.csv", b"".join(rows(60)))
    assert response.status_code == 413 and response.json()["code"] == "too_many_rows"


def test_only_multipart_with_a_file_is_accepted(world, alice):
    not_multipart = world.post(
        "/api/v1/imports", content=b"indicator,area\n", headers={**alice, "Content-Type": "text/csv"}
    )
    assert not_multipart.status_code == 415
    no_file = world.post("/api/v1/imports", data={"other": "field"}, files={"x": ("a.csv", b"a")}, headers=alice)
    assert no_file.status_code == 422 and no_file.json()["code"] == "no_file"


def test_anonymous_and_viewers_cannot_import(world):
    assert upload(world, {}, "a.csv", b"indicator,area,period,value\n").status_code == 401
    viewer = login(world, "viewer", PASSWORD)
    assert upload(world, viewer, "a.csv", b"indicator,area,period,value\n").status_code == 403

"""Against a real server process: concurrent imports, kill -9 in the middle of one, a huge upload."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from api.db import Database
from api.models import Observation
from bench.world import PASSWORD, build_world, rows_per_district, write_file
from tests.server import running_server


def _token(server_url: str, username: str) -> dict[str, str]:
    response = httpx.post(f"{server_url}/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _post(server_url: str, headers: dict[str, str], path: Path, timeout: float = 300) -> httpx.Response:
    with path.open("rb") as handle:
        return httpx.post(
            f"{server_url}/api/v1/imports", files={"file": (path.name, handle)}, headers=headers, timeout=timeout
        )


def _count(db: Database) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(Observation)).one()[0]


def _send_until_accepted(url: str, headers: dict[str, str], path: Path, barrier: threading.Barrier) -> httpx.Response:
    barrier.wait()
    response = _post(url, headers, path)
    while response.status_code == 409 and response.json()["retryable"]:
        time.sleep(float(response.headers.get("retry-after", "1")))
        response = _post(url, headers, path)
    return response


def test_two_members_importing_at_once_both_succeed_or_get_a_retryable_409(database_url, tmp_path):
    db = Database(database_url)
    build_world(db, areas=100, organisations=2)
    files = [tmp_path / "member0.csv", tmp_path / "member1.csv"]
    for member, path in enumerate(files):
        write_file(path, range(member, 100, 2), seed=member)  # each member's own 50 districts: 20,000 rows
    with running_server(database_url, tmp_path) as server, ThreadPoolExecutor(2) as pool:
        headers = [_token(server.url, f"member{k}") for k in (0, 1)]
        for _ in range(2):  # the second round re-imports: all unchanged
            barrier = threading.Barrier(2)
            futures = [pool.submit(_send_until_accepted, server.url, headers[k], files[k], barrier) for k in (0, 1)]
            responses = [future.result() for future in futures]
            assert [r.status_code for r in responses] == [200, 200], [r.text[:300] for r in responses]
            assert sum(r.json()["rows"] for r in responses) == 2 * 50 * rows_per_district()
    assert _count(db) == 2 * 50 * rows_per_district()  # nothing lost
    db.dispose()


def _post_ignoring_errors(url: str, headers: dict[str, str], path: Path) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the server is killed under the request
        _post(url, headers, path)


def test_kill_9_during_an_import_leaves_all_or_nothing(database_url, tmp_path):
    """Kill the server at several moments of a 100,000-row import: each time the whole file or nothing."""
    districts = 100_000 // rows_per_district()
    db = Database(database_url)
    build_world(db, areas=districts)
    db.dispose()
    path = tmp_path / "big.csv"
    rows = write_file(path, range(districts), seed=7)
    for delay in (0.2, 0.6, 1.0, 1.6):
        with running_server(database_url, tmp_path) as server:
            sender = threading.Thread(
                target=_post_ignoring_errors, args=(server.url, _token(server.url, "member0"), path), daemon=True
            )
            sender.start()
            time.sleep(delay)
            server.kill()
            sender.join(timeout=30)
        stored = _reopen_count(database_url)
        assert stored in (0, rows), (delay, stored)
        if stored:
            _empty(database_url)


def _reopen_count(database_url: str) -> int:
    """Open the database afresh, as after a crash: it must be intact and consistent."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as con:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            return con.execute("SELECT count(*) FROM observation").fetchone()[0]
    db = Database(database_url)
    try:
        return _count(db)
    finally:
        db.dispose()


def _empty(database_url: str) -> None:
    db = Database(database_url)
    with db.transaction() as s:
        s.exec(Observation.__table__.delete())
    db.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])  # refused before the database is reached: once is enough
def test_a_1_gb_upload_is_refused_with_413_in_bounded_memory(database_url, tmp_path):
    db = Database(database_url)
    build_world(db, areas=1)
    db.dispose()
    line = b"ind0,WK000000,2020,50.0,1,2,,,\n"
    chunk = line * (1024 * 1024 // len(line))
    boundary = "backbone-boundary"

    def body():  # 1 GiB, generated as it is sent
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n\r\n'.encode()
        yield b"indicator,area,period,value,numerator,denominator,status,note,ses\n"
        for _ in range(1024):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    with running_server(database_url, tmp_path) as server:
        headers = {**_token(server.url, "member0"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
        baseline = server.peak_memory_kib()
        try:
            response = httpx.post(f"{server.url}/api/v1/imports", content=body(), headers=headers, timeout=300)
            status = response.status_code
        except httpx.HTTPError:
            status = None  # the server may close the connection once it has answered
        peak = server.peak_memory_kib()
        assert status in (413, None)
        follow_up = httpx.get(f"{server.url}/api/v1/health")
        assert follow_up.status_code == 200
    assert peak - baseline < 150 * 1024, f"the server grew by {(peak - baseline) // 1024} MiB"
    assert not any((tmp_path / "uploads").iterdir())

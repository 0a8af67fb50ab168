"""Several processes serving one alliance: what must be shared (the login throttle, held uploads) is, and SQLite
refuses more than one worker.

The throttle's counts live in the database on PostgreSQL (``services/accounts/throttle.StoredWindow``). Two real
``backbone serve`` processes on one database and one data directory stand for two workers, or two hosts behind a
load balancer with a shared volume: a failure counted by one refuses the login at the other, and a file checked
on one is confirmed on the other.
"""

from __future__ import annotations

import subprocess

import httpx
import pytest
from sqlmodel import select

from api.models import LoginEvent
from api.ratelimit import Rate
from api.services.accounts.throttle import StoredWindow
from tests.dashboard.callbacks import call, log_in
from tests.dashboard.test_entry_upload_callbacks import GOOD, drop, text
from tests.databases import PG_URL
from tests.server import BACKBONE, running_server


def test_the_stored_window_counts_in_the_database_and_keeps_no_name(db):
    now = [1000.0]
    window = StoredWindow(db, "failure", Rate(2, 60), secret=b"s" * 32, clock=lambda: now[0])
    window.add("10.0.0.1\nalice")
    now[0] += 10
    window.add("10.0.0.1\nalice")
    assert window.wait("10.0.0.1\nalice") == pytest.approx(50)
    assert window.wait("10.0.0.1\nbob") == 0
    # Another process (a window of its own on the same database) sees the same count.
    other = StoredWindow(db, "failure", Rate(2, 60), secret=b"s" * 32, clock=lambda: now[0])
    assert other.wait("10.0.0.1\nalice") == pytest.approx(50)
    with db.session() as session:
        keys = session.exec(select(LoginEvent.key)).all()
    assert len(keys) == 2 and all("alice" not in k and "10.0.0.1" not in k and len(k) == 64 for k in keys)
    now[0] += 50
    assert window.wait("10.0.0.1\nalice") == 0  # the oldest left the window
    window.add("10.0.0.1\nalice")
    with db.session() as session:  # the expired event went when the new one came
        assert [e.at for e in session.exec(select(LoginEvent)).all()] == [1010.0, 1060.0]
    other.reset("10.0.0.1\nalice")
    assert window.wait("10.0.0.1\nalice") == 0
    with db.session() as session:
        assert session.exec(select(LoginEvent)).all() == []


def test_several_workers_on_sqlite_are_refused_with_the_reason(tmp_path):
    env = {"BACKBONE_MODE": "development", "BACKBONE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def serve(workers: str) -> subprocess.CompletedProcess[str]:
        command = [BACKBONE, "serve", "--workers", workers]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    done = serve("2")
    assert done.returncode != 0 and "Several workers need PostgreSQL" in done.stderr
    for bad in ("0", "two"):
        done = serve(bad)
        assert done.returncode == 2 and f"'{bad}' is not a whole number of 1 or more" in done.stderr


@pytest.mark.skipif(PG_URL is None, reason="several workers serve from PostgreSQL")
def test_two_servers_on_one_database_share_the_login_throttle_and_held_uploads(templates, tmp_path):
    url = templates.fresh("demo", "postgresql")
    try:
        with (
            running_server(url, tmp_path, login_rate_limit="2/minute") as first,
            running_server(url, tmp_path, login_rate_limit="2/minute") as second,
        ):
            wrong = {"username": "admin", "password": "not-the-password"}
            for server in (first, second):  # one failure at each
                assert httpx.post(f"{server.url}/api/v1/auth/token", data=wrong).status_code == 401
            right = {"username": "admin", "password": "demo-admin"}
            refused = httpx.post(f"{first.url}/api/v1/auth/token", data=right)
            assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1

            with httpx.Client(base_url=first.url) as one, httpx.Client(base_url=second.url) as other:
                log_in(one, "kidsfirst")
                token = drop(one, GOOD)["upload-token.data"]  # checked and held by the first
                other.cookies = one.cookies  # the same browser, sent to the other process by the balancer
                done = call(other, [("upload-confirm", "n_clicks", 1)], [("upload-token", "data", token)])
                assert "Imported as submission" in text(done["upload-result.children"])
                again = call(one, [("upload-confirm", "n_clicks", 1)], [("upload-token", "data", token)])
                assert "Imported as submission" not in text(again["upload-result.children"])  # once only
            login = httpx.post(
                f"{second.url}/api/v1/auth/token", data={"username": "kidsfirst", "password": "demo-kidsfirst"}
            )
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            for server in (first, second):  # the value is in both processes' read models
                found = httpx.get(
                    f"{server.url}/api/v1/observations", params={"area": "GM0014", "period": "2026"}, headers=headers
                ).json()["items"]
                assert [o["value"] for o in found] == [61.5]
    finally:
        templates.drop(url)

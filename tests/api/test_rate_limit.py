"""Logins are throttled in process: failures per username and client, attempts per client; 429 says when to retry."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.ratelimit import LoginThrottle, Rate, SlidingWindow
from tests.api.test_error_shape import assert_error_shape
from tests.conftest import make_settings
from tests.dashboard.callbacks import call
from tests.factories import PASSWORD, small_world


@pytest.fixture
def backend() -> str:
    """The throttle counts in the process, not in the database: SQLite only."""
    return "sqlite"


@pytest.fixture
def strict(database_url, db, tmp_path):
    """The small world behind an app that allows 3 failures per username and 20 attempts per client a minute."""
    small_world(db)
    settings = make_settings(database_url, tmp_path, login_rate_limit="3/minute", login_client_rate_limit="20/minute")
    with TestClient(create_app(settings)) as client:
        yield client


def attempt(client: TestClient, username: str = "alice", password: str = "not-the-password"):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_rates_are_read_from_settings_text():
    assert Rate.parse("10/minute") == Rate(10, 60)
    assert Rate.parse(" 100 / 5 minutes ") == Rate(100, 300)
    assert Rate.parse("2/Hour") == Rate(2, 3600)
    for bad in ("ten/minute", "10", "0/minute", "10/0minutes", "10/fortnight"):
        with pytest.raises(ValueError, match="not a rate"):
            Rate.parse(bad)


def test_a_bad_rate_setting_is_refused_at_start(database_url, tmp_path):
    with pytest.raises(ValueError, match=r"BACKBONE|not a rate"):
        make_settings(database_url, tmp_path, login_rate_limit="lots")


def test_sliding_window_frees_a_slot_when_the_oldest_event_leaves_it():
    now = [1000.0]
    window = SlidingWindow(Rate(2, 60), clock=lambda: now[0])
    window.add("k")
    now[0] += 10
    window.add("k")
    assert window.wait("k") == pytest.approx(50)
    assert window.wait("other") == 0
    now[0] += 50
    assert window.wait("k") == 0


def test_sliding_window_forgets_the_least_recent_keys_beyond_its_cap():
    window = SlidingWindow(Rate(1, 60), max_keys=3)
    for key in "abcd":
        window.add(key)
    assert window.wait("a") == 0 and window.wait("d") > 0


def test_repeated_failures_for_one_user_get_429_with_retry_after_and_the_error_shape(strict):
    for _ in range(3):
        assert attempt(strict).status_code == 401
    refused = attempt(strict)
    assert refused.status_code == 429
    assert_error_shape(refused)
    assert refused.json()["code"] == "too_many_requests" and refused.json()["retryable"] is True
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # Even the right password waits: the point is to stop guessing.
    assert attempt(strict, password=PASSWORD).status_code == 429
    # Another user from the same client is not locked out by alice's failures.
    assert attempt(strict, "bob", PASSWORD).status_code == 200


def test_the_password_is_not_checked_while_throttled(strict, monkeypatch):
    for _ in range(3):
        attempt(strict)
    checked = []
    monkeypatch.setattr("api.services.accounts.auth.verify_password", lambda *a: checked.append(a) or False)
    monkeypatch.setattr("api.security.verify_password", lambda *a: checked.append(a) or False)
    assert attempt(strict).status_code == 429
    assert checked == []  # no Argon2 work for a throttled client


def test_a_success_clears_the_failures_of_that_user(strict):
    for _ in range(2):
        attempt(strict)
    assert attempt(strict, password=PASSWORD).status_code == 200
    for _ in range(2):
        assert attempt(strict).status_code == 401  # counting starts again


def test_failures_count_per_client_address(database_url, db, tmp_path):
    small_world(db)
    settings = make_settings(database_url, tmp_path, login_rate_limit="2/minute")
    app = create_app(settings)
    with TestClient(app, client=("10.0.0.1", 5000)) as first, TestClient(app, client=("10.0.0.2", 5000)) as second:
        for _ in range(2):
            attempt(first)
        assert attempt(first).status_code == 429
        assert attempt(second, password=PASSWORD).status_code == 200


def test_a_client_trying_many_usernames_is_throttled(strict):
    statuses = [attempt(strict, f"user{n}").status_code for n in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


def test_dashboard_login_shares_the_throttle_and_says_so_on_the_form(database_url, db, tmp_path):
    small_world(db)
    settings = make_settings(database_url, tmp_path, login_rate_limit="2/minute")
    with TestClient(create_app(settings)) as client:
        client.get("/dashboard/login")
        form = {"username": "alice", "password": "wrong-password", "csrf": client.cookies["bb_csrf"]}
        for _ in range(2):
            location = client.post("/dashboard/auth/login", data=form, follow_redirects=False).headers["location"]
            assert "error=invalid" in location
        location = client.post("/dashboard/auth/login", data=form, follow_redirects=False).headers["location"]
        assert "error=throttled" in location
        assert attempt(client, password=PASSWORD).status_code == 429  # the API knows too
        answer = call(
            client,
            [("_pages_location", "pathname", "/dashboard/login"), ("_pages_location", "search", "?error=throttled")],
        )
        assert "Too many failed attempts" in str(answer["_pages_content.children"])


def test_the_suite_default_is_generous_enough_for_many_logins(world):
    # The default limits count failures, so a test suite logging in often from one client is not throttled.
    for _ in range(30):
        assert attempt(world, password=PASSWORD).status_code == 200


def test_throttle_unit_counts_attempts_before_failures():
    throttle = LoginThrottle.in_process(failures=Rate(5, 60), attempts=Rate(2, 60))
    throttle.check(client="c", username="u")
    throttle.check(client="c", username="v")
    with pytest.raises(Exception, match="Too many"):
        throttle.check(client="c", username="w")


def test_openapi_documents_429_on_the_login_route(world):
    operation = world.get("/openapi.json").json()["paths"]["/api/v1/auth/token"]["post"]
    assert "429" in operation["responses"]


def test_ipv6_clients_count_by_their_64_network():
    from types import SimpleNamespace

    from api.ratelimit import client_address

    def of(host: str) -> str:
        return client_address(SimpleNamespace(client=SimpleNamespace(host=host)))

    assert of("2001:db8:1:2::1") == of("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert of("2001:db8:1:3::1") != of("2001:db8:1:2::1")
    assert of("192.0.2.4") == "192.0.2.4" and of("testclient") == "testclient"
    assert client_address(SimpleNamespace(client=None)) == "unknown"

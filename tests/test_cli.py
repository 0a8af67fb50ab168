"""The `backbone` command as outside tools use it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from api.db import Database
from api.models import User
from api.security import verify_password
from tests.factories import organisation, setup

BACKBONE = str(Path(sys.executable).parent / "backbone")


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BACKBONE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("command", [[], ["demo"], ["serve"], ["init-db"], ["create-user"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0 and "usage: backbone" in result.stdout


def test_init_db_creates_an_up_to_date_database(tmp_path):
    result = run(
        "init-db", env={"BACKBONE_MODE": "development", "BACKBONE_DATA_DIR": str(tmp_path), "BACKBONE_DATABASE_URL": ""}
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "backbone.db").exists() and "up to date" in result.stdout


def test_create_user_hashes_the_password_and_refuses_weak_ones(database_url, tmp_path):
    db = Database(database_url)
    with setup(db) as s:
        organisation(s, "CITY-A")
    env = {"BACKBONE_MODE": "development", "BACKBONE_DATABASE_URL": database_url}
    weak = run(
        "create-user",
        "carol",
        "--role",
        "member",
        "--organisation",
        "CITY-A",
        "--password-stdin",
        env=env,
        stdin="short\n",
    )
    assert weak.returncode != 0 and "at least 12 characters" in weak.stderr
    made = run(
        "create-user",
        "Carol",
        "--role",
        "member",
        "--organisation",
        "CITY-A",
        "--full-name",
        "Carol C",
        "--password-stdin",
        env=env,
        stdin="a-long-enough-passphrase\n",
    )
    assert made.returncode == 0, made.stderr
    with db.session() as s:
        user = s.exec(select(User).where(User.username == "carol")).one()
    assert user.password_hash.startswith("$argon2") and verify_password("a-long-enough-passphrase", user.password_hash)
    unknown = run(
        "create-user",
        "dave",
        "--role",
        "member",
        "--organisation",
        "NOPE",
        "--password-stdin",
        env=env,
        stdin="a-long-enough-passphrase\n",
    )
    assert unknown.returncode != 0 and "NOPE" in unknown.stderr
    db.dispose()


def test_serve_refuses_a_default_secret_outside_demo_mode(tmp_path):
    result = run(
        "serve",
        "--port",
        "1",
        env={"BACKBONE_MODE": "production", "BACKBONE_SECRET_KEY": "", "BACKBONE_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode != 0 and "BACKBONE_SECRET_KEY" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(bool(os.environ.get("BACKBONE_TEST_DATABASE_URL")), reason="the demo always uses SQLite")
def test_demo_builds_a_fresh_database_and_serves_it(tmp_path):
    port = _free_port()
    (tmp_path / "backbone.db").write_text("an old file the demo must replace")
    process = subprocess.Popen(
        [BACKBONE, "demo", "--port", str(port), "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "the demo did not come up"
            time.sleep(0.3)
        for path in ("/docs", "/dashboard/", "/api/v1/goals"):
            assert httpx.get(base + path, timeout=10).status_code == 200, path
        progress = httpx.get(f"{base}/api/v1/progress", params={"area": "GM0014"}, timeout=10).json()
        assert progress["items"] and progress["items"][0]["indicators"]
    finally:
        process.terminate()
        process.wait(timeout=20)

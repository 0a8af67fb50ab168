"""The `backbone` command as outside tools use it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import func, select

from api.db import Database
from api.migrate import upgrade
from api.models import Area, Observation, Organisation, User
from api.security import verify_password
from tests.factories import organisation, setup, small_world

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


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["demo"],
        ["serve"],
        ["init-db"],
        ["create-user"],
        ["config"],
        ["config", "load"],
        ["mapping", "check"],
        ["quality", "check"],
    ],
)
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


def test_serve_on_an_empty_database_prints_the_first_admins_one_time_link(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "BACKBONE_MODE": "development",
        "BACKBONE_DATA_DIR": str(tmp_path),
        "BACKBONE_DATABASE_URL": "",
    }
    process = subprocess.Popen(
        [BACKBONE, "serve", "--port", str(port), "--public-url", "https://backbone.example.org"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        lines = iter(process.stdout.readline, "")
        link = next(line.strip() for line in lines if "/dashboard/invitation/" in line)
        assert link.startswith("https://backbone.example.org/dashboard/invitation/")
        token = link.rsplit("/", 1)[1]
        base = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 60
        while True:
            try:
                whom = httpx.get(f"{base}/auth/invitations/{token}", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.3)
        assert whom.status_code == 200 and whom.json()["username"] == "admin"
        set_password = httpx.post(f"{base}/auth/invitations/{token}", json={"password": "lantern-harbour-meadow-41"})
        assert set_password.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)


def _import_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"BACKBONE_MODE": "development", "BACKBONE_DATABASE_URL": database_url, "BACKBONE_DATA_DIR": str(tmp_path)}


def test_import_runs_the_upload_pipeline_and_prints_the_summary(database_url, tmp_path):
    db = Database(database_url)
    small_world(db)
    good = tmp_path / "good.csv"
    good.write_text("indicator;area;period;value\nrate;A1;2024;62,5\ncount;A1;2024;17\n")
    env = _import_env(database_url, tmp_path)
    dry = run("import", str(good), "--as", "alice", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["inserted"] == 2
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Observation)).one() == 0
    done = run("import", str(good), "--as", "alice", env=env)
    summary = json.loads(done.stdout)
    assert done.returncode == 0 and summary["inserted"] == 2 and summary["submission"]
    assert "reading" in done.stderr and "writing" in done.stderr
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Observation)).one() == 2
    db.dispose()


def test_import_of_a_broken_file_prints_the_errors_and_exits_1(database_url, tmp_path):
    db = Database(database_url)
    small_world(db)
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,area,period,value\nrate,A1,2024,140\nrate,B1,2024,50\n")
    result = run("import", str(bad), "--as", "alice", env=_import_env(database_url, tmp_path))
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert body["status"] == 403 and {(e["row"], e["code"]) for e in body["errors"]} == {
        (2, "value_out_of_range"),
        (3, "not_assigned"),
    }
    db.dispose()


def test_import_without_as_gives_each_row_to_its_assigned_organisation(database_url, tmp_path):
    db = Database(database_url)
    small_world(db)
    both = tmp_path / "both.csv"
    both.write_text("indicator,area,period,value\nrate,A1,2024,60\nrate,B1,2024,50\n")
    result = run("import", str(both), env=_import_env(database_url, tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(json.loads(result.stdout)["submissions"]) == 2
    with db.session() as s:
        reporters = s.exec(
            select(Area.code, Organisation.code)
            .join(Observation, Observation.area_id == Area.id)
            .join(Organisation, Organisation.id == Observation.organisation_id)
        ).all()
    assert sorted(reporters) == [("A1", "CITY-A"), ("B1", "CITY-B")]
    unknown = run("import", str(both), "--as", "nobody", env=_import_env(database_url, tmp_path))
    assert unknown.returncode != 0 and "nobody" in unknown.stderr
    db.dispose()


SOURCES = Path(__file__).parent / "data" / "sources"
SEED_MAPPINGS = Path(__file__).parents[1] / "seed_data" / "mappings"


def test_mapping_check_prints_what_a_publishers_file_becomes_without_a_database(tmp_path):
    genesis = SOURCES / "genesis-21111-02-06-4-absolvierende-kreise.csv"
    mapping = str(SEED_MAPPINGS / "genesis-21111-02-06-4.yaml")
    result = run("mapping", "check", str(genesis), "--mapping", mapping, "--rows", "100")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "line,indicator,area,period,value,numerator,denominator,gender"
    assert "20,leavers-without-qualification,05913000,2022/23,560,,," in lines  # Dortmund, line 20 of the file
    assert "36 observations" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "code: x\nname: x\nindicator: a\narea: {column: Nope}\nperiod: '2024'\nmeasures: [{columns: '^Insgesamt'}]\n"
    )
    refused = run("mapping", "check", str(genesis), "--mapping", str(broken))
    assert refused.returncode != 0 and "Not mapped" in refused.stderr
    assert json.loads(refused.stdout)["errors"][0]["rule"] == "area.column"


def test_import_with_a_mapping_document_or_code(database_url, tmp_path):
    db = Database(database_url)
    small_world(db)
    wide = tmp_path / "wide.csv"
    wide.write_text("Gebied;Aantal 2023;Aantal 2024\nA1;10;12\nB1;7;<5\nZZ;1;1\n")
    mapping = tmp_path / "wide.yaml"
    mapping.write_text(
        "code: wide-counts\nname: Counts per year\nindicator: count\narea: {column: Gebied}\n"
        "period: {group: year}\nmeasures: [{columns: '^Aantal (?P<year>\\d{4})$'}]\nareas: assigned\n"
    )
    env = _import_env(database_url, tmp_path)
    done = run("import", str(wide), "--mapping", str(mapping), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["inserted"] == 4  # ZZ is no area of the alliance: left out
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Observation)).one() == 4
        assert s.exec(select(func.count()).select_from(Observation).where(Observation.is_suppressed)).one() == 1
    unknown = run("import", str(wide), "--mapping", "no-such-mapping", env=env)
    assert unknown.returncode == 1 and "no-such-mapping" in unknown.stdout
    db.dispose()


def test_quality_check_flags_what_is_stored(database_url, tmp_path):
    db = Database(database_url)
    small_world(db)
    history = tmp_path / "history.csv"
    history.write_text(
        "indicator,area,period,value\n"
        + "".join(f"count,A1,{2016 + k},{v}\n" for k, v in enumerate([100, 97, 104, 99, 102, 98, 103, 1000]))
    )
    env = _import_env(database_url, tmp_path)
    assert run("import", str(history), "--as", "alice", env=env).returncode == 0  # flagged on the way in
    again = run("quality", "check", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "0 flags opened, 0 closed, 1 standing (open or confirmed)"
    db.dispose()


def test_config_export_and_load_a_directory(tmp_path):
    # The command's own work, on SQLite (the loader runs on both databases in tests/api/test_config.py).
    database_url = f"sqlite:///{tmp_path / 'config.db'}"
    db = Database(database_url)
    upgrade(db.engine)
    small_world(db)
    env = _import_env(database_url, tmp_path)
    exported = run("config", "export", str(tmp_path / "setup"), env=env)
    assert exported.returncode == 0, exported.stderr
    areas = tmp_path / "setup" / "areas.csv"
    assert areas.read_text().splitlines()[0] == "code,name,level,parent,active" and "\nA1," in areas.read_text()
    areas.write_text(areas.read_text() + "A1-N,Noord,district,A1,true\n")
    dry = run("config", "load", str(tmp_path / "setup"), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["kinds"]["areas"] == {"created": 1, "updated": 0, "unchanged": 3}
    areas.write_text(areas.read_text() + "A1-Z,Zuid,galaxy,A1,true\n")
    refused = run("config", "load", str(tmp_path / "setup"), env=env)
    assert refused.returncode == 1 and "Not loaded" in refused.stderr
    (problem,) = json.loads(refused.stdout)["errors"]
    assert (problem["file"], problem["row"], problem["column"]) == ("areas.csv", 6, "level")
    with db.session() as s:
        assert s.exec(select(Area).where(Area.code == "A1-N")).first() is None
    db.dispose()

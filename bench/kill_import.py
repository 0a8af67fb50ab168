"""kill -9 of the server during a large import leaves the whole file or nothing.

Times one full upload of the file first, then kills the server at fractions of
that time during further uploads, and after each kill opens the database afresh:
it must pass an integrity check and hold either every row of the file or none.

Run: .venv/bin/python bench/kill_import.py [--rows 1000000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import text

from api.db import Database, guard_append_only, unguard_append_only
from api.migrate import upgrade
from bench.world import PASSWORD, build_world, rows_per_district, write_file
from tests.server import running_server


def upload(url: str, path: Path) -> httpx.Response:
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": "member0", "password": PASSWORD}).json()
    with path.open("rb") as handle:
        return httpx.post(
            f"{url}/api/v1/imports",
            files={"file": (path.name, handle)},
            headers={"Authorization": f"Bearer {token['access_token']}"},
            timeout=600,
        )


def stored(database_url: str) -> int:
    """Open the database as after a crash: check it, count the observations."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as con:
            check = con.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise SystemExit(f"integrity check failed: {check}")
            return con.execute("SELECT count(*) FROM observation").fetchone()[0]
    db = Database(database_url)
    with db.engine.connect() as con:
        count = con.execute(text("SELECT count(*) FROM observation")).scalar_one()
    db.dispose()
    return count


def empty(database_url: str) -> None:
    db = Database(database_url)
    with db.engine.begin() as con:
        # A scratch database: lift the append-only guard for the history, and put it back.
        unguard_append_only(con)
        con.execute(text("DELETE FROM observation_history"))
        con.execute(text("DELETE FROM observation"))
        guard_append_only(con)
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--fractions", default="0.2,0.4,0.6,0.8,0.95", help="kill times, as shares of a full upload")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="backbone-kill-"))
    url = args.database_url or f"sqlite:///{workdir / 'backbone.db'}"
    db = Database(url)
    upgrade(db.engine)
    districts = max(1, args.rows // rows_per_district())
    build_world(db, districts)
    db.dispose()
    path = workdir / "observations.csv"
    rows = write_file(path, range(districts), seed=3)
    print(f"{rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) into {url.split(':')[0]}")

    with running_server(url, workdir, max_import_rows="10000000") as server:
        started = time.perf_counter()
        response = upload(server.url, path)
        full = time.perf_counter() - started
    assert response.status_code == 200, response.text
    print(f"a full upload and import takes {full:.1f} s; {stored(url):,} rows stored")
    empty(url)

    failures = 0
    for fraction in (float(f) for f in args.fractions.split(",")):
        with running_server(url, workdir, max_import_rows="10000000") as server:
            sender = threading.Thread(target=upload_until_killed, args=(server.url, path), daemon=True)
            sender.start()
            time.sleep(full * fraction)
            server.kill()
            sender.join(timeout=60)
        count = stored(url)
        outcome = "whole file" if count == rows else "nothing" if count == 0 else f"PARTIAL: {count:,} rows"
        failures += count not in (0, rows)
        print(f"kill -9 after {full * fraction:5.1f} s ({fraction:.0%}): integrity ok, {outcome}")
        if count:
            empty(url)
    raise SystemExit(1 if failures else 0)


def upload_until_killed(url: str, path: Path) -> None:
    with contextlib.suppress(httpx.HTTPError):
        upload(url, path)


if __name__ == "__main__":
    main()

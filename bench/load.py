"""Load test: readers and writers at once against `backbone serve` on 127.0.0.1, with 1 and with 2 workers.

A generated alliance (``bench/world``: rates with SES groups, one member per writer) in a PostgreSQL
database of its own is served by ``backbone serve --workers N``. For a fixed time, reader threads ask
what the pages ask (the progress of one area, the whole overview's first page, an indicator's league)
and writer threads save values as members do (a form's save of one value: ``PUT /observations``; an
upload of 20 rows: ``POST /imports``), each writer on keys of its own, and now and then asks for the area's
progress until a saved value is in it (how long after the save). One more thread goes through the approval
of reports: each member submits its report for a period of its own, and the staff approve it. It prints,
per kind of request, the throughput and the 50th, 95th and 99th percentile of the time to answer, the
errors, and the throughput with 2 workers as a ratio of that with 1. Then it checks that every
acknowledged write is in the database and in what the API reads (the read model), and that every
acknowledged approval is stored: nothing lost.

``--kill``: half way through, one worker gets SIGKILL. Requests in flight to it fail (counted as errors,
and the values they carried may or may not be stored: either is right, as they were never acknowledged);
the other worker keeps answering, uvicorn starts a new one, and no acknowledged write may be missing.

Run: .venv/bin/python bench/load.py [--seconds 20] [--readers 6] [--writers 2] [--workers 1,2] [--kill]
     [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bbload]   (the database is made afresh)
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api.config import Settings
from api.db import Database
from api.ingest.spool import spool_local_file
from api.migrate import upgrade
from api.readmodel import ReadModel
from api.services.imports.batches import import_file
from bench.world import INDICATORS, PASSWORD, build_world, rows_per_district, write_file
from tests.server import running_server

FORM_PERIOD, UPLOAD_PERIOD = "2030", "2031"  # the writers' own periods, apart from the generated years
REPORT_PERIODS = range(2040, 2400)  # periods whose reports are submitted and approved, one after another
Key = tuple[str, str, str]  # indicator, area, period (totals only)
VISIBLE = "saved value seen in /progress"


@dataclass
class Tally:
    """What one kind of request gave: how long each took, and what failed."""

    seconds: list[float] = field(default_factory=list)
    errors: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class Written:
    """A writer's values: the last one acknowledged per key, and those sent without an answer."""

    acknowledged: dict[Key, tuple[int, int]] = field(default_factory=dict)
    uncertain: defaultdict[Key, set[tuple[int, int]]] = field(default_factory=lambda: defaultdict(set))


def fresh_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def build(url: str, districts: int, members: int, workdir: Path) -> None:
    """The world and its generated values, imported as a member would."""
    fresh_database(url)
    db = Database(url)
    upgrade(db.engine)
    build_world(db, districts, organisations=members)
    settings = Settings(mode="development", data_dir=workdir, database_url=url, max_import_rows=10_000_000)
    path = workdir / "observations.csv"
    write_file(path, range(districts), seed=1)
    spooled = spool_local_file(path, settings.upload_dir, max_bytes=1 << 34, max_line_bytes=1 << 20)
    with db.transaction() as session:
        import_file(
            session=session,
            read_model=ReadModel(db),
            settings=settings,
            spooled=spooled,
            organisation_id=None,
            user_id=None,
        )
    spooled.remove()
    db.dispose()


def token(url: str, username: str) -> dict[str, str]:
    answer = httpx.post(f"{url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=60)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def timed(tally: Tally, call) -> httpx.Response | None:
    start = time.perf_counter()
    try:
        answer = call()
    except httpx.HTTPError as exc:
        tally.errors[type(exc).__name__] += 1
        return None
    if answer.status_code >= 400:
        try:
            code = answer.json().get("code", "")
        except ValueError:
            code = ""
        tally.errors[f"{answer.status_code} {code}".strip()] += 1
        return None
    tally.seconds.append(time.perf_counter() - start)
    return answer


def reader(url: str, headers: dict[str, str], districts: int, until: float, tallies: dict[str, Tally], seed: int):
    rng = random.Random(seed)
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        while time.monotonic() < until:
            kind = rng.choice(("progress (one area)", "overview (first page)", "league"))
            if kind == "progress (one area)":
                timed(
                    tallies[kind],
                    lambda: client.get("/api/v1/progress", params={"area": f"WK{rng.randrange(districts):06d}"}),
                )
            elif kind == "overview (first page)":
                timed(tallies[kind], lambda: client.get("/api/v1/progress", params={"limit": 20}))
            else:
                timed(tallies[kind], lambda: client.get(f"/api/v1/indicators/ind{rng.randrange(INDICATORS)}/league"))


def writer(
    url: str, member: int, members: int, districts: int, until: float, tallies: dict[str, Tally], written: Written
):
    rng = random.Random(member)
    mine = [d for d in range(districts) if d % members == member]

    def values(period: str, count: int) -> dict[Key, tuple[int, int]]:
        made: dict[Key, tuple[int, int]] = {}
        while len(made) < count:
            denominator = rng.randint(100, 900)
            key = (f"ind{rng.randrange(INDICATORS)}", f"WK{rng.choice(mine):06d}", period)
            made[key] = (rng.randint(0, denominator), denominator)
        return made

    with httpx.Client(base_url=url, headers=token(url, f"member{member}"), timeout=120) as client:

        def save(sent: dict[Key, tuple[int, int]]) -> httpx.Response:  # the form's one value, as JSON
            items = [
                {"indicator": i, "area": a, "period": p, "numerator": n, "denominator": d}
                for (i, a, p), (n, d) in sent.items()
            ]
            return client.put("/api/v1/observations", json={"observations": items})

        def upload(sent: dict[Key, tuple[int, int]]) -> httpx.Response:  # a file of several
            lines = "".join(f"{i},{a},{p},,{n},{d}\n" for (i, a, p), (n, d) in sent.items())
            body = "indicator,area,period,value,numerator,denominator\n" + lines
            return client.post("/api/v1/imports", files={"file": ("values.csv", body)})

        while time.monotonic() < until:
            if rng.random() < 0.8:
                kind, sent, send = "form save (1 value)", values(FORM_PERIOD, 1), save
            else:
                kind, sent, send = "upload (20 values)", values(UPLOAD_PERIOD, 20), upload
            answer = timed(tallies[kind], lambda send=send, sent=sent: send(sent))
            for key, value in sent.items():
                if answer is not None:
                    written.acknowledged[key] = value
                    written.uncertain.pop(key, None)
                else:
                    written.uncertain[key].add(value)
            if answer is not None and send is save and rng.random() < 0.3:
                ((key, value),) = sent.items()
                seen(client, key, value, tallies[VISIBLE])


def approver(url: str, members: int, until: float, tallies: dict[str, Tally], approved: set[tuple[str, str]]):
    """Each member submits its report for a period, and the staff approve it: the review's two writes."""
    staff = httpx.Client(base_url=url, headers=token(url, "staff"), timeout=120)
    reporters = [httpx.Client(base_url=url, headers=token(url, f"member{k}"), timeout=120) for k in range(members)]
    try:
        for period in map(str, REPORT_PERIODS):
            for k, reporter in enumerate(reporters):
                if time.monotonic() >= until:
                    return
                submit, approve = f"/api/v1/reports/{period}/submit", f"/api/v1/reports/MEMBER{k}/{period}/approve"
                if timed(tallies["report submitted"], lambda r=reporter, path=submit: r.post(path)) and timed(
                    tallies["report approved"], lambda path=approve: staff.post(path, json={})
                ):
                    approved.add((f"MEMBER{k}", period))
    finally:
        for client in (staff, *reporters):
            client.close()


def seen(client: httpx.Client, key: Key, value: tuple[int, int], tally: Tally) -> None:
    """How long after its save was acknowledged a value is in its area's progress (asked until it is, up to 10 s)."""
    indicator, area, period = key
    start = time.perf_counter()
    while time.perf_counter() - start < 10:
        answer = client.get("/api/v1/progress", params={"area": area})
        if answer.status_code == 200:
            latest = [e["latest"] for i in answer.json()["items"] for e in i["indicators"] if e["code"] == indicator]
            shown = latest[0] if latest else None
            # as stored: to a tenth
            if shown and shown["period"] == period and abs(shown["value"] - 100 * value[0] / value[1]) <= 0.051:
                tally.seconds.append(time.perf_counter() - start)
                return
    tally.errors["not seen in 10 s"] += 1


def workers_of(server_pid: int) -> list[int]:
    """The uvicorn worker processes under a server (not multiprocessing's resource tracker)."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def stored(
    url: str, database_url: str, members: list[dict[str, str]]
) -> tuple[dict[Key, tuple[int, int]], dict[Key, tuple[int, int]]]:
    """The writers' periods' totals in the database, and as the API (the read model) lists them to their members."""
    rows = query(
        database_url,
        "SELECT i.code, a.code, o.period, o.numerator, o.denominator FROM observation o "
        "JOIN indicator i ON i.id = o.indicator_id JOIN area a ON a.id = o.area_id "
        "WHERE o.period IN (:form, :upload) AND o.breakdown = ''",
        form=FORM_PERIOD,
        upload=UPLOAD_PERIOD,
    )
    in_database = {(i, a, p): (int(n), int(d)) for i, a, p, n, d in rows}
    listed: dict[Key, tuple[int, int]] = {}
    for headers, period in ((h, p) for h in members for p in (FORM_PERIOD, UPLOAD_PERIOD)):
        offset, total = 0, 1
        while offset < total:
            params: dict[str, str | int] = {"period": period, "limit": 1000, "offset": offset}
            page = httpx.get(f"{url}/api/v1/observations", params=params, headers=headers, timeout=120).json()
            for o in page["items"]:
                if not o["breakdown"] and o["numerator"] is not None:  # a member sees its own values whole
                    listed[(o["indicator"], o["area"], o["period"])] = (int(o["numerator"]), int(o["denominator"]))
            offset, total = offset + 1000, page["total"]
    return in_database, listed


def lost(written: list[Written], found: dict[Key, tuple[int, int]]) -> list[Key]:
    """Acknowledged writes not as acknowledged (a later unanswered write to the same key may have landed)."""
    missing = []
    for w in written:
        for key, value in w.acknowledged.items():
            if found.get(key) != value and found.get(key) not in w.uncertain.get(key, set()):
                missing.append(key)
    return missing


def query(database_url: str, sql: str, **params: object) -> list[Any]:
    """Rows straight from the database, as the check at the end reads what was stored."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text(sql), params).all()
    engine.dispose()
    return list(rows)


def approvals_stored(database_url: str) -> set[tuple[str, str]]:
    return {
        (code, period)
        for code, period in query(
            database_url,
            "SELECT o.code, r.period FROM period_report r JOIN organisation o ON o.id = r.organisation_id "
            "WHERE r.status = 'approved'",
        )
    }


def run(args: argparse.Namespace, workers: int, workdir: Path) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    written = [Written() for _ in range(args.writers)]
    approved: set[tuple[str, str]] = set()
    with running_server(
        args.database_url, workdir, workers=str(workers), login_client_rate_limit="10000/minute"
    ) as server:
        members = [token(server.url, f"member{k}") for k in range(args.writers)]
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=reader, args=(server.url, members[n % len(members)], args.districts, until, tallies, n)
            )
            for n in range(args.readers)
        ]
        threads += [
            threading.Thread(
                target=writer, args=(server.url, k, args.writers, args.districts, until, tallies, written[k])
            )
            for k in range(args.writers)
        ]
        threads.append(threading.Thread(target=approver, args=(server.url, args.writers, until, tallies, approved)))
        for thread in threads:
            thread.start()
        if args.kill:
            time.sleep(args.seconds / 2)
            victims = workers_of(server.process.pid)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                print(f"  killed worker {victims[0]} of {len(victims)} at {args.seconds / 2:.0f} s")
        for thread in threads:
            thread.join()
        in_database, listed = stored(server.url, args.database_url, members)
    acknowledged = sum(len(w.acknowledged) for w in written)
    gone_db, gone_api = lost(written, in_database), lost(written, listed)
    gone_approvals = approved - approvals_stored(args.database_url)
    print(f"  {acknowledged} keys acknowledged; lost in the database: {len(gone_db)}, in the API: {len(gone_api)}")
    print(f"  {len(approved)} approvals acknowledged; lost: {len(gone_approvals)}")
    if gone_db or gone_api or gone_approvals:
        raise SystemExit(f"acknowledged writes lost: {(gone_db or gone_api or sorted(gone_approvals))[:5]}")
    return tallies


def report(workers: int, seconds: float, tallies: dict[str, Tally]) -> float:
    print(f"\n{workers} worker(s)")
    print(f"  {'kind':<34} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  errors")
    total = 0.0
    for kind in sorted(tallies):
        tally = tallies[kind]
        rate = len(tally.seconds) / seconds
        total += 0 if kind == VISIBLE else rate  # a wait measured, not a request answered
        cuts = statistics.quantiles(tally.seconds, n=100) if len(tally.seconds) > 1 else [0.0] * 99
        p50, p95, p99 = (1000 * cuts[k - 1] for k in (50, 95, 99))
        errors = ", ".join(f"{k}: {v}" for k, v in tally.errors.items()) or "none"
        shown = "" if kind == VISIBLE else f"{rate:.1f}"
        print(f"  {kind:<34} {shown:>7} {p50:7.0f} {p95:7.0f} {p99:7.0f}  {errors}")
    print(f"  {'all requests':<34} {total:7.1f}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bbload")
    parser.add_argument("--districts", type=int, default=250, help="areas (each with 400 values: 100,000 by default)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--workers", default="1,2", help="the worker counts to compare, e.g. 1,2")
    parser.add_argument("--kill", action="store_true", help="SIGKILL one worker half way (with 2 or more)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="backbone-load-"))
    build(args.database_url, args.districts, args.writers, workdir)
    observations = args.districts * rows_per_district()
    print(f"{observations:,} observations; {args.readers} readers, {args.writers} writers, {args.seconds:.0f} s")
    totals = {}
    for workers in (int(n) for n in args.workers.split(",")):
        totals[workers] = report(workers, args.seconds, run(args, workers, workdir))
    if 1 in totals and len(totals) > 1:
        for workers, total in totals.items():
            if workers != 1:
                print(f"\nthroughput with {workers} workers: {total / totals[1]:.2f}x that with 1")


if __name__ == "__main__":
    main()

"""Start and warm reads at scale: `backbone serve` on the large alliance (`bench/large.py`, 9,990,000 observations).

On a copy of the large database, with a data directory of its own:
1. a first start, with no read model file kept yet: the seconds to /health, and to the first answers
   of one area's progress, the overview (every municipality's counts) and a league; resident memory;
2. the server stopped, a member's value written while it is down, and a restart on the kept file:
   the same figures;
3. warm reads on the restarted server: the overview once right after a member's save (its goal's counts
   worked out again), then one area's progress and the overview (median of ``--runs``), and how long
   after a member's save is acknowledged its value is in the area's progress;
4. the baseline, measured in the same run once the server has stopped: DuckDB opening the kept file
   and aggregating every observation (sum of values, numerators and denominators per indicator, area and
   period), the bare work under the overview. Each figure is printed with its ratio to it.

Run: .venv/bin/python bench/start.py [--rows 9990000] [--runs 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb
import httpx

from bench import large
from bench.browse import workdir
from tests.server import Server, running_server

AREA, INDICATOR, MEMBER = "05954036", "reading-standard", "witten"  # a demo town, one of its indicators, its member
PERIOD = "2025/26"


def token(client: httpx.Client, username: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", data={"username": username, "password": f"demo-{username}"})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def seconds(client: httpx.Client, path: str, **params: object) -> float:
    start = time.perf_counter()
    client.get(path, params=params).raise_for_status()
    return time.perf_counter() - start


def overview_seconds(client: httpx.Client) -> float:
    """The overview's data: every goal's counts for every municipality (the first 1,000 sent)."""
    return seconds(client, "/api/v1/progress/summary", level="municipality", limit=1000)


def first_answers(server: Server, client: httpx.Client) -> dict[str, float]:
    return {
        "/health": server.started_in,
        "first progress (one area)": seconds(client, "/api/v1/progress", area=AREA),
        "first overview (every municipality)": overview_seconds(client),
        "first league": seconds(client, f"/api/v1/indicators/{INDICATOR}/league"),
    }


def shown(client: httpx.Client) -> float | None:
    items = client.get("/api/v1/progress", params={"area": AREA}).json()["items"]
    latest = [e["latest"] for i in items for e in i["indicators"] if e["code"] == INDICATOR]
    return latest[0]["value"] if latest and latest[0] and latest[0]["period"] == PERIOD else None


def save(client: httpx.Client, headers: dict[str, str], value: float) -> None:
    body = {"observations": [{"indicator": INDICATOR, "area": AREA, "period": PERIOD, "value": value}]}
    client.put("/api/v1/observations", json=body, headers=headers).raise_for_status()


def visible_after_save(client: httpx.Client, headers: dict[str, str], runs: int) -> list[float]:
    """Seconds from a save's acknowledgement until /progress shows the value (asked until it does)."""
    found = []
    for n in range(runs):
        value = round(60 + n / 10, 1)
        save(client, headers, value)
        start = time.perf_counter()
        while shown(client) != value:
            if time.perf_counter() - start > 30:
                raise RuntimeError(f"{value} not in /progress after 30 s")
        found.append(time.perf_counter() - start)
    return found


def bare_aggregate(path: Path) -> float:
    """DuckDB opening the read model file and aggregating every observation: the bare work of an overview."""
    start = time.perf_counter()
    con = duckdb.connect(str(path), read_only=True)
    con.execute(
        "SELECT indicator_id, area_id, period, sum(value), sum(numerator), sum(denominator), count(*) "
        "FROM observation GROUP BY ALL"
    ).fetchall()
    con.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=9_990_000, help="observations (the seed loader takes up to 10,000,000 per file)"
    )
    parser.add_argument("--runs", type=int, default=20, help="warm requests per figure")
    parser.add_argument("--keep", type=Path, help="work directory to keep")
    args = parser.parse_args()
    source = large.build(args.rows, large.path(args.rows))
    with workdir(args.keep) as work:
        copy, data = work / "start.db", work / "data"
        shutil.copyfile(source, copy)  # the member's saves do not stay in the kept database
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        url, rows = f"sqlite:///{copy}", []
        with (
            running_server(url, data, start_seconds=3600) as server,
            httpx.Client(base_url=server.url, timeout=600) as client,
        ):
            cold = first_answers(server, client)
            cold_memory = server.memory_kib(), server.peak_memory_kib()
        print(f"{args.rows:,} observations asked for ({source.name})")
        with (
            running_server(url, data, start_seconds=3600) as server,
            httpx.Client(base_url=server.url, timeout=600) as client,
        ):
            warm = first_answers(server, client)
            headers = token(client, MEMBER)
            save(client, headers, 59.9)
            after_save = overview_seconds(client)
            progress = [seconds(client, "/api/v1/progress", area=AREA) for _ in range(args.runs)]
            overview = [overview_seconds(client) for _ in range(max(3, args.runs // 4))]
            visible = visible_after_save(client, headers, args.runs)
            memory = server.memory_kib(), server.peak_memory_kib()
        files = sorted((data / "readmodel").glob("readmodel-*.duckdb"))
        bare = statistics.median(bare_aggregate(files[0]) for _ in range(5))
        rows.append(("first start, no kept read model", cold, cold_memory))
        rows.append(("restart on the kept read model", warm, memory))
        print(f"baseline: DuckDB opens the kept file and aggregates every observation: {bare:.3f} s (median of 5)")
        for title, figures, (now, peak) in rows:
            print(f"\n== {title}")
            for name, value in figures.items():
                print(f"{name:<42} {value:8.3f} s {value / bare:8.1f}×")
            print(f"{'resident memory after / peak':<42} {now / 1024:6.0f} / {peak / 1024:.0f} MiB")
        print("\n== warm, on the restarted server (median; p95)")
        for name, values in (
            ("progress (one area)", progress),
            ("overview (every municipality)", overview),
            ("a saved value in /progress, after the save", visible),
        ):
            middle, p95 = statistics.median(values), statistics.quantiles(values, n=20)[-1]
            print(f"{name:<42} {middle * 1000:8.1f} ms {middle / bare:8.2f}× (p95 {p95 * 1000:.1f} ms)")
        print(f"{'overview, first after a save':<42} {after_save * 1000:8.1f} ms {after_save / bare:8.2f}×")


if __name__ == "__main__":
    main()

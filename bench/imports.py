"""Import benchmark: 1,000,000 observation rows, first import, a re-import with 10% changed, and one unchanged.

Prints rows per second and the ratio of Backbone's import time to baselines
measured in the same run on the same file:
  (a) DuckDB's own read_csv of the file into a table,
  (b) pandas.read_csv plus DataFrame.to_sql into SQLite, and
  (c) on PostgreSQL, its own COPY of the file into a table with a serial key and the file's
      unique key (indicator, area, period, breakdown): the floor of any import into it.
The unchanged re-import is also split into its steps (spool, stage, check, write), each against (a).

Run: .venv/bin/python bench/imports.py [--rows 1000000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from api.config import Settings
from api.db import Database, copy_file
from api.ingest.spool import spool_local_file
from api.readmodel import ReadModel
from api.services.imports.batches import import_file
from bench.world import fresh_world, rows_per_district, write_file


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def duckdb_baseline(path: Path) -> float:
    import duckdb

    con = duckdb.connect()
    seconds = timed(lambda: con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')"))
    con.close()
    return seconds


def pandas_baseline(path: Path, workdir: Path) -> float:
    import pandas as pd

    target = workdir / "pandas.db"

    def run() -> None:
        frame = pd.read_csv(path)
        with sqlite3.connect(target) as con:
            frame.to_sql("observation", con, if_exists="replace", index=False)

    return timed(run)


def postgresql_baseline(db: Database, path: Path) -> float:
    """PostgreSQL's own COPY of the file into a table with a serial key and the file's unique key, as a floor."""
    columns = "indicator, area, period, value, numerator, denominator, status, note, ses"

    def run() -> None:
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "CREATE TEMP TABLE raw (id serial PRIMARY KEY, indicator text, area text, period text,"
                " value double precision, numerator double precision, denominator double precision,"
                " status text, note text, ses text, UNIQUE (indicator, area, period, ses)) ON COMMIT DROP"
            )
            copy_file(connection, f"COPY raw ({columns}) FROM STDIN (FORMAT csv, HEADER true)", path)

    return timed(run)


def backbone_import(
    db: Database, model: ReadModel, settings: Settings, path: Path, steps: dict[str, float] | None = None
) -> tuple[float, object]:
    """Spool, parse, check and write the file, as the upload endpoint does, until committed.

    ``steps`` gets the seconds of each step, marked by the pipeline's progress reports: spool (the bytes
    to disk with their checksum), stage (the file read into DuckDB as text), check (every rule), write
    (the lock, the comparison with what is stored, the writes, the commit)."""
    result = {}
    marks: dict[str, float] = {}  # when each step began, in order (the first report of a stage marks it)

    def mark(stage: str, done: int, total: int | None) -> None:
        if step := {"checking": "check", "writing": "write"}.get(stage):
            marks.setdefault(step, time.perf_counter())

    def run() -> None:
        marks["spool"] = time.perf_counter()
        spooled = spool_local_file(
            path, settings.upload_dir, max_bytes=settings.max_upload_bytes, max_line_bytes=settings.max_line_bytes
        )
        marks["stage"] = time.perf_counter()
        try:
            with db.transaction() as session:
                result["summary"] = import_file(
                    session=session,
                    read_model=model,
                    settings=settings,
                    spooled=spooled,
                    organisation_id=1,
                    user_id=None,
                    progress=mark,
                )
            marks["end"] = time.perf_counter()
        finally:
            spooled.remove()

    seconds = timed(run)
    if steps is not None:
        steps.update({name: later - start for (name, start), (_, later) in itertools.pairwise(marks.items())})
    return seconds, result["summary"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="about this many rows (default 1,000,000)")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    args = parser.parse_args()
    areas = max(1, args.rows // rows_per_district())
    workdir, settings, db = fresh_world(args.database_url, areas)

    first, changed = workdir / "observations.csv", workdir / "observations-10pct-changed.csv"
    rows = write_file(first, range(areas), seed=1)
    write_file(changed, range(areas), seed=1, change=0.10)
    size = first.stat().st_size
    print(f"file: {rows:,} rows, {size / 1e6:.1f} MB; database: {db.url.get_backend_name()}")

    a = duckdb_baseline(first)
    b = pandas_baseline(first, workdir)
    c = postgresql_baseline(db, first) if db.url.get_backend_name() == "postgresql" else None
    model = ReadModel(db)  # the server's read model, loaded before the upload arrives
    model.sync()
    initial, summary1 = backbone_import(db, model, settings, first)
    catch_up1 = timed(model.sync)
    again, summary2 = backbone_import(db, model, settings, changed)
    catch_up2 = timed(model.sync)
    steps: dict[str, float] = {}
    same, summary3 = backbone_import(db, model, settings, changed, steps)

    def line(name: str, seconds: float) -> str:
        return (
            f"{name:<38} {seconds:7.2f} s {rows / seconds:>11,.0f} rows/s"
            f"   {seconds / a:6.1f}x (a)   {seconds / b:5.2f}x (b)" + (f"   {seconds / c:5.2f}x (c)" if c else "")
        )

    print(line("(a) DuckDB read_csv into a table", a))
    print(line("(b) pandas read_csv + to_sql SQLite", b))
    if c:
        print(line("(c) PostgreSQL COPY into a keyed table", c))
    print(line("Backbone import, empty database", initial))
    print(
        f"    {summary1.inserted:,} inserted, {summary1.updated:,} updated, {summary1.unchanged:,} unchanged;"
        f" read model catch-up afterwards {catch_up1:.2f} s"
    )
    print(line("Backbone re-import, 10% changed", again))
    print(
        f"    {summary2.inserted:,} inserted, {summary2.updated:,} updated, {summary2.unchanged:,} unchanged;"
        f" read model catch-up afterwards {catch_up2:.2f} s"
    )
    print(line("Backbone re-import, unchanged", same))
    print(f"    {summary3.unchanged:,} unchanged, {summary3.inserted + summary3.updated:,} changed")
    print(
        "    its steps: "
        + ", ".join(f"{name} {seconds:.2f} s = {seconds / a:.1f}x (a)" for name, seconds in steps.items())
    )
    print("ratios: time of the row divided by the time of each baseline; below 1 means faster")
    db.dispose()


if __name__ == "__main__":
    main()

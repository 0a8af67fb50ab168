"""A large alliance for the dashboard benchmark: the demo plus generated towns, to a million observations.

The demo's seed directory is copied and grown: generated regions ("Kreis 01", ...) in a
generated country, each with twenty towns and their primary schools. Each generated town
is a copy of one demo municipality (its observations, schools, targets and assignments
under new codes); its region's organisation reports for it. Everything then loads through
the demo's own seed loader, so the database is what the demo would be at that size.

Run: .venv/bin/python bench/large.py [--rows 1000000] [--out bench/out/large-<rows>.db]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.db import Database
from api.migrate import upgrade
from api.seed import SEED_DIR, load_seed

TOWNS_PER_REGION = 20
COUNTRY = "XL"
VERSION = "1"  # bump when the generated data changes, so cached databases are rebuilt


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _append(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerows(rows)


def grow_seed(target_rows: int, directory: Path) -> int:
    """Write the demo's seed files into ``directory``, grown to about ``target_rows`` observations."""
    shutil.copytree(SEED_DIR, directory, dirs_exist_ok=True)
    _, areas = _read(directory / "areas.csv")
    _, schools = _read(directory / "schools.csv")
    obs_header, observations = _read(directory / "observations.csv")
    _, targets = _read(directory / "targets.csv")
    _, assignments = _read(directory / "assignments.csv")
    towns = [a["code"] for a in areas if a["level"] == "municipality"]
    schools_of: dict[str, list[str]] = defaultdict(list)
    for school in schools:
        schools_of[school["parent"]].append(school["code"])
    rows_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    school_town = {s["code"]: s["parent"] for s in schools}
    for row in observations:
        rows_of[school_town.get(row["area"], row["area"])].append(row)

    total, clone = len(observations), 0
    new = defaultdict(list)
    while total < target_rows:
        region, place = divmod(clone, TOWNS_PER_REGION)
        source = towns[clone % len(towns)]
        region_code, town = f"{COUNTRY}{region + 1:02d}", f"{COUNTRY}{region + 1:02d}{place + 1:03d}"
        reporter = f"{region_code}-KREIS"
        if place == 0:
            new["areas"].append(
                {"code": region_code, "name": f"Kreis {region + 1:02d}", "level": "region", "parent": COUNTRY}
            )
            new["organisations"].append(
                {
                    "code": reporter,
                    "name": f"Kreis {region + 1:02d} (generated)",
                    "type": "region",
                    "signed_on": "2024-01-01",
                }
            )
        new["areas"].append(
            {
                "code": town,
                "name": f"Stadt {region + 1:02d}-{place + 1:03d}",
                "level": "municipality",
                "parent": region_code,
            }
        )
        renamed = {source: town}
        for n, school in enumerate(schools_of[source], start=1):
            renamed[school] = f"{town}-S{n:02d}"
            new["schools"].append(
                {"code": renamed[school], "name": f"Grundschule {n:02d} (generated)", "level": "school", "parent": town}
            )
        new["observations"] += [row | {"area": renamed[row["area"]]} for row in rows_of[source]]
        new["targets"] += [row | {"area": town} for row in targets if row["area"] == source]
        new["assignments"] += [
            row | {"area": renamed[row["area"]], "organisation": reporter}
            for row in assignments
            if row["area"] in renamed
        ]
        total += len(rows_of[source])
        clone += 1
    new["areas"].insert(0, {"code": COUNTRY, "name": "Benchmarkland", "level": "country", "parent": ""})
    for name, rows in new.items():
        header = obs_header if name == "observations" else _read(directory / f"{name}.csv")[0]
        _append(directory / f"{name}.csv", header, rows)
    return total


def path(rows: int) -> Path:
    """Where the database of ``rows`` observations is kept between runs."""
    return Path(__file__).parent / "out" / f"large-{rows}.db"


def build(target_rows: int, out: Path) -> Path:
    """A migrated SQLite database at ``out`` with about ``target_rows`` observations (kept between runs)."""
    stamp = out.with_suffix(f".v{VERSION}-{target_rows}.done")
    if out.exists() and stamp.exists():
        db = Database(f"sqlite:///{out}")
        upgrade(db.engine)  # kept from an earlier run: bring its schema up to date
        db.dispose()
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    for old in (out, *out.parent.glob(out.stem + ".v*.done")):
        old.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed"
        rows = grow_seed(target_rows, seed)
        db = Database(f"sqlite:///{out}")
        upgrade(db.engine)
        start = time.perf_counter()
        report = load_seed(db, Path(tmp) / "uploads", seed)
        db.dispose()
    print(
        f"built {out}: {report.observations:,} observations ({rows:,} rows generated), "
        f"{report.areas:,} areas, in {time.perf_counter() - start:.0f} s",
        file=sys.stderr,
    )
    stamp.touch()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, help="default: bench/out/large-<rows>.db")
    args = parser.parse_args()
    build(args.rows, args.out or path(args.rows))


if __name__ == "__main__":
    main()

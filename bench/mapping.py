"""Source mapping benchmark: a wide publisher's file against the same data in Backbone's long format.

The wide file has a row per district and indicator and a column per year, SES group and measure
(numerator, denominator), 1,000,000 cells by default; the long file holds the same observations,
one per row. Each is checked (a dry run: read, mapped for the wide one, every rule of the import
checked) and then imported into an empty database, the median of three runs each. Printed: the
times and the ratio wide / long, measured in the same run on the same machine.

Run: .venv/bin/python bench/mapping.py [--cells 1000000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete

from api.config import Settings
from api.db import Database
from api.ingest.spool import spool_local_file
from api.models import Observation, ObservationHistory
from api.models.mapping import MappingDocument
from api.readmodel import ReadModel
from api.services.imports.batches import import_file
from bench.world import INDICATORS, SES, YEARS, fresh_world

MAPPING = MappingDocument.model_validate(
    {
        "code": "bench-wide",
        "name": "Benchmark: a column per year, SES group and measure",
        "indicator": {"column": "Indicator"},
        "area": {"column": "Wijk"},
        "period": {"group": "year"},
        "breakdown": {
            "ses": {"group": "ses", "map": {"totaal": "", "laag": "low", "midden": "middle", "hoog": "high"}}
        },
        "measures": [
            {
                "columns": r"^(?P<measure>teller|noemer) (?P<year>\d{4}) (?P<ses>totaal|laag|midden|hoog)$",
                "measure": {"group": "measure", "map": {"teller": "numerator", "noemer": "denominator"}},
            }
        ],
    }
)
SES_NAMES = {"": "totaal", "low": "laag", "middle": "midden", "high": "hoog"}


def write_files(wide: Path, long: Path, districts: int) -> int:
    """The same observations twice: wide (publisher) and long (Backbone's format). Returns the cells."""
    rng = random.Random(7)
    keys = [(year, ses) for year in YEARS for ses in SES]
    cells = 0
    with (
        wide.open("w", newline="", encoding="utf-8") as w,
        long.open("w", newline="", encoding="utf-8") as lo,
    ):
        wide_out, long_out = csv.writer(w, delimiter=";"), csv.writer(lo)
        header = [f"{m} {year} {SES_NAMES[ses]}" for year, ses in keys for m in ("teller", "noemer")]
        wide_out.writerow(["Indicator", "Wijk", *header])
        long_out.writerow(["indicator", "area", "period", "value", "numerator", "denominator", "ses"])
        for i in range(INDICATORS):
            for d in range(districts):
                row: list[object] = [f"ind{i}", f"WK{d:06d}"]
                for year, ses in keys:
                    denominator = rng.randint(40, 900)
                    numerator = rng.randint(0, denominator)
                    row += [numerator, denominator]
                    long_out.writerow([f"ind{i}", f"WK{d:06d}", year, "", numerator, denominator, ses])
                wide_out.writerow(row)
                cells += 2 * len(keys)
    return cells


def run(
    db: Database, model: ReadModel, settings: Settings, path: Path, mapping: MappingDocument | None, dry: bool
) -> float:
    spooled = spool_local_file(path, settings.upload_dir, max_bytes=1 << 34, max_line_bytes=1 << 20)
    start = time.perf_counter()
    try:
        with db.transaction() as session:
            summary = import_file(
                session=session,
                read_model=model,
                settings=settings,
                spooled=spooled,
                organisation_id=1,
                user_id=None,
                dry_run=dry,
                mapping=mapping,
            )
    finally:
        spooled.remove()
    seconds = time.perf_counter() - start
    assert summary.rows > 0 and (dry or summary.inserted == summary.rows), summary
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", type=int, default=1_000_000, help="cells of the wide file (default 1,000,000)")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    per_row = 2 * len(YEARS) * len(SES)
    districts = max(1, args.cells // (per_row * INDICATORS))
    workdir, settings, db = fresh_world(args.database_url, districts)
    wide, long = workdir / "wide.csv", workdir / "long.csv"
    cells = write_files(wide, long, districts)
    rows, mb = INDICATORS * districts, wide.stat().st_size / 1e6
    print(
        f"wide: {cells:,} cells in {rows:,} rows x {per_row} columns, {mb:.1f} MB;"
        f" long: {cells // 2:,} rows, {long.stat().st_size / 1e6:.1f} MB; database: {db.url.get_backend_name()}"
    )
    model = ReadModel(db)
    model.sync()

    def empty() -> None:
        with db.transaction() as session:
            session.execute(delete(ObservationHistory))
            session.execute(delete(Observation))
        model.sync()

    results: dict[str, list[float]] = {}
    for _ in range(args.repeat):  # interleaved, so that a noisy moment hits both
        for name, path, mapping in (("long", long, None), ("wide", wide, MAPPING)):
            results.setdefault(f"{name} check", []).append(run(db, model, settings, path, mapping, dry=True))
            empty()
            results.setdefault(f"{name} import", []).append(run(db, model, settings, path, mapping, dry=False))
            empty()
    median = {name: statistics.median(times) for name, times in results.items()}
    for name in ("long check", "wide check", "long import", "wide import"):
        print(f"{name:<14} {median[name]:7.2f} s   (runs: {', '.join(f'{t:.2f}' for t in results[name])})")
    print(f"ratio wide/long, read + map + check (dry run): {median['wide check'] / median['long check']:.2f}x")
    print(f"ratio wide/long, whole import:                  {median['wide import'] / median['long import']:.2f}x")
    db.dispose()


if __name__ == "__main__":
    main()

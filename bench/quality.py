"""Data quality benchmark: re-checking every stored observation against a bare DuckDB window scan.

A generated alliance with 1,000,000 observations by default (rates with numerators and
denominators as a statistics office publishes them, SES breakdowns, ten years) is imported, then
every built-in rule is run over all of it in the read model (``ingest/quality.find``, what
``backbone quality check`` runs) and the flags brought in line. The baseline, in the same run on
the same table: one window function over each series (the mean of the other values of each
indicator, area and breakdown). Last, the rules over what one value a form saves is compared with
(its series, its indicator's period, its area's period), as at write time. Median of five
interleaved runs.

Run: .venv/bin/python bench/quality.py [--rows 1000000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.ingest.quality import find
from api.services.quality import checks, flags
from bench.world import INDICATORS, SES, YEARS, loaded_world, rows_per_district, timed


def write_series(path: Path, districts: int) -> int:
    """Rates as statistics offices publish them: each district's cohort steady from year to year, its rate
    drifting a little with sampling noise, the SES groups adding up to the total. Few rules break."""
    rng = random.Random(3)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["indicator", "area", "period", "value", "numerator", "denominator", "ses"])
        for i in range(INDICATORS):
            for d in range(districts):
                cohort, rate, shares = rng.randint(300, 3000), rng.uniform(0.3, 0.8), (0.3, 0.45, 0.25)
                for year in YEARS:
                    size = round(cohort * (1 + rng.gauss(0, 0.03)))
                    parts = [round(size * share) for share in shares]
                    passed = [min(n, max(0, round(rng.gauss(n * rate, (n * rate * (1 - rate)) ** 0.5)))) for n in parts]
                    for ses, numerator, denominator in zip(
                        SES, [sum(passed), *passed], [sum(parts), *parts], strict=True
                    ):
                        out.writerow([f"ind{i}", f"WK{d:06d}", year, "", numerator, denominator, ses])
                        rows += 1
                    rate = min(0.95, max(0.05, rate + rng.gauss(0.005, 0.01)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="about this many observations (default 1,000,000)")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    districts = max(1, args.rows // rows_per_district())
    _workdir, _settings, db, model, rows = loaded_world(
        args.database_url, districts, lambda path: write_series(path, districts)
    )
    print(f"{rows:,} observations; database: {db.url.get_backend_name()}")

    cur = model.cursor()
    window = """CREATE OR REPLACE TEMP TABLE bare AS SELECT id, avg(value) OVER (
        PARTITION BY indicator_id, area_id, breakdown ORDER BY period
        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS mean FROM observation"""
    with db.session() as session:
        check = checks.quality_check(session)
    # What a form's save of one value is checked against: the rules over its neighbourhood (``clean``: one row).
    one_value = """CREATE OR REPLACE TEMP TABLE clean AS SELECT indicator_id, area_id, period, breakdown, value,
        numerator, denominator, is_suppressed, organisation_id, 1 AS _row FROM observation ORDER BY id LIMIT 1"""
    results: dict[str, list[float]] = {
        "bare window scan": [],
        "rules (find)": [],
        "re-check with flags": [],
        "one value's write check": [],
    }
    for _ in range(args.repeat):
        results["bare window scan"].append(timed(lambda: cur.execute(window)))
        results["rules (find)"].append(
            timed(lambda: find(cur, batch=False, settings=check.settings, custom=check.custom))
        )

        def recheck() -> None:
            with db.transaction() as session:
                flags.recheck(session=session, read_model=model, check=check)

        results["re-check with flags"].append(timed(recheck))
        cur.execute(one_value)
        results["one value's write check"].append(
            timed(lambda: find(cur, batch=True, settings=check.settings, custom=check.custom))
        )
    find(cur, batch=False, settings=check.settings, custom=check.custom)
    hits = cur.execute("SELECT count(*) FROM quality_hit").fetchall()[0][0]
    cur.close()
    print(f"rules broken: {hits:,} (of {rows:,} values)")
    median = {name: statistics.median(times) for name, times in results.items()}
    base = median["bare window scan"]
    for name, seconds in median.items():
        runs = ", ".join(f"{t:.2f}" for t in results[name])
        print(f"{name:<24} {seconds:7.2f} s  {seconds / base:5.2f}x the bare scan   (runs: {runs})")
    db.dispose()


if __name__ == "__main__":
    main()

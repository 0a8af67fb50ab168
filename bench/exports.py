"""Export benchmark: 1,000,000 observations as a file, against DuckDB's own COPY of the same rows.

A generated alliance (``bench/world``, one member) is imported; then ``export_observations`` (what
``GET /api/v1/exports/observations.{fmt}`` runs) writes every observation, as staff (nothing hidden) and
as the public (small cells and those that give them away hidden), to a file on disk. The baseline, in the
same run: ``COPY (SELECT * FROM observation ORDER BY ...) TO`` the same format, the read model's bare copy
of the rows. Median of three interleaved runs; the ratio to the baseline printed per format and reader.

XLSX is measured against the bare CSV copy (DuckDB's own XLSX writer is an extension not installed here),
and, as a workbook is a zip file, compressed by definition, against DuckDB's COPY to a gzip-compressed CSV.

Run: .venv/bin/python bench/exports.py [--rows 1000000] [--formats parquet,csv,xlsx] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.models.common import Role
from api.services.accounts.auth import Principal
from api.services.exports.files import export_observations
from bench.world import loaded_world, rows_per_district, timed, write_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="about this many observations")
    parser.add_argument("--formats", default="parquet,csv,xlsx", help="comma-separated: parquet, csv, xlsx")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    districts = max(1, args.rows // rows_per_district())
    workdir, _settings, db, model, rows = loaded_world(
        args.database_url, districts, lambda path: write_file(path, range(districts), seed=1)
    )
    print(f"{rows:,} observations; database: {db.url.get_backend_name()}")
    staff = Principal(
        user_id=0, username="bench", full_name="", role=Role.admin, organisation_id=1, organisation="MEMBER0"
    )
    out = workdir / "export"
    cur = model.cursor()
    for fmt in args.formats.split(","):
        # DuckDB writes no XLSX of its own (its excel extension is not installed here): a sheet is
        # measured against the bare CSV copy, the least DuckDB does to write the same rows as text.
        options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER"
        ordered = "SELECT * FROM observation ORDER BY indicator_id, area_id, period, breakdown"
        bare = f"COPY ({ordered}) TO '{out}.{'parquet' if fmt == 'parquet' else 'csv'}' ({options})"

        def export(principal: Principal | None, fmt: str = fmt) -> None:
            with (workdir / f"export-api.{fmt}").open("wb") as handle:
                export_observations(read_model=model, principal=principal, out=handle, fmt=fmt)  # type: ignore[arg-type]

        runs = {
            "DuckDB COPY": lambda bare=bare: cur.execute(bare),
            "export as staff": lambda export=export: export(staff),
            "export as the public": lambda export=export: export(None),
        }
        if fmt == "xlsx":  # a workbook is a zip file, compressed by definition: also against a gzip-compressed CSV
            zipped = f"COPY ({ordered}) TO '{out}.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip)"
            runs["DuckDB COPY, gzip"] = lambda zipped=zipped: cur.execute(zipped)
        results: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):  # interleaved, so that a slow moment of the machine falls on each alike
            for name, action in runs.items():
                results[name].append(timed(action))
        medians = {name: statistics.median(times) for name, times in results.items()}
        print(f"\n{fmt}")
        for name, seconds in medians.items():
            line = f"  {name:<22} {seconds:6.2f} s  {seconds / medians['DuckDB COPY']:5.2f}x the bare COPY"
            if "DuckDB COPY, gzip" in medians:
                line += f"  {seconds / medians['DuckDB COPY, gzip']:5.2f}x the gzip COPY"
            print(line)
    cur.close()
    db.dispose()


if __name__ == "__main__":
    main()

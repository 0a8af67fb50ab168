"""Speed of the indicator page: its services on the demo, or on a generated alliance of about 1,000,000 values.

The generated alliance is the demo plus one goal of ``--indicators`` rates by SES, reported
for ``--municipalities`` municipalities (in twelve regions) over ``--years`` years. Prints
each service's time, cold (the first call after the data arrived, which builds the
per-revision caches) and warm, for the public (suppression worked out) and for staff;
with ``--browser``, also the page's time to interactive in headless Chromium.

Run: .venv/bin/python bench/indicator_page.py [--demo] [--data-dir DIR] [--browser]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.db import Database  # noqa: E402
from api.migrate import upgrade  # noqa: E402
from api.models.common import Role  # noqa: E402
from api.readmodel import ReadModel  # noqa: E402
from api.seed import SEED_DIR, load_seed  # noqa: E402
from api.services import area_values, boundaries, equity, indicators, narratives, series  # noqa: E402
from api.services.auth import Principal  # noqa: E402

STAFF = Principal(
    user_id=1, username="admin", full_name="", role=Role.admin, organisation_id=1, organisation="BACKBONE"
)


def _append(path: Path, rows: list[list[object]]) -> None:
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def generate(directory: Path, municipalities: int, count: int, years: int) -> int:
    """The demo's seed files plus a generated goal; returns the number of generated values."""
    shutil.copytree(SEED_DIR, directory, dirs_exist_ok=True)
    rng = random.Random(7)
    regions = [f"BR{r:02d}" for r in range(12)]
    towns = [f"BM{m:04d}" for m in range(municipalities)]
    _append(directory / "areas.csv", [[r, f"Region {r}", "region", "05"] for r in regions])
    _append(directory / "areas.csv", [[t, f"Town {t}", "municipality", regions[i % 12]] for i, t in enumerate(towns)])
    _append(directory / "goals.csv", [["bench", 9, "Bench", "Bench", "Bench", "", "", ""]])
    codes = [f"bench-{i:02d}" for i in range(count)]
    _append(
        directory / "indicators.csv",
        [
            [c, "bench", i + 1, c, c, c, "", "", "", "percent", "higher", "year", "ratio", "ses", 10]
            + ["", "", "generated", "BACKBONE", "true", "", "", ""]
            for i, c in enumerate(codes)
        ],
    )
    _append(directory / "assignments.csv", [["BACKBONE", c, t] for c in codes for t in towns])
    last = 2025
    first = last - years + 1
    _append(directory / "targets.csv", [[c, "", first, 60.0, last + 5, 75.0] for c in codes])
    written = 0
    with (directory / "observations.csv").open("a", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        for c in codes:
            for t in towns:
                for year in range(first, last + 1):
                    for ses in ("", "low", "middle", "high"):
                        # A few small groups, so that suppression has work to do.
                        denominator = (
                            rng.randint(4, 9) if ses == "low" and rng.random() < 0.03 else rng.randint(80, 900)
                        )
                        numerator = rng.randint(denominator // 3, denominator)
                        value = round(100 * numerator / denominator, 1)
                        out.writerow([c, t, year, value, numerator, denominator, "", "", ses, ""])
                        written += 1
    return written


def timed(action, repeat: int = 1) -> tuple[float, object]:  # noqa: ANN001
    """The first call's time, and the median of ``repeat`` more (the warm time); the first call's result."""
    start = time.perf_counter()
    result = action()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        warm.append(time.perf_counter() - start)
    return cold, (statistics.median(warm) if warm else None), result


def steps(db: Database, model: ReadModel, principal: Principal | None, indicator: str, area: str) -> list:
    """What the page asks of the services when it opens, in order."""

    def meta() -> object:
        with db.session() as session:
            found = indicators.get_indicator(session=session, code=indicator, published_only=principal is None)
            narratives.list_narratives(session=session, indicator=indicator, area=area)
            boundaries.geometries(session=session, read_model=model)
            return found

    both = {"read_model": model, "principal": principal, "indicator": indicator}
    return [
        ("indicator, stories, boundaries", meta),
        ("areas with values", lambda: area_values.areas_with_values(**both)),
        ("series", lambda: series.series(**both, area=area)),
        ("equity", lambda: equity.equity(**both, area=area)),
        ("map values", lambda: area_values.area_values(**both)),
    ]


def measure(db: Database, indicator: str, area: str) -> None:
    model = ReadModel(db)
    start = time.perf_counter()
    model.sync()
    print(f"read model loaded in {time.perf_counter() - start:.2f} s (at start-up, once per process)")
    for who, principal in (("public", None), ("staff", STAFF)):
        print(f"-- {indicator} for {area}, as {who}: cold / warm (ms)")
        total_cold = total_warm = 0.0
        for name, action in steps(db, model, principal, indicator, area):
            cold, warm, _ = timed(action, repeat=5)
            total_cold, total_warm = total_cold + cold, total_warm + warm
            print(f"   {name:<32} {cold * 1000:8.1f} {warm * 1000:8.1f}")
        print(f"   {'all of the page':<32} {total_cold * 1000:8.1f} {total_warm * 1000:8.1f}")


def _visit(page, url: str) -> float:  # noqa: ANN001
    start = time.perf_counter()
    page.goto(url)
    for selector in ("#indicator-series .scatterlayer", "#indicator-equity .barlayer", "#indicator-map .main-svg"):
        page.wait_for_selector(selector)
    return time.perf_counter() - start


def browse(url: str, path: str, runs: int = 5) -> None:
    """Seconds from navigation until the series, breakdown and map are drawn, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        viewport = {"width": 1366, "height": 768}
        first = _visit(browser.new_page(viewport=viewport), url + path)  # the server's first page since it started
        newcomer = _visit(browser.new_page(viewport=viewport), url + path)  # a browser with nothing cached
        page = browser.new_page(viewport=viewport)
        seconds = [_visit(page, url + path) for _ in range(runs + 1)][1:]
        browser.close()
    print(
        f"page interactive: {first:.2f} s first page after start-up, {newcomer:.2f} s for a new visitor, "
        f"median {statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f}) over {runs} visits"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", action="store_true", help="the demo data only")
    parser.add_argument("--municipalities", type=int, default=400)
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, help="keep the database here; reuse it when it exists")
    parser.add_argument("--browser", action="store_true", help="also time the page in headless Chromium")
    args = parser.parse_args()
    workdir = args.data_dir or Path(tempfile.mkdtemp(prefix="backbone-page-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "backbone.db"
    db = Database(f"sqlite:///{path}")
    if not (workdir / ".loaded").exists():
        upgrade(db.engine)
        seed = SEED_DIR
        if not args.demo:
            seed = workdir / "seed"
            generated = generate(seed, args.municipalities, args.indicators, args.years)
            print(f"generated {generated:,} values")
        start = time.perf_counter()
        report = load_seed(db, workdir / "uploads", seed)
        print(f"loaded {report.observations:,} values in {time.perf_counter() - start:.1f} s")
        (workdir / ".loaded").touch()
    indicator, area = ("reading-standard", "05954036") if args.demo else ("bench-07", "BM0013")
    measure(db, indicator, area)
    if args.demo:
        measure(db, "first-generation-students", "05")
    if args.browser:
        from tests.server import running_server

        with running_server(f"sqlite:///{path}", workdir) as server:
            browse(server.url, f"/dashboard/indicator/{indicator}?area={area}")
    db.dispose()


if __name__ == "__main__":
    main()

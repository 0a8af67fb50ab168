"""Time to interactive of the member pages (data entry, upload) in headless Chromium, on a generated database.

Builds a database of about --observations observations (default 1,000,000: districts × 10
indicators × 10 years × total and three SES groups, shared out over --organisations members),
serves it with `backbone serve`, logs in as member0 and measures, --repeat times each:
  entry     /dashboard/entry until the table's value cells are there (the year due, all filled)
  check     typing a value (in a year without values) until the dry run's answer is shown
  save      Save until the confirmation is shown
  upload    /dashboard/upload until the drop zone is there
  dry run   dropping a CSV of the member's rows for one year until the counts are shown
  import    Confirm until the import's confirmation is shown

Run: .venv/bin/python bench/member_pages.py [--observations 1000000] [--organisations 250]
Needs Chromium (/usr/bin/chromium, or BACKBONE_CHROMIUM).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from api.config import Settings  # noqa: E402
from api.db import Database  # noqa: E402
from api.ingest.spool import spool_local_file  # noqa: E402
from api.migrate import upgrade  # noqa: E402
from api.readmodel import ReadModel  # noqa: E402
from api.services.imports import import_file  # noqa: E402
from bench.world import PASSWORD, build_world, rows_per_district, write_file  # noqa: E402

CHROMIUM = os.environ.get("BACKBONE_CHROMIUM", "/usr/bin/chromium")


def areas_for(observations: int, organisations: int) -> int:
    return max(organisations, observations // rows_per_district())


def build(workdir: Path, observations: int, organisations: int) -> str:
    url = f"sqlite:///{workdir / 'backbone.db'}"
    db = Database(url)
    upgrade(db.engine)
    areas = areas_for(observations, organisations)
    build_world(db, areas, organisations)
    path = workdir / "observations.csv"
    rows = write_file(path, range(areas), seed=1)
    settings = Settings(mode="development", data_dir=workdir, database_url=url, max_import_rows=10_000_000)
    spooled = spool_local_file(path, settings.upload_dir, max_bytes=1 << 40, max_line_bytes=1 << 16)
    started = time.perf_counter()
    with db.transaction() as session:
        import_file(
            session=session,
            read_model=ReadModel(db),
            settings=settings,
            spooled=spooled,
            organisation_id=None,  # each row to the member assigned to it
            user_id=None,
        )
    spooled.remove()
    path.unlink()
    print(
        f"database: {rows:,} observations, {areas:,} districts, {organisations} members "
        f"(imported in {time.perf_counter() - started:.0f} s)"
    )
    db.dispose()
    return url


def member_file(areas: int, organisations: int, year: int) -> bytes:
    """A CSV of member0's rows for one year (its districts are those numbered n with n mod members = 0)."""
    lines = ["indicator,area,period,value,numerator,denominator,ses"]
    for i in range(10):
        for n in range(0, areas, organisations):
            for ses in ("", "low", "middle", "high"):
                lines.append(f"ind{i},WK{n:06d},{year},,{50 + n % 7},{100 + i},{ses}")
    return ("\n".join(lines) + "\n").encode()


def measure(url: str, repeat: int, areas: int, organisations: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    timings: dict[str, list[float]] = {k: [] for k in ("entry", "check", "save", "upload", "dry run", "import")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for attempt in range(repeat):
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
            page = context.new_page()
            page.goto(f"{url}/dashboard/login")
            page.fill("#login-username", "member0")
            page.fill("#login-password", PASSWORD)
            page.click("#login-submit")
            page.wait_for_selector("#shell-user")

            start = time.perf_counter()
            page.goto(f"{url}/dashboard/entry")
            page.wait_for_selector("#entry-table td[data-dash-column='value']")
            timings["entry"].append(time.perf_counter() - start)
            page.goto(f"{url}/dashboard/entry?year={2030 + attempt}")  # a year without values yet
            page.wait_for_selector("#entry-table td[data-dash-column='value']")
            cell = page.locator("#entry-table td[data-dash-column='value']").nth(attempt)
            cell.click()
            start = time.perf_counter()
            page.keyboard.type(f"{40 + attempt}.5")
            page.keyboard.press("Enter")
            page.wait_for_function("document.querySelector('#entry-pending').innerText.startsWith('Ready')")
            timings["check"].append(time.perf_counter() - start)
            start = time.perf_counter()
            page.click("#entry-save")
            page.wait_for_selector("#entry-outcome")
            timings["save"].append(time.perf_counter() - start)

            start = time.perf_counter()
            page.goto(f"{url}/dashboard/upload")
            page.wait_for_selector("#upload-file")
            timings["upload"].append(time.perf_counter() - start)
            content = member_file(areas, organisations, 2026 + attempt)
            start = time.perf_counter()
            page.set_input_files(
                "#upload-file input[type=file]", files=[{"name": "m.csv", "mimeType": "text/csv", "buffer": content}]
            )
            page.wait_for_selector("#upload-counts")
            timings["dry run"].append(time.perf_counter() - start)
            start = time.perf_counter()
            page.click("#upload-confirm")
            page.wait_for_selector("#upload-done")
            timings["import"].append(time.perf_counter() - start)
            context.close()
        browser.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="backbone-pages-"))
    url = build(workdir, args.observations, args.organisations)
    port = 8700 + os.getpid() % 200
    env = {
        **os.environ,
        "BACKBONE_MODE": "development",
        "BACKBONE_DATABASE_URL": url,
        "BACKBONE_DATA_DIR": str(workdir),
    }
    backbone = str(Path(sys.executable).parent / "backbone")
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen([backbone, "serve", "--no-migrate", "--port", str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        httpx.get(f"{base}/api/v1/progress", timeout=120)  # the read model's first load, as after a start
        areas = areas_for(args.observations, args.organisations)
        for name, seconds in measure(base, args.repeat, areas, args.organisations).items():
            print(
                f"{name:<8} median {statistics.median(seconds):5.2f} s   max {max(seconds):5.2f} s   "
                f"({', '.join(f'{s:.2f}' for s in seconds)})"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

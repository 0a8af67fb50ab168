"""Dashboard benchmark: every page's time to interactive in headless Chromium, and the ratio to its API calls.

For the demo database and for a generated one of 1,000,000 observations (`bench/large.py`),
a real `backbone serve` is started and each page is opened as the user it is for
(steering group, member, staff), until its content is drawn and no callback runs. Printed
per page: the first visit after start-up (loads the read model and fills its caches), the
median of warm visits, and that median divided by the median time of the API calls that
give the same data (measured in the same run, same server, same user): how much the
dashboard costs on top of the data it shows. Finally one value is submitted and the
indicator and overview pages are timed again: the first view after new data.

Run: .venv/bin/python bench/dashboard.py [--databases demo large] [--runs 5] [--rows 1000000] [--warm]
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import large
from bench.browse import PAGES, Page, chromium, demo_database, open_page, session, workdir
from tests.server import running_server

TARGET_SECONDS = 2.0


def token(client: httpx.Client, user: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", data={"username": user, "password": f"demo-{user}"})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def api_seconds(client: httpx.Client, target: Page, headers: dict[str, str], runs: int) -> float:
    """Median time of the page's API calls, one after the other, warm."""

    def once() -> float:
        start = time.perf_counter()
        for path in target.api:
            client.get(path, headers=headers).raise_for_status()
        return time.perf_counter() - start

    once()
    return statistics.median(once() for _ in range(runs))


def page_seconds(context: object, base: str, target: Page) -> float:
    """Seconds until the page is interactive; infinite when it is not within the browser's timeout (60 s)."""
    from playwright.sync_api import TimeoutError as PageTimeout

    page = context.new_page()
    try:
        start = time.perf_counter()
        open_page(page, base, target)
        return time.perf_counter() - start
    except PageTimeout:
        return math.inf
    finally:
        page.close()


def submit_one(client: httpx.Client) -> None:
    """A member reports one changed value: the caches of that indicator start over."""
    body = {"observations": [{"indicator": "reading-standard", "area": "05954036", "period": "2025/26", "value": 71.1}]}
    client.put("/api/v1/observations", json=body, headers=token(client, "witten")).raise_for_status()


def run(
    name: str, url: str, data_dir: Path, runs: int, pages: tuple[Page, ...] = PAGES, *, warm: bool = False
) -> list[float]:
    print(f"\n== {name}: {url}")
    print(f"{'page':<13} {'first':>7} {'median':>7} {'min':>7} {'max':>7} {'api':>7} {'ratio':>6}")
    worst = []
    with (
        running_server(url, data_dir, start_seconds=3600) as server,
        chromium() as browser,
        httpx.Client(base_url=server.url, timeout=600) as client,
    ):
        headers = {user: token(client, user) if user else {} for user in {p.user for p in pages}}
        if warm:  # each page's data asked once through the API first: the first figures of a cold start at scale
            for target in pages:
                start = time.perf_counter()
                for path in target.api:
                    client.get(path, headers=headers[target.user]).raise_for_status()
                print(f"{target.name:<13} warmed through its API calls in {time.perf_counter() - start:.1f} s")
        contexts = {user: session(browser, server.url, user) for user in headers}
        for target in pages:
            context = contexts[target.user]
            first = page_seconds(context, server.url, target)
            times = [page_seconds(context, server.url, target) for _ in range(1 if math.isinf(first) else runs)]
            api = api_seconds(client, target, headers[target.user], runs)
            middle = statistics.median(times)
            worst.append(middle)
            print(
                f"{target.name:<13} {first:7.2f} {middle:7.2f} {min(times):7.2f} {max(times):7.2f} "
                f"{api:7.3f} {middle / api:6.1f}"
            )
        submit_one(client)
        for target in (p for p in pages if p.name in ("indicator", "overview")):
            seconds = page_seconds(contexts[target.user], server.url, target)
            print(f"{target.name:<13} {seconds:7.2f}  (first view after a new value for reading-standard)")
    slow = [p.name for p, s in zip(pages, worst, strict=True) if s > TARGET_SECONDS]
    print(f"pages over {TARGET_SECONDS:.0f} s (median): {', '.join(slow) or 'none'}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", choices=("demo", "large"), default=["demo", "large"])
    parser.add_argument("--runs", type=int, default=5, help="warm visits per page")
    parser.add_argument("--rows", type=int, default=1_000_000, help="observations in the large database")
    parser.add_argument("--pages", nargs="+", choices=[p.name for p in PAGES], help="only these pages")
    parser.add_argument("--keep", type=Path, help="work directory to keep (the large database is reused)")
    parser.add_argument(
        "--warm", action="store_true", help="ask each page's API once before the pages (at 10,000,000 observations)"
    )
    args = parser.parse_args()
    with workdir(args.keep) as work:
        for name in args.databases:
            if name == "demo":
                url = demo_database(work)
            else:
                url = f"sqlite:///{large.build(args.rows, large.path(args.rows))}"
            # Every run starts from the same data: a copy, so the submission does not stay.
            source = Path(url.removeprefix("sqlite:///"))
            copy = work / f"{name}-run.db"
            shutil.copyfile(source, copy)
            pages = tuple(p for p in PAGES if not args.pages or p.name in args.pages)
            run(name, f"sqlite:///{copy}", work, args.runs, pages, warm=args.warm)


if __name__ == "__main__":
    main()

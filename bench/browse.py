"""Driving the dashboard in headless Chromium: its pages, who opens them, when each is interactive.

Shared by the dashboard benchmark (`bench/dashboard.py`) and the screenshots (`bench/screenshots.py`).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.db import Database
from api.migrate import upgrade
from api.seed import load_seed

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1366, "height": 768}
# Chromium's own background traffic has nowhere to go on a closed network.
ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
# Dash marks components whose callbacks are still running.
SETTLED = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str | None  # demo user who opens it; None: anonymous
    ready: tuple[str, ...]  # selectors present once the page is interactive
    api: tuple[str, ...]  # the API calls that give the same data


PAGES = (
    Page("login", "/dashboard/login", None, ("#login-username",), ("/api/v1/health",)),
    Page("overview", "/dashboard/", "steering", ("#overview-grid",), ("/api/v1/progress/summary?level=municipality",)),
    Page(
        "goal",
        "/dashboard/goal/learning?area=05954",
        "steering",
        (
            "#goal-area-content .multiple img.sparkline",
            "#goal-league-table .ag-cell",
            "img#goal-league-graph",
        ),
        ("/api/v1/progress?goal=learning&area=05954", "/api/v1/indicators/reading-standard/league"),
    ),
    Page(
        "municipality",
        "/dashboard/municipality/05954036",
        "steering",
        (".goal-section .multiple img.sparkline",),
        ("/api/v1/progress?area=05954036",),
    ),
    Page(
        "indicators", "/dashboard/indicator", "steering", ("#indicators-index a",), ("/api/v1/indicators?limit=1000",)
    ),
    Page(
        "indicator",
        "/dashboard/indicator/reading-standard?area=05954036",
        "steering",
        ("#indicator-series .scatterlayer", "#indicator-equity .barlayer", "#indicator-map .main-svg"),
        (
            "/api/v1/indicators/reading-standard/series?area=05954036",
            "/api/v1/equity?indicator=reading-standard&area=05954036",
        ),
    ),
    Page(
        "entry",
        "/dashboard/entry",
        "kidsfirst",
        ("#entry-table .ag-cell[col-id='value']",),
        ("/api/v1/imports/template.csv",),
    ),
    Page("upload", "/dashboard/upload", "kidsfirst", ("#upload-file",), ("/api/v1/imports/template.csv",)),
    Page(
        "stories",
        "/dashboard/stories?goal=early-years",
        "witten",
        ("#stories-activity-goal", "#stories-narrative-text"),
        ("/api/v1/activities?organisation=STADT-WITTEN", "/api/v1/narratives?indicator=reading-standard"),
    ),
    Page(
        "completeness", "/dashboard/completeness", "admin", ("#completeness-table .ag-cell",), ("/api/v1/completeness",)
    ),
    Page("quality", "/dashboard/quality", "witten", ("#quality-table .ag-cell",), ("/api/v1/quality?status=open",)),
    Page("account", "/dashboard/account", "witten", ("#account-tokens em",), ("/api/v1/auth/tokens",)),
    *(
        Page(f"admin-{kind}", f"/dashboard/admin/{kind}", "admin", (f"#admin-{kind}-grid .ag-cell",), (api,))
        for kind, api in (
            ("agenda", "/api/v1/agenda"),
            ("goals", "/api/v1/goals"),
            ("indicators", "/api/v1/indicators?limit=1000"),
            ("dimensions", "/api/v1/dimensions"),
            ("areas", "/api/v1/areas?limit=1000"),
            ("organisations", "/api/v1/organisations?limit=1000"),
            ("assignments", "/api/v1/assignments?limit=1000"),
            ("targets", "/api/v1/targets?limit=1000"),
        )
    ),
    Page("admin", "/dashboard/admin", "admin", ("#admin-link-users",), ("/api/v1/users",)),
    Page("admin-users", "/dashboard/admin/users", "admin", ("#admin-users-grid .ag-cell",), ("/api/v1/users",)),
    Page(
        "admin-boundaries", "/dashboard/admin/boundaries", "admin", ("#admin-boundaries-stored",), ("/api/v1/health",)
    ),
    Page(
        "admin-mappings",
        "/dashboard/admin/mappings",
        "admin",
        ("#admin-mappings-list .ag-cell",),
        ("/api/v1/mappings",),
    ),
    Page(
        "audit",
        "/dashboard/audit?observation=1",
        "admin",
        ("#audit-table .ag-cell", "#audit-history-table .ag-cell"),
        ("/api/v1/audit",),
    ),
)


def demo_database(directory: Path) -> str:
    """A fresh demo database in ``directory`` (what `backbone demo` serves); its URL."""
    path = directory / "demo.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    load_seed(db, directory / "uploads")
    db.dispose()
    return f"sqlite:///{path}"


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def session(browser: object, base: str, user: str | None, language: str = "en-GB") -> object:
    """A browser context, logged in as the demo user (password demo-<user>) unless anonymous."""
    context = browser.new_context(viewport=VIEWPORT, locale=language, accept_downloads=True)
    context.set_default_timeout(60_000)
    if user is not None:
        page = context.new_page()
        page.goto(f"{base}/dashboard/login")
        page.fill("#login-username", user)
        page.fill("#login-password", f"demo-{user}")
        page.click("#login-submit")
        page.wait_for_selector("#shell-user")
        page.close()
    return context


def open_page(page: object, base: str, target: Page) -> None:
    """Go to the page and wait until it is interactive: its content drawn and no callback running."""
    page.goto(base + target.path)
    for selector in target.ready:
        page.wait_for_selector(selector)
    page.wait_for_function(SETTLED)


@contextlib.contextmanager
def workdir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
    else:
        with tempfile.TemporaryDirectory(prefix="backbone-browse-") as tmp:
            yield Path(tmp)

"""Browser tests: a real `backbone serve` on a fresh copy of the demo database, driven by Chromium.

Playwright drives Debian's Chromium (/usr/bin/chromium). Without it these tests are
skipped, unless BACKBONE_REQUIRE_BROWSER=1 (CI sets it) turns the absence into a failure.
They run on SQLite; a module whose subject is stored differently per database (the data
quality flags) takes ``backend_server``, one server per backend.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import BACKENDS, Templates
from tests.server import Server, running_server

CHROMIUM = os.environ.get("BACKBONE_CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("BACKBONE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@contextlib.contextmanager
def demo_server(templates: Templates, data_dir: Path, backend: str = "sqlite") -> Iterator[Server]:
    """The app on its own fresh demo database, on SQLite unless told: what most browser tests prove (pages,
    keyboard, languages, downloads) does not depend on the database, and the services behind the pages run
    on both databases in the API and dashboard tests."""
    url = templates.fresh("demo", backend)
    try:
        with running_server(url, data_dir) as running:
            yield running
    finally:
        templates.drop(url)


@pytest.fixture
def server(templates: Templates, tmp_path: Path) -> Iterator[Server]:
    """A server of the test's own."""
    with demo_server(templates, tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def reading_server(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for a module whose tests only read (they may log in): a module overrides ``server`` with it."""
    with demo_server(templates, tmp_path_factory.mktemp("server")) as running:
        yield running


@pytest.fixture(scope="module", params=BACKENDS)
def backend_server(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One server per backend for a module (SQLite, and PostgreSQL when BACKBONE_TEST_DATABASE_URL is set): for
    tests whose writes stay out of each other's way; a module overrides ``server`` with it."""
    with demo_server(templates, tmp_path_factory.mktemp("server"), request.param) as running:
        yield running


class Browsing:
    """One browser context against the server, collecting console errors."""

    def __init__(self, browser: object, server: Server, language: str = "en-GB") -> None:
        self.server = server
        self.context = browser.new_context(viewport=VIEWPORT, locale=language, accept_downloads=True)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str, ready: str = "#_pages_content > *") -> object:
        """Go to a dashboard path and wait until the page's content is there."""
        self.page.goto(self.server.url + path)
        self.page.wait_for_selector(ready)
        return self.page

    def log_in(self, username: str, password: str | None = None) -> None:
        self.open("/dashboard/login", "#login-username")
        self.page.fill("#login-username", username)
        self.page.fill("#login-password", password or f"demo-{username}")
        self.page.click("#login-submit")
        self.page.wait_for_selector("#shell-user")

    def close(self) -> None:
        self.context.close()


def editing(page: object) -> None:
    """Wait until a grid cell's text editor has the keyboard's focus. The editor opens a moment after the key
    that opens it (Enter, or Tab from the cell before); on a busy machine, letters typed sooner went elsewhere."""
    from playwright.sync_api import expect

    expect(page.locator(".ag-cell-inline-editing input")).to_be_focused()  # type: ignore[attr-defined]


def choose(page: object, dropdown: str, option: str) -> None:
    """Open the focused ``dropdown`` with Enter, search its list for ``option`` and take it with Enter, each step
    only once the one before has taken effect (typing before the search box has the focus loses letters)."""
    from playwright.sync_api import expect

    page.keyboard.press("Enter")  # type: ignore[attr-defined]  # the list opens with its search box
    expect(page.locator(".dash-dropdown-search")).to_be_focused()  # type: ignore[attr-defined]
    page.keyboard.type(option)  # type: ignore[attr-defined]
    expect(page.locator(".dash-dropdown-option")).to_have_count(1)  # type: ignore[attr-defined]  # filtered
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    expect(page.locator(dropdown)).to_contain_text(option)  # type: ignore[attr-defined]


# WCAG 2.1 A and AA, which EN 301 549 asks of Dutch and German public bodies' web pages.
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def accessibility_problems(page: object) -> list[str]:
    """The serious and critical WCAG 2.1 AA violations axe-core finds on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options={**WCAG_21_AA, "resultTypes": ["violations"]}).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def browsing(browser: object, server: Server) -> Iterator[Browsing]:
    """A fresh browser context on a fresh server; fails the test if any page logged a console error."""
    session = Browsing(browser, server)
    yield session
    errors = session.errors
    session.close()
    assert errors == [], f"console errors: {errors}"

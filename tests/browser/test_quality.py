"""Data quality in a real browser, on each database: an unusual value warned of at its cell as it is typed and in an
upload's dry run, and a flag confirmed on the quality page.

The flags are rows of the system of record (written with the values, confirmed by staff), so these tests run on
SQLite and on PostgreSQL; one server per database serves the module, each test writing only its own key.
"""

from __future__ import annotations

import httpx
import pytest

from tests.browser.conftest import accessibility_problems

UNUSUAL_OUTLINE = "rgb(183, 121, 31)"  # dashboard/assets/style.css: .bb-grid .ag-cell.unusual
WITTEN_SUPPORT = "language-support-need|05954036|2026/27|"  # Witten's total: its history lies around 21 %
# Hattingen's share of children needing language support, around 17 % in every earlier school year.
HATTINGEN_SUPPORT = b"indicator;area;period;value\nlanguage-support-need;05954016;2026/27;99\n"


@pytest.fixture(scope="module")
def server(backend_server):
    """One server per database for the module: each test writes only values and flags no other test reads."""
    return backend_server


def api(server_url: str, username: str) -> httpx.Client:
    token = httpx.post(
        f"{server_url}/api/v1/auth/token", data={"username": username, "password": f"demo-{username}"}, timeout=60
    ).json()["access_token"]
    # A minute, not httpx's five seconds: the server also answers the browser's page, on a shared machine.
    return httpx.Client(base_url=f"{server_url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60)


def test_a_member_types_an_unusual_value_and_is_warned_at_its_cell_before_saving(browsing):
    browsing.log_in("witten")
    page, url = browsing.page, browsing.server.url
    browsing.open("/dashboard/entry?year=2026", "#entry-table .ag-cell[col-id='value']")
    cell = page.locator(f"#entry-table .ag-row[row-id='{WITTEN_SUPPORT}'] .ag-cell[col-id='value']").first
    cell.click()
    page.keyboard.type("99")
    page.keyboard.press("Enter")
    page.wait_for_selector("#entry-warning-list")
    warning = page.inner_text("#entry-unusual")
    assert "Unusual values: 1" in warning and "Far from its own history" in warning and "Witten" in warning
    assert page.get_attribute("#entry-unusual", "role") == "status"  # read out when it appears
    assert cell.inner_text() == "⚠ 99"  # marked in its text, not by colour alone
    assert "Far from its own history: 99 lies far" in cell.get_attribute("title")  # what was found, at the cell
    assert UNUSUAL_OUTLINE in cell.evaluate("e => getComputedStyle(e).boxShadow")
    assert page.locator("#entry-problem-list").count() == 0  # a warning, not an error
    assert accessibility_problems(page) == []  # the amber cell and the list too
    with api(url, "witten") as witten:
        assert witten.get("/quality", params={"period": "2026/27"}).json()["items"] == []  # checking writes nothing

    page.click("#entry-save")  # still allowed: the value is stored, and flagged
    page.wait_for_selector("#entry-outcome")
    assert "1 added" in page.inner_text("#entry-outcome")
    assert "Far from its own history" in page.inner_text("#entry-warnings")
    assert page.locator("#entry-warning-list").count() == 0
    with api(url, "witten") as witten:
        (flag,) = witten.get("/quality", params={"period": "2026/27"}).json()["items"]
    assert (flag["rule"], flag["area"], flag["observed"], flag["status"]) == ("outlier_history", "05954036", 99, "open")


def test_an_uploads_dry_run_warns_of_an_unusual_value_before_it_is_imported(browsing):
    browsing.log_in("hattingen")
    page, url = browsing.page, browsing.server.url
    browsing.open("/dashboard/upload", "#upload-file")
    file = {"name": "support.csv", "mimeType": "text/csv", "buffer": HATTINGEN_SUPPORT}
    page.set_input_files("#upload-file input[type=file]", files=[file])
    page.wait_for_selector("#upload-warnings")
    warning = page.inner_text("#upload-warnings")
    assert "Unusual values: 1" in warning and "Far from its own history" in warning
    assert "language-support-need · 05954016 · 2026/27 (row 2, column value)" in warning
    assert page.locator("#upload-confirm").is_visible()  # it can still be imported
    with api(url, "hattingen") as hattingen:
        assert hattingen.get("/observations", params={"area": "05954016", "period": "2026/27"}).json()["items"] == []
        assert hattingen.get("/quality", params={"period": "2026/27"}).json()["items"] == []


def test_staff_confirm_a_flag_with_a_comment_on_the_quality_page(browsing):
    browsing.log_in("admin")
    page, url = browsing.page, browsing.server.url
    with api(url, "admin") as admin:
        asked = {"organisation": "STADT-ESSEN", "period": "2015/16", "status": "open"}
        flagged = admin.get("/quality", params=asked).json()["items"]
    # As the completeness page links it: the organisation's open flags of one period.
    browsing.open("/dashboard/quality?organisation=STADT-ESSEN&period=2015/16", "#quality-table .ag-row")
    page.wait_for_function(f"() => document.querySelector('#quality-count').innerText.endsWith(' {len(flagged)}')")
    first = page.locator("#quality-table .ag-center-cols-container .ag-row[row-index='0']")
    chosen = int(first.get_attribute("row-id"))
    first.locator(".ag-cell[col-id='rule']").click()
    page.wait_for_selector("#quality-chart")
    page.fill("#quality-comment", "Two schools merged that year; the value is right.")
    page.click("#quality-confirm")
    page.wait_for_selector("#quality-confirmed")
    assert "Confirmed" in page.inner_text("#quality-confirmed")
    page.wait_for_function(f"() => document.querySelector('#quality-count').innerText.endsWith(' {len(flagged) - 1}')")
    with api(url, "admin") as admin:
        confirmed = admin.get("/quality", params={**asked, "status": "confirmed"}).json()["items"]
    assert [(f["id"], f["status"], f["comment"]) for f in confirmed] == [
        (chosen, "confirmed", "Two schools merged that year; the value is right.")
    ]

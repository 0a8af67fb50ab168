"""Across roles: what a member saves in the form is what the steering group sees on the indicator page."""

from __future__ import annotations

import httpx

from tests.browser.conftest import Browsing


def token(server_url: str, username: str) -> dict:
    answer = httpx.post(f"{server_url}/api/v1/auth/token", data={"username": username, "password": f"demo-{username}"})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_a_value_a_member_saves_is_on_the_steering_groups_indicator_page(browser, server):
    member = Browsing(browser, server)
    steering = Browsing(browser, server, language="de-DE")
    try:
        member.log_in("kidsfirst")
        page = member.open("/dashboard/entry?year=2026", "#entry-table .ag-cell[col-id='value']")
        page.locator("#entry-table .ag-cell[col-id='value']").first.click()  # ece-participation, Groningen
        page.keyboard.type("71.4")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('#entry-pending').innerText.includes('1 new')")
        page.click("#entry-save")
        page.wait_for_selector("#entry-outcome")
        assert "1 added" in page.inner_text("#entry-outcome")

        steering.log_in("steering")
        view = steering.open("/dashboard/indicator/ece-participation?area=GM0014", "#indicator-status .big")
        status = view.inner_text("#indicator-status")
        assert "(2026)" in status and "71,4\xa0%" in status  # the new latest value, in German notation
        view.wait_for_selector("#indicator-series .scatterlayer")
        assert member.errors == [] and steering.errors == []
    finally:
        member.close()
        steering.close()


def test_staff_filter_the_completeness_grid_select_a_report_with_the_keyboard_and_approve_it(browsing):
    url = browsing.server.url
    member, admin = token(url, "kidsfirst"), token(url, "admin")
    rows = httpx.get(f"{url}/api/v1/completeness", params={"organisation": "KIDSFIRST"}, headers=admin).json()
    period = next(row["period"] for row in rows if "/" in row["period"])  # a school year: no other period contains it
    assert httpx.post(f"{url}/api/v1/reports/{period}/submit", headers=member).status_code == 200

    browsing.log_in("admin")
    page = browsing.open("/dashboard/completeness", "#completeness-table .ag-cell")
    page.get_by_role("textbox", name="Organisation Filter input").fill("kids first")
    page.get_by_role("textbox", name="Period Filter input").fill(period)
    page.wait_for_function(
        "() => document.querySelectorAll('#completeness-table .ag-cell[col-id=\"organisation_name\"]').length === 1"
    )
    cell = page.locator('#completeness-table .ag-cell[col-id="period"]')
    assert cell.inner_text() == period
    cell.focus()
    page.keyboard.press("Space")  # selects the focused row
    page.wait_for_selector("#completeness-table .ag-row-selected")
    page.click("#completeness-approve")
    page.wait_for_selector("#completeness-review-result .notice-success")
    assert page.inner_text("#completeness-review-result") == f"Approved: Kids First COP groep, {period}."
    review = '#completeness-table .ag-cell[col-id="review"]'
    page.wait_for_function(f"() => document.querySelector('{review}').innerText === 'approved'")

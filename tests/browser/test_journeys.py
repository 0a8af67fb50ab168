"""Across roles: what a member saves in the form is what the steering group sees on the indicator page."""

from __future__ import annotations

from tests.browser.conftest import Browsing


def test_a_value_a_member_saves_is_on_the_steering_groups_indicator_page(browser, server):
    member = Browsing(browser, server)
    steering = Browsing(browser, server, language="de-DE")
    try:
        member.log_in("kidsfirst")
        page = member.open("/dashboard/entry?year=2026", "#entry-table td[data-dash-column='value']")
        page.locator("#entry-table td[data-dash-column='value']").first.click()  # ece-participation, Groningen
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

"""The goal and municipality pages in a real browser, on the demo data."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def server(reading_server):
    """These tests only read: they share one server."""
    return reading_server


PICTURES_LOADED = (
    "n => [...document.querySelectorAll(n + ' img.sparkline')].every(i => i.complete && i.naturalWidth > 0)"
)


def values_in(page, table: str) -> list[str]:
    return page.locator(f'{table} .ag-cell[col-id="value"]').all_inner_texts()


def as_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", ".") if "," in text else text.replace(",", ""))


def test_goal_page_shows_multiples_and_a_league_sorted_by_value_with_the_regional_totals(browsing):
    page = browsing.open("/dashboard/goal/learning", "#goal-league-table")
    assert page.inner_text("h1") == "Equal learning outcomes"
    page.wait_for_function(PICTURES_LOADED, arg="#goal-area-content")
    cards = page.locator("#goal-area-content .multiple")
    assert cards.count() == 3
    assert page.locator("#goal-area-content .multiple img.sparkline").count() == 3
    assert "2025/26" in page.get_attribute("#goal-area-content .multiple img.sparkline", "alt")
    page.wait_for_selector("#goal-league-graph")

    ranked = values_in(page, "#goal-league-table")
    assert len(ranked) == 21  # every municipality of the demo reports reading
    page.click('#goal-league-table .ag-header-cell[col-id="value"] .ag-header-cell-label')
    page.wait_for_function(
        "() => document.querySelector('#goal-league-table .ag-cell[col-id=\"rank\"]').innerText !== '1'"
    )
    ascending = [as_number(v) for v in values_in(page, "#goal-league-table")]
    assert ascending == sorted(ascending) and ascending != [as_number(v) for v in ranked]

    totals = page.inner_text("#goal-league-totals")
    assert "Metropole Ruhr (region)" in totals and "Ennepe-Ruhr-Kreis (region)" in totals
    selection = page.inner_text("#goal-league-totals tr.selection")
    assert selection.startswith("All municipalities shown") and "21" in selection

    page.click("#goal-league-region")
    page.get_by_role("option", name="Ennepe-Ruhr-Kreis (region)").click()
    page.wait_for_function(
        "() => document.querySelectorAll('#goal-league-table .ag-cell[col-id=\"value\"]').length === 9"
    )
    assert page.inner_text("#goal-league-totals tr.selection").startswith("Ennepe-Ruhr-Kreis (region)\t9")

    page.click("#shell-lang-de")
    page.wait_for_selector("#goal-league-table")
    assert "Kommunen im Vergleich" in page.inner_text("#_pages_content")
    assert all(re.fullmatch(r"\d+,\d", v) for v in values_in(page, "#goal-league-table"))


def test_grid_cell_leads_to_the_municipality_page_for_that_goal(browsing):
    page = browsing.open("/dashboard/", "#overview-grid")
    page.click('#overview-grid a[href="/dashboard/municipality/05954036?goal=learning"]')
    page.wait_for_selector("#municipality-section-learning")
    assert page.inner_text("#municipality-name") == "Witten"
    assert "Ennepe-Ruhr-Kreis" in page.inner_text("#municipality-where")
    assert page.locator("#municipality-goals .goal-card").count() == 5  # every goal's summary stays on top
    assert "chosen" in page.get_attribute("#municipality-goal-learning", "class")
    assert page.locator(".goal-section").count() == 1
    page.wait_for_function(PICTURES_LOADED, arg="#municipality-section-learning")
    assert page.locator("#municipality-section-learning img.sparkline").count() == 3
    assert re.search(r"\d+ of \d+ indicators with data on track", page.inner_text("#municipality-goal-learning"))
    assert page.locator('a[href="/dashboard/goal/learning?area=05954036"]').count() == 1
    assert page.locator('a[href="/dashboard/indicator/reading-standard?area=05954036"]').count() == 1

    page.click('a[href="/dashboard/goal/learning?area=05954036"]')
    page.wait_for_selector("#goal-league-table")
    assert page.locator("#goal-area-content .multiple").count() == 3

    browsing.open("/dashboard/municipality/NOPE", "#municipality-not-found")
    assert "no municipality or region with the code NOPE" in page.inner_text("#municipality-not-found")


def test_an_address_with_a_bad_period_shows_a_message_not_an_error(browsing):
    page = browsing.open(
        "/dashboard/goal/learning?indicator=reading-standard&period=soon", "#shell-alert:not([hidden])"
    )
    assert "'soon' is not a school year" in page.inner_text("#shell-alert")
    page.click(".brand")
    page.wait_for_selector("#overview-grid")
    assert page.locator("#shell-alert").is_hidden()  # gone on the next page

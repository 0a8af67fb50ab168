"""Source mappings in a real browser: a member imports a publisher's file through a mapping on the upload page;
the staff's mappings page checked by axe-core with a preview on the screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import accessibility_problems

DUO = Path(__file__).parents[1] / "data" / "sources" / "duo-vo-examenkandidaten-geslaagden.csv"


@pytest.fixture(scope="module")
def server(reading_server):
    """One server for the module: the mappings page's checks write nothing, and the upload is its only write."""
    return reading_server


def test_a_member_imports_the_duo_file_through_its_mapping(browsing):
    browsing.log_in("groningen")
    page = browsing.open("/dashboard/upload", "#upload-file")
    page.focus("#upload-mapping")  # the format: by keyboard, its list searched by the mapping's name
    page.keyboard.press("Enter")
    page.get_by_role("option", name=re.compile("DUO")).click()
    page.wait_for_selector("#upload-mapping-description")
    assert "Pass rate per school" in page.inner_text("#upload-mapping-about")

    page.set_input_files("#upload-file input[type=file]", files=[str(DUO)])
    page.wait_for_selector("#upload-mapped .ag-cell")
    assert re.search(r"To add\s+30", page.inner_text("#upload-counts"))
    first = page.locator("#upload-mapped .ag-center-cols-container .ag-row[row-index='0']")
    cells = [first.locator(f'.ag-cell[col-id="{c}"]').inner_text() for c in ("line", "indicator", "area")]
    assert cells == ["2", "exam-pass-rate", "VO-01UH00"]
    assert "The first 20 of 30 observations" in page.inner_text(".mapped-rows")

    page.click("#upload-confirm")
    page.wait_for_selector("#upload-done")
    assert "Imported as submission" in page.inner_text("#upload-done")
    assert re.search(r"Added\s+30", page.inner_text("#upload-done-counts"))


def test_the_mappings_page_with_a_preview_has_no_serious_accessibility_problem(browsing):
    browsing.log_in("admin")
    page = browsing.open("/dashboard/admin/mappings", "#admin-mappings-list .ag-cell")
    page.focus("#admin-mappings-choose")
    page.keyboard.press("Enter")
    page.get_by_role("option", name=re.compile("duo-vo-exams")).click()
    page.wait_for_function("() => document.querySelector('#admin-mappings-document').value.startsWith('code: duo')")
    page.set_input_files("#admin-mappings-sample input[type=file]", files=[str(DUO)])
    page.wait_for_selector("#admin-mappings-observations .ag-cell")
    assert "Sample file: duo-vo-examenkandidaten-geslaagden.csv" in page.inner_text("#admin-mappings-sample-name")
    assert accessibility_problems(page) == []

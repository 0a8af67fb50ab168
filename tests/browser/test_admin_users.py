"""The users page in a real browser, by keyboard: a cell changed and saved, a refused one put back, a user added."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems, choose, editing

CELL = "#admin-users-grid .ag-row[row-id='{user}'] .ag-cell[col-id='{column}']"


def test_an_admin_changes_users_and_adds_one_with_the_keyboard(browsing):
    browsing.log_in("admin")
    page = browsing.open("/dashboard/admin/users", "#admin-users-grid .ag-cell")
    page.focus(CELL.format(user="witten", column="display_name"))
    page.keyboard.press("Enter")
    editing(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("Stadt Witten, Schulamt")
    page.keyboard.press("Enter")
    page.wait_for_selector("#admin-users-saved")
    assert "Display name of witten" in page.inner_text("#admin-users-status")

    page.focus(CELL.format(user="admin", column="role"))  # the last admin: the list, then Member
    page.keyboard.press("Enter")
    page.wait_for_selector(".ag-select-list")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#admin-users-refused")
    assert "last active admin" in page.inner_text("#admin-users-problem")
    expect(page.locator(CELL.format(user="admin", column="role"))).to_have_text("Backbone staff")

    page.focus("#admin-users-new-username")
    page.keyboard.type("carla")
    page.keyboard.press("Tab")
    page.keyboard.type("Carla Jansen")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # no address; the role stays Member
    page.keyboard.press("Tab")
    choose(page, "#admin-users-new-organisation", "Kids First")
    page.focus("#admin-users-add")
    page.keyboard.press("Enter")
    page.wait_for_selector("#admin-users-new-link")
    token = page.input_value("#admin-users-new-link").rsplit("/", 1)[1]
    whom = httpx.get(f"{browsing.server.url}/api/v1/auth/invitations/{token}").json()
    assert (whom["username"], whom["organisation"]) == ("carla", "KIDSFIRST")
    expect(page.locator(CELL.format(user="carla", column="organisation"))).to_have_text("KIDSFIRST")
    assert accessibility_problems(page) == []  # with the refusal and the link shown

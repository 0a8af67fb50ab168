"""An invitation in a real browser: the person opens the link, chooses a password, and is logged in."""

from __future__ import annotations

import httpx

from tests.browser.conftest import accessibility_problems


def _invite(base: str, username: str) -> str:
    token = httpx.post(f"{base}/api/v1/auth/token", data={"username": "admin", "password": "demo-admin"}).json()
    admin = {"Authorization": f"Bearer {token['access_token']}"}
    new = {"username": username, "display_name": "Carla Jansen", "role": "member", "organisation": "KIDSFIRST"}
    created = httpx.post(f"{base}/api/v1/users", json=new, headers=admin)
    assert created.status_code == 201, created.text
    return created.json()["invitation"]["url"]


def test_an_invited_member_sets_a_password_with_the_keyboard_and_is_logged_in(browsing):
    url = _invite(browsing.server.url, "carla")
    page = browsing.page
    page.goto(url)
    page.wait_for_selector("#invitation-password")
    assert "Carla Jansen" in page.inner_text("h1")
    assert "carla" in page.inner_text("#invitation-whom")
    page.focus("#invitation-password")
    page.keyboard.type("password123")
    page.keyboard.press("Tab")
    page.keyboard.type("password123")
    page.keyboard.press("Enter")
    page.wait_for_selector("#invitation-error")
    assert "not acceptable" in page.inner_text("#invitation-error")
    assert accessibility_problems(page) == []  # the page with its error shown

    page.fill("#invitation-password", "lantern-harbour-meadow-41")
    page.fill("#invitation-repeat", "lantern-harbour-meadow-41")
    page.click("#invitation-submit")
    page.wait_for_selector("#shell-user")
    assert "Carla Jansen" in page.inner_text("#shell-user")

    page.goto(url)  # the link is used up
    page.wait_for_selector("#invitation-gone")
    assert accessibility_problems(page) == []

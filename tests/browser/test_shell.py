"""The frame of every page in a real browser: logging in and out, the language switch, access by role."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def server(reading_server):
    """These tests only read: they share one server."""
    return reading_server


def test_member_logs_in_sees_name_and_role_and_logs_out(browsing):
    browsing.open("/dashboard/")
    assert browsing.page.locator("#nav-entry").count() == 0
    browsing.log_in("kidsfirst")
    page = browsing.page
    assert "kidsfirst" in page.inner_text("#shell-role") or page.inner_text("#shell-user")
    assert "Member" in page.inner_text("#shell-role")
    assert page.locator("#nav-entry").is_visible() and page.locator("#nav-upload").is_visible()
    assert page.locator("#nav-completeness").count() == 0 and page.locator("#nav-audit").count() == 0
    cookie = next(c for c in browsing.context.cookies() if c["name"] == "bb_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.click("#shell-logout")
    page.wait_for_selector("#shell-login")
    assert not any(c["name"] == "bb_session" for c in browsing.context.cookies())


def test_wrong_password_is_refused_with_a_message(browsing):
    browsing.open("/dashboard/login", "#login-username")
    page = browsing.page
    page.fill("#login-username", "kidsfirst")
    page.fill("#login-password", "not-the-password")
    page.click("#login-submit")
    page.wait_for_selector("#login-error")
    assert "wrong password" in page.inner_text("#login-error")
    assert not any(c["name"] == "bb_session" for c in browsing.context.cookies())


def test_anonymous_visitors_cannot_reach_the_entry_pages(browsing):
    for path in ("/dashboard/entry", "/dashboard/upload", "/dashboard/completeness", "/dashboard/audit"):
        browsing.open(path, "#login-username")
        assert re.search(r"/dashboard/login\?next=", browsing.page.url)
    browsing.open("/dashboard/")
    assert browsing.page.locator("#nav-entry").count() == 0


def test_language_switch_translates_labels_and_numbers(browsing):
    browsing.open("/dashboard/", "#overview-grid")
    page = browsing.page
    page.click("#shell-lang-nl")
    page.wait_for_selector("#overview-grid")
    assert page.inner_text("#nav-overview") == "Overzicht"
    assert "Gemeente" in page.inner_text("#overview-grid")
    page.click("#shell-lang-de")
    page.wait_for_selector("#overview-grid")
    assert page.inner_text("#nav-overview") == "Übersicht"
    assert "Kommune" in page.inner_text("#overview-grid")
    assert re.search(r"\d+ %", page.inner_text(".cards"))  # German percentages: 67 %


def test_language_defaults_to_the_browsers(browser, server):
    from tests.browser.conftest import Browsing

    german = Browsing(browser, server, language="de-DE")
    try:
        german.open("/dashboard/", "#overview-grid")
        assert german.page.inner_text("#nav-overview") == "Übersicht"
        assert german.errors == []
    finally:
        german.close()

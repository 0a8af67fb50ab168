"""The account page in a real browser: a named token made, used by a script, revoked, and then refused."""

from __future__ import annotations

import httpx


def test_member_makes_a_token_for_a_script_and_revokes_it(browsing):
    browsing.open("/dashboard/")
    browsing.log_in("witten")
    page = browsing.page
    page.click("#shell-account")
    page.wait_for_selector("#account-tokens em")  # the current session, which is not offered for revoking
    assert "this session" in page.inner_text("#account-tokens")
    assert page.locator("#account-tokens button").count() == 0

    page.fill("#account-token-name", "nightly export")
    page.click("#account-create")
    page.wait_for_selector("#account-new-token")
    token = page.inner_text("#account-new-token").strip()
    assert token.startswith("bb_")
    script = {"Authorization": f"Bearer {token}"}
    base = browsing.server.url
    assert httpx.get(f"{base}/api/v1/auth/me", headers=script).json()["username"] == "witten"
    row = page.locator("#account-tokens tr", has_text="nightly export")
    assert row.count() == 1

    row.locator("button").click()
    page.wait_for_selector("#account-outcome")
    assert "revoked" in page.inner_text("#account-outcome")
    assert page.locator("#account-tokens tr", has_text="nightly export").count() == 0
    assert httpx.get(f"{base}/api/v1/auth/me", headers=script).status_code == 401


def test_anonymous_visitors_are_sent_to_log_in(browsing):
    browsing.open("/dashboard/account", "#login-username")
    assert "/dashboard/login?next=" in browsing.page.url

"""The staff console's start: for admins only, one line per kind, linked once its page exists."""

from __future__ import annotations

import dash

from dashboard.pages.admin import SECTIONS
from tests.dashboard.callbacks import by_id, log_in
from tests.dashboard.test_admin_users import ids
from tests.dashboard.test_callback_errors import page
from tests.dashboard.test_setup_pages import text


def test_the_start_links_every_page_that_exists_and_names_the_others(demo_client):
    log_in(demo_client, "admin")
    layout = page(demo_client, "/dashboard/admin")["_pages_content.children"]
    assert by_id(layout, "admin-link-users")["props"]["href"] == "/dashboard/admin/users"
    assert by_id(layout, "admin-link-periods")["props"]["href"] == "/dashboard/completeness"
    registered = {p["path"] for p in dash.page_registry.values()}
    for section in SECTIONS:  # no dead link
        assert section.path in registered, section.key
        assert f"admin-link-{section.key}" in ids(layout)
    assert "nav-admin" in str(demo_client.get("/dashboard/_dash-layout").json())

    log_in(demo_client, "admin", language="nl")
    dutch = page(demo_client, "/dashboard/admin")["_pages_content.children"]
    assert "Grenzen" in text(dutch) and "Beheer" in text(dutch)
    log_in(demo_client, "admin", language="de")
    german = page(demo_client, "/dashboard/admin")["_pages_content.children"]
    assert "Verwaltung" in text(german) and "Benutzer" in text(german)


def test_members_viewers_and_strangers_get_neither_the_page_nor_its_link(demo_client):
    for path in ("/dashboard/admin", "/dashboard/admin/users"):  # a stranger's browser goes to the login page
        assert demo_client.get(path, follow_redirects=False).headers["location"].startswith("/dashboard/login?next=")
    for user, expected in ((None, "Please log in"), ("kidsfirst", "Not allowed"), ("steering", "Not allowed")):
        if user:
            log_in(demo_client, user)
        layout = page(demo_client, "/dashboard/admin")["_pages_content.children"]
        assert expected in text(layout), user
        assert "admin-sections" not in ids(layout)
        assert "nav-admin" not in str(demo_client.get("/dashboard/_dash-layout").json())

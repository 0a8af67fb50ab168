"""The dashboard is served by the API's process; logging in through its form is CSRF-safe."""

from __future__ import annotations

import pytest

from dashboard.session import local_path


def csrf(client) -> str:
    client.get("/dashboard/")
    return client.cookies["bb_csrf"]


def test_dashboard_page_layout_and_deep_links_are_served(demo_client):
    page = demo_client.get("/dashboard/")
    assert page.status_code == 200 and "_dash-config" in page.text
    layout = demo_client.get("/dashboard/_dash-layout").json()
    assert "shell-lang-nl" in str(layout) and "_pages_content" in str(layout)
    deep_link = demo_client.get("/dashboard/goal/early-years")
    assert deep_link.status_code == 200 and "_dash-config" in deep_link.text
    assert demo_client.get("/api/v1/nope").json()["status"] == 404  # the API keeps its own 404


def test_login_form_sets_an_http_only_session_cookie_and_logout_revokes_it(demo_client):
    token = csrf(demo_client)
    response = demo_client.post(
        "/dashboard/auth/login",
        data={"username": "kidsfirst", "password": "demo-kidsfirst", "csrf": token, "next": "/dashboard/entry"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/entry"
    cookie = response.headers["set-cookie"]
    assert "bb_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http here; over https the cookie is Secure
    session = demo_client.cookies["bb_session"]
    assert demo_client.get("/dashboard/entry", follow_redirects=False).status_code == 200
    demo_client.post("/dashboard/auth/logout", data={"csrf": token}, follow_redirects=False)
    demo_client.cookies.set("bb_session", session)  # replaying the old cookie does not help
    assert demo_client.get("/dashboard/entry", follow_redirects=False).status_code == 303


def test_login_without_the_csrf_token_or_from_another_site_is_refused(demo_client):
    csrf(demo_client)
    forged = demo_client.post(
        "/dashboard/auth/login",
        data={"username": "kidsfirst", "password": "demo-kidsfirst", "csrf": "guess"},
        follow_redirects=False,
    )
    assert forged.status_code == 303 and "error=expired" in forged.headers["location"]
    assert "bb_session" not in demo_client.cookies
    cross = demo_client.post(
        "/dashboard/auth/login",
        data={"username": "kidsfirst", "password": "demo-kidsfirst", "csrf": demo_client.cookies["bb_csrf"]},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert cross.status_code == 403 and cross.json()["code"] == "cross_origin"
    callback = demo_client.post(
        "/dashboard/_dash-update-component", json={}, headers={"Origin": "https://evil.example"}
    )
    assert callback.status_code == 403


def test_wrong_password_goes_back_to_the_form(demo_client):
    response = demo_client.post(
        "/dashboard/auth/login",
        data={"username": "kidsfirst", "password": "nope", "csrf": csrf(demo_client)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "error=invalid" in response.headers["location"]


def test_anonymous_deep_links_to_member_pages_go_to_the_login(demo_client):
    for page in ("entry", "upload?period=2024", "completeness"):
        response = demo_client.get(f"/dashboard/{page}", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/dashboard/login?next=/dashboard/")


def test_language_choice_is_remembered_and_returns_to_the_page(demo_client):
    response = demo_client.get(
        "/dashboard/language/de",
        headers={"Referer": "http://testserver/dashboard/goal/learning?area=RVR"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/goal/learning?area=RVR"
    assert demo_client.cookies["bb_lang"] == "de"
    unknown = demo_client.get("/dashboard/language/xx", follow_redirects=False)
    assert unknown.status_code == 303 and demo_client.cookies["bb_lang"] == "de"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/dashboard/indicator/x?area=GM0014", "/dashboard/indicator/x?area=GM0014"),
        ("https://evil.example/dashboard/", "/dashboard/"),
        ("//evil.example/dashboard/", "/dashboard/"),
        ("/api/v1/observations", "/dashboard/"),
        ("/dashboard\\..\\x", "/dashboard/"),
        (None, "/dashboard/"),
    ],
)
def test_redirects_after_login_stay_inside_the_dashboard(target, expected):
    assert local_path(target) == expected


def test_charts_get_the_vendored_cartesian_plotly_bundle_of_plotlys_own_version(demo_client):
    from plotly.offline import get_plotlyjs_version

    answer = demo_client.get("/dashboard/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert answer.status_code == 200 and "max-age" in answer.headers["cache-control"]
    head = answer.text[:200]
    assert "plotly.js (cartesian - minified)" in head and f"v{get_plotlyjs_version()}" in head


def test_figures_use_only_trace_types_of_the_cartesian_bundle():
    import re
    from pathlib import Path

    import dashboard

    cartesian = {"Bar", "Box", "Contour", "Heatmap", "Histogram", "Histogram2d", "Histogram2dContour", "Image"}
    cartesian |= {"Pie", "Scatter", "Scatterternary", "Violin"}
    used = {
        name
        for path in Path(dashboard.__file__).parent.rglob("*.py")
        for name in re.findall(r"\bgo\.([A-Z]\w*)\(", path.read_text())
    } - {"Figure", "Layout"}
    assert used and used <= cartesian, used - cartesian

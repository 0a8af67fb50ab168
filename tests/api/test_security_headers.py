"""Every response carries the security headers; the dashboard's and the docs' CSPs allow exactly their scripts."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from api.headers import inline_script_hashes
from api.main import create_app
from tests.conftest import make_settings
from tests.server import running_server


@pytest.fixture
def backend() -> str:
    """Headers and CORS are the middleware's business, the same on either database: SQLite only."""
    return "sqlite"


def directives(response) -> dict[str, str]:
    header = response.headers["content-security-policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/nope", "/dashboard/", "/dashboard/login", "/docs"])
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    policy = directives(response)
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "strict-transport-security" not in response.headers  # plain http
    if not response.headers["content-type"].startswith("text/html"):
        assert policy["script-src"] == "'self'"  # no page, no inline scripts to allow


def test_errors_from_the_dashboard_guard_get_the_headers_too(client):
    refused = client.post("/dashboard/auth/login", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and refused.headers["x-frame-options"] == "DENY"


def test_dashboard_csp_allows_exactly_the_inline_scripts_of_its_page(client):
    page = client.get("/dashboard/goal/learning")
    inline = inline_script_hashes(page.text)
    renderer = re.search(r'<script id="_dash-renderer"[^>]*>(.*?)</script>', page.text).group(1)
    inline += inline_script_hashes(f"<script>{renderer}</script>")
    assert len(inline) >= 3  # the clientside callbacks and the renderer's start
    allowed = directives(page)["script-src"].split()
    assert allowed[0] == "'self'" and set(inline) <= set(allowed)
    assert not [source for source in allowed if source.startswith("http")]  # nothing from elsewhere


def test_docs_may_load_swagger_ui_from_its_cdn_and_nothing_else_may(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "SwaggerUIBundle" in docs.text
    policy = directives(docs)
    assert "https://cdn.jsdelivr.net" in policy["script-src"] and "https://cdn.jsdelivr.net" in policy["style-src"]
    assert set(inline_script_hashes(docs.text)) <= set(policy["script-src"].split())
    assert "validatorUrl" in docs.text and "fastapi.tiangolo.com" not in docs.text  # nothing else fetched
    for path in ("/dashboard/", "/api/v1/health"):
        assert "cdn.jsdelivr.net" not in client.get(path).headers["content-security-policy"]
    redirect = client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200
    assert set(inline_script_hashes(redirect.text)) <= set(directives(redirect)["script-src"].split())
    assert client.get("/redoc").status_code == 404  # one documentation page, not two


def test_hsts_only_over_https(settings):
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as secure:
        assert secure.get("/api/v1/health").headers["strict-transport-security"] == (
            "max-age=31536000; includeSubDomains"
        )
    with TestClient(app) as plain:
        response = plain.get("/api/v1/health", headers={"X-Forwarded-Proto": "https"})
        # The app itself never believes the header: uvicorn does, for BACKBONE_FORWARDED_ALLOW_IPS only.
        assert "strict-transport-security" not in response.headers


def test_hsts_can_be_turned_off(database_url, tmp_path):
    with TestClient(create_app(make_settings(database_url, tmp_path, hsts_max_age=0)), base_url="https://t") as c:
        assert "strict-transport-security" not in c.get("/api/v1/health").headers


def test_cors_is_closed_by_default(client):
    response = client.get("/api/v1/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/api/v1/goals",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_exactly_the_listed_origins(database_url, tmp_path):
    settings = make_settings(
        database_url, tmp_path, cors_origins="https://dashboard.example.org, http://localhost:3000/"
    )
    assert settings.cors_origin_list == ["https://dashboard.example.org", "http://localhost:3000"]
    with TestClient(create_app(settings)) as client:
        listed = client.get("/api/v1/health", headers={"Origin": "https://dashboard.example.org"})
        assert listed.headers["access-control-allow-origin"] == "https://dashboard.example.org"
        assert "access-control-allow-credentials" not in listed.headers
        preflight = client.options(
            "/api/v1/goals",
            headers={
                "Origin": "http://localhost:3000",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "http://localhost:3000"
        other = client.get("/api/v1/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("bad", ["*", "example.org", "https://example.org/path", "ftp://example.org"])
def test_cors_origins_that_are_not_origins_are_refused_at_start(database_url, tmp_path, bad):
    with pytest.raises(ValueError, match="not an origin"):
        make_settings(database_url, tmp_path, cors_origins=bad)


@pytest.mark.parametrize(("trusted", "believed"), [("127.0.0.1", True), ("192.0.2.1", False)])
def test_a_real_server_believes_forwarded_headers_only_from_trusted_proxies(templates, tmp_path, trusted, believed):
    url = templates.fresh("empty")
    try:
        with running_server(url, tmp_path, forwarded_allow_ips=trusted, login_rate_limit="1/minute") as server:
            forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
            health = httpx.get(f"{server.url}/api/v1/health", headers=forwarded)
            assert ("strict-transport-security" in health.headers) is believed
            # Logins are counted per client: the forwarded address when believed, else the proxy's own.
            wrong = {"username": "nobody", "password": "wrong-password"}
            assert httpx.post(f"{server.url}/api/v1/auth/token", data=wrong, headers=forwarded).status_code == 401
            other = {"X-Forwarded-For": "203.0.113.8"}
            second = httpx.post(f"{server.url}/api/v1/auth/token", data=wrong, headers=other)
            assert second.status_code == (401 if believed else 429)
    finally:
        templates.drop(url)

"""The private parts of Dash that dashboard/dash_internals.py uses: there, and of the Dash version it was checked on."""

from __future__ import annotations

import ast
from pathlib import Path

import dash
from dash import Dash, html
from dash.backends import _fastapi
from fastapi import FastAPI
from fastapi.testclient import TestClient

import dashboard
from dashboard import dash_internals


def test_the_installed_dash_is_the_version_the_internals_were_checked_against():
    assert dash.__version__ == dash_internals.CHECKED_AGAINST, (
        f"Dash is {dash.__version__}, but dashboard/dash_internals.py was checked against "
        f"{dash_internals.CHECKED_AGAINST}: re-check each private name it uses (the request context of "
        "dash/backends/_fastapi.py, the backend's _before_request_funcs, the pages' router ids, the catch-all "
        "route) against the new version, then set CHECKED_AGAINST to it."
    )


def test_the_request_context_functions_and_the_before_request_hooks_exist():
    for name in ("get_current_request", "set_current_request", "reset_current_request"):
        assert callable(getattr(_fastapi, name, None)), name
    app = Dash(__name__, server=FastAPI(), url_base_pathname="/internals/")
    hooks = app.backend._before_request_funcs
    assert isinstance(hooks, list) and hooks and all(callable(hook) for hook in hooks)


def test_the_pages_router_has_the_ids_the_shell_uses():
    ids = {child.id for child in dash.page_container.children}
    assert {dash_internals.PAGES_LOCATION, dash_internals.PAGES_CONTENT} <= ids


def test_the_backends_catch_all_route_is_added_at_start_up_and_dropped():
    server = FastAPI()
    app = Dash(__name__, server=server, url_base_pathname="/internals/")
    app.layout = html.Div()
    with TestClient(server):
        paths = [getattr(route, "path", None) for route in server.router.routes]
        assert dash_internals.CATCH_ALL in paths
        dash_internals.drop_global_catch_all(server)
        assert dash_internals.CATCH_ALL not in [getattr(route, "path", None) for route in server.router.routes]


def private_dash_imports(path: Path) -> list[str]:
    """The private Dash names a module imports (a module or name of dash's that starts with ``_``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "dash":
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.split(".")[0] == "dash"]
        else:
            continue
        found += [name for name in names if any(part.startswith("_") for part in name.split("."))]
    return found


def test_no_other_dashboard_module_imports_a_private_dash_name():
    root = Path(dashboard.__file__).parent
    assert private_dash_imports(root / "dash_internals.py")  # the rule sees what it looks for
    found = {
        str(path.relative_to(root)): names
        for path in sorted(root.rglob("*.py"))
        if path.name != "dash_internals.py" and (names := private_dash_imports(path))
    }
    assert not found, f"import these through dashboard/dash_internals.py instead: {found}"

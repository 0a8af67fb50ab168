"""Layers point one way: routes and pages -> services -> ingest / read model -> db -> the core.

Every import in the code (lazy ones inside functions too) is read from the source;
a module may import its own layer or one below it, never one above.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "dashboard", "indicators")

# The first prefix that matches a module names its layer; a higher number is a higher layer.
LAYERS: list[tuple[str, int, str]] = [
    ("api.main", 5, "entry points"),
    ("api.cli", 5, "entry points"),
    ("api.routes", 4, "routes and pages"),
    ("api.deps", 4, "routes and pages"),
    ("api.openapi", 4, "routes and pages"),
    ("api.docs", 4, "routes and pages"),
    ("api.headers", 4, "routes and pages"),
    ("dashboard", 4, "routes and pages"),
    ("api.services", 3, "services"),
    ("api.seed", 3, "services"),
    ("api.ingest", 2, "ingest and read model"),
    ("api.readmodel", 2, "ingest and read model"),
    ("api.db", 1, "database"),
    ("api.models", 1, "database"),
    ("api.migrate", 1, "database"),
    ("api.migrations", 1, "database"),
    ("api.config", 0, "base"),
    ("api.errors", 0, "base"),
    ("api.security", 0, "base"),
    ("api.ratelimit", 0, "base"),
    ("indicators", 0, "base"),
    ("api", 0, "base"),  # api/__init__.py: the version
]


def layer(module: str) -> tuple[int, str]:
    for prefix, rank, name in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            return rank, name
    raise LookupError(module)


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(module: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, module imported) for every import of the project's own packages."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from api.services import x`` imports the module api.services.x
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                yield node.lineno, name


def test_every_module_has_a_layer():
    missing = []
    for module, _ in modules():
        try:
            layer(module)
        except LookupError:
            missing.append(module)
    assert not missing, f"add these modules to LAYERS in tests/test_layers.py: {missing}"


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for module, path in modules():
        rank, name = layer(module)
        for line, imported in imports(module, path):
            their_rank, their_name = layer(imported)
            if their_rank > rank:
                upward.append(f"{path.relative_to(ROOT)}:{line} ({name}) imports {imported} ({their_name})")
    assert not upward, "imports that run back up a layer:\n" + "\n".join(upward)


# Routes and the dashboard reach the pipeline, the read model and the database through services
# (api.deps wires them up for the routes).
SKIP_SERVICES = {
    "api.routes": ("api.ingest", "api.readmodel", "api.db"),
    "dashboard": ("api.ingest", "api.readmodel", "api.db"),
}


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_routes_and_the_dashboard_reach_ingest_the_read_model_and_the_database_only_through_services():
    past = []
    for module, path in modules():
        for caller, below in SKIP_SERVICES.items():
            if inside(module, caller):
                past += [
                    f"{path.relative_to(ROOT)}:{line} imports {imported}"
                    for line, imported in imports(module, path)
                    if imported.startswith(below)
                ]
    assert not past, "imports that go past the services:\n" + "\n".join(past)


# The dashboard's one way to the services.
DASHBOARD_DATA = "dashboard.data"


def test_only_the_dashboards_data_layer_imports_the_services():
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for module, path in modules()
        if inside(module, "dashboard") and not inside(module, DASHBOARD_DATA)
        for line, imported in imports(module, path)
        if inside(imported, "api.services")
    ]
    assert not found, f"dashboard modules outside {DASHBOARD_DATA} that import services:\n" + "\n".join(found)


# What only dashboard.data may reach: the app's database, read model and settings (context.backbone() hands them out).
BACKBONE_PARTS = {"db", "read_model", "settings", "backbone"}


def test_only_the_dashboards_data_layer_reaches_the_database_the_read_model_and_the_settings():
    found = []
    for module, path in modules():
        if not inside(module, "dashboard") or inside(module, DASHBOARD_DATA) or module == "dashboard.context":
            continue
        found.extend(
            f"{path.relative_to(ROOT)}:{node.lineno} uses .{node.attr}"
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Attribute) and node.attr in BACKBONE_PARTS
        )
    assert not found, f"go through {DASHBOARD_DATA} instead:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("module", "imported", "allowed"),
    [
        ("api.services.imports.batches", "api.ingest.pipeline.ingest", True),
        ("api.ingest.pipeline", "api.services.periods.reviews.record_override", False),
        ("api.db", "api.services.audit.trail", False),
        ("dashboard.data.imports", "api.services.imports.entry", True),
        ("api.readmodel", "api.routes.health", False),
    ],
)
def test_the_rule_itself_tells_a_downward_import_from_an_upward_one(module, imported, allowed):
    assert (layer(imported)[0] <= layer(module)[0]) is allowed

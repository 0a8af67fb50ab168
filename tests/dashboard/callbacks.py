"""Calling the dashboard's callbacks over HTTP, as the browser does (POST /dashboard/_dash-update-component)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

Prop = tuple[str, str, object]


def log_in(client: TestClient, username: str, language: str = "en") -> None:
    client.get("/dashboard/login")
    client.cookies.set("bb_lang", language)
    response = client.post(
        "/dashboard/auth/login",
        data={"username": username, "password": f"demo-{username}", "csrf": client.cookies["bb_csrf"]},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "error" not in response.headers["location"]


def call(client: TestClient, inputs: list[Prop], state: list[Prop] = (), changed: int = 0) -> dict:
    """Call the callback with these inputs (and state), as the browser does; its outputs by ``id.property``.

    ``changed``: which input the user changed (its index).
    """
    dependencies = client.get("/dashboard/_dash-dependencies").json()
    wanted = [{"id": i, "property": p} for i, p, _v in inputs]
    (dependency,) = [d for d in dependencies if d["inputs"] == wanted]
    outputs = []
    for part in dependency["output"].strip(".").split("..."):
        component, prop = part.split(".", 1)
        outputs.append({"id": component, "property": prop})
    body = {
        "output": dependency["output"],
        # A callback of several outputs names them ("..a.b...c.d.."), and gets them as a list; one, as itself.
        "outputs": outputs if dependency["output"].startswith("..") else outputs[0],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{i}.{p}" for i, p, _v in inputs[changed : changed + 1]],
    }
    response = client.post("/dashboard/_dash-update-component", json=body)
    assert response.status_code == 200, response.text
    body = response.json()
    # Outputs, and what the callback set elsewhere (set_props: the shell's alert, say).
    answer = body.get("response", {}) | body.get("sideUpdate", {})
    return {f"{c}.{p}": v for c, props in answer.items() for p, v in props.items()}


def components(tree: object) -> Iterator[dict]:
    """Every component in a layout as Dash sends it (``{"type", "namespace", "props"}``), depth first."""
    if isinstance(tree, dict) and "props" in tree:
        yield tree
        yield from components(tree["props"].get("children"))
    elif isinstance(tree, list):
        for item in tree:
            yield from components(item)


def by_id(tree: object, name: str) -> dict:
    (found,) = [c for c in components(tree) if c["props"].get("id") == name]
    return found

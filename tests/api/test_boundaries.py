"""Area boundaries for the map: backbone staff upload GeoJSON, checked whole and stored all or nothing."""

from __future__ import annotations

import json

import pytest

from api.services.metadata import boundaries as boundaries_service

URL = "/api/v1/areas/boundaries"
SQUARE = [[[6.0, 53.0], [6.1, 53.0], [6.1, 53.1], [6.0, 53.1], [6.0, 53.0]]]


def feature(code: object, geometry: dict | None = None) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": "ignored"},
        "geometry": geometry or {"type": "Polygon", "coordinates": SQUARE},
    }


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def stored_codes(client) -> list[str]:
    response = client.get(URL)
    assert response.status_code == 200
    return [f["properties"]["code"] for f in response.json()["features"]]


def test_admin_uploads_polygons_and_everyone_reads_them_back_as_geojson(world, as_user):
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE, [[[7, 51], [7.2, 51], [7.2, 51.2], [7, 51]]]]}
    response = world.put(URL, json=collection(feature("A1"), feature("B1", multi)), headers=as_user("admin"))
    assert response.status_code == 200, response.text
    assert response.json() == {"stored": 2, "areas": ["A1", "B1"]}
    found = world.get(URL).json()  # anonymous
    assert found["type"] == "FeatureCollection"
    by_code = {f["properties"]["code"]: f for f in found["features"]}
    assert by_code["A1"]["properties"] == {"code": "A1", "name": "Area A1", "level": "municipality"}
    assert by_code["A1"]["geometry"] == {"type": "Polygon", "coordinates": SQUARE}
    assert by_code["B1"]["geometry"]["type"] == "MultiPolygon"


def test_an_upload_replaces_the_earlier_one_and_an_empty_collection_removes_them(world, as_user):
    admin = as_user("admin")
    world.put(URL, json=collection(feature("A1"), feature("B1")), headers=admin)
    assert world.put(URL, json=collection(feature("NL")), headers=admin).json() == {"stored": 1, "areas": ["NL"]}
    assert stored_codes(world) == ["NL"]
    assert world.put(URL, json=collection(), headers=admin).json() == {"stored": 0, "areas": []}
    assert stored_codes(world) == []


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (b"{not json", "invalid_json", None),
        (json.dumps({"type": "Feature"}).encode(), "not_a_feature_collection", None),
        (json.dumps({"type": "FeatureCollection", "features": {}}).encode(), "not_a_feature_collection", None),
        (json.dumps(collection(feature("NOPE"))).encode(), "unknown_area", "features.0.properties.code"),
        (json.dumps(collection(feature(14))).encode(), "missing_code", "features.0.properties.code"),
        (
            json.dumps(collection(feature("A1", {"type": "Point", "coordinates": [6, 53]}))).encode(),
            "not_a_polygon",
            "features.0.geometry",
        ),
        (
            json.dumps(collection(feature("A1", {"type": "Polygon", "coordinates": [SQUARE[0][:4]]}))).encode(),
            "invalid_geometry",
            "features.0.geometry",
        ),
        (
            json.dumps(collection(feature("A1", {"type": "Polygon", "coordinates": [[[600, 53]] * 4]}))).encode(),
            "invalid_geometry",
            "features.0.geometry",
        ),
        (
            (
                b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "A1"}, '
                b'"geometry": {"type": "Polygon", "coordinates": [[[NaN, 1], [1, 1], [1, 2], [NaN, 1]]]}}]}'
            ),
            "invalid_geometry",
            "features.0.geometry",
        ),
        (json.dumps(collection(feature("A1"), feature("A1"))).encode(), "duplicate_area", "features.1.properties.code"),
        (json.dumps(collection("just text")).encode(), "not_a_feature", "features.0.type"),
        ("\udcff".encode("utf-8", "surrogatepass"), "invalid_json", None),
    ],
)
def test_bad_uploads_are_refused_with_their_problem_and_nothing_is_stored(world, as_user, body, code, field):
    admin = as_user("admin")
    world.put(URL, json=collection(feature("A1")), headers=admin)
    response = world.put(URL, content=body, headers={**admin, "Content-Type": "application/geo+json"})
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert errors[0]["code"] == code and errors[0]["field"] == field
    assert stored_codes(world) == ["A1"]


def test_every_problem_of_a_file_is_listed_at_once(world, as_user):
    line = {"type": "LineString", "coordinates": [[6, 53], [7, 53]]}
    body = collection(feature("A1"), feature("XX"), feature("B1", line))
    response = world.put(URL, json=body, headers=as_user("admin"))
    assert response.status_code == 422
    found = response.json()
    assert found["code"] == "invalid_boundaries" and found["error_count"] == 2
    assert [(e["code"], e["field"]) for e in found["errors"]] == [
        ("unknown_area", "features.1.properties.code"),
        ("not_a_polygon", "features.2.geometry"),
    ]
    assert "LineString" in found["errors"][1]["message"]
    assert stored_codes(world) == []


def test_only_backbone_staff_may_upload_boundaries(world, as_user):
    body = collection(feature("A1"))
    assert world.put(URL, json=body).status_code == 401
    assert world.put(URL, json=body, headers=as_user("alice")).status_code == 403
    assert world.put(URL, json=body, headers=as_user("viewer")).status_code == 403
    assert stored_codes(world) == []


def test_an_upload_larger_than_the_limit_is_refused(world, as_user, monkeypatch):
    monkeypatch.setattr(boundaries_service, "MAX_BYTES", 1000)
    body = json.dumps(collection(*[feature("A1")] * 20)).encode()
    response = world.put(URL, content=body, headers={**as_user("admin"), "Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert stored_codes(world) == []

"""Area boundaries: a GeoJSON FeatureCollection uploaded by backbone staff, checked whole, stored all or nothing."""

from __future__ import annotations

import json
import math
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from api.errors import ErrorItem, Invalid
from api.models import Area, AreaBoundary
from api.models.boundary import BoundariesStored
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.audit import trail
from api.services.common import record_change

MAX_BYTES = 20 * 1024 * 1024  # a few hundred municipalities, simplified, are a few MB
MAX_FEATURES = 20_000
MAX_ERRORS = 1000
POLYGONS = ("Polygon", "MultiPolygon")


def _position_problem(position: Any) -> str | None:
    if not isinstance(position, list) or len(position) not in (2, 3):
        return "a position is [longitude, latitude]"
    if not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in position):
        return "coordinates must be finite numbers"
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"[{lon}, {lat}] is not a longitude and latitude in degrees (WGS 84)"
    return None


def _geometry_problem(geometry: Any) -> tuple[str, str] | None:
    """(code, message) of the first thing wrong with a geometry, or None when it is a valid (multi)polygon."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in POLYGONS:
        return "not_a_polygon", f"the geometry must be a Polygon or MultiPolygon, not {kind or 'missing'}"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "invalid_geometry", "the geometry has no coordinates"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "invalid_geometry", "a polygon is a list of rings"
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return "invalid_geometry", "a ring needs at least four positions"
            for position in ring:
                if (problem := _position_problem(position)) is not None:
                    return "invalid_geometry", problem
            if ring[0] != ring[-1]:
                return "invalid_geometry", "a ring must end where it starts"
    return None


def parse_boundaries(document: bytes, known_areas: set[str]) -> dict[str, dict[str, Any]]:
    """The geometry of each area in a GeoJSON FeatureCollection; ``Invalid`` listing every problem otherwise."""
    try:
        collection = json.loads(document)
    except (ValueError, RecursionError) as exc:
        raise Invalid(f"The body is not valid JSON: {exc}"[:300], code="invalid_json") from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise Invalid("The body must be a GeoJSON FeatureCollection", code="not_a_feature_collection")
    features = collection.get("features")
    if not isinstance(features, list):
        raise Invalid("A FeatureCollection has a list of 'features'", code="not_a_feature_collection")
    if len(features) > MAX_FEATURES:
        raise Invalid(f"At most {MAX_FEATURES} features at once", code="too_many_features")
    found: dict[str, dict[str, Any]] = {}
    errors: list[ErrorItem] = []

    def problem(index: int, field: str, code: str, message: str) -> None:
        errors.append(ErrorItem(code=code, message=f"feature {index}: {message}", field=f"features.{index}.{field}"))

    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problem(index, "type", "not_a_feature", "each item of 'features' must be a GeoJSON Feature")
            continue
        properties = feature.get("properties")
        code = properties.get("code") if isinstance(properties, dict) else None
        if not isinstance(code, str) or not code:
            problem(index, "properties.code", "missing_code", "'properties.code' must give the area's code as text")
        elif code not in known_areas:
            problem(index, "properties.code", "unknown_area", f"there is no area with code '{code}'")
        elif code in found:
            problem(index, "properties.code", "duplicate_area", f"area '{code}' has more than one feature")
        if (wrong := _geometry_problem(feature.get("geometry"))) is not None:
            problem(index, "geometry", *wrong)
        elif isinstance(code, str) and code in known_areas and code not in found:
            found[code] = {"type": feature["geometry"]["type"], "coordinates": feature["geometry"]["coordinates"]}
    if errors:
        noun = "problem" if len(errors) == 1 else "problems"
        raise Invalid(
            f"The boundaries have {len(errors)} {noun}; nothing was stored",
            errors=errors[:MAX_ERRORS],
            error_count=len(errors),
            code="invalid_boundaries",
        )
    return found


def replace_boundaries(*, session: Session, actor: Principal | None, document: bytes) -> BoundariesStored:
    """Replace every stored boundary with those of the uploaded FeatureCollection (an empty one removes them)."""
    ids = dict(session.exec(select(Area.code, Area.id)).all())
    geometries = parse_boundaries(document, set(ids))
    session.exec(delete(AreaBoundary))
    if geometries:
        session.execute(insert(AreaBoundary), [{"area_id": ids[c], "geometry": g} for c, g in geometries.items()])
    record_change(session, actor, f"area boundaries replaced: {len(geometries)} areas")
    # Written in bulk, out of the audit hook's sight; the areas stand for the (large) geometries.
    trail.record(session, entity="boundaries", entity_key="all", action="replace", after={"areas": sorted(geometries)})
    return BoundariesStored(stored=len(geometries), areas=sorted(geometries))


def _load(session: Session) -> dict[str, dict[str, Any]]:
    rows = session.exec(
        select(Area.code, col(AreaBoundary.geometry)).join(Area, col(Area.id) == AreaBoundary.area_id)
    ).all()
    return dict(rows)


def boundaries(*, session: Session) -> dict[str, Any]:
    """The stored boundaries as a GeoJSON FeatureCollection (the area's code, name and level as properties)."""
    rows = session.exec(
        select(Area.code, Area.name, Area.level, AreaBoundary.geometry)
        .join(Area, col(Area.id) == AreaBoundary.area_id)
        .order_by(Area.code)
    ).all()
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": c, "name": n, "level": lv}, "geometry": g}
            for c, n, lv, g in rows
        ],
    }


def geometries(*, session: Session, read_model: ReadModel) -> dict[str, dict[str, Any]]:
    """Each area's geometry by code, read once per read-model revision (an upload is a metadata change)."""
    read_model.sync()
    return read_model.memo("area_boundaries", lambda: _load(session), indicators=())

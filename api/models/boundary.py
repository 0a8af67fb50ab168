"""Boundaries of areas (GeoJSON polygons uploaded by backbone staff) for the dashboard's map."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from api.models.common import UTCDateTime, utcnow


class AreaBoundary(SQLModel, table=True):
    __tablename__ = "area_boundary"

    area_id: int = Field(foreign_key="area.id", primary_key=True)
    geometry: dict[str, Any] = Field(sa_type=JSON, description="a GeoJSON Polygon or MultiPolygon (WGS 84)")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BoundariesStored(BaseModel):
    stored: int
    areas: list[str]

"""Assignments: which organisation reports which indicator for which area."""

from pydantic import BaseModel
from sqlmodel import Field, SQLModel, UniqueConstraint


class Assignment(SQLModel, table=True):
    # One reporter per cell: observations are keyed on indicator, area, period, breakdown.
    __table_args__ = (UniqueConstraint("indicator_id", "area_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    area_id: int = Field(foreign_key="area.id")


class AssignmentCreate(BaseModel):
    organisation: str = Field(description="organisation code")
    indicator: str = Field(description="indicator code")
    area: str = Field(description="area code")


class AssignmentPublic(AssignmentCreate):
    id: int

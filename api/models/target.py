"""Baselines and targets per indicator, optionally per area; several target periods allowed."""

from pydantic import BaseModel
from sqlmodel import Field, SQLModel


class TargetBase(SQLModel):
    baseline_period: str = Field(max_length=16)
    baseline_value: float
    target_period: str = Field(max_length=16)
    target_value: float


class Target(TargetBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    area_id: int | None = Field(default=None, foreign_key="area.id", description="none: all areas")


class TargetCreate(TargetBase):
    indicator: str = Field(description="indicator code")
    area: str | None = Field(default=None, description="area code; none for the alliance-wide target")


class TargetUpdate(BaseModel):
    baseline_period: str | None = Field(default=None, max_length=16)
    baseline_value: float | None = None
    target_period: str | None = Field(default=None, max_length=16)
    target_value: float | None = None


class TargetPublic(TargetBase):
    id: int
    indicator: str
    area: str | None = None

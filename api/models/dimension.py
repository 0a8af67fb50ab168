"""Breakdown dimensions (``ses``, ``gender``, ...) and their values."""

from pydantic import BaseModel
from sqlmodel import Field, SQLModel, UniqueConstraint

from api.models.common import DimensionCode, Translated, TranslatedJSON, ValueCode


class Dimension(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: Translated = Field(sa_type=TranslatedJSON)


class DimensionValue(SQLModel, table=True):
    __tablename__ = "dimension_value"
    __table_args__ = (UniqueConstraint("dimension_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    dimension_id: int = Field(foreign_key="dimension.id")
    code: str = Field(max_length=40)
    name: Translated = Field(sa_type=TranslatedJSON)
    position: int = 0


class DimensionValueIn(BaseModel):
    code: ValueCode
    name: Translated


class DimensionCreate(BaseModel):
    code: DimensionCode
    name: Translated
    values: list[DimensionValueIn] = Field(min_length=1, max_length=200)


class DimensionUpdate(BaseModel):
    name: Translated | None = None
    values: list[DimensionValueIn] | None = Field(
        default=None, min_length=1, max_length=200, description="replaces the list; values in use cannot be removed"
    )


class DimensionPublic(BaseModel):
    code: str
    name: Translated
    values: list[DimensionValueIn]

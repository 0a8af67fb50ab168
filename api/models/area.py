"""Areas: countries down to schools, in one hierarchy (CBS and AGS codes)."""

from pydantic import BaseModel
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from api.models.common import AreaLevel, Code


class AreaBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    level: AreaLevel = Field(sa_type=String(20))
    active: bool = Field(
        default=True, description="false: retired, kept for the data that names it; no new assignments"
    )


class Area(AreaBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    parent_id: int | None = Field(default=None, foreign_key="area.id", index=True)


class AreaCreate(AreaBase):
    code: Code
    parent: str | None = Field(default=None, description="code of the parent area")


class AreaUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    level: AreaLevel | None = None
    parent: str | None = None
    active: bool | None = Field(default=None, description="false retires the area and ends its assignments")


class AreaPublic(AreaBase):
    code: str
    parent: str | None = None

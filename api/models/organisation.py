"""Organisations: the alliance's members and the backbone office itself."""

from pydantic import BaseModel
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from api.models.common import Code, OrganisationType


class OrganisationBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    type: OrganisationType = Field(sa_type=String(20))
    active: bool = Field(
        default=True, description="false: retired, kept for the data that names it; no new assignments"
    )


class Organisation(OrganisationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)


class OrganisationCreate(OrganisationBase):
    code: Code


class OrganisationUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    type: OrganisationType | None = None
    active: bool | None = Field(
        default=None, description="false retires the organisation: its assignments end and its users are switched off"
    )


class OrganisationPublic(OrganisationBase):
    code: str

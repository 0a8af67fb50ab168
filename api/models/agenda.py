"""The common agenda: one per deployment, with its signatories."""

import datetime as dt

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from api.models.common import Code, Translated, TranslatedJSON


class AgendaBase(SQLModel):
    name: Translated = Field(sa_type=TranslatedJSON)
    vision: Translated | None = Field(default=None, sa_type=TranslatedJSON)
    problem: Translated | None = Field(default=None, sa_type=TranslatedJSON)
    start_date: dt.date | None = None


class Agenda(AgendaBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)


class Signatory(SQLModel, table=True):
    agenda_id: int = Field(foreign_key="agenda.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    signed_on: dt.date | None = None


class SignatoryPublic(BaseModel):
    organisation: str
    name: str
    signed_on: dt.date | None = None


class SignatoryIn(BaseModel):
    organisation: str = Field(description="organisation code")
    signed_on: dt.date | None = None


class AgendaPut(AgendaBase):
    code: Code
    signatories: list[SignatoryIn] = Field(default_factory=list, max_length=1000)


class AgendaUpdate(BaseModel):
    name: Translated | None = None
    vision: Translated | None = None
    problem: Translated | None = None
    start_date: dt.date | None = None
    signatories: list[SignatoryIn] | None = Field(default=None, max_length=1000)


class AgendaPublic(AgendaBase):
    code: str
    signatories: list[SignatoryPublic]

"""Goals of the common agenda."""

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from api.models.common import Code, Translated, TranslatedJSON


class GoalBase(SQLModel):
    title: Translated = Field(sa_type=TranslatedJSON)
    description: Translated | None = Field(default=None, sa_type=TranslatedJSON)
    position: int = Field(default=0, ge=0, le=10_000)


class Goal(GoalBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    agenda_id: int | None = Field(default=None, foreign_key="agenda.id")


class GoalCreate(GoalBase):
    code: Code


class GoalUpdate(BaseModel):
    title: Translated | None = None
    description: Translated | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)


class GoalPublic(GoalBase):
    code: str

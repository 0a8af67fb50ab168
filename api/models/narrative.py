"""The story behind the curve: what works, what partners do, what is next; per indicator, optionally area and period."""

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from api.models.common import Translated, TranslatedJSON, UTCDateTime, utcnow


class Narrative(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    area_id: int | None = Field(default=None, foreign_key="area.id", description="none: the whole alliance")
    period: str | None = Field(default=None, max_length=16, description="none: not tied to one period")
    text: Translated = Field(sa_type=TranslatedJSON)
    organisation_id: int = Field(foreign_key="organisation.id", description="who tells the story")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NarrativePublic(BaseModel):
    id: int
    indicator: str
    area: str | None
    period: str | None
    text: Translated
    organisation: str
    organisation_name: str
    updated_at: datetime

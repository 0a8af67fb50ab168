"""The story behind the curve: what works, what partners do, what is next; per indicator, optionally area and period."""

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from api.models.common import Code, IndicatorCode, Translated, TranslatedJSON, UTCDateTime, utcnow


class Narrative(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    area_id: int | None = Field(default=None, foreign_key="area.id", description="none: the whole alliance")
    period: str | None = Field(default=None, max_length=16, description="none: not tied to one period")
    text: Translated = Field(sa_type=TranslatedJSON)
    organisation_id: int = Field(foreign_key="organisation.id", description="who tells the story")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NarrativeCreate(BaseModel):
    indicator: IndicatorCode = Field(description="indicator code")
    area: Code | None = Field(default=None, description="area code; none for the whole alliance (staff only)")
    period: str | None = Field(default=None, max_length=16, description="in the indicator's period format")
    text: Translated = Field(description="the story, in at least one language (at most 2,000 characters each)")


class NarrativeUpdate(BaseModel):
    area: Code | None = None
    period: str | None = Field(default=None, max_length=16)
    text: Translated | None = None


class NarrativePublic(BaseModel):
    id: int
    indicator: str
    area: str | None
    period: str | None
    text: Translated
    organisation: str
    organisation_name: str
    updated_at: datetime

"""Mutually reinforcing activities: which organisation does what towards which goal, with its status."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, field_validator, model_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from api.models.common import Code, IndicatorCode, Translated, TranslatedJSON, UTCDateTime, utcnow


class ActivityStatus(StrEnum):
    planned = "planned"
    active = "active"
    completed = "completed"
    stopped = "stopped"


TITLE_LENGTH = 200


def _short(title: Translated | None) -> Translated | None:
    if title is not None and any(len(getattr(title, lang) or "") > TITLE_LENGTH for lang in ("nl", "de", "en")):
        raise ValueError(f"a title has at most {TITLE_LENGTH} characters per language")
    return title


def _check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError("end_date must not come before start_date")


class ActivityBase(SQLModel):
    title: Translated = Field(sa_type=TranslatedJSON, description="in the author's language, optionally translated")
    description: Translated | None = Field(default=None, sa_type=TranslatedJSON)
    status: ActivityStatus = Field(default=ActivityStatus.planned, sa_type=String(12))
    start_date: date | None = None
    end_date: date | None = None


class Activity(ActivityBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, description="who does it")
    goal_id: int = Field(foreign_key="goal.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class ActivityIndicator(SQLModel, table=True):
    """An indicator the activity contributes to."""

    __tablename__ = "activity_indicator"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True, index=True)


class ActivityArea(SQLModel, table=True):
    """An area the activity takes place in (none: wherever the organisation works)."""

    __tablename__ = "activity_area"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    area_id: int = Field(foreign_key="area.id", primary_key=True, index=True)


class ActivityCreate(ActivityBase):
    goal: Code = Field(description="goal code")
    indicators: list[IndicatorCode] = Field(
        default_factory=list, max_length=20, description="indicator codes it works on"
    )
    areas: list[Code] = Field(default_factory=list, max_length=50, description="area codes where it takes place")

    _title = field_validator("title")(_short)

    @model_validator(mode="after")
    def _dates(self) -> "ActivityCreate":
        _check_dates(self.start_date, self.end_date)
        return self


class ActivityUpdate(BaseModel):
    goal: Code | None = None
    title: Translated | None = None
    description: Translated | None = None
    status: ActivityStatus | None = None
    start_date: date | None = None
    end_date: date | None = None
    indicators: list[IndicatorCode] | None = Field(default=None, max_length=20)
    areas: list[Code] | None = Field(default=None, max_length=50)

    _title = field_validator("title")(_short)


class ActivityPublic(ActivityBase):
    id: int
    goal: str
    organisation: str
    organisation_name: str
    indicators: list[str]
    areas: list[str]
    created_at: datetime
    updated_at: datetime
    created_by: str | None = Field(default=None, description="username; only for logged-in callers")
    updated_by: str | None = Field(default=None, description="username; only for logged-in callers")

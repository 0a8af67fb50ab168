"""The audit trail of metadata changes: append-only rows, one per changed row of an audited table."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, String
from sqlmodel import Field, Index, SQLModel

from api.models.common import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """One change of one row; never updated nor deleted (database triggers refuse both)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_key"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # No foreign keys: the trail must outlive whatever it describes.
    user_id: int | None = Field(default=None, index=True)
    organisation_id: int | None = None
    channel: str | None = Field(default=None, sa_type=String(10))
    submission_id: int | None = Field(default=None, index=True)
    entity: str = Field(max_length=40)
    entity_key: str = Field(max_length=200)
    action: str = Field(max_length=20)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class AuditEventPublic(BaseModel):
    id: int
    at: datetime
    user: str | None
    organisation: str | None
    channel: str | None
    submission: int | None
    revision: int | None
    entity: str
    entity_key: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ObservationVersion(BaseModel):
    """One version of an observation, with the submission that made it."""

    value: float | None
    numerator: float | None
    denominator: float | None
    provisional: bool
    estimated: bool
    suppressed: bool
    note: str | None
    organisation: str
    submission: int
    revision: int | None
    user: str | None
    channel: str
    at: datetime
    current: bool


class ObservationHistoryPublic(BaseModel):
    id: int
    indicator: str
    area: str
    period: str
    breakdown: dict[str, str]
    versions: list[ObservationVersion]

"""Submissions: one batch of changes each, numbered in commit order by ``revision``."""

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import String, false
from sqlmodel import Field, SQLModel

from api.models.common import Channel, SubmissionKind, UTCDateTime, utcnow


class Submission(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Set just before commit while holding the revision counter's row lock, so that
    # revisions appear in commit order; None until then.
    revision: int | None = Field(default=None, unique=True, index=True)
    kind: SubmissionKind = Field(sa_type=String(20))
    channel: Channel = Field(sa_type=String(10))
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    summary: str = Field(default="", max_length=500)
    file_name: str | None = Field(default=None, max_length=255)
    file_checksum: str | None = Field(default=None, max_length=64)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    # An admin wrote into a locked period on purpose; the reason is in the summary and in period_review.
    override: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class RevisionCounter(SQLModel, table=True):
    __tablename__ = "revision_counter"
    """A single row whose update serialises the numbering of submissions."""

    id: int = Field(default=1, primary_key=True)
    value: int = 0


class SubmissionPublic(BaseModel):
    id: int
    revision: int | None
    kind: SubmissionKind
    channel: Channel
    organisation: str | None
    user: str | None
    created_at: datetime
    summary: str
    file_name: str | None
    rows: int
    inserted: int
    updated: int
    unchanged: int
    override: bool = False

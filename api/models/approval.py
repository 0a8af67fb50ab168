"""Approval and locking of periods: an organisation's report per period, admin locks, and their history."""

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.common import UTCDateTime, utcnow


class ReportStatus(StrEnum):
    draft = "draft"  # nothing submitted yet (no row is stored for it)
    submitted = "submitted"  # waiting for backbone staff; locked for the member
    approved = "approved"  # final: locked for everyone
    returned = "returned"  # sent back with a comment; open again


class ReviewAction(StrEnum):
    submit = "submit"
    approve = "approve"
    return_ = "return"
    lock = "lock"
    unlock = "unlock"
    override = "override"  # an admin wrote into a locked period, on purpose


class PeriodReport(SQLModel, table=True):
    """An organisation's report for one period string: its assignments whose indicators use that period."""

    __tablename__ = "period_report"
    __table_args__ = (UniqueConstraint("organisation_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    period: str = Field(max_length=16)
    status: ReportStatus = Field(sa_type=String(10))
    submitted_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    comment: str | None = Field(default=None, max_length=2000)


class PeriodLock(SQLModel, table=True):
    """A period closed by backbone staff, for one organisation or (organisation none) for everyone."""

    __tablename__ = "period_lock"

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=16, index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    locked_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lock_after: datetime | None = Field(default=None, sa_type=UTCDateTime, description="none: at once")
    unlocked_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    unlocked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PeriodReview(SQLModel, table=True):
    """What happened to a period's report or lock: who, when, what, and why. Only ever added to."""

    __tablename__ = "period_review"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    period: str = Field(max_length=16)
    action: ReviewAction = Field(sa_type=String(10))
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    comment: str | None = Field(default=None, max_length=2000)
    lock_id: int | None = Field(default=None, foreign_key="period_lock.id")
    submission_id: int | None = Field(default=None, foreign_key="submission.id")


class ReviewPublic(BaseModel):
    action: ReviewAction
    user: str | None
    at: datetime
    comment: str | None
    lock: int | None = None
    submission: int | None = None


class ReportPublic(BaseModel):
    organisation: str
    organisation_name: str
    period: str
    status: ReportStatus
    submitted_by: str | None = None
    submitted_at: datetime | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    comment: str | None = None
    history: list[ReviewPublic] = []
    open_warnings: int = PydanticField(
        default=0,
        description="data quality flags of the organisation's values of the period still open: "
        "they do not block approval, the reviewer sees them (GET /quality?organisation=&period=&status=open)",
    )


class ReturnIn(BaseModel):
    comment: str = PydanticField(min_length=1, max_length=2000, description="what to correct; required")


class ApproveIn(BaseModel):
    comment: str | None = PydanticField(default=None, max_length=2000)


class LockCreate(BaseModel):
    period: str = PydanticField(min_length=1, max_length=16, examples=["2024", "2024/25", "2024-Q1"])
    organisation: str | None = PydanticField(default=None, max_length=60, description="none: every organisation")
    lock_after: AwareDatetime | None = PydanticField(
        default=None, description="locks by itself at this moment (with time zone); none: at once"
    )


class LockPublic(BaseModel):
    id: int
    period: str
    organisation: str | None
    locked_by: str | None
    created_at: datetime
    lock_after: datetime | None
    active: bool = PydanticField(description="in force now: not unlocked, and its moment has come")
    unlocked_by: str | None
    unlocked_at: datetime | None

"""Observations (current versions) and their history (every superseded version, with its submission)."""

import math

from pydantic import BaseModel, field_validator
from pydantic import Field as PydanticField
from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from api.models.mapping import MappedRow
from api.models.quality import QualityWarning

TOTAL = ""  # the breakdown key of a total (no breakdown)

# What a reporter may write in a value, status or note (every channel, and the entry form as it is typed).
SUPPRESSION_MARKERS = ("x", ".", "-", "*")  # and '<' followed by a number, e.g. '<5'
PROVISIONAL = ("p", "provisional", "voorlopig", "vorläufig", "vorlaeufig")
ESTIMATED = ("e", "estimated", "geschat", "geschätzt", "geschaetzt")
MAX_NOTE = 1000


class ObservationFields(SQLModel):
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    is_provisional: bool = False
    is_estimated: bool = False
    is_suppressed: bool = Field(default=False, description="suppressed at source; no value")
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    organisation_id: int = Field(foreign_key="organisation.id")
    submission_id: int = Field(foreign_key="submission.id")


class Observation(ObservationFields, table=True):
    __table_args__ = (
        UniqueConstraint("indicator_id", "area_id", "period", "breakdown", name="uq_observation_key"),
        Index("ix_observation_submission", "submission_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    area_id: int = Field(foreign_key="area.id")
    period: str = Field(max_length=16)
    breakdown: str = Field(default=TOTAL, max_length=200)


class ObservationHistory(ObservationFields, table=True):
    """A superseded version of an observation, with the submission that had made it."""

    __tablename__ = "observation_history"
    __table_args__ = (Index("ix_observation_history_observation", "observation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    observation_id: int = Field(foreign_key="observation.id")


def breakdown_key(parts: dict[str, str]) -> str:
    """Canonical key of a breakdown: ``gender:girl,ses:low``; empty for the total."""
    return ",".join(f"{dim}:{value}" for dim, value in sorted(parts.items()) if value)


def parse_breakdown(key: str) -> dict[str, str]:
    if not key:
        return {}
    return dict(part.split(":", 1) for part in key.split(","))


class ObservationIn(BaseModel):
    """One value in a JSON batch; the reporting organisation is the caller's."""

    indicator: str = PydanticField(max_length=60)
    area: str = PydanticField(max_length=40)
    period: str = PydanticField(max_length=16)
    breakdown: dict[str, str] = PydanticField(default_factory=dict, max_length=10)
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    suppressed: bool = PydanticField(default=False, description="suppressed at source: no value")
    provisional: bool = False
    estimated: bool = False
    note: str | None = PydanticField(default=None, max_length=1000)

    @field_validator("value", "numerator", "denominator")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v


class ObservationBatch(BaseModel):
    observations: list[ObservationIn] = PydanticField(min_length=1)


class ObservationPublic(BaseModel):
    id: int
    indicator: str
    area: str
    period: str
    breakdown: dict[str, str]
    value: float | None
    numerator: float | None
    denominator: float | None
    provisional: bool
    estimated: bool
    suppressed: bool = PydanticField(description="suppressed at source, or hidden because the count is small")
    note: str | None
    organisation: str
    submission: int


class WriteSummary(BaseModel):
    rows: int
    inserted: int
    updated: int
    unchanged: int
    skipped: int = PydanticField(default=0, description="file rows without any value, left out")
    submission: int | None = PydanticField(description="none when nothing changed or on a dry run")
    submissions: list[int] = PydanticField(
        default_factory=list, description="every submission made (one per organisation when staff load a file)"
    )
    preview: list[MappedRow] | None = PydanticField(
        default=None, description="through a source mapping, on a dry run: the first observations it made"
    )
    warnings: list[QualityWarning] = PydanticField(
        default_factory=list,
        description="values that break a data quality rule's warning: stored (unless a dry run) and flagged",
    )

"""Data quality: the rules values are checked against, and the flags they raise.

Built-in rules run on every write for every indicator (``api/ingest/quality.py``); an admin adds
rules between indicators (``QualityRule``) and tunes the thresholds per indicator
(``QualitySetting``). A warning is stored as a ``QualityFlag`` and followed up: confirmed with a
comment, or closed by a corrected value.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from api.models.common import Code, Translated, TranslatedJSON, UTCDateTime, utcnow


class Severity(StrEnum):
    error = "error"  # the write is refused
    warning = "warning"  # stored and flagged


class FlagStatus(StrEnum):
    open = "open"
    confirmed = "confirmed"  # the value is right, says the comment
    resolved = "resolved"  # the value was corrected (or no longer breaks the rule)


class QualityFlag(SQLModel, table=True):
    __tablename__ = "quality_flag"

    id: int | None = SQLField(default=None, primary_key=True)
    rule: str = SQLField(max_length=60, index=True)
    severity: str = SQLField(max_length=10)
    indicator_id: int = SQLField(foreign_key="indicator.id", index=True)
    area_id: int = SQLField(foreign_key="area.id", index=True)
    period: str = SQLField(max_length=16)
    breakdown: str = SQLField(default="", max_length=200)
    organisation_id: int | None = SQLField(default=None, foreign_key="organisation.id", index=True)
    observed: float | None = None
    expected: float | None = None
    low: float | None = None
    high: float | None = None
    score: float | None = None
    status: str = SQLField(default=FlagStatus.open, max_length=10, index=True)
    comment: str | None = SQLField(default=None, max_length=1000)
    found_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)
    changed_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)
    changed_by_id: int | None = SQLField(default=None, foreign_key="app_user.id")


class QualityRule(SQLModel, table=True):
    """An admin's rule between indicators, e.g. ``pupils-low-ses <= pupils-total``, per area and period."""

    __tablename__ = "quality_rule"

    id: int | None = SQLField(default=None, primary_key=True)
    code: str = SQLField(max_length=40, unique=True, index=True)
    left: str = SQLField(max_length=500)
    operator: str = SQLField(max_length=2)
    right: str = SQLField(max_length=500)
    severity: str = SQLField(default=Severity.warning, max_length=10)
    message: Translated | None = SQLField(default=None, sa_type=TranslatedJSON)
    active: bool = True


class QualitySetting(SQLModel, table=True):
    """One indicator's thresholds, where they differ from the defaults (``QualityThresholds``)."""

    __tablename__ = "quality_setting"

    indicator_id: int = SQLField(foreign_key="indicator.id", primary_key=True)
    z_score: float | None = None
    modified_z_score: float | None = None
    min_points: int | None = None
    denominator_jump: float | None = None
    sum_tolerance: float | None = None
    min_deviation: float | None = None


class QualityThresholds(BaseModel):
    """The thresholds of the outlier rules; the defaults hold for every indicator without its own."""

    model_config = ConfigDict(allow_inf_nan=False)  # written into the rules' SQL as numbers

    z_score: float = Field(default=3.0, gt=0, description="history: |value - mean of the others| / their sd")
    modified_z_score: float = Field(
        default=3.5, gt=0, description="other areas in the period: 0.6745 |value - median| / MAD"
    )
    min_points: int = Field(default=5, ge=3, description="fewer other points than this: no outlier is flagged")
    denominator_jump: float = Field(default=2.0, gt=1, description="a denominator this many times (or 1/x) the last")
    sum_tolerance: float = Field(default=0.0, ge=0, description="how far a breakdown's sum may be from the total")
    min_deviation: float = Field(
        default=0.25, ge=0, description="an outlier also lies this share of the expected value away from it"
    )


class QualityRuleIn(BaseModel):
    code: Code
    left: str = Field(min_length=1, max_length=500, description="indicator codes and numbers with + - *")
    operator: str = Field(pattern=r"^(<=|<|>=|>|=|!=)$")
    right: str = Field(min_length=1, max_length=500)
    severity: Severity = Severity.warning
    message: Translated | None = None
    active: bool = True


class QualityFlagPublic(BaseModel):
    id: int
    rule: str
    severity: Severity
    indicator: str
    area: str
    period: str
    breakdown: dict[str, str]
    organisation: str | None
    observed: float | None
    expected: float | None = Field(description="the mean, median, total or previous value the rule compares with")
    low: float | None = Field(description="the lowest value the rule lets pass, where it says one")
    high: float | None
    score: float | None = Field(description="z-score, modified z-score or factor, for the statistical rules")
    message: str
    status: FlagStatus
    comment: str | None
    found_at: datetime
    changed_at: datetime


class FlagConfirm(BaseModel):
    comment: str = Field(min_length=1, max_length=1000, description="why the value is right")


class QualityWarning(BaseModel):
    """A warning a write raised: the value is stored, and flagged for follow-up."""

    rule: str
    severity: Severity
    message: str
    indicator: str
    area: str
    period: str
    breakdown: dict[str, str] = Field(default_factory=dict)
    observed: float | None = None
    expected: float | None = None
    score: float | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None


class RuleText(BaseModel):
    """A rule as the API lists it: built in, or an admin's between indicators."""

    code: str
    severity: Severity
    built_in: bool
    message: Translated = Field(description="what a flag of it says; {observed}, {expected}, {score} filled in")
    left: str | None = None
    operator: str | None = None
    right: str | None = None
    active: bool = True

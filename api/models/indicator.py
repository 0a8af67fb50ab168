"""Indicators: what every member reports, per area and period."""

from pydantic import BaseModel, model_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from api.models.common import (
    UNIT_RANGE,
    UNIT_SCALE,
    Aggregation,
    Derivation,
    Direction,
    IndicatorCode,
    PeriodType,
    Translated,
    TranslatedJSON,
    Unit,
)


class IndicatorBase(SQLModel):
    name: Translated = Field(sa_type=TranslatedJSON)
    definition: Translated | None = Field(default=None, sa_type=TranslatedJSON)
    unit: Unit = Field(sa_type=String(20))
    direction: Direction = Field(sa_type=String(10))
    period_type: PeriodType = Field(sa_type=String(20))
    aggregation: Aggregation = Field(sa_type=String(20))
    suppression_threshold: int = Field(
        default=0, ge=0, le=1_000_000, description="counts (and rate denominators) below this are suppressed"
    )
    min_value: float | None = Field(default=None, description="default from the unit")
    max_value: float | None = Field(default=None, description="default from the unit")
    source: str | None = Field(default=None, max_length=500)
    published: bool = Field(default=True, description="visible to anonymous visitors")
    active: bool = Field(
        default=True, description="false: retired, kept for the data that names it; no new assignments"
    )
    position: int = Field(default=0, ge=0, le=10_000)
    derivation: Derivation | None = Field(
        default=None, sa_type=String(20), description="computed from a count indicator in the child areas"
    )
    derivation_group: str | None = Field(
        default=None, max_length=80, description="the group of interest, as dimension:value (e.g. ses:low)"
    )


class Indicator(IndicatorBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=60, unique=True, index=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    owner_id: int | None = Field(default=None, foreign_key="organisation.id")
    derived_from_id: int | None = Field(default=None, foreign_key="indicator.id")


class IndicatorDimension(SQLModel, table=True):
    __tablename__ = "indicator_dimension"

    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True)
    dimension_id: int = Field(foreign_key="dimension.id", primary_key=True)


def check_rules(unit: Unit, aggregation: Aggregation, derivation: Derivation | None = None) -> None:
    if aggregation is Aggregation.ratio and unit not in UNIT_SCALE:
        raise ValueError(f"unit '{unit.value}' cannot aggregate as a ratio of numerator and denominator")
    if aggregation is Aggregation.sum and unit is not Unit.count:
        raise ValueError("only counts aggregate as a sum; rates aggregate as a ratio")
    if aggregation is Aggregation.weighted_mean and unit is Unit.count:
        raise ValueError("counts aggregate as a sum, not as a weighted mean")
    if derivation is not None and (unit is not Unit.index or aggregation is not Aggregation.none):
        raise ValueError("a derived indicator is an index (unit 'index', aggregation 'none')")


class IndicatorCreate(IndicatorBase):
    code: IndicatorCode
    goal: str = Field(description="goal code")
    owner: str | None = Field(default=None, description="organisation code")
    dimensions: list[str] = Field(default_factory=list, max_length=10, description="dimension codes")
    derived_from: str | None = Field(default=None, description="code of the count indicator it is computed from")

    @model_validator(mode="after")
    def _consistent(self) -> "IndicatorCreate":
        check_rules(self.unit, self.aggregation, self.derivation)
        return self


class IndicatorUpdate(BaseModel):
    name: Translated | None = None
    definition: Translated | None = None
    goal: str | None = None
    owner: str | None = None
    unit: Unit | None = None
    direction: Direction | None = None
    aggregation: Aggregation | None = None
    dimensions: list[str] | None = Field(default=None, max_length=10)
    suppression_threshold: int | None = Field(default=None, ge=0, le=1_000_000)
    min_value: float | None = None
    max_value: float | None = None
    source: str | None = Field(default=None, max_length=500)
    published: bool | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)
    active: bool | None = Field(default=None, description="false retires the indicator and ends its assignments")


class IndicatorPublic(IndicatorBase):
    code: str
    goal: str
    owner: str | None = None
    dimensions: list[str]
    derived_from: str | None = None


def value_range(indicator: IndicatorBase) -> tuple[float | None, float | None]:
    """The valid range of values: the indicator's own bounds, else the unit's."""
    low, high = UNIT_RANGE[Unit(indicator.unit)]
    return (
        indicator.min_value if indicator.min_value is not None else low,
        indicator.max_value if indicator.max_value is not None else high,
    )


def scale(unit: Unit | str) -> float | None:
    """Multiplier of numerator / denominator for rate units (100 for percent)."""
    return UNIT_SCALE.get(Unit(unit))

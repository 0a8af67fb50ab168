"""Types shared by the models: translated text, enumerations, pagination."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, Protocol, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import JSON, DateTime, Table, TypeDecorator
from sqlalchemy.orm import Mapped
from sqlmodel import SQLModel, col

from indicators.periods import PeriodType
from indicators.progress import Direction

__all__ = [
    "LANGUAGES",
    "Aggregation",
    "AreaLevel",
    "Channel",
    "Code",
    "Derivation",
    "DimensionCode",
    "Direction",
    "IndicatorCode",
    "OrganisationType",
    "Page",
    "PeriodType",
    "Role",
    "Stored",
    "SubmissionKind",
    "Translated",
    "TranslatedJSON",
    "UTCDateTime",
    "Unit",
    "ValueCode",
    "pk",
    "stored_id",
    "table_of",
    "utcnow",
]

LANGUAGES = ("nl", "de", "en")

# Codes appear in URLs, CSV files and breakdown keys: no spaces, commas or colons.
_CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
Code = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=_CODE)]
IndicatorCode = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=_CODE)]
DimensionCode = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
ValueCode = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Stored(Protocol):
    """A table row whose id the database generates."""

    @property
    def id(self) -> int | None: ...


def stored_id(row: Stored) -> int:
    """The id of a row the database holds (loaded, or added and flushed): None only before the flush."""
    assert row.id is not None, f"{type(row).__name__} has no id before it is flushed"
    return row.id


def table_of(model: type[SQLModel]) -> Table:
    """The table a table model maps to, for SQL Core statements."""
    table: Table = model.__table__  # type: ignore[attr-defined]  # set by SQLAlchemy, not declared by SQLModel
    return table


def pk(column: int | None) -> Mapped[int]:
    """A generated id column in a query: ``col()``, typed as the int every stored row holds."""
    return cast("Mapped[int]", col(column))


class Translated(BaseModel):
    """A text in the alliance's languages; at least one must be given."""

    model_config = ConfigDict(extra="forbid")

    nl: str | None = Field(default=None, max_length=2000)
    de: str | None = Field(default=None, max_length=2000)
    en: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _one_language(self) -> "Translated":
        if not any((self.nl, self.de, self.en)):
            raise ValueError("give the text in at least one of nl, de, en")
        return self

    def get(self, language: str) -> str:
        """The text in ``language``, else English, Dutch or German, in that order."""
        for lang in (language, "en", "nl", "de"):
            text: str | None = getattr(self, lang, None)
            if text:
                return text
        return ""


class TranslatedJSON(TypeDecorator[Translated]):
    """Stores a ``Translated`` as a JSON object, reads it back as one."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, BaseModel):
            return value.model_dump(exclude_none=True)
        return value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else Translated.model_validate(value)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on SQLite (which drops the zone) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use utcnow()")
        return value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Unit(StrEnum):
    percent = "percent"
    count = "count"  # type: ignore[assignment]  # shadows str.count: the name is the contract's value
    rate_per_1000 = "rate_per_1000"
    index = "index"  # type: ignore[assignment]  # shadows str.index: the name is the contract's value
    euro = "euro"


# Multiplier of numerator / denominator for rates, and the valid range, per unit.
UNIT_SCALE = {Unit.percent: 100.0, Unit.rate_per_1000: 1000.0, Unit.euro: 1.0}
UNIT_RANGE: dict[Unit, tuple[float | None, float | None]] = {
    Unit.percent: (0.0, 100.0),
    Unit.count: (0.0, None),
    Unit.rate_per_1000: (0.0, 1000.0),
    Unit.index: (None, None),
    Unit.euro: (0.0, None),
}


class Aggregation(StrEnum):
    sum = "sum"  # counts: add up
    ratio = "ratio"  # rates: sum of numerators over sum of denominators
    weighted_mean = "weighted_mean"  # mean of the values weighted by the denominator (e.g. pupils)
    none = "none"  # not aggregatable over areas (indices)


class Derivation(StrEnum):
    """How a derived indicator is computed from a count indicator in the child areas (schools)."""

    dissimilarity = "dissimilarity"  # Duncan's D of one group against all others
    isolation = "isolation"  # of one group
    exposure = "exposure"  # of one group to all others
    theil = "theil"  # multigroup information index H over all groups


class AreaLevel(StrEnum):
    country = "country"
    province = "province"
    region = "region"
    municipality = "municipality"
    district = "district"
    school = "school"


class OrganisationType(StrEnum):
    municipality = "municipality"
    region = "region"
    childcare = "childcare"
    school_board = "school_board"
    university = "university"
    foundation = "foundation"
    state = "state"
    backbone = "backbone"


class Role(StrEnum):
    admin = "admin"  # backbone staff
    member = "member"  # reporter of one organisation
    viewer = "viewer"  # steering group


class Channel(StrEnum):
    form = "form"
    api = "api"
    csv = "csv"
    xlsx = "xlsx"
    cli = "cli"
    seed = "seed"


class SubmissionKind(StrEnum):
    observations = "observations"
    metadata = "metadata"


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int

"""Source mappings: how one publisher's statistics file becomes observations.

A mapping is data, never code. Its regular expressions run in DuckDB's RE2 engine (linear time,
no backtracking), its templates only put column values together, and the document's size is
limited. ``MappingDocument`` is what the API, the files and the admin page exchange; the stored
row keeps it as JSON.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from sqlalchemy import JSON
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from api.models.common import Code, UTCDateTime, utcnow

MAX_DOCUMENT_BYTES = 256 * 1024
MAX_MAP_ENTRIES = 20_000
MAX_PATTERN = 500
# A named group in a pattern: (?P<name>...) or (?<name>...).
GROUP = re.compile(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>")
# A placeholder in a template: {value}, {a group} or {a source column}.
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
MEASURES = ("value", "numerator", "denominator")

Text = Annotated[str, StringConstraints(max_length=200)]
# A column of the file: its header's text, or '#3' for the third column (a header cell may be empty).
Pattern = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Dialect(_Strict):
    """How the file is written. ``detect`` lets the reader decide from the file itself."""

    delimiter: Literal[",", ";", "\t", "|", "detect"] = "detect"
    decimal: Literal[",", ".", "detect"] = Field(
        default="detect", description="detect: a decimal comma when the delimiter is ';'"
    )
    encoding: Literal["utf-8", "cp1252", "detect"] = Field(
        default="detect", description="detect: UTF-8 if the file is valid UTF-8, else Windows-1252"
    )
    quote: Literal['"', "'", ""] = '"'
    skip_lines: int | Literal["detect"] = Field(
        default=0, description="lines above the header (titles); detect: the lines before the first full-width line"
    )
    header_lines: int = Field(
        default=1, ge=1, le=5, description="lines the header spans; their texts are joined with a space"
    )
    footer_lines: int | Literal["detect"] = Field(
        default="detect",
        description="lines dropped at the end (footnotes); detect: trailing lines narrower than the header",
    )
    sheet: Text | None = Field(default=None, description="XLSX: the sheet to read (else the first)")

    @field_validator("skip_lines", "footer_lines")
    @classmethod
    def _lines(cls, value: int | str) -> int | str:
        if isinstance(value, int) and not 0 <= value <= 1000:
            raise ValueError("must be between 0 and 1000, or 'detect'")
        return value


class FieldRule(_Strict):
    """Where one key of an observation comes from, and how its text becomes a code.

    Exactly one of ``value`` (fixed), ``column`` (a column of the file), ``group`` (a named group of
    the measure column's header pattern) or ``template`` alone. The text is trimmed, then ``extract``
    keeps the pattern's first group (or the whole match), ``map`` looks it up, and ``template``
    puts it in place of ``{value}`` (other placeholders name columns of the file or groups).
    """

    value: Text | None = None
    column: Text | None = None
    group: Text | None = None
    extract: Pattern | None = None
    map: dict[Text, Text | None] | None = Field(
        default=None, description="text → code; a null code leaves the observation out"
    )
    unmapped: Literal["error", "keep", "skip"] = Field(
        default="error", description="what a text missing from map does: error, kept as it is, or left out"
    )
    template: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"value": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_source(self) -> FieldRule:
        given = [name for name in ("value", "column", "group") if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError(f"give one of value, column or group, not {' and '.join(given)}")
        if not given and self.template is None:
            raise ValueError("give one of value, column, group or template")
        if self.map is not None and len(self.map) > MAX_MAP_ENTRIES:
            raise ValueError(f"a map holds at most {MAX_MAP_ENTRIES:,} entries")
        return self

    def placeholders(self) -> list[str]:
        return PLACEHOLDER.findall(self.template or "")


class MeasureRule(_Strict):
    """Columns whose header matches ``columns`` hold one measure each: one row of the file becomes many observations."""

    columns: Pattern = Field(description="a regular expression (RE2) over the column headers, with named groups")
    measure: FieldRule = Field(
        default_factory=lambda: FieldRule(value="value"), description="value, numerator or denominator"
    )

    def groups(self) -> list[str]:
        return GROUP.findall(self.columns)


class SkipRule(_Strict):
    """Rows left out: where ``column`` equals one of ``equals``, matches ``matches``, or is empty."""

    column: Text
    equals: list[Text] | None = Field(default=None, max_length=1000)
    matches: Pattern | None = None
    empty: bool = False

    @model_validator(mode="after")
    def _one_test(self) -> SkipRule:
        given = [n for n in ("equals", "matches") if getattr(self, n) is not None] + (["empty"] if self.empty else [])
        if len(given) != 1:
            raise ValueError("give one of equals, matches or empty: true")
        return self


class Markers(_Strict):
    """Cell texts with a meaning of their own (compared after trimming)."""

    suppressed: list[Text] = Field(
        default_factory=list, max_length=50, description="stored as suppressed (as well as x, <5 and the like)"
    )
    missing: list[Text] = Field(default_factory=list, max_length=50, description="no value: the cell is left out")
    zero: list[Text] = Field(default_factory=list, max_length=50, description="read as 0")


class MappingDocument(_Strict):
    code: Code
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None
    source: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None, description="where the file is published"
    )
    file: Dialect = Field(default_factory=Dialect)
    indicator: FieldRule
    area: FieldRule
    period: FieldRule
    breakdown: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)], FieldRule] = Field(
        default_factory=dict, max_length=10
    )
    measures: list[MeasureRule] = Field(min_length=1, max_length=50)
    skip: list[SkipRule] = Field(default_factory=list, max_length=50)
    markers: Markers = Field(default_factory=Markers)
    combine: Literal["error", "sum"] = Field(
        default="error",
        description="cells that give the same measure of one observation (e.g. one row per course of a school): "
        "an error, or added up (a suppressed part makes the sum suppressed)",
    )
    zero_denominator: Literal["error", "skip"] = Field(
        default="error", description="an observation whose denominator is 0 (no cases): an error, or left out"
    )
    areas: Literal["all", "known", "assigned"] = Field(
        default="all",
        description="which rows are kept: all (an unknown area is an error), those of the alliance's areas, "
        "or only those the importing organisation reports (the rest of a national file is left out)",
    )

    def fields(self) -> dict[str, FieldRule]:
        """The key fields in the order a reader reads an observation, with their rule's path."""
        return {
            "indicator": self.indicator,
            "area": self.area,
            "period": self.period,
            **{f"breakdown.{name}": rule for name, rule in self.breakdown.items()},
        }


class SourceMapping(SQLModel, table=True):
    __tablename__ = "source_mapping"

    id: int | None = SQLField(default=None, primary_key=True)
    code: str = SQLField(max_length=40, unique=True, index=True)
    name: str = SQLField(max_length=200)
    document: dict[str, Any] = SQLField(sa_type=JSON)
    updated_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


class MappingSummary(BaseModel):
    code: str
    name: str
    description: str | None
    source: str | None
    updated_at: datetime


class MappedRow(BaseModel):
    """One observation as the mapping made it, before the checks: for previews."""

    line: int = Field(description="the line of the source file it came from (its first cell's)")
    indicator: str | None
    area: str | None
    period: str | None
    value: str | None
    numerator: str | None
    denominator: str | None
    breakdown: dict[str, str] = Field(default_factory=dict)

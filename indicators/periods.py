"""Reporting periods: parsing, canonical spelling and ordering per period type.

Canonical spellings: year ``2023``, school year ``2023/24``, quarter ``2023-Q1``,
month ``2023-05``. ``position`` maps a period onto a number line in years so that
periods of one type sort and interpolate correctly (a school year sits at its
start year, a quarter at ``year + (q - 1) / 4``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache


class PeriodType(StrEnum):
    year = "year"
    school_year = "school_year"
    quarter = "quarter"
    month = "month"


EXAMPLES = {
    PeriodType.year: "2023",
    PeriodType.school_year: "2023/24",
    PeriodType.quarter: "2023-Q1",
    PeriodType.month: "2023-05",
}

_PATTERNS = {
    PeriodType.year: re.compile(r"(\d{4})"),
    PeriodType.school_year: re.compile(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})"),
    PeriodType.quarter: re.compile(r"(\d{4})\s*-?\s*Q([1-4])", re.IGNORECASE),
    PeriodType.month: re.compile(r"(\d{4})-(\d{1,2})"),
}

MIN_YEAR, MAX_YEAR = 1900, 2100


class PeriodError(ValueError):
    """A period that is not a valid period of the expected type."""


@lru_cache(maxsize=4096)
def normalize(text: str, period_type: PeriodType | str) -> str:
    """Return the canonical spelling of ``text`` as a period of ``period_type``.

    Raises ``PeriodError`` with a message a reporter can act on.
    """
    kind = PeriodType(period_type)
    raw = text.strip()
    match = _PATTERNS[kind].fullmatch(raw)
    if match is None:
        raise PeriodError(f"'{raw}' is not a {kind.value.replace('_', ' ')} like {EXAMPLES[kind]}")
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    if kind is PeriodType.year:
        return f"{year:04d}"
    if kind is PeriodType.school_year:
        end = match.group(2)
        expected = year + 1
        if (len(end) == 2 and int(end) != expected % 100) or (len(end) == 4 and int(end) != expected):
            raise PeriodError(
                f"school year '{raw}' must run over two consecutive years, like {year}/{expected % 100:02d}"
            )
        return f"{year:04d}/{expected % 100:02d}"
    if kind is PeriodType.quarter:
        return f"{year:04d}-Q{match.group(2)}"
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month} in '{raw}' is not between 1 and 12")
    return f"{year:04d}-{month:02d}"


def is_valid(text: str, period_type: PeriodType | str) -> bool:
    try:
        normalize(text, period_type)
    except PeriodError:
        return False
    return True


@lru_cache(maxsize=4096)
def position(period: str, period_type: PeriodType | str) -> float:
    """Place a period on a continuous time axis measured in years."""
    kind = PeriodType(period_type)
    canonical = normalize(period, kind)
    year = int(canonical[:4])
    if kind is PeriodType.quarter:
        return year + (int(canonical[-1]) - 1) / 4
    if kind is PeriodType.month:
        return year + (int(canonical[5:7]) - 1) / 12
    return float(year)


def periods_per_year(period_type: PeriodType | str) -> int:
    return {"year": 1, "school_year": 1, "quarter": 4, "month": 12}[PeriodType(period_type)]


def infer_type(period: str) -> PeriodType:
    """The period type a canonical or common spelling belongs to (``2023/24`` is a school year)."""
    for kind in (PeriodType.school_year, PeriodType.quarter, PeriodType.month, PeriodType.year):
        if is_valid(period, kind):
            return kind
    raise PeriodError(f"'{period}' is not a period like {', '.join(EXAMPLES.values())}")


def as_position(period: str | float) -> float:
    """A period string or an already numeric position, as a position in years."""
    if isinstance(period, str):
        return position(period, infer_type(period))
    return float(period)


def periods_in_year(period_type: PeriodType | str, year: int) -> list[str]:
    """The periods of a type that begin in ``year`` (a school year begins in its first year)."""
    kind = PeriodType(period_type)
    if kind is PeriodType.year:
        return [f"{year}"]
    if kind is PeriodType.school_year:
        return [f"{year}/{(year + 1) % 100:02d}"]
    if kind is PeriodType.quarter:
        return [f"{year}-Q{q}" for q in range(1, 5)]
    return [f"{year}-{m:02d}" for m in range(1, 13)]


SCHOOL_YEAR_END_MONTH = 7  # school years run from August to July in both countries


def end_date(period: str, period_type: PeriodType | str) -> date:
    """The last day of a period: 31 December, 31 July of a school year's second year, a quarter's last day."""
    kind = PeriodType(period_type)
    canonical = normalize(period, kind)
    year = int(canonical[:4])
    if kind is PeriodType.year:
        return date(year, 12, 31)
    if kind is PeriodType.school_year:
        return date(year + 1, SCHOOL_YEAR_END_MONTH, 31)
    last_month = int(canonical[-1]) * 3 if kind is PeriodType.quarter else int(canonical[5:7])
    following = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return following - timedelta(days=1)


def periods_between(first: str, last: str, period_type: PeriodType | str) -> list[str]:
    """Every period of a type from ``first`` to ``last``, both included, in order (a time axis without gaps)."""
    kind = PeriodType(period_type)
    start, end = position(first, kind), position(last, kind)
    return [
        p
        for year in range(int(start), int(end) + 1)
        for p in periods_in_year(kind, year)
        if start <= position(p, kind) <= end
    ]

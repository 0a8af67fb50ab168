"""Period parsing, canonical spelling and ordering."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.periods import PeriodError, end_date, normalize, periods_between, periods_in_year, position


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("2023", "year", "2023"),
        (" 2023 ", "year", "2023"),
        ("2023/24", "school_year", "2023/24"),
        ("2023/2024", "school_year", "2023/24"),
        ("2023-24", "school_year", "2023/24"),
        ("1999/00", "school_year", "1999/00"),
        ("2023-Q1", "quarter", "2023-Q1"),
        ("2023q4", "quarter", "2023-Q4"),
        ("2023-5", "month", "2023-05"),
        ("2023-12", "month", "2023-12"),
    ],
)
def test_normalize_accepts_common_spellings(text, kind, canonical):
    assert normalize(text, kind) == canonical


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("23", "year"),
        ("2023/25", "school_year"),  # not consecutive years
        ("2023", "school_year"),
        ("2023-Q5", "quarter"),
        ("2023-13", "month"),
        ("1850", "year"),
        ("", "year"),
    ],
)
def test_normalize_rejects_with_a_message(text, kind):
    with pytest.raises(PeriodError, match=r"."):
        normalize(text, kind)


def test_positions_order_periods_of_one_type():
    assert position("2019/20", "school_year") < position("2020/21", "school_year")
    quarters = ["2022-Q4", "2023-Q1", "2023-Q2"]
    assert sorted(quarters, key=lambda q: position(q, "quarter")) == quarters
    assert position("2023-Q3", "quarter") == 2023.5  # 2023 + (3 - 1) / 4
    assert position("2023-07", "month") == 2023.5  # 2023 + (7 - 1) / 12


@given(st.integers(1900, 2099), st.integers(1, 12))
def test_month_position_is_monotonic(year, month):
    here = position(f"{year}-{month:02d}", "month")
    later = position(f"{year + (month == 12)}-{month % 12 + 1:02d}", "month")
    assert later > here


@pytest.mark.parametrize(
    ("period", "kind", "last_day"),
    [
        ("2023", "year", date(2023, 12, 31)),
        ("2023/24", "school_year", date(2024, 7, 31)),
        ("2024-Q1", "quarter", date(2024, 3, 31)),
        ("2024-Q4", "quarter", date(2024, 12, 31)),
        ("2024-02", "month", date(2024, 2, 29)),
        ("2023-12", "month", date(2023, 12, 31)),
    ],
)
def test_end_date_is_the_last_day_of_the_period(period, kind, last_day):
    assert end_date(period, kind) == last_day


def test_periods_in_a_year_per_type():
    assert periods_in_year("year", 2024) == ["2024"]
    assert periods_in_year("school_year", 2024) == ["2024/25"]
    assert periods_in_year("school_year", 2099) == ["2099/00"]
    assert periods_in_year("quarter", 2024)[-1] == "2024-Q4"
    assert len(periods_in_year("month", 2024)) == 12


def test_periods_between_fill_the_axis_in_order():
    assert periods_between("2022/23", "2025/26", "school_year") == ["2022/23", "2023/24", "2024/25", "2025/26"]
    assert periods_between("2023-Q3", "2024-Q2", "quarter") == ["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"]
    assert periods_between("2024-11", "2025-02", "month") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert periods_between("2025", "2024", "year") == []

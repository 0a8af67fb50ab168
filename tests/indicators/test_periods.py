"""Period parsing, canonical spelling and ordering."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.periods import PeriodError, normalize, position


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
    with pytest.raises(PeriodError, match="."):
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

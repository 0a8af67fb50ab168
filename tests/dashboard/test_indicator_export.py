"""The chart's data as CSV: what the page shows, suppressed values flagged and empty, formulas neutralised."""

from __future__ import annotations

import csv
import io

from api.services.analytics.equity import Equity, EquityPeriod, GapOut
from api.services.analytics.series import AreaRef, IndicatorRef, PeriodValue, SeriesPoint
from dashboard.pages.indicator.export import chart_csv, safe_text
from indicators.progress import Status
from tests.dashboard.test_series_figure import a_series


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # so spreadsheets read the accents as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_suppressed_values_are_flagged_and_left_empty_never_zero():
    series = a_series(
        [
            SeriesPoint(period="2021/22", value=61.5, expected=60.0, status=Status.on_track),
            SeriesPoint(period="2022/23", value=None, suppressed=True),
        ],
        baseline=PeriodValue(period="2020/21", value=58.0),
        target=PeriodValue(period="2025/26", value=70.0),
    )
    rows = rows_of(chart_csv([series]))
    values = [r for r in rows if r["kind"] == "value"]
    assert [(r["period"], r["value"], r["suppressed"]) for r in values] == [
        ("2021/22", "61.5", "false"),
        ("2022/23", "", "true"),
    ]
    assert values[0]["trajectory"] == "60" and values[0]["status"] == "on_track"
    assert [(r["kind"], r["period"], r["value"]) for r in rows if r["kind"] != "value"] == [
        ("baseline", "2020/21", "58"),
        ("target", "2025/26", "70"),
    ]


def test_breakdown_groups_and_the_gap_come_with_the_series():
    indicator = IndicatorRef(code="reading", name={"en": "R"}, unit="percent", direction="higher", period_type="year")
    equity = Equity(
        indicator=indicator,
        area=AreaRef(code="A1", name="Alpha", level="municipality"),
        dimension="ses",
        group="low",
        reference="high",
        latest_gap=None,
        gap_trend=None,
        periods=[
            EquityPeriod(
                period="2020",
                values={"low": 55.0, "middle": None, "high": 86.0},
                suppressed=[],
                gap=GapOut(absolute=-31.0, ratio=0.64),
            ),
            EquityPeriod(
                period="2021", values={"low": None, "middle": None, "high": 87.0}, suppressed=["low"], gap=None
            ),
        ],
    )
    rows = rows_of(chart_csv([], equity))
    assert [(r["breakdown"], r["period"], r["kind"], r["value"], r["suppressed"]) for r in rows] == [
        ("ses:low", "2020", "value", "55", "false"),
        ("ses:high", "2020", "value", "86", "false"),
        ("ses:low minus ses:high", "2020", "gap", "-31", ""),  # a number, not text: not neutralised
        ("ses:low", "2021", "value", "", "true"),
        ("ses:high", "2021", "value", "87", "false"),
    ]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised():
    series = a_series([SeriesPoint(period="2021", value=1.0)])
    series.area = AreaRef(code="@A1", name='=HYPERLINK("http://evil.example","click")', level="municipality")
    (row,) = rows_of(chart_csv([series]))
    assert row["area_name"] == '\'=HYPERLINK("http://evil.example","click")' and row["area"] == "'@A1"
    assert [safe_text(t) for t in ("+1", "-x", "\tx", "Witten", "a=b")] == ["'+1", "'-x", "'\tx", "Witten", "a=b"]

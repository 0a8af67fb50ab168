"""Reporting completeness: per organisation and period, the values expected (its assignments) and reported."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.errors import NotFound
from api.models import PeriodReport, QualityFlag
from api.models.approval import ReportStatus
from api.models.quality import FlagStatus
from api.readmodel import ReadModel
from api.services.analytics import reference
from indicators import periods


class CompletenessRow(BaseModel):
    organisation: str
    organisation_name: str
    period: str
    period_type: str
    expected: int = Field(description="assigned indicator × area totals for the period")
    reported: int = Field(description="of those, reported (a value or suppressed at source)")
    share: float = Field(description="reported / expected")
    deadline: dt.date = Field(description="the period's end plus the reporting time allowed")
    overdue: bool = Field(description="past the deadline and not complete")
    report_status: ReportStatus = Field(
        default=ReportStatus.draft, description="the organisation's report for the period: submitted, approved ..."
    )
    open_warnings: int = Field(default=0, description="open data quality flags on the organisation's values")


def completeness(
    *,
    read_model: ReadModel,
    today: dt.date,
    deadline_days: int,
    years: int = 3,
    organisation: str | None = None,
    session: Session | None = None,
) -> list[CompletenessRow]:
    """Every ended period of the last ``years`` years, for every organisation with assignments.

    With ``session`` each row also gets its report's review status and its open quality warnings.
    """
    cur = read_model.cursor()
    try:
        organisations = {
            oid: (code, name) for oid, code, name in cur.execute("SELECT id, code, name FROM organisation").fetchall()
        }
        if organisation is not None and organisation not in {code for code, _ in organisations.values()}:
            raise NotFound(f"No organisation with code '{organisation}'")
        kinds = [row[0] for row in cur.execute("SELECT DISTINCT period_type FROM indicator").fetchall()]
        wanted = sorted(
            {
                (kind, period)
                for kind in kinds
                for year in range(today.year - years, today.year + 1)
                for period in periods.periods_in_year(kind, year)
                if periods.end_date(period, kind) < today
            }
        )
        chosen = next((oid for oid, (code, _name) in organisations.items() if code == organisation), None)
        # Counted in the read model, not in a loop over every assignment and period (a national alliance has
        # 240,000 assignments). Derived indicators are computed, not reported: they are expected from no one.
        counted = cur.execute(
            """WITH wanted AS (SELECT unnest($kinds) AS period_type, unnest($periods) AS period),
                    reported AS (SELECT DISTINCT indicator_id, area_id, period FROM observation
                                 WHERE breakdown = $total AND list_contains($periods, period))
               SELECT s.organisation_id, w.period, w.period_type, count(*), count(r.period)
               FROM assignment s JOIN indicator i ON i.id = s.indicator_id AND i.derivation IS NULL
               JOIN wanted w ON w.period_type = i.period_type
               LEFT JOIN reported r ON r.indicator_id = s.indicator_id AND r.area_id = s.area_id
                                   AND r.period = w.period
               WHERE $organisation IS NULL OR s.organisation_id = $organisation
               GROUP BY ALL""",
            {
                "kinds": [kind for kind, _period in wanted] or [""],
                "periods": [period for _kind, period in wanted] or [""],
                "total": reference.TOTAL,
                "organisation": chosen,
            },
        ).fetchall()
    finally:
        cur.close()
    reviewed: dict[tuple[int, str], str] = {}
    flagged: dict[tuple[int, str], int] = {}
    if session is not None:
        reviewed = {
            (org_id, period): status
            for org_id, period, status in session.exec(
                select(PeriodReport.organisation_id, PeriodReport.period, PeriodReport.status)
            ).all()
        }
        flagged = open_warnings(session)
    rows = []
    for org_id, period, kind, expected, done in counted:
        deadline = periods.end_date(period, kind) + dt.timedelta(days=deadline_days)
        code, name = organisations[org_id]
        rows.append(
            CompletenessRow(
                organisation=code,
                organisation_name=name,
                period=period,
                period_type=kind,
                expected=expected,
                reported=done,
                share=done / expected,
                deadline=deadline,
                overdue=done < expected and today > deadline,
                report_status=ReportStatus(reviewed.get((org_id, period), ReportStatus.draft)),
                open_warnings=flagged.get((org_id, period), 0),
            )
        )
    return sorted(rows, key=lambda r: (r.organisation_name, periods.position(r.period, r.period_type), r.period))


def open_warnings(session: Session) -> dict[tuple[int, str], int]:
    """The open quality flags per (organisation id, period), counted in one grouped query for the whole table."""
    found = session.exec(
        select(QualityFlag.organisation_id, QualityFlag.period, func.count())
        .where(QualityFlag.status == FlagStatus.open, col(QualityFlag.organisation_id).is_not(None))
        .group_by(col(QualityFlag.organisation_id), col(QualityFlag.period))
    ).all()
    return {(org_id, period): count for org_id, period, count in found if org_id is not None}

"""Each reporter's template of what to report: its assignments x breakdowns x periods, as CSV or XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from api.errors import Invalid
from api.ingest.files import INFORMATIONAL
from api.models.observation import parse_breakdown
from api.readmodel import ReadModel
from indicators import periods


@dataclass
class Template:
    columns: list[str]
    rows: list[dict[str, str | None]]


def _text(number: float | None) -> str | None:
    if number is None:
        return None
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def template(
    *, read_model: ReadModel, organisation_id: int, period: str | None = None, year: int | None = None
) -> Template:
    """The rows an organisation is expected to report: its assignments × breakdowns × periods.

    ``period`` picks one period (indicators of other period types are left out);
    ``year`` (default: last year) gives each indicator its periods in that year.
    Values already reported fill the row; ``previous_value`` is the latest earlier one.
    """
    year = year or dt.date.today().year - 1
    cur = read_model.cursor()
    try:
        assignments = cur.execute(
            """SELECT i.id, i.code, i.period_type, i.aggregation, a.id, a.code FROM assignment s
               JOIN indicator i ON i.id = s.indicator_id JOIN area a ON a.id = s.area_id
               JOIN goal g ON g.id = i.goal_id
               WHERE s.organisation_id = ? ORDER BY g.position, i.position, i.code, a.code""",
            [organisation_id],
        ).fetchall()
        breakdowns: dict[int, list[str]] = {}
        for indicator_id, key in cur.execute(
            """SELECT x.indicator_id, d.code || ':' || v.code FROM indicator_dimension x
               JOIN dimension d ON d.id = x.dimension_id JOIN dimension_value v ON v.dimension_id = d.id
               ORDER BY d.code, v.position"""
        ).fetchall():
            breakdowns.setdefault(indicator_id, []).append(key)
        observed = {
            (ind, area, per, key): row
            for ind, area, per, key, *row in cur.execute(
                """SELECT o.indicator_id, o.area_id, o.period, o.breakdown, o.value, o.numerator, o.denominator,
                          o.is_provisional, o.is_estimated, o.is_suppressed, o.note, p.position
                   FROM observation o JOIN assignment s ON s.indicator_id = o.indicator_id AND s.area_id = o.area_id
                   JOIN indicator i ON i.id = o.indicator_id
                   LEFT JOIN period p ON p.period_type = i.period_type AND p.period = o.period
                   WHERE s.organisation_id = ?""",
                [organisation_id],
            ).fetchall()
        }
    finally:
        cur.close()

    latest: dict[tuple[int, int, str], list[tuple[float, str, list[Any]]]] = {}
    for (ind, area, per, key), found in observed.items():
        latest.setdefault((ind, area, key), []).append((found[-1] or 0.0, per, found))
    dimensions = sorted({d for keys in breakdowns.values() for d in (k.split(":")[0] for k in keys)})
    rows = []
    for indicator_id, indicator, period_type, aggregation, area_id, area in assignments:
        if period is not None:
            try:
                wanted = [periods.normalize(period, period_type)]
            except periods.PeriodError:
                continue
        else:
            wanted = periods.periods_in_year(period_type, year)
        for per in wanted:
            here = periods.position(per, period_type)
            for key in ["", *breakdowns.get(indicator_id, [])]:
                row: dict[str, str | None] = {"indicator": indicator, "area": area, "period": per}
                row.update(parse_breakdown(key))
                current = observed.get((indicator_id, area_id, per, key))
                if current:
                    value, numerator, denominator, provisional, estimated, suppressed, note, _ = current
                    row.update(
                        value="x" if suppressed else _text(value),
                        numerator=_text(numerator) if aggregation == "ratio" else None,
                        denominator=_text(denominator) if aggregation == "ratio" else None,
                        status=" ".join(s for s, on in (("provisional", provisional), ("estimated", estimated)) if on),
                        note=note,
                    )
                earlier = [e for e in latest.get((indicator_id, area_id, key), []) if e[0] < here]
                if earlier:
                    _, previous_period, previous = max(earlier)
                    row["previous_period"] = previous_period
                    row["previous_value"] = "x" if previous[5] else _text(previous[0])
                rows.append(row)
    columns = [
        "indicator",
        "area",
        "period",
        *dimensions,
        "value",
        "numerator",
        "denominator",
        "status",
        "note",
        *INFORMATIONAL,
    ]
    return Template(columns=columns, rows=rows)


def template_csv(table: Template, delimiter: str = ",") -> bytes:
    """The template as CSV; with ``;`` the numbers get a decimal comma, as Dutch and German Excel expect."""
    if delimiter not in (",", ";"):
        raise Invalid("The delimiter must be ',' or ';'", code="invalid_delimiter")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.columns, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    numeric = ("value", "numerator", "denominator", "previous_value")
    for row in table.rows:
        if delimiter == ";":
            row = {k: (v.replace(".", ",") if k in numeric and isinstance(v, str) else v) for k, v in row.items()}
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def template_xlsx(table: Template) -> bytes:
    """The template as an XLSX workbook with one sheet, ``observations``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("observations")
    bold = Font(bold=True)
    header = []
    for name in table.columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    numeric = {"value", "numerator", "denominator", "previous_value"}
    for row in table.rows:
        cells: list[str | float | None] = []
        for name in table.columns:
            value = row.get(name)
            if name in numeric and isinstance(value, str) and value != "x":
                cells.append(float(value) if "." in value or "e" in value else int(value))
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

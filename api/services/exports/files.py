"""Observations and progress as CSV, XLSX or Parquet files, filtered and suppressed as the JSON API does."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pyarrow as pa

from api.errors import Invalid
from api.ingest.validate import sql_literal
from api.models.common import Role
from api.models.observation import parse_breakdown
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics import observations, progress
from api.services.exports.formats import MEDIA_TYPES, WITHHELD, XLSX_MAX_ROWS, Column, Format, write

# The columns of the observations CSV (POST /api/v1/imports); the breakdown dimensions go after `period`.
IMPORT_COLUMNS = ("indicator", "area", "period", "value", "numerator", "denominator", "status", "note")
READABLE_COLUMNS = (
    Column("area_name"),
    Column("organisation"),
    Column("organisation_name"),
    Column("suppressed", "boolean"),
)
_NUMBERS = {"value", "numerator", "denominator"}
_BATCH = 10_000
Columns = Literal["all", "import"]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    media_type: str
    rows: int


def _filename(kind: str, fmt: str, *parts: str | None) -> str:
    label = "-".join(re.sub(r"[^A-Za-z0-9._-]+", "-", p.strip()).strip("-") for p in parts if p and p.strip())
    return f"backbone-{kind}{'-' + label if label else ''}.{fmt}"


def export_observations(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    out: BinaryIO,
    fmt: Format,
    indicator: str | None = None,
    area: str | None = None,
    period: str | None = None,
    breakdown: str | None = None,
    columns: Columns = "all",
    delimiter: str = ",",
) -> ExportFile:
    """Every observation that ``GET /observations`` lists with these filters, written to ``out`` in ``fmt``.

    Values hidden from the caller (suppressed at source, or small cells and those that would give them
    away) come out as ``x`` in CSV and XLSX (the import's marker) and null in Parquet, with their
    numerator and denominator empty. ``columns="import"``: only the columns ``POST /imports`` reads.
    """
    cur = read_model.cursor()
    try:
        base, params = observations.observation_filter(cur, principal, indicator, area, period, breakdown)
        if fmt == "xlsx":
            count = cur.execute(f"SELECT count(*) {base}", params).fetchall()[0][0]
            if count > XLSX_MAX_ROWS:
                raise Invalid(
                    f"{count} rows do not fit in one XLSX sheet ({XLSX_MAX_ROWS} at most): "
                    "narrow the filters, or export CSV or Parquet",
                    code="too_many_rows",
                )
        keys = [k for (k,) in cur.execute(f"SELECT DISTINCT o.breakdown {base}", params).fetchall()]
        dimensions = sorted({d for key in keys for d in parse_breakdown(key)})
        visibility = observations.Visibility(read_model, cur, principal)
        # Hidden cells are worked out before the rows stream, as that needs the cursor.
        if principal is None or not principal.is_admin:
            for ind, per in cur.execute(f"SELECT DISTINCT o.indicator_id, o.period {base}", params).fetchall():
                visibility.prepare(ind, per)
        if fmt == "parquet":
            filters = (indicator, area, period, breakdown)
            count = _parquet(cur, out, filters, visibility, dimensions, readable=columns == "all")
            return ExportFile(_filename("observations", fmt, indicator, area, period), MEDIA_TYPES[fmt], count)
        layout = [
            *(Column(n, "number" if n in _NUMBERS else "text") for n in IMPORT_COLUMNS[:3]),
            *(Column(d) for d in dimensions),
            *(Column(n, "number" if n in _NUMBERS else "text") for n in IMPORT_COLUMNS[3:]),
            *(READABLE_COLUMNS if columns == "all" else ()),
        ]
        reader = cur.sql(
            f"""SELECT o.indicator_id, i.code, o.area_id, a.code, o.period, o.breakdown, o.value, o.numerator,
                       o.denominator, o.is_provisional, o.is_estimated, o.is_suppressed, o.note, o.organisation_id,
                       a.name, org.code, org.name
                {base} ORDER BY i.code, a.code, o.period, o.breakdown""",
            params=params,
        ).to_arrow_reader(_BATCH)
        rows = _observation_rows(reader, visibility, dimensions, readable=columns == "all")
        count = write(fmt, out, layout, rows, delimiter)
    finally:
        cur.close()
    return ExportFile(_filename("observations", fmt, indicator, area, period), MEDIA_TYPES[fmt], count)


def _parquet(
    cur: Any,
    out: BinaryIO,
    filters: tuple[str | None, str | None, str | None, str | None],  # indicator, area, period, breakdown
    visibility: observations.Visibility,
    dimensions: list[str],
    *,
    readable: bool,
) -> int:
    """The rows as ``_observation_rows`` makes them, but made and written by DuckDB (``COPY ... TO``), many times
    faster: the hidden cells joined as a table, the file streamed into ``out`` from a temporary one."""
    cells = visibility.hidden_cells()
    columns = list(zip(*cells, strict=True)) if cells else [(), (), (), ()]
    types = {"indicator_id": pa.int64(), "period": pa.string(), "area_id": pa.int64(), "breakdown": pa.string()}
    hidden = pa.table({n: pa.array(c, type=t) for (n, t), c in zip(types.items(), columns, strict=True)})
    principal = visibility.principal
    raw = "false"  # the public and the steering group see no hidden cell raw; staff all; members their own
    if principal is not None and principal.is_admin:
        raw = "true"
    elif principal is not None and principal.role is Role.member:
        raw = f"o.organisation_id = {int(principal.organisation_id or 0)}"
    hide = f"(o.is_suppressed OR NOT ({raw}) AND h.area_id IS NOT NULL)"
    groups = [
        f"list_filter(string_split(o.breakdown, ','), lambda p: starts_with(p, {sql_literal(d + ':')}))[1]"
        f"[{len(d) + 2}:] AS {_quoted(d)}"
        for d in dimensions
    ]
    figures = [f"CASE WHEN {hide} THEN NULL ELSE o.{n} END AS {n}" for n in ("value", "numerator", "denominator")]
    status = (
        "concat_ws(' ', CASE WHEN o.is_provisional THEN 'provisional' END, "
        "CASE WHEN o.is_estimated THEN 'estimated' END) AS status"
    )
    names = ["a.name AS area_name", "org.code AS organisation", "org.name AS organisation_name"]
    chosen = ["i.code AS indicator", "a.code AS area", "o.period", *groups, *figures, status, "o.note"]
    chosen += [*names, f"{hide} AS suppressed"] if readable else []
    base, params = observations.observation_filter(
        cur,
        principal,
        *filters,
        joins="LEFT JOIN export_hidden h ON h.indicator_id = o.indicator_id AND h.period = o.period"
        " AND h.area_id = o.area_id AND h.breakdown = o.breakdown",
    )
    cur.register("export_hidden", hidden)
    try:
        with tempfile.TemporaryDirectory(prefix="backbone-export-") as folder:
            path = Path(folder) / "export.parquet"
            count: int = cur.execute(
                f"COPY (SELECT {', '.join(chosen)} {base} ORDER BY i.code, a.code, o.period, o.breakdown) "
                f"TO {sql_literal(str(path))} (FORMAT parquet, COMPRESSION zstd)",
                params,
            ).fetchall()[0][0]
            with path.open("rb") as made:
                shutil.copyfileobj(made, out, 1 << 20)
    finally:
        cur.unregister("export_hidden")
    return count


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _observation_rows(
    reader: Any, visibility: observations.Visibility, dimensions: list[str], *, readable: bool
) -> Iterator[list[Any]]:
    for batch in reader:
        for ind_id, ind, area_id, area, per, key, value, num, den, prov, est, supp, note, org_id, *names in zip(
            *(column.to_pylist() for column in batch.columns), strict=True
        ):
            hide = supp or visibility.hides(ind_id, per, area_id, key, org_id)
            groups = parse_breakdown(key)
            status = " ".join(s for s, on in (("provisional", prov), ("estimated", est)) if on)
            row = [ind, area, per, *(groups.get(d) for d in dimensions)]
            row += [WITHHELD if hide else value, None if hide else num, None if hide else den, status, note]
            if readable:
                row += [*names, hide]
            yield row


PROGRESS_COLUMNS = (
    Column("goal"),
    Column("area"),
    Column("area_name"),
    Column("indicator"),
    Column("indicator_name"),
    Column("unit"),
    Column("direction"),
    Column("source"),
    Column("latest_period"),
    Column("latest_value", "number"),
    Column("suppressed", "boolean"),
    Column("complete", "boolean"),
    Column("baseline_period"),
    Column("baseline_value", "number"),
    Column("target_period"),
    Column("target_value", "number"),
    Column("expected", "number"),
    Column("progress", "number"),
    Column("status"),
)


def export_progress(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    out: BinaryIO,
    fmt: Format,
    goal: str | None = None,
    area: str | None = None,
    until: int | None = None,
    language: str = "en",
    delimiter: str = ",",
) -> ExportFile:
    """``GET /progress`` as one row per goal, area and indicator (latest value, baseline, target, progress, status)."""
    page = progress.progress(
        read_model=read_model, principal=principal, limit=1 << 30, offset=0, goal=goal, area=area, until=until
    )
    rows = [
        [
            item.goal.code,
            item.area.code,
            item.area.name,
            entry.code,
            entry.name.get(language),
            entry.unit.value,
            entry.direction.value,
            entry.source,
            entry.latest.period if entry.latest else None,
            WITHHELD if entry.suppressed else (entry.latest.value if entry.latest else None),
            entry.suppressed,
            entry.complete,
            entry.baseline.period if entry.baseline else None,
            entry.baseline.value if entry.baseline else None,
            entry.target.period if entry.target else None,
            entry.target.value if entry.target else None,
            entry.expected,
            entry.progress,
            entry.status.value,
        ]
        for item in page.items
        for entry in item.indicators
    ]
    count = write(fmt, out, PROGRESS_COLUMNS, rows, delimiter)
    label = str(until) if until else None
    return ExportFile(_filename("progress", fmt, goal, area, label), MEDIA_TYPES[fmt], count)

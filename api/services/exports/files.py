"""Observations and progress as CSV, XLSX or Parquet files, filtered and suppressed as the JSON API does."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import numpy as np
import pyarrow as pa

from api.errors import Invalid
from api.ingest.validate import sql_literal
from api.models.common import Role
from api.models.observation import parse_breakdown
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics import observations, progress
from api.services.exports.formats import (
    FORMULA_STARTS,
    MEDIA_TYPES,
    WITHHELD,
    XLSX_MAX_ROWS,
    Column,
    Format,
    safe_text,
    write,
    xlsx_around,
)

# The columns of the observations CSV (POST /api/v1/imports); the breakdown dimensions go after `period`.
IMPORT_COLUMNS = ("indicator", "area", "period", "value", "numerator", "denominator", "status", "note")
READABLE_COLUMNS = (
    Column("area_name"),
    Column("organisation"),
    Column("organisation_name"),
    Column("suppressed", "boolean"),
)
_NUMBERS = {"value", "numerator", "denominator"}
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # what a sheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE)
# A text a sheet's cell cannot take as it is: a control character (tab, line breaks and those it cannot hold),
# XML's & < >, a formula's start (FORMULA_STARTS), a space at either end.
_SPECIAL = r"[\x00-\x1f&<>]|^[=+\-@ ]| $"
Columns = Literal["all", "import"]
_BATCH = 1 << 16  # rows of a sheet made at a time


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
        layout = [
            *(Column(n, "number" if n in _NUMBERS else "text") for n in IMPORT_COLUMNS[:3]),
            *(Column(d) for d in dimensions),
            *(Column(n, "number" if n in _NUMBERS else "text") for n in IMPORT_COLUMNS[3:]),
            *(READABLE_COLUMNS if columns == "all" else ()),
        ]
        filters = (indicator, area, period, breakdown)
        count = _copied(cur, out, fmt, filters, visibility, layout, dimensions, delimiter)
    finally:
        cur.close()
    return ExportFile(_filename("observations", fmt, indicator, area, period), MEDIA_TYPES[fmt], count)


def _copied(
    cur: Any,
    out: BinaryIO,
    fmt: Format,
    filters: tuple[str | None, str | None, str | None, str | None],  # indicator, area, period, breakdown
    visibility: observations.Visibility,
    layout: list[Column],
    dimensions: list[str],
    delimiter: str,
) -> int:
    """The rows, made and written by DuckDB (``COPY ... TO``): the hidden cells joined as a table, each
    cell written as ``formats`` writes it, the file streamed into ``out`` from a temporary one (constant
    memory). XLSX: DuckDB writes the sheet's XML, a row per line, and ``formats.xlsx_around`` zips it."""
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
    sources = {
        "indicator": "i.code",
        "area": "a.code",
        "period": "o.period",
        "status": "concat_ws(' ', CASE WHEN o.is_provisional THEN 'provisional' END, "
        "CASE WHEN o.is_estimated THEN 'estimated' END)",
        "note": "o.note",
        "area_name": "a.name",
        "organisation": "org.code",
        "organisation_name": "org.name",
        "suppressed": hide,
        **{n: f"CASE WHEN {hide} THEN NULL ELSE o.{n} END" for n in _NUMBERS},
        **{
            d: f"list_filter(string_split(o.breakdown, ','), lambda p: starts_with(p, {sql_literal(d + ':')}))[1]"
            f"[{len(d) + 2}:]"
            for d in dimensions
        },
    }
    base, params = observations.observation_filter(
        cur,
        principal,
        *filters,
        joins="LEFT JOIN export_hidden h ON h.indicator_id = o.indicator_id AND h.period = o.period"
        " AND h.area_id = o.area_id AND h.breakdown = o.breakdown",
    )
    order = "i.code, a.code, o.period, o.breakdown"

    def ordered(cell: dict[str, str]) -> str:
        return f"SELECT {', '.join(f'{cell[c.name]} AS {_quoted(c.name)}' for c in layout)} {base} ORDER BY {order}"

    if fmt == "csv":
        comma = delimiter == ";"
        cell = {c.name: _csv_cell(c.kind, sources[c.name], comma) for c in layout}
        cell["value"] = (
            f"CASE WHEN {hide} THEN {sql_literal(WITHHELD.value)} ELSE {_csv_cell('number', 'o.value', comma)} END"
        )
        query = ordered(cell)
        options = f"FORMAT csv, HEADER false, DELIMITER {sql_literal(delimiter)}, NEW_LINE '\\r\\n'"
        header = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")  # the BOM, and the names formula-safe
        csv.writer(header, delimiter=delimiter, lineterminator="\r\n").writerow([safe_text(c.name) for c in layout])
        header.flush()
        header.detach()
    elif fmt == "xlsx":
        # Each cell's value worked out once in an inner query (``x`` for a hidden value), its XML from that.
        sources["value"] = f"CASE WHEN {hide} THEN {sql_literal(WITHHELD.value)} ELSE CAST(o.value AS VARCHAR) END"
        chosen = [f"{sources[c.name]} AS c{n}" for n, c in enumerate(layout)]
        keys = [f"{k} AS k{n}" for n, k in enumerate(order.split(", "))]
        query = f"SELECT {', '.join([*chosen, *keys])} {base}"
    else:
        query = ordered(sources)
        options = "FORMAT parquet, COMPRESSION zstd"
    cur.register("export_hidden", hidden)
    try:
        if fmt == "xlsx":
            return _sheet(cur, out, layout, query, params, len(keys))
        with tempfile.TemporaryDirectory(prefix="backbone-export-") as folder:
            path = Path(folder) / f"export.{fmt}"
            count: int = cur.execute(
                f"COPY ({query}) TO {sql_literal(str(path))} ({options})",
                params,
            ).fetchall()[0][0]
            with path.open("rb") as made:
                shutil.copyfileobj(made, out, 1 << 20)
    finally:
        cur.unregister("export_hidden")
    return count


def _sheet(cur: Any, out: BinaryIO, layout: list[Column], inner: str, params: list[Any], keys: int) -> int:
    """The rows of ``inner`` (a column ``c<n>`` per column of ``layout``, then ``keys`` sort keys ``k<n>``) as a
    workbook: DuckDB makes each row's XML, handed on as Arrow holds it, zipped as it comes (constant memory).
    The texts that repeat (codes, names, periods, categories, statuses) are the workbook's shared strings,
    each written once and named by number in its cells; a note, free text, stays in its cell."""
    shared = [n for n, c in enumerate(layout) if c.kind == "text" and c.name != "note"]
    # The distinct texts first, then their XML: in one statement DuckDB checks every row's texts for the XML.
    distinct = f"SELECT DISTINCT unnest([{', '.join(f'c{n}' for n in shared)}]) AS t FROM ({inner})"  # noqa: S608
    cur.execute(f"CREATE OR REPLACE TEMP TABLE export_text AS {distinct}", params)
    text = _xlsx_text("t")
    # Each string numbered in order, with its cell made here once, not in every row that names it.
    numbered = f"SELECT t, row_number() OVER (ORDER BY t) - 1 AS n FROM export_text WHERE {text} IS NOT NULL"  # noqa: S608
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE export_string AS SELECT t, n, "  # noqa: S608
        f"'<si>' || {text} || '</si>' AS item, '<c t=\"s\"><v>' || n || '</v></c>' AS cell FROM ({numbered})"
    )  # both temporary tables go with the cursor
    items = [item.encode() for (item,) in cur.execute("SELECT item FROM export_string ORDER BY n").fetchall()]
    row = ", ".join(
        f"coalesce(s{n}.cell, '<c/>')"
        if n in shared
        else _xlsx_cell("withheld" if c.name == "value" else c.kind, f"r.c{n}")
        for n, c in enumerate(layout)
    )
    strings = " ".join(f"LEFT JOIN export_string s{n} ON s{n}.t = r.c{n}" for n in shared)
    by = ", ".join(f"r.k{n}" for n in range(keys))
    # One concat of the whole row: a chain of || makes a new string at every step.
    query = f"SELECT concat('<row>', {row}, '</row>') FROM ({inner}) r {strings} ORDER BY {by}"  # noqa: S608
    count = 0

    def rows() -> Iterator[memoryview]:
        nonlocal count
        for batch in cur.sql(query, params=params).to_arrow_reader(_BATCH):
            count += batch.num_rows
            yield _joined(batch.column(0))

    xlsx_around(out, layout, rows(), items)
    return count


def _csv_cell(kind: str, sql: str, decimal_comma: bool) -> str:
    """A cell as ``formats.write_csv`` writes it, in SQL: texts formula-safe (a leading '), numbers whole where
    they are whole (else their shortest exact form, as Python's repr), booleans true or false; empty as NULL."""
    if kind == "boolean":
        return f"CASE WHEN {sql} IS NULL THEN NULL WHEN {sql} THEN 'true' ELSE 'false' END"
    if kind == "number":
        text = (
            f"CASE WHEN {sql} = trunc({sql}) AND abs({sql}) < 1e15 THEN CAST(CAST({sql} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST({sql} AS VARCHAR) END"
        )
        return f"replace({text}, '.', ',')" if decimal_comma else text
    starts = ", ".join(sql_literal(c) for c in FORMULA_STARTS)
    return f"CASE WHEN {sql} = '' THEN NULL WHEN left({sql}, 1) IN ({starts}) THEN '''' || {sql} ELSE {sql} END"


def _xlsx_cell(kind: str, column: str) -> str:
    """A cell of a sheet's XML as ``formats.write_xlsx`` writes it, in SQL: texts inline (``_xlsx_text``), numbers
    as numbers, booleans as such; empty as <c/>. ``withheld``: a number given as text, or ``x`` (hidden)."""
    if kind == "boolean":
        xml = f"'<c t=\"b\"><v>' || CAST({column} AS INTEGER) || '</v></c>'"
    elif kind == "number":
        xml = f"'<c><v>' || CAST(CASE WHEN isfinite({column}) THEN {column} END AS VARCHAR) || '</v></c>'"
    else:
        xml = f"'<c t=\"inlineStr\"><is>' || {_xlsx_text(column)} || '</is></c>'"
        if kind == "withheld":
            number = f"'<c><v>' || {column} || '</v></c>'"
            xml = f"CASE WHEN {column} = {sql_literal(WITHHELD.value)} THEN {xml} ELSE {number} END"
    return f"coalesce({xml}, '<c/>')"  # || gives NULL for an empty cell


def _xlsx_text(column: str) -> str:
    """A text as a sheet's ``<t>`` element, in SQL: formula-safe, without the control characters a sheet cannot
    hold, escaped; NULL for an empty one."""
    kept = f"regexp_replace({column}, '{_ILLEGAL}', '', 'g')"
    text = _csv_cell("text", kept, False)
    escaped = f"replace(replace(replace(replace({text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), chr(13), '&#13;')"
    # Spaces at either end are kept only when the text says so (xml:space), which costs bytes: only there.
    spaces = "' ' || chr(9) || chr(10) || chr(13)"
    start = f"CASE WHEN {column} = trim({column}, {spaces}) THEN '<t>' ELSE '<t xml:space=\"preserve\">' END"
    # Most texts need none of that: one scan sends only those that do (or might) the long way.
    return (
        f"CASE WHEN {column} = '' OR regexp_matches({column}, '{_SPECIAL}') THEN {start} || {escaped} || '</t>' "
        f"ELSE '<t>' || {column} || '</t>' END"
    )


def _joined(column: pa.Array) -> memoryview:
    """A column of texts (none empty) end to end, as Arrow holds them: no copy, no Python string per row."""
    _valid, offsets, data = column.buffers()
    if len(column) == 0 or data is None:
        return memoryview(b"")
    at = np.frombuffer(offsets, dtype=np.int64 if pa.types.is_large_string(column.type) else np.int32)
    return memoryview(data)[at[column.offset] : at[column.offset + len(column)]]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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

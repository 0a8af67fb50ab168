"""Staging an observations file (CSV in any accepted dialect, or XLSX) in DuckDB.

CSV: the header is read here to settle the delimiter (``,`` or ``;``) and check the
columns; DuckDB then reads every column as VARCHAR (``allow_quoted_nulls=false``,
rows that do not fit the header are collected as errors, not dropped silently).
A file that is not UTF-8 is read as Windows-1252. XLSX: the sheet named
``observations`` (else the first) is read row by row with openpyxl.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

from api.errors import ErrorItem, ImportRejected, TooLarge
from api.ingest.pipeline import STAGED_COLUMNS, Staged, StagedRow
from api.ingest.spool import SpooledFile
from api.ingest.validate import Problem

REQUIRED = ("indicator", "area", "period", "value")
# Columns of the template that help the reporter and are not imported.
INFORMATIONAL = ("previous_period", "previous_value")
_HEAD_BYTES = 1 << 20
_XLSX_CHUNK = 50_000


def _locate_file(row: int, column: str) -> dict[str, object]:
    return {"row": row, "column": column or None}


def _reject(message: str, code: str, column: str | None = None, row: int | None = 1) -> ImportRejected:
    return ImportRejected(message, errors=[ErrorItem(code=code, message=message, row=row, column=column)], code=code)


def _check_header(names: list[str], dimensions: set[str]) -> list[str]:
    """Normalised column names (trimmed, lower case); 422 with every header problem."""
    normalised = [name.strip().lstrip("\ufeff").strip().lower() for name in names]
    known = set(STAGED_COLUMNS) | dimensions | set(INFORMATIONAL)
    problems = []
    seen: set[str] = set()
    for original, name in zip(names, normalised, strict=True):
        if not name:
            problems.append(ErrorItem(code="empty_column_name", message="a column has no name", row=1))
        elif name in seen:
            problems.append(
                ErrorItem(code="duplicate_column", message=f"column '{name}' appears twice", row=1, column=original)
            )
        elif name not in known:
            problems.append(
                ErrorItem(
                    code="unknown_column",
                    message=f"unknown column '{original.strip()}': expected {', '.join(STAGED_COLUMNS)} "
                    f"or a breakdown dimension ({', '.join(sorted(dimensions))})",
                    row=1,
                    column=original,
                )
            )
        seen.add(name)
    problems.extend(
        ErrorItem(code="missing_column", message=f"the column '{required}' is missing", row=1, column=required)
        for required in REQUIRED
        if required not in normalised
    )
    if problems:
        raise ImportRejected(
            f"The header row has {len(problems)} problem{'s' if len(problems) > 1 else ''}; nothing was written",
            errors=problems,
            code="invalid_header",
        )
    return normalised


def _transcode(source: Path) -> Path:
    """Windows-1252 to UTF-8, streaming, into a file beside the source."""
    target = source.with_suffix(source.suffix + ".utf8")
    with (
        source.open("r", encoding="cp1252", errors="replace", newline="") as reader,
        target.open("w", encoding="utf-8", newline="") as writer,
    ):
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
    return target


def _header(path: Path) -> tuple[list[str], str]:
    """The header's fields and its delimiter: ``;`` when it has more semicolons than commas."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff")
    if not head.strip():
        raise _reject("The file is empty", "empty_file", row=None)
    first_line = head.splitlines()[0] if head.splitlines() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        names = next(csv.reader(io.StringIO(head), delimiter=delimiter))
    except csv.Error as exc:  # e.g. a lone carriage return inside the first line
        raise _reject(f"The header line cannot be read as CSV: {exc}", "unreadable_file") from exc
    return names, delimiter


def stage_csv(
    cur: duckdb.DuckDBPyConnection, spooled: SpooledFile, *, dimensions: set[str], max_rows: int, max_line_bytes: int
) -> Staged:
    path = spooled.path if spooled.is_utf8 else _transcode(spooled.path)
    try:
        names, delimiter = _header(path)
        columns = _check_header(names, dimensions)
        spec = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in columns) + "}"
        try:
            cur.execute(
                f"""CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv(?, delim = ?, quote = '"',
                    escape = '"', header = false, skip = 1, columns = {spec}, allow_quoted_nulls = false,
                    strict_mode = true, null_padding = false, store_rejects = true, max_line_size = ?,
                    encoding = 'utf-8', auto_detect = false)""",
                [str(path), delimiter, max(max_line_bytes, 2048)],
            )
        except duckdb.Error as exc:
            raise _reject(f"The file cannot be read as CSV: {str(exc).splitlines()[0]}", "unreadable_file") from exc
        problems = _structural_problems(cur, len(columns), delimiter)
    finally:
        if path != spooled.path:
            path.unlink(missing_ok=True)
    rows = cur.execute("SELECT count(*) FROM raw").fetchall()[0][0]
    if rows + len(problems) > max_rows:
        raise TooLarge(f"The file has more than {max_rows:,} rows; split it into smaller files", code="too_many_rows")
    if rows + len(problems) == 0:
        raise _reject("The file has a header but no rows", "no_rows", row=None)
    _stage_from_raw(cur, columns, rejected=sorted(p.row for p in problems))
    return Staged(
        dimensions=[c for c in columns if c in dimensions],
        locate=_locate_file,
        decimal_comma=delimiter == ";",
        problems=problems,
        skip_blank=True,
    )


# DuckDB's kinds of rows that do not fit the header, as our error codes.
_REJECTS = {
    "TOO MANY COLUMNS": "too_many_columns",
    "MISSING COLUMNS": "missing_columns",
    "UNQUOTED VALUE": "unquoted_value",
    "LINE SIZE OVER MAXIMUM": "line_too_long",
    "INVALID ENCODING": "invalid_encoding",
}


def _width(csv_line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader(io.StringIO(csv_line.strip("\r\n")), delimiter=delimiter), []))
    except csv.Error:  # a lone carriage return inside the line: count the delimiters instead
        return csv_line.count(delimiter) + 1


def _structural_problems(cur: duckdb.DuckDBPyConnection, width: int, delimiter: str) -> list[Problem]:
    """One problem per row that DuckDB set aside, in the row numbers a spreadsheet shows."""
    problems = []
    for line, kind, csv_line in cur.execute(
        """SELECT line, first(error_type::VARCHAR ORDER BY column_idx), first(csv_line)
           FROM reject_errors GROUP BY line ORDER BY line"""
    ).fetchall():
        code = _REJECTS.get(kind, "malformed_row")
        if code in ("too_many_columns", "missing_columns"):
            found = _width(csv_line, delimiter)
            message = f"the row has {found} values where the header has {width} columns"
        elif code == "unquoted_value":
            message = "a quoted value is not closed, or a quote stands inside an unquoted value"
        else:
            message = kind.lower()
        problems.append(Problem(int(line), "", code, message))
    return problems


def _stage_from_raw(cur: duckdb.DuckDBPyConnection, columns: list[str], rejected: list[int]) -> None:
    """``staged`` from ``raw``: row numbers as a spreadsheet counts them (the header is row 1)."""
    if rejected:
        # Rows DuckDB set aside are not in ``raw``; number the others around them.
        total = cur.execute("SELECT count(*) FROM raw").fetchall()[0][0] + len(rejected)
        skip = set(rejected)
        numbers = [row for row in range(2, total + 2) if row not in skip]
        cur.register("row_numbers", pa.table({"k": list(range(len(numbers))), "row": numbers}))
        row_expr, join = "n.row", "JOIN row_numbers n ON n.k = r.rowid"
    else:
        row_expr, join = "r.rowid + 2", ""
    dims = [c for c in columns if c not in STAGED_COLUMNS and c not in INFORMATIONAL]
    select = ", ".join(
        [f"{row_expr} AS _row"]
        + [f"r.{c}" if c in columns else f"NULL::VARCHAR AS {c}" for c in STAGED_COLUMNS]
        + [f"r.{d}" for d in dims]
    )
    cur.execute(f"CREATE OR REPLACE TEMP TABLE staged AS SELECT {select} FROM raw r {join}")
    if rejected:
        cur.unregister("row_numbers")


def cell_text(value: object) -> str | None:
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        # Spreadsheets turn "2023-05" into the first of May: give the month back.
        if value.day == 1 and (not isinstance(value, dt.datetime) or value.time() == dt.time()):
            return f"{value.year:04d}-{value.month:02d}"
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _reject(f"The file cannot be read as XLSX: {exc}", "unreadable_file", row=None) from exc
    try:
        sheet = next((ws for ws in workbook.worksheets if ws.title.strip().lower() == "observations"), None)
        sheet = sheet or workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in row]
            if any(c is not None and c.strip() for c in cells):
                yield number, cells
    finally:
        workbook.close()


def stage_xlsx(cur: duckdb.DuckDBPyConnection, spooled: SpooledFile, *, dimensions: set[str], max_rows: int) -> Staged:
    rows = _xlsx_rows(spooled.path)
    first = next(rows, None)
    if first is None:
        raise _reject("The workbook's sheet is empty", "empty_file", row=None)
    _, header = first
    while header and header[-1] is None:
        header.pop()
    columns = _check_header([h or "" for h in header], dimensions)
    dims = [c for c in columns if c in dimensions]
    names = ["_row", *STAGED_COLUMNS, *dims]
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE staged ("
        + ", ".join(f"{n} {'BIGINT' if n == '_row' else 'VARCHAR'}" for n in names)
        + ")"
    )
    batch: list[StagedRow] = []
    count = 0
    for number, cells in rows:
        count += 1
        if count > max_rows:
            raise TooLarge(f"The sheet has more than {max_rows:,} rows; split it", code="too_many_rows")
        record: StagedRow = {"_row": number, **dict(zip(columns, cells, strict=False))}
        batch.append(record)
        if len(batch) >= _XLSX_CHUNK:
            _append(cur, batch, names)
            batch = []
    _append(cur, batch, names)
    if count == 0:
        raise _reject("The sheet has a header but no rows", "no_rows", row=None)
    return Staged(dimensions=dims, locate=_locate_file, decimal_comma=True, skip_blank=True)


def _append(cur: duckdb.DuckDBPyConnection, batch: list[StagedRow], names: list[str]) -> None:
    if not batch:
        return
    table = pa.table(
        {n: pa.array([r.get(n) for r in batch], type=pa.int64() if n == "_row" else pa.string()) for n in names}
    )
    cur.register("xlsx_batch", table)
    cur.execute("INSERT INTO staged SELECT * FROM xlsx_batch")
    cur.unregister("xlsx_batch")


def stage_file(cur: duckdb.DuckDBPyConnection, spooled: SpooledFile, *, max_rows: int, max_line_bytes: int) -> Staged:
    """Stage an observations file as the table ``staged``; 422/413 for a file that cannot be."""
    dimensions = {code for (code,) in cur.execute("SELECT code FROM dimension").fetchall()}
    if spooled.size == 0:
        raise _reject("The file is empty", "empty_file", row=None)
    if spooled.is_xlsx:
        return stage_xlsx(cur, spooled, dimensions=dimensions, max_rows=max_rows)
    return stage_csv(cur, spooled, dimensions=dimensions, max_rows=max_rows, max_line_bytes=max_line_bytes)

"""Staging an observations file (CSV in any accepted dialect, or XLSX) in DuckDB.

CSV: the header is read here to settle the delimiter (``,`` or ``;``) and check the
columns; DuckDB then reads every column as VARCHAR (``allow_quoted_nulls=false``,
rows that do not fit the header are collected as errors, not dropped silently).
A file that is not UTF-8 is read as Windows-1252. XLSX: the sheet named
``observations`` (else the first) is read row by row with openpyxl.

Either way, as spreadsheets save them: blank lines (empty, or nothing but delimiters and
spaces, of any width) are passed over but keep their row numbers, and columns without a
name are read and ignored as long as their cells are empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import mmap
import re
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
# How a column without a name is staged: ``_unnamed_7`` is the 7th column.
_UNNAMED = "_unnamed_"
_TWO_LINE_ENDS = re.compile(rb"\n\r?\n")


def _locate_file(row: int, column: str) -> dict[str, object]:
    return {"row": row, "column": column or None}


def _reject(message: str, code: str, column: str | None = None, row: int | None = 1) -> ImportRejected:
    return ImportRejected(message, errors=[ErrorItem(code=code, message=message, row=row, column=column)], code=code)


def _check_header(names: list[str], dimensions: set[str]) -> list[str]:
    """Normalised column names (trimmed, lower case; ``""`` for a column without a name); 422 with every
    header problem. An unnamed column is no problem here: its cells must be empty (``_unnamed_values``)."""
    normalised = [name.strip().lstrip("\ufeff").strip().lower() for name in names]
    known = set(STAGED_COLUMNS) | dimensions | set(INFORMATIONAL)
    problems = []
    seen: set[str] = set()
    for original, name in zip(names, normalised, strict=True):
        if not name:
            continue
        if name in seen:
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


def _letters(number: int) -> str:
    """A column's letters as a spreadsheet shows them: 1 is A, 27 is AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _unnamed_problem(row: int, number: int, cell: str) -> Problem:
    shown = cell if len(cell) <= 50 else cell[:47] + "..."
    message = f"column {number} ({_letters(number)}) has no name but row {row} has a value in it: '{shown}'"
    return Problem(row, f"column {number}", "value_in_unnamed_column", message)


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
    cur: duckdb.DuckDBPyConnection,
    spooled: SpooledFile,
    *,
    dimensions: set[str],
    max_rows: int,
    max_line_bytes: int,
    max_errors: int,
) -> Staged:
    path = spooled.path if spooled.is_utf8 else _transcode(spooled.path)
    try:
        names, delimiter = _header(path)
        columns = [name or f"{_UNNAMED}{number}" for number, name in enumerate(_check_header(names, dimensions), 1)]
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
        problems, blank = _structural_problems(cur, len(columns), delimiter)
        rows = cur.execute("SELECT count(*) FROM raw").fetchall()[0][0]
        if rows + len(problems) > max_rows:
            raise TooLarge(
                f"The file has more than {max_rows:,} rows; split it into smaller files", code="too_many_rows"
            )
        set_aside = [p.row for p in problems] + blank
        empty = _empty_lines(path, delimiter, expected=rows + len(set_aside))
    finally:
        if path != spooled.path:
            path.unlink(missing_ok=True)
    _stage_from_raw(cur, columns, set_aside=sorted(set_aside + empty))
    listed, count = _unnamed_values(cur, columns, max_errors)
    if not problems and not cur.execute("SELECT count(*) FROM staged").fetchall()[0][0]:
        raise _reject("The file has a header but no rows", "no_rows", row=None)
    return Staged(
        dimensions=[c for c in columns if c in dimensions],
        locate=_locate_file,
        decimal_comma=delimiter == ";",
        problems=problems + listed,
        unlisted=count - len(listed),
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


def _structural_problems(cur: duckdb.DuckDBPyConnection, width: int, delimiter: str) -> tuple[list[Problem], list[int]]:
    """One problem per row that DuckDB set aside, in the row numbers a spreadsheet shows; and the
    numbers of the rows it set aside that are blank lines of another width than the header's."""
    problems, blank = [], []
    only_delimiters = re.compile(f"[ \t{re.escape(delimiter)}]*")
    for line, kind, csv_line in cur.execute(
        """SELECT line, first(error_type::VARCHAR ORDER BY column_idx), first(csv_line)
           FROM reject_errors GROUP BY line ORDER BY line"""
    ).fetchall():
        code = _REJECTS.get(kind, "malformed_row")
        if code in ("too_many_columns", "missing_columns") and only_delimiters.fullmatch(csv_line.strip("\r\n")):
            blank.append(int(line))
            continue
        if code in ("too_many_columns", "missing_columns"):
            found = _width(csv_line, delimiter)
            message = f"the row has {found} values where the header has {width} columns"
        elif code == "unquoted_value":
            message = "a quoted value is not closed, or a quote stands inside an unquoted value"
        else:
            message = kind.lower()
        problems.append(Problem(int(line), "", code, message))
    return problems, blank


def _empty_lines(path: Path, delimiter: str, *, expected: int) -> list[int]:
    """The row numbers of the empty lines, which DuckDB's reader passes over without a trace.

    Only for a file with two line ends in a row (an empty line, or one inside a quoted value): its
    records are then read again with Python's reader. ``expected``: the rows DuckDB read or set aside;
    if the two readers disagree, no line is taken as empty (the numbers stay as DuckDB's alone).
    """
    with path.open("rb") as binary, mmap.mmap(binary.fileno(), 0, access=mmap.ACCESS_READ) as content:
        if not _TWO_LINE_ENDS.search(content):
            return []
    empty, others = [], 0
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        records = csv.reader(handle, delimiter=delimiter)
        try:
            next(records, None)  # the header
            for number, record in enumerate(records, start=2):
                if record:
                    others += 1
                else:
                    empty.append(number)
        except csv.Error:  # e.g. a value longer than the reader takes
            return []
    return empty if others == expected else []


def _stage_from_raw(cur: duckdb.DuckDBPyConnection, columns: list[str], set_aside: list[int]) -> None:
    """``staged`` from ``raw``: row numbers as a spreadsheet counts them (the header is row 1), without
    blank lines. ``set_aside``: the numbers of the rows that are not in ``raw``."""
    if set_aside:
        # Rows DuckDB set aside are not in ``raw``; number the others around them.
        total = cur.execute("SELECT count(*) FROM raw").fetchall()[0][0] + len(set_aside)
        skip = set(set_aside)
        numbers = [row for row in range(2, total + 2) if row not in skip]
        cur.register("row_numbers", pa.table({"k": list(range(len(numbers))), "row": numbers}))
        row_expr, join = "n.row", "JOIN row_numbers n ON n.k = r.rowid"
    else:
        row_expr, join = "r.rowid + 2", ""
    dims = [c for c in columns if c not in STAGED_COLUMNS and c not in INFORMATIONAL]  # and unnamed ones
    select = ", ".join(
        [f"{row_expr} AS _row"]
        + [f"r.{c}" if c in columns else f"NULL::VARCHAR AS {c}" for c in STAGED_COLUMNS]
        + [f"r.{d}" for d in dims]
    )
    # A blank line of the header's width: every cell empty or spaces (this way round, a row's first value settles it).
    blank = " AND ".join(f"(r.{c} IS NULL OR trim(r.{c}, ' \t') = '')" for c in columns)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE staged AS SELECT {select} FROM raw r {join} WHERE NOT ({blank})")
    if set_aside:
        cur.unregister("row_numbers")


def _unnamed_values(cur: duckdb.DuckDBPyConnection, columns: list[str], limit: int) -> tuple[list[Problem], int]:
    """The values in columns without a name (the first ones, and how many there are); those columns
    are then dropped from ``staged``."""
    unnamed = [(number, c) for number, c in enumerate(columns, 1) if c.startswith(_UNNAMED)]
    if not unnamed:
        return [], 0
    found = " UNION ALL ".join(
        f"SELECT _row, {number} AS number, {c} AS cell FROM staged WHERE trim({c}, ' \t') <> ''"
        for number, c in unnamed
    )
    ((count,),) = cur.execute(f"SELECT count(*) FROM ({found})").fetchall()
    listed = (
        cur.execute(f"SELECT * FROM ({found}) ORDER BY _row, number LIMIT {int(limit)}").fetchall() if count else []
    )
    for _, c in unnamed:
        cur.execute(f"ALTER TABLE staged DROP COLUMN {c}")
    return [_unnamed_problem(row, number, cell) for row, number, cell in listed], count


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


def stage_xlsx(
    cur: duckdb.DuckDBPyConnection, spooled: SpooledFile, *, dimensions: set[str], max_rows: int, max_errors: int
) -> Staged:
    rows = _xlsx_rows(spooled.path)
    first = next(rows, None)
    if first is None:
        raise _reject("The workbook's sheet is empty", "empty_file", row=None)
    _, header = first
    while header and header[-1] is None:
        header.pop()
    columns = _check_header([h or "" for h in header], dimensions)
    unnamed = [index for index, name in enumerate(columns) if not name]  # and every column after the header's last
    problems: list[Problem] = []
    found = 0
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
        for index in [*unnamed, *range(len(columns), len(cells))]:
            cell = cells[index] if index < len(cells) else None
            if cell is not None and cell.strip():
                found += 1
                if len(problems) < max_errors:
                    problems.append(_unnamed_problem(number, index + 1, cell))
        record: StagedRow = {"_row": number, **{c: v for c, v in zip(columns, cells, strict=False) if c}}
        batch.append(record)
        if len(batch) >= _XLSX_CHUNK:
            _append(cur, batch, names)
            batch = []
    _append(cur, batch, names)
    if count == 0:
        raise _reject("The sheet has a header but no rows", "no_rows", row=None)
    return Staged(
        dimensions=dims,
        locate=_locate_file,
        decimal_comma=True,
        problems=problems,
        unlisted=found - len(problems),
        skip_blank=True,
    )


def _append(cur: duckdb.DuckDBPyConnection, batch: list[StagedRow], names: list[str]) -> None:
    if not batch:
        return
    table = pa.table(
        {n: pa.array([r.get(n) for r in batch], type=pa.int64() if n == "_row" else pa.string()) for n in names}
    )
    cur.register("xlsx_batch", table)
    cur.execute("INSERT INTO staged SELECT * FROM xlsx_batch")
    cur.unregister("xlsx_batch")


def stage_file(
    cur: duckdb.DuckDBPyConnection,
    spooled: SpooledFile,
    *,
    max_rows: int,
    max_line_bytes: int,
    max_errors: int = 1000,
) -> Staged:
    """Stage an observations file as the table ``staged``; 422/413 for a file that cannot be.
    ``max_errors``: how many of the problems found while staging are listed (all are counted)."""
    dimensions = {code for (code,) in cur.execute("SELECT code FROM dimension").fetchall()}
    if spooled.size == 0:
        raise _reject("The file is empty", "empty_file", row=None)
    if spooled.is_xlsx:
        return stage_xlsx(cur, spooled, dimensions=dimensions, max_rows=max_rows, max_errors=max_errors)
    return stage_csv(
        cur,
        spooled,
        dimensions=dimensions,
        max_rows=max_rows,
        max_line_bytes=max_line_bytes,
        max_errors=max_errors,
    )

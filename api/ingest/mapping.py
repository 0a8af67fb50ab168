"""A source mapping applied to a file: read into DuckDB, unpivoted and mapped there, staged for the usual checks.

Python's C csv reader parses the file once (any dialect, exact line numbers, title lines and
footnotes cut off) into the DuckDB table ``source``: ``_line`` and one text column per file
column (``c0``, ``c1``, ...). From there it is SQL: the columns whose header matches a measure
rule are unpivoted (one row per cell), every key is extracted, mapped and templated, the cells
are grouped into observations by their key, and the result is the table ``staged`` that every
import's checks read. ``staged_origin`` keeps, per staged row, the line, column and rule each
part came from, so that an error points into the source file and at the mapping.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from api.errors import ErrorItem, ImportRejected, TooLarge
from api.ingest.files import cell_text
from api.ingest.pipeline import STAGED_COLUMNS, Staged
from api.ingest.spool import SpooledFile
from api.ingest.validate import Locate, number_text, sql_literal, suppression_marker
from api.models.mapping import MEASURES, FieldRule, MappedRow, MappingDocument

_DELIMITERS = (";", "\t", ",", "|")
_BATCH = 50_000
_HEAD_LINES = 200
# A capturing group: an unescaped '(' not followed by '?', or a named group.
_CAPTURE = re.compile(r"(?<!\\)\((?!\?)|\(\?P?<")


def _reject(message: str, errors: list[ErrorItem], code: str = "mapping_failed") -> ImportRejected:
    return ImportRejected(message, errors=errors, error_count=len(errors), code=code)


@dataclass
class Source:
    """The file as the table ``source``: its column names and where its header was."""

    headers: list[str]
    header_line: int
    decimal_comma: bool

    def column(self, name: str, rule: str) -> int:
        """The index of the column named ``name`` (trimmed, any case); 422 naming the rule if there is none."""
        wanted = name.strip().casefold()
        if (number := re.fullmatch(r"#(\d+)", wanted)) and 1 <= int(number[1]) <= len(self.headers):
            return int(number[1]) - 1
        found = [k for k, header in enumerate(self.headers) if header.casefold() == wanted]
        if len(found) == 1:
            return found[0]
        named = ", ".join(f"'{h}'" for h in self.headers if h)
        why = f"the file has no column '{name}'" if not found else f"the file has {len(found)} columns named '{name}'"
        raise _reject(
            f"The mapping does not fit the file: {why}",
            [
                ErrorItem(
                    code="unknown_column",
                    message=f"{why} (its columns: {named[:500]})",
                    row=self.header_line,
                    rule=rule,
                )
            ],
        )


# -- reading ----------------------------------------------------------------------------------------


def _detect_delimiter(head: str, quote: str) -> str:
    """The delimiter that gives the most lines of one and the same width (more than one field)."""
    lines = head.splitlines()[:_HEAD_LINES]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter, quotechar=quote or '"') if len(r) > 1]
        score = Counter(widths).most_common(1)[0][1] if widths else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_records(path: Path, *, encoding: str, delimiter: str, quote: str) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        if quote:
            reader = csv.reader(handle, delimiter=delimiter, quotechar=quote, doublequote=True)
        else:
            reader = csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        start = 1
        try:
            for fields in reader:
                yield start, fields
                start = reader.line_num + 1
        except csv.Error as exc:
            raise _reject(
                f"The file cannot be read as CSV: {exc}",
                [ErrorItem(code="unreadable_file", message=str(exc), row=reader.line_num)],
                code="unreadable_file",
            ) from exc


def _xlsx_records(path: Path, sheet_name: str | None) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _reject(
            f"The file cannot be read as XLSX: {exc}", [ErrorItem(code="unreadable_file", message=str(exc))]
        ) from exc
    try:
        names = {ws.title.strip().casefold(): ws for ws in workbook.worksheets}
        if sheet_name and sheet_name.strip().casefold() not in names:
            message = (
                f"the workbook has no sheet '{sheet_name}' (it has {', '.join(ws.title for ws in workbook.worksheets)})"
            )
            raise _reject(message, [ErrorItem(code="unknown_sheet", message=message, rule="file.sheet")])
        sheet = names[sheet_name.strip().casefold()] if sheet_name else workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) or "" for v in row]
    finally:
        workbook.close()


def _head_text(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        return handle.read(1 << 16).decode(encoding, errors="replace")


def _filled(fields: list[str], enough: int = 2) -> int:
    """How many cells hold something, counted up to ``enough`` (all a caller asks: none, one, or two and more)."""
    count = 0
    for field in fields:
        if field and not field.isspace():
            count += 1
            if count >= enough:
                break
    return count


def _header_names(lines: list[list[str]]) -> list[str]:
    """One name per column from the header's lines; an empty cell in an upper line continues the one to its left."""
    width = max(len(line) for line in lines)
    rows = []
    for number, line in enumerate(lines):
        cells = [c.strip() for c in line] + [""] * (width - len(line))
        if number < len(lines) - 1:  # merged cells: the text stands in the first of them
            for k in range(1, width):
                cells[k] = cells[k] or cells[k - 1]
        rows.append(cells)
    names = [" ".join(part for part in parts if part) for parts in zip(*rows, strict=True)]
    names[0] = names[0].lstrip("\ufeff").strip()
    return names


def _plain_lines(path: Path) -> int | None:
    """The file's number of lines if every line holds something and ends in LF or CRLF (DuckDB's reader then
    keeps count), else None."""
    previous, lines, last = b"", 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            joined = previous + chunk
            lone_cr = joined.count(b"\r") - joined.count(b"\r\n") - (1 if joined.endswith(b"\r") else 0)
            if b"\n\n" in joined or b"\n\r\n" in joined or lone_cr:
                return None
            lines += chunk.count(b"\n")
            previous, last = joined[-2:], chunk[-1:]
    return lines + (0 if last == b"\n" else 1)


def _load_with_duckdb(
    cur: duckdb.DuckDBPyConnection, path: Path, *, delimiter: str, width: int, lines: int, max_line_bytes: int
) -> bool:
    """``source`` from DuckDB's own reader, each row numbered by the line it starts on; False if it cannot."""
    columns = "{" + ", ".join(f"'c{k}': 'VARCHAR'" for k in range(width)) + "}"
    try:
        cur.execute(
            f"""CREATE OR REPLACE TEMP TABLE source AS SELECT * FROM read_csv(?, delim = ?, quote = '"',
                escape = '"', header = false, columns = {columns}, null_padding = true, parallel = false,
                strict_mode = true, allow_quoted_nulls = false, max_line_size = ?, encoding = 'utf-8',
                auto_detect = false)""",
            [str(path), delimiter, max(max_line_bytes, 2048)],
        )
    except duckdb.Error:  # a row wider than the head's, a stray quote: Python's reader says where
        return False
    cur.execute("ALTER TABLE source ADD COLUMN _line BIGINT")
    if cur.execute("SELECT count(*) FROM source").fetchall()[0][0] == lines:  # one row per line
        cur.execute("UPDATE source SET _line = rowid + 1")
        return True
    # Some cells hold line breaks: a row starts on its number plus the breaks inside the rows before it.
    text = f"concat_ws('', {', '.join(f'c{k}' for k in range(width))})"
    breaks = f"length({text}) - length(replace({text}, chr(10), ''))"
    cur.execute(f"""
        UPDATE source SET _line = s.line FROM (
            SELECT rowid AS r, rowid + 1 + coalesce(sum({breaks}) OVER (ORDER BY rowid
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line FROM source
        ) s WHERE source.rowid = s.r
    """)
    return True


def _load_with_python(
    cur: duckdb.DuckDBPyConnection, records: Iterator[tuple[int, list[str]]], *, width: int, max_rows: int
) -> int:
    """``source`` from Python's reader, in batches (blank lines left out); returns its number of columns."""
    cur.execute("CREATE OR REPLACE TEMP TABLE source (_line BIGINT)")
    columns, rows = 0, 0
    batch: list[tuple[int, list[str]]] = []

    def flush() -> None:
        nonlocal columns
        wanted = max([width, *(len(fields) for _, fields in batch)])
        for k in range(columns, wanted):
            cur.execute(f"ALTER TABLE source ADD COLUMN c{k} VARCHAR")
        columns = max(columns, wanted)
        arrays = {"_line": pa.array([line for line, _ in batch], type=pa.int64())}
        padded = [fields if len(fields) == columns else fields + [""] * (columns - len(fields)) for _, fields in batch]
        for k, values in enumerate(zip(*padded, strict=True)):
            arrays[f"c{k}"] = pa.array(values, type=pa.string())
        cur.register("source_batch", pa.table(arrays))
        cur.execute("INSERT INTO source BY NAME SELECT * FROM source_batch")
        cur.unregister("source_batch")
        batch.clear()

    for line, fields in records:
        if not _filled(fields, 1):
            continue
        rows += 1
        if rows > max_rows:
            raise TooLarge(
                f"The file has more than {max_rows:,} rows; split it into smaller files", code="too_many_rows"
            )
        batch.append((line, fields))
        if len(batch) >= _BATCH:
            flush()
    if batch or not columns:
        flush()
    return columns


def read_source(
    cur: duckdb.DuckDBPyConnection,
    spooled: SpooledFile,
    document: MappingDocument,
    *,
    max_rows: int,
    max_line_bytes: int = 1 << 20,
) -> Source:
    """The file as the table ``source`` (blank lines, title lines and footnotes left out).

    The head (titles and header) is read with Python's csv reader; the rows after it by DuckDB's own
    reader when the file is UTF-8 with a line break only between lines, else by Python's (line by line).
    """
    dialect = document.file
    fast: tuple[str, int] | None = None  # DuckDB's reader can read it: (delimiter, lines)
    if spooled.is_xlsx:
        records = _xlsx_records(spooled.path, dialect.sheet)
        decimal_comma = dialect.decimal == ","
    else:
        encoding = dialect.encoding if dialect.encoding != "detect" else ("utf-8-sig" if spooled.is_utf8 else "cp1252")
        encoding = "utf-8-sig" if encoding == "utf-8" else encoding
        delimiter: str = dialect.delimiter
        if delimiter == "detect":
            delimiter = _detect_delimiter(_head_text(spooled.path, encoding), dialect.quote)
        decimal_comma = dialect.decimal == "," or (dialect.decimal == "detect" and delimiter != ",")
        records = _text_records(spooled.path, encoding=encoding, delimiter=delimiter, quote=dialect.quote)
        if encoding == "utf-8-sig" and spooled.is_utf8 and dialect.quote == '"':
            lines = _plain_lines(spooled.path)
            fast = None if lines is None else (delimiter, lines)

    # The lines up to the header's last: title lines first (detect: those before the first with two cells filled).
    head: list[tuple[int, list[str]]] = []
    skip = dialect.skip_lines if isinstance(dialect.skip_lines, int) else None
    for record in records:
        head.append(record)
        if skip is None and _filled(record[1]) >= 2:
            skip = len(head) - 1
        if skip is not None and sum(1 for _, fields in head[skip:] if _filled(fields, 1)) >= dialect.header_lines:
            break
    header_records = [r for r in head[skip or 0 :] if _filled(r[1], 1)][: dialect.header_lines]
    if len(header_records) < dialect.header_lines:
        message = "the file ends before its header"
        raise _reject(
            f"The file cannot be read: {message}", [ErrorItem(code="no_header", message=message, rule="file")]
        )
    header_line = header_records[-1][0]
    headers = _header_names([fields for _, fields in header_records])
    width = max(len(headers), *(len(fields) for _, fields in head))

    def rest() -> Iterator[tuple[int, list[str]]]:
        yield from ((line, fields) for line, fields in head if line > header_line)
        yield from records

    if fast is not None and _load_with_duckdb(
        cur, spooled.path, delimiter=fast[0], width=width, lines=fast[1], max_line_bytes=max_line_bytes
    ):
        columns = width
    else:
        columns = _load_with_python(cur, rest(), width=len(headers), max_rows=max_rows)
    cells = ", ".join(f"c{k}" for k in range(columns))
    filled = f"list_count(list_filter([{cells}], lambda x: trim(x) <> ''))"
    cur.execute("DELETE FROM source WHERE _line <= ?", [header_line])
    if dialect.footer_lines == "detect":  # the lines after the last with two cells filled: footnotes
        last = f"SELECT max(_line) FROM (SELECT * FROM source ORDER BY _line DESC LIMIT {{}}) WHERE {filled} >= 2"
        found = cur.execute(last.format(1000)).fetchall()[0][0] or cur.execute(last.format("ALL")).fetchall()[0][0]
        cur.execute("DELETE FROM source WHERE _line > ?", [found or header_line])
    elif dialect.footer_lines:
        cur.execute(
            "DELETE FROM source WHERE _line IN (SELECT _line FROM source ORDER BY _line DESC LIMIT ?)",
            [dialect.footer_lines],
        )
    if cur.execute("SELECT count(*) FROM source").fetchall()[0][0] > max_rows:
        raise TooLarge(f"The file has more than {max_rows:,} rows; split it into smaller files", code="too_many_rows")
    if not cur.execute(f"SELECT EXISTS (SELECT 1 FROM source WHERE {filled} > 0)").fetchall()[0][0]:
        message = "the file has a header but no rows"
        raise _reject(f"The file cannot be read: {message}", [ErrorItem(code="no_rows", message=message)])
    return Source(
        headers=headers + [""] * (columns - len(headers)), header_line=header_line, decimal_comma=decimal_comma
    )


# -- mapping ----------------------------------------------------------------------------------------


@dataclass
class _Field:
    """One key of an observation as SQL: its raw text, and where it is worked out.

    ``level`` is ``col`` for a key that only depends on the column a cell is in (a group of the
    header's pattern, or a fixed value), ``row`` for one that depends on the file's row (a column of
    it). Each is worked out once per column or once per row, not for every cell.
    """

    path: str
    rule: FieldRule
    raw: str  # SQL over a row of ``measure_col`` (col) or of ``source`` (row)
    column: int | None  # the file's column it reads, if one
    level: str


class _Builder:
    def __init__(self, source: Source, groups: list[str]) -> None:
        self.source = source
        self.groups = groups

    def base(self, path: str, rule: FieldRule) -> tuple[str, int | None]:
        if rule.value is not None:
            return sql_literal(rule.value), None
        if rule.group is not None:
            return f"g_{rule.group}", None
        if rule.column is not None:
            k = self.source.column(rule.column, f"{path}.column")
            return f"c{k}", k
        return self.template(path, rule, "NULL"), None

    def template(self, path: str, rule: FieldRule, value: str) -> str:
        """``rule.template`` as SQL, ``{value}`` being ``value``: NULL when any part is missing."""
        parts = []
        for k, text in enumerate(re.split(r"\{([^{}]+)\}", rule.template or "{value}")):
            if k % 2 == 0:
                if text:
                    parts.append(sql_literal(text))
            elif text == "value":
                parts.append(value)
            elif text in self.groups:
                parts.append(f"g_{text}")
            else:
                parts.append(f"nullif(trim(c{self.source.column(text, f'{path}.template')}), '')")
        return " || ".join(parts) if parts else "''"

    def level(self, path: str, rule: FieldRule) -> str:
        names = set(rule.placeholders()) - {"value"}
        grouped = rule.group is not None or bool(names & set(self.groups))
        columned = rule.column is not None or bool(names - set(self.groups))
        if grouped and columned:
            message = "a key is made of the header's groups or of the file's columns, not both"
            raise _reject(
                f"The mapping cannot be used: {message}", [ErrorItem(code="mixed_template", message=message, rule=path)]
            )
        return "row" if columned else "col"

    def field(self, path: str, rule: FieldRule) -> _Field:
        base, column = self.base(path, rule)
        raw = f"nullif(trim({base}), '')"
        if rule.extract:
            group = 1 if _CAPTURE.search(rule.extract) else 0
            raw = f"nullif(regexp_extract({raw}, {sql_literal(rule.extract)}, {group}), '')"
        return _Field(path, rule, raw, column, self.level(path, rule))


def _measure_columns(
    cur: duckdb.DuckDBPyConnection, source: Source, document: MappingDocument, keys: set[int]
) -> list[str]:
    """The table ``measure_col``: each file column a measure rule claims (the first that matches), with its groups."""
    groups = sorted({g for m in document.measures for g in m.groups()})
    cur.execute("CREATE OR REPLACE TEMP TABLE source_header (idx INTEGER, name VARCHAR)")
    candidates = [(k, name) for k, name in enumerate(source.headers) if name and k not in keys]
    if candidates:
        cur.executemany("INSERT INTO source_header VALUES (?, ?)", candidates)
    selects = []
    for i, measure in enumerate(document.measures):
        pattern = sql_literal(measure.columns)
        own = measure.groups()
        extracted = f"regexp_extract(name, {pattern}, [{', '.join(sql_literal(g) for g in own)}])" if own else None
        columns = "".join(
            f", {extracted}[{sql_literal(g)}] AS g_{g}" if g in own else f", NULL::VARCHAR AS g_{g}" for g in groups
        )
        selects.append(f"SELECT idx, {i} AS rule{columns} FROM source_header WHERE regexp_matches(name, {pattern})")
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE measure_col AS SELECT 'c' || idx AS col, * FROM ({" UNION ALL ".join(selects)})
            QUALIFY row_number() OVER (PARTITION BY idx ORDER BY rule) = 1"""
    )
    if not cur.execute("SELECT count(*) FROM measure_col").fetchall()[0][0]:
        named = ", ".join(f"'{h}'" for h in source.headers if h)
        message = f"no column's header matches a measure rule (the columns: {named[:500]})"
        raise _reject(
            f"The mapping does not fit the file: {message}",
            [ErrorItem(code="no_measure_columns", message=message, row=source.header_line, rule="measures")],
        )
    return groups


def _skip_condition(source: Source, document: MappingDocument) -> str:
    tests = []
    for i, skip in enumerate(document.skip):
        cell = f"trim(c{source.column(skip.column, f'skip.{i}.column')})"
        if skip.equals is not None:
            tests.append(f"{cell} IN ({', '.join(sql_literal(v.strip()) for v in skip.equals)})")
        elif skip.matches is not None:
            tests.append(f"regexp_matches({cell}, {sql_literal(skip.matches)})")
        else:
            tests.append(f"{cell} = ''")
    return " OR ".join(tests) or "false"


def _map_tables(cur: duckdb.DuckDBPyConnection, fields: list[_Field]) -> None:
    for n, field in enumerate(fields):
        if field.rule.map is None:
            continue
        cur.execute(f"CREATE OR REPLACE TEMP TABLE map_{n} (raw VARCHAR PRIMARY KEY, code VARCHAR)")
        entries = [(key.strip(), None if code is None else code.strip()) for key, code in field.rule.map.items()]
        if entries:
            table = pa.table({"raw": [e[0] for e in entries], "code": [e[1] for e in entries]})
            cur.register("map_entries", table)
            cur.execute(f"INSERT OR REPLACE INTO map_{n} SELECT * FROM map_entries")
            cur.unregister("map_entries")


def _final(builder: _Builder, n: int, field: _Field) -> tuple[str, str, str]:
    """SQL for (the field's value, whether it leaves the observation out, whether its text is missing from the map)."""
    rule = field.rule
    raw = f"raw_{n}"
    if rule.map is None:
        mapped, skip, unmapped = raw, "false", "false"
    else:
        found = f"m{n}.raw IS NOT NULL"
        fallback = raw if rule.unmapped == "keep" else "NULL"
        mapped = f"CASE WHEN {found} THEN m{n}.code ELSE {fallback} END"
        skip = f"({found} AND m{n}.code IS NULL)"
        if rule.unmapped == "skip":
            skip = f"({skip} OR ({raw} IS NOT NULL AND NOT {found}))"
        unmapped = f"({raw} IS NOT NULL AND NOT {found})" if rule.unmapped == "error" else "false"
    if rule.template is not None and (rule.value is not None or rule.column is not None or rule.group is not None):
        mapped = f"CASE WHEN ({mapped}) IS NULL THEN NULL ELSE {builder.template(field.path, rule, f'({mapped})')} END"
    return mapped, skip, unmapped


def _cell_kind(document: MappingDocument) -> tuple[str, str]:
    """SQL for the cell's text (zero markers as 0) and whether it is suppressed; missing cells are NULL."""
    markers = document.markers

    def among(texts: list[str]) -> str:
        return ", ".join(sql_literal(t.strip()) for t in texts)

    text = "nullif(trim(cell), '')"
    if markers.missing:
        text = f"CASE WHEN {text} IN ({among(markers.missing)}) THEN NULL ELSE {text} END"
    if markers.zero:
        text = f"CASE WHEN {text} IN ({among(markers.zero)}) THEN '0' ELSE {text} END"
    # A cell that starts with a digit is a number: only the others can be markers (most cells are numbers).
    suppressed = f"(NOT regexp_matches(cell_text, '^[0-9]') AND {suppression_marker('cell_text')})"
    if markers.suppressed:
        suppressed = f"({suppressed} OR cell_text IN ({among(markers.suppressed)}))"
    return text, suppressed


def map_source(
    cur: duckdb.DuckDBPyConnection,
    source: Source,
    document: MappingDocument,
    *,
    dimensions: set[str],
    max_errors: int,
    organisation_id: int | None = None,
) -> list[str]:
    """``staged`` and ``staged_origin`` from ``source``; 422 with every mapping problem. Returns the dimensions.

    The keys are worked out per column (``col_key``, from the headers) and per row (``row_key``, from
    the rows the skip rules leave), each numbered by its distinct values (``cid``, ``rid``); the
    unpivoted cells (``mapped_cell``) carry only those numbers, so an observation is a (rid, cid).
    """
    unknown = [name for name in document.breakdown if name not in dimensions]
    if unknown:
        raise _reject(
            "The mapping names breakdown dimensions the alliance does not have",
            [
                ErrorItem(code="unknown_dimension", message=f"no dimension '{name}'", rule=f"breakdown.{name}")
                for name in unknown
            ],
        )
    keys = {
        source.column(rule.column, f"{path}.column")
        for path, rule in document.fields().items()
        if rule.column is not None
    }
    builder = _Builder(source, _measure_columns(cur, source, document, keys))
    fields = [builder.field(path, rule) for path, rule in document.fields().items()]
    # The measure a cell holds, per measure rule (each may say it differently): fields after the keys.
    every = fields + [builder.field(f"measures.{i}.measure", m.measure) for i, m in enumerate(document.measures)]
    _map_tables(cur, every)

    def by_rule(name: str) -> str:  # each measure rule's own measure field
        whens = " ".join(f"WHEN {i} THEN {name}_{len(fields) + i}" for i in range(len(document.measures)))
        return f"CASE rule {whens} END"

    def any_skip(level: str) -> str:
        return " OR ".join(f"skip_{n}" for n, f in enumerate(fields) if f.level == level) or "false"

    # What a cell's column says (its keys, and its measure when the headers give it) is worked out once per
    # column, what its row says once per row; a cell only carries the numbers of both.
    measure = {"measure": by_rule("key"), "unmapped_measure": by_rule("unmapped"), "skip_measure": by_rule("skip")}
    per_column = all(f.level == "col" for f in every[len(fields) :])
    column_extra = {"skip_here": any_skip("col"), **(measure if per_column else {})}
    _keys(cur, builder, every, len(fields), "col", "measure_col", "idx, rule", column_extra)
    skip_rows = f"source WHERE NOT ({_skip_condition(source, document)})"
    _keys(cur, builder, every, len(fields), "row", skip_rows, "_line", {"skip_here": any_skip("row")})
    if per_column:
        measure = {name: f"ck.{name}" for name in measure}
    else:
        measure = {name: sql.replace("CASE rule", "CASE ck.rule") for name, sql in measure.items()}

    # The unpivot: one row per cell of the columns a measure rule claims (two lists unnested side by side).
    claimed = [idx for (idx,) in cur.execute("SELECT idx FROM measure_col ORDER BY idx").fetchall()]
    cells = (
        f"SELECT _line, unnest([{', '.join(f'c{k}' for k in claimed)}]) AS cell, "
        f"unnest([{', '.join(map(str, claimed))}]) AS idx FROM source"
    )
    text, suppressed = _cell_kind(document)
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE mapped_cell AS
        WITH j AS MATERIALIZED (SELECT c._line, c.idx, {text} AS cell_text FROM ({cells}) c)
        SELECT j._line, j.idx, ck.rule, j.cell_text, {suppressed} AS suppressed, rk.rid, ck.cid,
            {measure["measure"]} AS measure, {measure["unmapped_measure"]} AS unmapped_measure,
            rk.skip_here OR ck.skip_here OR {measure["skip_measure"]} AS skipped
        FROM j JOIN row_key rk ON rk._line = j._line JOIN col_key ck ON ck.idx = j.idx
        WHERE j.cell_text IS NOT NULL
    """)
    number = f"try_cast({number_text('cell_text', source.decimal_comma)} AS DOUBLE)"
    present = [
        m
        for (m,) in cur.execute("SELECT DISTINCT measure FROM mapped_cell WHERE NOT skipped").fetchall()
        if m in MEASURES
    ]

    def combined(m: str) -> str:
        where = f"FILTER (WHERE measure = '{m}')"
        if document.combine == "sum":  # a suppressed part makes the sum unknown
            total = f"sum({number}) {where}"
            whole = f"CASE WHEN {total} = round({total}) THEN round({total})::BIGINT::VARCHAR ELSE {total}::VARCHAR END"
            return f"CASE WHEN NOT bool_or(suppressed) {where} THEN {whole} END"
        return f"any_value(CASE WHEN suppressed THEN NULL ELSE cell_text END) {where}"

    # The observations: one per (rid, cid), with how many cells gave each measure; numbered by their first cell.
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE mapped_observation AS
        SELECT rid, cid, bool_or(suppressed) AS suppressed, min(_line) AS _line, min(idx) AS first_idx,
            min(_line * {len(source.headers)} + idx) AS _row
            {"".join(f", {combined(m)} AS {m}, count(*) FILTER (WHERE measure = '{m}') AS {m}_cells" for m in present)}
        FROM mapped_cell WHERE NOT skipped GROUP BY rid, cid
    """)
    _mapping_problems(cur, source, document, every, number, present, max_errors)
    key_columns = {level: [f"key_{n}" for n, f in enumerate(fields) if f.level == level] for level in ("row", "col")}
    cur.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE staged_origin AS
        SELECT o.*
            {"".join(f", NULL::VARCHAR AS {m}" for m in MEASURES if m not in present)}
            {"".join(f", {c}" for c in key_columns["row"] + key_columns["col"])}
        FROM mapped_observation o
        JOIN (SELECT DISTINCT ON (rid) rid{"".join(f", {c}" for c in key_columns["row"])} FROM row_key) USING (rid)
        JOIN (SELECT DISTINCT ON (cid) cid{"".join(f", {c}" for c in key_columns["col"])} FROM col_key) USING (cid)
    """
    )
    _leave_out(cur, document, source.decimal_comma, organisation_id)
    dims = [path.removeprefix("breakdown.") for path in document.fields() if path.startswith("breakdown.")]
    names = {"indicator": "key_0", "area": "key_1", "period": "key_2"}
    dim_columns = "".join(f", key_{3 + k} AS {d}" for k, d in enumerate(dims))
    # A suppressed cell makes the observation suppressed: its value is the marker, its parts are not kept.
    hidden = {"value": "'x'", "numerator": "NULL", "denominator": "NULL"}
    measures = {m: f"CASE WHEN suppressed THEN {hidden[m]} ELSE {m} END" for m in MEASURES}
    select = ", ".join(f"{names.get(c) or measures.get(c) or 'NULL::VARCHAR'} AS {c}" for c in STAGED_COLUMNS)
    cur.execute(  # in the file's order: the checks read it so
        f"CREATE OR REPLACE TEMP TABLE staged AS SELECT _row, {select}{dim_columns} FROM staged_origin ORDER BY _row"
    )
    return dims


def _keys(
    cur: duckdb.DuckDBPyConnection,
    builder: _Builder,
    every: list[_Field],
    key_count: int,
    level: str,
    table: str,
    ids: str,
    extra: dict[str, str],
) -> None:
    """The table ``<level>_key``: each field of this level worked out (key_n, skip_n, unmapped_n, raw_n),
    the ``extra`` columns over those, and numbered by the keys (``rid`` or ``cid``)."""
    own = [n for n, f in enumerate(every) if f.level == level]
    raws = "".join(f", {every[n].raw} AS raw_{n}" for n in own)
    joins = "".join(f" LEFT JOIN map_{n} m{n} ON m{n}.raw = r.raw_{n}" for n in own if every[n].rule.map is not None)
    worked = "".join(
        f", {value} AS key_{n}, {skip} AS skip_{n}, {unmapped} AS unmapped_{n}, r.raw_{n}"
        for n in own
        for value, skip, unmapped in [_final(builder, n, every[n])]
    )
    order = ", ".join(f"key_{n}" for n in own if n < key_count) or "1"
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE {level}_key AS
        SELECT *{"".join(f", {sql} AS {name}" for name, sql in extra.items())},
            dense_rank() OVER (ORDER BY {order}) AS {level[0]}id FROM (
            SELECT {", ".join(f"r.{i.strip()}" for i in ids.split(","))} {worked}
            FROM (SELECT *{raws} FROM {table}) r {joins}
        )
    """)


def _leave_out(
    cur: duckdb.DuckDBPyConnection, document: MappingDocument, decimal_comma: bool, organisation_id: int | None
) -> None:
    """Observations the mapping leaves out: 0 as denominator, areas the alliance has not, or another's."""
    if document.zero_denominator == "skip":
        zero = f"try_cast({number_text('denominator', decimal_comma)} AS DOUBLE) = 0"
        cur.execute(f"DELETE FROM staged_origin WHERE NOT suppressed AND {zero}")
    tables = {name for (name,) in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if document.areas == "all" or "area" not in tables:  # (a mapping checked alone knows no areas)
        return
    known = "upper(key_1) IN (SELECT upper(code) FROM area)"
    if document.areas == "assigned":
        whose = "" if organisation_id is None else f" AND asg.organisation_id = {int(organisation_id)}"
        known = f"""EXISTS (SELECT 1 FROM assignment asg JOIN indicator i ON i.id = asg.indicator_id
            JOIN area a ON a.id = asg.area_id
            WHERE lower(i.code) = lower(key_0) AND upper(a.code) = upper(key_1){whose})"""
    cur.execute(f"DELETE FROM staged_origin WHERE NOT ({known})")


def _mapping_problems(
    cur: duckdb.DuckDBPyConnection,
    source: Source,
    document: MappingDocument,
    every: list[_Field],
    number: str,
    present: list[str],
    max_errors: int,
) -> None:
    """422 for texts missing from a map, measures that are none of the three, and two cells for one measure."""
    headers = "[" + ", ".join(sql_literal(h) for h in source.headers) + "]"
    name = f"{headers}[idx + 1]"
    queries = []
    for n, field in enumerate(every):
        table = f"{field.level}_key"
        if not cur.execute(f"SELECT coalesce(bool_or(unmapped_{n}), false) FROM {table}").fetchall()[0][0]:
            continue
        what = f"'''' || raw_{n} || ''' is not in the map of {field.path}' AS message"
        rule = sql_literal(field.path + ".map")
        # Only where a cell is: a row or column none of whose cells holds a value does not matter.
        cells = (
            f"mapped_cell WHERE rule = {field.path.split('.')[1]}"
            if field.path.startswith("measures.")
            else "mapped_cell"
        )
        if field.level == "col":  # a header's text: once per column, at the header
            queries.append(
                f"SELECT {source.header_line} AS _line, {name} AS col, {rule} AS rule, 'not_in_map' AS code, {what} "
                f"FROM col_key WHERE unmapped_{n} AND idx IN (SELECT idx FROM {cells})"
            )
        else:
            where = sql_literal(source.headers[field.column]) if field.column is not None else "NULL"
            queries.append(
                f"SELECT _line, {where} AS col, {rule} AS rule, 'not_in_map' AS code, {what} "
                f"FROM row_key WHERE unmapped_{n} AND _line IN (SELECT _line FROM {cells})"
            )
    queries.append(
        f"SELECT _line, {name} AS col, 'measures.' || rule || '.measure' AS rule, 'invalid_measure' AS code, "
        "'the measure ''' || coalesce(measure, '') || ''' is none of value, numerator, denominator' AS message "
        "FROM mapped_cell WHERE NOT skipped AND NOT unmapped_measure "
        f"AND (measure IS NULL OR measure NOT IN ({', '.join(sql_literal(m) for m in MEASURES)}))"
    )
    if document.combine == "sum":
        queries.append(
            f"SELECT _line, {name} AS col, 'measures.' || rule AS rule, 'not_a_number' AS code, "
            "'''' || cell_text || ''' is not a number (or a suppression marker such as x or <5)' AS message "
            f"FROM mapped_cell WHERE NOT skipped AND NOT suppressed AND {number} IS NULL"
        )
    elif any_twice := " OR ".join(f"{m}_cells > 1" for m in present):
        queries.append(f"""
            SELECT max(_line) AS _line, {headers}[arg_max(idx, _line) + 1] AS col, 'measures.' || max(rule) AS rule,
                'duplicate_cell' AS code,
                'this cell and the one in line ' || min(_line) || ', column ''' || {headers}[arg_min(idx, _line) + 1]
                || ''', give the ' || measure || ' of the same observation (combine: sum adds them up)' AS message
            FROM mapped_cell c SEMI JOIN (SELECT rid, cid FROM mapped_observation WHERE {any_twice}) USING (rid, cid)
            WHERE NOT skipped GROUP BY rid, cid, measure HAVING count(*) > 1
        """)
    cur.execute("CREATE OR REPLACE TEMP TABLE mapping_problem AS " + " UNION ALL ".join(f"({q})" for q in queries))
    count = cur.execute("SELECT count(*) FROM mapping_problem").fetchall()[0][0]
    if count:
        listed = cur.execute(
            "SELECT _line, col, rule, code, message FROM mapping_problem ORDER BY _line, rule LIMIT ?", [max_errors]
        ).fetchall()
        errors = [
            ErrorItem(row=line, column=col or None, rule=rule, code=code, message=message)
            for line, col, rule, code, message in listed
        ]
        raise ImportRejected(
            f"{count} error{'s' if count > 1 else ''} in mapping the file; nothing was written",
            errors=errors,
            error_count=count,
            code="mapping_failed",
        )


def stage_mapped(
    cur: duckdb.DuckDBPyConnection,
    spooled: SpooledFile,
    document: MappingDocument,
    *,
    max_rows: int,
    max_errors: int,
    organisation_id: int | None = None,
) -> Staged:
    """Stage a publisher's file through its mapping as the table ``staged``; errors point into the file."""
    if spooled.size == 0:
        raise _reject(
            "The file is empty", [ErrorItem(code="empty_file", message="the file is empty")], code="empty_file"
        )
    dimensions = {code for (code,) in cur.execute("SELECT code FROM dimension").fetchall()}
    source = read_source(cur, spooled, document, max_rows=max_rows)
    dims = map_source(
        cur, source, document, dimensions=dimensions, max_errors=max_errors, organisation_id=organisation_id
    )
    return Staged(
        dimensions=dims, locate=_locator(cur, source, document), decimal_comma=source.decimal_comma, skip_blank=True
    )


def _locator(cur: duckdb.DuckDBPyConnection, source: Source, document: MappingDocument) -> Locate:
    """Where a problem of a staged row is: the file's line and column of its cell, and the mapping's rule."""
    keys = {path.removeprefix("breakdown."): (path, rule) for path, rule in document.fields().items()}

    def locate(row: int, column: str) -> dict[str, object]:
        found = cur.execute("SELECT rid, cid, _line, first_idx FROM staged_origin WHERE _row = ?", [row]).fetchall()
        if not found:
            return {"row": None, "column": None}
        rid, cid, line, first_idx = found[0]
        if column in keys:
            path, rule = keys[column]
            where = rule.column if rule.column is not None else source.headers[first_idx] if rule.group else None
            return {"row": line, "column": where or None, "rule": path}
        # A measure: the cell that gave it (or, for the value of a rate, its first cell).
        cell = cur.execute(
            "SELECT _line, idx, rule FROM mapped_cell WHERE rid = ? AND cid = ? AND NOT skipped "
            "ORDER BY measure <> ?, _line, idx LIMIT 1",
            [rid, cid, column],
        ).fetchall()
        if not cell:
            return {"row": line, "column": None}
        line, idx, measure_rule = cell[0]
        return {"row": line, "column": source.headers[idx] or None, "rule": f"measures.{measure_rule}"}

    return locate


def mapped_rows(cur: duckdb.DuckDBPyConnection, dimensions: list[str], limit: int) -> list[MappedRow]:
    """The first staged observations with the line each came from."""
    dims = "".join(f", s.{d}" for d in dimensions)
    found = cur.execute(
        "SELECT o._line, s.indicator, s.area, s.period, s.value, s.numerator, s.denominator"
        f"{dims} FROM staged s JOIN staged_origin o USING (_row) ORDER BY s._row LIMIT ?",
        [limit],
    ).fetchall()
    return [
        MappedRow(
            line=row[0],
            indicator=row[1],
            area=row[2],
            period=row[3],
            value=row[4],
            numerator=row[5],
            denominator=row[6],
            breakdown={d: v for d, v in zip(dimensions, row[7:], strict=True) if v},
        )
        for row in found
    ]

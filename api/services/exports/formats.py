"""Writing a table of typed columns as CSV, XLSX or Parquet, streaming, safe to open in a spreadsheet.

Text cells that a spreadsheet would run as a formula get a leading apostrophe
(``safe_text``, OWASP's advice against CSV injection); numbers stay numbers: bare
in CSV, numeric cells in XLSX, DOUBLE and BIGINT columns in Parquet. Parquet is
read by programs, not spreadsheets, so its texts are left as they are.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import islice
from typing import IO, Any, BinaryIO, Literal
from xml.sax.saxutils import escape

from isal import isal_zlib

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Format = Literal["csv", "xlsx", "parquet"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
_BATCH = 20_000


def safe_text(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula: a leading ' when it starts with = + - @ tab or CR."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Withheld(Enum):
    WITHHELD = "x"


# A value not given out (suppressed): 'x' in CSV and XLSX, the import's marker; null in Parquet.
WITHHELD = _Withheld.WITHHELD


@dataclass(frozen=True)
class Column:
    name: str
    kind: Literal["text", "number", "integer", "boolean"] = "text"


def _number_text(value: float | int, decimal_comma: bool) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = repr(value)
    return text.replace(".", ",") if decimal_comma else text


def _csv_formatter(kind: str, decimal_comma: bool) -> Callable[[Any], str]:
    """How one column's cells are written: one function per column, as a million rows call it for every cell."""

    def text(value: Any) -> str:
        if value is None:
            return ""
        return WITHHELD.value if value is WITHHELD else safe_text(str(value))

    def number(value: object) -> str:
        if value is None:
            return ""
        if value is WITHHELD:
            return WITHHELD.value
        return _number_text(value, decimal_comma) if isinstance(value, int | float) else text(value)

    def boolean(value: Any) -> str:
        return "" if value is None else ("true" if value else "false")

    return {"text": text, "boolean": boolean}.get(kind, number)


def write_csv(out: BinaryIO, columns: Sequence[Column], rows: Iterable[Sequence[Any]], delimiter: str = ",") -> int:
    """UTF-8 with a BOM (so Excel reads accents), CRLF; with ``;`` the numbers get a decimal comma (NL/DE Excel)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_text(c.name) for c in columns])
    formats = [_csv_formatter(c.kind, delimiter == ";") for c in columns]
    count = 0
    for row in rows:
        writer.writerow([f(value) for f, value in zip(formats, row, strict=True)])
        count += 1
    text.flush()
    text.detach()
    return count


def _xlsx_cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is WITHHELD:
        return WITHHELD.value
    if isinstance(value, str):
        # Control characters cannot be stored in a sheet; safe_text keeps '=' from starting a formula.
        return safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(out: BinaryIO, columns: Sequence[Column], rows: Iterable[Sequence[Any]], sheet: str = "data") -> int:
    """One sheet, header in bold, numbers as numeric cells and texts as strings (never formulas)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet)
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=safe_text(column.name))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        ws.append([_xlsx_cell(value) for value in row])
        count += 1
    workbook.save(out)
    return count


_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# The parts of a workbook with one sheet, around the sheet's rows; style 1 is the header's bold font.
_XLSX_PARTS = {
    "[Content_Types].xml": f'<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OFFICE}.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATION}"><sheets>'
    '<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATION}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_RELATION}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/styles.xml": f'<styleSheet xmlns="{_MAIN}"><fonts count="2">'
    '<font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
}


def xlsx_around(
    out: BinaryIO,
    columns: Sequence[Column],
    rows: Iterable[bytes | memoryview],
    strings: Sequence[bytes],
    sheet: str = "data",
) -> None:
    """A workbook of one sheet into ``out``: a bold header of the column names, then ``rows``, the sheet's
    ``<row>`` elements as XML (made by DuckDB, ``exports.files``), streamed into the zip as they come.
    ``strings``: the workbook's shared strings, each an ``<si>`` element, which cells name by number."""
    header = "".join(f'<c t="inlineStr" s="1"><is><t>{escape(safe_text(c.name))}</t></is></c>' for c in columns)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, part in _XLSX_PARTS.items():
            book.writestr(name, _DECLARATION + part.replace("{sheet}", escape(sheet)))
        with _deflated(book, "xl/sharedStrings.xml") as shared:
            shared.write(f'{_DECLARATION}<sst xmlns="{_MAIN}" uniqueCount="{len(strings)}">'.encode())
            shared.writelines(strings)
            shared.write(b"</sst>")
        with _deflated(book, "xl/worksheets/sheet1.xml") as data:
            data.write(f'{_DECLARATION}<worksheet xmlns="{_MAIN}"><sheetData><row>{header}</row>'.encode())
            data.writelines(rows)
            data.write(b"</sheetData></worksheet>")


def _deflated(book: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A part of ``book`` to write, deflated by ISA-L (``isal``): the same deflate format, about five times as fast
    as zlib, a sheet of a million rows zipped in a fraction of a second. Each ``write`` goes to the part's
    compressor, which is swapped before the first (the zip's headers do not depend on it)."""
    part = book.open(name, "w", force_zip64=True)
    part._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)  # type: ignore[attr-defined]  # raw deflate
    return part


_ARROW_TYPES = {"text": "string", "number": "float64", "integer": "int64", "boolean": "bool_"}


def write_parquet(out: BinaryIO, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Typed columns (DOUBLE, BIGINT, BOOLEAN, VARCHAR), written in row groups as the rows come."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c.name, getattr(pa, _ARROW_TYPES[c.kind])()) for c in columns])
    count = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        iterator = iter(rows)
        while batch := list(islice(iterator, _BATCH)):
            arrays = [
                pa.array([None if v is WITHHELD else v for v in values], type=field.type)
                for values, field in zip(zip(*batch, strict=True), schema, strict=True)
            ]
            writer.write_batch(pa.record_batch(arrays, schema=schema))
            count += len(batch)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def write(
    fmt: Format, out: BinaryIO, columns: Sequence[Column], rows: Iterable[Sequence[Any]], delimiter: str = ","
) -> int:
    """The rows in the chosen format into ``out``; the number of rows written."""
    if fmt == "csv":
        return write_csv(out, columns, rows, delimiter)
    if fmt == "xlsx":
        return write_xlsx(out, columns, rows)
    return write_parquet(out, columns, rows)

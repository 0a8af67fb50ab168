"""Writes tests/ingest/corpus/: the same observations in every accepted dialect.

Run from the repository root: .venv/bin/python tests/ingest/make_corpus.py
The files are committed; this script documents how each was made.
"""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent / "corpus"
NOTE = 'Überschrift; "quoted", with a comma,\nand a second line – 5 €'

# indicator, area, period, value, numerator, denominator, status, note, ses (the small world of tests.factories)
ROWS = [
    ("rate", "A1", "2024", "62.5", "125", "200", "provisional", NOTE, ""),
    ("rate", "A1", "2024", "50", "40", "80", "", "", "low"),
    ("rate", "A1", "2024", "", "30", "40", "estimated", "", "high"),
    ("rate", "A1", "2023", "61.25", "245", "400", "", "", ""),
    ("count", "A1", "2024", "17", "", "", "", "", ""),
    ("count", "A1", "2023", "<5", "", "", "", "suppressed by the source", ""),
    ("count", "A1", "2022", "1234", "", "", "p", "", ""),
]
HEADER = ["indicator", "area", "period", "value", "numerator", "denominator", "status", "note", "ses"]


def text(delimiter: str, decimal_comma: bool, newline: str, quoting: int = csv.QUOTE_MINIMAL, header=HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    writer.writerow(header)
    order = [HEADER.index(h.strip().lower()) for h in header]
    for row in ROWS:
        values = [row[i] for i in order]
        if decimal_comma:
            values = [v.replace(".", ",") if i in (3, 4, 5) else v for i, v in zip(order, values, strict=True)]
        writer.writerow(values)
    return buffer.getvalue()


def main() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / "comma-point-lf-utf8.csv").write_bytes(text(",", False, "\n").encode("utf-8"))
    (HERE / "semicolon-comma-crlf-utf8-bom.csv").write_bytes(text(";", True, "\r\n").encode("utf-8-sig"))
    (HERE / "semicolon-comma-crlf-cp1252.csv").write_bytes(text(";", True, "\r\n").encode("cp1252"))
    (HERE / "comma-point-crlf-all-quoted.csv").write_bytes(
        text(",", False, "\r\n", quoting=csv.QUOTE_ALL).encode("utf-8")
    )
    shuffled = ["  SES ", "Note", "Period", "Indicator ", "AREA", "Value", "Status", "Denominator", "Numerator"]
    (HERE / "header-case-spaces-shuffled.csv").write_bytes(text(",", False, "\n", header=shuffled).encode("utf-8"))
    (HERE / "semicolon-point-lf-utf8.csv").write_bytes(text(";", False, "\n").encode("utf-8"))

    for name, sheet_first in (("first-sheet.xlsx", True), ("observations-sheet.xlsx", False)):
        workbook = Workbook()
        sheet = workbook.active
        if not sheet_first:
            sheet.title = "README"
            sheet.append(["This sheet is not read: the sheet named 'observations' is."])
            sheet = workbook.create_sheet("Observations")
        sheet.append(HEADER)
        for row in ROWS:
            cells: list[object] = list(row)
            for i in (2, 3, 4, 5):  # periods and numbers as numeric cells, as a spreadsheet keeps them
                with contextlib.suppress(ValueError):
                    cells[i] = int(row[i]) if row[i].isdigit() else float(row[i])
            sheet.append([c if c != "" else None for c in cells])
        workbook.save(HERE / name)


if __name__ == "__main__":
    main()

"""The source mapping engine on files of every shape, through ``mappings.check_file`` (no database needed)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from api.errors import BackboneError, Invalid
from api.ingest.spool import spool_local_file
from api.models.mapping import MappedRow
from api.services.imports import mappings

BASE: dict[str, Any] = {"code": "m", "name": "test", "indicator": "rate"}


def run(tmp_path: Path, data: bytes, document: dict[str, Any], name: str = "file.csv") -> tuple[int, list[MappedRow]]:
    source = tmp_path / name
    source.write_bytes(data)
    spooled = spool_local_file(source, tmp_path / "spool", max_bytes=1 << 22, max_line_bytes=1 << 16)
    return mappings.check_file(
        spooled, mappings.validate_document({**BASE, **document}), max_rows=10_000, max_errors=20, limit=1000
    )


def refused(tmp_path: Path, data: bytes, document: dict[str, Any], name: str = "file.csv") -> BackboneError:
    with pytest.raises(BackboneError) as raised:
        run(tmp_path, data, document, name)
    assert raised.value.status_code == 422
    return raised.value


def keys(rows: list[MappedRow]) -> list[tuple]:
    return [(r.line, r.area, r.period, r.value, r.numerator, r.denominator, r.breakdown) for r in rows]


WIDE = {
    "area": {"column": "Code"},
    "period": {"group": "year"},
    "measures": [{"columns": r"^Waarde (?P<year>\d{4})$", "measure": "value"}],
}


def test_titles_blank_lines_footnotes_and_a_cell_over_two_lines_keep_the_files_line_numbers(tmp_path):
    data = (
        b"Tabel 1: voorbeeld\r\n\r\nCode;Naam;Waarde 2024;Waarde 2025\r\n"
        b'A1;"Stad\r\nA";1,5;2\r\n'
        b";;;\r\n"  # blank, as a spreadsheet saves it
        b"B1;Stad B;3;<5\r\n"
        b"\r\nBron: CBS\r\n(c) 2025\r\n"
    )
    count, rows = run(tmp_path, data, {**WIDE, "file": {"skip_lines": "detect"}})
    assert count == 4
    assert keys(rows) == [
        (4, "A1", "2024", "1,5", None, None, {}),
        (4, "A1", "2025", "2", None, None, {}),
        (7, "B1", "2024", "3", None, None, {}),
        (7, "B1", "2025", "x", None, None, {}),
    ]


def test_a_header_over_two_lines_with_merged_cells_and_columns_by_number(tmp_path):
    data = "Tabelle\n;;Schüler;;Absolventen\n;;Insgesamt;weiblich;Insgesamt\n2023;05954;10;4;7\n".encode("cp1252")
    document = {
        "file": {"skip_lines": 1, "header_lines": 2, "encoding": "cp1252"},
        "area": {"column": "#2"},
        "period": {"column": "#1", "map": {"2023": "2022/23"}},
        "breakdown": {"gender": {"group": "sex", "map": {"Insgesamt": "", "weiblich": "girl"}}},
        "measures": [{"columns": "^Schüler (?P<sex>Insgesamt|weiblich)$", "measure": "value"}],
    }
    count, rows = run(tmp_path, data, document)
    assert keys(rows) == [
        (4, "05954", "2022/23", "10", None, None, {}),
        (4, "05954", "2022/23", "4", None, None, {"gender": "girl"}),
    ]
    assert count == 2  # 'Absolventen Insgesamt' matches no measure rule: left alone


def test_a_long_file_takes_the_measure_from_a_column_and_joins_the_lines_of_one_observation(tmp_path):
    data = (
        b'"Perioden","RegioS","Onderwerp","Waarde"\n'
        b'"2020JJ00","GM0014  ","Geslaagden","90"\n'
        b'"2020JJ00","GM0014  ","Kandidaten","100"\n'
        b'"2021JJ00","GM0014  ","Geslaagden","."\n'
        b'"2021JJ00","GM0014  ","Kandidaten","110"\n'
        b'"2021JJ00","GM0014  ","Onbekend","1"\n'
    )
    document = {
        "area": {"column": "RegioS"},
        "period": {"column": "Perioden", "extract": r"^(\d{4})JJ00$"},
        "measures": [
            {
                "columns": "^Waarde$",
                "measure": {
                    "column": "Onderwerp",
                    "map": {"Geslaagden": "numerator", "Kandidaten": "denominator", "Onbekend": None},
                },
            }
        ],
        "markers": {"missing": ["."]},
    }
    count, rows = run(tmp_path, data, document)
    assert keys(rows) == [
        (2, "GM0014", "2020", None, "90", "100", {}),
        (5, "GM0014", "2021", None, None, "110", {}),  # its numerator is missing: the checks will say so
    ]
    assert count == 2


def test_templates_join_columns_and_maps_keep_skip_or_refuse_what_they_do_not_know(tmp_path):
    data = b"BRIN,NR,Jaar,Sekse,Aantal\n01AB,00,2024,M,5\n01AB,01,2024,V,6\n01AB,02,2024,X,7\n01AB,03,2024,?,8\n"
    document = {
        "area": {"template": "VO-{BRIN}{NR}"},
        "period": {"column": "Jaar"},
        "breakdown": {"gender": {"column": "Sekse", "map": {"M": "boy", "V": "girl", "X": None}, "unmapped": "skip"}},
        "measures": [{"columns": "^Aantal$"}],
    }
    _, rows = run(tmp_path, data, document)
    assert keys(rows) == [
        (2, "VO-01AB00", "2024", "5", None, None, {"gender": "boy"}),
        (3, "VO-01AB01", "2024", "6", None, None, {"gender": "girl"}),
    ]
    kept = {**document, "breakdown": {"gender": {"column": "Sekse", "map": {"M": "boy"}, "unmapped": "keep"}}}
    assert [r.breakdown for r in run(tmp_path, data, kept)[1]] == [
        {"gender": "boy"},
        {"gender": "V"},
        {"gender": "X"},
        {"gender": "?"},
    ]
    error = refused(tmp_path, data, {**document, "breakdown": {"gender": {"column": "Sekse", "map": {"M": "boy"}}}})
    assert [(e.row, e.column, e.rule, e.code) for e in error.errors] == [
        (line, "Sekse", "breakdown.gender.map", "not_in_map") for line in (3, 4, 5)
    ]
    assert error.error_count == 3


def test_cells_of_several_rows_are_added_up_and_a_suppressed_part_suppresses_the_sum(tmp_path):
    data = b"School;Vak;Geslaagd;Kandidaten\nS1;a;3;4\nS1;b;5;5\nS2;a;<5;6\nS2;b;1;2\nS3;a;0;0\n"
    document = {
        "area": {"column": "School"},
        "period": "2024",
        "measures": [
            {"columns": "^Geslaagd$", "measure": "numerator"},
            {"columns": "^Kandidaten$", "measure": "denominator"},
        ],
    }
    error = refused(tmp_path, data, document)
    assert error.errors[0].code == "duplicate_cell" and (error.errors[0].row, error.errors[0].rule) == (3, "measures.0")
    _, rows = run(tmp_path, data, {**document, "combine": "sum", "zero_denominator": "skip"})
    assert keys(rows) == [
        (2, "S1", "2024", None, "8", "9", {}),
        (4, "S2", "2024", "x", None, None, {}),
    ]
    bad = refused(tmp_path, data.replace(b"S2;b;1;2", b"S2;b;een;2"), {**document, "combine": "sum"})
    assert [(e.row, e.column, e.code) for e in bad.errors] == [(5, "Geslaagd", "not_a_number")]


def test_markers_of_the_mapping_come_before_the_standard_ones(tmp_path):
    data = b"Code;Waarde 2023;Waarde 2024;Waarde 2025\nA1;-;...;x\n"
    document = {**WIDE, "markers": {"zero": ["-"], "missing": ["..."]}}
    assert keys(run(tmp_path, data, document)[1]) == [
        (2, "A1", "2023", "0", None, None, {}),
        (2, "A1", "2025", "x", None, None, {}),
    ]


def test_an_xlsx_workbook_is_read_through_its_sheet(tmp_path):
    book = Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Zie het andere blad"])
    sheet = book.create_sheet("Cijfers")
    sheet.append(["Cijfers per gemeente"])
    sheet.append([])
    sheet.append(["Code", "Waarde 2024"])
    sheet.append(["A1", 12.5])
    buffer = io.BytesIO()
    book.save(buffer)
    document = {**WIDE, "file": {"sheet": "cijfers", "skip_lines": "detect"}}
    assert keys(run(tmp_path, buffer.getvalue(), document, "cijfers.xlsx")[1]) == [
        (4, "A1", "2024", "12.5", None, None, {})
    ]
    missing = refused(tmp_path, buffer.getvalue(), {**WIDE, "file": {"sheet": "Data"}}, "cijfers.xlsx")
    assert missing.errors[0].rule == "file.sheet" and "Cijfers" in missing.errors[0].message


@pytest.mark.parametrize(
    ("data", "document", "code", "rule"),
    [
        (b"Code;Waarde 2024\nA1;1\n", {**WIDE, "area": {"column": "Gemeente"}}, "unknown_column", "area.column"),
        (b"Code;Code;Waarde 2024\nA1;A2;1\n", WIDE, "unknown_column", "area.column"),
        (b"Code;Jaar\nA1;1\n", WIDE, "no_measure_columns", "measures"),
        (b"Code;Waarde 2024\n", WIDE, "no_rows", None),
        (b"", WIDE, "empty_file", None),
        (b"\n\n;;\n", WIDE, "no_header", "file"),
        (
            b"Code;Waarde 2024\nA1;1\n",
            {**WIDE, "measures": [{"columns": "^Waarde (?P<year>.*)$", "measure": {"group": "year"}}]},
            "invalid_measure",
            "measures.0.measure",
        ),
    ],
)
def test_a_file_the_mapping_does_not_fit_is_refused_with_the_rule(tmp_path, data, document, code, rule):
    error = refused(tmp_path, data, document)
    assert (error.errors[0].code, error.errors[0].rule) == (code, rule)


def test_patterns_run_in_a_linear_time_engine_and_others_are_refused(tmp_path):
    # (a+)+$ takes Python's backtracking engine longer than the age of the universe on this header;
    # DuckDB's RE2 answers at once: no match, so no measure column.
    header = "a" * 60 + "!"
    error = refused(
        tmp_path, f"Code;{header}\nA1;1\n".encode(), {**WIDE, "period": "2024", "measures": [{"columns": "^(a+)+$"}]}
    )
    assert error.errors[0].code == "no_measure_columns"
    # RE2 has no back-references or look-arounds: refused when the mapping is saved.
    for pattern in (r"^(a)\1$", r"^(?=a)a$"):
        with pytest.raises(Invalid) as raised:
            mappings.validate_document({**BASE, **WIDE, "period": "2024", "measures": [{"columns": pattern}]})
        assert raised.value.errors[0].field == "measures.0.columns"


@pytest.mark.parametrize("empty_line", [b"", b"\r\n"])  # without one DuckDB's reader reads the rows, with one Python's
@pytest.mark.parametrize("wider_row", [b"", b";extra"])  # a row wider than the head: Python's reader again
def test_rows_are_numbered_by_the_line_they_start_on_whichever_reader_reads_them(tmp_path, empty_line, wider_row):
    data = (
        b'Code;Naam;Waarde 2024\r\nA1;"twee\r\nregels";1\r\n'
        + empty_line
        + b'B1;"drie\r\nvolle\r\nregels";2\r\nC1;x;3'
        + wider_row
        + b"\r\n"
    )
    shift = 1 if empty_line else 0
    assert keys(run(tmp_path, data, WIDE)[1]) == [
        (2, "A1", "2024", "1", None, None, {}),
        (4 + shift, "B1", "2024", "2", None, None, {}),
        (7 + shift, "C1", "2024", "3", None, None, {}),
    ]


def test_a_statline_export_with_its_title_a_header_over_three_lines_and_a_footer(tmp_path):
    """CBS StatLine's own CSV export (national; kept in tests/data/sources for its shape)."""
    source = Path(__file__).parents[1] / "data" / "sources" / "cbs-statline-81565ned-lengte-gewicht-export.csv"
    document = {
        "indicator": "overweight",
        "area": "NL",
        "period": {"column": "Perioden"},
        "breakdown": {"gender": {"column": "Geslacht", "map": {"Mannen": "boy", "Vrouwen": "girl"}}},
        "file": {"skip_lines": "detect", "header_lines": 3},
        "measures": [{"columns": "Overgewicht %$"}],
    }
    count, rows = run(tmp_path, source.read_bytes(), document)
    lines = source.read_text(encoding="cp1252").splitlines()
    data = [(n, line.split(";")) for n, line in enumerate(lines, start=1) if line.startswith(('"Mannen"', '"Vrouwen"'))]
    assert count == len(data) == 9  # the title above and the copyright line below are left out
    assert keys(rows) == [
        (n, "NL", f[2].strip('"'), f[6].strip('"'), None, None, {"gender": "boy" if "Mannen" in f[0] else "girl"})
        for n, f in data
    ]

"""Observations and progress exported as CSV, XLSX and Parquet: filtered and suppressed as the JSON API does."""

from __future__ import annotations

import csv
import io
import os
import zipfile

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from api.models import Area, Organisation
from tests.api.test_disclosure import report
from tests.api.test_error_shape import assert_error_shape
from tests.api.test_observations import put, value
from tests.conftest import login
from tests.factories import assignment, id_of, indicator, setup

FORMATS = ("csv", "xlsx", "parquet")
HYPERLINK = '=HYPERLINK("http://x")'


def export(client, fmt: str, headers=None, kind: str = "observations", **params):
    response = client.get(f"/api/v1/exports/{kind}.{fmt}", params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return response


def rows_of(response, fmt: str) -> list[dict[str, object]]:
    """The file's rows as dicts, cells as the format holds them (CSV: text; XLSX and Parquet: typed)."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        header, *rest = sheet.iter_rows(values_only=True)
        return [dict(zip(header, row, strict=True)) for row in rest]
    return pq.read_table(io.BytesIO(response.content)).to_pylist()


def key(row: dict[str, object]) -> tuple[object, ...]:
    return (row["indicator"], row["area"], row["period"], row.get("ses") or "")


def is_withheld(cell: object) -> bool:
    return cell in ("x", None)


def test_a_formula_in_a_note_comes_out_as_text(world, as_user):
    assert put(world, as_user("alice"), value("rate", "A1", "2024", value=60.0, note=HYPERLINK)).status_code == 200
    response = export(world, "csv")
    assert f'"\'{HYPERLINK.replace(chr(34), chr(34) * 2)}"' in response.text
    assert rows_of(response, "csv")[0]["note"] == "'" + HYPERLINK
    sheet = load_workbook(io.BytesIO(export(world, "xlsx").content)).active
    (note,) = [c for c in sheet[2] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert note.data_type == "s" and note.value == "'" + HYPERLINK


def test_a_note_with_markup_spaces_and_control_characters_reaches_the_sheet_as_written(world, as_user):
    # The sheet's XML is written by DuckDB: &, < and > escaped, line breaks kept (\r too),
    # and the control characters a sheet cannot hold left out (as openpyxl does).
    note = "  a < b & c > d\r\nline two\x01\x1f end  "
    assert put(world, as_user("alice"), value("rate", "A1", "2024", value=60.0, note=note)).status_code == 200
    (stored,) = world.get("/api/v1/observations").json()["items"]
    assert stored["note"] == note.strip()  # an import trims its cells
    (row,) = rows_of(export(world, "xlsx"), "xlsx")
    assert row["note"] == "a < b & c > d\r\nline two end"
    assert row["value"] == 60 and row["numerator"] is None and row["organisation"] == "CITY-A"
    sheet = load_workbook(io.BytesIO(export(world, "xlsx").content)).active
    assert [c.font.b for c in sheet[1]] == [True] * sheet.max_column  # the header in bold


def test_names_are_written_once_and_reach_the_sheet_as_written(world, db, as_user):
    # Codes, names, periods and categories are the workbook's shared strings, made by DuckDB: written
    # once however many rows name them, formula-safe, escaped, their spaces kept.
    with setup(db) as s:
        s.get(Area, id_of(s, Area, "A1")).name = " =Rotterdam & <Zuid> \x07"
        s.get(Organisation, id_of(s, Organisation, "CITY-A")).name = "@City A"
    for ses in ("low", "high"):
        row = value("rate", "A1", "2024", breakdown={"ses": ses}, numerator=60, denominator=100)
        assert put(world, as_user("alice"), row).status_code == 200
    response = export(world, "xlsx")
    rows = rows_of(response, "xlsx")
    assert [(r["area_name"], r["organisation_name"], r["ses"]) for r in rows] == [
        (" =Rotterdam & <Zuid> ", "'@City A", "high"),
        (" =Rotterdam & <Zuid> ", "'@City A", "low"),
    ]
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert strings.count("Rotterdam") == 1 and "Rotterdam" not in sheet
    assert '<t xml:space="preserve"> =Rotterdam &amp; &lt;Zuid&gt; </t>' in strings


@pytest.fixture
def signed(world, db, as_user):
    """An index that can be negative, reported by city A."""
    with setup(db) as s:
        indicator(s, "change", "g1", unit="index", aggregation="none", threshold=0, position=4)
        assignment(s, "CITY-A", "change", "A1")
    assert put(world, as_user("alice"), value("change", "A1", "2024", value=-2.5)).status_code == 200
    return world


def test_negative_numbers_stay_numbers_in_every_format(signed):
    csv_response = export(signed, "csv", indicator="change")
    assert "change,A1,2024,-2.5," in csv_response.text
    for fmt in ("xlsx", "parquet"):
        (row,) = rows_of(export(signed, fmt, indicator="change"), fmt)
        assert row["value"] == -2.5 and isinstance(row["value"], float)
    sheet = load_workbook(io.BytesIO(export(signed, "xlsx", indicator="change").content)).active
    assert [c.data_type for c in sheet[2] if c.value == -2.5] == ["n"]
    schema = pq.read_table(io.BytesIO(export(signed, "parquet").content)).schema
    assert {str(schema.field(n).type) for n in ("value", "numerator", "denominator")} == {"double"}
    assert str(schema.field("suppressed").type) == "bool"


def test_suppressed_values_never_reach_viewers_or_the_public(world, as_user):
    report(world, as_user("alice"), "A1", {"total": 200, "low": 8, "middle": 100, "high": 92})  # low: 8 < 10
    report(world, as_user("bob"), "B1", {"total": 300, "low": 60, "middle": 140, "high": 100})
    raw = {key(r): r for r in rows_of(export(world, "csv", as_user("admin")), "csv")}
    assert not any(r["suppressed"] == "true" for r in raw.values())
    for who in (None, "viewer", "bob"):
        headers = as_user(who) if who else {}
        listed = world.get("/api/v1/observations", params={"limit": 1000}, headers=headers).json()["items"]
        hidden = {
            (o["indicator"], o["area"], o["period"], next(iter(o["breakdown"].values()), ""))
            for o in listed
            if o["suppressed"]
        }
        assert ("rate", "A1", "2020", "low") in hidden and len(hidden) >= 2  # and one more that gives it away
        for fmt in FORMATS:
            rows = {key(r): r for r in rows_of(export(world, fmt, headers), fmt)}
            assert set(rows) == set(raw)
            withheld = {k for k, r in rows.items() if r["suppressed"] in (True, "true")}
            assert withheld == hidden, (who, fmt)
            for k in hidden:
                assert is_withheld(rows[k]["value"]) and rows[k]["numerator"] in ("", None), (who, fmt, k)
                assert rows[k]["denominator"] in ("", None)
            # The hidden figures appear nowhere in the file.
            if fmt == "csv":
                assert not any(r["denominator"] == "8" or r["numerator"] == "4" for r in rows.values())


def test_filters_are_those_of_the_observations_endpoint(world, as_user):
    report(world, as_user("alice"), "A1", {"total": 200, "low": 50, "middle": 100, "high": 50})
    put(world, as_user("alice"), value("count", "A1", "2021", value=20), value("count", "A1", "2020", value=30))
    report(world, as_user("bob"), "B1", {"total": 300, "low": 60, "middle": 140, "high": 100})
    cases = [
        {"indicator": "count"},
        {"area": "B1"},
        {"period": "2021"},
        {"breakdown": "total"},
        {"breakdown": "ses:low"},
        {"indicator": "rate", "area": "A1", "breakdown": "ses"},
    ]
    for params in cases:
        listed = world.get("/api/v1/observations", params=params).json()["items"]
        expected = {(o["indicator"], o["area"], o["period"], o["breakdown"].get("ses", "")) for o in listed}
        for fmt in FORMATS:
            assert {key(r) for r in rows_of(export(world, fmt, **params), fmt)} == expected, (params, fmt)


def test_the_file_is_named_after_the_filters(world):
    response = export(world, "csv", indicator="rate", period="2023/24")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="backbone-observations-rate-2023-24.csv"' in response.headers["content-disposition"]
    assert export(world, "parquet").headers["content-type"] == "application/vnd.apache.parquet"
    xlsx = export(world, "xlsx", kind="progress", goal="g1")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="backbone-progress-g1.xlsx"' in xlsx.headers["content-disposition"]


def test_an_unpublished_indicator_is_left_out_for_the_public(world, as_user):
    put(world, as_user("alice"), value("hidden", "A1", "2024", value=40.0), value("rate", "A1", "2024", value=41.0))
    for fmt in FORMATS:
        assert {r["indicator"] for r in rows_of(export(world, fmt), fmt)} == {"rate"}
        assert rows_of(export(world, fmt, indicator="hidden"), fmt) == []
        assert {r["indicator"] for r in rows_of(export(world, fmt, as_user("viewer")), fmt)} == {"hidden", "rate"}
        progress = {r["indicator"] for r in rows_of(export(world, fmt, kind="progress"), fmt)}
        assert progress == {"rate", "count"}


def test_bad_formats_and_filters_get_a_clear_error(world):
    for path, params in [
        ("observations.pdf", {}),
        ("observations.csv", {"indicator": "nope"}),
        ("observations.xlsx", {"area": "nowhere"}),
        ("observations.csv", {"breakdown": "ses:"}),
        ("observations.csv", {"delimiter": "|"}),
        ("observations.parquet", {"columns": "some"}),
        ("progress.csv", {"goal": "nope"}),
        ("progress.txt", {}),
        ("progress.csv", {"until": "soon"}),
    ]:
        response = world.get(f"/api/v1/exports/{path}", params=params)
        assert 400 <= response.status_code < 500, (path, params, response.status_code)
        assert_error_shape(response)
        assert response.json()["message"]


def test_an_export_re_imports_unchanged(world, as_user):
    put(
        world,
        as_user("alice"),
        value("rate", "A1", "2024", value=62.5, numerator=125, denominator=200, note=HYPERLINK),
        value("rate", "A1", "2024", breakdown={"ses": "low"}, value=50, numerator=4, denominator=8, provisional=True),
        value("count", "A1", "2024", suppressed=True, note="-- kept back at source"),
        value("count", "A1", "2023", value=17, estimated=True),
    )
    before = world.get("/api/v1/observations", params={"area": "A1"}, headers=as_user("admin")).json()["items"]
    full = export(world, "csv", as_user("admin"), area="A1").content.decode("utf-8-sig")
    # Staff's full export, with the readable columns left out, is a file the reporter can import again.
    table = list(csv.DictReader(io.StringIO(full)))
    keep = [c for c in table[0] if c not in ("area_name", "organisation", "organisation_name", "suppressed")]
    out = io.StringIO()
    writer = csv.DictWriter(out, keep, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    files = {
        "edited.csv": out.getvalue().encode(),
        "import.csv": export(world, "csv", as_user("alice"), area="A1", columns="import").content,
        "import.xlsx": export(world, "xlsx", as_user("alice"), area="A1", columns="import").content,
        "semicolon.csv": export(world, "csv", as_user("alice"), area="A1", columns="import", delimiter=";").content,
    }
    for name, content in files.items():
        response = world.post("/api/v1/imports", files={"file": (name, content)}, headers=as_user("alice"))
        assert response.status_code == 200, (name, response.text)
        assert response.json()["unchanged"] == response.json()["rows"] == 4, (name, response.json())
    after = world.get("/api/v1/observations", params={"area": "A1"}, headers=as_user("admin")).json()["items"]
    assert after == before
    assert {o["note"] for o in after} >= {HYPERLINK, "-- kept back at source"}


def test_progress_rows_follow_the_progress_endpoint_and_hide_small_counts(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2024", value=62.5), value("count", "A1", "2024", value=3))
    for fmt in FORMATS:
        public = {(r["area"], r["indicator"]): r for r in rows_of(export(world, fmt, kind="progress", area="A1"), fmt)}
        assert set(public) == {("A1", "rate"), ("A1", "count")}
        rate, count = public[("A1", "rate")], public[("A1", "count")]
        assert float(rate["latest_value"]) == 62.5 and float(rate["target_value"]) == 70
        assert rate["status"] == "off_track" and float(rate["progress"]) == pytest.approx(0.625)
        assert is_withheld(count["latest_value"]) and count["suppressed"] in (True, "true")
        staff_file = export(world, fmt, as_user("admin"), kind="progress", area="A1")
        staff = {r["indicator"]: r for r in rows_of(staff_file, fmt)}
        assert float(staff["count"]["latest_value"]) == 3


def test_the_file_is_removed_once_sent_and_so_are_files_left_behind(world, settings):
    folder = settings.data_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    (left := folder / "broken-off.export").write_bytes(b"old")
    os.utime(left, (0, 0))
    (recent := folder / "being-sent.export").write_bytes(b"new")
    for fmt in FORMATS:
        export(world, fmt)
        export(world, fmt, kind="progress")
    assert sorted(p.name for p in folder.iterdir()) == [recent.name]


def test_more_rows_than_a_sheet_holds_is_refused_for_xlsx_only(world, as_user, monkeypatch):
    put(world, as_user("alice"), value("rate", "A1", "2024", value=60.0), value("rate", "A1", "2023", value=59.0))
    monkeypatch.setattr("api.services.exports.files.XLSX_MAX_ROWS", 1)
    response = world.get("/api/v1/exports/observations.xlsx")
    assert response.status_code == 422 and response.json()["code"] == "too_many_rows"
    assert_error_shape(response)
    assert len(rows_of(export(world, "csv"), "csv")) == 2
    assert len(rows_of(export(world, "xlsx", indicator="rate", period="2024"), "xlsx")) == 1


def as_csv_text(cell: object, decimal_comma: bool = False) -> str:
    """A typed cell as the CSV export writes it: numbers whole where they are whole, booleans in words."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, int | float):
        text = str(int(cell)) if float(cell).is_integer() else repr(float(cell))
        return text.replace(".", ",") if decimal_comma else text
    return str(cell)


def listed(client, headers, **params) -> list[dict[str, object]]:
    """Every observation ``GET /observations`` lists (hiding worked out in Python), as an export's row."""
    found, offset = [], 0
    while page := client.get(
        "/api/v1/observations", params={**params, "limit": 1000, "offset": offset}, headers=headers
    ).json()["items"]:
        found += page
        offset += len(page)
    return [
        {
            "indicator": o["indicator"],
            "area": o["area"],
            "period": o["period"],
            **o["breakdown"],
            "value": "x" if o["suppressed"] else o["value"],
            "numerator": None if o["suppressed"] else o["numerator"],
            "denominator": None if o["suppressed"] else o["denominator"],
            "status": " ".join(s for s in ("provisional", "estimated") if o[s]) or None,
            "note": o["note"],
            "organisation": o["organisation"],
            "suppressed": o["suppressed"],
        }
        for o in found
    ]


@pytest.mark.parametrize("who", [None, "steering", "kidsfirst", "admin"])
def test_every_format_holds_what_the_observations_endpoint_lists_for_every_reader(demo_client, who):
    # The files are made by DuckDB (COPY), the JSON answer in Python: the same rows, cells hidden alike.
    headers = login(demo_client, who) if who else {}
    shown = listed(demo_client, headers)
    sheet = rows_of(export(demo_client, "xlsx", headers), "xlsx")
    assert len(sheet) == len(shown) > 100
    for row, expected in zip(sheet, shown, strict=True):
        assert {n: row.get(n) for n in expected} == expected, who
    for params in ({}, {"columns": "import", "indicator": "ece-participation"}):
        reference = sheet if not params else rows_of(export(demo_client, "xlsx", headers, **params), "xlsx")
        assert len(reference) > 100
        for delimiter in (",", ";"):
            comma = delimiter == ";"
            response = export(demo_client, "csv", headers, delimiter=delimiter, **params)
            assert response.content.startswith("\ufeff".encode()) and b"\r\n" in response.content
            written = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))
            assert written == [{n: as_csv_text(c, comma) for n, c in row.items()} for row in reference], who
        table = pq.read_table(io.BytesIO(export(demo_client, "parquet", headers, **params).content))
        assert table.column_names == list(reference[0])
        for row, expected in zip(table.to_pylist(), reference, strict=True):
            withheld = {"value": "x"} if expected["value"] == "x" else {}  # null in Parquet, x in a sheet
            empty = {n: None for n, c in row.items() if c == ""}  # a sheet has no empty text, only empty cells
            assert {**row, **withheld, **empty} == expected, who
    if who in (None, "steering"):
        assert any(r["suppressed"] for r in sheet)

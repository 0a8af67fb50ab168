"""The shipped source mappings (seed_data/mappings) against the real published files in tests/data/sources.

Each file imports as the demo's members would import it: the right observations, values as the
publisher's own numbers give them (computed here from the file with Python's csv module), suppressed
cells stored as suppressed, and a second import changing nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from api.db import Database
from tests.conftest import login
from tests.factories import PASSWORD, setup, user

SOURCES = Path(__file__).parents[1] / "data" / "sources"
DUO = SOURCES / "duo-vo-examenkandidaten-geslaagden.csv"
CBS = SOURCES / "cbs-83450ned-sociale-zekerheid-gemeenten-2015-odata.csv"
GENESIS = SOURCES / "genesis-21111-02-06-4-absolvierende-kreise.csv"


def _import(client, headers, path: Path, mapping: str, **params):
    answer = client.post(
        "/api/v1/imports",
        params={"mapping": mapping, **params},
        files={"file": (path.name, path.read_bytes())},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _observations(client, headers, indicator: str) -> dict[tuple[str, str, str], dict]:
    items = client.get("/api/v1/observations", params={"indicator": indicator, "limit": 1000}, headers=headers).json()[
        "items"
    ]
    return {(o["area"], o["period"], ",".join(f"{k}:{v}" for k, v in o["breakdown"].items())): o for o in items}


def _duo_totals(school: str, year: str, sex: str) -> tuple[list[str], list[str]]:
    with DUO.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["VESTIGINGSCODE"] == school]
    return (
        [r[f"GESLAAGDEN SCHOOLJAAR {year} - {sex}"] for r in rows],
        [r[f"EXAMENKANDIDATEN SCHOOLJAAR {year} - {sex}"] for r in rows],
    )


def test_duo_exam_file_imports_per_school_year_and_sex(demo_client):
    groningen = login(demo_client, "groningen")
    dry = _import(demo_client, groningen, DUO, "duo-vo-exams", dry_run="true")
    # 2 schools x 5 school years x (boys, girls, all); no course of these has 0 candidates in all rows.
    assert (dry["rows"], dry["inserted"]) == (30, 30)
    assert dry["preview"][0]["area"] == "VO-01UH00" and dry["preview"][0]["line"] == 2

    done = _import(demo_client, groningen, DUO, "duo-vo-exams")
    assert (done["inserted"], done["updated"]) == (30, 0)
    stored = _observations(demo_client, groningen, "exam-pass-rate")
    assert len(stored) == 30
    # Summed over the school's courses, as the publisher's own numbers give it: known where no part is '<5'.
    passed, candidates = _duo_totals("02CR00", "2021-2022", "TOTAAL")
    assert "<5" not in passed + candidates
    whole = stored[("VO-02CR00", "2021/22", "")]
    assert (whole["numerator"], whole["denominator"]) == (sum(map(int, passed)), sum(map(int, candidates)))
    assert whole["value"] == pytest.approx(100 * sum(map(int, passed)) / sum(map(int, candidates)))
    # A '<5' among the parts makes the sum unknown: stored as suppressed, with no value nor parts.
    passed, _ = _duo_totals("01UH00", "2019-2020", "MAN")
    assert "<5" in passed
    boys = stored[("VO-01UH00", "2019/20", "gender:boy")]
    assert boys["suppressed"] is True and boys["value"] is None and boys["numerator"] is None
    assert sum(o["suppressed"] for o in stored.values()) == 29

    again = _import(demo_client, groningen, DUO, "duo-vo-exams")
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 30)


def test_cbs_statline_table_imports_the_municipalitys_row(demo_client):
    groningen = login(demo_client, "groningen")
    done = _import(demo_client, groningen, CBS, "cbs-83450ned-bijstand")
    # Seven regions in the excerpt; Groningen reports only its own municipality (the rest is left out).
    assert (done["rows"], done["inserted"]) == (1, 1)
    (stored,) = _observations(demo_client, groningen, "social-assistance-density").values()
    with CBS.open(encoding="utf-8-sig", newline="") as handle:
        row = next(
            r for r in csv.DictReader(handle, delimiter=";") if r["RegioS"] == "GM0014" and r["Leeftijd"] == "20150"
        )
    recipients, inhabitants = int(row["Bijstandontvangers_2"]), int(row["Inwoners_1"])
    assert (stored["area"], stored["period"]) == ("GM0014", "2015")
    assert (stored["numerator"], stored["denominator"]) == (recipients, inhabitants)
    assert stored["value"] == pytest.approx(1000 * recipients / inhabitants)
    assert stored["value"] == pytest.approx(float(row["Bijstandsdichtheid_3"]), abs=0.5)  # CBS rounds to 0.5
    again = _import(demo_client, groningen, CBS, "cbs-83450ned-bijstand")
    assert (again["inserted"], again["unchanged"]) == (0, 1)


def test_genesis_table_imports_with_titles_three_header_lines_and_footnotes(demo_client, demo_database_url):
    db = Database(demo_database_url)
    try:
        with setup(db) as session:
            user(session, "dortmund", "member", "STADT-DORTMUND")
    finally:
        db.dispose()
    dortmund = login(demo_client, "dortmund", PASSWORD)
    done = _import(demo_client, dortmund, GENESIS, "genesis-21111-02-06-4")
    # Dortmund: all leavers, and the girls (the demo's synthetic total for 2022/23 is replaced).
    assert (done["rows"], done["inserted"], done["updated"]) == (2, 1, 1)
    stored = _observations(demo_client, dortmund, "leavers-without-qualification")
    mine = {k: v for k, v in stored.items() if k[0] == "05913000" and k[1] == "2022/23"}
    text = GENESIS.read_text(encoding="cp1252").splitlines()
    fields = next(line for line in text if line.startswith("2023;05913;")).split(";")
    assert mine[("05913000", "2022/23", "")]["value"] == float(fields[5])
    assert mine[("05913000", "2022/23", "gender:girl")]["value"] == float(fields[6])
    again = _import(demo_client, dortmund, GENESIS, "genesis-21111-02-06-4")
    assert (again["inserted"], again["unchanged"]) == (0, 2)


def test_genesis_markers_in_the_real_file(tmp_path):
    """'-' is nothing (0), '.' secret (suppressed), 'x' not meaningful (no value): checked with no database."""
    from api.ingest.spool import spool_local_file
    from api.services.imports import mappings

    document = mappings.read_document_file(
        Path(__file__).parents[2] / "seed_data" / "mappings" / "genesis-21111-02-06-4.yaml"
    )
    wide = {**document.model_dump(), "measures": [{"columns": r"(?P<sex>Insgesamt|weiblich)$", "measure": "value"}]}
    wide["combine"] = "sum"  # every qualification of a row becomes the same key here: add them up
    document = mappings.validate_document(wide)
    spooled = spool_local_file(GENESIS, tmp_path, max_bytes=1 << 20, max_line_bytes=1 << 16)
    count, rows = mappings.check_file(spooled, document, max_rows=1000, max_errors=10, limit=1000)
    by_key = {(r.line, r.breakdown.get("gender", "")): r for r in rows}
    assert count == 36  # 18 rows x (all, girls); title lines and footnotes left out
    lines = GENESIS.read_text(encoding="cp1252").splitlines()

    def expected(line: int) -> str:
        cells = lines[line - 1].split(";")[3::2]  # the 'Insgesamt' columns
        if "." in cells:
            return "x"
        return str(sum(int(c) for c in cells if c not in ("-", "x")))

    for line, marker in ((11, "."), (15, "-"), (24, "x")):  # Niedersachsen, Duisburg, Sachsen
        assert marker in lines[line - 1].split(";")
        assert by_key[(line, "")].value == expected(line)

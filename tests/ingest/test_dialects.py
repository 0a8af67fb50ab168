"""A corpus of files in every accepted dialect loads the same values."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import upload

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(p.name for p in CORPUS.iterdir())
NOTE = 'Überschrift; "quoted", with a comma,\nand a second line – 5 €'


def stored(client, headers):
    items = client.get("/api/v1/observations", params={"limit": 100}, headers=headers).json()["items"]
    return sorted(
        (
            i["indicator"],
            i["period"],
            tuple(i["breakdown"].items()),
            i["value"],
            i["numerator"],
            i["denominator"],
            i["provisional"],
            i["estimated"],
            i["suppressed"],
            i["note"],
        )
        for i in items
    )


EXPECTED = sorted(
    [
        ("rate", "2024", (), 62.5, 125.0, 200.0, True, False, False, NOTE),
        ("rate", "2024", (("ses", "low"),), 50.0, 40.0, 80.0, False, False, False, None),
        ("rate", "2024", (("ses", "high"),), 75.0, 30.0, 40.0, False, True, False, None),  # 100 * 30 / 40
        ("rate", "2023", (), 61.25, 245.0, 400.0, False, False, False, None),
        ("count", "2024", (), 17.0, None, None, False, False, False, None),
        ("count", "2023", (), None, None, None, False, False, True, "suppressed by the source"),
        ("count", "2022", (), 1234.0, None, None, True, False, False, None),
    ]
)


def test_the_corpus_has_every_dialect():
    assert {
        "comma-point-lf-utf8.csv",
        "semicolon-comma-crlf-utf8-bom.csv",
        "semicolon-comma-crlf-cp1252.csv",
        "comma-point-crlf-all-quoted.csv",
        "header-case-spaces-shuffled.csv",
        "first-sheet.xlsx",
        "observations-sheet.xlsx",
    } <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_every_dialect_loads_the_same_values(world, alice, name):
    response = upload(world, alice, name, (CORPUS / name).read_bytes())
    assert response.status_code == 200, response.text
    assert response.json()["inserted"] == len(EXPECTED)
    assert stored(world, alice) == EXPECTED
    again = upload(world, alice, name, (CORPUS / name).read_bytes()).json()
    assert (again["inserted"], again["updated"], again["unchanged"], again["submission"]) == (0, 0, 7, None)


def test_a_file_in_one_dialect_is_unchanged_in_another(world, alice):
    upload(world, alice, "a.csv", (CORPUS / "comma-point-lf-utf8.csv").read_bytes())
    for name in FILES:
        summary = upload(world, alice, name, (CORPUS / name).read_bytes()).json()
        assert summary["unchanged"] == len(EXPECTED), (name, summary)

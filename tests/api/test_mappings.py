"""Source mappings over HTTP: kept by admins, read by members, and a publisher's file imported through one."""

from __future__ import annotations

import json

import pytest

# A wide file as a publisher might write it: title lines, a row per area, a column per year and measure,
# decimal commas, a totals row, '<5' and '.' markers, and a footnote.
WIDE = (
    b"Slagingspercentage per gemeente\n"
    b"Bron: voorbeeld\n"
    b"\n"
    b'Gemeente;Code;"Geslaagd 2024 laag";"Kandidaten 2024 laag";"Geslaagd 2024 hoog";"Kandidaten 2024 hoog";'
    b'"Geslaagd 2025 totaal";"Kandidaten 2025 totaal"\n'
    b"Stad A;A1;30;40;45;50;<5;60\n"
    b"Totaal;;30;40;45;50;70;100\n"
    b"Stad A (oud);A1-OLD;.;.;.;.;.;.\n"
    b"\n"
    b"Voetnoot: < 5 is onderdrukt\n"
)

MAPPING = {
    "code": "wide-rates",
    "name": "Example: pass rates per municipality",
    "file": {"skip_lines": "detect"},
    "indicator": "rate",
    "area": {"column": "Code"},
    "period": {"group": "year"},
    "breakdown": {"ses": {"group": "ses", "map": {"laag": "low", "hoog": "high", "totaal": ""}}},
    "measures": [
        {
            "columns": r"^(?P<measure>Geslaagd|Kandidaten) (?P<year>\d{4}) (?P<ses>laag|hoog|totaal)$",
            "measure": {"group": "measure", "map": {"Geslaagd": "numerator", "Kandidaten": "denominator"}},
        }
    ],
    "skip": [{"column": "Gemeente", "equals": ["Totaal"]}, {"column": "Code", "matches": "-OLD$"}],
}


def _create(world, headers, document=MAPPING):
    return world.post("/api/v1/mappings", content=json.dumps(document), headers=headers)


def _upload(world, headers, data=WIDE, **params):
    return world.post(
        "/api/v1/imports",
        params={"mapping": "wide-rates", **params},
        files={"file": ("uitslag.csv", data)},
        headers=headers,
    )


def test_admins_keep_mappings_and_members_read_them(world, as_user):
    admin, alice = as_user("admin"), as_user("alice")
    assert _create(world, alice).status_code == 403
    created = _create(world, admin)
    assert created.status_code == 201, created.text
    assert created.json()["code"] == "wide-rates"
    assert _create(world, admin).status_code == 409
    listed = world.get("/api/v1/mappings", headers=alice).json()
    assert [m["code"] for m in listed["items"]] == ["wide-rates"] and listed["total"] == 1
    assert world.get("/api/v1/mappings/wide-rates", headers=alice).json()["measures"][0]["columns"].startswith("^(?P")
    assert world.get("/api/v1/mappings").status_code == 401

    changed = {**MAPPING, "name": "Renamed"}
    yaml_body = "code: wide-rates\nname: Renamed\n" + "\n".join(
        f"{key}: {json.dumps(value)}" for key, value in changed.items() if key not in ("code", "name")
    )
    replaced = world.put(
        "/api/v1/mappings/wide-rates", content=yaml_body, headers={**admin, "Content-Type": "application/yaml"}
    )
    assert replaced.status_code == 200, replaced.text
    assert world.get("/api/v1/mappings", headers=alice).json()["items"][0]["name"] == "Renamed"
    mismatch = world.put("/api/v1/mappings/wide-rates", content=json.dumps({**MAPPING, "code": "other"}), headers=admin)
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["field"] == "code"

    assert world.delete("/api/v1/mappings/wide-rates", headers=alice).status_code == 403
    assert world.delete("/api/v1/mappings/wide-rates", headers=admin).status_code == 204
    assert world.get("/api/v1/mappings/wide-rates", headers=alice).status_code == 404
    trail = world.get("/api/v1/audit", params={"entity": "source_mapping"}, headers=admin)
    assert trail.status_code == 200
    assert {e["action"] for e in trail.json()["items"]} == {"create", "update", "delete"}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"measures": [{"columns": "^(unclosed", "measure": "value"}]}, "measures.0.columns", "invalid_pattern"),
        ({"period": {"group": "jaar"}}, "period.group", "unknown_group"),
        ({"measures": [{"columns": "^x$", "measure": "total"}]}, "measures.0.measure", "invalid_measure"),
        ({"breakdown": {"region": {"value": "x"}}}, "breakdown.region", "unknown_dimension"),
        ({"area": {"column": "Code", "value": "A1"}}, "area", "value_error"),
        ({"colour": "blue"}, "colour", "extra_forbidden"),
        ({"file": {"delimiter": "::"}}, "file.delimiter", "literal_error"),
        ({"skip": [{"column": "Code"}]}, "skip.0", "value_error"),
        ({"area": {"group": "year", "template": "{Code}-{value}"}}, "area.template", "mixed_template"),
    ],
)
def test_a_bad_mapping_is_refused_with_the_path_of_its_problem(world, as_user, change, field, code):
    refused = _create(world, as_user("admin"), {**MAPPING, **change})
    assert refused.status_code == 422, refused.text
    assert (field, code) in [(e["field"], e["code"]) for e in refused.json()["errors"]]
    assert world.get("/api/v1/mappings", headers=as_user("admin")).json()["total"] == 0


def test_unreadable_and_oversized_documents_are_refused(world, as_user):
    admin = as_user("admin")
    broken = world.post(
        "/api/v1/mappings", content="code: [unclosed", headers={**admin, "Content-Type": "application/yaml"}
    )
    assert broken.status_code == 422 and broken.json()["errors"][0]["code"] == "unreadable_mapping"
    # YAML that would build objects is plain text to a safe loader: refused as a mapping, never run.
    tagged = world.post(
        "/api/v1/mappings",
        content="!!python/object/apply:os.system ['true']",
        headers={**admin, "Content-Type": "application/yaml"},
    )
    assert tagged.status_code == 422
    huge = {**MAPPING, "area": {"column": "Code", "map": {f"k{i:07d}": f"A{i}" for i in range(15_000)}}}
    assert _create(world, admin, huge).status_code == 413


def test_a_wide_file_imports_through_its_mapping(world, as_user, db):
    _create(world, as_user("admin"))
    alice = as_user("alice")
    dry = _upload(world, alice, dry_run="true")
    assert dry.status_code == 200, dry.text
    summary = dry.json()
    assert (summary["rows"], summary["inserted"], summary["submission"]) == (3, 3, None)
    assert [(r["line"], r["period"], r["breakdown"], r["numerator"], r["denominator"]) for r in summary["preview"]] == [
        (5, "2024", {"ses": "low"}, "30", "40"),
        (5, "2024", {"ses": "high"}, "45", "50"),
        (5, "2025", {}, None, None),
    ]
    assert summary["preview"][2]["value"] == "x"  # '<5' passed: the observation is suppressed
    assert world.get("/api/v1/observations", params={"indicator": "rate"}, headers=alice).json()["total"] == 0

    done = _upload(world, alice).json()
    assert (done["inserted"], done["unchanged"], done["preview"]) == (3, 0, None)
    stored = world.get("/api/v1/observations", params={"indicator": "rate", "area": "A1"}, headers=alice).json()
    values = {(o["period"], o["breakdown"].get("ses", "")): o for o in stored["items"]}
    assert values[("2024", "low")]["value"] == pytest.approx(75.0) and values[("2024", "low")]["denominator"] == 40
    assert values[("2024", "high")]["value"] == pytest.approx(90.0)
    assert values[("2025", "")]["suppressed"] is True and values[("2025", "")]["value"] is None

    again = _upload(world, alice).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)


def test_errors_point_at_the_source_line_column_and_rule(world, as_user):
    _create(world, as_user("admin"))
    alice = as_user("alice")
    bad = WIDE.replace(b"Stad A;A1;30;40", b"Stad A;A1;dertig;40").replace(b"A1-OLD", b"B1")
    refused = _upload(world, alice, data=bad.replace(b"Stad A (oud)", b"Stad B"))
    assert refused.status_code in (403, 422), refused.text
    errors = refused.json()["errors"]
    assert {
        "row": 5,
        "column": "Geslaagd 2024 laag",
        "rule": "measures.0",
        "code": "not_a_number",
    }.items() <= next(e for e in errors if e["code"] == "not_a_number").items()
    assert world.get("/api/v1/observations", params={"indicator": "rate"}, headers=alice).json()["total"] == 0

    # A breakdown text the map does not know: named at its cell, with the rule that has the map.
    unknown = WIDE.replace(
        b'"Geslaagd 2024 hoog";"Kandidaten 2024 hoog"', b'"Geslaagd 2024 midden";"Kandidaten 2024 midden"'
    )
    _create_variant = {**MAPPING, "code": "wide-rates-2"}
    _create_variant["measures"] = [
        {**MAPPING["measures"][0], "columns": MAPPING["measures"][0]["columns"].replace("laag|hoog|totaal", r"\w+")}
    ]
    _create(world, as_user("admin"), _create_variant)
    refused = world.post(
        "/api/v1/imports",
        params={"mapping": "wide-rates-2"},
        files={"file": ("uitslag.csv", unknown)},
        headers=alice,
    )
    assert refused.status_code == 422
    # The text is in the columns' headers: named once per column, at the header's line.
    assert {(e["row"], e["column"], e["rule"], e["code"]) for e in refused.json()["errors"]} == {
        (4, "Geslaagd 2024 midden", "breakdown.ses.map", "not_in_map"),
        (4, "Kandidaten 2024 midden", "breakdown.ses.map", "not_in_map"),
    }


def test_a_mapping_that_does_not_fit_the_file_is_refused_and_unknown_mappings_are_404(world, as_user):
    _create(world, as_user("admin"), {**MAPPING, "area": {"column": "Gemeentecode"}})
    alice = as_user("alice")
    refused = _upload(world, alice)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "area.column"
    assert "Gemeentecode" in refused.json()["errors"][0]["message"]
    missing = world.post("/api/v1/imports", params={"mapping": "nope"}, files={"file": ("x.csv", WIDE)}, headers=alice)
    assert missing.status_code == 404
    for garbage in (b"", b"\x00\x01\x02", b"PK\x03\x04 not a zip", b"\n\n\n", "é;ü\n".encode("cp1252")):
        answer = _upload(world, alice, data=garbage)
        assert answer.status_code == 422, (garbage, answer.text)


def test_rows_outside_the_importers_assignments_can_be_left_out(world, as_user):
    admin, alice = as_user("admin"), as_user("alice")
    both = WIDE.replace(b"A1-OLD;.;.;.;.;.;.", b"B1;10;20;10;20;10;20").replace(b"Stad A (oud)", b"Stad B")
    _create(world, admin, MAPPING)
    assert _upload(world, alice, data=both).status_code == 403  # B1 is bob's
    _create(world, admin, {**MAPPING, "code": "wide-rates-mine", "areas": "assigned"})
    done = world.post(
        "/api/v1/imports", params={"mapping": "wide-rates-mine"}, files={"file": ("x.csv", both)}, headers=alice
    )
    assert done.status_code == 200, done.text
    assert done.json()["inserted"] == 3
    assert world.get("/api/v1/observations", params={"area": "B1"}, headers=admin).json()["total"] == 0

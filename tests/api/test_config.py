"""The set-up as files: the zip downloaded, loaded back all or nothing, the same bytes after a round trip."""

from __future__ import annotations

import io
import zipfile

from sqlmodel import select

from api.config import Mode, Settings
from api.db import Database
from api.models import Area, AuditEvent, Submission, Target, User
from api.models.common import Channel
from api.services.config.load import load, read_zip
from api.services.config.tables import COLUMNS, export_zip
from tests.api.test_error_shape import assert_error_shape


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _post(client, files: dict[str, str], headers, **params):
    upload = {"file": ("config.zip", _zip(files), "application/zip")}
    return client.post("/api/v1/config", files=upload, params=params, headers=headers)


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


AREAS = "code,name,level,parent\nA1-N,Noord,district,A1\nA1-Z,Zuid,district,A1\nA1,Stad A (renamed),municipality,NL\n"


def test_only_admins_export_and_load_the_set_up(world, as_user):
    assert world.get("/api/v1/config.zip").status_code == 401
    assert world.get("/api/v1/config.zip", headers=as_user("alice")).status_code == 403
    assert world.get("/api/v1/config.zip", headers=as_user("viewer")).status_code == 403
    assert _post(world, {"areas.csv": AREAS}, as_user("alice")).status_code == 403
    assert _post(world, {"areas.csv": AREAS}, {}).status_code == 401
    got = world.get("/api/v1/config.zip", headers=as_user("admin"))
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    files = _unzip(got.content)
    assert sorted(files) == sorted(COLUMNS)
    users = files["users.csv"].decode()
    assert users.splitlines()[0] == "username,full_name,role,organisation,email,language,active"
    assert "alice,User alice,member,CITY-A,,en,true" in users and "argon" not in users.lower()
    assert "rate,,2015,50,2025,70" in files["targets.csv"].decode()


def test_a_dry_run_counts_and_writes_nothing_then_the_load_writes_it_all(world, as_user, db):
    admin = as_user("admin")
    dry = _post(world, {"areas.csv": AREAS}, admin, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True
    assert dry.json()["kinds"] == {"areas": {"created": 2, "updated": 1, "unchanged": 0}}
    assert world.get("/api/v1/areas/A1-N").status_code == 404
    with db.session() as session:
        revisions = len(session.exec(select(Submission)).all())
    done = _post(world, {"areas.csv": AREAS}, admin)
    assert done.status_code == 200 and done.json()["kinds"]["areas"] == {"created": 2, "updated": 1, "unchanged": 0}
    assert world.get("/api/v1/areas/A1-N").json()["parent"] == "A1"
    assert world.get("/api/v1/areas/A1").json()["name"] == "Stad A (renamed)"
    with db.session() as session:
        # One submission for the whole load, and each row's change in the audit trail, in the admin's name.
        assert len(session.exec(select(Submission)).all()) == revisions + 1
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == "area", AuditEvent.user_id != None)).all()  # noqa: E711
        assert sorted(e.entity_key for e in events) == ["A1", "A1-N", "A1-Z"]
    again = _post(world, {"areas.csv": AREAS}, admin)
    assert again.json()["kinds"]["areas"] == {"created": 0, "updated": 0, "unchanged": 3}


def test_every_problem_is_named_by_file_row_and_column_and_nothing_is_written(world, as_user, db):
    files = {
        "areas.csv": AREAS + "X1,Somewhere,galaxy,NL\nX2,Lost,district,NOWHERE\n",
        "assignments.csv": "organisation,indicator,area\nCITY-A,rate,A1-N\nCITY-A,nope,A1-Z\n",
        "targets.csv": "indicator,area,baseline_period,baseline_value,target_period,target_value\n"
        "rate,A1-N,2015,40,2030,60\nrate,A1-Z,someday,40,2030,60\n",
        "users.csv": "username,full_name,role,organisation\nnew,New Person,boss,CITY-A\n",
    }
    refused = _post(world, files, as_user("admin"))
    assert refused.status_code == 422
    assert_error_shape(refused)
    found = {(e["file"], e["row"], e["column"]) for e in refused.json()["errors"]}
    assert found == {
        ("areas.csv", 5, "level"),
        ("areas.csv", 6, "parent"),
        ("assignments.csv", 3, "indicator"),
        ("targets.csv", 3, "baseline_period"),
        ("users.csv", 2, "role"),
    }
    assert refused.json()["error_count"] == 5
    with db.session() as session:
        assert session.exec(select(Area).where(Area.code == "A1-N")).first() is None
        assert session.exec(select(User).where(User.username == "new")).first() is None
        assert len(session.exec(select(Target)).all()) == 1


def test_broken_uploads_are_refused_with_a_reason(world, as_user):
    admin = as_user("admin")
    not_zip = world.post(
        "/api/v1/config", files={"file": ("c.zip", b"PK\x03\x04broken", "application/zip")}, headers=admin
    )
    assert not_zip.status_code == 422 and not_zip.json()["errors"][0]["code"] == "not_a_zip"
    header = _post(world, {"areas.csv": "code,name,levle\nX,Y,district\n"}, admin)
    assert header.status_code == 422
    assert {(e["code"], e["column"]) for e in header.json()["errors"]} == {
        ("missing_column", "level"),
        ("unknown_column", "levle"),
    }
    latin = _post(world, {}, admin)
    assert latin.status_code == 200 and latin.json()["files"] == []


def test_a_spreadsheets_semicolon_export_loads_as_it_is(world, as_user):
    # Unnamed columns, empty at the end of every line and one inside, blank lines of any width, padded values.
    lines = [
        "code;name;;level;parent;;",
        " A1-N ; Noord ;; district ; A1 ;;",
        ";;;;;;",
        ";;",
        "",
        "A1-Z;Zuid;;district;A1;;",
    ]
    areas = "\r\n".join([*lines, ";;;;;;;;;", ""])
    loaded = _post(world, {"areas.csv": areas}, as_user("admin"))
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["kinds"] == {"areas": {"created": 2, "updated": 0, "unchanged": 0}}
    assert world.get("/api/v1/areas/A1-N").json()["name"] == "Noord"
    stray = _post(world, {"areas.csv": areas.replace("A1-Z;Zuid;;", "A1-Z;Zuid;x;")}, as_user("admin"))
    assert stray.status_code == 422
    assert [(e["row"], e["column"], e["code"]) for e in stray.json()["errors"]] == [
        (6, "column 3", "value_in_unnamed_column")
    ]


def test_new_users_get_invitation_links_in_the_answer(world, as_user):
    users = "username,full_name,role,organisation,email,language,active\ncarla,Carla Jansen,member,CITY-A,,nl,true\n"
    answer = _post(world, {"users.csv": users}, as_user("admin"))
    assert answer.status_code == 200, answer.text
    (link,) = answer.json()["invitations"]
    assert link["username"] == "carla"
    whom = world.get(f"/api/v1/auth/invitations/{link['token']}")
    assert whom.status_code == 200 and whom.json()["organisation"] == "CITY-A"


def test_the_last_admin_cannot_be_switched_off_by_a_file(world, as_user):
    users = "username,full_name,role,organisation,active\nadmin,User admin,admin,BACKBONE,false\n"
    refused = _post(world, {"users.csv": users}, as_user("admin"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "last_admin"
    assert refused.json()["errors"][0]["file"] == "users.csv" and refused.json()["errors"][0]["row"] == 2


def round_trip(exported: bytes, empty_url: str) -> bytes:
    """Load an exported zip into an empty database and export that again."""
    empty = Database(empty_url)
    try:
        with empty.transaction() as session:
            load(
                session=session,
                actor=None,
                files=read_zip(exported, max_bytes=1 << 26),
                settings=Settings(mode=Mode.demo),
                base_url="http://testserver",
                dry_run=False,
                channel=Channel.cli,
            )
        with empty.session() as session:
            return export_zip(session)
    finally:
        empty.dispose()


def test_export_load_into_an_empty_database_and_export_again_gives_the_same_bytes(world, as_user, empty_database_url):
    first = world.get("/api/v1/config.zip", headers=as_user("admin")).content
    assert round_trip(first, empty_database_url) == first


def test_a_changed_dimension_and_agenda_are_saved_not_counted_unchanged(world, as_user):
    admin = as_user("admin")
    dimensions = (
        "dimension,dimension_name_en,value,value_name_en,position\n"
        "ses,SES,low,Low,1\nses,SES,middle,Middle,2\nses,SES,high,High,3\nses,SES,unknown,Unknown,4\n"
    )
    agenda = "code,name_en,vision_en\nequal-chances,Equal chances,Every child\n"
    first = _post(world, {"dimensions.csv": dimensions, "agenda.csv": agenda}, admin)
    assert first.status_code == 200, first.text
    assert first.json()["kinds"]["dimensions"] == {"created": 0, "updated": 1, "unchanged": 0}
    values = [v["code"] for v in world.get("/api/v1/dimensions/ses").json()["values"]]
    assert values == ["low", "middle", "high", "unknown"]
    changed = _post(world, {"agenda.csv": agenda.replace("Every child", '"Every child, everywhere"')}, admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["kinds"]["agenda"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert world.get("/api/v1/agenda").json()["vision"]["en"] == "Every child, everywhere"
    again = _post(world, {"dimensions.csv": dimensions}, admin)
    assert again.json()["kinds"]["dimensions"] == {"created": 0, "updated": 0, "unchanged": 1}


MAPPING_YAML = """code: counts-per-year
name: Counts per year
indicator: count
area: {column: Gebied}
period: {group: year}
measures:
  - columns: '^Aantal (?P<year>\\d{4})$'
"""


def test_source_mappings_travel_with_the_alliances_files(world, as_user):
    admin = as_user("admin")
    dry = _post(world, {"setup/mappings/counts.yaml": MAPPING_YAML}, admin, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json()["kinds"]["mappings"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert world.get("/api/v1/mappings", headers=admin).json()["total"] == 0
    done = _post(world, {"setup/mappings/counts.yaml": MAPPING_YAML}, admin)
    assert done.json()["kinds"]["mappings"]["created"] == 1
    exported = _unzip(world.get("/api/v1/config.zip", headers=admin).content)
    assert sorted(exported) == sorted([*COLUMNS, "mappings/counts-per-year.json"])
    again = _post(world, {"mappings/counts-per-year.json": exported["mappings/counts-per-year.json"].decode()}, admin)
    assert again.json()["kinds"]["mappings"] == {"created": 0, "updated": 0, "unchanged": 1}

    broken = MAPPING_YAML.replace("period: {group: year}", "period: {group: jaar}")
    refused = _post(world, {"mappings/counts.yaml": broken, "areas.csv": AREAS}, admin)
    assert refused.status_code == 422
    assert_error_shape(refused)
    (problem,) = refused.json()["errors"]
    assert (problem["file"], problem["column"], problem["code"]) == (
        "mappings/counts.yaml",
        "period.group",
        "unknown_group",
    )
    assert "A1-N" not in {a["code"] for a in world.get("/api/v1/areas", params={"limit": 100}).json()["items"]}


def test_a_few_rows_of_a_large_kind_are_compared_with_the_stored_rows_they_name_as_with_all(
    world, as_user, monkeypatch
):
    from api.services.config import load as loader

    targets = "indicator,area,baseline_period,baseline_value,target_period,target_value\n"
    a1 = world.get("/api/v1/areas/A1").json()
    files = {
        "areas.csv": f"code,name,level,parent\nA1,{a1['name']},municipality,{a1['parent']}\nA1-N,Noord,district,A1\n",
        "assignments.csv": "organisation,indicator,area\nCITY-A,rate,A1\nCITY-B,rate,A1-N\n",
        "targets.csv": targets + "rate,,2015,50,2025,70\nrate,,2015,50,2030,80\nrate,A1,2015,50,2025,75\n",
    }
    expected = {
        "areas": {"created": 1, "updated": 0, "unchanged": 1},
        "assignments": {"created": 1, "updated": 0, "unchanged": 1},
        "targets": {"created": 2, "updated": 0, "unchanged": 1},
    }
    admin = as_user("admin")
    few = _post(world, files, admin, dry_run="true")  # a few rows: only the stored rows they name are read
    assert few.status_code == 200, few.text
    monkeypatch.setattr(loader, "FEW", 0)  # every stored row read, as for a whole file
    every = _post(world, files, admin, dry_run="true")
    assert few.json()["kinds"] == every.json()["kinds"] == expected
    monkeypatch.undo()
    assert _post(world, files, admin).json()["kinds"] == expected
    changed = _post(world, {"targets.csv": targets + "rate,,2015,50,2030,81\n"}, admin)
    assert changed.json()["kinds"]["targets"] == {"created": 0, "updated": 1, "unchanged": 0}

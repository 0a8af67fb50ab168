"""The read model pulls only what was committed since it last looked, in commit order."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import insert, text, update
from sqlmodel import select

from api.db import Database
from api.models import Area, Indicator, Observation, Submission, User
from api.models.common import Role
from api.models.observation import ObservationBatch
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.common import record_change
from api.services.imports.batches import submit_batch
from tests.conftest import app_client
from tests.factories import small_world


def _alice(db: Database) -> Principal:
    with db.session() as s:
        user = s.exec(select(User).where(User.username == "alice")).one()
    return Principal(
        user_id=user.id,
        username="alice",
        full_name="",
        role=Role.member,
        organisation_id=user.organisation_id,
        organisation="CITY-A",
    )


def _write(db: Database, periods: range, value: float = 10.0, model: ReadModel | None = None) -> int:
    """Write 'count' values for A1 through the ingestion pipeline, as a member would."""
    batch = ObservationBatch(
        observations=[{"indicator": "count", "area": "A1", "period": str(p), "value": value} for p in periods]
    )
    with db.transaction() as s:
        summary = submit_batch(
            session=s, read_model=model or ReadModel(db), principal=_alice(db), batch=batch, max_errors=100
        )
    return summary.submission


def _values(model: ReadModel) -> dict[str, float]:
    cur = model.cursor()
    try:
        return dict(cur.execute("SELECT period, value FROM observation").fetchall())
    finally:
        cur.close()


def test_sync_pulls_only_submissions_newer_than_it_has(db):
    small_world(db)
    model = ReadModel(db)
    _write(db, range(2010, 2013))
    assert _values(model) == {"2010": 10.0, "2011": 10.0, "2012": 10.0}
    # A change behind the read model's back (no submission) is not pulled again...
    with db.transaction() as s:
        s.exec(update(Observation).where(Observation.period == "2010").values(value=99.0))
    _write(db, range(2013, 2014))
    values = _values(model)
    assert values["2010"] == 10.0 and values["2013"] == 10.0
    # ...while a fresh read model, which loads everything, sees it.
    assert _values(ReadModel(db))["2010"] == 99.0


def test_two_processes_each_keep_their_own_copy_up_to_date(settings):
    first_db, second_db = Database(settings.resolved_database_url), Database(settings.resolved_database_url)
    small_world(first_db)
    first, second = ReadModel(first_db), ReadModel(second_db)
    _write(first_db, range(2010, 2012))
    _write(second_db, range(2012, 2013), value=20.0)
    assert _values(first) == _values(second) == {"2010": 10.0, "2011": 10.0, "2012": 20.0}
    first_db.dispose()
    second_db.dispose()


def test_metadata_changes_reload_the_metadata(db):
    small_world(db)
    model = ReadModel(db)
    model.sync()
    with db.transaction() as s:
        s.exec(update(Indicator).where(Indicator.code == "count").values(suppression_threshold=42))
        record_change(s, None, "threshold changed")
    cur = model.cursor()
    assert cur.execute("SELECT suppression_threshold FROM indicator WHERE code = 'count'").fetchone() == (42,)
    cur.close()


def test_revisions_follow_commit_order_under_concurrent_writers(settings):
    databases = [Database(settings.resolved_database_url) for _ in range(4)]
    small_world(databases[0])
    reader = ReadModel(databases[0])
    committed: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def writer(db: Database, start: int) -> None:
        model = ReadModel(db)  # each writer is a process of its own
        try:
            for n in range(5):
                submission_id = _write(db, range(start + n, start + n + 1), value=float(start + n), model=model)
                with db.session() as s:
                    revision = s.exec(text(f"SELECT revision FROM submission WHERE id = {submission_id}")).one()[0]
                with lock:
                    committed.append(revision)
                reader.sync()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(db, 1900 + 10 * i)) for i, db in enumerate(databases)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    # Every revision is unique, with no gaps, and the reader that synced in between missed nothing.
    assert sorted(committed) == list(range(min(committed), min(committed) + 20))
    assert len(_values(reader)) == 20
    with databases[0].session() as s:
        stored = dict(s.exec(text("SELECT period, value FROM observation")).all())
    assert _values(reader) == stored
    for db in databases:
        db.dispose()


def test_memos_of_an_indicator_outlive_submissions_of_other_indicators(db):
    small_world(db)
    model = ReadModel(db)
    _write(db, range(2010, 2012), model=model)
    with db.session() as s:
        ids = dict(s.exec(select(Indicator.code, Indicator.id)).all())
    calls: list[str] = []

    def figure(name: str, indicators: tuple[int, ...] | None) -> str:
        model.sync()
        return model.memo(name, lambda: calls.append(name) or f"{name}@{model.revision}", indicators=indicators)

    def all_figures() -> None:
        figure("count", (ids["count"],))
        figure("rate", (ids["rate"],))
        figure("metadata", ())
        figure("everything", None)

    all_figures()
    all_figures()
    assert calls == ["count", "rate", "metadata", "everything"]  # the second round is remembered
    batch = ObservationBatch(observations=[{"indicator": "rate", "area": "A1", "period": "2011", "value": 50.0}])
    with db.transaction() as s:
        submit_batch(session=s, read_model=model, principal=_alice(db), batch=batch, max_errors=10)
    calls.clear()
    all_figures()
    assert calls == ["rate", "everything"]  # a 'rate' submission leaves the 'count' figures be
    with db.transaction() as s:
        record_change(s, None, "metadata changed")
    calls.clear()
    all_figures()
    assert calls == ["count", "rate", "metadata", "everything"]


# The app's read model is kept in a file in the data directory, with the revision it holds.


def _persisted(db: Database, directory: Path) -> ReadModel:
    return ReadModel.persisted(db, directory, memory_limit="256MB")


def test_a_kept_read_model_is_reused_after_a_restart_and_pulls_what_was_written_while_it_was_down(db, tmp_path):
    small_world(db)
    _write(db, range(2010, 2012))
    model = _persisted(db, tmp_path)
    assert _values(model) == {"2010": 10.0, "2011": 10.0}
    kept = model.path
    model.close()
    # While it is down: a submission, a metadata change, and a change behind its back (no submission).
    _write(db, range(2012, 2013), value=30.0)
    with db.transaction() as s:
        s.exec(update(Indicator).where(Indicator.code == "count").values(suppression_threshold=42))
        record_change(s, None, "threshold changed")
    with db.transaction() as s:
        s.exec(update(Observation).where(Observation.period == "2010").values(value=99.0))
    again = _persisted(db, tmp_path)
    # Reused, not loaded again: the change without a submission is not there; everything submitted is.
    assert _values(again) == {"2010": 10.0, "2011": 10.0, "2012": 30.0}
    assert again.path == kept  # the same file, taken again
    cur = again.cursor()
    assert cur.execute("SELECT suppression_threshold FROM indicator WHERE code = 'count'").fetchone() == (42,)
    assert cur.execute("SELECT period FROM period WHERE period = '2012'").fetchall() == [("2012",)]
    cur.close()
    again.close()
    assert _values(again) == {"2010": 10.0, "2011": 10.0, "2012": 30.0}  # used after closing: opened again
    again.close()


def test_a_kept_read_model_of_another_database_is_loaded_again(settings, empty_database_url, tmp_path):
    first, second = Database(settings.resolved_database_url), Database(empty_database_url)
    small_world(first)
    small_world(second)
    _write(first, range(2010, 2012))
    _write(second, range(2010, 2012), value=20.0)  # the same revisions, another history
    model = _persisted(first, tmp_path)
    assert _values(model) == {"2010": 10.0, "2011": 10.0}
    model.close()
    other = _persisted(second, tmp_path)
    assert _values(other) == {"2010": 20.0, "2011": 20.0}
    revision = other.revision
    other.close()
    # The same address, another history (a database made again, or a backup restored): the submission at the
    # revision the file holds is not the one it saw.
    with second.transaction() as s:
        s.exec(update(Observation).values(value=5.0))
        held = update(Submission).where(Submission.revision == revision)
        s.exec(held.values(created_at=datetime(2020, 1, 1, tzinfo=UTC)))
    model = _persisted(second, tmp_path)
    assert set(_values(model).values()) == {5.0}
    model.close()
    first.dispose()
    second.dispose()


def test_each_read_model_holds_a_file_of_its_own_and_a_damaged_file_is_made_again(db, tmp_path):
    small_world(db)
    _write(db, range(2010, 2011))
    one, two = _persisted(db, tmp_path), _persisted(db, tmp_path)
    assert one.path is None  # opened on first use
    assert _values(one) == _values(two) == {"2010": 10.0}
    assert {one.path.name, two.path.name} == {"readmodel-0.duckdb", "readmodel-1.duckdb"}
    # Another process cannot take a file this one holds: it takes the next free one.
    script = (
        "import sys; from pathlib import Path; from api.db import Database; from api.readmodel import ReadModel; "
        "m = ReadModel.persisted(Database(sys.argv[1]), Path(sys.argv[2]), memory_limit='256MB'); "
        "revision = m.sync(); print(m.path.name, revision)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(db.url.render_as_string(hide_password=False)), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0] == "readmodel-2.duckdb" and int(out[1]) == one.revision
    one.close()
    two.close()
    (tmp_path / "readmodel-0.duckdb").write_bytes(b"not a DuckDB file" * 100)
    (tmp_path / "readmodel-0.duckdb.wal").unlink(missing_ok=True)
    remade = _persisted(db, tmp_path)
    assert _values(remade) == {"2010": 10.0} and remade.path.name == "readmodel-0.duckdb"
    remade.close()


def test_a_sync_that_fails_half_way_leaves_the_kept_copy_as_it_was(db, tmp_path, monkeypatch):
    small_world(db)
    _write(db, range(2010, 2011))
    model = _persisted(db, tmp_path)
    held = model.sync()
    model.close()
    _write(db, range(2011, 2012), value=30.0)
    model = _persisted(db, tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr("api.readmodel._batches", broken)
    with pytest.raises(RuntimeError, match="went away"):
        model.sync()
    model.close()
    monkeypatch.undo()
    con = duckdb.connect(str(tmp_path / "readmodel-0.duckdb"), read_only=True)
    assert con.execute("SELECT revision FROM readmodel_state").fetchall() == [(held,)]
    assert con.execute("SELECT period FROM observation").fetchall() == [("2010",)]
    con.close()
    model = _persisted(db, tmp_path)
    assert _values(model) == {"2010": 10.0, "2011": 30.0}
    model.close()


def test_the_app_keeps_its_read_model_between_starts(settings):
    with app_client(settings) as client:
        small_world(client.app.state.backbone.db)
        _write(client.app.state.backbone.db, range(2010, 2012))
        first = client.get("/api/v1/health").json()["revision"]
        assert (settings.read_model_files / "readmodel-0.duckdb").exists()
    db = Database(settings.resolved_database_url)
    with db.transaction() as s:  # behind its back: a fresh load would see this, the kept copy does not
        s.exec(update(Observation).where(Observation.period == "2010").values(value=99.0))
    _write(db, range(2012, 2013), value=30.0)
    db.dispose()
    with app_client(settings) as client:
        assert client.get("/api/v1/health").json()["revision"] == first + 1
        rows = client.get("/api/v1/observations", params={"indicator": "count", "area": "A1"}).json()["items"]
        assert {row["period"]: row["value"] for row in rows} == {"2010": 10.0, "2011": 10.0, "2012": 30.0}


def test_the_least_recently_used_memos_go_first(db, monkeypatch):
    monkeypatch.setattr("api.readmodel._MEMOS", 2)
    small_world(db)
    model = ReadModel(db)
    model.sync()
    calls: list[str] = []

    def figure(name: str) -> str:
        return model.memo(name, lambda: calls.append(name) or name, indicators=())

    for name in ("a", "b", "a", "c", "a", "b"):  # c pushes out b (a was used since); b comes back
        figure(name)
    assert calls == ["a", "b", "c", "b"]


def _rate(db: Database, area: str, period: str, numerator: float, org_user: str = "alice") -> None:
    batch = ObservationBatch(
        observations=[{"indicator": "rate", "area": area, "period": period, "numerator": numerator, "denominator": 100}]
    )
    with db.session() as s:
        user = s.exec(select(User).where(User.username == org_user)).one()
    who = Principal(
        user_id=user.id,
        username=org_user,
        full_name="",
        role=Role.member,
        organisation_id=user.organisation_id,
        organisation="",
    )
    with db.transaction() as s:
        submit_batch(session=s, read_model=ReadModel(db), principal=who, batch=batch, max_errors=10)


def test_a_period_s_memo_outlives_saves_in_other_periods_and_is_kept_across_restarts(db, tmp_path, monkeypatch):
    monkeypatch.setattr("api.readmodel._KEEP_SLOWER_THAN", 0.0)  # these figures are quick: keep them all the same
    small_world(db)
    _rate(db, "A1", "2010", 10)
    with db.session() as s:
        rate = s.exec(select(Indicator.id).where(Indicator.code == "rate")).one()
    calls: list[str] = []
    keep = (list, tuple)

    def figure(model: ReadModel, period: str) -> tuple[str, ...]:
        model.sync()
        return model.memo(
            ("figure", period), lambda: calls.append(period) or (period,), indicators=(rate,), period=period, keep=keep
        )

    model = _persisted(db, tmp_path)
    assert (figure(model, "2010"), figure(model, "2011")) == (("2010",), ("2011",))
    _rate(db, "A1", "2011", 20)  # another period of the same indicator, an area it has values for
    figure(model, "2010")
    figure(model, "2011")
    assert calls == ["2010", "2011", "2011"]
    model.close()
    # Started again: both are in the file, for what the values are now.
    again = _persisted(db, tmp_path)
    calls.clear()
    assert (figure(again, "2010"), figure(again, "2011")) == (("2010",), ("2011",))
    assert calls == []
    _rate(db, "A1", "2012", 30)  # still no new area: 2010 and 2011 stand
    figure(again, "2010")
    assert calls == []
    _rate(db, "B1", "2012", 40, org_user="bob")  # rate now has values for B1: roll-ups of every period change
    figure(again, "2010")
    figure(again, "2011")
    assert calls == ["2010", "2011"]
    again.close()
    # An in-memory read model keeps nothing between starts.
    memory = ReadModel(db)
    calls.clear()
    figure(memory, "2010")
    assert calls == ["2010"]


def test_metadata_past_a_duckdb_row_group_loads_and_reloads_whole(db, tmp_path):
    """More areas than one DuckDB row group (122,880): a table made with `AS FROM t LIMIT 0` and filled in the
    same transaction read empty in DuckDB 2.0, so every area was unknown to a large alliance's imports."""
    small_world(db)
    many = 130_000
    with db.transaction() as s:
        nl = s.exec(select(Area.id).where(Area.code == "NL")).one()
        s.execute(
            insert(Area),
            [{"code": f"S{n:06d}", "name": f"School {n}", "level": "school", "parent_id": nl} for n in range(many)],
        )
    for model in (ReadModel(db), _persisted(db, tmp_path)):
        for _ in range(2):  # loaded whole, then the metadata reloaded
            cur = model.cursor()
            assert cur.execute("SELECT count(*), count(code) FROM area WHERE level = 'school'").fetchone() == (
                many,
                many,
            )
            assert cur.execute("SELECT count(*) FROM area_ancestor WHERE ancestor_id = ?", [nl]).fetchone()[0] > many
            cur.close()
            with db.transaction() as s:
                record_change(s, None, "metadata changed")
        model.close()


def test_a_league_worked_out_before_a_restart_is_read_from_the_kept_file(settings, monkeypatch):
    monkeypatch.setattr("api.readmodel._KEEP_SLOWER_THAN", 0.0)
    with app_client(settings) as client:
        small_world(client.app.state.backbone.db)
        _write(client.app.state.backbone.db, range(2010, 2013))
        before = client.get("/api/v1/indicators/count/league")
        assert before.status_code == 200 and before.json()["rows"]

    def not_again(*args: object) -> None:
        raise AssertionError("worked out again")

    monkeypatch.setattr("api.services.analytics.league._league", not_again)
    with app_client(settings) as client:
        assert client.get("/api/v1/indicators/count/league").json() == before.json()

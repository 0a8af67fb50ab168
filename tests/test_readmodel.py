"""The read model pulls only what was committed since it last looked, in commit order."""

from __future__ import annotations

import threading

from sqlalchemy import text, update
from sqlmodel import select

from api.db import Database
from api.models import Indicator, Observation, User
from api.models.common import Role
from api.models.observation import ObservationBatch
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.common import record_change
from api.services.imports.batches import submit_batch
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

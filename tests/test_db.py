"""Storage settings and migrations."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from api.db import Database
from api.migrate import alembic_config, is_current, upgrade
from api.models import Area


@pytest.mark.parametrize("backend", ["sqlite"])  # SQLite's own settings
def test_sqlite_runs_in_wal_mode_with_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_are_enforced(db):
    with pytest.raises(Exception, match=r"(?i)foreign key"), db.transaction() as s:
        s.add(Area(code="X", name="X", level="municipality", parent_id=12345))


def test_migrations_match_the_models(database_url):
    command.check(alembic_config(database_url))  # raises if the models and the migrations differ


def test_upgrade_creates_the_schema_and_is_idempotent(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert not is_current(engine)
    upgrade(engine)
    upgrade(engine)
    assert is_current(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM revision_counter WHERE id = 1")).scalar() == 0


def test_app_refuses_to_start_on_an_unmigrated_database(tmp_path):
    from fastapi.testclient import TestClient

    from api.config import Settings
    from api.main import create_app

    app = create_app(Settings(mode="development", data_dir=tmp_path))
    with pytest.raises(RuntimeError, match="init-db"), TestClient(app):
        pass


def test_database_knows_its_dialect(database_url, backend):
    db = Database(database_url)
    assert db.is_sqlite == (backend == "sqlite")
    db.dispose()


def test_each_process_keeps_the_connection_pool_it_is_given(database_url, backend, tmp_path):
    from api.main import open_backbone
    from tests.conftest import make_settings

    backbone = open_backbone(make_settings(database_url, tmp_path, database_pool_size=3))
    if backend == "postgresql":  # every process of every host together must stay within max_connections
        assert backbone.db.engine.pool.size() == 3
    with backbone.db.session() as session:
        assert session.execute(text("SELECT 1")).scalar_one() == 1
    backbone.db.dispose()
    with pytest.raises(ValueError, match="database_pool_size"):
        make_settings(database_url, tmp_path, database_pool_size=0)

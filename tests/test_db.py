"""Storage settings and migrations."""

from __future__ import annotations

import uuid

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


@pytest.mark.parametrize("backend", ["postgresql"])  # PostgreSQL checks foreign keys with triggers
def test_a_large_write_holds_each_reference_once_instead_of_checking_every_row(db, monkeypatch):
    import duckdb
    from sqlalchemy import MetaData, Table
    from sqlalchemy.exc import IntegrityError, OperationalError

    import api.db
    from api.db import insert_from_duckdb

    monkeypatch.setattr(api.db, "MANY_ROWS", 3)
    with db.transaction() as s:
        areas = [Area(code=code, name=code, level="municipality") for code in ("A", "B")]
        s.add_all(areas)
    a, b = (area.id for area in areas)
    with db.engine.begin() as c:  # a table with a foreign key, and an ordinary trigger that notes each row
        c.exec_driver_sql("CREATE TABLE scratch (id serial PRIMARY KEY, area_id integer NOT NULL REFERENCES area(id))")
        c.exec_driver_sql("CREATE TABLE fired (area_id integer)")
        c.exec_driver_sql(
            "CREATE FUNCTION note_row() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN INSERT INTO fired VALUES (NEW.area_id); RETURN NEW; END $$"
        )
        c.exec_driver_sql("CREATE TRIGGER noted AFTER INSERT ON scratch FOR EACH ROW EXECUTE FUNCTION note_row()")
    scratch = Table("scratch", MetaData(), autoload_with=db.engine)
    cur = duckdb.connect()

    def write(connection, *area_ids):
        rows = " UNION ALL ".join(f"SELECT {int(i)} AS area_id" for i in area_ids)
        insert_from_duckdb(connection, scratch, ("area_id",), cur, rows)

    def count(table):
        with db.engine.connect() as c:
            return c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()

    # A role that may not switch triggers off writes with them on; granted the setting, with them off.
    role = f"plain_{uuid.uuid4().hex[:12]}"
    with db.engine.begin() as c:
        c.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        c.exec_driver_sql(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        c.exec_driver_sql(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
    plain = create_engine(db.url.set(username=role))
    try:
        with plain.begin() as c:
            write(c, a, b, b)
        assert (count("scratch"), count("fired")) == (3, 3)
        with db.engine.begin() as c:
            c.exec_driver_sql(f"GRANT SET ON PARAMETER session_replication_role TO {role}")
        with plain.begin() as c:
            write(c, a, b, b)
        assert (count("scratch"), count("fired")) == (6, 3)
    finally:
        plain.dispose()
        with db.engine.begin() as c:
            c.exec_driver_sql(f"DROP OWNED BY {role}")
            c.exec_driver_sql(f"DROP ROLE {role}")
        with db.engine.begin() as c:
            c.exec_driver_sql("TRUNCATE scratch, fired")

    def delete_area(area_id):
        with db.engine.connect() as c:
            c.exec_driver_sql("SET lock_timeout = 300")
            c.exec_driver_sql(f"DELETE FROM area WHERE id = {int(area_id)}")
            c.commit()

    with db.engine.begin() as c:
        write(c, a, a, b)  # many rows: the triggers were off while they went in ...
        assert c.exec_driver_sql("SHOW session_replication_role").scalar_one() == "origin"  # ... and are on again
        with pytest.raises(OperationalError, match="lock timeout"):  # the referenced area is held until the end
            delete_area(b)
    assert (count("scratch"), count("fired")) == (3, 0)
    with pytest.raises(IntegrityError, match="foreign key"):  # and, once written, by the foreign key itself
        delete_area(b)

    with db.engine.begin() as c:  # a few rows go in as always
        write(c, a)
    assert (count("scratch"), count("fired")) == (4, 1)

    with pytest.raises(Exception, match="foreign key"), db.engine.begin() as c:  # psycopg's own, from COPY
        write(c, a, b, b + 1000)  # a reference that is not there: PostgreSQL refuses the rows as always
    assert count("scratch") == 4

"""Test databases: migrated templates (empty, the small world of tests.factories, the demo seed) that tests copy.

SQLite always; PostgreSQL too when BACKBONE_TEST_DATABASE_URL names a server
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres). A copy is a file copy on
SQLite and ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL; PostgreSQL copies are dropped
in the background while the next tests run.
"""

from __future__ import annotations

import itertools
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, create_engine, text
from sqlalchemy.engine import make_url

from api.db import Database
from api.migrate import upgrade
from api.seed import load_seed
from tests.factories import small_world

PG_URL = os.environ.get("BACKBONE_TEST_DATABASE_URL")
BACKENDS = ("sqlite", "postgresql") if PG_URL else ("sqlite",)
_counter = itertools.count()


class Templates:
    """Migrated template databases per backend and kind, and fresh copies of them.

    Kinds: 'empty'; 'small', holding ``tests.factories.small_world``; 'demo', holding the demo seed.
    """

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.prefix = f"bbt_{os.getpid()}"
        self._made: set[tuple[str, str]] = set()
        self._dropping: list[Future[None]] = []
        self._spares: dict[str, Future[str]] = {}  # per kind, a PostgreSQL copy made ahead
        self._background = ThreadPoolExecutor(max_workers=1)
        self._admin: Engine | None = None

    def _url(self, backend: str, name: str) -> str:
        if backend == "postgresql":
            return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.workdir / (name + '.db')}"

    def _server(self, statement: str) -> None:
        if self._admin is None:
            self._admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_size=2)
        with self._admin.connect() as conn:
            conn.execute(text(statement))

    def _template(self, backend: str, kind: str) -> str:
        name = f"{self.prefix}_tpl_{kind}"
        if (backend, kind) in self._made:
            return name
        if backend == "postgresql":
            self._server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._server(f'CREATE DATABASE "{name}"')
        db = Database(self._url(backend, name))
        upgrade(db.engine)
        if kind == "demo":
            load_seed(db, self.workdir / "uploads")
        elif kind == "small":
            small_world(db)
        db.dispose()
        self._made.add((backend, kind))
        return name

    def fresh(self, kind: str, backend: str = "sqlite") -> str:
        """URL of a new database copied from the ``kind`` template on ``backend``."""
        template = self._template(backend, kind)
        if backend == "sqlite":
            name = f"{self.prefix}_{next(_counter)}"
            shutil.copyfile(self.workdir / f"{template}.db", self.workdir / f"{name}.db")
            return self._url(backend, name)
        # On PostgreSQL the next copy is made in the background while this one is in use.
        spare = self._spares.pop(kind, None)
        name = spare.result() if spare else self._copy(template)
        self._spares[kind] = self._background.submit(self._copy, template)
        return self._url(backend, name)

    def _copy(self, template: str) -> str:
        name = f"{self.prefix}_{next(_counter)}"
        self._server(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        # A test database need not survive a crash of the server: commits need not wait for the disk.
        self._server(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
        return name

    def drop(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "postgresql":
            statement = f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'
            self._dropping.append(self._background.submit(self._server, statement))
        else:
            Path(parsed.database or "").unlink(missing_ok=True)

    def close(self) -> None:
        for spare in self._spares.values():
            self.drop(self._url("postgresql", spare.result()))
        for backend, kind in self._made:
            self.drop(self._url(backend, f"{self.prefix}_tpl_{kind}"))
        self._background.shutdown(wait=True)
        for dropped in self._dropping:
            dropped.result()  # a failed drop fails the session rather than leaving databases behind
        if self._admin is not None:
            self._admin.dispose()


_schemas: dict[str, tuple[Table, ...]] = {}


def all_tables(db: Database) -> tuple[Table, ...]:
    """Every table of a test database, by name; reflected once per backend (every copy has the same schema)."""
    dialect = db.engine.dialect.name
    if dialect not in _schemas:
        metadata = MetaData()
        metadata.reflect(db.engine)
        _schemas[dialect] = tuple(sorted(metadata.tables.values(), key=lambda table: table.name))
    return _schemas[dialect]

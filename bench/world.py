"""A generated alliance for benchmarks and load tests: districts × indicators × years × SES.

Made for a fresh, migrated database. Each of ``organisations`` members reports
every indicator for its share of the districts (district n belongs to member
n mod organisations), and has a user ``member<k>`` with password ``PASSWORD``.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import insert, select

from api.config import Settings
from api.db import Database
from api.ingest.spool import spool_local_file
from api.migrate import upgrade
from api.models import (
    Area,
    Assignment,
    Dimension,
    DimensionValue,
    Goal,
    Indicator,
    IndicatorDimension,
    Organisation,
    User,
)
from api.readmodel import ReadModel
from api.security import hash_password
from api.services.common import record_change
from api.services.imports.batches import import_file

INDICATORS = 10
YEARS = range(2016, 2026)
SES = ("", "low", "middle", "high")
PASSWORD = "benchmark-password"


def fresh_world(database_url: str | None, areas: int) -> tuple[Path, Settings, Database]:
    """A working directory, settings and a migrated database (default: SQLite in that directory) with the world."""
    workdir = Path(tempfile.mkdtemp(prefix="backbone-bench-"))
    url = database_url or f"sqlite:///{workdir / 'backbone.db'}"
    settings = Settings(mode="development", data_dir=workdir, database_url=url, max_import_rows=10_000_000)
    db = Database(url)
    upgrade(db.engine)
    build_world(db, areas)
    return workdir, settings, db


def loaded_world(
    database_url: str | None, areas: int, write: Callable[[Path], int]
) -> tuple[Path, Settings, Database, ReadModel, int]:
    """``fresh_world`` with the file ``write`` makes imported by its member; the read model caught up.

    Returns the working directory, settings, database, read model and how many values the file held.
    """
    workdir, settings, db = fresh_world(database_url, areas)
    path = workdir / "observations.csv"
    rows = write(path)
    spooled = spool_local_file(path, settings.upload_dir, max_bytes=1 << 34, max_line_bytes=1 << 20)
    model = ReadModel(db)
    with db.transaction() as session:
        import_file(
            session=session, read_model=model, settings=settings, spooled=spooled, organisation_id=1, user_id=None
        )
    spooled.remove()
    model.sync()
    return workdir, settings, db, model, rows


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` took."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def build_world(db: Database, areas: int, organisations: int = 1) -> None:
    """Metadata for a statistics-office style file: districts × indicators."""
    with db.transaction() as s:
        s.execute(
            insert(Organisation),
            [{"code": f"MEMBER{k}", "name": f"Member {k}", "type": "municipality"} for k in range(organisations)],
        )
        s.execute(insert(Organisation), [{"code": "BACKBONE", "name": "Backbone", "type": "backbone"}])
        org = dict(s.execute(select(Organisation.code, Organisation.id)).all())
        s.execute(
            insert(Area), [{"code": f"WK{n:06d}", "name": f"District {n}", "level": "district"} for n in range(areas)]
        )
        area = dict(s.execute(select(Area.code, Area.id)).all())
        s.execute(insert(Goal), [{"code": "g", "title": {"en": "Goal"}, "position": 1}])
        goal = s.execute(select(Goal.id)).scalar_one()
        s.execute(insert(Dimension), [{"code": "ses", "name": {"en": "SES"}}])
        ses = s.execute(select(Dimension.id)).scalar_one()
        s.execute(
            insert(DimensionValue),
            [{"dimension_id": ses, "code": v, "name": {"en": v}, "position": i} for i, v in enumerate(SES[1:])],
        )
        s.execute(
            insert(Indicator),
            [
                {
                    "code": f"ind{i}",
                    "goal_id": goal,
                    "name": {"en": f"Indicator {i}"},
                    "unit": "percent",
                    "direction": "higher",
                    "period_type": "year",
                    "aggregation": "ratio",
                    "suppression_threshold": 10,
                    "published": True,
                    "position": i,
                }
                for i in range(INDICATORS)
            ],
        )
        indicator = dict(s.execute(select(Indicator.code, Indicator.id)).all())
        s.execute(insert(IndicatorDimension), [{"indicator_id": i, "dimension_id": ses} for i in indicator.values()])
        s.execute(
            insert(Assignment),
            [
                {"organisation_id": org[f"MEMBER{n % organisations}"], "indicator_id": i, "area_id": area[f"WK{n:06d}"]}
                for i in indicator.values()
                for n in range(areas)
            ],
        )
        password_hash = hash_password(PASSWORD)
        s.execute(
            insert(User),
            [
                {
                    "username": f"member{k}",
                    "full_name": f"Member {k}",
                    "role": "member",
                    "organisation_id": org[f"MEMBER{k}"],
                    "password_hash": password_hash,
                }
                for k in range(organisations)
            ]
            + [
                {
                    "username": "staff",
                    "full_name": "Backbone staff",
                    "role": "admin",
                    "organisation_id": org["BACKBONE"],
                    "password_hash": password_hash,
                }
            ],
        )
        record_change(s, None, "benchmark metadata")


def write_file(path: Path, districts: Iterable[int], seed: int, change: float = 0.0) -> int:
    """An observations CSV as a statistics office publishes one: rates with numerator and denominator.

    Per indicator, district and year the three SES groups and their total, whose numerator and
    denominator are the groups' sums; each group's cohort drifts a few percent a year and its rate a
    few points, so the data quality rules find what they would in real data (a few outliers), not a
    flag on most rows. ``change``: the share of rows a re-import changes (a group's numerator one
    higher, and the total with it: two rows of four, in twice that share of the district-years).
    """
    rng = random.Random(seed)
    changer = random.Random(seed + 1)
    districts = list(districts)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "area", "period", "value", "numerator", "denominator", "status", "note", "ses"])
        for i in range(INDICATORS):
            for a in districts:
                sizes = [rng.randint(40, 300) for _ in SES[1:]]
                rates = [rng.uniform(0.2, 0.9) for _ in SES[1:]]
                for year in YEARS:
                    sizes = [max(20, round(size * rng.uniform(0.95, 1.05))) for size in sizes]
                    rates = [min(0.98, max(0.02, rate + rng.uniform(-0.03, 0.03))) for rate in rates]
                    numerators = [round(rate * size) for rate, size in zip(rates, sizes, strict=True)]
                    if change and changer.random() < 2 * change:
                        numerators[0] = (numerators[0] + 1) % (sizes[0] + 1)
                    status = "provisional" if year == YEARS[-1] else ""
                    groups = zip(SES, [sum(numerators), *numerators], [sum(sizes), *sizes], strict=True)
                    for ses, numerator, denominator in groups:
                        value = round(100 * numerator / denominator, 1)
                        writer.writerow([f"ind{i}", f"WK{a:06d}", year, value, numerator, denominator, status, "", ses])
                        rows += 1
    return rows


def rows_per_district() -> int:
    return INDICATORS * len(YEARS) * len(SES)

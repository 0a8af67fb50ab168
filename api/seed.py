"""Loading ``seed_data/`` into an empty database with bulk statements.

Metadata goes in one transaction; then each reporting organisation's observations
go through the same ingestion pipeline as an upload, one submission each.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session, col

from api.db import Database
from api.ingest.files import stage_file
from api.ingest.spool import spool_local_file
from api.ingest.write import Origin
from api.models import (
    Activity,
    ActivityArea,
    ActivityIndicator,
    Agenda,
    Area,
    Assignment,
    Dimension,
    DimensionValue,
    Goal,
    Indicator,
    IndicatorDimension,
    Narrative,
    Organisation,
    Signatory,
    Target,
    User,
)
from api.models.common import LANGUAGES, Channel, pk, table_of
from api.models.observation import WriteSummary
from api.readmodel import ReadModel
from api.security import hash_password
from api.services.audit import trail
from api.services.common import Coded, record_change
from api.services.imports.batches import write_batch
from indicators import periods

SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"


@dataclass
class SeedReport:
    organisations: int
    areas: int
    indicators: int
    users: int
    observations: int
    submissions: int


def _read(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _translated(row: dict[str, str], prefix: str) -> dict[str, str] | None:
    texts = {lang: row[f"{prefix}_{lang}"] for lang in LANGUAGES if row.get(f"{prefix}_{lang}")}
    return texts or None


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _ids(session: Session, model: type[Coded]) -> dict[str, int]:
    return dict(session.execute(select(col(model.code), pk(model.id))).all())


def load_metadata(session: Session, directory: Path, *, demo_users: bool) -> tuple[int, int, int, int]:
    """Organisations, areas, agenda, goals, dimensions, indicators, assignments, targets and users."""
    organisations = _read(directory, "organisations.csv")
    session.execute(
        insert(Organisation), [{"code": o["code"], "name": o["name"], "type": o["type"]} for o in organisations]
    )
    org = _ids(session, Organisation)

    areas = _read(directory, "areas.csv") + _read(directory, "schools.csv")
    session.execute(insert(Area), [{"code": a["code"], "name": a["name"], "level": a["level"]} for a in areas])
    area = _ids(session, Area)
    session.execute(
        update(table_of(Area))
        .where(table_of(Area).c.id == bindparam("area_id"))
        .values(parent_id=bindparam("parent_id")),
        [{"area_id": area[a["code"]], "parent_id": area[a["parent"]]} for a in areas if a["parent"]],
    )

    (agenda_row,) = _read(directory, "agenda.csv")
    session.execute(
        insert(Agenda),
        [
            {
                "code": agenda_row["code"],
                "name": _translated(agenda_row, "name"),
                "vision": _translated(agenda_row, "vision"),
                "problem": _translated(agenda_row, "problem"),
                "start_date": _date(agenda_row["start_date"]),
            }
        ],
    )
    agenda_id = session.execute(select(pk(Agenda.id))).scalar_one()
    session.execute(
        insert(Signatory),
        [
            {
                "agenda_id": agenda_id,
                "organisation_id": org[o["code"]],
                "signed_on": dt.date.fromisoformat(o["signed_on"]),
            }
            for o in organisations
            if o["signed_on"]
        ],
    )
    session.execute(
        insert(Goal),
        [
            {
                "code": g["code"],
                "agenda_id": agenda_id,
                "position": int(g["position"]),
                "title": _translated(g, "title"),
                "description": _translated(g, "description"),
            }
            for g in _read(directory, "goals.csv")
        ],
    )
    goal = _ids(session, Goal)

    dimension_rows = _read(directory, "dimensions.csv")
    dimensions = {r["dimension"]: _translated(r, "dimension_name") for r in dimension_rows}
    session.execute(insert(Dimension), [{"code": code, "name": name} for code, name in dimensions.items()])
    dimension = _ids(session, Dimension)
    session.execute(
        insert(DimensionValue),
        [
            {
                "dimension_id": dimension[r["dimension"]],
                "code": r["value"],
                "name": _translated(r, "value_name"),
                "position": int(r["position"]),
            }
            for r in dimension_rows
        ],
    )

    indicators = _read(directory, "indicators.csv")
    session.execute(
        insert(Indicator),
        [
            {
                "code": i["code"],
                "goal_id": goal[i["goal"]],
                "position": int(i["position"]),
                "name": _translated(i, "name"),
                "definition": _translated(i, "definition"),
                "unit": i["unit"],
                "direction": i["direction"],
                "period_type": i["period_type"],
                "aggregation": i["aggregation"],
                "suppression_threshold": int(i["suppression_threshold"] or 0),
                "min_value": float(i["min_value"]) if i["min_value"] else None,
                "max_value": float(i["max_value"]) if i["max_value"] else None,
                "source": i["source"] or None,
                "owner_id": org.get(i["owner"]),
                "published": i["published"].lower() == "true",
                "derivation": i.get("derivation") or None,
                "derivation_group": i.get("derivation_group") or None,
            }
            for i in indicators
        ],
    )
    indicator = _ids(session, Indicator)
    derived = [
        {"indicator_id": indicator[i["code"]], "source_id": indicator[i["derived_from"]]}
        for i in indicators
        if i.get("derived_from")
    ]
    if derived:
        table = table_of(Indicator)
        session.execute(
            update(table).where(table.c.id == bindparam("indicator_id")).values(derived_from_id=bindparam("source_id")),
            derived,
        )
    links = [
        {"indicator_id": indicator[i["code"]], "dimension_id": dimension[d]}
        for i in indicators
        for d in i["dimensions"].split()
    ]
    if links:
        session.execute(insert(IndicatorDimension), links)
    session.execute(
        insert(Assignment),
        [
            {
                "organisation_id": org[a["organisation"]],
                "indicator_id": indicator[a["indicator"]],
                "area_id": area[a["area"]],
            }
            for a in _read(directory, "assignments.csv")
        ],
    )
    period_type = {i["code"]: i["period_type"] for i in indicators}
    session.execute(
        insert(Target),
        [
            {
                "indicator_id": indicator[t["indicator"]],
                "area_id": area[t["area"]] if t["area"] else None,
                "baseline_period": periods.normalize(t["baseline_period"], period_type[t["indicator"]]),
                "baseline_value": float(t["baseline_value"]),
                "target_period": periods.normalize(t["target_period"], period_type[t["indicator"]]),
                "target_value": float(t["target_value"]),
            }
            for t in _read(directory, "targets.csv")
        ],
    )
    if (directory / "narratives.csv").exists():
        session.execute(
            insert(Narrative),
            [
                {
                    "indicator_id": indicator[n["indicator"]],
                    "area_id": area[n["area"]] if n["area"] else None,
                    "period": n["period"] or None,
                    "text": _translated(n, "text"),
                    "organisation_id": org[n["organisation"]],
                    "updated_at": dt.datetime.now(dt.UTC),
                }
                for n in _read(directory, "narratives.csv")
            ],
        )
    if (directory / "activities.csv").exists():
        _load_activities(session, _read(directory, "activities.csv"), org, goal, indicator, area)
    users = _read(directory, "users.csv") if demo_users else []
    if users:
        # Demo only: the contract's well-known passwords, demo-<username>.
        session.execute(
            insert(User),
            [
                {
                    "username": u["username"],
                    "full_name": u["full_name"],
                    "role": u["role"],
                    "organisation_id": org[u["organisation"]],
                    "password_hash": hash_password(f"demo-{u['username']}"),
                    "is_active": True,
                    "created_at": dt.datetime.now(dt.UTC),
                }
                for u in users
            ],
        )
    record_change(session, None, f"seed data loaded from {directory.name}", channel=Channel.seed)
    counts = {"organisations": len(organisations), "areas": len(areas), "indicators": len(indicators)}
    trail.record(session, entity="seed", entity_key=directory.name, action="load", after=counts | {"users": len(users)})
    return len(organisations), len(areas), len(indicators), len(users)


def _load_activities(session: Session, rows: list[dict[str, str]], *ids: dict[str, int]) -> None:
    """Activities with the indicators they work on and the areas they take place in."""
    org, goal, indicator, area = ids
    now = dt.datetime.now(dt.UTC)
    made = session.scalars(
        insert(Activity).returning(pk(Activity.id), sort_by_parameter_order=True),
        [
            {
                "organisation_id": org[a["organisation"]],
                "goal_id": goal[a["goal"]],
                "title": _translated(a, "title"),
                "description": _translated(a, "description"),
                "status": a["status"],
                "start_date": _date(a["start_date"]),
                "end_date": _date(a["end_date"]),
                "created_at": now,
                "updated_at": now,
            }
            for a in rows
        ],
    ).all()
    for table, column, codes, key in (
        (ActivityIndicator, "indicator_id", "indicators", indicator),
        (ActivityArea, "area_id", "areas", area),
    ):
        links = [{"activity_id": i, column: key[c]} for i, a in zip(made, rows, strict=True) for c in a[codes].split()]
        if links:
            session.execute(insert(table), links)


def load_observations(db: Database, read_model: ReadModel, path: Path, upload_dir: Path) -> WriteSummary:
    """``observations.csv`` through the import pipeline, each row for the organisation assigned to it."""
    spooled = spool_local_file(path, upload_dir, max_bytes=1 << 31, max_line_bytes=1 << 16)
    try:
        with db.transaction() as session:
            return write_batch(
                session=session,
                read_model=read_model,
                stage=lambda cur: stage_file(cur, spooled, max_rows=10_000_000, max_line_bytes=1 << 16),
                origin=Origin(None, None, Channel.seed, file_name=path.name, file_checksum=spooled.checksum),
                max_errors=1000,
            )
    finally:
        spooled.remove()


def load_seed(db: Database, upload_dir: Path, directory: Path = SEED_DIR, *, demo_users: bool = True) -> SeedReport:
    """Load the whole seed directory into an empty, migrated database."""
    with db.transaction() as session:
        organisations, areas, indicators, users = load_metadata(session, directory, demo_users=demo_users)
    summary = load_observations(db, ReadModel(db), directory / "observations.csv", upload_dir)
    return SeedReport(organisations, areas, indicators, users, summary.rows, len(summary.submissions))

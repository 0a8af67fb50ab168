"""Loading ``seed_data/`` into an empty database with bulk statements.

Metadata goes in one transaction; then each reporting organisation's observations
go through the same ingestion pipeline as an upload, one submission each.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlmodel import Session, col

from api.config import Mode, Settings
from api.db import Database
from api.ingest.files import stage_file
from api.ingest.spool import spool_local_file
from api.ingest.write import Origin
from api.models import (
    Activity,
    ActivityArea,
    ActivityIndicator,
    Area,
    Goal,
    Indicator,
    Narrative,
    Organisation,
)
from api.models.common import LANGUAGES, Channel, pk
from api.models.observation import WriteSummary
from api.readmodel import ReadModel
from api.services.audit import trail
from api.services.common import Coded, record_change
from api.services.config.load import load as load_config
from api.services.config.load import read_directory, read_table
from api.services.imports.batches import write_batch

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
    """The set-up files (through ``backbone config load``'s path), then the narratives and activities."""
    files = read_directory(directory)
    if (directory / "schools.csv").exists():  # the generated schools: more areas
        files["areas.csv"] += read_table("areas.csv", (directory / "schools.csv").read_bytes())
    if not demo_users:
        files.pop("users.csv", None)
    load_config(
        session=session,
        actor=None,
        files=files,
        settings=Settings(mode=Mode.demo),
        base_url="",
        dry_run=False,
        channel=Channel.seed,
        demo_passwords=True,
    )
    org, goal, indicator, area = (_ids(session, model) for model in (Organisation, Goal, Indicator, Area))
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
    record_change(session, None, f"seed data loaded from {directory.name}", channel=Channel.seed)
    counts = {name.removesuffix(".csv"): len(rows) for name, rows in files.items()}
    trail.record(session, entity="seed", entity_key=directory.name, action="load", after=counts)
    return counts["organisations"], counts["areas"], counts["indicators"], counts.get("users", 0)


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

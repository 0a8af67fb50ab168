"""The demo seed loads completely and consistently."""

from __future__ import annotations

import csv

from sqlalchemy import func, select

from api.db import Database
from api.models import Observation, Submission
from api.models.common import Channel
from api.seed import SEED_DIR


def _rows(name: str) -> list[dict[str, str]]:
    with (SEED_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_seed_observation_is_loaded_once(demo_database_url):
    db = Database(demo_database_url)
    with db.session() as s:
        stored = s.exec(select(func.count()).select_from(Observation)).one()[0]
        submissions = s.exec(select(Submission.channel, func.count()).group_by(Submission.channel)).all()
    db.dispose()
    assert stored == len(_rows("observations.csv"))
    assert dict(submissions)[Channel.seed] >= 2  # metadata plus one per reporting organisation


def test_seed_totals_are_the_sums_of_their_groups():
    totals: dict[tuple[str, str, str], tuple[float, float]] = {}
    sums: dict[tuple[str, str, str], list[float]] = {}
    for row in _rows("observations.csv"):
        if not row["numerator"]:
            continue
        key = (row["indicator"], row["area"], row["period"])
        if not row["ses"]:
            totals[key] = (float(row["numerator"]), float(row["denominator"]))
        else:
            sums.setdefault(key, [0.0, 0.0])
            sums[key][0] += float(row["numerator"])
            sums[key][1] += float(row["denominator"])
    assert sums and all(tuple(sums[key]) == totals[key] for key in sums)

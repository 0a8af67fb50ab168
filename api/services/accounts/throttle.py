"""The login throttle's counts in the database, so that every worker and host behind a load balancer shares them.

On PostgreSQL (where ``backbone serve --workers N`` runs N processes, and several hosts may serve one alliance)
each attempt and failure is a row of ``login_event``; on SQLite, which serves from one process, the counts stay
in that process (``api/ratelimit.SlidingWindow``), so that a login never waits for an import's write lock. What is
counted is stored as a keyed hash (HMAC with the app's secret): the table names no client and no username.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import time
from collections.abc import Callable

from sqlmodel import col, delete, select

from api.db import Database
from api.models import LoginEvent
from api.ratelimit import Rate

PRUNE_EVERY = 500  # additions in one process between deletions of every kind's expired rows


class StoredWindow:
    """The times of ``kind`` events per key in ``login_event``; full when ``rate.count`` lie inside the window."""

    def __init__(
        self, db: Database, kind: str, rate: Rate, *, secret: bytes, clock: Callable[[], float] = time.time
    ) -> None:
        self.db = db
        self.kind = kind
        self.rate = rate
        self.clock = clock
        self._secret = secret
        self._added = itertools.count(1)

    def _hash(self, key: str) -> str:
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may have another event (0: now)."""
        now = self.clock()
        with self.db.session() as session:
            times = session.exec(
                select(LoginEvent.at)
                .where(LoginEvent.kind == self.kind, LoginEvent.key == self._hash(key))
                .where(col(LoginEvent.at) > now - self.rate.seconds)
                .order_by(col(LoginEvent.at).desc())
                .limit(self.rate.count)
            ).all()
        if len(times) < self.rate.count:
            return 0.0
        return max(0.0, min(times) + self.rate.seconds - now)

    def add(self, key: str) -> None:
        now, hashed = self.clock(), self._hash(key)
        expired = col(LoginEvent.at) <= now - self.rate.seconds
        with self.db.transaction() as session:
            session.add(LoginEvent(kind=self.kind, key=hashed, at=now))
            mine = col(LoginEvent.kind) == self.kind
            if next(self._added) % PRUNE_EVERY:
                session.execute(delete(LoginEvent).where(mine, col(LoginEvent.key) == hashed, expired))
            else:  # keys that never come back: their rows go too, now and then
                session.execute(delete(LoginEvent).where(mine, expired))

    def reset(self, key: str) -> None:
        with self.db.transaction() as session:
            session.execute(
                delete(LoginEvent).where(col(LoginEvent.kind) == self.kind, col(LoginEvent.key) == self._hash(key))
            )

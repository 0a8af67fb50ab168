"""Throttling of logins: sliding windows of failed attempts per username and client, and of attempts per client.

``LoginThrottle`` counts in two windows: in this process (``SlidingWindow``: one process serving from
SQLite), or in the database (``services/accounts/throttle.StoredWindow``: every worker and host on
PostgreSQL counts together); ``api/main.open_backbone`` chooses.
"""

from __future__ import annotations

import ipaddress
import math
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from api.errors import TooManyRequests

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    """``count`` events in any ``seconds``; written like ``10/minute`` or ``100/5minutes``."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        found = _RATE.match(text)
        if found is None or int(found[1]) < 1 or found[2] == "0":
            raise ValueError(f"{text!r} is not a rate like '10/minute', '100/hour' or '20/5minutes'")
        return cls(int(found[1]), int(found[2] or 1) * _UNITS[found[3].lower()])


class Window(Protocol):
    """Events per key within a rate's window."""

    def wait(self, key: str) -> float: ...
    def add(self, key: str) -> None: ...
    def reset(self, key: str) -> None: ...


class SlidingWindow:
    """The times of the last ``rate.count`` events per key; full when the oldest is inside the window."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self.rate = rate
        self.clock = clock
        self.max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may have another event (0: now)."""
        with self._lock:
            events = self._events.get(key)
            if events is None or len(events) < self.rate.count:
                return 0.0
            return max(0.0, events[0] + self.rate.seconds - self.clock())

    def add(self, key: str) -> None:
        with self._lock:
            events = self._events.pop(key, None) or deque(maxlen=self.rate.count)
            events.append(self.clock())
            self._events[key] = events  # most recently used last
            # Keys are chosen by the caller (any username): forget the least recently used beyond the cap.
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


def client_address(request: Any) -> str:
    """Where a request came from (behind a trusted proxy: the address it forwarded, see uvicorn).

    An IPv6 client counts by its /64 network: one machine usually has a whole /64 to choose from.
    """
    host = request.client.host if request.client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    return str(ipaddress.ip_network(f"{address}/64", strict=False)) if address.version == 6 else host


class LoginThrottle:
    """Refuses a login when its username failed too often from this client, or the client tried too often."""

    def __init__(self, *, failures: Window, attempts: Window) -> None:
        self.failures = failures
        self.attempts = attempts

    @classmethod
    def in_process(
        cls, *, failures: Rate, attempts: Rate, clock: Callable[[], float] = time.monotonic
    ) -> LoginThrottle:
        """Counting in this process only (one process serving from SQLite)."""
        return cls(failures=SlidingWindow(failures, clock), attempts=SlidingWindow(attempts, clock))

    @staticmethod
    def _key(client: str, username: str) -> str:
        return f"{client}\n{username.strip().lower()[:200]}"

    def check(self, *, client: str, username: str) -> None:
        """Count this attempt; raise 429 (before any password is checked) when over a limit."""
        wait = max(self.failures.wait(self._key(client, username)), self.attempts.wait(client))
        if wait > 0:
            raise TooManyRequests(
                "Too many login attempts; wait a moment and try again", retry_after=max(1, math.ceil(wait))
            )
        self.attempts.add(client)

    def failed(self, *, client: str, username: str) -> None:
        self.failures.add(self._key(client, username))

    def succeeded(self, *, client: str, username: str) -> None:
        self.failures.reset(self._key(client, username))

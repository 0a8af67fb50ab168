"""Password hashing (Argon2) and opaque bearer tokens (stored as keyed hashes)."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import itertools
import secrets
import string
from functools import lru_cache
from pathlib import Path

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "bb_"  # noqa: S105 - the mark every token starts with, not a secret
_hasher = PasswordHash((Argon2Hasher(),))

PASSWORD_LIST = Path(__file__).parent / "data" / "common-passwords.txt.gz"  # see api/data/README.md
# Words anyone would try first against this service, whatever the breach lists say.
_CONTEXT_WORDS = frozenset({"backbone", "collectiveimpact", "groningen", "ruhrfutur", "kidsfirst", "demo"})
_PADDING = string.digits + string.punctuation + string.whitespace


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, lowercased (read once)."""
    with gzip.open(PASSWORD_LIST, "rt", encoding="utf-8", errors="replace") as lines:
        return frozenset(line.strip() for line in lines if line.strip()) | _CONTEXT_WORDS


def _is_run(text: str) -> bool:
    """Characters that go up or down by one all the way (``123456789012``, ``abcdefghijkl``)."""
    pairs = itertools.pairwise(text)
    steps = {(ord(b) - ord(a)) % 10 if a.isdigit() and b.isdigit() else ord(b) - ord(a) for a, b in pairs}
    return len(steps) == 1 and steps <= {1, -1, 9}


def is_common(password: str) -> bool:
    """On the list; or a listed word padded with digits and punctuation (``Summer2024!!``); or one repeated."""
    common = common_passwords()
    lowered = password.lower()
    core = lowered.strip(_PADDING)
    if lowered in common or (core and core in common) or _is_run(lowered):
        return True
    for size in range(1, len(core) // 2 + 1):
        if len(core) % size == 0 and core == core[:size] * (len(core) // size):
            return size <= 4 or core[:size] in common
    return False


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # noqa: BLE001 - a malformed stored hash must fail closed, not crash login
        return False


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def waste_time_like_verify(password: str) -> None:
    """Verify against a dummy hash so that unknown users take as long as known ones."""
    verify_password(password, dummy_hash())


def password_problems(password: str, *, username: str = "") -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"use at least {MIN_PASSWORD_LENGTH} characters")
    if is_common(password) or len(set(password)) < 4:
        problems.append("this password is too common or too simple")
    if username and username.lower() in password.lower():
        problems.append("the password must not contain the username")
    return problems


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str, secret: bytes) -> str:
    """Keyed hash of a token: a copy of the database alone cannot be used to log in."""
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()

"""Password hashing (Argon2) and opaque bearer tokens (stored as keyed hashes)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "bb_"
_hasher = PasswordHash((Argon2Hasher(),))

# A short list of the passwords that breach corpora show most; long enough ones only,
# since shorter passwords are refused anyway.
_COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "password1234",
        "passwordpassword",
        "qwertyuiopas",
        "iloveyou1234",
        "welcome12345",
        "administrator",
        "letmein12345",
        "changeme1234",
        "aaaaaaaaaaaa",
        "wachtwoord12",
        "passwort1234",
    }
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # a malformed stored hash must fail closed, not crash login
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def waste_time_like_verify(password: str) -> None:
    """Verify against a dummy hash so that unknown users take as long as known ones."""
    verify_password(password, _dummy_hash())


def password_problems(password: str, *, username: str = "") -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"use at least {MIN_PASSWORD_LENGTH} characters")
    if password.lower() in _COMMON_PASSWORDS or len(set(password)) < 4:
        problems.append("this password is too common or too simple")
    if username and username.lower() in password.lower():
        problems.append("the password must not contain the username")
    return problems


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str, secret: bytes) -> str:
    """Keyed hash of a token: a copy of the database alone cannot be used to log in."""
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()

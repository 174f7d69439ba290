"""Password hashes (argon2id, argon2-cffi's recommended parameters, RFC 9106)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    """Verified against when there is no hash, so an unknown user costs as long as a known
    one and the login's timing does not tell which usernames exist."""
    return _HASHER.hash("jixiao: no such user")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; False for a wrong one, a malformed hash or no hash."""
    if not password_hash:
        try:
            _HASHER.verify(_dummy_hash(), password)
        except VerificationError:
            pass
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

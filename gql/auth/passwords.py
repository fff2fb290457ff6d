"""Password hashing with argon2id (argon2-cffi)."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_DUMMY_PASSWORD = "not-a-real-password"
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash(_DUMMY_PASSWORD)


def use_parameters(parameters: Parameters) -> None:
    """Hash new passwords (and the unknown-email dummy) with `parameters` from now on.
    The test suite uses argon2's CHEAPEST profile: it registers users in nearly every
    test, and the default cost (deliberately ~0.1 s of CPU each) dominated its run time.
    Stored hashes carry their own parameters, so they verify either way."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(parameters)
    _DUMMY_HASH = _hasher.hash(_DUMMY_PASSWORD)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
